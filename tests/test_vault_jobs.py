"""The core jobs the CLI and the window share: one transaction, one audit trail, no half files."""

from __future__ import annotations

import errno
import hashlib
import tarfile
from datetime import datetime
from pathlib import Path

import pypdf
import pytest

from brugdesk.app import demo, transfers, vault_jobs
from brugdesk.app.caseload import Caseload
from brugdesk.domain.changes import Changes
from brugdesk.errors import BackupError, DiskFull, VaultError, WrongPassphrase
from brugdesk.storage import backup as backup_store
from tests.conftest import PASSPHRASE


def _published(caseload: Caseload) -> list[Changes]:
    seen: list[Changes] = []
    caseload.changes.subscribe(seen.append)
    return seen


def test_demo_is_one_audited_transaction_that_announces_itself(caseload: Caseload) -> None:
    seen = _published(caseload)
    assert vault_jobs.fill_with_demo(caseload, 6, 2, seed=3) == 6
    assert caseload.clients.count() == 6 and caseload.partners.fetch()
    assert len(seen) == 1 and seen[0].all_clients and seen[0].touches("client", "partner")
    imports = [(a.entity, a.details) for a in caseload.audit.fetch() if a.action == "import"]
    assert ("client", {"source": "demo", "count": 6}) in imports
    with pytest.raises(vault_jobs.VaultNotEmpty):
        vault_jobs.fill_with_demo(caseload, 3, 1)
    assert caseload.clients.count() == 6


def test_failing_demo_leaves_nothing(caseload: Caseload, monkeypatch: pytest.MonkeyPatch) -> None:
    real = demo.insert_rows

    def half_then_fail(conn, data, progress=None, chunk=5000):
        real(conn, data, progress, chunk)
        raise OSError("disk weg")

    monkeypatch.setattr(demo, "insert_rows", half_then_fail)
    seen = _published(caseload)
    with pytest.raises(OSError):
        vault_jobs.fill_with_demo(caseload, 4, 1)
    assert caseload.clients.count() == 0 and caseload.partners.fetch() == []
    assert [a for a in caseload.audit.fetch() if a.action == "import"] == [] and seen == []


