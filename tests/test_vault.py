"""The vault: create, unlock, recovery, passphrase change, lock — and what leaks."""

from __future__ import annotations

import hashlib
import os
import stat
from datetime import datetime
from pathlib import Path

import pytest

from brugdesk.app.caseload import Caseload
from brugdesk.errors import (
    VaultDamaged,
    VaultExists,
    VaultLocked,
    VaultMissing,
    WeakPassphrase,
    WrongPassphrase,
    WrongRecoveryKey,
)
from brugdesk.storage import db, recovery
from brugdesk.storage.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE


def _snapshot(directory: Path) -> dict[str, str]:
    # The lock file and the failed-unlock counter are bookkeeping, not the vault.
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.name not in ("vault.lock", "unlock-failures.json")
    }


def test_nothing_readable_in_any_file(vault_dir: Path) -> None:
    name = "Zwanenburgxq"
    word = "kwispelstaartvlinder"
    cl = Caseload.open(vault_dir, PASSPHRASE)
    cid = cl.clients.create(given_name="Ilse", family_name=name)
    cl.contacts.add(cid, occurred_at=datetime.now(), kind="huisbezoek", note=f"Over {word}.")
    # Files while unlocked (the WAL holds the fresh pages) …
    _assert_absent(vault_dir, [name, word])
    from brugdesk.storage.backup import write_backup

    write_backup(cl.vault, vault_dir / "backups" / "test.brugdesk")
    cl.lock()
    # … and after locking, including the backup.
    _assert_absent(vault_dir, [name, word])


def _assert_absent(directory: Path, needles: list[str]) -> None:
    files = [p for p in directory.rglob("*") if p.is_file()]
    assert any(p.name == "caseload.db" for p in files)
    for path in files:
        blob = path.read_bytes()
        assert not blob.startswith(db.PLAIN_SQLITE_MAGIC), path
        for needle in needles:
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                assert needle.encode(encoding) not in blob, (path, needle, encoding)
            assert needle.lower().encode() not in blob.lower(), (path, needle)


def test_wrong_passphrase_fails_cleanly_and_changes_nothing(vault_dir: Path) -> None:
    before = _snapshot(vault_dir)
    with pytest.raises(WrongPassphrase) as info:
        Vault(vault_dir).unlock("dit is niet het goede wachtwoord")
    assert "wachtwoord klopt niet" in info.value.message
    with pytest.raises(WrongPassphrase):
        Vault(vault_dir).unlock("")
    assert _snapshot(vault_dir) == before
    assert (vault_dir / "unlock-failures.json").read_text() == '{"count": 2}'


def test_wrong_recovery_key_fails_cleanly_and_changes_nothing(vault_dir: Path) -> None:
    before = _snapshot(vault_dir)
    other = recovery.format_key(recovery.generate())
    with pytest.raises(WrongRecoveryKey):
        Vault(vault_dir).unlock_with_recovery(other, "een heel nieuw wachtwoord")
    with pytest.raises(WrongRecoveryKey) as info:
        Vault(vault_dir).unlock_with_recovery("123456-1234", "een heel nieuw wachtwoord")
    assert "48 cijfers" in info.value.message
    assert _snapshot(vault_dir) == before


def test_failed_unlocks_are_audited_after_success(vault_dir: Path) -> None:
    vault = Vault(vault_dir)
    for _ in range(2):
        with pytest.raises(WrongPassphrase):
            vault.unlock("nog steeds niet goed")
    vault.unlock(PASSPHRASE)
    cl = Caseload(vault)
    entries = [a for a in cl.audit.fetch() if a.action == "unlock_failure"]
    assert entries and entries[0].details == {"count": 2}
    cl.lock()


def test_malformed_raw_key_is_refused_before_any_pragma(tmp_path: Path) -> None:
    target = tmp_path / "x.db"
    for bad in ["", "abc", "g" * 64, "A" * 64, "0" * 63, "0" * 65, "0" * 62 + "'\"", None]:
        with pytest.raises(db.MalformedKey):
            db.connect(target, bad)  # type: ignore[arg-type]
        with pytest.raises(db.MalformedKey):
            db.make_engine(target, bad)  # type: ignore[arg-type]
    assert not target.exists()  # nothing was opened, let alone created


def test_recovery_key_unlocks_and_forces_new_passphrase(vault_dir: Path, recovery_key: str) -> None:
    vault = Vault(vault_dir)
    with pytest.raises(WeakPassphrase):
        vault.unlock_with_recovery(recovery_key, "kort")
    spaced = recovery_key.replace("-", " ")
    vault.unlock_with_recovery(spaced, "het nieuwe wachtwoord na herstel")
    assert vault.is_unlocked
    vault.lock()
    with pytest.raises(WrongPassphrase):
        Vault(vault_dir).unlock(PASSPHRASE)
    Vault(vault_dir).unlock("het nieuwe wachtwoord na herstel")
    assert (vault_dir / "vault.json.bak").exists()


