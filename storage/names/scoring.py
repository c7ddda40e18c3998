"""Scoring a name query against a target's names: a table of named features.

In the manner of OpenSanctions' nomenklatura: each feature is a small pure
function's verdict with a weight; tuning is editing the table, and every
score can say which features fired. Scores are 0..1.

An organisation's legal forms (Ltd, JSC, Co, SA...) are set aside on both
sides at a small cost, so "Rusal Ltd" finds "Rusal" and "Rusal PLC" but
"Alpha Trading LLC" never finds "Beta Trading LLC"; Russian forms count as
their English equals (PAO = PJSC, OOO = LLC). A person's name is always
compared with the query's legal forms in it: "Co" may be a surname, and
"Wang Ltd" is not Wang.

An organisation's name may be typed without the words that say what kind of
body it is (Rosneft for Rosneft Oil Company), but one that leaves out a word
telling it apart from another body (Gazprom for Gazprom Neft) is listed,
never picked: a wrong company is worse than no answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from storage.names.folding import ALL_LEGAL_FORMS, equivalent_legal_forms, name_tokens, skeleton, without_legal_forms


@dataclass(frozen=True)
class FeatureHit:
    """A named feature of the name scorer that fired, and its weight."""

    name: str
    weight: float


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
    Feature("typo", -0.12, "per edit within the allowance for the token's length"),
    Feature("typos_in_several_tokens", -0.30, "more than one token misspelt: more likely someone else"),
    Feature("lone_query_token_misspelt", -0.30, "the only token of the query is misspelt: too little to go on"),
    Feature("transliteration", -0.02, "per token equal only after transliteration rules"),
    Feature("initial", -0.06, "per query initial standing for a given name"),
    Feature("name_part_missing", -0.25, "share of the name's tokens the query does not give"),
    # "Kim Jong" is not sure to be Kim Yo Jong, nor "Mohammed Salman" Mohammed
    # bin Salman: a short syllable left out between the parts given (not an
    # initial, not a patronymic) leaves many people's names.
    Feature("short_part_missing", -0.20, "a name part of two to four letters missing between those given"),
    Feature("query_token_unmatched", -0.80, "a query token found nowhere in the name"),
    Feature("lone_name", -0.15, "a person known by one name only: it may be anyone's surname"),
    # As costly as a missing name part once was: a name with the query's own
    # legal form keeps its lead over one without.
    Feature("legal_form", -0.12, "an organisation's legal form (Ltd, JSC...) set aside"),
    # Gazprom is not Gazprom Neft: an organisation's name word that says which
    # body it is, left out, may name another (a subsidiary, a namesake). Once,
    # whatever the number of words: enough to leave any such name unpicked
    # (at most 0.96 - 0.25 = 0.71 before name_part_missing, which always fires
    # with it), yet listed when the query gives one word of up to six.
    Feature("distinctive_word_missing", -0.25,
            "an organisation name word the query leaves out that is not generic (Group, Oil, of Russia)"),
]}

# Words of organisation names that say what kind of body it is, not which:
# leaving them out names the same body (Rosneft = Rosneft Oil Company, Wagner =
# Wagner Group). Kept short on purpose: a word missing here costs only a pick.
# A business line is not generic (Trading, Shipping, Capital, Media): Rosneft
# Trading and Gazprom Media are not Rosneft and Gazprom. Oil and Bank are, as
# sanctions lists write Rosneft and VTB: Rosneft Oil Company, VTB Bank.
GENERIC_ORG_WORDS = frozenset(
    """
    the and company companies group holding holdings corporation incorporated international global
    technologies technology oil bank banking institute university academy centre center foundation
    committee commission council ministry department bureau agency chambers tribunal party association
    society organisation organization directorate administration enterprise banco banque
    central national state federal islamic republic autonomous concern corps airlines airways
    broadcasting television station financial federation kingdom union
    """.split()
) | ALL_LEGAL_FORMS
# Words after which an organisation's name says where or what about, not which
# body ("Sberbank of Russia", "Mercator Institute for China Studies"). A country
# elsewhere is distinctive: Gazprom Germania and Sberbank Europe are other companies.
QUALIFIER_WORDS = frozenset("of for on in at de du des del della di".split())
# Short words between a name's parts that no name hangs on, unlike "bin" or "Yo":
# "central bank of russia" leaves out only "the" of the Russian Federation's.
_LINKING_WORDS = frozenset({"the", "of", "and", "for"})
# Words that are no part of what a name says.
_FILLER = frozenset({"the", "and"}) | ALL_LEGAL_FORMS
# Initials and two-letter abbreviations ("UC Rusal") are seldom typed and say little.
MIN_DISTINCTIVE_LENGTH = 3

# The most a name can score when a query token is found nowhere in it.
UNMATCHED_CEILING = 0.2
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


def query_forms(query: str) -> tuple[tuple[str, ...], ...]:
    """The query without leading titles, and as typed (an organisation may start with one).

    Both keep legal forms: only an organisation's name may do without them.
    """
    return tuple(dict.fromkeys([name_tokens(query, keep_legal_forms=True), name_tokens(query, keep_titles=True)]))


def score_names(query: str, names: Iterable[str], kind: str = "person") -> NameScore:
    """The best score of the query against any of a target's names."""
    keep = kind == "organization"
    return score_tokenised(query_forms(query), [name_tokens(name, keep_titles=keep) for name in names], kind)


