"""The search indexes (client names, and what the worker wrote), kept in sync explicitly.

FTS5's ``remove_diacritics`` folds é → e, but letters without a Unicode
decomposition (ı, ł, ø, ß, đ, æ …) stay as they are, so ``yilmaz`` would not
find ``Yılmaz``. Names are therefore folded here in Python before they enter
``client_fts``, and queries are folded the same way. ORM events keep the
index in step with every insert, update and delete of a client.

Everything else a worker writes that search finds (the hulpvraag, the
address and city, contact notes, plan actions, a conversation's notes and
wishes) is folded with the same :func:`fold` into ``text_fts`` (revision
0004_search_fields): ``body`` is the folded text that is matched,
``original`` what was typed (for the snippet), ``client_id`` whose it is.
The rowid encodes where the text comes from: ``source_id * STRIDE + code``,
so one text is replaced or removed by its rowid, in the writing transaction.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import Connection, Engine, event, text

from brugdesk.storage.db import run_outside_transaction
from brugdesk.storage.models import Action, Assessment, AssessmentItem, Client, Contact

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


def rebuild_search_index(conn: Connection) -> None:
    """Rebuild every search index (names and texts) from the rows, e.g. after a bulk insert."""
    rebuild_client_index(conn)
    rebuild_text_index(conn)


# --- what the worker wrote (text_fts) ------------------------------------------------------

#: Where an indexed text comes from (the hit's label) and its code in the rowid.
SOURCES = {"hulpvraag": 1, "adres": 2, "notitie": 3, "actie": 4, "gesprek": 5}
SOURCE_OF_CODE = {code: name for name, code in SOURCES.items()}
STRIDE = 8


def text_rowid(source: str, source_id: int) -> int:
    return source_id * STRIDE + SOURCES[source]


def source_of_rowid(rowid: int) -> tuple[str, int]:
    """(source, source id) of a ``text_fts`` rowid."""
    return SOURCE_OF_CODE[rowid % STRIDE], rowid // STRIDE


def index_text(conn: Connection, source: str, source_id: int, client_id: int, value: str) -> None:
    """Put *value* (as typed) in the index in place of what *source_id* had; blank removes it."""
    rowid = text_rowid(source, source_id)
    conn.execute(text("DELETE FROM text_fts WHERE rowid = :r"), {"r": rowid})
    if value.strip():
        conn.execute(
            text(
                "INSERT INTO text_fts(rowid, body, original, client_id) "
                "VALUES (:r, :body, :original, :client)"
            ),
            {"r": rowid, "body": fold(value), "original": value, "client": client_id},
        )


def address_text(address: str, postal_code: str, city: str) -> str:
    return ", ".join(x for x in (address, " ".join(filter(None, (postal_code, city)))) if x)


def conversation_text(conn: Connection, assessment_id: int) -> tuple[int, str] | None:
    """(client id, the conversation's note, wishes and notes) or None when it is gone."""
    row = conn.execute(
        text("SELECT client_id, note FROM assessment WHERE id = :id"), {"id": assessment_id}
    ).first()
    if row is None:
        return None
    items = conn.execute(
        text("SELECT wish, note FROM assessment_item WHERE assessment_id = :id ORDER BY id"),
        {"id": assessment_id},
    ).all()
    parts = [row[1] or ""] + [x for wish, note in items for x in (wish or "", note or "")]
    return row[0], "\n".join(p for p in parts if p.strip())


def _index_client_texts(conn: Connection, client: Any) -> None:
    index_text(conn, "hulpvraag", client.id, client.id, client.reason or "")
    address = address_text(client.address or "", client.postal_code or "", client.city or "")
    index_text(conn, "adres", client.id, client.id, address)


def _reindex_conversation(conn: Connection, assessment_id: int) -> None:
    found = conversation_text(conn, assessment_id)
    if found is None:
        conn.execute(
            text("DELETE FROM text_fts WHERE rowid = :r"),
            {"r": text_rowid("gesprek", assessment_id)},
        )
    else:
        index_text(conn, "gesprek", assessment_id, *found)


def rebuild_text_index(conn: Connection) -> None:
    conn.execute(text("DELETE FROM text_fts"))
    clients = conn.execute(text("SELECT id, reason, address, postal_code, city FROM client"))
    for row in clients.all():
        _index_client_texts(conn, row)
    for cid, client_id, note in conn.execute(text("SELECT id, client_id, note FROM contact")).all():
        index_text(conn, "notitie", cid, client_id, note or "")
    actions = conn.execute(text("SELECT id, client_id, description FROM action")).all()
    for aid, client_id, description in actions:
        index_text(conn, "actie", aid, client_id, description or "")
    for (aid,) in conn.execute(text("SELECT id FROM assessment")).all():
        _reindex_conversation(conn, aid)


@event.listens_for(Client, "after_insert")
@event.listens_for(Client, "after_update")
def _client_written(_mapper: Any, conn: Connection, client: Client) -> None:
    index_client(conn, client.id, client.given_name, client.family_name)
    _index_client_texts(conn, client)


@event.listens_for(Client, "after_delete")
def _client_deleted(_mapper: Any, conn: Connection, client: Client) -> None:
    unindex_client(conn, client.id)
    # Its contacts, actions and conversations go by the database's cascade,
    # which no ORM event sees: drop every text of this client here.
    conn.execute(text("DELETE FROM text_fts WHERE client_id = :id"), {"id": client.id})


@event.listens_for(Contact, "after_insert")
@event.listens_for(Contact, "after_update")
def _contact_written(_mapper: Any, conn: Connection, contact: Contact) -> None:
    index_text(conn, "notitie", contact.id, contact.client_id, contact.note or "")


@event.listens_for(Action, "after_insert")
@event.listens_for(Action, "after_update")
def _action_written(_mapper: Any, conn: Connection, action: Action) -> None:
    index_text(conn, "actie", action.id, action.client_id, action.description or "")


@event.listens_for(Contact, "after_delete")
@event.listens_for(Action, "after_delete")
@event.listens_for(Assessment, "after_delete")
def _text_deleted(_mapper: Any, conn: Connection, row: Any) -> None:
    source = {Contact: "notitie", Action: "actie", Assessment: "gesprek"}[type(row)]
    conn.execute(text("DELETE FROM text_fts WHERE rowid = :r"), {"r": text_rowid(source, row.id)})


@event.listens_for(Assessment, "after_insert")
@event.listens_for(Assessment, "after_update")
def _assessment_written(_mapper: Any, conn: Connection, assessment: Assessment) -> None:
    _reindex_conversation(conn, assessment.id)


@event.listens_for(AssessmentItem, "after_insert")
@event.listens_for(AssessmentItem, "after_update")
@event.listens_for(AssessmentItem, "after_delete")
def _item_written(_mapper: Any, conn: Connection, item: AssessmentItem) -> None:
    _reindex_conversation(conn, item.assessment_id)


def purge_deleted_terms(conn: Connection) -> None:
    """Rewrite the full-text indexes so no segment still holds a deleted row's words.

    FTS5 deletes by appending tombstones; the words themselves stay in the old
    segments until those are merged. ``optimize`` merges every segment into
    one, dropping deleted entries; with ``secure_delete`` the freed segment
    pages are zeroed. Run it in the transaction that deleted the rows.
    """
    for table in ("text_fts", "client_fts"):
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