def test_backup_failing_before_commit_leaves_no_file_and_no_row(
    caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import brugdesk.services.audit as audit

    def refuse(*args, **kwargs):
        raise VaultError("audit kapot")

    monkeypatch.setattr(audit, "record", refuse)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(VaultError):
        caseload.write_backup(out / "b.brugdesk")
    monkeypatch.undo()
    assert list(out.iterdir()) == []  # no backup, no temp file, no staging folder
    assert "backup" not in [a.action for a in caseload.audit.fetch()]
    saved = caseload.write_backup(out / "sub" / "b.brugdesk")  # creates the folder
    digest = hashlib.sha256(saved.read_bytes()).hexdigest()
    assert [a.details for a in caseload.audit.fetch() if a.action == "backup"] == [
        {"file": "b.brugdesk", "sha256": digest}
    ]
    assert [p.name for p in (out / "sub").iterdir()] == ["b.brugdesk"]


def test_partner_export_file_and_audit_row_are_all_or_nothing(
    caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    caseload.partners.add(organisation="Humanitas")
    out = tmp_path / "out"
    out.mkdir()
    dest = out / "kaart.csv"

    def broken_tx():
        raise VaultError("de kluis is even bezet")

    monkeypatch.setattr(caseload, "transaction", broken_tx)
    with pytest.raises(VaultError):
        transfers.export_partners(caseload, dest)
    monkeypatch.undo()
    assert list(out.iterdir()) == []  # no file, no temp file
    assert "export" not in [a.action for a in caseload.audit.fetch()]
    assert transfers.export_partners(caseload, dest) == 1
    assert "Humanitas" in dest.read_text(encoding="utf-8-sig")
    assert [p.name for p in out.iterdir()] == ["kaart.csv"]


def test_restore_and_recover_are_audited(
    caseload: Caseload, vault_dir: Path, recovery_key: str, tmp_path: Path
) -> None:
    backup = caseload.write_backup(tmp_path / "b.brugdesk")
    caseload.lock()
    aside = vault_jobs.restore(vault_dir, backup, PASSPHRASE, force=True)
    assert aside is not None and aside.exists()
    cl = vault_jobs.recover(vault_dir, recovery_key, "een nieuw wachtwoord voor de kluis")
    try:
        trail = [(a.action, a.entity, a.details) for a in cl.audit.fetch()]
    finally:
        cl.lock()
    assert ("restore", "vault", {"file": "b.brugdesk"}) in trail
    assert ("change", "vault", {"fields": ["passphrase"], "via": "recovery_key"}) in trail
    report = vault_jobs.check(vault_dir, "een nieuw wachtwoord voor de kluis")
    assert report.ok


def test_recovery_sheet_is_a_real_pdf(tmp_path: Path) -> None:
    key = "123456-234567-345678-456789-567890-678901-789012-890123"
    path = vault_jobs.save_recovery_sheet(tmp_path / "blad.pdf", key, "abcdef0123456789")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
    assert "123456" in text and "herstelblad" in text.lower()


# --- restore: described first, then done; a failed restore replaces nothing ---------------


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _backup_with_two_clients(caseload: Caseload, tmp_path: Path) -> Path:
    for name in ("Anna", "Bram"):
        caseload.clients.create(given_name=name, family_name="Voorbeeld")
    backup = caseload.write_backup(tmp_path / "backups" / "b.brugdesk")
    caseload.clients.create(given_name="Cees", family_name="Later")
    caseload.lock()
    return backup


def _client_names(data_dir: Path) -> set[str]:
    cl = Caseload.open(data_dir, PASSPHRASE)
    try:
        return {row.given_name for row in cl.clients.overview().rows}
    finally:
        cl.lock()


def test_plan_describes_the_restore_and_touches_nothing(
    caseload: Caseload, vault_dir: Path, tmp_path: Path
) -> None:
    backup = _backup_with_two_clients(caseload, tmp_path)
    before = _snapshot(vault_dir)
    quick = vault_jobs.plan_restore(vault_dir, backup)
    assert quick.source == backup and quick.size == backup.stat().st_size
    assert quick.clients is None and quick.made is not None
    assert quick.made.date() == quick.modified.date()
    assert quick.current_changed is not None and quick.aside is not None
    assert quick.aside.parent == vault_dir and quick.aside.name.startswith("vervangen-")
    assert not quick.aside.exists()
    checked = vault_jobs.plan_restore(vault_dir, backup, PASSPHRASE, aside_name=quick.aside_name)
    assert checked.clients == 2 and checked.aside == quick.aside
    assert _snapshot(vault_dir) == before  # no staging folder left, nothing changed


def test_restore_uses_the_folder_the_plan_showed(
    caseload: Caseload, vault_dir: Path, tmp_path: Path
) -> None:
    backup = _backup_with_two_clients(caseload, tmp_path)
    plan = vault_jobs.plan_restore(vault_dir, backup, PASSPHRASE)
    aside = vault_jobs.restore(
        vault_dir, backup, PASSPHRASE, force=True, aside_name=plan.aside_name
    )
    assert aside == plan.aside and aside is not None
    assert _client_names(vault_dir) == {"Anna", "Bram"}
    assert _client_names(aside) == {"Anna", "Bram", "Cees"}  # the put-aside vault opens
    # the next plan picks a new folder; the used one is refused
    assert vault_jobs.plan_restore(vault_dir, backup).aside != aside
    before = _snapshot(vault_dir)
    with pytest.raises(BackupError, match="bestaat al"):
        vault_jobs.restore(vault_dir, backup, PASSPHRASE, force=True, aside_name=aside.name)
    assert _snapshot(vault_dir) == before


@pytest.mark.parametrize("name", ["../weg", "backups", ".restore-x", "caseload.db", ""])
def test_restore_refuses_an_odd_aside_name(
    caseload: Caseload, vault_dir: Path, tmp_path: Path, name: str
) -> None:
    backup = _backup_with_two_clients(caseload, tmp_path)
    before = _snapshot(vault_dir)
    with pytest.raises(BackupError):
        backup_store.restore_backup(vault_dir, backup, PASSPHRASE, force=True, aside_name=name)
    assert _snapshot(vault_dir) == before


def test_aside_name_never_reuses_a_folder(tmp_path: Path) -> None:
    now = datetime(2024, 11, 22, 9, 30, 0)
    assert backup_store.aside_folder_name(tmp_path, now) == "vervangen-20241122-093000"
    (tmp_path / "vervangen-20241122-093000").mkdir()
    assert backup_store.aside_folder_name(tmp_path, now) == "vervangen-20241122-093000-2"


def _corrupt(backup: Path) -> None:
    """Flip one byte in the middle of the database inside the backup."""
    with tarfile.open(backup) as tar:
        member = tar.getmember("caseload.db")
    blob = bytearray(backup.read_bytes())
    blob[member.offset_data + member.size // 2] ^= 0x40
    backup.write_bytes(bytes(blob))


@pytest.mark.parametrize("trouble", ["wrong passphrase", "damaged file", "disk full"])
def test_a_failed_restore_replaces_nothing(
    caseload: Caseload,
    vault_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    trouble: str,
) -> None:
    backup = _backup_with_two_clients(caseload, tmp_path)
    before = _snapshot(vault_dir)
    passphrase = PASSPHRASE
    expected: type[Exception] = BackupError
    if trouble == "wrong passphrase":
        passphrase, expected = "niet het wachtwoord van toen", WrongPassphrase
    elif trouble == "damaged file":
        _corrupt(backup)
    else:
        import shutil

        def full(*_args, **_kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(shutil, "copyfileobj", full)
        expected = DiskFull
    with pytest.raises(expected):
        vault_jobs.plan_restore(vault_dir, backup, passphrase)
    with pytest.raises(expected):
        vault_jobs.restore(vault_dir, backup, passphrase, force=True)
    monkeypatch.undo()
    assert _snapshot(vault_dir) == before  # no aside folder, no staging, same vault
    assert _client_names(vault_dir) == {"Anna", "Bram", "Cees"}


def test_restored_but_not_noted_says_the_backup_is_back(
    caseload: Caseload, vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brugdesk.services.audit import AuditService

    backup = _backup_with_two_clients(caseload, tmp_path)

    def refuse(*_args, **_kwargs):
        raise VaultError("logboek kapot")

    monkeypatch.setattr(AuditService, "log", refuse)
    with pytest.raises(vault_jobs.RestoredNotNoted, match="teruggezet") as caught:
        vault_jobs.restore(vault_dir, backup, PASSPHRASE, force=True)
    monkeypatch.undo()
    assert "vervangen-" in caught.value.message
    assert _client_names(vault_dir) == {"Anna", "Bram"}
