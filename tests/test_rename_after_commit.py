"""No audit row without its file, also when the rename onto the destination fails.

Letters, the backup and the partner CSV all go through ``app.files.export_file``,
which renames inside the transaction and undoes the rename on a failed commit.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from brugdesk.app import transfers
from brugdesk.app.caseload import Caseload
from brugdesk.errors import BrugdeskError


def _refuse_rename(monkeypatch: pytest.MonkeyPatch, *final: Path) -> None:
    """Only the last step fails: the rename onto the destination the worker chose."""
    real = os.replace

    def refuse(src, dst, *a, **k):
        if Path(dst) in final:
            raise PermissionError(errno.EACCES, "Access is denied")
        return real(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", refuse)


def test_backup_whose_rename_fails_leaves_no_audit_row(
    caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    _refuse_rename(monkeypatch, out / "b.brugdesk")
    with pytest.raises(BrugdeskError):
        caseload.write_backup(out / "b.brugdesk")
    monkeypatch.undo()
    assert list(out.iterdir()) == []  # no file, no temp file: this part holds
    assert "backup" not in [a.action for a in caseload.audit.fetch()]


def test_partner_export_whose_rename_fails_leaves_no_audit_row(
    caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    caseload.partners.add(organisation="Humanitas")
    out = tmp_path / "out"
    out.mkdir()
    _refuse_rename(monkeypatch, out / "kaart.csv")
    with pytest.raises(BrugdeskError):
        transfers.export_partners(caseload, out / "kaart.csv")
    monkeypatch.undo()
    assert list(out.iterdir()) == []
    assert "export" not in [a.action for a in caseload.audit.fetch()]


def test_the_temp_file_is_gone_when_the_rename_fails(
    caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The part that does hold: neither job leaves a file or temp file behind."""
    caseload.partners.add(organisation="Humanitas")
    out = tmp_path / "out"
    out.mkdir()
    _refuse_rename(monkeypatch, out / "b.brugdesk", out / "kaart.csv")
    with pytest.raises(BrugdeskError):
        caseload.write_backup(out / "b.brugdesk")
    with pytest.raises(BrugdeskError):
        transfers.export_partners(caseload, out / "kaart.csv")
    monkeypatch.undo()
    assert list(out.iterdir()) == []


@pytest.mark.xfail(
    strict=True,
    reason="Caseload.change_passphrase rotates the header (storage/rotation.py) and writes "
    "the audit row afterwards in its own transaction",
)
def test_passphrase_change_whose_audit_row_fails_keeps_the_old_passphrase(
    caseload: Caseload, vault_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brugdesk.errors import VaultError
    from tests.conftest import PASSPHRASE

    def refuse(*_a, **_k):
        raise VaultError("audit kapot")

    monkeypatch.setattr(caseload.audit, "log", refuse)
    with pytest.raises(VaultError):
        caseload.change_passphrase(PASSPHRASE, "een heel ander wachtwoord voor de test")
    caseload.lock()
    Caseload.open(vault_dir, PASSPHRASE).lock()  # the old passphrase still opens the vault
