"""Attacks on issue 10's promises, as a tired worker or a thief would try them.

Each test here failed before its fix (see the commit that added it).
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from brugdesk.ui.dialogs.restore_dialog import RestoreDialog
from brugdesk.ui.dossier.dossier_panel import REFERRALS_TAB
from brugdesk.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE
from tests.ui.conftest import type_text, unlock

CTRL = Qt.KeyboardModifier.ControlModifier
LONG = 30000


def _shown_dialogs() -> list[QDialog]:
    return [d for d in QApplication.topLevelWidgets() if isinstance(d, QDialog) and d.isVisible()]


def _backup(qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> Path:
    target = tmp_path / "usb" / "b.brugdesk"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: "Back-up gemaakt" in window.statusBar().currentMessage(), timeout=LONG)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(target), ""))
    return target


def test_restore_after_a_lock_with_typing_does_not_reopen_empty_dialogs(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    """The typing of the replaced vault stays in the put-aside vault: the restored
    vault must not get that dialog opened again, empty, as if it were the worker's."""
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Anna", family_name="Voorbeeld")
    _backup(qtbot, window, tmp_path, monkeypatch)
    window.workspace.select_client(cid)
    dialog = window.workspace.close_client(cid)
    type_text(qtbot, dialog.reason, "Verhuisd naar Zwolle")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_L, CTRL)
    assert window.reopen  # the close-dossier form would come back after an unlock
    qtbot.waitUntil(lambda: window.locking is None, timeout=LONG)
    qtbot.mouseClick(window.unlock_page.restore_button, Qt.MouseButton.LeftButton)
    [restore] = [d for d in window.findChildren(RestoreDialog) if d.isVisible()]
    type_text(qtbot, restore.passphrase, PASSPHRASE)
    qtbot.mouseClick(restore.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: restore.restore_button.isEnabled(), timeout=LONG)
    qtbot.mouseClick(restore.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.unlock_page.restoring, timeout=LONG)
    unlock(qtbot, window)
    assert window.workspace.dialogs == []
    assert _shown_dialogs() == []
    assert window.caseload.drafts.fetch() == []


def test_failed_restore_keeps_the_typing_to_reopen(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    """When the restore fails, the current vault stays, and so does the way back to the typing."""
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Anna", family_name="Voorbeeld")
    _backup(qtbot, window, tmp_path, monkeypatch)
    window.workspace.select_client(cid)
    dialog = window.workspace.close_client(cid)
    type_text(qtbot, dialog.reason, "Verhuisd naar Zwolle")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_L, CTRL)
    qtbot.waitUntil(lambda: window.locking is None, timeout=LONG)
    qtbot.mouseClick(window.unlock_page.restore_button, Qt.MouseButton.LeftButton)
    [restore] = [d for d in window.findChildren(RestoreDialog) if d.isVisible()]
    type_text(qtbot, restore.passphrase, PASSPHRASE)
    qtbot.mouseClick(restore.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: restore.restore_button.isEnabled(), timeout=LONG)
    from brugdesk.app import vault_jobs
    from brugdesk.errors import DiskFull

    def broken(*_a, **_k):
        raise DiskFull()

    monkeypatch.setattr(vault_jobs, "restore", broken)
    qtbot.mouseClick(restore.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.unlock_page.restoring, timeout=LONG)
    unlock(qtbot, window)
    [again] = window.workspace.dialogs
    assert again.reason.toPlainText() == "Verhuisd naar Zwolle"


