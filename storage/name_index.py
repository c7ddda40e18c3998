"""The name index kept by ingest: token vocabulary, typo keys and postings.

Candidates are found in the database, not in memory, so that several bot
processes can share one PostgreSQL and none holds every name of the world.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import NameToken, NameTokenKey, Target, TargetName, TargetToken
from storage.names import name_tokens

MIN_TYPO_KEY_LENGTH = 4


def typo_keys(token: str) -> set[str]:
    """The token and its one-letter deletions: two tokens one edit apart share one."""
    keys = {token}
    if len(token) >= MIN_TYPO_KEY_LENGTH:
        keys.update(token[:i] + token[i + 1:] for i in range(len(token)))
    return keys


def index_tokens(names: Iterable[str], kind: str) -> set[str]:
    """Tokens to index for a target's names, adjacent pairs joined for spacing."""
    tokens: set[str] = set()
    for name in names:
        parts = name_tokens(name, keep_titles=kind == "organization")
        tokens.update(parts)
        tokens.update(a + b for a, b in zip(parts, parts[1:]))
    return {t[:100] for t in tokens if t}


def _insert_ignore(session: Session, model: type, rows: list[dict]) -> None:
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(model).values(rows).on_conflict_do_nothing()
    session.execute(statement)


def ensure_tokens(session: Session, tokens: set[str]) -> dict[str, int]:
    """Ids of the tokens, adding new ones (and their typo keys) to the vocabulary."""
    if not tokens:
        return {}
    ordered = sorted(tokens)
    _insert_ignore(session, NameToken, [{"token": t} for t in ordered])
    ids = dict(
        session.execute(select(NameToken.token, NameToken.id).where(NameToken.token.in_(ordered))).all()
    )
    keys = [{"key": key[:100], "token_id": ids[t]} for t in ordered for key in sorted(typo_keys(t))]
    for start in range(0, len(keys), 500):
        _insert_ignore(session, NameTokenKey, keys[start: start + 500])
    return ids


def reindex_target(session: Session, target: Target) -> None:
    """Rebuild a target's postings from all its names."""
    session.execute(delete(TargetToken).where(TargetToken.target_id == target.id))
    names = session.scalars(select(TargetName.name).where(TargetName.target_id == target.id)).all()
    ids = ensure_tokens(session, index_tokens(names, target.kind))
    _insert_ignore(
        session, TargetToken, [{"token_id": i, "target_id": target.id} for i in sorted(ids.values())]
    )
