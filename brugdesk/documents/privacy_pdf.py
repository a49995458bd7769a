"""The privacy statement as PDF (A4), with the letters' fonts and page numbering."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate

from brugdesk.documents.letter_pdf import (
    FONT_BOLD,
    _NumberedCanvas,
    _register_fonts,
    _styles,
    text,
)
from brugdesk.domain.privacy_statement import Statement


class _StatementCanvas(_NumberedCanvas):
    footer_text = "Privacyverklaring brugfunctie"


def render(statement: Statement, organisation: str) -> bytes:
    _register_fonts()
    st = _styles()
    title = ParagraphStyle(
        "title", parent=st["body"], fontName=FONT_BOLD, fontSize=16, leading=21, spaceAfter=8
    )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=22 * mm,
        title=statement.title,
        author=organisation,
        subject=statement.title,
        creator="brugdesk",
    )
    story: list = [Paragraph(text(statement.title), title)]
    story.append(Paragraph(text(statement.intro), st["body"]))
    for section in statement.sections:
        head = Paragraph(text(section.heading), st["heading"])
        body = [Paragraph(text(p), st["body"]) for p in section.paragraphs]
        story.append(KeepTogether([head, body[0]]))
        story.extend(body[1:])
    doc.build(story, canvasmaker=_StatementCanvas)
    return buffer.getvalue()
