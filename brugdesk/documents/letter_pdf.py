"""Letters as PDF, built in memory with reportlab platypus.

Every piece of text a person typed is escaped before it reaches a Paragraph,
so ``a < b``, ``<b>`` or ``<img src="/etc/passwd"/>`` print literally and never
read a file. A bundled DejaVu font (see brugdesk/resources/fonts) is embedded so every
name prints as typed; :func:`glyph_problems` names the characters it cannot
draw (Chinese, Devanagari, many emoji) and the right-to-left script (Arabic,
Hebrew) that reportlab prints unshaped and left-to-right, so the worker is
warned before saving. Pages carry "pagina X van Y" and a confidentiality line.
Password protection uses AES-256 through pypdf (reportlab's own is RC4).
"""

from __future__ import annotations

import io
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from brugdesk.errors import BrugdeskError, LogoError
from brugdesk.paths import resource_file

FONT = "BrugdeskSans"
FONT_BOLD = "BrugdeskSans-Bold"
LOGO_MAX_BYTES = 5 * 1024 * 1024
LOGO_MAX_SIDE = 5000  # pixels: a logo is printed 4 cm wide
#: The footer: at most this many lines of 8 pt, left of "pagina X van Y".
FOOTER_MAX_LINES = 4
FOOTER_SIZE = 8
FOOTER_LEADING = 9.5
LOGO_FORMATS = ("PNG", "JPEG")
CONFIDENTIAL = "Vertrouwelijk — alleen bestemd voor de geadresseerde."
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 - no 0/o, 1/l/i


@dataclass(frozen=True)
class Block:
    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Letter:
    title: str
    author: str
    sender: tuple[str, ...]
    place_date: str
    addressee: tuple[str, ...]
    subject: str
    salutation: str
    blocks: tuple[Block, ...]
    closing: tuple[str, ...]
    footer: str = ""
    logo_path: str = ""


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    # TTFont reads the whole file while it is constructed, so the path is needed
    # only inside the ``with``.
    for name, file in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf")):
        try:
            with resource_file("fonts", file) as path:
                pdfmetrics.registerFont(TTFont(name, str(path)))
        except (OSError, TTFError) as exc:
            # A broken installation, not the worker's text: say so.
            raise BrugdeskError(
                f"Het lettertype voor brieven ({file}) ontbreekt in deze installatie van "
                "brugdesk. Er is niets opgeslagen. Installeer brugdesk opnieuw."
            ) from exc
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


#: Characters no font draws by itself: variation selectors and joiners only steer
#: the character before them.
_STEERING = {0x200C, 0x200D, *range(0xFE00, 0xFE10)}
_LISTED_AT_MOST = 12


@dataclass(frozen=True)
class GlyphProblem:
    """One part of a letter with characters that will not print as typed."""

    field: str  # the part of the letter, in Dutch ("Onderwerp", "Over de cliënt", …)
    missing: tuple[str, ...]  # characters the bundled font has no glyph for
    right_to_left: tuple[str, ...]  # Arabic or Hebrew letters: printed unshaped, reversed

    @property
    def message(self) -> str:
        parts = []
        if self.missing:
            parts.append(
                f"In '{self.field}' staan tekens die de brief niet kan weergeven: "
                f"{_listed(self.missing)}. Die komen als lege vakjes in de PDF."
            )
        if self.right_to_left:
            parts.append(
                f"In '{self.field}' staat Arabisch of Hebreeuws schrift "
                f"({_listed(self.right_to_left)}). De PDF zet die letters los en van links "
                "naar rechts, dus onleesbaar."
            )
        parts.append(
            "Schrijf de tekst in Latijnse letters (bijvoorbeeld de naam zoals in het paspoort) "
            "voordat u de brief opslaat."
        )
        return " ".join(parts)


def _listed(chars: tuple[str, ...]) -> str:
    shown = " ".join(chars[:_LISTED_AT_MOST])
    return shown + (" …" if len(chars) > _LISTED_AT_MOST else "")


