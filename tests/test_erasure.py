"""Erasure leaves no trace: after a client is deleted, no page holds a word of theirs.

The pages are decrypted with the raw key (tests/vault_pages.py), free pages and
the -wal included, so this sees what an attacker with the key would see.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import tarfile
from datetime import datetime
from pathlib import Path

from brugdesk.app.caseload import Caseload
from tests.conftest import PASSPHRASE
from tests.vault_pages import all_plaintext, database_plaintext

# Words that occur nowhere else, so any hit is the deleted client's.
GONE = ["Zwaantje", "Quirijnsma", "xylofoonschuld", "waterbedlekkage", "Grutterspad"]
KEPT = ["Berendina", "Botterweg", "kolibriehuur", "Schapendrift"]


def _variants(word: str) -> list[bytes]:
    # FTS5 stores words folded to lower case and may share a leading part with
    # the previous term on a page, so the tail of the word is searched as well.
    return [v.encode() for v in (word, word.lower(), word.lower()[-8:])]


def _found(plain: bytes, words: list[str]) -> list[str]:
    return [w for w in words if any(v in plain for v in _variants(w))]


def _two_clients(cl: Caseload) -> tuple[int, int]:
    gone = cl.clients.create(
        given_name="Zwaantje", family_name="Quirijnsma", address="Grutterspad 3"
    )
    for i in range(30):  # enough notes for several FTS segments
        cl.contacts.add(
            gone,
            occurred_at=datetime(2025, 1, 1 + i % 28, 10, 0),
            note=f"Gesprek {i}: zorgen over xylofoonschuld en waterbedlekkage.",
        )
    cl.actions.add(gone, description="Xylofoonschuld regelen met de bank")
    cl.contacts.save_draft(gone, note="half getypt over waterbedlekkage")
    kept = cl.clients.create(
        given_name="Berendina", family_name="Botterweg", address="Schapendrift 9"
    )
    cl.contacts.add(kept, occurred_at=datetime(2025, 2, 1, 10, 0), note="Over kolibriehuur.")
    return gone, kept


def test_deleted_client_leaves_no_word_in_any_page(vault_dir: Path) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    key = cl.vault.key_hex()
    gone, _kept = _two_clients(cl)
    before = all_plaintext(vault_dir, key)
    assert _found(before, GONE) == GONE  # the helper sees them while they exist

    cl.clients.delete(gone, reason="verzoek_client")
    # Right after the delete (still unlocked: a crash now must leak nothing either).
    now = all_plaintext(vault_dir, key)
    assert _found(now, GONE) == []
    assert _found(now, KEPT) == KEPT
    # The search still finds the other client (the indexes were merged, not dropped).
    assert [h.client_id for h in cl.search.clients("botterweg")] == [_kept]
    assert cl.search.clients("xylofoonschuld") == []

    cl.lock()
    locked = all_plaintext(vault_dir, key)
    assert _found(locked, GONE) == []
    assert _found(locked, KEPT) == KEPT


def test_backup_after_deletion_holds_no_word_of_the_client(vault_dir: Path, tmp_path: Path) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    try:
        key = cl.vault.key_hex()
        gone, _kept = _two_clients(cl)
        cl.clients.delete(gone, reason="verzoek_client")
        backup = cl.write_backup(tmp_path / "na-verwijderen.brugdesk")
    finally:
        cl.lock()
    with tarfile.open(backup) as tar:
        tar.extract("caseload.db", tmp_path / "uit", filter="data")
    plain = database_plaintext(tmp_path / "uit" / "caseload.db", key)
    assert _found(plain, GONE) == []
    assert _found(plain, KEPT) == KEPT


def test_secure_delete_is_on_for_every_connection(caseload: Caseload) -> None:
    with caseload.vault.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


_ERASE_THEN_DIE = r"""
import os, signal, sys
from datetime import date, datetime
from pathlib import Path
from brugdesk.app import retention
from brugdesk.app.caseload import Caseload
cl = Caseload.open(Path(sys.argv[1]), sys.argv[2])
cid = cl.clients.create(given_name="Zwaantje", family_name="Quirijnsma", address="Grutterspad 3")
for i in range(30):
    cl.contacts.add(cid, occurred_at=datetime(2020, 1, 1 + i % 28), note=f"xylofoonschuld {i}")
cl.clients.close(cid, reason="klaar", closed_on=date(2020, 1, 1))
retention.scrub = lambda engine: os.kill(os.getpid(), signal.SIGKILL)  # dies after the commit
retention.erase_expired(cl, [cid])
"""


def test_a_crash_between_erasure_and_scrub_leaves_no_word_once_unlocked(vault_dir: Path) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    key = cl.vault.key_hex()
    cl.lock()
    proc = subprocess.run(
        [sys.executable, "-c", _ERASE_THEN_DIE, str(vault_dir), PASSPHRASE],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    words = ["Zwaantje", "Quirijnsma", "xylofoonschuld", "Grutterspad"]
    assert _found(all_plaintext(vault_dir, key), words)  # the -wal still holds them
    cl = Caseload.open(vault_dir, PASSPHRASE)
    try:
        assert cl.clients.count() == 0  # the erasure was committed
        # Unlocked again, and not yet locked: nothing of the file in any page.
        assert _found(all_plaintext(vault_dir, key), words) == []
    finally:
        cl.lock()
