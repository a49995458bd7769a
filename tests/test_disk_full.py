"""Full disks: a clear Dutch message, and nothing that was saved is lost."""

from __future__ import annotations

import errno
import os
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import event

from brugdesk.app.caseload import Caseload
from brugdesk.errors import DiskFull
from brugdesk.storage.vault import Vault
from tests.conftest import PASSPHRASE


def test_header_write_on_full_disk_keeps_old_header(
    vault_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = Vault(vault_dir)
    vault.unlock(PASSPHRASE)  # writes the session's generation into the header
    before = (vault_dir / "vault.json").read_bytes()

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DiskFull) as info:
        vault.change_passphrase(PASSPHRASE, "een nieuw en lang wachtwoord")
    monkeypatch.undo()
    vault.lock()
    assert "schijf is vol" in info.value.message
    assert (vault_dir / "vault.json").read_bytes() == before
    assert not [p for p in vault_dir.iterdir() if p.name.endswith(".tmp")]
    Vault(vault_dir).unlock(PASSPHRASE)  # the old passphrase still opens it


def test_database_full_is_reported_and_earlier_notes_survive(vault_dir: Path) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    cid = cl.clients.create(given_name="Vol", family_name="Schijf")
    kept = cl.contacts.add(cid, occurred_at=datetime.now(), note="bewaard")
    cl.vault.engine.dispose()

    @event.listens_for(cl.vault.engine, "connect")
    def _limit(dbapi_conn, _record) -> None:
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 5}")

    with pytest.raises(DiskFull):
        cl.contacts.add(cid, occurred_at=datetime.now(), note="x" * 2_000_000)
    assert [c.id for c in cl.contacts.fetch(cid)] == [kept]
    cl.lock()


def test_unwritable_targets_get_a_message_naming_the_folder(tmp_path: Path) -> None:
    from brugdesk.errors import VaultError
    from brugdesk.storage.atomic import atomic_write_bytes

    with pytest.raises(VaultError, match="bestaat niet"):
        atomic_write_bytes(tmp_path / "weg" / "brief.pdf", b"x")
    with pytest.raises(VaultError, match="is een map"):
        atomic_write_bytes(tmp_path, b"x")
    locked = tmp_path / "alleen-lezen"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):  # root ignores permissions; nothing to test then
            return
        with pytest.raises(VaultError, match="mag niet schrijven in de map"):
            atomic_write_bytes(locked / "brief.pdf", b"x")
    finally:
        locked.chmod(0o700)
    assert list(tmp_path.rglob("*.tmp")) == []
