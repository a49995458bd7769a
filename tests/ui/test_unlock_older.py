"""The unlock screen says plainly when the database is older than expected."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt

from brugdesk.app.caseload import Caseload
from brugdesk.paths import DB_NAME
from brugdesk.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE


def test_unlock_screen_shows_that_the_database_is_older(
    qtbot, window: MainWindow, vault_dir: Path, tmp_path: Path
) -> None:
    old = tmp_path / "oud.db"
    shutil.copy2(vault_dir / DB_NAME, old)
    cl = Caseload.open(vault_dir, PASSPHRASE)
    cl.clients.create(given_name="Recent", family_name="Werk")
    cl.lock()
    shutil.copy2(old, vault_dir / DB_NAME)  # an older caseload.db put back

    qtbot.keyClicks(window.unlock_page.passphrase, PASSPHRASE)
    qtbot.keyClick(window.unlock_page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.unlock_page.error.isVisibleTo(window), timeout=15000)
    text = window.unlock_page.error.text()
    assert "ouder dan verwacht" in text and "brugdesk-cli accept-older" in text
    assert window.workspace is None and window.caseload is None