def _letter_fields(letter: Letter) -> list[tuple[str, tuple[str, ...]]]:
    fields = [
        ("Afzender", letter.sender),
        ("Plaats en datum", (letter.place_date,)),
        ("Geadresseerde", letter.addressee),
        ("Onderwerp", (letter.subject,)),
        ("Aanhef", (letter.salutation,)),
    ]
    fields += [(block.heading, (block.heading, *block.lines)) for block in letter.blocks]
    fields += [("Afsluiting", letter.closing), ("Voettekst", (letter.footer,))]
    return fields


def glyph_problems(letter: Letter) -> list[GlyphProblem]:
    """Every part of *letter* holding characters that would not print as typed."""
    _register_fonts()
    covered = pdfmetrics.getFont(FONT).face.charToGlyph
    problems = []
    for field, values in _letter_fields(letter):
        missing: dict[str, None] = {}
        rtl: dict[str, None] = {}
        for value in values:
            for ch in value:
                code = ord(ch)
                if ch.isspace() or code in _STEERING or unicodedata.category(ch) == "Cc":
                    continue
                if code not in covered:
                    missing[ch] = None
                elif unicodedata.bidirectional(ch) in ("R", "AL"):
                    rtl[ch] = None
        if missing or rtl:
            problems.append(GlyphProblem(field, tuple(missing), tuple(rtl)))
    return problems


def text(value: str) -> str:
    """Typed text made safe for a Paragraph: escaped, line breaks kept."""
    return escape(value).replace("\r\n", "\n").replace("\n", "<br/>")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14.5, spaceAfter=4)
    return {
        "body": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=9, leading=12, textColor=colors.HexColor("#333333")
        ),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "subject": ParagraphStyle(
            "subject",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=12,
            leading=16,
            spaceBefore=6,
            spaceAfter=8,
        ),
        "heading": ParagraphStyle(
            "heading", parent=base, fontName=FONT_BOLD, fontSize=10.5, spaceBefore=8, spaceAfter=2
        ),
    }


class _NumberedCanvas(rl_canvas.Canvas):
    """Two passes so each page knows the total: 'pagina X van Y'."""

    footer_text = CONFIDENTIAL

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        # The footer wraps in the space left of the page number and never reaches it.
        lines = footer_lines(self.footer_text)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, FOOTER_SIZE)
            self.setFillColor(colors.HexColor("#555555"))
            for i, line in enumerate(lines):
                self.drawString(20 * mm, 12 * mm + (len(lines) - 1 - i) * FOOTER_LEADING, line)
            self.drawRightString(190 * mm, 12 * mm, f"pagina {self._pageNumber} van {total}")
            super().showPage()
        super().save()


def footer_width() -> float:
    """The footer's width in points: the text column left of "pagina 999 van 999"."""
    _register_fonts()
    number = pdfmetrics.stringWidth("pagina 999 van 999", FONT, FOOTER_SIZE)
    return 170 * mm - number - 6 * mm


def footer_lines(footer: str) -> list[str]:
    """*footer* wrapped to the footer width, at most FOOTER_MAX_LINES lines ('…' when cut)."""
    from reportlab.lib.utils import simpleSplit

    width = footer_width()
    lines: list[str] = []
    for paragraph in footer.replace("\r\n", "\n").split("\n"):
        lines.extend(simpleSplit(paragraph, FONT, FOOTER_SIZE, width) or [""])
    lines = [line for line in lines if line.strip()]
    if len(lines) <= FOOTER_MAX_LINES:
        return lines
    last = lines[FOOTER_MAX_LINES - 1]
    while last and pdfmetrics.stringWidth(last + " …", FONT, FOOTER_SIZE) > width:
        last = last[:-1]
    return [*lines[: FOOTER_MAX_LINES - 1], last.rstrip() + " …"]


def footer_fits(footer: str) -> bool:
    """True when *footer* prints whole next to the page number (nothing is cut)."""
    whole = CONFIDENTIAL + (f" {footer}" if footer else "")
    lines = footer_lines(whole)
    return not (lines and lines[-1].endswith(" …") and not whole.rstrip().endswith("…"))


