"""Row versions on the records a worker edits in a form (no lost update).

Revision ID: 0003
Revises: 0002

Each of client, contact, action, partner and referral gets a ``version``
integer that SQLAlchemy's ``version_id_col`` raises on every update. A
window that loaded version 3 and saves while the row is at version 4 is
told so (``StaleRecord``) instead of overwriting the other change. Rows
written before this revision start at version 1.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("client", "contact", "action", "partner", "referral")


def upgrade() -> None:
    # SQLite's ADD COLUMN with a constant default fills existing rows at once
    # (no table copy, so the FTS triggers on contact stay untouched).
    for table in TABLES:
        op.add_column(
            table,
            sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        )


def downgrade() -> None:
    # Native DROP COLUMN (SQLite >= 3.35): a batch copy would drop the
    # contact_fts triggers that revision 0002 owns.
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN version")
