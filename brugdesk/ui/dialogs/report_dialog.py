"""Resultaten: the report over a period, shown with charts, previewed and saved.

The window only collects the choices and shows what :class:`ReportJob` built
(on the thread pool: reading a big caseload takes a moment). The preview shows
the job's own PDF bytes, so what the worker reviews is what is saved. The
worker's "in woorden" text goes only into the PDF; a lock keeps it as a draft
and the dialog comes back with it after the unlock.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QRectF, QSize, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.caseload import Caseload
from brugdesk.app.report import IN_WORDS_MAX, ReportJob
from brugdesk.domain.draft_keys import report_draft_key
from brugdesk.domain.report_rules import TOTAL, Chart, Period, Report, Section, count_text
from brugdesk.errors import ValidationError
from brugdesk.ui.dialogs.referrers_dialog import referrer_label
from brugdesk.ui.kit.colours import css, hint_colour, ok_colour, warning_colour
from brugdesk.ui.kit.drafting import Drafting
from brugdesk.ui.kit.error_boundary import guard
from brugdesk.ui.kit.pdf_preview import PdfPreview, render_pages
from brugdesk.ui.kit.widgets import (
    BusyBar,
    DateEdit,
    ErrorLabel,
    heading,
    hint,
    initial_size,
    plain_label,
    plain_text,
    plain_tooltip,
    qdate,
    scrolled,
    to_date,
    user_message,
)
from brugdesk.ui.tasks import Tasks

#: The kinds of period, in the order of the combo box.
KINDS = ("Kwartaal", "Halfjaar", "Jaar", "Van–tot")
QUARTER, HALF, YEAR, BETWEEN = range(4)
NO_DATA_TEXT = "Geen gegevens in deze periode."
LEGEND = (
    "<5: een aantal van 1 tot en met 4 (of een aandeel of gemiddelde over minder dan 5 "
    "cliënten) wordt niet getoond, zodat niemand te herkennen is.   "
    "x: verborgen omdat het kleine aantal anders uit de andere cijfers te berekenen is."
)
WORDS_WARNING = (
    "Dit is uw eigen tekst, bijvoorbeeld twee korte verhalen zonder namen. Noem geen "
    "namen, adressen, data of andere details waaraan iemand te herkennen is. De tekst "
    "komt alleen in de PDF, niet in de CSV."
)
REVIEW_NOTE = "Controleer in dit voorbeeld ook de tekst 'In woorden' en klik dan op PDF opslaan…"


def last_complete_quarter(today: date) -> tuple[int, int]:
    """(year, quarter) of the last quarter that has ended before *today*."""
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


class BarChart(QWidget):
    """One chart as horizontal bars; a suppressed cell shows its mark, never a bar."""

    def __init__(self, chart: Chart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.setAccessibleName(chart.title)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def _row(self) -> int:
        return max(20, self.fontMetrics().height() + 6)

    def _title_height(self) -> int:
        return self.fontMetrics().height() + 8

    def sizeHint(self) -> QSize:
        return QSize(440, self._title_height() + self._row() * len(self.chart.labels) + 6)

    def minimumSizeHint(self) -> QSize:
        return QSize(300, self.sizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        chart = self.chart
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        bar = palette.color(QPalette.ColorRole.Highlight)
        mark = hint_colour(palette)
        metrics = self.fontMetrics()
        width = self.width()
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text)
        title_h = self._title_height()
        painter.drawText(
            QRect(0, 0, width, title_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.fontMetrics().elidedText(chart.title, Qt.TextElideMode.ElideRight, width),
        )
        painter.setFont(self.font())
        row = self._row()
        label_w = int(width * 0.38)
        value_w = max((metrics.horizontalAdvance(s) for s in chart.shown), default=0) + 12
        left = label_w + 6
        bar_w = max(10, width - left - value_w - 6)
        numbers = [v for v in chart.values if v is not None]
        lo = min([0.0, *numbers])
        hi = max([0.0, *numbers])
        span = (hi - lo) or 1.0
        x0 = left + (0 - lo) / span * bar_w
        for i, (name, value, shown) in enumerate(
            zip(chart.labels, chart.values, chart.shown, strict=True)
        ):
            y = title_h + i * row
            painter.setPen(text)
            painter.drawText(
                QRect(0, y, label_w, row),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(name, Qt.TextElideMode.ElideRight, label_w),
            )
            if value is None:  # suppressed: its mark, no bar of real length
                painter.setPen(mark)
                painter.drawText(
                    QRect(int(x0) + 4, y, bar_w, row),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    shown,
                )
                continue
            length = abs(value) / span * bar_w
            start = x0 if value >= 0 else x0 - length
            painter.fillRect(QRectF(start, y + 4, length, row - 8), QBrush(bar))
            painter.setPen(text)
            painter.drawText(
                QRect(left + bar_w + 6, y, value_w, row),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                shown,
            )
        if lo < 0:
            painter.setPen(text)
            painter.drawLine(
                int(x0), title_h, int(x0), title_h + row * len(chart.labels)
            )  # the zero line
        painter.end()


class SectionPage(QWidget):
    """One section: its heading, a table of every figure and its charts."""

    def __init__(self, section: Section, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self.table: QTableWidget | None = None
        self.charts: list[BarChart] = []
        layout = QVBoxLayout(self)
        layout.addWidget(heading(section.title, 13))
        if not section.has_data:
            self.empty = hint(NO_DATA_TEXT)
            layout.addWidget(self.empty)
            layout.addStretch(1)
            return
        row = QHBoxLayout()
        layout.addLayout(row)
        table = QTableWidget(len(section.figures), 3)
        table.setHorizontalHeaderLabels(["Cijfer", "Uitsplitsing", "Waarde"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        quiet = QBrush(hint_colour(table.palette()))
        previous = ""
        for r, figure in enumerate(section.figures):
            breakdown = "" if figure.breakdown == TOTAL else figure.breakdown
            # A figure's name once, above its breakdown rows.
            name = "" if figure.figure == previous else figure.figure
            previous = figure.figure
            cells = (name, breakdown, figure.shown)
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)  # a table item is plain text
                item.setToolTip(plain_tooltip(value))
                if c == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                    if figure.suppressed:
                        item.setForeground(quiet)
                table.setItem(r, c, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        table.resizeColumnToContents(0)
        table.setColumnWidth(0, min(table.columnWidth(0) + 8, 340))
        table.resizeRowsToContents()
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        height = header.height() + sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(height + 2 * table.frameWidth() + 2)
        table.setMinimumWidth(420)
        self.table = table
        row.addWidget(table, 3, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        for chart in section.charts:
            if not chart.labels:
                continue
            widget = BarChart(chart)
            self.charts.append(widget)
            column.addWidget(widget)
        column.addStretch(1)
        if self.charts:
            row.addLayout(column, 2)
        layout.addStretch(1)


class ReportPreviewDialog(QDialog):
    """The PDF pages as they will be saved; "PDF opslaan…" saves exactly these bytes."""

    save_requested = Signal()

    def __init__(self, title: str, note: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Voorbeeld van het rapport")
        self.pdf: bytes | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title, 13))
        self.note = hint(note)
        self.note.setVisible(bool(note))
        layout.addWidget(self.note)
        self.pages = PdfPreview()
        layout.addWidget(self.pages, 1)
        self.status = plain_label()
        self.status.setWordWrap(True)
        self.status.setStyleSheet(css(ok_colour))
        layout.addWidget(self.status)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("PDF opslaan…")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(guard(self.save_requested.emit, "PDF opslaan"))
        self.close_button = QPushButton("Sluiten")
        self.close_button.clicked.connect(self.reject)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        screen = parent.screen().availableGeometry()
        self.resize(initial_size(screen, QSize(860, 660)))


class ReportDialog(Drafting, QDialog):
    """Bestand → Resultaten…: choose a period (and referrer), read, preview, save."""

    #: A sentence for the main window's status bar (where the files went).
    message = Signal(str)

    reopen_kind = "report"

    def __init__(
        self,
        caseload: Caseload,
        tasks: Tasks,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.tasks = tasks
        self.draft_key = report_draft_key()
        self.job: ReportJob | None = None
        self.pages: list[SectionPage] = []
        self._areas: list[QWidget] = []
        self.preview_dialog: ReportPreviewDialog | None = None
        #: (job, text) whose PDF the worker has seen in the preview.
        self._seen: tuple[int, str] | None = None
        self._wanted: tuple[Period, int | None] | None = None
        self._folder = documents_folder()
        self.setWindowTitle("Resultaten")
        today = today or date.today()
        year, quarter = last_complete_quarter(today)

        # --- the period and referrer ---
        self.kind = QComboBox()
        self.kind.addItems(KINDS)
        self.kind.setAccessibleName("Soort periode")
        self.year = QSpinBox()
        self.year.setRange(1900, 9998)
        self.year.setValue(year)
        self.year.setAccessibleName("Jaar")
        self.part = QComboBox()
        self.part.setAccessibleName("Kwartaal of halfjaar")
        start = Period.quarter(year, quarter)
        self.start = DateEdit(qdate(start.start))
        self.start.setCalendarPopup(True)
        self.start.setAccessibleName("Van")
        self.end = DateEdit(qdate(start.end))
        self.end.setCalendarPopup(True)
        self.end.setAccessibleName("Tot en met")
        self.from_label = QLabel("&van")
        self.from_label.setBuddy(self.start)
        self.to_label = QLabel("t/&m")
        self.to_label.setBuddy(self.end)
        self.referrer = QComboBox()
        self.referrer.setAccessibleName("Verwijzer")
        self.referrer.addItem("Alle verwijzers", None)
        for entry in caseload.referrers.fetch():
            self.referrer.addItem(referrer_label(entry), entry.id)  # combo items are plain
        self.referrer.setMinimumContentsLength(24)
        self.referrer.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        period_label = QLabel("&Periode")
        period_label.setBuddy(self.kind)
        referrer_label_ = QLabel("&Verwijzer")
        referrer_label_.setBuddy(self.referrer)
        choose = QHBoxLayout()
        for widget in (
            period_label,
            self.kind,
            self.year,
            self.part,
            self.from_label,
            self.start,
            self.to_label,
            self.end,
        ):
            choose.addWidget(widget)
        choose.addSpacing(16)
        choose.addWidget(referrer_label_)
        choose.addWidget(self.referrer, 1)
        self.period_error = ErrorLabel()
        self.period_error.setObjectName("periodError")
        self.summary = plain_label()
        self.summary.setWordWrap(True)
        self.busy = BusyBar()

        # --- the figures and the words ---
        self.tabs = QTabWidget()
        self.words_page = QWidget()
        words = QVBoxLayout(self.words_page)
        words.addWidget(heading("In woorden", 13))
        self.words_warning = plain_label(WORDS_WARNING)
        self.words_warning.setWordWrap(True)
        self.words_warning.setStyleSheet(css(warning_colour))
        words.addWidget(self.words_warning)
        self.words = QPlainTextEdit()
        self.words.setAccessibleName("In woorden")
        self.words.setPlaceholderText(
            "Bijvoorbeeld: Een alleenstaande vrouw van in de zestig kwam via de huisarts…"
        )
        words.addWidget(self.words, 1)
        self.words_count = hint("")
        words.addWidget(self.words_count)
        self.words_error = ErrorLabel()
        words.addWidget(self.words_error)
        self.words.textChanged.connect(self._words_changed)
        self.tabs.addTab(self.words_page, "In woorden")

        self.legend = hint(LEGEND)
        self.status = plain_label()
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet(css(ok_colour))
        self.error = ErrorLabel()
        self.preview_button = QPushButton("&Voorbeeld…")
        self.preview_button.clicked.connect(guard(self.preview, "Voorbeeld"))
        self.pdf_button = QPushButton("&PDF opslaan…")
        self.pdf_button.clicked.connect(guard(self.save_pdf, "PDF opslaan"))
        self.csv_button = QPushButton("&CSV opslaan…")
        self.csv_button.clicked.connect(guard(self.save_csv, "CSV opslaan"))
        self.close_button = QPushButton("Sluiten")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.pdf_button, self.csv_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(choose)
        top_layout.addWidget(self.period_error)
        layout = QVBoxLayout(self)
        layout.addWidget(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.busy)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(guard(self.rebuild, "Resultaten"))
        self._fill_parts()
        self.part.setCurrentIndex(quarter - 1)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for signal in (
            self.year.valueChanged,
            self.part.currentIndexChanged,
            self.start.dateChanged,
            self.end.dateChanged,
            self.referrer.currentIndexChanged,
        ):
            signal.connect(self.schedule)
        self.start.textEdited.connect(self.schedule)
        self.end.textEdited.connect(self.schedule)
        self._kind_changed()
        self._words_changed()
        available = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(initial_size(available, QSize(1180, 660)))
        self.start_drafting()
        self.rebuild()

    # --- the choices ----------------------------------------------------------------------

    def _fill_parts(self) -> None:
        kind = self.kind.currentIndex()
        before = max(0, self.part.currentIndex())
        self.part.blockSignals(True)
        self.part.clear()
        if kind == QUARTER:
            self.part.addItems([f"{q}e kwartaal" for q in range(1, 5)])
        elif kind == HALF:
            self.part.addItems(["1e halfjaar", "2e halfjaar"])
        self.part.setCurrentIndex(min(before, self.part.count() - 1))
        self.part.blockSignals(False)

    def _kind_changed(self, _index: int = 0) -> None:
        kind = self.kind.currentIndex()
        self._fill_parts()
        self.year.setVisible(kind != BETWEEN)
        self.part.setVisible(kind in (QUARTER, HALF))
        for widget in (self.from_label, self.start, self.to_label, self.end):
            widget.setVisible(kind == BETWEEN)
        self.schedule()

    def choice(self) -> dict[str, Any]:
        """The choices as JSON-able values (kept in the draft)."""
        return {
            "kind": self.kind.currentIndex(),
            "year": self.year.value(),
            "part": self.part.currentIndex(),
            "start": to_date(self.start.date()).isoformat(),
            "end": to_date(self.end.date()).isoformat(),
            "referrer": self.referrer.currentData(),
        }

    def set_choice(self, values: dict[str, Any]) -> None:
        self.kind.setCurrentIndex(int(values["kind"]))
        self.year.setValue(int(values["year"]))
        self.part.setCurrentIndex(int(values["part"]))
        self.start.setDate(qdate(date.fromisoformat(values["start"])))
        self.end.setDate(qdate(date.fromisoformat(values["end"])))
        index = self.referrer.findData(values["referrer"])
        self.referrer.setCurrentIndex(max(0, index))

    def period(self) -> Period | None:
        """The period chosen, or None (and the reason next to the fields)."""
        kind = self.kind.currentIndex()
        try:
            if kind == BETWEEN:
                problem = self.start.problem() or self.end.problem()
                if problem:
                    raise ValidationError({"period": problem})
                found = Period.between(to_date(self.start.date()), to_date(self.end.date()))
            elif kind == QUARTER:
                found = Period.quarter(self.year.value(), self.part.currentIndex() + 1)
            elif kind == HALF:
                found = Period.half_year(self.year.value(), self.part.currentIndex() + 1)
            else:
                found = Period.year(self.year.value())
        except ValidationError as exc:
            self.period_error.show_message(exc.message)
            return None
        self.period_error.show_message("")
        return found

    def file_stem(self) -> str:
        """resultaten-2026-K3, -2026-H1, -2026 or -2026-01-01-tot-2026-03-15."""
        kind, year, part = self.kind.currentIndex(), self.year.value(), self.part.currentIndex()
        if kind == QUARTER:
            return f"resultaten-{year}-K{part + 1}"
        if kind == HALF:
            return f"resultaten-{year}-H{part + 1}"
        if kind == YEAR:
            return f"resultaten-{year}"
        start, end = to_date(self.start.date()), to_date(self.end.date())
        return f"resultaten-{start.isoformat()}-tot-{end.isoformat()}"

    # --- reading the figures (on the thread pool) -----------------------------------------

    def schedule(self, *_args: object) -> None:
        self._timer.start()
        self._update_buttons()

    def rebuild(self) -> None:
        self._timer.stop()
        period = self.period()
        practice = self.referrer.currentData()
        self._wanted = (period, practice) if period is not None else None
        if period is None:
            self.job = None
            self.show_report(None)
            return
        job = self.job
        if job is not None and (job.period, job.practice_id) == self._wanted:
            self._update_buttons()
            return
        self.job = None
        self._update_buttons()
        caseload = self.caseload

        def work() -> ReportJob:
            return ReportJob(caseload, period, practice)

        def done(built: ReportJob) -> None:
            self.busy.hide()
            if self._wanted != (built.period, built.practice_id):
                self.rebuild()  # the choice changed while this one was read
                return
            self.job = built
            self.error.show_message("")
            self.show_report(built.report)

        def failed(exc: BaseException) -> None:
            self.busy.hide()
            self.error.show_message(user_message(exc))
            self._update_buttons()

        if self.tasks.run("report", work, done, failed, owner=self):
            self.busy.show()
            self.summary.setText("De cijfers worden gelezen…")

    def show_report(self, report: Report | None) -> None:
        current = self.tabs.currentWidget()
        for area in self._areas:
            self.tabs.removeTab(self.tabs.indexOf(area))
            area.deleteLater()
        self.pages, self._areas = [], []
        if report is None:
            self.summary.setText("Kies eerst een geldige periode.")
            self._update_buttons()
            return
        who = report.practice or "alle verwijzers"
        self.summary.setText(
            f"Resultaten over {report.period.label} ({report.period.dates}), {who}."
        )
        for index, section in enumerate(report.sections):
            page = SectionPage(section)
            area = scrolled(page)
            self.pages.append(page)
            self._areas.append(area)
            self.tabs.insertTab(index, area, section.title)
        if current is self.words_page:
            self.tabs.setCurrentWidget(self.words_page)
        else:
            self.tabs.setCurrentIndex(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self.job is not None and not self._timer.isActive()
        for button in (self.preview_button, self.pdf_button, self.csv_button):
            button.setEnabled(ready)

    # --- the worker's words -----------------------------------------------------------------

    def _words_changed(self) -> None:
        n = len(plain_text(self.words))
        self.words_count.setText(f"{count_text(n)} van {count_text(IN_WORDS_MAX)} tekens")
        self.words_error.show_message("")

    def _ready_job(self) -> ReportJob | None:
        """The job with the words typed now, or None (and why, next to the field)."""
        job = self.job
        if job is None:
            return None
        try:
            job.set_in_words(plain_text(self.words))
        except ValidationError as exc:
            self.words_error.show_message(exc.message)
            self.tabs.setCurrentWidget(self.words_page)
            return None
        return job

    def _previewed(self, job: ReportJob) -> bool:
        return self._seen == (id(job), job.report.in_words)

    # --- preview and save ---------------------------------------------------------------------

    def preview(self, *, note: str = "") -> ReportPreviewDialog | None:
        job = self._ready_job()
        if job is None:
            return None
        dialog = ReportPreviewDialog(f"Resultaten {job.report.period.label}", note or "", self)
        dialog.save_requested.connect(self.save_pdf)
        dialog.open()
        self.preview_dialog = dialog
        ratio = dialog.pages.devicePixelRatioF()
        text = job.report.in_words

        def work() -> tuple[bytes, list]:
            pdf = job.pdf()
            return pdf, render_pages(pdf, device_pixel_ratio=ratio)

        def done(result: tuple[bytes, list]) -> None:
            pdf, images = result
            dialog.pdf = pdf
            dialog.pages.show_pages(images)
            self._seen = (id(job), text)
            dialog.save_button.setEnabled(True)

        def failed(exc: BaseException) -> None:
            dialog.pages.show_message("Er is geen voorbeeld.")
            dialog.error.show_message(user_message(exc))

        self.tasks.run(f"report-preview:{id(dialog)}", work, done, failed, owner=dialog)
        return dialog

    def _ask(self, kind: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "PDF opslaan" if kind == "pdf" else "CSV opslaan",
            str(self._folder / f"{self.file_stem()}.{kind}"),
            "PDF-bestanden (*.pdf)" if kind == "pdf" else "CSV-bestanden (*.csv)",
        )
        if not path:
            return None
        chosen = Path(path)
        if chosen.suffix.lower() != f".{kind}":
            chosen = chosen.with_name(f"{chosen.name}.{kind}")
        return chosen

    def save_pdf(self) -> None:
        job = self._ready_job()
        if job is None:
            return
        if job.report.in_words and not self._previewed(job):
            # The worker's own text is reviewed in the PDF before it leaves.
            self.preview(note=REVIEW_NOTE)
            return
        path = self._ask("pdf")
        if path is not None:
            self._save(job, "pdf", path)

    def save_csv(self) -> None:
        job = self.job
        if job is None:
            return
        path = self._ask("csv")
        if path is not None:
            self._save(job, "csv", path)

    def _save(self, job: ReportJob, kind: str, path: Path) -> None:
        text = job.report.in_words
        what = "De PDF" if kind == "pdf" else "De CSV"

        def work() -> object:
            return job.save(**{kind: path})

        def done(_saved: object) -> None:
            self.busy.hide()
            self._folder = path.parent
            message = f"{what} is opgeslagen: {path}"
            self._say(message, "")
            self.message.emit(message)
            if kind == "pdf" and text == plain_text(self.words):
                # The words have done their job: closing now asks nothing.
                self._clean = self.draft_values()
                self.discard_draft()

        def failed(exc: BaseException) -> None:
            self.busy.hide()
            self._say("", f"{what} is niet opgeslagen. {user_message(exc)}")

        if self.tasks.run("report-save", work, done, failed, owner=self):
            self.busy.show()
            self._say("", "")

    def _say(self, ok: str, error: str) -> None:
        self.status.setText(ok)
        self.error.show_message(error)
        preview = self.preview_dialog
        if preview is not None and preview.isVisible():
            preview.status.setText(ok)
            preview.error.show_message(error)

    # --- drafts ---------------------------------------------------------------------------

    def draft_values(self) -> dict[str, Any]:
        return {"in_words": plain_text(self.words), "choice": self.choice()}

    def restore_draft(self, values: dict[str, Any]) -> None:
        self.set_choice(dict(values["choice"]))
        self.words.setPlainText(str(values["in_words"]))

    def has_unsaved_edits(self) -> bool:
        """Only the words count: a period chosen is not typing that could be lost."""
        return self._clean is not None and plain_text(self.words) != self._clean["in_words"]
