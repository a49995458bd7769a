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


def test_revision_0005_moves_free_text_referrers_into_the_list(caseload: Caseload) -> None:
    from sqlalchemy import text

    engine = caseload.vault.engine
    migrate.downgrade(engine, "0004_search_fields")
    rows = [
        # id, kind, name
        (1, "huisarts", "Huisartsenpraktijk De Linde"),
        (2, "huisarts", "  huisartsenpraktijk  de linde "),  # the same practice, typed again
        (3, "huisarts", ""),  # only the old form's default: nothing known
        (4, "zelf", ""),
        (5, "zelf", ""),
        (6, "persoon", "Buurtsportcoach Piet"),
        (7, "persoon", ""),
        (8, "persoon", "Huisartsenpraktijk De Linde"),  # same name, other kind
    ]
    with engine.begin() as conn:
        for cid, kind, name in rows:
            conn.execute(
                text(
                    "INSERT INTO client (id, given_name, family_name, address, postal_code, "
                    "city, phone, email, preferred_language, referrer_kind, referrer_name, "
                    "reason, status, closure_reason, created_at, updated_at) VALUES "
                    "(:id, 'A', :fam, '', '', '', '', '', '', :kind, :name, '', 'actief', "
                    "'Oud', '2026-01-02 10:00:00', '2026-01-02 10:00:00')"
                ),
                {"id": cid, "fam": f"Client{cid}", "kind": kind, "name": name},
            )
    migrate.upgrade(engine)

    entries = {(r.name, r.kind): r.id for r in caseload.referrers.fetch()}
    assert set(entries) == {
        ("Huisartsenpraktijk De Linde", "huisarts"),
        ("Cliënt zelf", "zelf"),
        ("Buurtsportcoach Piet", "anders"),
        ("Andere verwijzer", "anders"),
        ("Huisartsenpraktijk De Linde", "anders"),
    }
    got = {cid: caseload.clients.get(cid).referrer_id for cid, _, _ in rows}
    linde = entries[("Huisartsenpraktijk De Linde", "huisarts")]
    assert got == {
        1: linde,
        2: linde,
        3: None,
        4: entries[("Cliënt zelf", "zelf")],
        5: entries[("Cliënt zelf", "zelf")],
        6: entries[("Buurtsportcoach Piet", "anders")],
        7: entries[("Andere verwijzer", "anders")],
        8: entries[("Huisartsenpraktijk De Linde", "anders")],
    }
    record = caseload.clients.get(1)
    assert (record.referrer_name, record.referrer_kind) == (
        "Huisartsenpraktijk De Linde",
        "huisarts",
    )
    # New facts start empty; the old free-text closure text is kept.
    assert record.themes == () and record.closure_code == "" and record.referred_on is None
    assert record.closure_reason == "Oud"
    with engine.connect() as conn:
        columns = {row[1] for row in conn.execute(text("PRAGMA table_info(client)"))}
    assert "referrer_name" not in columns and "referrer_kind" not in columns

    # And back: the list's entries become free text again.
    migrate.downgrade(engine, "0004_search_fields")
    with engine.connect() as conn:
        back = dict(
            (cid, (kind, name))
            for cid, kind, name in conn.execute(
                text("SELECT id, referrer_kind, referrer_name FROM client ORDER BY id")
            )
        )
    assert back[1] == ("huisarts", "Huisartsenpraktijk De Linde")
    assert back[4] == ("zelf", "") and back[7] == ("persoon", "") and back[3] == ("huisarts", "")
    migrate.upgrade(engine)


def test_the_remeasure_count_reads_its_index(caseload: Caseload) -> None:
    """Vandaag's re-measure count at unlock uses revision 0007's index, not a table scan."""
    from datetime import date

    from sqlalchemy import text

    from brugdesk.services.today import _remeasure_select

    sql = _remeasure_select(date.today(), 12).compile(
        caseload.vault.engine, compile_kwargs={"literal_binds": True}
    )
    with caseload.vault.engine.connect() as conn:
        plan = " ".join(str(r[-1]) for r in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "ix_assessment_instrument_client" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
