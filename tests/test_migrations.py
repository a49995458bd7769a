"""Schema upgrades: a vault made by an older revision opens, after a backup."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from brugdesk.app.caseload import Caseload
from brugdesk.errors import StaleRecord
from brugdesk.storage import migrate
from brugdesk.storage.backup import read_manifest
from brugdesk.storage.check import check_vault
from brugdesk.storage.vault import Vault

FIXTURE = Path(__file__).resolve().parent / "data" / "schema-0001"
FIXTURE_PASSPHRASE = "schema nul nul nul een testkluis"


def test_revision_0001_vault_upgrades_with_backup_first(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(FIXTURE, data_dir)
    report = check_vault(data_dir, FIXTURE_PASSPHRASE)
    assert report.ok
    assert any("revisie 0001" in text for _, text in report.findings)

    cl = Caseload.open(data_dir, FIXTURE_PASSPHRASE)
    try:
        assert migrate.current_revision(cl.vault.engine) == migrate.head_revision()
        backup = cl.vault.pre_migration_backup
        assert backup is not None and backup.parent == data_dir / "backups"
        assert read_manifest(backup)["schema_revision"] == "0001"
        # Data written under 0001 is there and was indexed by the upgrade.
        assert cl.clients.get(1).family_name == "Yılmaz"
        assert [h.client_id for h in cl.search.clients("yilmaz")] == [1]
        assert [h.client_id for h in cl.search.clients("cafe")] == [1]
        # Revision 0003: rows written before row versions existed start at 1,
        # and the check works on them at once.
        loaded = cl.clients.get(1)
        assert loaded.version == 1
        assert all(c.version == 1 for c in cl.contacts.fetch(1))
        assert cl.clients.update(1, expected_version=1, city="Zwolle").version == 2
        with pytest.raises(StaleRecord):
            cl.clients.update(1, expected_version=loaded.version, city="Kampen")
        assert cl.clients.get(1).city == "Zwolle"
    finally:
        cl.lock()
    # Opening again does not migrate (or back up) a second time.
    vault = Vault(data_dir)
    vault.unlock(FIXTURE_PASSPHRASE)
    assert vault.pre_migration_backup is None
    vault.lock()
    assert len(list((data_dir / "backups").iterdir())) == 1


def test_fresh_vault_is_at_head(caseload: Caseload) -> None:
    assert migrate.current_revision(caseload.vault.engine) == migrate.head_revision()
    assert caseload.vault.pre_migration_backup is None


def test_downgrade_and_upgrade_roundtrip(caseload: Caseload) -> None:
    engine = caseload.vault.engine
    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_vault_from_a_newer_brugdesk_is_refused_clearly(vault_dir: Path) -> None:
    from sqlalchemy import text

    from brugdesk.errors import UnsupportedVaultVersion
    from tests.conftest import PASSPHRASE

    vault = Vault(vault_dir)
    vault.unlock(PASSPHRASE)
    with vault.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    vault.lock()
    before = (vault_dir / "caseload.db").read_bytes()
    with pytest.raises(UnsupportedVaultVersion) as info:
        Vault(vault_dir).unlock(PASSPHRASE)
    assert "nieuwere versie" in info.value.message
    assert not (vault_dir / "backups").exists()  # nothing migrated, nothing backed up
    assert (vault_dir / "caseload.db").read_bytes() == before
