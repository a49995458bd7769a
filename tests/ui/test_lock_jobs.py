"""Locking never waits on the GUI thread; a job cut short by the lock says so.

The jobs are held by events, not by sleeps: the tests look at the state right
after ``lock()`` returned (the job still runs, the unlock screen shows) instead
of timing anything.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from brugdesk.app import vault_jobs
from brugdesk.app.caseload import Caseload, LockInterrupted
from brugdesk.storage import backup as backup_store
from brugdesk.ui.main_window import MainWindow
from brugdesk.ui.tasks import Tasks
from brugdesk.ui.unlock import LOCKING_NOTE
from tests.conftest import PASSPHRASE
from tests.ui.conftest import unlock


class Gate:
    """A step that reports it started and then waits until the test releases it."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def hold(self) -> None:
        self.started.set()
        assert self.release.wait(30), "the test never released the held step"


def test_lock_returns_while_the_backup_runs_and_the_backup_reports_it_stopped(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unlock(qtbot, window)
    window.caseload.clients.create(given_name="Noor", family_name="Bakker")
    gate = Gate()
    real_write_backup = backup_store.write_backup

    def slow_write_backup(vault, dest: Path) -> None:
        real_write_backup(vault, dest)
        gate.hold()  # the copy is written; the audit row and the rename are still to come

    monkeypatch.setattr(backup_store, "write_backup", slow_write_backup)
    target = tmp_path / "uit" / "tijdens-vergrendelen.brugdesk"
    target.parent.mkdir()
    window.backup_to(target)
    assert gate.started.wait(15)
    old = window.caseload

    window.lock()

    # lock() returned without waiting: the job still runs, the screen is already locked.
    assert window.tasks.running("backup")
    assert window.caseload is None and window.workspace is None
    assert window.stack.currentWidget() is window.unlock_page
    assert window.windowTitle() == "brugdesk — vergrendeld"
    assert old.is_unlocked  # the key stays until the job has returned
    # ... and a new unlock is refused until the old lock is complete.
    page = window.unlock_page
    assert page.locking and not page.unlock_button.isEnabled()
    assert page.locking_note.isVisibleTo(window)
    page.passphrase.setEnabled(True)
    page.passphrase.setText(PASSPHRASE)
    page.try_unlock()
    assert page.error.text() == LOCKING_NOTE
    assert not window.tasks.running("unlock")

    gate.release.set()
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=15000)
    assert not old.is_unlocked  # the key went when the last job returned
    assert window.locking is None
    assert not page.locking and page.unlock_button.isEnabled()
    assert not page.locking_note.isVisibleTo(window)
    message = window.statusBar().currentMessage()
    assert "back-up is afgebroken door het vergrendelen" in message
    assert "niets half opgeslagen" in message
    # Nothing half-written: no backup, no temp file, no audit row.
    assert list(target.parent.iterdir()) == []
    unlock(qtbot, window)
    assert "afgebroken" in window.statusBar().currentMessage()  # still there after unlock
    assert not [r for r in window.caseload.audit.fetch() if r.action == "backup"]


def test_a_job_whose_dialog_the_lock_closed_still_reports(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """The dialog that started the job is gone; the window still says it did not finish."""
    unlock(qtbot, window)
    old = window.caseload
    gate = Gate()
    dialog = QWidget()
    what = "Het importeren van cliënten"

    def job() -> None:
        gate.hold()
        old.check_open(what)

    window.tasks.run("import-write", job, lambda _r: None, lambda _e: None, owner=dialog)
    assert gate.started.wait(15)
    window.lock()
    dialog.deleteLater()
    qtbot.wait(1)
    gate.release.set()
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=15000)
    assert not old.is_unlocked
    assert "importeren van cliënten is afgebroken" in window.statusBar().currentMessage()


def test_lock_with_nothing_running_drops_the_key_at_once(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    old = window.caseload
    window.lock()
    assert not old.is_unlocked and window.locking is None
    assert window.unlock_page.unlock_button.isEnabled()


def test_when_idle_waits_only_for_jobs_running_at_the_call(qtbot) -> None:
    tasks = Tasks()
    first, later = threading.Event(), threading.Event()
    calls: list[str] = []
    tasks.run("a", first.wait, lambda _r: calls.append("a"), lambda _e: None)
    tasks.when_idle(lambda: calls.append("idle"))
    tasks.run("b", later.wait, lambda _r: calls.append("b"), lambda _e: None)
    assert calls == []
    first.set()
    qtbot.waitUntil(lambda: "idle" in calls, timeout=15000)
    assert calls == ["a", "idle"]  # "b" still runs: it started after the lock
    later.set()
    qtbot.waitUntil(lambda: not tasks.busy, timeout=15000)
    tasks.when_idle(lambda: calls.append("now"))
    assert calls[-1] == "now"


# --- cancellation points in the core ------------------------------------------------------


def test_demo_writer_stops_between_chunks_and_keeps_nothing(caseload: Caseload) -> None:
    seen: list[int] = []

    def progress(done: int, _total: int) -> None:
        seen.append(done)
        caseload.request_lock()  # the lock arrives while the first chunk was written

    with pytest.raises(LockInterrupted, match="demogegevens is afgebroken"):
        vault_jobs.fill_with_demo(caseload, 5, 2, seed=3, progress=progress)
    assert len(seen) == 1
    caseload.lock()  # one writer: the lock the job asked for is completed first
    fresh = Caseload.open(caseload.vault.data_dir, PASSPHRASE)
    try:
        assert fresh.clients.count() == 0 and fresh.partners.fetch() == []
        assert not [r for r in fresh.audit.fetch() if r.action == "import"]
    finally:
        fresh.lock()


def test_backup_asked_to_stop_before_it_starts_writes_nothing(
    caseload: Caseload, tmp_path: Path
) -> None:
    caseload.request_lock()
    with pytest.raises(LockInterrupted, match="back-up"):
        caseload.write_backup(tmp_path / "b.brugdesk")
    assert not list(tmp_path.glob("*b.brugdesk*"))
