"""Which targets a name query may mean: candidates from the database index,
ranked in Python by the feature table of `matching`.

Every query token must be found in a name for the name to match at all, so
the candidates are the postings of the query's rarest token (with its typo
and transliteration neighbours); when even that is common, the postings of
all its tokens are intersected in SQL. Nothing scales with the store's size
but the postings of the tokens asked for.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import intersect, or_, select
from sqlalchemy.orm import Session

from storage.matching import MATCH_THRESHOLD, NameScore, score_names, token_verdict
from storage.models import NameToken, NameTokenKey, Target, TargetName, TargetToken
from storage.name_index import typo_keys
from storage.names import full_names, name_tokens, skeleton

# Candidates scored per query: enough for every holder of a full name, a
# sample of the holders of a common surname (which is ambiguous anyway).
CANDIDATE_CAP = 150
MIN_SPLIT_PART = 2


@dataclass(frozen=True)
class NameHit:
    target: Target
    names: list[str]
    score: NameScore


@dataclass(frozen=True)
class _Vocab:
    token_id: int
    token: str
    df: int


def search_names(session: Session, query: str, limit: int) -> list[NameHit]:
    """The best-scoring targets for a name query, best first, above the threshold."""
    candidate_ids = _candidates(session, query)
    if not candidate_ids:
        return []
    names: dict[int, list[str]] = defaultdict(list)
    for target_id, name in session.execute(
        select(TargetName.target_id, TargetName.name).where(TargetName.target_id.in_(candidate_ids)).distinct()
    ):
        names[target_id].append(name)
    hits = []
    for target in session.scalars(select(Target).where(Target.id.in_(candidate_ids))):
        all_names = full_names(list(dict.fromkeys([target.name, *sorted(names[target.id])])), target.kind)
        result = score_names(query, all_names, target.kind)
        if result.score >= MATCH_THRESHOLD:
            hits.append(NameHit(target, all_names, result))
    hits.sort(key=lambda hit: (-hit.score.score, hit.target.name, hit.target.id))
    return hits[:limit]


def _candidates(session: Session, query: str) -> list[int]:
    tokens = tuple(t for t in name_tokens(query) if len(t) > 1)  # initials narrow nothing
    if not tokens:
        return []
    vocabulary = _vocabulary_near(session, tokens)
    found: dict[int, None] = {}
    for variant in _variants(tokens, vocabulary):
        # A token too far from every indexed one (two typos) narrows nothing;
        # the scorer, which allows more, judges the candidates of the others.
        groups = [vocabulary[t] for t in variant if vocabulary[t]]
        if not groups:
            continue
        for target_id in _postings(session, groups):
            found.setdefault(target_id)
        if len(found) >= 2 * CANDIDATE_CAP:
            break
    return list(found)


def _vocabulary_near(session: Session, tokens: tuple[str, ...]) -> dict[str, list[_Vocab]]:
    """For each query token, joined pair and split half: the vocabulary tokens it may be."""
    wanted = set(tokens)
    wanted.update(a + b for a, b in zip(tokens, tokens[1:]))
    halves = {
        part
        for token in tokens
        for cut in range(MIN_SPLIT_PART, len(token) - MIN_SPLIT_PART + 1)
        for part in (token[:cut], token[cut:])
    }
    keys = set().union(*(typo_keys(t) for t in wanted)) | halves
    rows = session.execute(
        select(NameToken.id, NameToken.token, NameToken.df).where(
            or_(
                NameToken.id.in_(select(NameTokenKey.token_id).where(NameTokenKey.key.in_(sorted(keys)))),
                NameToken.skeleton.in_(sorted({skeleton(t) for t in wanted})),
            )
        )
    ).all()
    vocabulary = [_Vocab(*row) for row in rows]
    near: dict[str, list[_Vocab]] = {}
    for token in wanted:
        near[token] = [v for v in vocabulary if token_verdict(token, v.token) is not None]
    for half in halves - wanted:
        near[half] = [v for v in vocabulary if v.token == half]
    return near


def _variants(tokens: tuple[str, ...], vocabulary: dict[str, list[_Vocab]]) -> list[tuple[str, ...]]:
    """The query as typed, with neighbours joined, and with a token split in two."""
    variants = [tokens]
    for i in range(len(tokens) - 1):
        variants.append(tokens[:i] + (tokens[i] + tokens[i + 1],) + tokens[i + 2:])
    for i, token in enumerate(tokens):
        for cut in range(MIN_SPLIT_PART, len(token) - MIN_SPLIT_PART + 1):
            head, tail = token[:cut], token[cut:]
            if vocabulary.get(head) and vocabulary.get(tail):
                variants.append(tokens[:i] + (head, tail) + tokens[i + 1:])
    return variants


def _postings(session: Session, groups: list[list[_Vocab]]) -> list[int]:
    groups = sorted(groups, key=lambda group: sum(v.df for v in group))
    rarest = groups[0]
    if sum(v.df for v in rarest) <= CANDIDATE_CAP or len(groups) == 1:
        statement = select(TargetToken.target_id).where(TargetToken.token_id.in_([v.token_id for v in rarest]))
        return list(session.scalars(statement.distinct().limit(CANDIDATE_CAP)))
    selects = [
        select(TargetToken.target_id).where(TargetToken.token_id.in_([v.token_id for v in group]))
        for group in groups[:3]
    ]
    return list(session.scalars(intersect(*selects).limit(CANDIDATE_CAP)))
