"""Spreadsheet import: every row validated first, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from brugdesk.app.caseload import Caseload
from brugdesk.app.transfers import import_clients
from brugdesk.documents import client_csv as csv_import
from brugdesk.documents.client_csv import ImportFileError

GOOD = (
    "given_name;family_name;date_of_birth;address;postal_code;city;phone;email;referrer;reason;note\n"
    "Şükrü;Yılmaz;12-03-1961;Dorpsstraat 1;1234ab;Zwolle;06-12345678;s@example.nl;"
    'Huisartsenpraktijk De Linde;Schulden;"Eerste gesprek; met puntkomma\nen een tweede regel"\n'
    "Łukasz;Wójcik;1980-02-03;;;;;;zelf;;\n"
    "\n"
    "Nguyễn;Thị Minh;;;;;;;;;\n"
)


def test_good_file_imports_everything(caseload: Caseload) -> None:
    plan = csv_import.parse(("\ufeff" + GOOD).encode("utf-8"))
    assert plan.ok and len(plan.clients) == 3
    assert import_clients(caseload, plan) == 3
    rows = {r.family_name: r for r in caseload.clients.fetch()}
    yilmaz = caseload.clients.get(rows["Yılmaz"].id)
    assert yilmaz.postal_code == "1234 AB" and yilmaz.referrer_name == "Huisartsenpraktijk De Linde"
    assert rows["Wójcik"].referrer_kind == "zelf"
    notes = caseload.contacts.fetch(yilmaz.id)
    assert [n.note for n in notes] == ["Eerste gesprek; met puntkomma\nen een tweede regel"]
    assert caseload.contacts.fetch(rows["Wójcik"].id) == []
    assert [a.action for a in caseload.audit.fetch() if a.entity == "client"] == ["import"]
    # The file's referrers joined the referrer list, each once, in the import's transaction.
    assert sorted((r.name, r.kind) for r in caseload.referrers.fetch()) == [
        ("Cliënt zelf", "zelf"),
        ("Huisartsenpraktijk De Linde", "huisarts"),
    ]


def test_comma_separated_dutch_headers() -> None:
    data = b"Voornaam,Achternaam,Geboortedatum\nJan,de Vries,01-01-1950\n"
    plan = csv_import.parse(data)
    assert plan.ok and plan.clients[0]["family_name"] == "de Vries"


def test_any_bad_row_blocks_the_whole_import(caseload: Caseload) -> None:
    data = (
        b"given_name;family_name;date_of_birth;email;postal_code\n"
        b"Goed;Mens;;;\n"
        b";Zondernaam;;;\n"
        b"Toekomst;Kind;01-01-2099;;\n"
        b"Fout;Adres;;geen-mail;99999\n"
        b"Te;Veel;;;;extra\n"
    )
    plan = csv_import.parse(data)
    assert not plan.ok
    assert [(p.line, p.message.split()[0]) for p in plan.problems] == [
        (3, "Voornaam"),
        (4, "Geboortedatum"),
        (5, "Postcode"),
        (5, "E-mailadres"),
        (6, "6"),
    ]
    with pytest.raises(ImportFileError):
        import_clients(caseload, plan)
    assert caseload.clients.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "leeg"),
        (b"voornaam;achternaam\nJos\xe9;X\n", "UTF-8"),
        (b"naam;x\n", "Onbekende kolom"),
        (b"voornaam;voornaam;achternaam\n", "twee keer"),
        (b"voornaam;woonplaats\nA;B\n", "verplichte"),
    ],
)
def test_unreadable_files_say_why(data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        csv_import.parse(data)


def test_header_only_and_missing_file(tmp_path: Path) -> None:
    plan = csv_import.parse(b"voornaam;achternaam\n")
    assert not plan.ok and "geen cliënten" in str(plan.problems[0])
    with pytest.raises(ImportFileError, match="bestaat niet"):
        csv_import.read_file(tmp_path / "weg.csv")
    with pytest.raises(ImportFileError, match="map"):
        csv_import.read_file(tmp_path)
