"""`check` finds damage; backups are encrypted, verified and restorable."""

from __future__ import annotations

import tarfile
from datetime import datetime
from pathlib import Path

import pytest

from brugdesk.app.caseload import Caseload
from brugdesk.errors import BackupError, VaultExists, WrongPassphrase
from brugdesk.storage.backup import read_manifest, restore_backup, write_backup
from brugdesk.storage.check import check_vault
from tests.conftest import PASSPHRASE

PAGE = 4096


def _fill(data_dir: Path, clients: int = 30) -> None:
    cl = Caseload.open(data_dir, PASSPHRASE)
    for i in range(clients):
        cid = cl.clients.create(given_name=f"Naam{i}", family_name="Test")
        cl.contacts.add(cid, occurred_at=datetime.now(), note=f"Notitie {i} " * 200)
    cl.lock()


def test_healthy_vault_passes(vault_dir: Path) -> None:
    _fill(vault_dir)
    report = check_vault(vault_dir, PASSPHRASE)
    assert report.ok, report.findings
    assert "in orde" in report.verdict()


def test_wrong_passphrase_is_not_reported_as_damage(vault_dir: Path) -> None:
    with pytest.raises(WrongPassphrase):
        check_vault(vault_dir, "verkeerd wachtwoord hier")


@pytest.mark.parametrize("page", [0, 3, -2])
def test_flipped_byte_is_reported(vault_dir: Path, page: int) -> None:
    _fill(vault_dir)
    db = vault_dir / "caseload.db"
    blob = bytearray(db.read_bytes())
    pages = len(blob) // PAGE
    offset = (page % pages) * PAGE + 1000
    blob[offset] ^= 0x40
    db.write_bytes(bytes(blob))
    report = check_vault(vault_dir, PASSPHRASE)
    assert not report.ok, report.findings
    assert "NIET in orde" in report.verdict()


def test_truncated_database_is_reported(vault_dir: Path) -> None:
    _fill(vault_dir)
    db = vault_dir / "caseload.db"
    blob = db.read_bytes()
    db.write_bytes(blob[: len(blob) // 2 + 100])
    report = check_vault(vault_dir, PASSPHRASE)
    assert not report.ok, report.findings


def test_missing_database_and_header_are_reported(vault_dir: Path) -> None:
    (vault_dir / "caseload.db").unlink()
    assert not check_vault(vault_dir, PASSPHRASE).ok
    (vault_dir / "vault.json").write_text("{kapot")
    assert not check_vault(vault_dir, PASSPHRASE).ok


def test_backup_and_restore(tmp_path: Path, vault_dir: Path) -> None:
    _fill(vault_dir, 5)
    cl = Caseload.open(vault_dir, PASSPHRASE)
    target = tmp_path / "kopie.brugdesk"
    write_backup(cl.vault, target)
    cl.clients.create(given_name="Na", family_name="Backup")
    cl.lock()
    manifest = read_manifest(target)
    assert manifest["format"] == "brugdesk-backup" and len(manifest["db_sha256"]) == 64
    assert target.stat().st_mode & 0o077 == 0

    with pytest.raises(VaultExists):
        restore_backup(vault_dir, target, PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        restore_backup(vault_dir, target, "niet het wachtwoord", force=True)
    aside = restore_backup(vault_dir, target, PASSPHRASE, force=True)
    assert aside is not None and (aside / "caseload.db").exists()  # old one kept, not deleted
    cl = Caseload.open(vault_dir, PASSPHRASE)
    assert cl.clients.count() == 5
    cl.lock()
    # The set-aside vault still opens and holds the newer client.
    cl = Caseload.open(aside, PASSPHRASE)
    assert cl.clients.count() == 6
    cl.lock()

    fresh = tmp_path / "nieuw"
    assert restore_backup(fresh, target, PASSPHRASE) is None
    assert check_vault(fresh, PASSPHRASE).ok


def test_damaged_backups_are_refused_without_changes(tmp_path: Path, vault_dir: Path) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    good = tmp_path / "goed.brugdesk"
    write_backup(cl.vault, good)
    cl.lock()
    blob = bytearray(good.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    bad = tmp_path / "kapot.brugdesk"
    bad.write_bytes(bytes(blob))
    not_tar = tmp_path / "tekst.brugdesk"
    not_tar.write_text("geen back-up")
    odd = tmp_path / "vreemd.brugdesk"
    with tarfile.open(odd, "w") as tar:
        tar.add(vault_dir / "vault.json", arcname="../../etc/evil")
    target = tmp_path / "leeg"
    for candidate in (bad, not_tar, odd, tmp_path / "bestaat-niet.brugdesk"):
        with pytest.raises(BackupError):
            restore_backup(target, candidate, PASSPHRASE)
    assert not (target / "caseload.db").exists()


def test_backup_onto_the_vault_is_refused(tmp_path: Path, vault_dir: Path) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    cl.clients.create(given_name="A", family_name="Blijft")
    link = tmp_path / "link"
    try:
        link.symlink_to(vault_dir, target_is_directory=True)
    except OSError:  # Windows without the right to make links
        link = vault_dir
    before = {p.name: p.read_bytes() for p in vault_dir.iterdir() if p.name.startswith("vault")}
    for dest in (
        vault_dir / "caseload.db",
        vault_dir / "vault.json",
        vault_dir / "vault.json.bak",
        vault_dir / "elders.brugdesk",
        vault_dir,
        link / "vault.json",
        vault_dir / "backups" / ".." / "caseload.db",
    ):
        with pytest.raises(BackupError):
            write_backup(cl.vault, dest)
    write_backup(cl.vault, vault_dir / "backups" / "ok.brugdesk")  # its own backups folder
    cl.lock()
    after = {p.name: p.read_bytes() for p in vault_dir.iterdir() if p.name.startswith("vault")}
    assert after == before
    assert check_vault(vault_dir, PASSPHRASE).ok


def test_check_verdict_says_damaged_only_for_damage() -> None:
    from brugdesk.storage.check import CheckReport

    older = CheckReport()
    older.add(True, "Sleutelbestand: geldig.")
    older.add(False, "Database: ouder dan verwacht.", "older")
    assert "niet beschadigd" in older.verdict() and "accept-older" in older.verdict()
    missing = CheckReport()
    missing.add(False, "Database: caseload.db ontbreekt of is onleesbaar.", "missing")
    assert "beschadigd" not in missing.verdict() and "ontbreekt" in missing.verdict()
    damaged = CheckReport()
    damaged.add(False, "Versleuteling: 3 beschadigde pagina('s).")
    assert "beschadigd" in damaged.verdict()
