"""The desktop app as a welzijnscoach uses it, driven through the real widgets."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pypdf
import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QDialog, QWizard

from brugdesk.app.caseload import Caseload
from brugdesk.ui.main_window import LOCKED_TITLE, MainWindow
from tests.conftest import PASSPHRASE
from tests.ui.conftest import type_text, unlock


def _all_text(widget) -> str:
    """Every string a person could read in a widget tree (labels, fields, tables)."""
    from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QPlainTextEdit

    parts = [widget.windowTitle()]
    for child in widget.findChildren(QLabel):
        parts.append(child.text())
    for child in widget.findChildren(QLineEdit):
        parts.append(child.text())
    for child in widget.findChildren(QPlainTextEdit):
        parts.append(child.toPlainText())
    for view in widget.findChildren(QAbstractItemView):
        model = view.model()
        if model is None:
            continue
        root = QModelIndex()
        try:
            columns = model.columnCount(root)
        except TypeError:  # list models keep columnCount private: one column
            columns = 1
        for r in range(model.rowCount(root)):
            for c in range(columns):
                parts.append(str(model.index(r, c, root).data() or ""))
    return "\n".join(parts)


def test_first_run_to_unlocked_empty_caseload(qtbot, tmp_path: Path) -> None:
    win = MainWindow(tmp_path / "nieuw")
    qtbot.addWidget(win)
    win.show()
    wizard = win.wizard
    assert wizard is not None and not win.toolbar.isVisibleTo(win)
    wizard.next()
    page = wizard.passphrase_page
    qtbot.keyClicks(page.first, "kort")
    assert not page.isComplete() and "te kort" in page.feedback.text()
    page.first.clear()
    qtbot.keyClicks(page.first, "de kat slaapt op de warme vensterbank")
    qtbot.keyClicks(page.second, "de kat slaapt op de warme vensterbaNK")
    assert not page.isComplete() and "niet gelijk" in page.mismatch.text()
    page.second.clear()
    qtbot.keyClicks(page.second, "de kat slaapt op de warme vensterbank")
    assert page.isComplete()
    wizard.next()  # the KDF runs in the background; the window keeps responding
    assert page.busy.isVisible()
    wizard.next()  # a second click cannot start a second vault
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=20000)
    key = wizard.recovery_key
    assert key and not wizard.recovery_page.isComplete()
    sheet = tmp_path / "herstelblad.pdf"
    wizard.recovery_page.save_sheet(sheet)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(sheet).pages)
    assert key.split("-")[0] in text and "herstelblad" in text.lower()
    qtbot.keyClicks(wizard.recovery_page.confirm, key.replace("-", " "))
    assert wizard.recovery_page.isComplete()
    wizard.next()
    qtbot.keyClicks(wizard.profile_page.name, "Anouk de Wit")
    qtbot.keyClicks(wizard.profile_page.email, "geen-mail")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert "E-mailadres" in wizard.profile_page.error.text()
    wizard.profile_page.email.clear()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: win.workspace is not None)
    ws = win.workspace
    assert ws.model.rowCount() == 0
    assert "Nog geen cliënten" in ws.empty.text() and "Ctrl+N" in ws.empty.text()
    assert win.caseload.settings.get().worker_name == "Anouk de Wit"
    assert win.wizard is None and wizard.recovery_key is None  # not kept around
    win.lock()


def test_wrong_passphrase_shows_a_message(qtbot, window: MainWindow) -> None:
    qtbot.keyClicks(window.unlock_page.passphrase, "dit is het niet")
    qtbot.keyClick(window.unlock_page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.unlock_page.error.isVisibleTo(window), timeout=10000)
    assert "wachtwoord klopt niet" in window.unlock_page.error.text()
    assert window.workspace is None and window.windowTitle() == LOCKED_TITLE
    window.unlock_page.passphrase.clear()
    window.unlock_page.try_unlock()
    assert "Vul uw wachtwoord in" in window.unlock_page.error.text()


def test_add_client_and_note_lock_unlock_note_intact(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.workspace.dialogs[-1]
    type_text(qtbot, dialog.edits["given_name"], "Şükrü")
    type_text(qtbot, dialog.edits["family_name"], "Yılmaz")
    qtbot.keyClicks(dialog.edits["date_of_birth"], "31-02-1961")
    qtbot.waitUntil(lambda: dialog.errors["date_of_birth"].text() != "")
    assert "geen geldige datum" in dialog.errors["date_of_birth"].text()
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Save).isEnabled()
    dialog.edits["date_of_birth"].clear()
    qtbot.keyClicks(dialog.edits["date_of_birth"], "28-02-1961")
    qtbot.waitUntil(lambda: dialog.errors["date_of_birth"].text() == "")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    ws = window.workspace
    qtbot.waitUntil(lambda: ws.dossier is not None)
    assert ws.model.rowCount() == 1 and ws.dossier.title.text() == "Şükrü Yılmaz"

    # A window manager re-activates the main window when the dialog closes;
    # the offscreen platform does not, and shortcuts need an active window.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    ws.dossier.tabs.setCurrentIndex(1)
    editor = ws.dossier.contacts.editor
    note = "Huisbezoek: <b>schulden</b> & energie — 👍 nul\u00a0problemen"
    editor.text.setFocus()
    type_text(qtbot, editor.text, note)
    qtbot.keyClick(editor.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert ws.dossier.contacts.model.rowCount() == 1
    assert editor.text.toPlainText() == ""

    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.caseload is None and window.workspace is None
    assert window.windowTitle() == LOCKED_TITLE
    assert "Yılmaz" not in _all_text(window)
    unlock(qtbot, window)
    ws = window.workspace
    assert ws.dossier is not None and ws.dossier.tabs.currentIndex() == 1  # back where we were
    contact = window.caseload.contacts.fetch(ws.current_client_id)[0]
    assert contact.note == note


def test_unsaved_draft_survives_an_idle_lock(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Ilse", family_name="Drafts")
    ws = window.workspace
    ws.reload()
    ws.select_client(cid)
    ws.dossier.tabs.setCurrentIndex(1)
    editor = ws.dossier.contacts.editor
    qtbot.keyClicks(editor.text, "Half getypte zin over de huurachterstand")
    # A client form being typed is kept too.
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = ws.dialogs[-1]
    qtbot.keyClicks(form.edits["given_name"], "Nog")
    window.guard.idle_seconds = 0.2
    qtbot.waitUntil(lambda: window.caseload is None, timeout=15000)
    assert not shiboken6.isValid(form) or not form.isVisible()  # closed with the workspace
    assert "Vergrendeld na een tijd zonder gebruik" in window.statusBar().currentMessage()
    unlock(qtbot, window)
    editor = window.workspace.dossier.contacts.editor
    assert editor.text.toPlainText() == "Half getypte zin over de huurachterstand"
    assert editor.status.text() == "Concept teruggezet"
    again = window.workspace.new_client()
    assert again.edits["given_name"].text() == "Nog"
    assert "teruggezet" in again.restored.text()


def test_wake_from_sleep_locks(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    window.guard._last_wall -= 3600  # the wall clock jumped an hour; monotonic did not
    window.guard.tick()
    assert window.caseload is None


def test_locked_window_shows_no_client_data(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Zichtbaar", family_name="Nergensmeer")
    cl.contacts.add(cid, occurred_at=datetime.now(), note="geheimwoordje")
    window.workspace.reload()
    window.workspace.select_client(cid)
    window.workspace.edit_client(cid)
    assert "Nergensmeer" in _all_text(window)
    window.lock()
    QApplication.processEvents()
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for widget in visible:
        text = _all_text(widget)
        assert "Nergensmeer" not in text and "geheimwoordje" not in text, widget
    assert not any(isinstance(w, QDialog) for w in visible)


def test_search_finds_a_client_by_a_word_in_a_note(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    a = cl.clients.create(given_name="Anna", family_name="Bakker")
    cl.clients.create(given_name="Bert", family_name="Aalders")
    cl.contacts.add(a, occurred_at=datetime.now(), note="Afspraak bij het Digicafé gemaakt.")
    window.workspace.reload()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = window.workspace.search
    assert search.hasFocus()
    type_text(qtbot, search, "digicafe")
    ws = window.workspace
    qtbot.waitUntil(lambda: ws.model.rowCount() == 1, timeout=15000)
    assert ws.model.index(0, 0).data() == "Anna Bakker"
    assert "Digicafé" in ws.model.index(0, 7).data()  # shows why it matched
    assert not ws.table.isColumnHidden(7)
    search.clear()
    qtbot.keyClicks(search, "qqqzzz")
    qtbot.waitUntil(lambda: ws.empty.isVisibleTo(window), timeout=15000)
    assert "Niets gevonden" in ws.empty.text()


def test_close_and_reopen_a_dossier_asks_a_reason(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Sluit", family_name="Mij")
    ws = window.workspace
    ws.reload()
    ws.select_client(cid)
    ws.dossier.close_button.click()
    dialog = ws.dialogs[-1]
    dialog.submit()
    assert "verplicht" in dialog.reason_error.text()  # next to the field
    qtbot.keyClicks(dialog.reason, "Doelen bereikt")
    dialog.submit()
    assert cl.clients.get(cid).status == "afgesloten"
    assert ws.dossier.close_button.text() == "Heropenen"
    ws.dossier.close_button.click()
    assert cl.clients.get(cid).status == "actief"


def test_plan_actions(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cid = window.caseload.clients.create(given_name="Plan", family_name="Mens")
    ws = window.workspace
    ws.reload()
    ws.select_client(cid)
    plan = ws.dossier.plan
    qtbot.keyClicks(plan.due, "99-99-2026")
    qtbot.keyClicks(plan.description, "Bel de woningcorporatie")
    qtbot.keyClick(plan.description, Qt.Key.Key_Return)
    assert "geen geldige datum" in plan.error.text()
    plan.due.clear()
    qtbot.keyClicks(plan.due, "01-12-2026")
    qtbot.keyClick(plan.description, Qt.Key.Key_Return)
    assert plan.model.rowCount() == 1
    plan.table.selectRow(0)
    plan._set_status("gedaan")
    assert window.caseload.actions.fetch(cid)[0].status == "gedaan"


def test_import_preview_then_import(qtbot, window: MainWindow, tmp_path: Path) -> None:
    unlock(qtbot, window)
    bad = tmp_path / "fout.csv"
    bad.write_text("voornaam;achternaam\n;Leeg\nAyşe;Kaya\n", encoding="utf-8")
    dialog = window.import_clients()
    dialog.load(bad)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=15000)
    assert "niets geïmporteerd" in dialog.summary.text()
    assert dialog.table.item(0, 0).text() == "2"
    assert not dialog.import_button.isEnabled()
    good = tmp_path / "goed.csv"
    good.write_text("voornaam;achternaam\nAyşe;Kaya\nJan;Jansen\n", encoding="utf-8")
    dialog.load(good)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=15000)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: window.workspace.model.rowCount() == 2, timeout=15000)
    qtbot.waitUntil(
        lambda: "2 cliënt(en) geïmporteerd" in window.statusBar().currentMessage(), timeout=15000
    )


def test_settings_profile_idle_and_passphrase(qtbot, window: MainWindow, vault_dir: Path) -> None:
    unlock(qtbot, window)
    dialog = window.open_settings()
    dialog.name.setText("Anouk de Wit")
    dialog.idle.setValue(12)
    dialog.current_pw.setText("niet het goede wachtwoord")
    dialog.new_pw.setText("een gloednieuw wachtwoord hier")
    dialog.repeat_pw.setText("een gloednieuw wachtwoord hier")
    dialog.change_passphrase()
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10000)
    assert "klopt niet" in dialog.pw_status.text()
    dialog.current_pw.setText(PASSPHRASE)
    dialog.change_passphrase()
    qtbot.waitUntil(lambda: "gewijzigd" in dialog.pw_status.text(), timeout=10000)
    # The re-encryption showed its progress, ending at the whole.
    assert dialog.progress_seen and dialog.progress_seen[-1] == 1.0
    assert dialog.progress_seen == sorted(dialog.progress_seen)
    dialog.submit()
    assert window.guard.idle_seconds == 12 * 60
    assert window.status_label.text() == "Anouk de Wit"
    window.lock()
    unlock(qtbot, window, "een gloednieuw wachtwoord hier")


def test_recovery_key_route_in_the_unlock_screen(
    qtbot, window: MainWindow, recovery_key: str
) -> None:
    window.unlock_page.recovery_button.click()
    dialog = window.unlock_page.findChild(QDialog)
    dialog.key.setText("123456")
    dialog.new.setText("nieuw wachtwoord na herstel")
    dialog.repeat.setText("nieuw wachtwoord na herstel")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error.text() != "", timeout=10000)
    assert "48 cijfers" in dialog.error.text()
    dialog.key.setText(recovery_key)
    dialog.submit()
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=10000)
    window.lock()
    unlock(qtbot, window, "nieuw wachtwoord na herstel")


def test_damaged_vault_message_says_what_to_do(qtbot, window: MainWindow, vault_dir: Path) -> None:
    (vault_dir / "vault.json").write_text("{kapot")
    qtbot.keyClicks(window.unlock_page.passphrase, PASSPHRASE)
    window.unlock_page.try_unlock()
    qtbot.waitUntil(lambda: window.unlock_page.error.text() != "", timeout=10000)
    message = window.unlock_page.error.text()
    assert "beschadigd" in message and "back-up" in message and str(vault_dir) in message


def test_backup_from_the_menu(qtbot, window: MainWindow, tmp_path: Path) -> None:
    unlock(qtbot, window)
    target = tmp_path / "menu.brugdesk"
    window.backup_to(target)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10000)
    assert target.exists() and "gecontroleerd" in window.statusBar().currentMessage()


def test_demo_vault_opens(qtbot, tmp_path: Path) -> None:
    from brugdesk.ui.app import DEMO_PASSPHRASE, build_demo_vault

    build_demo_vault(tmp_path / "demo", clients=6)
    cl = Caseload.open(tmp_path / "demo", DEMO_PASSPHRASE)
    assert len(cl.clients.fetch()) == 6
    cl.lock()


def test_a_backup_that_finished_before_the_lock_is_kept(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """The lock no longer waits for a backup (tests/ui/test_lock_jobs.py); a backup that
    is already done when the worker locks is kept and reported."""
    unlock(qtbot, window)
    target = tmp_path / "voor-vergrendelen.brugdesk"
    window.backup_to(target)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10000)
    window.lock()
    assert target.exists()


def test_edit_an_existing_note_from_the_timeline(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Tijd", family_name="Lijn")
    nid = cl.contacts.add(cid, occurred_at=datetime(2026, 3, 2, 10, 0), note="Oude tekst")
    ws = window.workspace
    ws.reload()
    ws.select_client(cid)
    tab = ws.dossier.contacts
    tab._edit_selected(tab.model.index(0, 0))
    assert tab.editor.title.text() == "Contactmoment bewerken"
    assert tab.editor.text.toPlainText() == "Oude tekst"
    tab.editor.text.setPlainText("Nieuwe tekst")
    tab.editor.save()
    assert cl.contacts.get(nid).note == "Nieuwe tekst"
    assert tab.model.rowCount() == 1 and tab.editor.title.text() == "Nieuw contactmoment"


def test_new_recovery_key_from_settings(
    qtbot, window: MainWindow, recovery_key: str, tmp_path: Path
) -> None:
    unlock(qtbot, window)
    dialog = window.open_settings()
    dialog.recovery_pw.setText("fout wachtwoord hier")
    dialog.new_recovery_key()
    qtbot.waitUntil(lambda: dialog.recovery_status.text() != "", timeout=10000)
    assert "klopt niet" in dialog.recovery_status.text()
    dialog.recovery_pw.setText(PASSPHRASE)
    dialog.new_recovery_key()
    qtbot.waitUntil(lambda: hasattr(dialog, "key_dialog"), timeout=10000)
    shown = dialog.key_dialog
    new_key = shown.recovery_key
    assert new_key != recovery_key
    ok = shown.buttons.button(shown.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    shown.reject()  # Esc cannot skip writing it down
    assert shown.isVisible()
    shown.save_sheet(tmp_path / "weg" / "blad.pdf")
    assert "bestaat niet" in shown.saved.text()  # a Dutch message, not Python's English
    shown.save_sheet(tmp_path / "blad.pdf")
    assert "opgeslagen" in shown.saved.text()
    assert new_key.split("-")[0] in "".join(
        p.extract_text() for p in pypdf.PdfReader(tmp_path / "blad.pdf").pages
    )
    shown.confirm.setText(new_key.replace("-", ""))
    assert ok.isEnabled()
    ok.click()
    assert not shown.isVisible()


def test_settings_say_what_a_new_passphrase_or_recovery_key_revokes(
    qtbot, window: MainWindow
) -> None:
    from PySide6.QtWidgets import QLabel

    unlock(qtbot, window)
    dialog = window.open_settings()
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "het oude wachtwoord opent daarna niets meer" in texts
    assert "de oude sleutel opent daarna niets meer" in texts
    assert texts.count("Een back-up van vóór de wijziging opent nog wel") == 2
    dialog.reject()
