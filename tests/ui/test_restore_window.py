"""Bestand → Back-up terugzetten…: shown first, then done; a failure replaces nothing.

Real vault, real backup made through the menu; only Qt's file dialogs are
replaced (they would wait for a person).
"""

from __future__ import annotations

import hashlib
import tarfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from brugdesk.app.caseload import Caseload
from brugdesk.ui.dialogs.restore_dialog import RestoreDialog
from brugdesk.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE
from tests.ui.conftest import type_text, unlock

LONG = 30000


def _click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _names(data_dir: Path) -> set[str]:
    cl = Caseload.open(data_dir, PASSPHRASE)
    try:
        return {row.given_name for row in cl.clients.overview().rows}
    finally:
        cl.lock()


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _backup_then_more(qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> Path:
    """Unlock, add Anna, back up through the menu, then add Cees (not in the backup)."""
    unlock(qtbot, window)
    assert window.caseload is not None
    window.caseload.clients.create(given_name="Anna", family_name="Voorbeeld")
    target = tmp_path / "usb" / "b.brugdesk"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: "Back-up gemaakt" in window.statusBar().currentMessage(), timeout=LONG)
    window.caseload.clients.create(given_name="Cees", family_name="Later")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(target), ""))
    return target


def _dialog(window: MainWindow) -> RestoreDialog:
    dialogs = [d for d in window.findChildren(RestoreDialog) if d.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def _check(qtbot, dialog: RestoreDialog, passphrase: str = PASSPHRASE) -> None:
    type_text(qtbot, dialog.passphrase, passphrase)
    _click(qtbot, dialog.check_button)
    qtbot.waitUntil(lambda: not dialog.busy.isVisible(), timeout=LONG)


def _restore_and_wait(qtbot, window: MainWindow, dialog: RestoreDialog) -> None:
    _click(qtbot, dialog.restore_button)
    assert not dialog.isVisible()
    assert window.workspace is None and window.unlock_page.restoring  # busy, locked
    assert not window.unlock_page.unlock_button.isEnabled()
    qtbot.waitUntil(lambda: not window.unlock_page.restoring, timeout=LONG)


def _restored(qtbot, window: MainWindow, dialog: RestoreDialog, vault_dir: Path) -> None:
    aside = dialog.plan.aside
    assert aside is not None and not aside.exists()
    assert str(aside) in dialog.aside_label.text()  # the very folder is shown beforehand
    assert str(vault_dir) in dialog.replaced_label.text()
    assert "laatst gewijzigd" in dialog.replaced_label.text()
    _check(qtbot, dialog)
    assert "1 cliënt" in dialog.contents.text() and dialog.contents.isVisible()
    _restore_and_wait(qtbot, window, dialog)
    notice = window.unlock_page.notice
    assert notice.isVisible() and not window.unlock_page.error.isVisible()
    assert "is teruggezet" in notice.text() and str(aside) in notice.text()
    assert "wachtwoord" in notice.text()
    unlock(qtbot, window)  # the backup's passphrase opens it
    assert window.caseload is not None
    assert {r.given_name for r in window.caseload.clients.overview().rows} == {"Anna"}
    assert not notice.isVisible()
    trail = [(a.action, a.details) for a in window.caseload.audit.fetch()]
    assert ("restore", {"file": "b.brugdesk"}) in trail
    assert aside.is_dir() and (aside / "caseload.db").exists()
    assert _names(aside) == {"Anna", "Cees"}  # the put-aside vault opens, Cees is there


def test_restore_from_the_menu_while_unlocked(
    qtbot, window: MainWindow, vault_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    _backup_then_more(qtbot, window, tmp_path, monkeypatch)
    window.restore_action.trigger()
    _restored(qtbot, window, _dialog(window), vault_dir)


def test_restore_from_the_unlock_screen_while_locked(
    qtbot, window: MainWindow, vault_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    _backup_then_more(qtbot, window, tmp_path, monkeypatch)
    window.lock_action.trigger()
    qtbot.waitUntil(lambda: window.locking is None, timeout=LONG)
    assert window.restore_action.isEnabled()
    _click(qtbot, window.unlock_page.restore_button)
    _restored(qtbot, window, _dialog(window), vault_dir)


def test_cancel_changes_nothing(
    qtbot, window: MainWindow, vault_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    _backup_then_more(qtbot, window, tmp_path, monkeypatch)
    window.restore_action.trigger()
    dialog = _dialog(window)
    _check(qtbot, dialog)
    assert dialog.restore_button.isEnabled() and dialog.cancel_button.isDefault()
    _click(qtbot, dialog.cancel_button)
    assert not dialog.isVisible() and window.workspace is not None
    assert dialog.plan.aside is not None and not dialog.plan.aside.exists()
    assert window.caseload is not None
    names = {r.given_name for r in window.caseload.clients.overview().rows}
    assert names == {"Anna", "Cees"}
    assert not [p for p in vault_dir.iterdir() if p.is_dir() and p.name != "backups"]


def test_wrong_passphrase_is_said_and_nothing_is_replaced(
    qtbot, window: MainWindow, vault_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    _backup_then_more(qtbot, window, tmp_path, monkeypatch)
    window.restore_action.trigger()
    dialog = _dialog(window)
    _check(qtbot, dialog, "niet het wachtwoord van toen")
    assert dialog.error.isVisible() and "opent deze back-up niet" in dialog.error.text()
    assert not dialog.restore_button.isEnabled() and dialog.isVisible()
    dialog.passphrase.clear()
    _check(qtbot, dialog, "")  # empty: asked for, nothing runs
    assert "Vul het wachtwoord" in dialog.error.text()
    _click(qtbot, dialog.cancel_button)
    assert window.workspace is not None
    window.lock_action.trigger()
    qtbot.waitUntil(lambda: window.locking is None, timeout=LONG)
    assert not [p for p in vault_dir.iterdir() if p.is_dir() and p.name != "backups"]
    assert _names(vault_dir) == {"Anna", "Cees"}
    unlock(qtbot, window)  # still its own passphrase


@pytest.mark.parametrize("when", ["before the check", "after the check"])
def test_damaged_backup_is_said_and_nothing_is_replaced(
    qtbot, window: MainWindow, vault_dir: Path, tmp_path: Path, monkeypatch, when: str
) -> None:
    backup = _backup_then_more(qtbot, window, tmp_path, monkeypatch)
    window.lock_action.trigger()
    qtbot.waitUntil(lambda: window.locking is None, timeout=LONG)
    before = _snapshot(vault_dir)

    def damage() -> None:
        with tarfile.open(backup) as tar:
            member = tar.getmember("caseload.db")
        blob = bytearray(backup.read_bytes())
        blob[member.offset_data + member.size // 2] ^= 0x40
        backup.write_bytes(bytes(blob))

    if when == "before the check":
        damage()
    _click(qtbot, window.unlock_page.restore_button)
    dialog = _dialog(window)
    if when == "before the check":
        _check(qtbot, dialog)
        assert "beschadigd" in dialog.error.text() and not dialog.restore_button.isEnabled()
        _click(qtbot, dialog.cancel_button)
    else:
        _check(qtbot, dialog)
        damage()  # the file changes between the check and the restore
        _restore_and_wait(qtbot, window, dialog)
        error = window.unlock_page.error
        assert error.isVisible() and "niet gelukt" in error.text()
        assert "beschadigd" in error.text() and "niets vervangen" in error.text()
        assert not window.unlock_page.notice.isVisible()
    assert _snapshot(vault_dir) == before
    unlock(qtbot, window)  # its own passphrase still opens it, with every client
    assert window.caseload is not None
    names = {r.given_name for r in window.caseload.clients.overview().rows}
    assert names == {"Anna", "Cees"}


def test_not_a_backup_is_said_without_a_dialog(
    qtbot, window: MainWindow, vault_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    bogus = tmp_path / "bogus.brugdesk"
    bogus.write_bytes(b"dit is geen back-up")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(bogus), ""))
    before = _snapshot(vault_dir)
    _click(qtbot, window.unlock_page.restore_button)
    assert not [d for d in window.findChildren(RestoreDialog) if d.isVisible()]
    assert "niets vervangen" in window.unlock_page.error.text()
    assert _snapshot(vault_dir) == before


def test_restore_waits_until_a_running_job_let_go_of_the_key(
    qtbot, window: MainWindow, vault_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    backup = _backup_then_more(qtbot, window, tmp_path, monkeypatch)
    second = tmp_path / "usb" / "tweede.brugdesk"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(second), ""))
    window.backup_action.trigger()
    assert window.tasks.running("backup")  # its outcome needs the event loop: still pending
    window.start_restore(backup, PASSPHRASE, "")
    assert window.locking is not None and not window.tasks.running("restore")
    qtbot.waitUntil(lambda: window.tasks.running("restore") or not window.unlock_page.restoring)
    assert window.locking is None  # the key went before the restore began
    qtbot.waitUntil(lambda: not window.unlock_page.restoring, timeout=LONG)
    assert "is teruggezet" in window.unlock_page.notice.text()
    assert _names(vault_dir) == {"Anna"}
    (aside,) = [p for p in vault_dir.iterdir() if p.name.startswith("vervangen-")]
    assert _names(aside) == {"Anna", "Cees"}
