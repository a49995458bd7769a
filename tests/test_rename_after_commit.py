"""No audit row without its file, also when the rename onto the destination fails.

Letters, the backup and the partner CSV all go through ``app.files.export_file``,
which renames inside the transaction and undoes the rename on a failed commit. A
header rewrite (new passphrase or recovery key) carries its audit row inside the
re-encrypted database, so both arrive together or neither does.
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


def test_passphrase_change_and_its_audit_row_arrive_together(
    caseload: Caseload, vault_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit row is written into the re-encrypted database before the commit point."""
    from brugdesk.storage import rotation
    from tests.conftest import PASSPHRASE

    new = "een heel ander wachtwoord voor de test"
    real_dumps = rotation.json.dumps

    def refuse_audit(obj, *a, **k):
        if obj == {"fields": ["passphrase"]}:
            raise ValueError("audit kapot")
        return real_dumps(obj, *a, **k)

    monkeypatch.setattr(rotation.json, "dumps", refuse_audit)
    with pytest.raises(ValueError):
        caseload.change_passphrase(PASSPHRASE, new)
    monkeypatch.undo()
    caseload.lock()
    old = Caseload.open(vault_dir, PASSPHRASE)  # the old passphrase still opens the vault
    try:
        assert not [a for a in old.audit.fetch() if a.details.get("fields") == ["passphrase"]]
        old.change_passphrase(PASSPHRASE, new)  # and now it works, with exactly one row
    finally:
        old.lock()
    reopened = Caseload.open(vault_dir, new)
    try:
        rows = [a for a in reopened.audit.fetch() if a.details.get("fields") == ["passphrase"]]
        assert [(a.action, a.entity) for a in rows] == [("change", "vault")]
    finally:
        reopened.lock()
