"""The re-measure count at unlock reads an index, not the whole assessment table.

Revision ID: 0007_remeasure_index
Revises: 0006_meldcode

Vandaag counts, per open client and instrument (WHO-5, DJG-6), the clients with
exactly one measurement; grouped over (instrument, client) this index gives the
groups in order, with the date, without a sort or a table scan.
"""

from alembic import op

revision = "0007_remeasure_index"
down_revision = "0006_meldcode"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_assessment_instrument_client",
        "assessment",
        ["instrument_id", "client_id", "held_on"],
    )


def downgrade() -> None:
    op.drop_index("ix_assessment_instrument_client", table_name="assessment")
