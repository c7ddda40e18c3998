"""re-fold stored names with the current name folding

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 21:00:00

Names stored by an earlier release keep that release's folding (titles such
as "Senior General", legal forms, possessives), so new articles did not merge
with them and the name index disagreed with how queries fold now. This
rewrites every name whose folding changed, and the postings and token counts
of its target, to what a fresh ingest of the same names gives; see
storage/names/refold.py, which also says what happens when two targets come to share
a merge key (both kept, one warning line per pair).

Unlike a schema step, this imports the project's code (storage.names.refold, and
through it storage.names.folding, storage.names.stored and storage.names.index) on
purpose: stored folding must equal the folding of the code that answers
queries, which is the code running the upgrade, not a copy frozen here that
would drift from it. It is safe to rerun and touches only names whose folding
differs, so a later release that changes folding again adds a migration that
calls refold_names once more; on a store older than both, this one then does
the work and the later one finds nothing left. It reads and writes only
columns of revision 0001 and name_index's tables, and
tests/db/test_migrations.py runs it on a store built at revision 0001, so a later
schema change that breaks it fails there rather than on a newsroom's store.
"""

from alembic import op
from sqlalchemy.orm import Session

from storage.names.refold import refold_names

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The session joins the migration's transaction: nothing is committed here,
    # so the re-fold and the new revision number are stored together or not at all.
    with Session(bind=op.get_bind()) as session:
        refold_names(session)
        session.flush()


def downgrade() -> None:
    # Nothing to undo: the schema is unchanged, and the old folding is kept
    # nowhere to go back to. Names stay folded the current way, which is what
    # any article ingested at revision 0001 by this code would store anyway.
    pass