def test_change_passphrase_checks_current_and_new(vault_dir: Path) -> None:
    vault = Vault(vault_dir)
    vault.unlock(PASSPHRASE)  # writes this session's generation into the header
    before = {k: v for k, v in _snapshot(vault_dir).items() if k.startswith("vault.json")}
    with pytest.raises(WrongPassphrase):
        vault.change_passphrase("fout wachtwoord hier", "een ander lang wachtwoord")
    with pytest.raises(WeakPassphrase):
        vault.change_passphrase(PASSPHRASE, "te kort")
    vault.lock()
    after = _snapshot(vault_dir)
    assert {k: v for k, v in after.items() if k.startswith("vault.json")} == before
    assert set(after) == {"caseload.db", *before}  # no half rotation left behind
    Vault(vault_dir).unlock(PASSPHRASE)


def test_passphrase_normalisation(tmp_path: Path) -> None:
    composed = "café au lait met suiker"
    decomposed = composed.replace("é", "e\u0301")
    vault, _ = Vault.create(tmp_path / "v", composed, kdf=FAST_KDF)
    vault.lock()
    Vault(tmp_path / "v").unlock(decomposed)


@pytest.mark.parametrize("weak", ["", "   ", "kort", "elf tekens!"])
def test_passphrase_policy(tmp_path: Path, weak: str) -> None:
    with pytest.raises(WeakPassphrase) as info:
        Vault.create(tmp_path / "v", weak, kdf=FAST_KDF)
    assert info.value.message
    assert not (tmp_path / "v" / "vault.json").exists()


def test_create_refuses_existing_vault(vault_dir: Path) -> None:
    before = _snapshot(vault_dir)
    with pytest.raises(VaultExists):
        Vault.create(vault_dir, PASSPHRASE, kdf=FAST_KDF)
    assert _snapshot(vault_dir) == before


def test_missing_and_half_missing_vaults(tmp_path: Path, vault_dir: Path) -> None:
    with pytest.raises(VaultMissing):
        Vault(tmp_path / "leeg").unlock(PASSPHRASE)
    (vault_dir / "vault.json").rename(vault_dir / "elders.json")
    with pytest.raises(VaultDamaged) as info:
        Vault(vault_dir).unlock(PASSPHRASE)
    assert "vault.json" in info.value.message
    (vault_dir / "elders.json").rename(vault_dir / "vault.json")
    (vault_dir / "caseload.db").unlink()
    with pytest.raises(VaultDamaged) as info:
        Vault(vault_dir).unlock(PASSPHRASE)
    assert "caseload.db" in info.value.message


def test_lock_disposes_engine_and_forgets_key(vault_dir: Path) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    cl.clients.create(given_name="A", family_name="B")
    key = cl.vault._db_key
    assert key is not None
    cl.lock()
    assert not cl.vault.is_unlocked
    assert bytes(key) == bytes(len(key))  # our copy of the key was overwritten
    with pytest.raises(VaultLocked):
        cl.vault.key_hex()
    with pytest.raises(VaultLocked):
        _ = cl.vault.engine
    # The WAL was folded into the main file on lock.
    wal = vault_dir / "caseload.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_files_are_private(vault_dir: Path) -> None:
    for name in ("caseload.db", "vault.json"):
        mode = stat.S_IMODE(os.stat(vault_dir / name).st_mode)
        assert mode & 0o077 == 0, (name, oct(mode))


def test_every_connection_is_encrypted(caseload: Caseload) -> None:
    with caseload.vault.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA cipher_version").scalar()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    head = (caseload.vault.db_path).read_bytes()[:16]
    assert head != db.PLAIN_SQLITE_MAGIC


def test_replace_recovery_key(vault_dir: Path, recovery_key: str) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    before = _snapshot(vault_dir)
    with pytest.raises(WrongPassphrase):
        cl.replace_recovery_key("niet het wachtwoord!")
    assert _snapshot(vault_dir) == before
    new_key = cl.replace_recovery_key(PASSPHRASE)
    assert new_key != recovery_key and len(new_key.split("-")) == 8
    assert any(a.details.get("fields") == ["recovery_key"] for a in cl.audit.fetch())
    cl.lock()
    with pytest.raises(WrongRecoveryKey):
        Vault(vault_dir).verify_recovery_key(recovery_key)  # the old key no longer works
    Vault(vault_dir).verify_recovery_key(new_key)
    Vault(vault_dir).unlock(PASSPHRASE)  # the passphrase is unchanged
