"""The "Resultaten" report as PDF (A4, reportlab platypus, charts with reportlab.graphics).

A header with organisation, worker, period and practice and a line that explains the
suppression marks; then per section a table of its figures and a horizontal bar chart per
breakdown; "In woorden" (the worker's own text, reviewed before export) as the last
section; "pagina X van Y" on every page. The fonts and the page numbering are the
letters' own (``letter_pdf``). A suppressed cell prints as "<5" or "x" and gets no bar of
its real length: the figures carry no value for it, so the chart draws a zero stub with
the mark beside it.
"""

from __future__ import annotations

import io

from reportlab import rl_config
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from brugdesk.documents.letter_pdf import (
    FONT,
    FONT_BOLD,
    FOOTER_LEADING,
    _NumberedCanvas,
    _register_fonts,
    footer_lines,
    text,
)
from brugdesk.domain.report_rules import (
    SHOWN_SECONDARY,
    SHOWN_SMALL,
    TOTAL,
    Chart,
    Report,
    Section,
)

TITLE = "Resultaten brugfunctie"
FOOTER = "Geanonimiseerd overzicht: geen namen, geboortedata, adressen of dossiertekst."
LEGEND = (
    f"{SHOWN_SMALL} = een aantal van 1 tot en met 4 (of een cijfer over minder dan 5 "
    f"cliënten); het precieze getal wordt niet getoond. {SHOWN_SECONDARY} = weggelaten, "
    "zodat een klein aantal niet uit een totaal kan worden teruggerekend."
)
EMPTY = "Geen gegevens in deze periode."
CHART_MAX_BARS = 25
LABEL_CHARS = 38
#: The longest name a table cell prints: a row must fit on a page (a table row cannot
#: split), and a referrer name moved from old free text can be thousands of characters.
CELL_CHARS = 300
WIDTH = 170 * mm
BAR = colors.HexColor("#3b6ea5")


class _ReportCanvas(_NumberedCanvas):
    footer_text = FOOTER


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=4)
    return {
        "body": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5, spaceAfter=0),
        "small": ParagraphStyle(
            "small", parent=base, fontSize=8, leading=10.5, textColor=colors.HexColor("#444444")
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=FONT_BOLD, fontSize=17, leading=22, spaceAfter=6
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=13,
            leading=17,
            spaceBefore=10,
            spaceAfter=6,
            textColor=colors.HexColor("#1f3d5c"),
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=FONT_BOLD, fontSize=9.5, spaceBefore=6, spaceAfter=2
        ),
    }


def _short(label: str) -> str:
    """A chart label that fits; long names keep their start and end ("…, team 19")."""
    if len(label) <= LABEL_CHARS:
        return label
    tail = LABEL_CHARS // 2 - 2
    return label[: LABEL_CHARS - tail - 1].rstrip() + "…" + label[-tail:].lstrip()


def _cell_text(label: str) -> str:
    return label if len(label) <= CELL_CHARS else label[: CELL_CHARS - 1].rstrip() + "…"


def chart_drawing(chart: Chart) -> Drawing | None:
    """A horizontal bar chart of *chart*, or None when it has nothing to show."""
    marks = (SHOWN_SMALL, SHOWN_SECONDARY)
    if not any(v or s in marks for v, s in zip(chart.values, chart.shown, strict=True)):
        return None
    labels = list(chart.labels[:CHART_MAX_BARS])
    values = [v or 0.0 for v in chart.values[:CHART_MAX_BARS]]
    shown = list(chart.shown[:CHART_MAX_BARS])
    bar_h = 11
    label_w = 62 * mm
    height = len(labels) * bar_h + 30
    d = Drawing(WIDTH, height)
    bc = HorizontalBarChart()
    bc.x = label_w
    bc.y = 16
    bc.width = WIDTH - label_w - 18 * mm
    bc.height = len(labels) * bar_h
    bc.data = [values]
    bc.bars[0].fillColor = BAR
    bc.bars[0].strokeColor = None
    bc.barSpacing = 1
    bc.groupSpacing = 3
    low = min(0.0, *values)
    high = max(0.0, *values)
    bc.valueAxis.valueMin = low
    bc.valueAxis.valueMax = high if high > low else low + 1
    bc.valueAxis.labels.fontName = FONT
    bc.valueAxis.labels.fontSize = 7
    bc.valueAxis.visibleGrid = False
    bc.valueAxis.labelTextFormat = lambda v: f"{v:g}".replace(".", ",")
    bc.categoryAxis.categoryNames = [_short(label) for label in labels]
    bc.categoryAxis.reverseDirection = 1
    bc.categoryAxis.labels.fontName = FONT
    bc.categoryAxis.labels.fontSize = 7.5
    bc.categoryAxis.labels.boxAnchor = "e"
    bc.categoryAxis.labels.dx = -3
    bc.categoryAxis.visibleTicks = False
    bc.barLabelFormat = "values"
    bc.barLabelArray = [shown]
    bc.barLabels.fontName = FONT
    bc.barLabels.fontSize = 7
    bc.barLabels.boxAnchor = "w"
    bc.barLabels.dx = 3
    d.add(bc)
    title = chart.title
    if len(chart.labels) > CHART_MAX_BARS:
        title += f" (de eerste {CHART_MAX_BARS} van {len(chart.labels)}; alle staan in de tabel)"
    d.add(String(0, height - 10, title, fontName=FONT_BOLD, fontSize=8.5))
    return d


