"""The name index kept by ingest: token vocabulary, typo keys and postings.

Candidates are found in the database, not in memory, so that several bot
processes can share one PostgreSQL and none holds every name of the world.
The vocabulary holds each distinct token once, with its transliteration
skeleton, its one-letter deletions (for typos) and how many targets have it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import NameToken, NameTokenKey, Target, TargetName, TargetToken
from storage.names import full_names, name_tokens, skeleton

MIN_TYPO_KEY_LENGTH = 4
MAX_TOKEN = 100


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
    for start in range(0, len(rows), 500):
        statement = module.insert(model).values(rows[start: start + 500]).on_conflict_do_nothing()
        session.execute(statement)


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
    old = set(session.scalars(select(TargetToken.token_id).where(TargetToken.target_id == target.id)))
    names = list(session.scalars(select(TargetName.name).where(TargetName.target_id == target.id)))
    names = full_names(names, target.kind)
    new = set(ensure_tokens(session, index_tokens(names, target.kind)).values())
    gone, added = sorted(old - new), sorted(new - old)
    if gone:
        session.execute(
            delete(TargetToken).where(TargetToken.target_id == target.id, TargetToken.token_id.in_(gone))
        )
        session.execute(update(NameToken).where(NameToken.id.in_(gone)).values(df=NameToken.df - 1))
    if added:
        _insert_ignore(session, TargetToken, [{"token_id": i, "target_id": target.id} for i in added])
        session.execute(update(NameToken).where(NameToken.id.in_(added)).values(df=NameToken.df + 1))


def unindex_target(session: Session, target_id: int) -> None:
    """Drop a target's postings before the target itself goes."""
    old = sorted(session.scalars(select(TargetToken.token_id).where(TargetToken.target_id == target_id)))
    if old:
        session.execute(delete(TargetToken).where(TargetToken.target_id == target_id))
        session.execute(update(NameToken).where(NameToken.id.in_(old)).values(df=NameToken.df - 1))
