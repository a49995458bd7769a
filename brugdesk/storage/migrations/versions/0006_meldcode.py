"""The meldcode step log: per client, the steps of the meldcode huiselijk geweld
en kindermishandeling the worker took.

Revision ID: 0006_meldcode
Revises: 0005_results

``meldcode_entry`` holds one row per step taken (a step may be taken more
than once): the step (1-5), the date, who was consulted, and the facts kept
apart from the interpretations (the meldcode asks for that distinction).
The rows go with their client (ON DELETE CASCADE). The text is never put in
the search index: there are no triggers on this table.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_meldcode"
down_revision = "0005_results"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meldcode_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("consulted", sa.Text(), nullable=False, server_default=""),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("interpretations", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name="fk_meldcode_entry_client_id_client",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_meldcode_entry"),
    )
    op.create_index("ix_meldcode_entry_client_id", "meldcode_entry", ["client_id"])


def downgrade() -> None:
    op.drop_index("ix_meldcode_entry_client_id", table_name="meldcode_entry")
    op.drop_table("meldcode_entry")
