"""The "Resultaten" report as one job: figures over a period, previewed, exported.

``ReportJob`` reads the facts once (:mod:`brugdesk.services.report`), builds
the figures (:mod:`brugdesk.domain.report_rules`) and renders the PDF once
per "in words" text, so the preview shows exactly the bytes that are saved.
Saving writes each file as every export does (``export_file``): a temp file
next to the destination, the audit row in the transaction, then the rename.
The audit row names the period and the file, never a figure.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.orm import Session

from brugdesk.app.caseload import Caseload
from brugdesk.app.files import export_file
from brugdesk.documents import report_csv, report_pdf
from brugdesk.domain import validation as v
from brugdesk.domain.report_rules import Period, Report, ReportInput, build_report
from brugdesk.errors import ValidationError
from brugdesk.services.audit import record

#: The longest "in words" text: about two pages.
IN_WORDS_MAX = 6_000


@dataclass(frozen=True)
class SavedReport:
    pdf: Path | None
    csv: Path | None


class ReportJob:
    """One report: the period and referrer chosen, the worker's own words added."""

    def __init__(self, caseload: Caseload, period: Period, practice_id: int | None = None) -> None:
        self.caseload = caseload
        self.period = period
        self.practice_id = practice_id
        self._input: ReportInput = caseload.report.input(period, practice_id)
        self.report: Report = build_report(self._input)
        # One read (NEN 7513) per report built: it draws on every client's file.
        caseload.audit.read(
            "report",
            view="report",
            period=[period.start.isoformat(), period.end.isoformat()],
            referrer_id=practice_id,
        )
        self._pdf: tuple[str, bytes] | None = None

    def set_in_words(self, text: str) -> Report:
        """The worker's text for this report (free text: never in the CSV)."""
        c = v.Checker()
        text = c.check("in_words", v.text, text, "In woorden", max_len=IN_WORDS_MAX)
        c.done()
        if text != self.report.in_words:
            self.report = replace(self.report, in_words=text)
        return self.report

    def pdf(self) -> bytes:
        """The PDF as it will be saved (rendered once per text)."""
        if self._pdf is None or self._pdf[0] != self.report.in_words:
            settings = self.caseload.settings.get()
            worker = ", ".join(x for x in (settings.worker_name, settings.worker_role) if x)
            data = report_pdf.render(self.report, settings.organisation, worker)
            self._pdf = (self.report.in_words, data)
        return self._pdf[1]

    def csv(self) -> bytes:
        return report_csv.render(self.report)

    def save(self, *, pdf: Path | None = None, csv: Path | None = None) -> SavedReport:
        """Write the chosen files; each arrives with its audit row, or not at all."""
        if pdf is None and csv is None:
            raise ValidationError({"file": "Kies waar het rapport moet komen (PDF of CSV)."})
        if pdf is not None and csv is not None and Path(pdf).resolve() == Path(csv).resolve():
            raise ValidationError(
                {
                    "file": "De PDF en de CSV kunnen niet in hetzelfde bestand. Geef de CSV een "
                    "andere naam. Er is niets opgeslagen."
                }
            )
        if pdf is not None:
            self._save(Path(pdf), self.pdf(), "pdf")
        if csv is not None:
            self._save(Path(csv), self.csv(), "csv")
        return SavedReport(pdf, csv)

    def _save(self, dest: Path, data: bytes, kind: str) -> None:
        period, practice = self.period, self.practice_id

        def rows(session: Session, sha: str) -> None:
            record(
                session,
                "export",
                "report",
                None,
                None,
                kind=kind,
                period=period.dates,
                referrer_id=practice,
                file=dest.name,
                sha256=sha,
            )

        export_file(self.caseload, dest, data, rows)
