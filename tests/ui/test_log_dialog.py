"""Bestand → Logboek, and reads logged as NEN 7513 asks (real window, real vault)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog

from brugdesk.ui.dialogs.log_dialog import ACTION, CLIENT, DETAILS, WHAT, LogDialog
from brugdesk.ui.kit.widgets import qdate
from brugdesk.ui.main_window import MainWindow
from tests.ui.conftest import type_text, unlock
from tests.ui.test_layout_fits import clipped_labels

TODAY = date.today()


def dossier_reads(win: MainWindow, client_id: int) -> int:
    assert win.caseload is not None
    entries = win.caseload.audit.entries(TODAY, TODAY, client_id=client_id, action="read")
    return sum(1 for e in entries if e.details.get("view") == "dossier")


def column(dialog: LogDialog, col: int) -> list[str]:
    model = dialog.model
    return [model.index(row, col).data() for row in range(model.rowCount())]


def open_log(win: MainWindow) -> LogDialog:
    win.log_action.trigger()
    [dialog] = [d for d in win.workspace.dialogs if isinstance(d, LogDialog)]
    return dialog


@pytest.fixture
def two_clients(qtbot, window: MainWindow) -> tuple[int, int]:
    unlock(qtbot, window)
    cl = window.caseload
    a = cl.clients.create(given_name="Aylin", family_name="Demir")
    b = cl.clients.create(given_name="Bas", family_name="Smit")
    qtbot.waitUntil(lambda: window.workspace.model.has(a) and window.workspace.model.has(b))
    return a, b


def test_opening_a_dossier_is_one_read(qtbot, window: MainWindow, two_clients) -> None:
    a, b = two_clients
    ws = window.workspace
    assert ws.select_client(a)
    assert dossier_reads(window, a) == 1
    for index in (1, 2, 3, 0):  # switching tabs reads no new dossier
        ws.dossier.tabs.setCurrentIndex(index)
        QApplication.processEvents()
    window.caseload.contacts.add(a, occurred_at=datetime.now(), kind="telefonisch", note="Belde.")
    qtbot.waitUntil(lambda: ws.dossier.contacts.model.rowCount() == 1)  # refreshed
    ws.dossier.refresh()
    assert dossier_reads(window, a) == 1
    assert ws.select_client(b) and ws.select_client(a)
    assert dossier_reads(window, a) == 2 and dossier_reads(window, b) == 1


def test_a_search_logs_hits_never_the_words(qtbot, window: MainWindow, two_clients) -> None:
    ws = window.workspace
    type_text(qtbot, ws.search, "Demir")
    qtbot.waitUntil(lambda: ws.model.rowCount() == 1)
    searches = window.caseload.audit.entries(TODAY, TODAY, action="read")
    searches = [e for e in searches if e.entity == "search"]
    assert searches and searches[-1].details == {"view": "search", "hits": 1}
    assert not any("Demir" in str(e.details) for e in searches)
    before = len(searches)
    a, _ = two_clients
    window.caseload.contacts.add(a, occurred_at=datetime.now(), kind="telefonisch", note="x")
    qtbot.wait(50)  # a change re-runs the search: that is no new search by the worker
    after = [e for e in window.caseload.audit.entries(TODAY, TODAY) if e.entity == "search"]
    assert len(after) == before


def test_the_log_shows_and_filters_entries(qtbot, window: MainWindow, two_clients) -> None:
    a, b = two_clients
    window.workspace.select_client(a)
    window.caseload.clients.delete(b, reason="verzoek_client")
    dialog = open_log(window)
    assert dialog.isVisible() and dialog.model.rowCount() >= 4
    # Newest first: the erasure of Bas, in words; the client by name while unlocked.
    assert column(dialog, ACTION)[0] == "verwijderd"
    assert column(dialog, CLIENT)[0] == f"cliënt {b} (verwijderd)"
    assert "Aylin Demir" in column(dialog, CLIENT)
    assert "dossier geopend" in column(dialog, DETAILS)
    assert not any("{" in text for text in column(dialog, DETAILS))  # never raw JSON
    # Filter by action …
    dialog.action.setCurrentIndex(dialog.action.findData("read"))
    assert set(column(dialog, ACTION)) == {"bekeken"}
    # … by client …
    dialog.action.setCurrentIndex(0)
    dialog.client.setCurrentIndex(dialog.client.findData(a))
    assert dialog.model.rowCount() >= 2 and set(column(dialog, CLIENT)) == {"Aylin Demir"}
    assert dialog.count.text() == f"{dialog.model.rowCount()} regels"
    # … and by period: last month holds nothing of today.
    dialog.client.setCurrentIndex(0)
    dialog.end.setDate(qdate(TODAY - timedelta(days=1)))
    assert dialog.model.rowCount() == 0 and dialog.count.text() == "0 regels"
    dialog.end.setDate(qdate(TODAY))
    dialog.start.setDate(qdate(TODAY + timedelta(days=1)))
    assert dialog.error.isVisible() and "einddatum" in dialog.error.text()
    dialog.start.setDate(qdate(TODAY))
    assert not dialog.error.isVisible() and dialog.model.rowCount() >= 4
    assert clipped_labels(dialog) == []
    # Opening the log changed no view and reads nothing about a client.
    [box] = dialog.findChildren(QDialogButtonBox)
    box.button(QDialogButtonBox.StandardButton.Close).click()
    assert not dialog.isVisible()


@pytest.mark.parametrize("with_names", [False, True])
def test_csv_export_from_the_log(
    qtbot, window: MainWindow, two_clients, tmp_path: Path, monkeypatch, with_names: bool
) -> None:
    a, _ = two_clients
    window.workspace.select_client(a)
    dialog = open_log(window)
    dest = tmp_path / "logboek.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(dest), ""))
    dialog.with_names.setChecked(with_names)
    shown = dialog.model.rowCount()
    dialog.export_button.click()
    qtbot.waitUntil(lambda: "geëxporteerd" in dialog.status.text(), timeout=15000)
    text = dest.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(rows) == shown + 1 and rows[0][0] == "nummer"
    assert ("cliënt-naam" in rows[0]) is with_names
    assert ("Aylin Demir" in text) is with_names
    assert any(r[5] == str(a) for r in rows[1:])  # the client as a number, always
    # The export's own entry is the newest line now.
    assert dialog.model.rowCount() == shown + 1
    assert column(dialog, ACTION)[0] == "geëxporteerd" and column(dialog, WHAT)[0] == "logboek"
    assert f"met namen: {'ja' if with_names else 'nee'}" in column(dialog, DETAILS)[0]


def test_a_lock_closes_the_log(qtbot, window: MainWindow, two_clients) -> None:
    dialog = open_log(window)
    window.lock("button")
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    assert not window.log_action.isEnabled()
