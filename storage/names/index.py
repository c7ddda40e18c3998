"""The name index kept by ingest: token vocabulary, typo keys and postings.

Candidates are found in the database, not in memory, so that several bot
processes can share one PostgreSQL and none holds every name of the world.
The vocabulary holds each distinct token once, with its transliteration
skeleton, its one-letter deletions (for typos) and how many targets have it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.db.models import NameToken, NameTokenKey, Target, TargetName, TargetToken
from storage.names.folding import full_names, name_tokens, skeleton

MIN_TYPO_KEY_LENGTH = 4
MAX_TOKEN = 100
_CHUNK = 500  # ids or tokens per IN list, under SQLite's 999 bound parameters of older builds


def typo_keys(token: str) -> set[str]:
    """The token and its one-letter deletions: two tokens one edit apart share one."""
    keys = {token}
    if len(token) >= MIN_TYPO_KEY_LENGTH:
        keys.update(token[:i] + token[i + 1:] for i in range(len(token)))
    return keys


def index_tokens(names: Iterable[str], kind: str) -> set[str]:
    """The distinct tokens of a target's names (titles kept for organisations)."""
    tokens: set[str] = set()
    for name in names:
        tokens.update(name_tokens(name, keep_titles=kind == "organization"))
    return {t[:MAX_TOKEN] for t in tokens if t}


def vocabulary_rows(tokens: Iterable[str]) -> list[dict]:
    return [{"token": t, "skeleton": skeleton(t)[:MAX_TOKEN], "df": 0} for t in sorted(tokens)]


def key_rows(token_ids: dict[str, int]) -> list[dict]:
    return [
        {"key": key[:MAX_TOKEN], "token_id": token_id}
        for token, token_id in sorted(token_ids.items())
        for key in sorted(typo_keys(token))
    ]


def _insert_ignore(session: Session, model: type, rows: list[dict]) -> None:
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    # One statement with many parameter sets: compiled once, however many rows come.
    session.execute(module.insert(model).on_conflict_do_nothing(), rows)


def ensure_tokens(session: Session, tokens: set[str]) -> dict[str, int]:
    """Ids of the tokens, adding new ones (and their typo keys) to the vocabulary."""
    if not tokens:
        return {}
    ordered = sorted(tokens)
    known = dict(session.execute(select(NameToken.token, NameToken.id).where(NameToken.token.in_(ordered))).all())
    missing = [t for t in ordered if t not in known]
    if missing:
        _insert_ignore(session, NameToken, vocabulary_rows(missing))
        added = dict(
            session.execute(select(NameToken.token, NameToken.id).where(NameToken.token.in_(missing))).all()
        )
        _insert_ignore(session, NameTokenKey, key_rows(added))
        known.update(added)
    return known


def reindex_target(session: Session, target: Target) -> None:
    """Rebuild a target's postings from all its names, keeping counts right."""
    reindex_targets(session, [target])


def reindex_targets(session: Session, targets: Sequence[Target]) -> None:
    """Rebuild the targets' postings from all their names, keeping counts right.

    A few statements for any number of targets, so that rewriting many at
    once (storage.names.refold) costs what rewriting one does, not that times each.
    """
    kinds = {target.id: target.kind for target in targets}
    if not kinds:
        return
    ids = sorted(kinds)
    old: dict[int, set[int]] = defaultdict(set)
    names: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start: start + _CHUNK]
        for target_id, token_id in session.execute(
            select(TargetToken.target_id, TargetToken.token_id).where(TargetToken.target_id.in_(chunk))
        ):
            old[target_id].add(token_id)
        for target_id, name in session.execute(
            select(TargetName.target_id, TargetName.name).where(TargetName.target_id.in_(chunk))
        ):
            names[target_id].append(name)
    wanted = {target_id: index_tokens(full_names(names[target_id], kind), kind) for target_id, kind in kinds.items()}
    every = sorted(set().union(*wanted.values()))
    token_ids: dict[str, int] = {}
    for start in range(0, len(every), _CHUNK):
        token_ids.update(ensure_tokens(session, set(every[start: start + _CHUNK])))
    gone: list[dict] = []
    added: list[dict] = []
    for target_id in ids:
        new = {token_ids[token] for token in wanted[target_id] if token in token_ids}
        gone.extend({"target": target_id, "token": i} for i in sorted(old[target_id] - new))
        added.extend({"target_id": target_id, "token_id": i} for i in sorted(new - old[target_id]))
    if gone:
        table = TargetToken.__table__
        session.execute(
            delete(table).where(table.c.target_id == bindparam("target"), table.c.token_id == bindparam("token")),
            gone,
        )
        _count(session, [row["token"] for row in gone], -1)
    if added:
        _insert_ignore(session, TargetToken, added)
        _count(session, [row["token_id"] for row in added], +1)


def _count(session: Session, token_ids: list[int], step: int) -> None:
    """Add `step` to each token's df once per time it is listed."""
    by_change: dict[int, list[int]] = defaultdict(list)
    for token_id, times in Counter(token_ids).items():
        by_change[times * step].append(token_id)
    for change, changed in sorted(by_change.items()):
        changed.sort()
        for start in range(0, len(changed), _CHUNK):
            session.execute(
                update(NameToken)
                .where(NameToken.id.in_(changed[start: start + _CHUNK]))
                .values(df=NameToken.df + change)
            )


def unindex_target(session: Session, target_id: int) -> None:
    """Drop a target's postings before the target itself goes."""
    old = sorted(session.scalars(select(TargetToken.token_id).where(TargetToken.target_id == target_id)))
    if old:
        session.execute(delete(TargetToken).where(TargetToken.target_id == target_id))
        session.execute(update(NameToken).where(NameToken.id.in_(old)).values(df=NameToken.df - 1))
