"""Buttons clicked the way a worker clicks them, each checked by its effect.

The button census (button_census.py) fails the GUI suite when a test shows a
button that no test clicks; the buttons that no other test reached are
clicked here.
"""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialog, QFileDialog, QMessageBox, QWidget, QWizard

from brugdesk.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE
from tests.ui.button_census import label
from tests.ui.conftest import unlock


def find_button(root: QWidget, text: str) -> QAbstractButton:
    matches = [
        b
        for b in root.findChildren(QAbstractButton)
        if label(b.text()) == text and b.isVisibleTo(root.window())
    ]
    assert matches, f"no visible button {text!r} in {type(root).__name__}"
    return matches[0]


def click(qtbot, root: QWidget, text: str) -> None:
    button = find_button(root, text)
    assert button.isEnabled(), f"{text!r} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def open_dialog(window: MainWindow, kind: type[QDialog]) -> QDialog:
    dialogs = [d for d in window.findChildren(kind) if d.isVisible()]
    assert dialogs, f"no {kind.__name__} open"
    return dialogs[-1]


def answer(qtbot, box_text: str) -> None:
    """Click the button *box_text* of the message box that is open now."""
    from PySide6.QtWidgets import QApplication

    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    boxes += [
        w
        for top in QApplication.topLevelWidgets()
        for w in top.findChildren(QMessageBox)
        if w.isVisible()
    ]
    assert boxes, "no question was asked"
    click(qtbot, boxes[-1], box_text)


