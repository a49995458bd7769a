"""The Resultaten report from a real vault: query layer, job, files with their audit rows, CLI."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from brugdesk.app import demo
from brugdesk.app.caseload import Caseload
from brugdesk.app.report import ReportJob
from brugdesk.cli import main as cli_main
from brugdesk.domain.report_rules import Period
from brugdesk.errors import ValidationError
from tests.conftest import PASSPHRASE


def _client(cl: Caseload, name: str, **fields) -> int:
    return cl.clients.create(given_name=name, family_name="Geheimnaam", **fields)


def test_facts_come_from_the_vault_and_the_figures_follow(caseload: Caseload) -> None:
    linde = caseload.referrers.add(name="Huisartsenpraktijk De Linde", channel="zorgdomein")
    wijk = caseload.referrers.add(name="Wijkteam Oost", kind="wijkteam")
    year = date.today().year
    on = date(year, 1, 1)
    a = _client(caseload, "Anna", referrer_id=linde, referred_on=on, themes=["wonen"])
    b = _client(caseload, "Bram", referrer_id=wijk, referred_on=on, postal_code="8011 AB")
    first = datetime(year, 1, 5, 10, 0)
    caseload.contacts.add(a, occurred_at=first, kind="huisbezoek", duration_min=60,
                          travel_minutes=20, travel_km="10,5")  # fmt: skip
    caseload.contacts.add(b, occurred_at=first + timedelta(days=1), kind="telefonisch")
    period = Period.year(year)
    inp = caseload.report.input(period)
    facts = {c.client_id: c for c in inp.clients}
    assert (
        facts[a].referrer == "Huisartsenpraktijk De Linde" and facts[a].referrer_kind == "huisarts"
    )
    assert facts[a].first_contact == first and facts[a].themes == ("wonen",)
    assert facts[b].postal4 == "8011"
    assert sorted((c.kind, c.travel_km) for c in inp.contacts) == [
        ("huisbezoek", 10.5),
        ("telefonisch", None),
    ]
    job = ReportJob(caseload, period)
    assert job.report.figure("Nieuwe aanmeldingen").shown == "<5"
    assert job.report.figure("Kilometers").value == pytest.approx(10.5)
    # Narrowed to one referrer: only that referrer's client counts.
    narrowed = caseload.report.input(period, wijk)
    assert [c.client_id for c in narrowed.clients] == [b]
    assert [c.client_id for c in narrowed.contacts] == [b]


def test_saved_pdf_is_the_previewed_pdf_and_every_file_has_its_audit_row(
    caseload: Caseload, tmp_path: Path
) -> None:
    _client(caseload, "Anna")
    job = ReportJob(caseload, Period.year(date.today().year))
    job.set_in_words("Een verhaal zonder namen.")
    preview = job.pdf()
    saved = job.save(pdf=tmp_path / "r.pdf", csv=tmp_path / "r.csv")
    assert saved.pdf is not None and saved.pdf.read_bytes() == preview
    rows = [a for a in caseload.audit.fetch() if a.entity == "report" and a.action == "export"]
    assert sorted(r.details["kind"] for r in rows) == ["csv", "pdf"]
    assert all(r.client_id is None for r in rows)
    assert "Een verhaal zonder namen." not in (tmp_path / "r.csv").read_text("utf-8-sig")
    with pytest.raises(ValidationError):
        job.set_in_words("x" * 6_001)
    with pytest.raises(ValidationError):
        job.save()


def test_a_failed_commit_leaves_no_file(caseload: Caseload, tmp_path: Path, monkeypatch) -> None:
    import brugdesk.app.report as report_job

    job = ReportJob(caseload, Period.year(date.today().year))

    def boom(*args, **kwargs):
        raise RuntimeError("audit row failed")

    out = tmp_path / "uit"
    out.mkdir()
    monkeypatch.setattr(report_job, "record", boom)
    with pytest.raises(RuntimeError):
        job.save(pdf=out / "r.pdf")
    assert list(out.iterdir()) == []
    assert not [a for a in caseload.audit.fetch() if a.entity == "report" and a.action != "read"]


def test_demo_caseload_report_has_no_personal_data(caseload: Caseload, tmp_path: Path) -> None:
    """No client name, date of birth, street or dossier word in the PDF text or the CSV."""
    from brugdesk.app.vault_jobs import fill_with_demo

    fill_with_demo(caseload, clients=40, notes_per_client=6)
    today = date.today()
    job = ReportJob(caseload, Period.between(today - timedelta(days=800), today))
    job.save(pdf=tmp_path / "r.pdf", csv=tmp_path / "r.csv")
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "r.pdf").pages)
    table = (tmp_path / "r.csv").read_text("utf-8-sig")
    assert "Bereik" in text and "Bereik" in table
    clients = [caseload.clients.get(r.id) for r in caseload.clients.fetch()]
    words = set()
    for c in clients:
        words |= {c.given_name, c.family_name, c.address, c.city, c.reason[:30]}
        if c.date_of_birth:
            words |= {c.date_of_birth.strftime("%d-%m-%Y"), c.date_of_birth.isoformat()}
    for street in demo.STREETS:
        words.add(street)
    for note in caseload.contacts.fetch(clients[0].id)[:5]:
        words.add(note.note[:40])
    leaks = sorted(w for w in words if w and len(w) > 3 and (w in text or w in table))
    assert leaks == []
    rows = list(csv.reader(io.StringIO(table), delimiter=";"))
    assert rows[0] == ["section", "figure", "breakdown", "value", "period"]


def test_cli_report_writes_both_files(vault_dir: Path, tmp_path: Path, capsys) -> None:
    secret = tmp_path / "pw"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    year = date.today().year
    args = ["report", "--data-dir", str(vault_dir), "--passphrase-file", str(secret)]
    args += ["--from", f"{year}-01-01", "--to", f"{year}-12-31"]
    assert (
        cli_main([*args, "--pdf", str(tmp_path / "r.pdf"), "--csv", str(tmp_path / "r.csv")]) == 0
    )
    assert "<5" in capsys.readouterr().out
    assert PdfReader(tmp_path / "r.pdf").pages
    # An existing file is kept unless --force; a swapped period is refused in Dutch.
    assert cli_main([*args, "--csv", str(tmp_path / "r.csv")]) != 0
    assert "bestaat al" in capsys.readouterr().err
    swapped = ["report", "--data-dir", str(vault_dir), "--passphrase-file", str(secret)]
    swapped += [
        "--from",
        f"{year}-12-31",
        "--to",
        f"{year}-01-01",
        "--csv",
        str(tmp_path / "x.csv"),
    ]
    assert cli_main(swapped) != 0
    assert "begindatum" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_the_pdf_and_the_csv_cannot_be_the_same_file(caseload: Caseload, tmp_path: Path) -> None:
    """Otherwise the CSV silently replaces the PDF, with an audit row for each."""
    job = ReportJob(caseload, Period.year(date.today().year))
    same = tmp_path / "rapport"
    with pytest.raises(ValidationError) as err:
        job.save(pdf=same, csv=tmp_path / "." / "rapport")
    assert "andere naam" in str(err.value)
    assert not same.exists()
    assert not [a for a in caseload.audit.fetch() if a.entity == "report" and a.action == "export"]


def test_a_report_never_replaces_a_file_of_the_vault(caseload: Caseload, tmp_path: Path) -> None:
    from brugdesk.errors import VaultError
    from brugdesk.paths import vault_files

    job = ReportJob(caseload, Period.year(date.today().year))
    for target in vault_files(caseload.vault.data_dir):
        if not target.exists():
            continue
        before = target.read_bytes()
        with pytest.raises(VaultError) as err:
            job.save(pdf=target)
        assert "kluis" in str(err.value)
        assert target.read_bytes() == before
    caseload.clients.create(given_name="Na", family_name="Afloop")  # the vault still works
    assert not [a for a in caseload.audit.fetch() if a.entity == "report" and a.action == "export"]


def test_a_corrected_status_does_not_count_in_the_report(caseload: Caseload) -> None:
    """Like the partner scorecard: a status set by mistake and corrected is no answer."""
    from tests.test_scorecard import make_referral

    pid = caseload.partners.add(organisation="Schuldhulp Noord")
    for i in range(10):
        cid = _client(caseload, f"Cliënt{i}")
        steps = ["verstuurd"] + (["geaccepteerd"] if i < 6 else [])
        if i == 0:
            steps.append("correctie:verstuurd")
        make_referral(caseload, cid, pid, steps)
    report = ReportJob(caseload, Period.year(date.today().year)).report
    assert report.figure("Verwijzingen naar partners").shown == "10"
    assert report.figure("Geaccepteerd", "aandeel").shown == "50%"
    assert caseload.partners.scorecard()[pid].accepted == 5
