"""The "Resultaten" report as CSV: one row per figure, so files of several workers merge.

Columns (header row, English, as the issue names them): ``section;figure;breakdown;
value;period``. ``value`` is the number as a spreadsheet in Dutch reads it (decimal
comma, no thousands separator; shares in percent), or the shown text for a suppressed
cell ("<5", "x") and for a figure without data ("geen gegevens"). ``period`` is
``YYYY-MM-DD t/m YYYY-MM-DD``. Separator ``;`` and UTF-8 with BOM, like the other exports,
so Excel opens it in columns. Text cells that a spreadsheet would run as a formula are
neutralised (a leading ``'``), as in the sociale kaart. The "In woorden" text is free text
and never part of the CSV.
"""

from __future__ import annotations

import csv
import io

from brugdesk.documents.client_csv import neutralise
from brugdesk.domain.report_rules import Figure, Report

COLUMNS = ("section", "figure", "breakdown", "value", "period")


def value_text(figure: Figure) -> str:
    if figure.suppressed or figure.value is None:
        return figure.shown
    if isinstance(figure.value, int):
        return str(figure.value)
    text = f"{figure.value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def render(report: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    period = report.period.dates
    for f in report.figures:
        # The value is ours (digits, "<5", "x"); a negative number is no formula.
        texts = [neutralise(cell) for cell in (f.section, f.figure, f.breakdown)]
        writer.writerow([*texts, value_text(f), period])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
