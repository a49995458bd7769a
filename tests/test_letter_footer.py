"""A custom footer never overprints "pagina X van Y", and logos are checked whole."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image as PilImage
from pypdf import PdfReader

from brugdesk.documents import letter_pdf
from brugdesk.documents.letter_pdf import Block, Letter


def _letter(footer: str, paragraphs: int = 1) -> Letter:
    return Letter(
        title="t",
        author="a",
        sender=("Anouk de Wit",),
        place_date="Utrecht, 22 november 2026",
        addressee=("Wijkteam",),
        subject="Verwijzing",
        salutation="Beste collega,",
        blocks=(
            Block(
                "Over de cliënt", tuple("Een zin over de cliënt. " * 40 for _ in range(paragraphs))
            ),
        ),
        closing=("Met vriendelijke groet,", "Anouk"),
        footer=footer,
    )


def _runs(page) -> list[tuple[str, float, float]]:
    """Every text run on *page* with its x and y (points, from the bottom left)."""
    runs: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, _font, _size) -> None:
        if text.strip():
            runs.append((text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.parametrize(
    "footer",
    [
        "Stichting Welzijn Oost, Postbus 12, 8000 AA Zwolle — " * 100,  # ~5,000 characters
        "\n".join(f"Regel {i} van de voettekst" for i in range(40)),  # many lines
    ],
)
def test_footer_never_overprints_the_page_number(footer: str) -> None:
    reader = PdfReader(io.BytesIO(letter_pdf.render(_letter(footer, paragraphs=12))))
    assert len(reader.pages) >= 2
    total = len(reader.pages)
    number_left = 190 * 72 / 25.4 - letter_pdf.pdfmetrics.stringWidth(
        f"pagina {total} van {total}", letter_pdf.FONT, letter_pdf.FOOTER_SIZE
    )
    for n, page in enumerate(reader.pages, start=1):
        runs = _runs(page)
        numbers = [r for r in runs if r[0] == f"pagina {n} van {total}"]
        assert len(numbers) == 1, runs[-6:]  # the page number is intact, one run
        _, nx, _ny = numbers[0]
        assert nx == pytest.approx(number_left, abs=1)
        footer_runs = [r for r in runs if r[2] < 30 * 72 / 25.4 and r is not numbers[0]]
        assert footer_runs and footer_runs[0][0].startswith("Vertrouwelijk")
        assert len(footer_runs) <= letter_pdf.FOOTER_MAX_LINES
        for text, x, _y in footer_runs:
            width = letter_pdf.pdfmetrics.stringWidth(text, letter_pdf.FONT, letter_pdf.FOOTER_SIZE)
            assert x + width < nx - 10  # ends well left of the page number
        assert footer_runs[-1][0].endswith("…")  # cut, and visibly so
        # The body text stays above the footer.
        body = [r for r in runs if r not in footer_runs and r is not numbers[0]]
        top_of_footer = max(y for _t, _x, y in footer_runs) + letter_pdf.FOOTER_SIZE
        assert all(y > top_of_footer for _t, _x, y in body)
    assert not letter_pdf.footer_fits(footer)


def test_a_short_footer_fits_and_prints_whole() -> None:
    footer = "Welzijn Oost · 038-1234567"
    assert letter_pdf.footer_fits(footer)
    page = PdfReader(io.BytesIO(letter_pdf.render(_letter(footer)))).pages[0]
    assert f"{letter_pdf.CONFIDENTIAL} {footer}" in [r[0] for r in _runs(page)]


def test_bad_logos_are_named(tmp_path: Path) -> None:
    text = tmp_path / "tekst.png"
    text.write_text("dit is geen afbeelding", encoding="utf-8")
    good = tmp_path / "goed.png"
    PilImage.new("RGB", (120, 40), (30, 90, 160)).save(good)
    cut = tmp_path / "afgekapt.png"
    cut.write_bytes(good.read_bytes()[:-30])  # the end of the pixel data is missing
    huge = tmp_path / "reus.png"
    PilImage.new("1", (9000, 6000)).save(huge)  # a small file, a huge image
    assert huge.stat().st_size < letter_pdf.LOGO_MAX_BYTES
    assert letter_pdf.logo_problem(str(good)) is None
    assert "geen leesbare" in (letter_pdf.logo_problem(str(text)) or "")
    assert "geen leesbare" in (letter_pdf.logo_problem(str(cut)) or "")
    assert "9000 × 6000" in (letter_pdf.logo_problem(str(huge)) or "")
