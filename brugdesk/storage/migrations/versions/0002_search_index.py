"""Full-text search over contact notes and client names (FTS5, diacritics folded).

Revision ID: 0002
Revises: 0001

External-content FTS5 tables: the index lives inside the encrypted database
and is kept in sync by triggers. ``remove_diacritics 2`` folds é to e, so
``cafe`` finds ``café``; ``prefix`` indexes make prefix queries fast.
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'"

UPGRADE = [
    f"CREATE VIRTUAL TABLE contact_fts USING fts5("
    f"note, content = 'contact', content_rowid = 'id', {TOKENIZE})",
    "CREATE TRIGGER contact_fts_ai AFTER INSERT ON contact BEGIN "
    "INSERT INTO contact_fts(rowid, note) VALUES (new.id, new.note); END",
    "CREATE TRIGGER contact_fts_ad AFTER DELETE ON contact BEGIN "
    "INSERT INTO contact_fts(contact_fts, rowid, note) VALUES ('delete', old.id, old.note); END",
    "CREATE TRIGGER contact_fts_au AFTER UPDATE OF note ON contact BEGIN "
    "INSERT INTO contact_fts(contact_fts, rowid, note) VALUES ('delete', old.id, old.note); "
    "INSERT INTO contact_fts(rowid, note) VALUES (new.id, new.note); END",
    # Client names are folded in Python (see storage/search_index.py), so this
    # index is maintained explicitly rather than by triggers.
    f"CREATE VIRTUAL TABLE client_fts USING fts5(name, {TOKENIZE})",
    # Index what was written before this revision existed.
    "INSERT INTO contact_fts(contact_fts) VALUES ('rebuild')",
]

DOWNGRADE = [
    "DROP TABLE client_fts",
    "DROP TRIGGER contact_fts_au",
    "DROP TRIGGER contact_fts_ad",
    "DROP TRIGGER contact_fts_ai",
    "DROP TABLE contact_fts",
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)
    # Backfill names with today's fold(); a later change to fold() must come
    # with its own revision that rebuilds the index.
    from brugdesk.storage.search_index import rebuild_client_index

    rebuild_client_index(op.get_bind())


def downgrade() -> None:
    for statement in DOWNGRADE:
        op.execute(statement)
