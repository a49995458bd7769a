"""The "Resultaten" PDF and CSV, read back: titles and figures in, personal data out."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, datetime, timedelta

import pypdf

from brugdesk.documents import report_csv, report_pdf
from brugdesk.domain.report_rules import (
    ClientFacts,
    Period,
    ReferralFacts,
    ReportInput,
    build_report,
)
from tests.test_report_rules import ZON_NAME, synthetic

STREET = "Kastanjelaan 17"
NAME = "Gerritdina Zwanenburg"


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_has_every_section_its_figures_and_no_personal_data() -> None:
    report = build_report(synthetic())
    data = report_pdf.render(report, "Welzijn Voorbeeldstad", "J. de Vries")
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for title in ("Bereik", "Toegang", "Wie", "Routes naar partners", "Uitkomsten"):
        assert title in text
    assert "Zorggebruik" in text and "In woorden" in text
    assert "Meneer (80) zat veel alleen." in text
    assert "1e kwartaal 2026" in text and "Welzijn Voorbeeldstad" in text
    assert ZON_NAME in text  # a practice is no person: its name is printed
    assert "64%" in text and "2,5 dagen" in text and "+12,8" in text and "<5" in text
    assert "13,5 uur" in text and "52,0 km" in text
    assert "pagina 1 van" in text
    # Dates of birth never reach the PDF.
    assert "1955" not in text and "1990" not in text


def test_a_named_input_leaks_no_names_or_streets() -> None:
    """Inputs carry no names; a street or a name smuggled into a code must not print either."""
    inp = synthetic()
    clients = [
        replace(c, postal4=STREET if c.client_id == 1 else c.postal4, themes=(*c.themes, NAME))
        for c in inp.clients
    ]
    report = build_report(replace(inp, clients=clients))
    text = pdf_text(report_pdf.render(report, "Org", "Worker"))
    assert STREET not in text and "Kastanjelaan" not in text
    csv_text = report_csv.render(report).decode("utf-8-sig")
    assert "Kastanjelaan" not in csv_text
    # A theme that is not a known code counts as "Overig" and is never printed as typed.
    assert NAME not in text and NAME not in csv_text
    assert report.figure("Thema's van de hulpvraag", "Overig").shown == "13"


def test_empty_sections_say_so_and_the_pdf_still_renders() -> None:
    empty = build_report(ReportInput(Period.year(2026), None, []))
    text = pdf_text(report_pdf.render(empty, "", ""))
    assert text.count("Geen gegevens in deze periode.") == 6
    assert "Voor dit rapport is geen tekst geschreven." in text


def test_twenty_partners_with_long_names_fit_and_chart_at_most_25_bars() -> None:
    clients = [
        ClientFacts(
            i,
            1,
            "P",
            "huisarts",
            date(2026, 2, 1),
            date(2026, 2, 1),
            None,
            "actief",
            None,
            "",
            None,
            "",
            (),
            None,
            None,
            None,
        )
        for i in range(200)
    ]
    refs = [
        ReferralFacts(
            i,
            i % 30,
            f"Stichting Maatschappelijke Dienstverlening en Welzijn Regio Noord, team {i % 30}",
            ("netwerk",),
            (("verstuurd", datetime(2026, 2, 1, 10) + timedelta(days=i % 20)),),
            None,
        )
        for i in range(200)
    ]
    report = build_report(ReportInput(Period.year(2026), None, clients, referrals=refs))
    data = report_pdf.render(report, "Org", "Worker")
    text = pdf_text(data)
    assert "de eerste 25 van 30" in text
    assert "team 29" in text  # every partner is in the table, wrapped
    routes = next(s for s in report.sections if s.key == "routes")
    chart = next(c for c in routes.charts if c.figure == "Verwijzingen naar partner")
    drawing = report_pdf.chart_drawing(chart)
    assert drawing is not None
    names = drawing.contents[0].categoryAxis.categoryNames
    assert len(names) == 25 and len(set(names)) == 25  # long names stay told apart
    assert all(len(n) <= report_pdf.LABEL_CHARS for n in names)


def test_suppressed_cells_get_no_bar_of_real_length() -> None:
    report = build_report(synthetic())
    wie = next(s for s in report.sections if s.key == "wie")
    chart = next(c for c in wie.charts if c.figure == "Wijk (postcode)")
    assert chart.values == (7.0, None, None) and chart.shown == ("7", "x", "<5")
    drawing = report_pdf.chart_drawing(chart)
    assert drawing is not None
    bars = drawing.contents[0]
    assert bars.data == [[7.0, 0.0, 0.0]]  # stubs with the mark beside them
    assert bars.barLabelArray == [["7", "x", "<5"]]


def test_the_csv_round_trips_one_row_per_figure() -> None:
    report = build_report(synthetic())
    data = report_csv.render(report)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["section", "figure", "breakdown", "value", "period"]
    body = rows[1:]
    assert len(body) == len(report.figures)
    assert all(r[4] == "2026-01-01 t/m 2026-03-31" for r in body)
    got = {(r[1], r[2]): r[3] for r in body}
    assert got[("Nieuwe aanmeldingen", "totaal")] == "14"
    assert got[("Nieuwe aanmeldingen naar verwijzer", ZON_NAME)] == "7"
    assert got[("Nieuwe aanmeldingen naar soort verwijzer", "Cliënt zelf")] == "<5"
    assert got[("Nieuwe aanmeldingen naar soort verwijzer", "Wijkteam")] == "x"
    assert got[("Eerste contact binnen 14 dagen", "aandeel")] == "64,3"
    assert got[("Eenzaamheid (DJG-6)", "gemiddelde verandering")] == "-2,33"
    assert got[("Dagen tot reactie partner", "mediaan")] == "2,5"
    assert got[("WHO-5 welbevinden", "aandeel verbeterd")] == "<5"
    assert "Meneer" not in data.decode("utf-8-sig")  # In woorden is free text: not in the CSV


def test_the_csv_neutralises_formulas_in_names() -> None:
    inp = synthetic()
    clients = [replace(c, referrer="=HYPERLINK(1)") if c.referrer else c for c in inp.clients]
    data = report_csv.render(build_report(replace(inp, clients=clients)))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    cells = [r[2] for r in rows if r[1] == "Nieuwe aanmeldingen naar verwijzer"]
    assert (
        "'=HYPERLINK(1) (Huisartsenpraktijk)" in cells
    )  # same name twice: the kind tells them apart
    assert not any(c.startswith("=") for r in rows for c in r)


def test_a_referrer_name_of_thousands_of_characters_still_prints() -> None:
    """An old free-text referrer moved into the list can be any length; a row must fit."""
    long_name = "Praktijk " + "W" * 5_000
    base = synthetic()
    clients = [
        replace(c, referrer=long_name) if c.referrer == ZON_NAME else c for c in base.clients
    ]
    words = "<b>niet vet</b> &amp; " + "z" * 5_000 + "\n\n<font size=40>x</font>"
    report = build_report(replace(base, clients=clients, in_words=words))
    text = pdf_text(report_pdf.render(report, "Org <i>", "Wim"))
    assert "Praktijk WWWW" in text and "…" in text
    assert "<b>niet vet</b>" in text and "&amp;" in text and "<font size=40>x</font>" in text
    assert "Org <i>" in text
    # The CSV keeps the full name (a spreadsheet cell has room).
    assert long_name in report_csv.render(report).decode("utf-8-sig")
