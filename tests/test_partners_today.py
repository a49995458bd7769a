"""Sociale kaart CSV (all or nothing), the 'Vandaag' list and the stale-partner hint."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from brugdesk.app.caseload import Caseload
from brugdesk.app.transfers import export_partners, import_partners
from brugdesk.documents import partner_csv
from brugdesk.documents.client_csv import ImportFileError
from brugdesk.domain.partner_rules import partner_needs_check


def test_partner_csv_roundtrip(caseload: Caseload, tmp_path: Path) -> None:
    data = (
        "\ufefforganisatie;team;leefgebieden;telefoon;gecontroleerd;zo-verwijzen\n"
        "Humanitas;Thuisadministratie;financien|Administratie, taal en digitale vaardigheden;"
        '038-1234567;01-03-2026;"Bel eerst; daarna mailen"\n'
        "Bibliotheek;Taalhuis;administratie;;;\n"
    ).encode()
    plan = partner_csv.parse(data)
    assert plan.ok and plan.partners[0]["domains"] == ["financien", "administratie"]
    assert import_partners(caseload, plan) == 2
    assert [p.organisation for p in caseload.partners.fetch(domain="administratie")] == [
        "Bibliotheek",
        "Humanitas",
    ]
    target = tmp_path / "kaart.csv"
    assert export_partners(caseload, target) == 2
    again = partner_csv.parse(target.read_bytes())
    assert again.ok and again.partners == sorted(plan.partners, key=lambda p: p["organisation"])
    assert [a.action for a in caseload.audit.fetch()][:2] == ["export", "import"]


def test_partner_csv_any_bad_line_blocks_everything(caseload: Caseload) -> None:
    data = (
        b"organisation,domains,email,verified_on\n"
        b"Goed,financien,,\n"
        b",financien,,\n"
        b"Fout,sterrenkunde,geen-mail,2099-01-01\n"
    )
    plan = partner_csv.parse(data)
    assert not plan.ok
    lines = [(p.line, p.message.split()[0]) for p in plan.problems]
    assert (3, "Organisatie") in lines and (4, "Onbekend") in lines
    with pytest.raises(ImportFileError):
        import_partners(caseload, plan)
    assert caseload.partners.fetch() == []
    with pytest.raises(ImportFileError, match="verplichte"):
        partner_csv.parse(b"team;telefoon\nA;B\n")


def test_today_lists_what_needs_attention(caseload: Caseload) -> None:
    on = date(2026, 11, 22)
    quiet = caseload.clients.create(given_name="Stil", family_name="Lang")
    caseload.contacts.add(quiet, occurred_at=datetime(2026, 9, 1, 10, 0), note="lang geleden")
    busy = caseload.clients.create(given_name="Druk", family_name="Recent")
    caseload.contacts.add(busy, occurred_at=datetime(2026, 11, 20, 10, 0), note="recent")
    closed = caseload.clients.create(given_name="Klaar", family_name="Af")
    caseload.clients.close(closed, "doelen bereikt")
    pid = caseload.partners.add(organisation="Wijkteam")
    caseload.consents.record(
        busy, recipient="W", purpose="verwijzing", how="mondeling", partner_id=pid
    )
    late = caseload.referrals.create(busy, pid)
    caseload.referrals.mark_sent(late, feedback_due=on - timedelta(days=3))
    on_time = caseload.referrals.create(busy, pid)
    caseload.referrals.mark_sent(on_time, feedback_due=on + timedelta(days=3))
    caseload.actions.add(busy, description="Vandaag bellen", due_on=on)
    caseload.actions.add(busy, description="Volgende week", due_on=on + timedelta(days=7))
    today = caseload.today(weeks_without_contact=6, on=on)
    assert [r.id for r in today.overdue_feedback] == [late]
    assert [a.description for a in today.actions_due] == ["Vandaag bellen"]
    assert [c.id for c in today.without_contact] == [quiet]
    assert today.count == 3


def test_partner_verification_hint() -> None:
    on = date(2026, 11, 22)
    assert partner_needs_check(None, on)
    assert partner_needs_check(date(2025, 11, 1), on)
    assert not partner_needs_check(date(2026, 1, 1), on)


def test_partner_file_problems_are_named_like_client_imports(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="is een map"):
        partner_csv.read_file(tmp_path)
    with pytest.raises(ImportFileError, match="bestaat niet"):
        partner_csv.read_file(tmp_path / "weg.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"organisatie\nCaf\xe9 de Hoek\n")
    with pytest.raises(ImportFileError, match=r"geen UTF-8 \(regel 2\)"):
        partner_csv.read_file(latin)
