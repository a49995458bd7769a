"""The few structured facts the results report needs, captured once.

Revision ID: 0005_results
Revises: 0004_search_fields

- ``referrer``: a small list like the sociale kaart (GP practices with their
  secure channel and AGB code; POH, wijkteam, the client self, other).
  A client points to one entry (``client.referrer_id``) and has a referral
  date (``client.referred_on``).
- ``client.themes``: the help-question themes (several codes).
- ``client.closure_code``: the closure reason from a list; the free text in
  ``closure_reason`` stays (it holds "anders" and every older closure).
- ``client.gp_before`` / ``gp_after`` / ``gp_after_months`` /
  ``gp_source``: GP consultations in the 12 months before the referral and
  in a period after, as reported by the practice or the client.
- ``contact.travel_minutes`` / ``travel_km``: home-visit travel.

The free-text referrers (``client.referrer_kind`` + ``referrer_name``) move
into the list: one entry per distinct name and kind (names compared without
case and surrounding spaces), one "Cliënt zelf" entry for self-referrals and
one "Andere verwijzer" for the other kind without a name. A GP referral
without a practice name stays without a referrer: the old form only
defaulted to "huisarts", so nothing more is known. Then the two old columns
are dropped (native DROP COLUMN: a batch copy of ``client`` would cascade
deletes into every table that points to it).
"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0005_results"
down_revision = "0004_search_fields"
branch_labels = None
depends_on = None

#: The kind-only entries the upgrade creates, by old kind.
NAMELESS = {"zelf": ("Cliënt zelf", "zelf"), "persoon": ("Andere verwijzer", "anders")}
#: Old kinds to new kinds.
KIND = {"huisarts": "huisarts", "persoon": "anders", "zelf": "zelf"}


def upgrade() -> None:
    op.create_table(
        "referrer",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False, server_default="huisarts"),
        sa.Column("address", sa.Text(), nullable=False, server_default=""),
        sa.Column("channel", sa.String(40), nullable=False, server_default=""),
        sa.Column("agb_code", sa.String(8), nullable=False, server_default=""),
        sa.Column("phone", sa.String(40), nullable=False, server_default=""),
        sa.Column("notes", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.PrimaryKeyConstraint("id", name="pk_referrer"),
    )
    statements = [
        # No REFERENCES clause: SQLite cannot drop such a column again (downgrade);
        # the referrer service clears it when an entry is deleted.
        "ALTER TABLE client ADD COLUMN referrer_id INTEGER",
        "ALTER TABLE client ADD COLUMN referred_on DATE",
        "ALTER TABLE client ADD COLUMN themes JSON NOT NULL DEFAULT '[]'",
        "ALTER TABLE client ADD COLUMN closure_code VARCHAR(40) NOT NULL DEFAULT ''",
        "ALTER TABLE client ADD COLUMN gp_before INTEGER",
        "ALTER TABLE client ADD COLUMN gp_after INTEGER",
        "ALTER TABLE client ADD COLUMN gp_after_months INTEGER",
        "ALTER TABLE client ADD COLUMN gp_source VARCHAR(20) NOT NULL DEFAULT ''",
        "ALTER TABLE contact ADD COLUMN travel_minutes INTEGER",
        "ALTER TABLE contact ADD COLUMN travel_km FLOAT",
        "CREATE INDEX ix_client_referrer_id ON client (referrer_id)",
    ]
    for statement in statements:
        op.execute(statement)
    _move_referrers(op.get_bind())
    op.execute("ALTER TABLE client DROP COLUMN referrer_kind")
    op.execute("ALTER TABLE client DROP COLUMN referrer_name")


def _move_referrers(conn: sa.Connection) -> None:
    now = datetime.now().replace(microsecond=0)
    made: dict[tuple[str, str], int] = {}

    def entry(name: str, kind: str) -> int:
        key = (name.casefold(), kind)
        if key not in made:
            result = conn.execute(
                sa.text("INSERT INTO referrer (name, kind, created_at) VALUES (:n, :k, :t)"),
                {"n": name, "k": kind, "t": now},
            )
            made[key] = int(result.lastrowid or 0)
        return made[key]

    rows = conn.execute(
        sa.text("SELECT id, referrer_kind, referrer_name FROM client ORDER BY id")
    ).all()
    for client_id, old_kind, old_name in rows:
        name = " ".join((old_name or "").split())
        if name:
            referrer = entry(name, KIND.get(old_kind, "anders"))
        elif old_kind in NAMELESS:
            referrer = entry(*NAMELESS[old_kind])
        else:
            continue
        conn.execute(
            sa.text("UPDATE client SET referrer_id = :r WHERE id = :c"),
            {"r": referrer, "c": client_id},
        )


def downgrade() -> None:
    op.execute(
        "ALTER TABLE client ADD COLUMN referrer_kind VARCHAR(20) NOT NULL DEFAULT 'huisarts'"
    )
    op.execute("ALTER TABLE client ADD COLUMN referrer_name TEXT NOT NULL DEFAULT ''")
    back = {"huisarts": "huisarts", "zelf": "zelf"}
    conn = op.get_bind()
    for referrer_id, name, kind in conn.execute(
        sa.text("SELECT id, name, kind FROM referrer")
    ).all():
        old_kind = back.get(kind, "persoon")
        old_name = "" if (name, kind) in NAMELESS.values() else name
        conn.execute(
            sa.text(
                "UPDATE client SET referrer_kind = :k, referrer_name = :n WHERE referrer_id = :r"
            ),
            {"k": old_kind, "n": old_name, "r": referrer_id},
        )
    op.execute("DROP INDEX ix_client_referrer_id")
    for table, column in (
        ("contact", "travel_km"),
        ("contact", "travel_minutes"),
        ("client", "gp_source"),
        ("client", "gp_after_months"),
        ("client", "gp_after"),
        ("client", "gp_before"),
        ("client", "closure_code"),
        ("client", "themes"),
        ("client", "referred_on"),
        ("client", "referrer_id"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.drop_table("referrer")
