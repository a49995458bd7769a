"""Keys in memory: after lock, no live Python string holds the database key in hex.

Strings are not tracked by the garbage collector themselves, so every object
it does track (dicts, lists, tuples, closures, frames, tracebacks …) is
searched for a referenced str containing the key. What brugdesk cannot
promise (freed str memory, SQLCipher's own copies) is written down in the
docstring of brugdesk/storage/vault.py.
"""

from __future__ import annotations

import gc
from datetime import datetime
from pathlib import Path

import pytest
import sqlcipher3

from brugdesk.app.caseload import Caseload
from brugdesk.errors import BrugdeskError
from brugdesk.storage import db
from tests.conftest import PASSPHRASE


def _holders(needle: bytes) -> list[str]:
    gc.collect()
    found = []
    for obj in gc.get_objects():
        for ref in gc.get_referents(obj):
            if type(ref) is str and len(ref) >= 64 and needle in ref.encode("utf-8", "ignore"):
                found.append(type(obj).__name__)
    return found


def test_the_search_sees_a_reachable_key_string() -> None:
    needle = b"0123456789abcdef" * 4
    kept = [needle.decode()]
    assert _holders(needle) == ["list"]
    del kept


def test_no_string_holds_the_hex_key_after_lock(
    vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    # Kept as bytes: a str needle would itself be a string holding the key.
    needle = cl.vault.key_hex().encode("ascii")
    cid = cl.clients.create(given_name="Jan", family_name="Jansen")
    cl.contacts.add(cid, occurred_at=datetime(2025, 1, 2, 10, 0), note="Eerste gesprek")
    cl.write_backup(tmp_path / "kopie.brugdesk")  # a backup opens its own keyed connection
    cl.change_passphrase(PASSPHRASE, "een heel ander wachtwoord van de week")
    needle_after_rotation = cl.vault.key_hex().encode("ascii")

    # A new connection fails after keying (failure injection); the error is kept,
    # as an error dialog or a log record would keep it, with its traceback.
    def broken(_conn: object) -> None:
        raise sqlcipher3.dbapi2.DatabaseError("file is not a database")

    monkeypatch.setattr(db, "_apply_pragmas", broken)
    cl.vault.engine.dispose()
    kept: list[BaseException] = []
    try:
        cl.clients.get(cid)
    except BrugdeskError as exc:
        kept.append(exc)
    assert kept, "the injected failure must surface"
    monkeypatch.undo()

    cl.lock()
    assert _holders(needle) == []
    assert _holders(needle_after_rotation) == []
    assert kept[0].__traceback__ is not None or kept[0].__cause__ is not None
