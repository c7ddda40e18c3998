"""Writers of names take turns on PostgreSQL: ingests, and migrations that rewrite names.

Targets are found by their names, not by a unique key, so two ingests
storing articles about one new person at once would each create them, and
answers would show the person twice until a later article merged them. A
migration re-folding names must not interleave with an ingest either, and
processes that upgrade the store at once (gunicorn workers each open it)
must run a migration one after the other, the later ones finding it done.
Taking turns costs little and the lock is released with the transaction,
also when its process dies. SQLite has one writer anyway.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

# pg_advisory_xact_lock's two-key form: a key space apart from the outbox's one-key locks ("SD", writers
# of names), and the store's schema as the key: stores in two schemas of one database share no names.
WRITER_LOCK_SPACE = 0x5344
_TAKE = text("SELECT pg_advisory_xact_lock(:space, hashtext(current_schema()))")


def one_writer_at_a_time(connection: Connection | Session) -> None:
    """Wait for this store's writer lock, held until this transaction ends (PostgreSQL only)."""
    bind = connection.get_bind() if isinstance(connection, Session) else connection
    if bind.dialect.name == "postgresql":
        connection.execute(_TAKE, {"space": WRITER_LOCK_SPACE})
