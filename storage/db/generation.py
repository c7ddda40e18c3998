"""The facts' generation: one number, bumped in every transaction that changes facts.

Any process that keeps answers compares it with the number its answers were
made at, so a change made by another process is never served stale.
"""

from __future__ import annotations

from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session

from storage.db.models import StoreState


def bump_generation(session: Session) -> None:
    """Mark the facts as changed (inside the writing transaction)."""
    updated = session.execute(update(StoreState).where(StoreState.id == 1).values(generation=StoreState.generation + 1))
    if not updated.rowcount:
        session.add(StoreState(id=1, generation=1))
        session.flush()


_GENERATION = select(StoreState.generation).where(StoreState.id == 1)


def current_generation(connection: Connection | Session) -> int:
    return connection.scalar(_GENERATION) or 0
