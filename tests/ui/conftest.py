"""GUI test helpers: the real main window on a real vault, offscreen."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from brugdesk.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE
from tests.ui.button_census import ButtonCensus, watch_python_clicks

UNEXPECTED_LOGGERS = ("brugdesk.boundary", "brugdesk.ui.kit.widgets")
UI_TESTS = Path(__file__).parent
CENSUS = ButtonCensus()
CENSUS_FAILS = True


@pytest.fixture(autouse=True, scope="session")
def button_census(qapp):
    """Watch every button and menu action the GUI tests show (see button_census.py)."""
    qapp.installEventFilter(CENSUS)
    watch_python_clicks(CENSUS)
    yield CENSUS
    qapp.removeEventFilter(CENSUS)


def _whole_gui_suite(session: pytest.Session) -> bool:
    """True when every GUI test file ran, unfiltered: only then is 'never clicked' meaningful."""
    option = session.config.option
    if option.keyword or option.markexpr or getattr(option, "lf", False):
        return False
    ran = {Path(str(item.path)) for item in session.items}
    return all(path in ran for path in UI_TESTS.glob("test_*.py"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not CENSUS.shown or not _whole_gui_suite(session):
        return
    missing = CENSUS.never_clicked
    if missing:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                "Buttons and menu actions that a test showed but no test clicked:", red=True
            )
            for key in missing:
                reporter.write_line(f"  {key}", red=True)
        if CENSUS_FAILS:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def expect_unexpected_errors() -> None:
    """Request this in a test that makes the error boundary report on purpose."""


@pytest.fixture(autouse=True)
def no_unexpected_errors(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture):
    """The error boundary turns a failing click into a message box, so pytest-qt no
    longer sees the exception: fail the test here instead."""
    yield
    if "expect_unexpected_errors" in request.fixturenames:
        return
    reported = [
        record.getMessage()
        for record in caplog.get_records("call")
        if record.name in UNEXPECTED_LOGGERS and record.levelno >= logging.ERROR
    ]
    assert not reported, f"the error boundary reported unexpected errors: {reported}"


@pytest.fixture
def window(qtbot, vault_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> MainWindow:
    monkeypatch.setenv("BRUGDESK_LOG_DIR", str(tmp_path / "logs"))
    win = MainWindow(vault_dir)
    qtbot.addWidget(win)
    win.show()
    yield win
    if win.caseload is not None:
        win.lock("test")


def unlock(qtbot, win: MainWindow, passphrase: str = PASSPHRASE) -> None:
    field = win.unlock_page.passphrase
    field.clear()
    qtbot.keyClicks(field, passphrase)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.workspace is not None, timeout=15000)


def type_text(qtbot, widget, text: str) -> None:
    """Type *text* as key events, one character at a time.

    ``QTest.keyClicks`` aborts on characters outside Latin-1 (ş, ı, ł, emoji),
    so each character is sent as a key press/release carrying its text.
    """
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    for ch in text:
        key = Qt.Key.Key_Return if ch == "\n" else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch)
            QApplication.sendEvent(widget, event)
    qtbot.wait(1)