def score_tokenised(
    forms: tuple[tuple[str, ...], ...], candidates: Iterable[tuple[str, ...]], kind: str
) -> NameScore:
    """As score_names, on names already folded (the index stores them so)."""
    best = NameScore(0.0, (), "")
    for c in candidates:
        for q, name, set_aside in _comparisons(forms, c, kind):
            result = score_tokens(q, name)
            if set_aside and result.score > 0:
                result = _with_penalty(result, "legal_form")
            if kind == "organization" and result.score > 0 and distinctive_word_missing(q, c):
                result = _with_penalty(result, "distinctive_word_missing")
            if kind == "person" and len(c) == 1 and result.score > 0:
                result = _with_penalty(result, "lone_name")
            if result.score > best.score:
                best = NameScore(result.score, result.features, " ".join(c))
    return best


_Tokens = tuple[str, ...]


def _comparisons(forms: tuple[_Tokens, ...], c: _Tokens, kind: str) -> list[tuple[_Tokens, _Tokens, bool]]:
    """(query form, name, legal forms set aside) to score; only an organisation does without them."""
    if kind == "organization":  # PAO Sberbank is PJSC Sberbank
        forms = tuple(equivalent_legal_forms(q) for q in forms)
        c = equivalent_legal_forms(c)
    pairs = [(q, c, False) for q in forms]
    if kind == "organization":
        bare_c = without_legal_forms(c)
        for q in forms:
            bare_q = without_legal_forms(q)
            if (bare_q, bare_c) != (q, c):
                pairs.append((bare_q, bare_c, True))
    return pairs


def distinctive_words(c: _Tokens) -> tuple[str, ...]:
    """The words of an organisation's name that say which body it is.

    The telling (not generic) words before its first qualifier ("of", "for"):
    "Sberbank of Russia" is Sberbank, "Mercator Institute for China Studies"
    Mercator. A name whose head is all generic is told apart by the whole of
    it: "Central Bank of the Russian Federation" needs Central, Bank and
    Russian, as "Ministry of Finance of the Russian Federation" needs Russian
    besides Finance, and "russian" alone names neither.
    """
    cut = next((i for i, token in enumerate(c) if i > 0 and token in QUALIFIER_WORDS), len(c))
    head = _telling(list(c[:cut]))
    if head or cut == len(c):
        return head
    generic_head = tuple(t for t in c[:cut] if t not in _FILLER and len(t) >= MIN_DISTINCTIVE_LENGTH)
    return generic_head + _telling([t for t in c[cut:] if t not in QUALIFIER_WORDS])


def _telling(tokens: list[str]) -> tuple[str, ...]:
    # A number always tells bodies apart: Nord Stream 2 AG is not Nord Stream AG.
    return tuple(t for t in tokens if t not in GENERIC_ORG_WORDS
                 and (len(t) >= MIN_DISTINCTIVE_LENGTH or any(char.isdigit() for char in t)))


