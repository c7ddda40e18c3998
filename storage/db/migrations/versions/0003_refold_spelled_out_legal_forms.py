"""re-fold stored names: spelled-out legal forms as their abbreviations, no symbols

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 23:40:00

Names now fold a legal form written out at either end ("Public Joint Stock
Company Sberbank of Russia", "Gazprombank Joint-Stock Company") to its
abbreviation (PJSC, JSC), as "Limited", "Corporation" and "Incorporated" to
Ltd, Corp and Inc; and emoji and other symbols in a name are dropped where
they were spelt out ("Ivan Petrov 🇷🇺" held a token "ru"). Names stored
before keep the old tokens, so they neither merge with "PJSC Sberbank" nor
read as queries now fold. This calls refold_names
exactly as 0002 does (see its docstring for why a migration imports the
project's code); on a store older than 0002, 0002 does the work and this finds
nothing left.
"""

from alembic import op
from sqlalchemy.orm import Session

from storage.names.refold import refold_names

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # In the migration's transaction: the re-fold and the revision number are stored together or not at all.
    with Session(bind=op.get_bind()) as session:
        refold_names(session)
        session.flush()


def downgrade() -> None:
    # Nothing to undo: the schema is unchanged and the old folding is kept nowhere.
    pass
