"""A new laptop: the first-run wizard puts a backup back instead of making a new vault.

A real vault with real clients is backed up; the window starts on an empty data
folder (the new laptop), and the worker restores from the welcome page, then
unlocks. Only Qt's file dialog is replaced (it would wait for a person).
"""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWizard

from brugdesk.app.caseload import Caseload
from brugdesk.paths import vault_present
from brugdesk.ui.dialogs.restore_dialog import RestoreDialog
from brugdesk.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE
from tests.ui.conftest import type_text, unlock

LONG = 30000


def _click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def backup(caseload: Caseload, tmp_path: Path) -> Path:
    """A real backup of a real vault holding Anna and Bram (the old laptop)."""
    caseload.clients.create(given_name="Anna", family_name="Voorbeeld")
    caseload.clients.create(given_name="Bram", family_name="Voorbeeld")
    return caseload.write_backup(tmp_path / "usb" / "oude-laptop.brugdesk")


@pytest.fixture
def new_laptop(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setenv("BRUGDESK_LOG_DIR", str(tmp_path / "logs"))
    win = MainWindow(tmp_path / "nieuwe-laptop")
    qtbot.addWidget(win)
    win.show()
    assert win.wizard is not None and win.wizard.currentPage() is win.wizard.welcome
    yield win
    if win.caseload is not None:
        win.lock("test")


def _choose(monkeypatch: pytest.MonkeyPatch, path: Path | None) -> None:
    answer = (str(path), "") if path is not None else ("", "")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: answer)