def test_lock_while_a_client_is_being_erased_leaves_no_draft_of_them(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Bram", family_name="Wissel", city="Kampen")
    window.workspace.select_client(cid)
    form = window.workspace.edit_client(cid)
    form.edits["city"].clear()
    type_text(qtbot, form.edits["city"], "Zwolle")
    gate = threading.Event()
    real_delete = cl.clients.delete

    def slow_delete(client_id: int, *, reason: str) -> None:
        gate.wait(20)
        real_delete(client_id, reason=reason)

    cl.clients.delete = slow_delete  # the erase takes a while (a big caseload)
    erase = form.ask_delete()
    type_text(qtbot, erase.name, "Bram Wissel")
    erase.reason.setCurrentIndex(0)
    erase.delete_button.click()
    assert erase.busy.isVisible()
    qtbot.keyClick(erase.name, Qt.Key.Key_L, CTRL)
    assert window.caseload is None
    gate.set()
    qtbot.waitUntil(lambda: window.locking is None, timeout=LONG)
    unlock(qtbot, window)
    assert cid not in {c.id for c in window.caseload.clients.fetch()}
    assert window.caseload.drafts.fetch() == []
    assert window.workspace.dialogs == []
    assert "verwijderd" in window.statusBar().currentMessage()


def test_the_same_person_twice_in_one_file_is_previewed_as_imported_once(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    unlock(qtbot, window)
    sheet = tmp_path / "clienten.csv"
    sheet.write_text(
        "voornaam;achternaam;geboortedatum\n"
        "Anna;Bakker;1980-01-02\n"
        "anna ;  BAKKER;02-01-1980\n"  # the same person, typed again with other spacing/case
        "Cees;Bakker;1981-01-02\n",
        encoding="utf-8",
    )
    window.import_action.trigger()
    dialog = window.workspace.dialogs[-1]
    dialog.load(sheet)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=LONG)
    statuses = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    assert statuses == ["nieuw", "dubbel in het bestand", "nieuw"]
    assert "2 worden geïmporteerd" in dialog.summary.text()
    assert "1 staan dubbel in het bestand" in dialog.summary.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=LONG)
    assert "2 cliënt(en) geïmporteerd" in window.statusBar().currentMessage()
    assert sorted(c.given_name for c in window.caseload.clients.fetch()) == ["Anna", "Cees"]

    window.import_action.trigger()  # the same file again, with other spacing: nothing new
    again = window.workspace.dialogs[-1]
    sheet.write_text(
        "voornaam,achternaam,geboortedatum\n ANNA , bakker ,1980-01-02\nCees,Bakker,02-01-1981\n",
        encoding="utf-8",
    )
    again.load(sheet)
    qtbot.waitUntil(lambda: "0 worden geïmporteerd" in again.summary.text(), timeout=LONG)
    assert not again.import_button.isEnabled()


def test_a_long_unbroken_reason_in_the_history_does_not_stretch_the_window(
    qtbot, window: MainWindow
) -> None:
    """A pasted link or e-mail as one long 'word' in a status note or a correction reason
    pushed the window to thousands of pixels wide: the list and buttons fell off screen."""
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Anna", family_name="Bakker")
    pid = cl.partners.add(organisation="Schuldhulp", domains=["financien"])
    cl.consents.record(
        cid, recipient="Schuldhulp", purpose="verwijzing", how="mondeling", partner_id=pid
    )
    rid = cl.referrals.create(cid, pid, reason="Schulden", request="Budgetbeheer")
    cl.referrals.mark_sent(rid)
    word = "<b>https://</b>&" + "w" * 1900
    cl.referrals.set_status(rid, "afgewezen", note=word)
    cl.referrals.correct_status(rid, "verstuurd", reason=word)
    window.workspace.reload()
    window.workspace.select_client(cid)
    width = window.width()
    dossier = window.workspace.dossier
    dossier.tabs.setCurrentIndex(REFERRALS_TAB)
    tab = dossier.referrals
    tab.table.selectRow(0)
    screen = window.screen().availableGeometry().width()
    QApplication.sendPostedEvents()  # the layouts take the new text into account
    assert dossier.minimumSizeHint().width() <= screen
    assert window.width() == width <= screen
    assert tab.history.text().count(word) == 2  # shown whole, as typed
    assert tab.history_area.horizontalScrollBar().maximum() > 0  # readable by scrolling