def _table(section: Section, st: dict[str, ParagraphStyle]) -> Table:
    rows: list[list[object]] = [
        [Paragraph("<b>Cijfer</b>", st["cell"]), Paragraph("<b>Uitsplitsing</b>", st["cell"]), ""]
    ]
    rows[0][2] = Paragraph("<b>Waarde</b>", st["cell"])
    previous = None
    for f in section.figures:
        name = "" if f.figure == previous else f.figure
        previous = f.figure
        breakdown = "" if f.breakdown == TOTAL else f.breakdown
        rows.append(
            [
                Paragraph(text(_cell_text(name)), st["cell"]),
                Paragraph(text(_cell_text(breakdown)), st["cell"]),
                f.shown,
            ]
        )
    table = Table(rows, colWidths=[62 * mm, 78 * mm, 30 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5),
                ("ALIGN", (2, 1), (2, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#1f3d5c")),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f5f8")]),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def render(report: Report, organisation: str, worker: str) -> bytes:
    """The PDF bytes of *report* (nothing is written to disk)."""
    _register_fonts()
    st = _styles()
    buffer = io.BytesIO()
    footer_top = 12 * mm + (len(footer_lines(FOOTER)) - 1) * FOOTER_LEADING + 10
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=footer_top + 6 * mm,
        title=f"{TITLE} — {report.period.label}",
        author=worker,
    )
    period = report.period
    story: list = [
        Paragraph(TITLE, st["title"]),
        Paragraph(f"<b>Periode:</b> {text(period.label)} ({text(period.dates)})", st["body"]),
        Paragraph(f"<b>Verwijzer:</b> {text(report.practice)}", st["body"]),
    ]
    if organisation:
        story.append(Paragraph(f"<b>Organisatie:</b> {text(organisation)}", st["body"]))
    if worker:
        story.append(Paragraph(f"<b>Opgesteld door:</b> {text(worker)}", st["body"]))
    story += [Spacer(1, 3 * mm), Paragraph(text(LEGEND), st["small"])]
    for section in report.sections:
        story.append(CondPageBreak(40 * mm))
        story.append(Paragraph(text(section.title), st["h1"]))
        if not section.has_data:
            story.append(Paragraph(EMPTY, st["body"]))
            continue
        story.append(_table(section, st))
        for chart in section.charts:
            drawing = chart_drawing(chart)
            if drawing is not None:
                story.append(KeepTogether([Spacer(1, 4 * mm), drawing]))
    story.append(CondPageBreak(40 * mm))
    story.append(Paragraph("In woorden", st["h1"]))
    words = report.in_words.strip()
    if words:
        for part in words.replace("\r\n", "\n").split("\n\n"):
            story.append(Paragraph(text(part), st["body"]))
    else:
        story.append(Paragraph("Voor dit rapport is geen tekst geschreven.", st["body"]))
    # reportlab checks every attribute set on a chart shape; ours are fixed and tested,
    # and the checks cost more than half the time of a yearly report.
    checking = rl_config.shapeChecking
    rl_config.shapeChecking = 0
    try:
        doc.build(story, canvasmaker=_ReportCanvas)
    finally:
        rl_config.shapeChecking = checking
    return buffer.getvalue()
