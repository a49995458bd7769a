"""CSV without surprises: long fields, duplicate columns, formula injection."""

from __future__ import annotations

import csv
import io
import os
import sys
from pathlib import Path

import pytest

from brugdesk.app.caseload import Caseload
from brugdesk.app.transfers import export_partners, import_clients, import_partners, read_clients
from brugdesk.documents import partner_csv
from brugdesk.documents.client_csv import ImportFileError, neutralise, unneutralise


def test_one_megabyte_note_imports(caseload: Caseload, tmp_path: Path) -> None:
    note = "Lange notitie. " * 70_000  # over 1 MB, far above csv's 128 KiB default
    path = tmp_path / "lang.csv"
    path.write_text(f'voornaam;achternaam;notitie\nLang;Verhaal;"{note}"\n', encoding="utf-8")
    plan = read_clients(path)
    assert plan.ok, plan.problems
    assert import_clients(caseload, plan) == 1
    client = caseload.clients.fetch()[0]
    assert caseload.contacts.fetch(client.id)[0].note == note


@pytest.mark.parametrize(
    "header",
    ["organisatie;telefoon;telefoon", "organisation;organisatie", "Organisatie;ORGANISATIE"],
)
def test_partner_csv_refuses_duplicate_columns(header: str) -> None:
    data = f"{header}\nHumanitas;038-1234567;038-7654321\n".encode()
    with pytest.raises(ImportFileError) as info:
        partner_csv.parse(data)
    assert "twee keer in de kopregel" in info.value.message


HOSTILE = {
    "organisation": '=HYPERLINK("http://kwaad.example";"klik")',
    "team": "-5",
    "contact_person": "@SUM(1)",
    "phone": "+31 38 123 4567",
    "how_to_refer": "'=al met een aanhalingsteken",
    "notes": "'gewoon citaat",
}


def test_export_neutralises_formulas_and_round_trips(caseload: Caseload, tmp_path: Path) -> None:
    caseload.partners.add(**HOSTILE)
    target = tmp_path / "kaart.csv"
    assert export_partners(caseload, target) == 1
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8-sig")), delimiter=";"))
    cells = dict(zip(rows[0], rows[1], strict=True))
    # No cell a spreadsheet would run as a formula.
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in rows[1])
    assert cells["organisation"] == "'" + HOSTILE["organisation"]
    assert cells["phone"] == "'+31 38 123 4567"
    assert cells["notes"] == "'gewoon citaat"  # not a formula: left as typed
    plan = partner_csv.parse(target.read_bytes())
    assert plan.ok, plan.problems
    for key, value in HOSTILE.items():
        assert plan.partners[0][key] == value
    assert import_partners(caseload, plan) == 1
    again = [p for p in caseload.partners.fetch() if p.phone == "+31 38 123 4567"]
    assert len(again) == 2


@pytest.mark.parametrize(
    "value", ["=1+1", "+31 38 123 4567", "-5", "@SUM(1)", "\tx", "'=x", "''-3", "'", "", "gewoon"]
)
def test_neutralise_is_undone_exactly(value: str) -> None:
    assert unneutralise(neutralise(value)) == value


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/zero are POSIX")
def test_a_device_or_pipe_is_refused_at_once_not_read(tmp_path: Path) -> None:
    """/dev/zero would fill the memory, a pipe would hang the import."""
    from brugdesk.documents.client_csv import ImportFileError, read_bytes

    with pytest.raises(ImportFileError, match="geen gewoon bestand"):
        read_bytes(Path("/dev/zero"))
    fifo = tmp_path / "pijp.csv"
    os.mkfifo(fifo)
    with pytest.raises(ImportFileError, match="geen gewoon bestand"):
        read_bytes(fifo)  # a non-blocking open returns at once, even with no writer
