"""Search finds what the worker wrote, folded like names (ı ł ß ø æ œ …).

Revision ID: 0004_search_fields
Revises: 0003

``contact_fts`` (revision 0002) indexed notes as typed, so ``lukasz`` did
not find ``Łukasz`` in a note: FTS5 only removes diacritics, and ł has
none. It is replaced by ``text_fts``, which holds every searchable text
(hulpvraag, address and city, contact notes, plan actions, a conversation's
notes and wishes) folded in Python by ``storage.search_index.fold``, kept in
step by ORM events in the writing transaction. The upgrade fills it once
from the rows already in the vault.
"""

from alembic import op

revision = "0004_search_fields"
down_revision = "0003"
branch_labels = None
depends_on = None

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'"

UPGRADE = [
    "DROP TRIGGER contact_fts_au",
    "DROP TRIGGER contact_fts_ad",
    "DROP TRIGGER contact_fts_ai",
    "DROP TABLE contact_fts",
    # body: the folded text that is matched; original: as typed, for the snippet.
    f"CREATE VIRTUAL TABLE text_fts USING fts5("
    f"body, original UNINDEXED, client_id UNINDEXED, {TOKENIZE})",
]

DOWNGRADE = [
    "DROP TABLE text_fts",
    f"CREATE VIRTUAL TABLE contact_fts USING fts5("
    f"note, content = 'contact', content_rowid = 'id', {TOKENIZE})",
    "CREATE TRIGGER contact_fts_ai AFTER INSERT ON contact BEGIN "
    "INSERT INTO contact_fts(rowid, note) VALUES (new.id, new.note); END",
    "CREATE TRIGGER contact_fts_ad AFTER DELETE ON contact BEGIN "
    "INSERT INTO contact_fts(contact_fts, rowid, note) VALUES ('delete', old.id, old.note); END",
    "CREATE TRIGGER contact_fts_au AFTER UPDATE OF note ON contact BEGIN "
    "INSERT INTO contact_fts(contact_fts, rowid, note) VALUES ('delete', old.id, old.note); "
    "INSERT INTO contact_fts(rowid, note) VALUES (new.id, new.note); END",
    "INSERT INTO contact_fts(contact_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)
    # Index what was written before this revision, with today's fold().
    from brugdesk.storage.search_index import rebuild_text_index

    rebuild_text_index(op.get_bind())


def downgrade() -> None:
    for statement in DOWNGRADE:
        op.execute(statement)
