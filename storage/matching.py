"""Scoring a name query against a target's names: a table of named features.

In the manner of OpenSanctions' nomenklatura: each feature is a small pure
function's verdict with a weight; tuning is editing the table, and every
score can say which features fired. Scores are 0..1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import permutations

from rapidfuzz.distance import OSA

from storage.answers import FeatureHit
from storage.names import name_tokens, skeleton


@dataclass(frozen=True)
class Feature:
    name: str
    weight: float
    description: str


# The model. Starting points are added first, then penalties (negative).
FEATURES: dict[str, Feature] = {f.name: f for f in [
    Feature("exact", 1.00, "the same tokens in the same order"),
    Feature("reordered", 0.98, "the same tokens in another order (family name first or last)"),
    Feature("spacing", 0.97, "the same letters, spaced or hyphenated differently"),
    Feature("all_query_tokens", 0.96, "every query token found in the name, some inexactly"),
    Feature("typo", -0.05, "per edit within the allowance for the token's length"),
    Feature("transliteration", -0.02, "per token equal only after transliteration rules"),
    Feature("initial", -0.06, "per query initial standing for a given name"),
    Feature("name_part_missing", -0.25, "share of the name's tokens the query does not give"),
    Feature("query_token_unmatched", -0.80, "a query token found nowhere in the name"),
    Feature("lone_name", -0.15, "a person known by one name only: it may be anyone's surname"),
]}

# A match is listed at or above this score; `best` needs a clear lead.
MATCH_THRESHOLD = 0.5
BEST_THRESHOLD = 0.7
BEST_MARGIN = 0.1

def typo_allowance(length: int) -> int:
    """Edits allowed in a token: none in short ones, more in long ones.

    Four-letter tokens allow only a swap of two neighbours (see
    `_token_verdict`): Wang, Fang, Yang and Tang are different families.
    """
    if length <= 4:
        return 0
    if length <= 7:
        return 1
    if length <= 11:
        return 2
    return 3


def is_transposition(a: str, b: str) -> bool:
    """Two neighbouring letters swapped: 'wnag' for 'wang'."""
    if len(a) != len(b) or a == b:
        return False
    diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]


@dataclass(frozen=True)
class NameScore:
    score: float
    features: tuple[FeatureHit, ...]
    name: str


def query_tokens(query: str) -> tuple[str, ...]:
    return name_tokens(query)


def score_names(query: str, names: Iterable[str], kind: str = "person") -> NameScore:
    """The best score of the query against any of a target's names."""
    best = NameScore(0.0, (), "")
    q = query_tokens(query)
    for name in names:
        for keep_titles in ({False, kind == "organization"}):
            c = name_tokens(name, keep_titles=keep_titles)
            result = score_tokens(q, c)
            if kind == "person" and len(c) == 1 and result.score > 0:
                result = _with_penalty(result, "lone_name")
            if result.score > best.score:
                best = NameScore(result.score, result.features, name)
    return best


def score_tokens(q: tuple[str, ...], c: tuple[str, ...]) -> NameScore:
    if not q or not c:
        return NameScore(0.0, (), "")
    if q == c:
        return _scored([("exact", 1)])
    if sorted(q) == sorted(c):
        return _scored([("reordered", 1)])
    if "".join(q) in {"".join(c), "".join(reversed(c))} or "".join(sorted(q)) == "".join(sorted(c)):
        return _scored([("spacing", 1)])
    return _aligned(q, c)


def _aligned(q: tuple[str, ...], c: tuple[str, ...]) -> NameScore:
    """Each query token to a distinct name token; spacing variants both ways."""
    best: NameScore | None = None
    for q_variant in _spacing_variants(q):
        for c_variant in _spacing_variants(c):
            # Joined tokens must agree exactly: joining must not buy a typo
            # allowance that neither part has ("Soe Min" is not "Soe Win").
            strict = q_variant is not q or c_variant is not c
            result = _align_once(q_variant, c_variant, strict)
            if best is None or result.score > best.score:
                best = result
    assert best is not None
    return best


def _align_once(q: tuple[str, ...], c: tuple[str, ...], strict: bool) -> NameScore:
    if len(q) > 6 or len(c) > 8:
        candidates_orders: Iterable[tuple[int, ...]] = [tuple(range(len(c)))]
    else:
        candidates_orders = permutations(range(len(c)), min(len(q), len(c)))
    best_hits: list[tuple[str, float]] | None = None
    best_value = -1.0
    for order in candidates_orders:
        hits: list[tuple[str, float]] = []
        unmatched = 0
        used = 0
        for q_token, c_index in zip(q, order):
            verdict = token_verdict(q_token, c[c_index], allow_typos=not strict)
            if verdict is None:
                unmatched += 1
            else:
                used += 1
                if verdict[0]:
                    hits.append(verdict)
        unmatched += max(0, len(q) - len(c))
        if unmatched:
            hits = [("query_token_unmatched", unmatched / len(q))]
        else:
            hits.insert(0, ("all_query_tokens", 1))
            missing = (len(c) - used) / len(c)
            if missing:
                hits.append(("name_part_missing", missing))
        value = _value(hits)
        if value > best_value:
            best_value, best_hits = value, hits
    assert best_hits is not None
    return _scored(best_hits)


def token_verdict(q_token: str, c_token: str, allow_typos: bool = True) -> tuple[str, float] | None:
    """('', 0) exact; (feature, count) inexact but acceptable; None no match."""
    if q_token == c_token:
        return ("", 0)
    if not allow_typos:
        return ("transliteration", 1) if skeleton(q_token) == skeleton(c_token) else None
    if len(q_token) == 1:
        return ("initial", 1) if c_token.startswith(q_token) else None
    allowance = typo_allowance(max(len(q_token), len(c_token)))
    if skeleton(q_token) == skeleton(c_token):
        return ("transliteration", 1)
    if len(q_token) >= 4 and is_transposition(q_token, c_token):
        return ("typo", 1)
    edits = OSA.distance(q_token, c_token, score_cutoff=allowance)
    if edits <= allowance and q_token[0] == c_token[0] or edits <= allowance and edits == 1:
        return ("typo", edits)
    s_edits = OSA.distance(skeleton(q_token), skeleton(c_token), score_cutoff=allowance)
    if s_edits <= allowance and s_edits < edits:
        return ("typo", s_edits)
    return None


def _spacing_variants(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The tokens, and with each adjacent pair joined ("jun zheng" -> "junzheng")."""
    variants = [tokens]
    if len(tokens) <= 5:
        for i in range(len(tokens) - 1):
            variants.append(tokens[:i] + (tokens[i] + tokens[i + 1],) + tokens[i + 2:])
    return variants


def _value(hits: list[tuple[str, float]]) -> float:
    total = sum(FEATURES[name].weight * count for name, count in hits)
    return max(0.0, min(1.0, total))


def _scored(hits: list[tuple[str, float]]) -> NameScore:
    return NameScore(
        _value(hits),
        tuple(FeatureHit(name, round(FEATURES[name].weight * count, 3)) for name, count in hits),
        "",
    )


def _with_penalty(result: NameScore, feature: str) -> NameScore:
    weight = FEATURES[feature].weight
    return NameScore(
        max(0.0, result.score + weight), (*result.features, FeatureHit(feature, weight)), result.name
    )


def pick_best(scores: list[float]) -> int | None:
    """Index of the one clear winner among descending scores, or None."""
    if not scores or scores[0] < BEST_THRESHOLD:
        return None
    if len(scores) > 1 and scores[0] - scores[1] < BEST_MARGIN:
        return None
    return 0
