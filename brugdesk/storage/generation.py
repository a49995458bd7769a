"""The vault's generation: how a database that went back in time is noticed.

The authenticated header and the database both carry a *generation*. Each
unlock writes generation N+1 into the database (``vault_meta``, inside the
encryption) and then into the header; locking checkpoints the WAL so
``caseload.db`` alone is complete. If the database's generation is lower than
the header's, it lost at least one whole unlock session: a ``-wal`` deleted
after a crash, an older ``-wal`` or an older ``caseload.db`` put back.
:class:`~brugdesk.errors.DatabaseOlder` says so, and only an explicit
``accept_older=True`` opens what is there (see :meth:`.Vault.unlock`).

What this cannot notice, honestly:

* losing only the last commits *within* the current session (a ``-wal``
  truncated or swapped for an earlier one of the same session): the
  generation is bumped once per session, not per commit, to keep every
  save free of an extra header write;
* an older database put back *together with* the older ``vault.json`` of the
  same moment (a consistent old pair looks exactly like a restored backup);
* a crash between the database write and the header write at unlock leaves
  the database one ahead of the header; that is accepted (nothing is lost).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from sqlalchemy import Engine, text

from brugdesk.errors import DatabaseOlder
from brugdesk.storage import keyheader as kh
from brugdesk.storage.atomic import atomic_write_bytes

log = logging.getLogger(__name__)


def stored_generation(value: object) -> int:
    """The generation stored in ``vault_meta`` (text or nothing) as a number."""
    try:
        return max(0, int(str(value))) if value is not None else 0
    except ValueError:
        return 0


def compare(
    stored_value: object, header_generation: int, *, accept_older: bool
) -> tuple[int, DatabaseOlder | None]:
    """The database's generation, and :class:`DatabaseOlder` if it is below the header's.

    That error is raised instead of returned unless *accept_older*.
    """
    db_generation = stored_generation(stored_value)
    if db_generation >= header_generation:
        return db_generation, None
    log.warning(
        "database generation %d is older than the header's %d", db_generation, header_generation
    )
    if not accept_older:
        raise DatabaseOlder()
    return db_generation, DatabaseOlder()


def advance_generation(
    engine: Engine, header_path: Path, header: kh.Header, db_key: bytes, generation: int
) -> kh.Header:
    """Start a new session: generation N+1 into the database, then into the header.

    In that order: a crash in between leaves the database ahead of the
    header, which is accepted; never the header ahead of a database that
    has it. Returns the header as written.
    """
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO vault_meta(key, value) VALUES ('generation', :g) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
            ),
            {"g": str(generation)},
        )
    header = kh.seal(replace(header, generation=generation, mac=b""), db_key)
    atomic_write_bytes(header_path, header.to_bytes())
    return header