def save_as(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Qt's own file dialog answers with *path* (it is Qt's part, not ours)."""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def test_first_run_by_clicking_every_wizard_button(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRUGDESK_LOG_DIR", str(tmp_path / "logs"))
    win = MainWindow(tmp_path / "nieuw")
    qtbot.addWidget(win)
    win.show()
    wizard = win.wizard
    click(qtbot, wizard, "Volgende >")
    assert wizard.currentPage() is wizard.passphrase_page
    click(qtbot, wizard, "< Vorige")
    assert wizard.currentPage() is not wizard.passphrase_page
    click(qtbot, wizard, "Volgende >")
    page = wizard.passphrase_page
    qtbot.keyClicks(page.first, "de kat slaapt op de warme vensterbank")
    qtbot.keyClicks(page.second, "de kat slaapt op de warme vensterbank")
    click(qtbot, wizard, "Kluis aanmaken")
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=20000)
    sheet = tmp_path / "herstelblad.pdf"
    save_as(monkeypatch, sheet)
    click(qtbot, wizard, "Herstelblad opslaan als PDF…")
    key = wizard.recovery_key
    assert key.split("-")[0] in "".join(p.extract_text() for p in pypdf.PdfReader(sheet).pages)
    qtbot.keyClicks(wizard.recovery_page.confirm, key)
    click(qtbot, wizard, "Volgende >")
    qtbot.keyClicks(wizard.profile_page.name, "Anouk de Wit")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.workspace is not None)
    assert win.caseload.settings.get().worker_name == "Anouk de Wit"
    win.lock()


def test_unlock_button_and_the_recovery_dialog(
    qtbot, window: MainWindow, recovery_key: str
) -> None:
    page = window.unlock_page
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    click(qtbot, page, "Ontgrendelen")
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=15000)
    window.lock()
    click(qtbot, page, "Herstelsleutel gebruiken…")
    dialog = page.findChild(QDialog)
    click(qtbot, dialog, "Annuleren")
    assert not dialog.isVisible() and window.workspace is None
    click(qtbot, page, "Herstelsleutel gebruiken…")
    dialog = [d for d in page.findChildren(QDialog) if d.isVisible()][-1]
    dialog.key.setText(recovery_key)
    dialog.new.setText("nieuw wachtwoord na herstel")
    dialog.repeat.setText("nieuw wachtwoord na herstel")
    click(qtbot, dialog, "Openen")
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=15000)
    window.lock()
    unlock(qtbot, window, "nieuw wachtwoord na herstel")


def test_quit_from_the_file_menu_locks_and_closes(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    caseload = window.caseload
    actions = window.findChildren(type(window.lock_action))
    quit_action = next(a for a in actions if label(a.text()) == "Afsluiten")
    quit_action.trigger()
    assert not window.isVisible() and window.caseload is None
    qtbot.waitUntil(lambda: caseload.vault._engine is None, timeout=10000)


def test_dossier_buttons(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Bram", family_name="Beek")
    cl.assessments.add(
        cid,
        instrument_id="leefgebieden",
        instrument_version="1",
        held_on="2026-06-05",
        items=[{"domain": "wonen", "score": 3}],
    )
    ws = window.workspace
    ws.select_client(cid)
    dossier = ws.dossier
    # Bewerken… opens the form; Annuleren without changes closes it and changes nothing.
    click(qtbot, dossier, "Bewerken…")
    form = ws.dialogs[-1]
    assert form.isVisible()
    click(qtbot, form, "Annuleren")
    assert not form.isVisible() and cl.clients.get(cid).given_name == "Bram"
    # Cliëntweergave: full screen, closed with Esc.
    click(qtbot, dossier, "Cliëntweergave")
    view = dossier.client_view
    assert view is not None and view.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.isVisible()
    # Gesprek starten… opens the conversation for this client.
    click(qtbot, dossier, "Gesprek starten…")
    conversation = ws.dialogs[-1]
    assert conversation.isVisible() and conversation.client_id == cid
    conversation.reject()
    # Nieuw contactmoment empties the note editor for a new one.
    dossier.tabs.setCurrentWidget(dossier.contacts)
    editor = dossier.contacts.editor
    editor.text.setPlainText("Eerste bezoek")
    editor.save()
    click(qtbot, dossier.contacts, "Nieuw contactmoment")
    assert editor.text.toPlainText() == "" and editor.title.text() == "Nieuw contactmoment"


def test_close_dossier_dialog_buttons(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Cor", family_name="Dijk")
    ws = window.workspace
    ws.select_client(cid)
    click(qtbot, ws.dossier, "Dossier afsluiten…")
    dialog = ws.dialogs[-1]
    click(qtbot, dialog, "Annuleren")
    assert cl.clients.get(cid).closed_on is None
    click(qtbot, ws.dossier, "Dossier afsluiten…")
    dialog = ws.dialogs[-1]
    qtbot.keyClicks(dialog.reason, "Doelen bereikt")
    click(qtbot, dialog, "Afsluiten")
    client = cl.clients.get(cid)
    assert client.closed_on is not None and client.closure_reason == "Doelen bereikt"


def test_partner_list_buttons(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    partners = window.open_partners()
    click(qtbot, partners, "Nieuwe partner…")
    form = [d for d in partners.findChildren(QDialog) if d.isVisible()][-1]
    qtbot.keyClicks(form.edits["organisation"], "Buurthuis De Linde")
    click(qtbot, form, "Opslaan")
    assert [p.organisation for p in cl.partners.fetch()] == ["Buurthuis De Linde"]
    partners.table.selectRow(0)
    click(qtbot, partners, "Bewerken…")
    form = [d for d in partners.findChildren(QDialog) if d.isVisible()][-1]
    form.edits["organisation"].clear()
    qtbot.keyClicks(form.edits["organisation"], "Buurthuis De Eik")
    click(qtbot, form, "Opslaan")
    assert [p.organisation for p in cl.partners.fetch()] == ["Buurthuis De Eik"]
    partners.table.selectRow(0)
    click(qtbot, partners, "Verwijderen…")
    answer(qtbot, "Behouden")
    assert len(cl.partners.fetch()) == 1
    click(qtbot, partners, "Verwijderen…")
    answer(qtbot, "Verwijderen")
    assert cl.partners.fetch() == []


def test_today_import_and_settings_close_buttons(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    today = window.open_today()
    click(qtbot, today, "Sluiten")
    assert not today.isVisible()
    csv = tmp_path / "clienten.csv"
    csv.write_text("voornaam;achternaam\nDirk;Dam\n", encoding="utf-8")
    save_as(monkeypatch, csv)
    dialog = window.import_clients()
    click(qtbot, dialog, "Bestand kiezen…")
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10000)
    assert "1 cliënt(en) gecontroleerd" in dialog.summary.text()
    click(qtbot, dialog, "Sluiten")  # a chosen file is work in progress: asked first
    answer(qtbot, "Weggooien")
    assert not dialog.isVisible() and cl.clients.fetch() == []  # closing imports nothing
    settings = window.open_settings()
    settings.name.setText("Niet bewaard")
    click(qtbot, settings, "Annuleren")
    assert cl.settings.get().worker_name != "Niet bewaard"
