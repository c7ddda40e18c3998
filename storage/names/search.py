"""Which targets a name query may mean: candidates from the database index,
ranked in Python by the feature table of `matching`.

Every query token must be found in a name for the name to match at all, so
the candidates are the postings of the query's rarest token (with its typo
and transliteration neighbours); when even that is common, the postings of
all its tokens are intersected in SQL. Nothing scales with the store's size
but the postings of the tokens asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Row, bindparam, select, union
from sqlalchemy.orm import aliased

from storage.db.models import NameToken, NameTokenKey, Target, TargetName, TargetToken
from storage.db.sql_lists import in_list
from storage.names.folding import is_whole_name, name_tokens, skeleton, without_legal_forms
from storage.names.index import typo_keys
from storage.names.scoring import (
    MATCH_THRESHOLD,
    NameScore,
    query_forms,
    score_tokenised,
    token_verdict,
    typo_allowance,
)

# Candidates scored per query: enough for every holder of a full name, a
# sample of the holders of a common surname (which is ambiguous anyway).
CANDIDATE_CAP = 150
# A lone token (a surname) fits many people equally: a sample shows that.
SINGLE_TOKEN_CAP = 40
MIN_SPLIT_PART = 2


@dataclass(frozen=True)
class NameHit:
    target_id: int
    kind: str
    name: str
    names: list[str]
    score: NameScore


@dataclass(frozen=True)
class _Vocab:
    token_id: int
    token: str
    df: int


def search_names(connection: Connection, query: str, limit: int) -> list[NameHit]:
    """The best-scoring targets for a name query, best first, above the threshold.

    Names holding every query token exactly (or transliterated) are looked
    for first; only when none fits are misspelt neighbours looked for too.
    """
    tokens = tuple(t for t in name_tokens(query) if len(t) > 1)  # initials narrow nothing
    if not tokens:
        return []
    forms = query_forms(query)
    hits: dict[int, NameHit] = {}
    for exact in (True, False):
        # Most names are typed right: their vocabulary is a cheap lookup by
        # skeleton; the typo neighbours are looked up only when nothing fits.
        vocabulary = _vocabulary_exact(connection, tokens) if exact else _vocabulary_near(connection, tokens)
        found = _candidates(connection, tokens, vocabulary, exact)
        hits.update((hit.target_id, hit) for hit in _score(forms, found, hits))
        if exact and any(_fits_without_typos(hit) for hit in hits.values()):
            break
    ranked = sorted(hits.values(), key=lambda hit: (-hit.score.score, hit.name, hit.target_id))
    return ranked[:limit]


def candidate_ids(connection: Connection, query: str) -> list[int]:
    """Every target search_names would consider, exact and near (for peers in benchmarks)."""
    tokens = tuple(t for t in name_tokens(query) if len(t) > 1)
    if not tokens:
        return []
    exact = _candidates(connection, tokens, _vocabulary_exact(connection, tokens), True)
    near = _candidates(connection, tokens, _vocabulary_near(connection, tokens), False)
    return list(dict.fromkeys([*exact, *near]))


# A candidate as retrieved: its kind, canonical name, and each name with its
# folded tokens and whether an annotator gave it as an alias.
_Candidate = tuple[str, str, dict[str, tuple[tuple[str, ...], bool]]]


def _fits_without_typos(hit: NameHit) -> bool:
    return not any(feature.name.startswith("typo") for feature in hit.score.features)


def _score(
    forms: tuple[tuple[str, ...], ...], candidates: dict[int, _Candidate], scored_already: dict[int, NameHit]
) -> list[NameHit]:
    hits = []
    # Holders of a common name have the same names: each set of names is judged once.
    judged: dict[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], tuple[NameScore, list[str]] | None] = {}
    for target_id, (kind, canonical, names) in candidates.items():
        if target_id in scored_already:
            continue
        key = (kind, tuple(names.items()))
        if key not in judged:
            judged[key] = _judge(forms, kind, names)
        verdict = judged[key]
        if verdict is not None:
            hits.append(NameHit(target_id, kind, canonical, verdict[1], verdict[0]))
    return hits


def _judge(
    forms: tuple[tuple[str, ...], ...], kind: str, names: dict[str, tuple[tuple[str, ...], bool]]
) -> tuple[NameScore, list[str]] | None:
    """The best score of a target's names and the names it is known by, or None below the threshold.

    A lone word in the text ("Lukashenko") is a short form, no name; one an
    annotator gave as an alias ("Navalnyy") is shown, though not scored.
    """
    folded = [tokens for tokens, _ in names.values() if tokens]
    if kind == "person" and any(len(tokens) >= 2 for tokens in folded):
        # Lone short forms are no names; but one word of a script written
        # without spaces (မင်းအောင်လှိုင်, Min Aung Hlaing in Burmese) is a whole name.
        folded = [tokens for name, (tokens, _) in names.items() if is_whole_name(name, tokens)]
    result = score_tokenised(forms, dict.fromkeys(folded), kind)
    if result.score < MATCH_THRESHOLD:
        return None
    return result, [name for name, (tokens, given) in names.items() if tokens in folded or given]


def _candidates(
    connection: Connection, tokens: tuple[str, ...], vocabulary: dict[str, list[_Vocab]], exact: bool
) -> dict[int, _Candidate]:
    """At most `cap` targets holding a form of every query token, with their names."""
    if exact:
        vocabulary = {
            token: [v for v in near if v.token == token or skeleton(v.token) == skeleton(token)]
            for token, near in vocabulary.items()
        }
    found: dict[int, _Candidate] = {}
    cap = CANDIDATE_CAP if len(tokens) > 1 else SINGLE_TOKEN_CAP
    for variant, droppable in _variants(tokens, vocabulary):
        # Retrieval finds every token one edit away. A token with no neighbour
        # rules its variant out, unless it is long enough to be two typos
        # away: then, when typos are looked for, it narrows nothing and the
        # scorer judges the others' candidates.
        if any(not vocabulary[t] and (exact or t not in droppable) for t in variant):
            continue
        groups = [vocabulary[t] for t in variant if vocabulary[t]]
        if not groups:
            continue
        for target_id, kind, canonical, name, folded, origin in _postings(connection, groups, cap):
            if target_id in found or len(found) < cap:
                names = found.setdefault(target_id, (kind, canonical, {}))[2]
                given = origin == "alias" or names.get(name, ((), False))[1]  # a name given by any article
                names[name] = (tuple(folded.split()), given)
        if len(found) >= cap:
            break
    return found


def _wanted_and_halves(tokens: tuple[str, ...]) -> tuple[set[str], set[str]]:
    """The query tokens with each neighbouring pair joined; every split of a token in two."""
    wanted = set(tokens)
    wanted.update(a + b for a, b in zip(tokens, tokens[1:]))
    halves = {
        part
        for token in tokens
        for cut in range(MIN_SPLIT_PART, len(token) - MIN_SPLIT_PART + 1)
        for part in (token[:cut], token[cut:])
    }
    return wanted, halves


def _vocabulary_exact(connection: Connection, tokens: tuple[str, ...]) -> dict[str, list[_Vocab]]:
    """As _vocabulary_near, without typos: the tokens spelt alike (same skeleton), and halves as they are."""
    wanted, halves = _wanted_and_halves(tokens)
    rows = connection.execute(
        _EXACT_TOKENS, {"skeletons": sorted({skeleton(t) for t in wanted}), "tokens": sorted(halves)}
    ).all()
    vocabulary = [_Vocab(*row) for row in rows]
    near = {token: [v for v in vocabulary if skeleton(v.token) == skeleton(token)] for token in wanted}
    for half in halves - wanted:
        near[half] = [v for v in vocabulary if v.token == half]
    return near


def _vocabulary_near(connection: Connection, tokens: tuple[str, ...]) -> dict[str, list[_Vocab]]:
    """For each query token, joined pair and split half: the vocabulary tokens it may be."""
    wanted, halves = _wanted_and_halves(tokens)
    keys = set().union(*(typo_keys(t) for t in wanted)) | halves
    rows = connection.execute(
        _NEAR_TOKENS, {"keys": sorted(keys), "skeletons": sorted({skeleton(t) for t in wanted})}
    ).all()
    vocabulary = [_Vocab(*row) for row in rows]
    near: dict[str, list[_Vocab]] = {}
    for token in wanted:
        near[token] = [v for v in vocabulary if token_verdict(token, v.token) is not None]
    for half in halves - wanted:
        near[half] = [v for v in vocabulary if v.token == half]
    return near


def _variants(
    tokens: tuple[str, ...], vocabulary: dict[str, list[_Vocab]]
) -> list[tuple[tuple[str, ...], frozenset[str]]]:
    """The query as typed, with neighbours joined, with a token split in two, and
    without a short legal form at either end ("PAO Sovcomflot", "Siemens AG").

    Each comes with the tokens that may be missing from the vocabulary: only
    long tokens as typed; joined and split ones must be found exactly. The
    scorer still holds a person to every query word: only an organisation's
    name may do without its legal form.
    """
    droppable = frozenset(t for t in tokens if typo_allowance(len(t)) >= 2)
    variants = [(tokens, droppable)]
    bare = without_legal_forms(tokens)
    if bare != tokens:
        variants.append((bare, droppable))
    for i in range(len(tokens) - 1):
        joined = tokens[:i] + (tokens[i] + tokens[i + 1],) + tokens[i + 2:]
        variants.append((joined, droppable - {tokens[i], tokens[i + 1]}))
    for i, token in enumerate(tokens):
        for cut in range(MIN_SPLIT_PART, len(token) - MIN_SPLIT_PART + 1):
            head, tail = token[:cut], token[cut:]
            if vocabulary.get(head) and vocabulary.get(tail):
                variants.append((tokens[:i] + (head, tail) + tokens[i + 1:], droppable - {token}))
    return variants


def _postings(connection: Connection, groups: list[list[_Vocab]], cap: int) -> list[Row]:
    """Targets holding a token of every group, found from the rarest group on, with their names.

    A self-join of the postings, one alias per group (at most three: the
    rarest three narrow enough), each probed by its primary key; the names
    come in the same round trip.
    """
    groups = sorted(groups, key=lambda group: sum(v.df for v in group))[:3]
    parameters: dict[str, object] = {f"g{i}": [v.token_id for v in group] for i, group in enumerate(groups)}
    parameters["cap"] = cap
    return connection.execute(_POSTINGS[len(groups)], parameters).all()


def _postings_statement(groups: int):  # type: ignore[no-untyped-def]
    """Built once per arity, so SQLAlchemy compiles it once."""
    aliases = [aliased(TargetToken, name=f"p{i}") for i in range(groups)]
    holders = select(aliases[0].target_id).where(in_list(aliases[0].token_id, "g0"))
    for i, alias in enumerate(aliases[1:], start=1):
        holders = holders.join(alias, alias.target_id == aliases[0].target_id).where(
            in_list(alias.token_id, f"g{i}")
        )
    found = holders.distinct().limit(bindparam("cap")).subquery("found")
    return (
        select(Target.id, Target.kind, Target.name, TargetName.name, TargetName.tokens, TargetName.origin)
        .join(found, found.c.target_id == Target.id)
        .join(TargetName, TargetName.target_id == Target.id)
    )


_POSTINGS = {arity: _postings_statement(arity) for arity in (1, 2, 3)}
# A union, not an OR: PostgreSQL answers an OR of the two by scanning every token.
_NEAR_TOKENS = union(
    select(NameToken.id, NameToken.token, NameToken.df).where(
        NameToken.id.in_(select(NameTokenKey.token_id).where(in_list(NameTokenKey.key, "keys", of_text=True)))
    ),
    select(NameToken.id, NameToken.token, NameToken.df).where(in_list(NameToken.skeleton, "skeletons", of_text=True)),
)
_EXACT_TOKENS = union(
    select(NameToken.id, NameToken.token, NameToken.df).where(
        in_list(NameToken.skeleton, "skeletons", of_text=True)
    ),
    select(NameToken.id, NameToken.token, NameToken.df).where(in_list(NameToken.token, "tokens", of_text=True)),
)
