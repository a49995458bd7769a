"""CSV messages name the columns as the file names them (Dutch header → Dutch names)."""

from __future__ import annotations

import pytest

from brugdesk.documents import client_csv, partner_csv
from brugdesk.documents.client_csv import ImportFileError


def test_dutch_header_row_errors_name_the_dutch_column() -> None:
    data = (
        "Voornaam;achternaam;geboortedatum;postcode;e-mail;verwijzer\n"
        "Ayşe;Kaya;31-02-1961;1234 AB;ayse@voorbeeld.nl;zelf\n"
        ";Leeg;01-01-1960;12345;geen-mail;\n"
    ).encode()
    plan = client_csv.parse(data)
    problems = [str(p) for p in plan.problems]
    assert "regel 2: Geboortedatum is geen geldige datum" in problems[0]
    assert problems[0].endswith("(kolom 'geboortedatum')")
    assert "regel 3: Voornaam is verplicht. (kolom 'Voornaam')" in problems
    assert any("(kolom 'postcode')" in p for p in problems)
    assert any("(kolom 'e-mail')" in p for p in problems)
    text = "\n".join(problems)
    for english in ("date_of_birth", "given_name", "postal_code", "email"):
        assert english not in text


def test_english_header_keeps_english_column_names() -> None:
    plan = client_csv.parse(b"given_name,family_name,date_of_birth\nA,B,gisteren\n")
    assert str(plan.problems[0]).endswith("(kolom 'date_of_birth')")


@pytest.mark.parametrize(
    ("data", "said", "not_said"),
    [
        (b"voornaam;geboortedatum\nA;1960-01-01\n", "kolom(men): achternaam", "family_name"),
        (
            b"voornaam;achternaam;leeftijd\n",
            "Toegestaan: voornaam, achternaam, geboortedatum",
            "given_name",
        ),
        (b"naam;x\n", "Toegestaan: voornaam, achternaam", "given_name"),  # neither: Dutch
        (b"given_name;age\n", "Toegestaan: given_name, family_name", "voornaam"),
    ],
)
def test_header_messages_use_the_files_language(data: bytes, said: str, not_said: str) -> None:
    with pytest.raises(ImportFileError) as info:
        client_csv.parse(data)
    assert said in info.value.message and not_said not in info.value.message


def test_partner_csv_names_dutch_columns() -> None:
    data = (
        "organisatie;leefgebieden;e-mail;gecontroleerd\n;Wonen;x;gisteren\nBuurtteam;Marsbasis;;\n"
    )
    plan = partner_csv.parse(data.encode())
    problems = [str(p) for p in plan.problems]
    assert "regel 2: Organisatie is verplicht. (kolom 'organisatie')" in problems
    assert any("(kolom 'e-mail')" in p for p in problems)
    assert any("(kolom 'gecontroleerd')" in p for p in problems)
    assert any("Marsbasis" in p and "(kolom 'leefgebieden')" in p for p in problems)
    with pytest.raises(ImportFileError, match="verplichte kolom 'organisatie'"):
        partner_csv.parse(b"team;telefoon\nA;0612345678\n")
    with pytest.raises(ImportFileError, match="verplichte kolom 'organisation'"):
        partner_csv.parse(b"team;phone\nA;0612345678\n")
    with pytest.raises(ImportFileError) as info:
        partner_csv.parse(b"organisatie;kleur\nA;rood\n")
    assert "organisatie, team, contactpersoon, leefgebieden" in info.value.message