def _dialog(win: MainWindow) -> RestoreDialog:
    dialogs = [d for d in win.findChildren(RestoreDialog) if d.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def _open_dialog(qtbot, win: MainWindow, monkeypatch, source: Path) -> RestoreDialog:
    _choose(monkeypatch, source)
    assert win.wizard is not None
    _click(qtbot, win.wizard.welcome.restore_button)
    dialog = _dialog(win)
    assert "staat nog geen kluis" in dialog.replaced_label.text()
    return dialog


def _check(qtbot, dialog: RestoreDialog, passphrase: str) -> None:
    dialog.passphrase.clear()
    type_text(qtbot, dialog.passphrase, passphrase)
    _click(qtbot, dialog.check_button)
    qtbot.waitUntil(lambda: not dialog.busy.isVisible(), timeout=LONG)


def _nothing_left(data_dir: Path) -> None:
    assert not vault_present(data_dir)
    assert not data_dir.exists() or not list(data_dir.iterdir())


def _on_welcome(win: MainWindow) -> None:
    wizard = win.wizard
    assert wizard is not None and wizard.currentPage() is wizard.welcome
    assert win.stack.currentWidget() is win.wizard_page
    assert wizard.welcome.restore_button.isEnabled() and wizard.welcome.isComplete()


def test_restore_on_a_new_laptop_then_unlock(
    qtbot, new_laptop: MainWindow, backup: Path, tmp_path: Path, monkeypatch
) -> None:
    win = new_laptop
    dialog = _open_dialog(qtbot, win, monkeypatch, backup)
    _check(qtbot, dialog, PASSPHRASE)
    assert "2 cliënten" in dialog.contents.text()
    _click(qtbot, dialog.restore_button)
    assert win.wizard is None or win.wizard.welcome.restoring
    qtbot.waitUntil(lambda: win.wizard is None and not win.unlock_page.restoring, timeout=LONG)
    assert win.stack.currentWidget() is win.unlock_page
    notice = win.unlock_page.notice
    assert notice.isVisible() and "oude-laptop.brugdesk' is teruggezet" in notice.text()
    assert "Ontgrendel met het wachtwoord" in notice.text()
    assert "staat nu in de map" not in notice.text()  # nothing was put aside
    unlock(qtbot, win)
    assert win.caseload is not None
    assert {r.given_name for r in win.caseload.clients.overview().rows} == {"Anna", "Bram"}
    trail = [(a.action, a.details) for a in win.caseload.audit.fetch()]
    assert ("restore", {"file": "oude-laptop.brugdesk"}) in trail
    assert win.restore_action.isEnabled()


def test_wrong_passphrase_then_cancel_leaves_no_vault(
    qtbot, new_laptop: MainWindow, backup: Path, tmp_path: Path, monkeypatch
) -> None:
    win = new_laptop
    dialog = _open_dialog(qtbot, win, monkeypatch, backup)
    _check(qtbot, dialog, "niet het wachtwoord van toen")
    assert dialog.error.isVisible() and "opent deze back-up niet" in dialog.error.text()
    assert not dialog.restore_button.isEnabled()
    _check(qtbot, dialog, PASSPHRASE)
    assert dialog.restore_button.isEnabled()
    _click(qtbot, dialog.cancel_button)  # checked, and then not wanted after all
    assert not dialog.isVisible()
    _nothing_left(tmp_path / "nieuwe-laptop")
    _on_welcome(win)
    # The first run goes on as if nothing happened: Volgende leads to a new vault.
    win.wizard.button(QWizard.WizardButton.NextButton).click()
    assert win.wizard.currentPage() is win.wizard.passphrase_page


def test_cancel_the_file_choice_leaves_the_welcome_page(
    qtbot, new_laptop: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    _choose(monkeypatch, None)
    _click(qtbot, new_laptop.wizard.welcome.restore_button)
    assert not [d for d in new_laptop.findChildren(RestoreDialog) if d.isVisible()]
    _nothing_left(tmp_path / "nieuwe-laptop")
    _on_welcome(new_laptop)


def test_not_a_backup_is_said_on_the_welcome_page(
    qtbot, new_laptop: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    bogus = tmp_path / "<b>x<b>.brugdesk"  # markup in a file name stays text
    bogus.write_bytes(b"dit is geen back-up")
    _choose(monkeypatch, bogus)
    _click(qtbot, new_laptop.wizard.welcome.restore_button)
    assert not [d for d in new_laptop.findChildren(RestoreDialog) if d.isVisible()]
    error = new_laptop.wizard.welcome.error
    assert error.isVisible() and error.textFormat() == Qt.TextFormat.PlainText
    assert "niets vervangen" in error.text()
    _nothing_left(tmp_path / "nieuwe-laptop")
    _on_welcome(new_laptop)


@pytest.mark.parametrize("when", ["before the check", "after the check"])
def test_damaged_backup_is_said_and_leaves_nothing(
    qtbot, new_laptop: MainWindow, backup: Path, tmp_path: Path, monkeypatch, when: str
) -> None:
    win = new_laptop

    def damage() -> None:
        with tarfile.open(backup) as tar:
            member = tar.getmember("caseload.db")
        blob = bytearray(backup.read_bytes())
        blob[member.offset_data + member.size // 2] ^= 0x40
        backup.write_bytes(bytes(blob))

    if when == "before the check":
        damage()
    dialog = _open_dialog(qtbot, win, monkeypatch, backup)
    _check(qtbot, dialog, PASSPHRASE)
    if when == "before the check":
        assert "beschadigd" in dialog.error.text() and not dialog.restore_button.isEnabled()
        assert "nog geen kluis" in dialog.error.text()
        _click(qtbot, dialog.cancel_button)
    else:
        damage()  # the file changes between the check and the restore
        _click(qtbot, dialog.restore_button)
        qtbot.waitUntil(lambda: not win.unlock_page.restoring, timeout=LONG)
        error = win.wizard.welcome.error
        assert error.isVisible() and "niet gelukt" in error.text()
        assert "beschadigd" in error.text() and "niets op deze laptop" in error.text()
    _nothing_left(tmp_path / "nieuwe-laptop")
    _on_welcome(win)


def test_lock_and_menu_while_the_restore_dialog_is_open(
    qtbot, new_laptop: MainWindow, backup: Path, tmp_path: Path, monkeypatch
) -> None:
    """There is no vault yet: Ctrl+L does nothing harmful, the dialog keeps working."""
    win = new_laptop
    marked = backup.rename(backup.with_name("<b>oud<b>.brugdesk"))  # shown as typed
    dialog = _open_dialog(qtbot, win, monkeypatch, marked)
    assert dialog.backup_label.text().startswith("<b>oud<b>.brugdesk")
    type_text(qtbot, dialog.passphrase, PASSPHRASE)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    win.lock("idle")
    assert win.caseload is None and win.wizard is not None
    _click(qtbot, dialog.check_button)
    qtbot.waitUntil(lambda: not dialog.busy.isVisible(), timeout=LONG)
    assert dialog.restore_button.isEnabled()
    _click(qtbot, dialog.restore_button)
    # A second restore while the first runs is refused, from the menu too.
    win.restore_action.trigger()
    assert "kan nu niet" in win.statusBar().currentMessage()
    qtbot.waitUntil(lambda: win.wizard is None and not win.unlock_page.restoring, timeout=LONG)
    notice = win.unlock_page.notice
    assert (
        notice.textFormat() == Qt.TextFormat.PlainText and "'<b>oud<b>.brugdesk'" in notice.text()
    )
    unlock(qtbot, win)
    assert {r.given_name for r in win.caseload.clients.overview().rows} == {"Anna", "Bram"}


def test_restore_from_the_menu_during_first_run(
    qtbot, new_laptop: MainWindow, backup: Path, tmp_path: Path, monkeypatch
) -> None:
    """Bestand → Back-up terugzetten… does the same on the welcome page, and is refused
    once the wizard is past it (a new vault is being made)."""
    win = new_laptop
    _choose(monkeypatch, backup)
    win.restore_action.trigger()
    dialog = _dialog(win)
    _click(qtbot, dialog.cancel_button)
    win.wizard.next()
    win.restore_action.trigger()
    assert not [d for d in win.findChildren(RestoreDialog) if d.isVisible()]
    assert "kan nu niet" in win.statusBar().currentMessage()
    _nothing_left(tmp_path / "nieuwe-laptop")
