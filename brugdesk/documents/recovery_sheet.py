"""A printable recovery sheet (PDF) with the recovery key: no client data on it."""

from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

TITLE = "brugdesk — herstelblad"


def build(
    recovery_key: str, vault_id: str, worker_name: str = "", today: date | None = None
) -> bytes:
    """PDF bytes of the sheet. The recovery key is the only secret on it."""
    today = today or date.today()
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    key_style = ParagraphStyle(
        "key", parent=body, fontName="Courier-Bold", fontSize=17, leading=24, alignment=1
    )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=TITLE,
        author="brugdesk",
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=25 * mm,
    )
    groups = recovery_key.split("-")
    key_table = Table(
        [
            [Paragraph(escape(" ".join(groups[:4])), key_style)],
            [Paragraph(escape(" ".join(groups[4:])), key_style)],
        ],
        colWidths=[150 * mm],
    )
    key_table.setStyle(
        TableStyle(
            [("BOX", (0, 0), (-1, -1), 1.2, colors.black), ("TOPPADDING", (0, 0), (-1, -1), 6)]
        )
    )
    owner = f" van {escape(worker_name)}" if worker_name else ""
    story = [
        Paragraph(TITLE, styles["Title"]),
        Paragraph(f"Herstelsleutel voor de brugdesk-kluis{owner}.", body),
        Paragraph(f"Kluis: {escape(vault_id[:8])} · aangemaakt op {today:%d-%m-%Y}", body),
        Spacer(1, 10 * mm),
        key_table,
        Spacer(1, 10 * mm),
        Paragraph(
            "<b>Waarvoor?</b> Bent u uw wachtwoord kwijt, dan opent u de kluis met deze "
            "sleutel via <i>Herstelsleutel gebruiken</i> en kiest u direct een nieuw "
            "wachtwoord.",
            body,
        ),
        Paragraph(
            "<b>Bewaar dit blad veilig</b> en niet bij de laptop: wie de laptop én dit "
            "blad heeft, kan de caseload openen. Een afgesloten kast op kantoor of een "
            "envelop bij uw leidinggevende is een goede plek.",
            body,
        ),
        Paragraph("Op dit blad staan geen cliëntgegevens.", body),
    ]
    doc.build(story)
    return buffer.getvalue()
