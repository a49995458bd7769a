"""The log for the worker and the privacy officer: reads, the period, the CSV, the CLI."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from brugdesk.app import audit_log, files
from brugdesk.app.caseload import Caseload
from brugdesk.app.report import ReportJob
from brugdesk.cli import main
from brugdesk.documents import audit_csv
from brugdesk.domain.audit_words import client_words, details_words, local_time
from brugdesk.domain.changes import Changes
from brugdesk.domain.report_rules import Period
from brugdesk.errors import ValidationError, VaultError
from brugdesk.services.audit import ACTIONS, utc_bounds
from tests.conftest import PASSPHRASE

TODAY = date.today()


def rows_of(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for a spreadsheet
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def whole_period() -> audit_log.LogFilter:
    return audit_log.LogFilter(TODAY - timedelta(days=30), TODAY)


def test_read_is_one_entry_and_no_change(caseload: Caseload) -> None:
    assert "read" in ACTIONS
    cid = caseload.clients.create(given_name="Fatma", family_name="Yılmaz")
    seen: list[Changes] = []
    caseload.changes.subscribe(seen.append)
    caseload.audit.read("client", cid, cid, view="dossier")
    newest = caseload.audit.fetch(limit=1)[0]
    assert (newest.action, newest.entity, newest.client_id) == ("read", "client", cid)
    assert newest.details == {"view": "dossier"}
    assert seen == []  # a read refreshes no view
    # A read keeps the durable setting for every later write on that connection.
    with caseload.transaction() as s:
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_entries_by_local_day_client_and_action(caseload: Caseload) -> None:
    a = caseload.clients.create(given_name="Anna", family_name="Bakker")
    b = caseload.clients.create(given_name="Bram", family_name="Claes")
    caseload.audit.read("client", a, a, view="dossier")
    everything = caseload.audit.entries(TODAY, TODAY)
    assert {e.client_id for e in everything} >= {a, b}
    only_a = caseload.audit.entries(TODAY, TODAY, client_id=a)
    assert only_a and {e.client_id for e in only_a} == {a}
    reads = caseload.audit.entries(TODAY, TODAY, action="read")
    assert [(e.action, e.client_id) for e in reads] == [("read", a)]
    assert caseload.audit.entries(TODAY - timedelta(days=9), TODAY - timedelta(days=1)) == []
    # The bounds are this laptop's midnights, stored as UTC like every entry.
    low, high = utc_bounds(TODAY, TODAY)
    assert high - low in (timedelta(hours=23), timedelta(hours=24), timedelta(hours=25))
    assert all(low <= e.at < high for e in everything)
    assert local_time(everything[-1].at).date() == TODAY


def test_end_before_start_is_refused(caseload: Caseload, tmp_path: Path) -> None:
    f = audit_log.LogFilter(TODAY, TODAY - timedelta(days=1))
    with pytest.raises(Exception, match="einddatum"):
        audit_log.export_csv(caseload, tmp_path / "x.csv", f)
    assert not (tmp_path / "x.csv").exists()


def test_csv_round_trips_without_names_and_notes_its_export(
    caseload: Caseload, tmp_path: Path
) -> None:
    cid = caseload.clients.create(given_name="=HYPERLINK", family_name="Ökür")
    gone = caseload.clients.create(given_name="Weg", family_name="Gegaan")
    caseload.audit.read("client", cid, cid, view="dossier")
    caseload.clients.delete(gone, reason="verzoek_client")
    dest = tmp_path / "logboek.csv"
    count = audit_log.export_csv(caseload, dest, whole_period())
    rows = rows_of(dest)
    assert rows[0] == list(audit_csv.header(False))
    assert "cliënt-naam" not in rows[0]
    assert len(rows) == count + 1
    body = rows[1:]
    assert not any("HYPERLINK" in cell or "Ökür" in cell for row in body for cell in row)
    read = next(r for r in body if r[2] == "bekeken")
    assert read[3:6] == ["cliënt", str(cid), str(cid)] and read[6] == "dossier geopend"
    # The export's own entry is in the trail, with the file's short hash in the log.
    newest = caseload.audit.fetch(limit=1)[0]
    assert (newest.action, newest.entity) == ("export", "audit")
    assert newest.details["count"] == count and newest.details["with_names"] is False
    assert newest.details["file"] == "logboek.csv" and len(newest.details["sha256"]) == 64
    shown = details_words(newest.action, newest.details)
    assert newest.details["sha256"] not in shown and newest.details["sha256"][:10] in shown
    assert "met namen: nee" in shown and "aantal: " in shown


def test_csv_with_names_neutralises_formulas_and_marks_the_erased(
    caseload: Caseload, tmp_path: Path
) -> None:
    cid = caseload.clients.create(given_name="=HYPERLINK", family_name="Ökür")
    gone = caseload.clients.create(given_name="Weg", family_name="Gegaan")
    caseload.clients.delete(gone, reason="verzoek_client")
    dest = tmp_path / "met-namen.csv"
    audit_log.export_csv(caseload, dest, whole_period(), with_names=True)
    rows = rows_of(dest)
    assert rows[0][6] == "cliënt-naam"
    names = {row[5]: row[6] for row in rows[1:] if row[5]}
    assert names[str(cid)] == "'=HYPERLINK Ökür"  # neutralised, not a formula
    assert names[str(gone)] == f"cliënt {gone} (verwijderd)"
    assert client_words(gone, {cid: "x"}) == f"cliënt {gone} (verwijderd)"


def test_failed_export_leaves_no_file_and_no_row(
    caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    caseload.audit.read("search", view="search", hits=0)
    before = caseload.audit.fetch(limit=1)[0].id

    def refuse(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "replace_retrying", refuse)
    with pytest.raises(VaultError):
        audit_log.export_csv(caseload, tmp_path / "vol.csv", whole_period())
    assert list(tmp_path.glob("*.csv")) == [] and list(tmp_path.glob(".*tmp")) == []
    assert caseload.audit.fetch(limit=1)[0].id == before


def test_the_log_is_append_only(caseload: Caseload) -> None:
    caseload.audit.read("search", view="search", hits=3)
    (first,) = caseload.audit.fetch(limit=1)
    replace = (
        f"INTO audit (id, at, action, entity, details) VALUES ({first.id}, "
        "'2020-01-01 00:00:00.000000', 'read', 'vault', '{}')"
    )
    for sql in (
        "UPDATE audit SET action = 'create'",
        "DELETE FROM audit",
        # REPLACE deletes the conflicting row without the delete trigger unless
        # recursive triggers are on: it must be refused like a DELETE.
        f"INSERT OR REPLACE {replace}",
        f"REPLACE {replace}",
    ):
        with (
            pytest.raises(VaultError, match="niet worden gewijzigd"),
            caseload.transaction() as s,
        ):
            s.execute(text(sql))
    assert caseload.audit.fetch(limit=1)[0].details == {"view": "search", "hits": 3}


def test_report_and_letter_previews_log_one_read(caseload: Caseload) -> None:
    from brugdesk.app.gp_letter import GpLetterDraft
    from brugdesk.app.referral_letter import ReferralLetterDraft

    cid = caseload.clients.create(given_name="Ria", family_name="Kok")
    ReportJob(caseload, Period.between(TODAY - timedelta(days=90), TODAY))
    report = caseload.audit.fetch(limit=1)[0]
    assert (report.action, report.entity, report.details["view"]) == ("read", "report", "report")
    partner = caseload.partners.add(organisation="Schuldhulp Oost")
    draft = ReferralLetterDraft(caseload, cid)
    with pytest.raises(ValidationError):
        assert draft.pdf  # no partner chosen: no letter, nothing seen, no read
    draft.choose(partner_id=partner, reason="Schulden")
    assert draft.pdf and draft.pdf and draft.warnings() == []
    draft.choose(request="Een gesprek")
    assert draft.pdf
    gp = GpLetterDraft(caseload, cid)
    gp.warnings()
    assert gp.pdf
    reads = caseload.audit.entries(TODAY, TODAY, client_id=cid, action="read")
    assert [(e.entity, e.details["view"]) for e in reads] == [
        ("referral", "letter"),
        ("gp_feedback", "gp_letter"),
    ]


def test_cli_writes_the_same_csv_without_names(
    caseload: Caseload, vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRUGDESK_LOG_DIR", str(tmp_path / "logs"))
    cid = caseload.clients.create(given_name="Noor", family_name="Vos")
    caseload.audit.read("client", cid, cid, view="dossier")
    f = whole_period()
    ours = tmp_path / "venster.csv"
    audit_log.export_csv(caseload, ours, f)
    caseload.lock()
    pw = tmp_path / "pw.txt"
    pw.write_text(PASSPHRASE + "\n", encoding="utf-8")
    theirs = tmp_path / "cli.csv"
    args = ["audit", "--data-dir", str(vault_dir), "--passphrase-file", str(pw)]
    period = ["--from", f"{f.start:%Y-%m-%d}", "--to", f"{f.end:%Y-%m-%d}"]
    assert main([*args, *period, "--csv", str(theirs)]) == 0
    a, b = rows_of(ours), rows_of(theirs)
    assert b[: len(a)] == a  # the same columns and rows, no names
    assert b[len(a)][2:4] == ["geëxporteerd", "logboek"]  # the window's export, logged
    assert not any("Noor" in cell for row in b for cell in row)
    assert main([*args, *period, "--csv", str(theirs)]) == 2  # exists: --force needed
    assert (
        main([*args, "--from", "2026-02-01", "--to", "2026-01-01", "--csv", str(tmp_path / "x")])
        == 1
    )
    again = Caseload.open(vault_dir, PASSPHRASE)
    try:
        newest = again.audit.fetch(limit=1)[0]
        assert (newest.action, newest.entity, newest.details["file"]) == (
            "export",
            "audit",
            "cli.csv",
        )
    finally:
        again.lock()


def test_a_year_of_entries_is_listed_from_the_index(caseload: Caseload) -> None:
    with caseload.transaction() as s:
        plan = s.execute(
            text("EXPLAIN QUERY PLAN SELECT * FROM audit WHERE at >= :a AND at < :b"),
            {"a": datetime(2026, 1, 1), "b": datetime(2027, 1, 1)},
        ).all()
    assert any("ix_audit_at" in str(row) for row in plan)