def render(letter: Letter) -> bytes:
    """The PDF bytes of *letter* (nothing is written to disk)."""
    _register_fonts()
    st = _styles()
    buffer = io.BytesIO()
    footer = CONFIDENTIAL + (f" {letter.footer}" if letter.footer else "")
    footer_top = 12 * mm + (len(footer_lines(footer)) - 1) * FOOTER_LEADING + 10
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=max(22 * mm, footer_top),
        title=letter.title,
        author=letter.author,
        subject=letter.subject,
        creator="brugdesk",
    )
    story: list = []
    logo = _logo(letter.logo_path)
    if logo is not None:
        story.append(logo)
    story.append(Paragraph("<br/>".join(text(s) for s in letter.sender if s), st["small"]))
    story.append(Spacer(1, 6 * mm))
    story.append(Paragraph("<br/>".join(text(s) for s in letter.addressee if s), st["body"]))
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(text(letter.place_date), st["right"]))
    story.append(Paragraph(text(letter.subject), st["subject"]))
    story.append(Paragraph(text(letter.salutation), st["body"]))
    for block in letter.blocks:
        head = Paragraph(text(block.heading), st["heading"])
        paragraphs = [
            Paragraph(text(p), st["body"])
            for line in block.lines
            for p in (line.split("\n\n") if line else [""])
            if p.strip()
        ]
        if not paragraphs:
            continue
        story.append(KeepTogether([head, paragraphs[0]]))  # no heading alone at a page end
        story.extend(paragraphs[1:])
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph("<br/>".join(text(s) for s in letter.closing if s), st["body"]))

    class Canvas(_NumberedCanvas):
        footer_text = footer

    doc.build(story, canvasmaker=Canvas)
    return buffer.getvalue()


def logo_problem(path: str) -> str | None:
    """Why the logo at *path* cannot go on a letter (a Dutch sentence), or None.

    The whole image is decoded here, because reportlab reads a PNG only while it
    builds the PDF: a damaged file would otherwise fail halfway through a letter.
    """
    if not path:
        return None
    logo = Path(path)
    name = logo.name or path
    try:
        if not logo.is_file():
            return f"Het logobestand {name} is niet gevonden."
        if logo.stat().st_size > LOGO_MAX_BYTES:
            return f"Het logobestand {name} is groter dan 5 MB."
        from PIL import Image as PilImage

        with PilImage.open(logo) as image:
            kind = image.format
            if max(image.size) > LOGO_MAX_SIDE:
                width, height = image.size
                return (
                    f"Het logobestand {name} is te groot ({width} × {height} pixels); "
                    f"gebruik een afbeelding van hoogstens {LOGO_MAX_SIDE} pixels breed en hoog."
                )
            image.load()
    except Exception:  # PIL raises many kinds of errors for a bad file
        return f"Het logobestand {name} is geen leesbare PNG- of JPG-afbeelding."
    if kind not in LOGO_FORMATS:
        return f"Het logobestand {name} is geen PNG- of JPG-afbeelding."
    return None


def _logo(path: str) -> Image | None:
    if not path:
        return None
    problem = logo_problem(path)
    if problem is None:
        try:
            image = Image(path)
        except Exception:
            problem = f"Het logobestand {Path(path).name} kan niet worden gelezen."
    if problem is not None:
        raise LogoError(
            problem + " Kies bij Instellingen een ander logo of maak het veld Logo leeg, "
            "en probeer het opnieuw."
        )
    ratio = image.imageHeight / max(image.imageWidth, 1)
    image.drawWidth = 40 * mm
    image.drawHeight = 40 * mm * ratio
    image.hAlign = "LEFT"
    return image


def generate_password() -> str:
    """A strong password to read out or send separately: 5 groups of 4, ~100 bits."""
    return "-".join("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(5))


def protect(pdf: bytes, password: str) -> bytes:
    """The same PDF, encrypted with AES-256 (pypdf)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
