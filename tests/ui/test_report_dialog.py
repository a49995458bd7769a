"""Bestand → Resultaten…: the real window on a real vault, the files read back."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog

from brugdesk.app.caseload import Caseload
from brugdesk.domain.draft_keys import report_draft_key
from brugdesk.ui.dialogs.report_dialog import (
    BETWEEN,
    NO_DATA_TEXT,
    YEAR,
    BarChart,
    ReportDialog,
    ReportPreviewDialog,
    last_complete_quarter,
)
from brugdesk.ui.main_window import MainWindow
from tests.ui.conftest import type_text, unlock
from tests.ui.test_layout_fits import LAPTOP, clipped_labels

YEAR_NOW = date.today().year
MARKUP = "<b>Praktijk</b> & <i>Zonen</i>"
WORDS = "Een vrouw van in de zeventig vond via de koffieochtend weer aansluiting."


def _fill(cl: Caseload) -> tuple[int, int]:
    """Six clients of a practice with markup in its name, five of a wijkteam; a home visit
    each, and one phone call (a count of 1, so it is suppressed)."""
    markup = cl.referrers.add(name=MARKUP, kind="huisarts")
    wijk = cl.referrers.add(name="Wijkteam Oost", kind="wijkteam")
    for i in range(11):
        client = cl.clients.create(
            given_name=f"Naam{i}",
            family_name="Geheim",
            referrer_id=markup if i < 6 else wijk,
            referred_on=date(YEAR_NOW, 1, 2 + i),
        )
        cl.contacts.add(client, occurred_at=datetime(YEAR_NOW, 1, 10 + i, 10, 0), kind="huisbezoek")
        if i == 0:
            cl.contacts.add(client, occurred_at=datetime(YEAR_NOW, 2, 1, 10, 0), kind="telefonisch")
    return markup, wijk


def _open(qtbot, win: MainWindow) -> ReportDialog:
    assert win.report_action in win.toolbar.actions()
    actions = win.toolbar.actions()
    assert actions.index(win.report_action) == actions.index(win.partners_action) + 1
    assert win.report_action.shortcut().toString() == "Ctrl+R"
    win.report_action.trigger()  # Bestand → Resultaten…
    assert win.workspace is not None
    dialog = next(d for d in win.workspace.dialogs if isinstance(d, ReportDialog))
    _settled(qtbot, win, dialog)
    return dialog


def _settled(qtbot, win: MainWindow, dialog: ReportDialog) -> None:
    def ready() -> bool:
        wanted = dialog._wanted
        job = dialog.job
        return (
            job is not None
            and wanted == (job.period, job.practice_id)
            and not dialog._timer.isActive()
            and not win.tasks.running("report")
        )

    qtbot.waitUntil(ready, timeout=15000)


def _choose_year(qtbot, win: MainWindow, dialog: ReportDialog, referrer: int | None) -> None:
    dialog.kind.setCurrentIndex(YEAR)
    dialog.year.setValue(YEAR_NOW)
    dialog.referrer.setCurrentIndex(dialog.referrer.findData(referrer))
    _settled(qtbot, win, dialog)


def _row(dialog: ReportDialog, figure: str, breakdown: str = "") -> str:
    """The value the window shows for *figure* (its name stands once, above its rows)."""
    for page in dialog.pages:
        table = page.table
        if table is None:
            continue
        name = ""
        for r in range(table.rowCount()):
            name = table.item(r, 0).text() or name
            if name == figure and table.item(r, 1).text() == breakdown:
                return table.item(r, 2).text()
    raise KeyError(figure)


def _save_as(monkeypatch, *paths: Path) -> list[str]:
    """QFileDialog answers with *paths* in turn; returns the default names it was offered."""
    offered: list[str] = []
    answers = list(paths)

    def answer(_parent, _title, default, _filter):
        offered.append(default)
        return str(answers.pop(0)), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    return offered


def _report_rows(cl: Caseload) -> list:
    return [a for a in cl.audit.fetch() if a.entity == "report" and a.action == "export"]


def test_year_and_referrer_shown_previewed_and_saved(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    assert cl is not None
    markup, _wijk = _fill(cl)
    dialog = _open(qtbot, window)
    # Default: the last complete quarter.
    year, quarter = last_complete_quarter(date.today())
    assert dialog.job is not None and dialog.job.period.label == f"{quarter}e kwartaal {year}"
    assert dialog.width() <= LAPTOP.width() and dialog.height() <= LAPTOP.height()

    # All referrers: eleven new clients, six of them from the practice.
    _choose_year(qtbot, window, dialog, None)
    assert _row(dialog, "Nieuwe aanmeldingen") == "11"
    assert _row(dialog, "Nieuwe aanmeldingen naar verwijzer", MARKUP) == "6"
    assert _row(dialog, "Nieuwe aanmeldingen naar verwijzer", "Wijkteam Oost") == "5"
    assert _row(dialog, "Contacten") == "12"
    # One phone call: "<5", and the home visits hidden too ("x"), or 12 − 11 gives it away.
    assert _row(dialog, "Contacten naar soort", "Telefonisch") == "<5"
    assert _row(dialog, "Contacten naar soort", "Huisbezoek") == "x"
    charts = {c.chart.figure: c.chart for p in dialog.pages for c in p.findChildren(BarChart)}
    referrers = charts["Nieuwe aanmeldingen naar verwijzer"]
    assert referrers.labels[0] == MARKUP and referrers.values[0] == 6
    kinds = dict(
        zip(
            charts["Contacten naar soort"].labels, charts["Contacten naar soort"].shown, strict=True
        )
    )
    values = dict(
        zip(
            charts["Contacten naar soort"].labels,
            charts["Contacten naar soort"].values,
            strict=True,
        )
    )
    assert kinds["Telefonisch"] == "<5" and values["Telefonisch"] is None  # no bar
    assert kinds["Huisbezoek"] == "x" and values["Huisbezoek"] is None
    assert clipped_labels(dialog) == []

    # Narrowed to the practice with markup in its name: shown as typed.
    _choose_year(qtbot, window, dialog, markup)
    assert MARKUP in dialog.referrer.currentText()
    assert MARKUP in dialog.summary.text()
    job = dialog.job
    assert job is not None and job.practice_id == markup
    assert _row(dialog, "Nieuwe aanmeldingen") == job.report.figure("Nieuwe aanmeldingen").shown
    assert _row(dialog, "Nieuwe aanmeldingen") == "6"
    assert _row(dialog, "Contacten") == "7"

    # The worker's words; PDF opslaan… first shows them in the preview.
    dialog.tabs.setCurrentWidget(dialog.words_page)
    type_text(qtbot, dialog.words, WORDS)
    offered = _save_as(monkeypatch, tmp_path / "r.pdf", tmp_path / "r.csv", tmp_path / "r2.pdf")
    dialog.pdf_button.click()
    preview = dialog.preview_dialog
    assert isinstance(preview, ReportPreviewDialog) and preview.note.isVisible()
    assert offered == []  # nothing saved before the words were seen
    qtbot.waitUntil(lambda: preview.save_button.isEnabled(), timeout=15000)
    assert preview.pdf == job.pdf() and len(preview.pages.pages) >= 1
    preview.save_button.click()
    qtbot.waitUntil(lambda: (tmp_path / "r.pdf").exists(), timeout=15000)
    qtbot.waitUntil(lambda: str(tmp_path / "r.pdf") in preview.status.text(), timeout=15000)
    assert Path(offered[0]).name == f"resultaten-{YEAR_NOW}.pdf"
    saved = (tmp_path / "r.pdf").read_bytes()
    assert saved == preview.pdf
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(saved)).pages)
    assert "koffieochtend" in " ".join(text.split())
    preview.close_button.click()
    assert not preview.isVisible()

    dialog.csv_button.click()
    qtbot.waitUntil(lambda: (tmp_path / "r.csv").exists(), timeout=15000)
    assert Path(offered[1]).name == f"resultaten-{YEAR_NOW}.csv"
    content = (tmp_path / "r.csv").read_text("utf-8-sig")
    assert "koffieochtend" not in content
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert any("Nieuwe aanmeldingen" in row and "6" in row for row in rows)
    qtbot.waitUntil(lambda: str(tmp_path / "r.csv") in dialog.status.text(), timeout=15000)
    assert str(tmp_path / "r.csv") in window.statusBar().currentMessage()

    # Seen and unchanged: PDF opslaan… in the window saves at once.
    dialog.pdf_button.click()
    qtbot.waitUntil(lambda: (tmp_path / "r2.pdf").exists(), timeout=15000)
    qtbot.waitUntil(lambda: len(_report_rows(cl)) == 3, timeout=15000)
    assert sorted(r.details["kind"] for r in _report_rows(cl)) == ["csv", "pdf", "pdf"]

    # Voorbeeld… shows the same bytes; Sluiten closes without asking (the words are saved).
    dialog.preview_button.click()
    other = dialog.preview_dialog
    assert other is not None
    qtbot.waitUntil(lambda: other.pdf is not None, timeout=15000)
    assert other.pdf == (tmp_path / "r2.pdf").read_bytes()
    other.close_button.click()
    dialog.close_button.click()
    assert not dialog.isVisible() and cl.drafts.get(report_draft_key()) is None


def test_lock_keeps_the_words_and_the_period(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    assert window.caseload is not None
    _fill(window.caseload)
    dialog = _open(qtbot, window)
    _choose_year(qtbot, window, dialog, None)
    type_text(qtbot, dialog.words, WORDS)
    dialog.preview_button.click()  # the preview is open (and may still be rendering)
    preview = dialog.preview_dialog
    assert preview is not None and preview.isVisible()
    window.lock()
    assert not dialog.isVisible() and not preview.isVisible()
    qtbot.waitUntil(lambda: window.locking is None, timeout=15000)  # the render returned
    unlock(qtbot, window)
    assert window.workspace is not None
    back = next(d for d in window.workspace.dialogs if isinstance(d, ReportDialog))
    assert back is not dialog
    assert back.words.toPlainText() == WORDS
    assert back.kind.currentIndex() == YEAR and back.year.value() == YEAR_NOW
    _settled(qtbot, window, back)
    assert _row(back, "Nieuwe aanmeldingen") == "11"
    # Sluiten with unsent words asks first; Weggooien forgets them.
    back.close_button.click()
    box = back.discard_question
    assert box is not None
    box.discard_button.click()
    assert not back.isVisible()
    assert window.caseload is not None and window.caseload.drafts.get(report_draft_key()) is None


def test_swapped_period_is_named_next_to_the_fields(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    dialog = _open(qtbot, window)
    dialog.kind.setCurrentIndex(BETWEEN)
    assert dialog.start.isVisible() and not dialog.year.isVisible()
    dialog.start.setText("31-03-2026")
    dialog.start.textEdited.emit(dialog.start.text())
    dialog.end.setText("01-01-2026")
    dialog.end.textEdited.emit(dialog.end.text())
    dialog.rebuild()
    assert dialog.period_error.isVisible()
    assert "begindatum ligt na de einddatum" in dialog.period_error.text()
    assert not dialog.pdf_button.isEnabled() and not dialog.csv_button.isEnabled()
    assert not dialog.preview_button.isEnabled()
    # Put right: the error goes, the buttons come back, the file name says the dates.
    dialog.end.setText("30-06-2026")
    dialog.end.textEdited.emit(dialog.end.text())
    _settled(qtbot, window, dialog)
    assert not dialog.period_error.isVisible() and dialog.csv_button.isEnabled()
    assert dialog.file_stem() == "resultaten-2026-03-31-tot-2026-06-30"


def test_an_empty_period_says_so(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    assert window.caseload is not None
    _fill(window.caseload)
    dialog = _open(qtbot, window)
    dialog.kind.setCurrentIndex(YEAR)
    dialog.year.setValue(2001)
    _settled(qtbot, window, dialog)
    assert dialog.pages and all(p.table is None for p in dialog.pages)
    assert all(p.empty.text() == NO_DATA_TEXT for p in dialog.pages)


def test_a_failed_save_says_so_and_leaves_nothing(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    assert cl is not None
    dialog = _open(qtbot, window)
    out = tmp_path / "uit"
    out.mkdir()
    missing = out / "bestaat-niet" / "r.csv"
    folder = out / "map.csv"
    folder.mkdir()
    _save_as(monkeypatch, missing, folder)
    dialog.csv_button.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=15000)
    assert dialog.error.text().startswith("De CSV is niet opgeslagen.")
    assert not missing.parent.exists() and _report_rows(cl) == []
    # A folder chosen as the file: said in Dutch, nothing written.
    dialog.csv_button.click()
    qtbot.waitUntil(lambda: "is een map" in dialog.error.text(), timeout=15000)
    assert [p for p in out.rglob("*") if p.is_file()] == [] and _report_rows(cl) == []


def test_too_many_words_are_named_next_to_the_field(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    dialog = _open(qtbot, window)
    dialog.words.setPlainText("x" * 6_001)
    assert dialog.preview() is None
    assert dialog.words_error.isVisible() and dialog.tabs.currentWidget() is dialog.words_page
    assert dialog.preview_dialog is None
