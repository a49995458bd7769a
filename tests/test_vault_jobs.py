"""The core jobs the CLI and the window share: one transaction, one audit trail, no half files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pypdf
import pytest

from brugdesk.app import demo, transfers, vault_jobs
from brugdesk.app.caseload import Caseload
from brugdesk.domain.changes import Changes
from brugdesk.errors import VaultError
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
