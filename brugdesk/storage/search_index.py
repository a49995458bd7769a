"""The client-name search index, kept in sync by explicit maintenance.

FTS5's ``remove_diacritics`` folds é → e, but letters without a Unicode
decomposition (ı, ł, ø, ß, đ, æ …) stay as they are, so ``yilmaz`` would not
find ``Yılmaz``. Names are therefore folded here in Python before they enter
``client_fts``, and queries are folded the same way. ORM events keep the
index in step with every insert, update and delete of a client.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import Connection, Engine, event, text

from brugdesk.storage.db import run_outside_transaction
from brugdesk.storage.models import Client

_SPECIAL = str.maketrans(
    {
        "ı": "i",
        "İ": "I",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "Th",
        "ħ": "h",
        "ŀ": "l",
    }
)


def fold(value: str) -> str:
    """Lower-case ASCII-ish form for matching: 'Şükrü Yılmaz' -> 'sukru yilmaz'."""
    decomposed = unicodedata.normalize("NFKD", value.translate(_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def index_client(conn: Connection, client_id: int, given: str, family: str) -> None:
    conn.execute(text("DELETE FROM client_fts WHERE rowid = :id"), {"id": client_id})
    conn.execute(
        text("INSERT INTO client_fts(rowid, name) VALUES (:id, :name)"),
        {"id": client_id, "name": fold(f"{given} {family}")},
    )


def unindex_client(conn: Connection, client_id: int) -> None:
    conn.execute(text("DELETE FROM client_fts WHERE rowid = :id"), {"id": client_id})


def rebuild_client_index(conn: Connection) -> None:
    conn.execute(text("DELETE FROM client_fts"))
    rows = conn.execute(text("SELECT id, given_name, family_name FROM client")).all()
    if rows:
        conn.execute(
            text("INSERT INTO client_fts(rowid, name) VALUES (:id, :name)"),
            [{"id": i, "name": fold(f"{g} {f}")} for i, g, f in rows],
        )


@event.listens_for(Client, "after_insert")
@event.listens_for(Client, "after_update")
def _client_written(_mapper: Any, conn: Connection, client: Client) -> None:
    index_client(conn, client.id, client.given_name, client.family_name)


@event.listens_for(Client, "after_delete")
def _client_deleted(_mapper: Any, conn: Connection, client: Client) -> None:
    unindex_client(conn, client.id)


def purge_deleted_terms(conn: Connection) -> None:
    """Rewrite the full-text indexes so no segment still holds a deleted row's words.

    FTS5 deletes by appending tombstones; the words themselves stay in the old
    segments until those are merged. ``optimize`` merges every segment into
    one, dropping deleted entries; with ``secure_delete`` the freed segment
    pages are zeroed. Run it in the transaction that deleted the rows.
    """
    for table in ("contact_fts", "client_fts"):
        conn.execute(text(f"INSERT INTO {table}({table}) VALUES ('optimize')"))


def scrub_free_space(engine: Engine) -> None:
    """Leave no old page image behind after an erasure (outside any transaction).

    ``VACUUM`` rebuilds the database file from live rows only (free pages and
    the unused space in pages are gone), and ``wal_checkpoint(TRUNCATE)``
    folds the -wal into the file and empties it, so no earlier page image
    of the erased rows survives there either.
    """
    secure = run_outside_transaction(engine, "PRAGMA secure_delete")
    if not secure or secure[0][0] != 1:
        raise RuntimeError("secure_delete must be on for every vault connection")
    run_outside_transaction(engine, "PRAGMA wal_checkpoint(TRUNCATE)")
    run_outside_transaction(engine, "VACUUM")
    run_outside_transaction(engine, "PRAGMA wal_checkpoint(TRUNCATE)")
