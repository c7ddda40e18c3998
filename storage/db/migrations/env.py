"""Alembic environment: the engine comes from the caller (storage.db.migrate)."""

from alembic import context

from storage.db.models import Base
from storage.db.writer_lock import one_writer_at_a_time

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    # Processes opening the store at once (gunicorn workers) each upgrade it:
    # they take turns, and a later one reads the revision the first wrote and
    # finds nothing to do. Ingests wait too, so none interleaves with a migration.
    one_writer_at_a_time(connection)
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
