"""The demo vault is removed also when the app is ended by SIGTERM or SIGINT."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.test_start import ROOT, _env

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _wait_for(predicate, process: subprocess.Popen, what: str) -> None:
    deadline_polls = 1200  # about 120 s in polls of 0.1 s; no time is asserted
    for _ in range(deadline_polls):
        if predicate():
            return
        assert process.poll() is None, f"the app ended before {what}"
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(0.1)
    raise AssertionError(f"never saw {what}")


def _demo_ended_by(signum: int, tmp_path: Path, *, ready: str) -> subprocess.CompletedProcess:
    process = subprocess.Popen(
        [sys.executable, "-m", "brugdesk.ui.app", "--demo"],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        if ready == "folder":  # as soon as the folder exists (the demo may still be filled)
            _wait_for(lambda: list(tmp_path.glob("brugdesk-demo-*")), process, "the demo folder")
        else:  # once the demo vault was built and closed: its key file is there
            _wait_for(
                lambda: (
                    list(tmp_path.glob("brugdesk-demo-*/data/vault.json"))
                    and not list(tmp_path.glob("brugdesk-demo-*/data/*-wal"))
                ),
                process,
                "the demo vault",
            )
        process.send_signal(signum)
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT"])
def test_demo_folder_is_removed_when_ended_by_a_signal(tmp_path: Path, name: str) -> None:
    signum = getattr(signal, name)
    result = _demo_ended_by(signum, tmp_path, ready="vault")
    assert result.returncode == 128 + signum, result.stderr  # ended by our handler, not killed
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob("brugdesk-demo-*"))


def test_demo_folder_is_removed_when_ended_while_the_demo_is_built(tmp_path: Path) -> None:
    result = _demo_ended_by(signal.SIGTERM, tmp_path, ready="folder")
    assert result.returncode == 128 + signal.SIGTERM, result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob("brugdesk-demo-*"))


def test_stop_signals_are_installed_only_where_they_exist(qtbot, monkeypatch) -> None:
    from PySide6.QtCore import QObject

    from brugdesk.ui import app

    installed: list[int] = []
    monkeypatch.delattr(signal, "SIGHUP", raising=False)  # as on Windows
    monkeypatch.setattr(signal, "signal", lambda signum, _handler: installed.append(signum))
    parent = QObject()
    wake = app.install_stop_signals(parent, lambda _s: None)
    assert installed == [signal.SIGTERM, signal.SIGINT]
    assert wake.isActive()
    wake.stop()