@lru_cache(maxsize=65536)
def distinctive_word_missing(q: _Tokens, c: _Tokens) -> bool:
    """Whether the query leaves out a distinctive word of the name (see distinctive_words).

    A word is given when a query word fits it (typos, initials included) or
    it is part of the query's letters run together ("eurosib energo").
    """
    joined = "".join(q)
    return any(
        word not in joined and not any(token_verdict(token, word) is not None for token in q)
        for word in distinctive_words(c)
    )


@lru_cache(maxsize=65536)
def score_tokens(q: tuple[str, ...], c: tuple[str, ...]) -> NameScore:
    """Pure and cached: a common name is scored once, not once per holder."""
    if not q or not c:
        return NameScore(0.0, (), "")
    if q == c:
        return _scored([("exact", 1)])
    if sorted(q) == sorted(c):
        return _scored([("reordered", 1)])
    joined = {"".join(c)} | ({"".join(reversed(c))} if len(q) > 1 else set())
    if "".join(q) in joined or len(q) > 1 and "".join(sorted(q)) == "".join(sorted(c)):
        return _scored([("spacing", 1)])
    return _aligned(q, c)


def _aligned(q: tuple[str, ...], c: tuple[str, ...]) -> NameScore:
    """Each query token to a distinct name token; spacing variants when needed.

    Joined tokens must agree exactly, so they can only rescue tokens the plain
    alignment left unmatched: they are tried only then.
    """
    best = _align_once(q, c, strict=False)
    if best.score > UNMATCHED_CEILING:
        return best
    for q_variant in _spacing_variants(q):
        for c_variant in _spacing_variants(c):
            if q_variant is q and c_variant is c:
                continue
            # Joining must not buy a typo allowance neither part has
            # ("Soe Min" is not "Soe Win").
            result = _align_once(q_variant, c_variant, strict=True)
            if result.score > best.score:
                best = result
    return best


def _align_once(q: tuple[str, ...], c: tuple[str, ...], strict: bool) -> NameScore:
    """Pair each query token with a distinct name token, cheapest pairs first.

    Greedy on the cost of each pair (exact, then transliteration, initial,
    typo): names are short, and a token rarely fits two others equally.
    """
    pairs = []
    for qi, q_token in enumerate(q):
        for ci, c_token in enumerate(c):
            verdict = token_verdict(q_token, c_token, allow_typos=not strict)
            if verdict is not None:
                feature, count = verdict
                cost = -FEATURES[feature].weight * count if feature else 0.0
                pairs.append((cost, qi, ci, verdict))
    pairs.sort(key=lambda pair: (pair[0], pair[1], pair[2]))
    used_q: set[int] = set()
    used_c: set[int] = set()
    hits: list[tuple[str, float]] = []
    for _, qi, ci, verdict in pairs:
        if qi in used_q or ci in used_c:
            continue
        used_q.add(qi)
        used_c.add(ci)
        if verdict[0]:
            hits.append(verdict)
    unmatched = len(q) - len(used_q)
    if unmatched:
        return _scored([("query_token_unmatched", unmatched / len(q))])
    misspelt = sum(1 for name, _ in hits if name == "typo")
    if misspelt > 1:
        hits.append(("typos_in_several_tokens", 1))
    elif misspelt and len(q) == 1:
        hits.append(("lone_query_token_misspelt", 1))
    hits.insert(0, ("all_query_tokens", 1))
    missing = (len(c) - len(used_c)) / len(c)
    if missing:
        hits.append(("name_part_missing", missing))
        if any(2 <= len(c[ci]) <= 4 and c[ci] not in _LINKING_WORDS
               for ci in range(min(used_c) + 1, max(used_c)) if ci not in used_c):
            hits.append(("short_part_missing", 1))
    return _scored(hits)


@lru_cache(maxsize=1 << 17)
def token_verdict(q_token: str, c_token: str, allow_typos: bool = True) -> tuple[str, float] | None:
    """('', 0) exact; (feature, count) inexact but acceptable; None no match.

    Pure and cached: a query's tokens meet the same name tokens in every candidate.
    """
    if q_token == c_token:
        return ("", 0)
    if not allow_typos:
        return ("transliteration", 1) if skeleton(q_token) == skeleton(c_token) else None
    if len(q_token) == 1:
        return ("initial", 1) if c_token.startswith(q_token) else None
    allowance = typo_allowance(min(len(q_token), len(c_token)))
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
