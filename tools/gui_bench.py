"""GUI figures for the benchmark, measured in a real QApplication (offscreen).

- start to unlock window shown: a fresh ``brugdesk`` process, from launch until
  its first frame is on screen (median of 3);
- unlock to caseload painted: opening the vault and painting the caseload
  table, minus the deliberate Argon2 time (measured separately);
- dossier open: selecting a client with 200 notes until the dossier is painted.

Prints one JSON object. Targets (DESIGN.md §8): < 1 s, < 300 ms, < 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

from brugdesk.app import demo
from brugdesk.app.caseload import Caseload
from brugdesk.ui.app import STARTUP_PROBE
from brugdesk.ui.main_window import MainWindow
from tools.bench import FLOOR_KDF, kdf_ms_for

PASSPHRASE = "benchmark passphrase, not a secret"  # noqa: S105


class PaintProbe(QObject):
    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.painted = False
        widget.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def wait_painted(widget: QWidget, timeout: float = 20.0) -> None:
    probe = PaintProbe(widget)
    deadline = time.monotonic() + timeout
    while not probe.painted and time.monotonic() < deadline:
        QApplication.processEvents()
    widget.removeEventFilter(probe)


def startup_ms(data_dir: Path) -> float:
    env = {**os.environ, STARTUP_PROBE: "1", "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "brugdesk.ui.app", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = (time.perf_counter() - start) * 1000
    proc.wait(timeout=30)
    if line.strip() != "shown":
        raise RuntimeError("the app did not report its first frame")
    return elapsed


def run(clients: int = 2000, notes: int = 60_000) -> dict[str, object]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="brugdesk-guibench-") as tmp:
        data_dir = Path(tmp) / "data"
        caseload, _ = Caseload.create(data_dir, PASSPHRASE, kdf=FLOOR_KDF)
        data = demo.generate(clients, max(1, notes // clients), seed=7, dossier_notes=200)
        with caseload.transaction() as session:
            demo.write(session.connection(), data)
        caseload.lock()
        del data

        starts = [startup_ms(data_dir) for _ in range(3)]

        kdf_ms = kdf_ms_for(data_dir)

        window = MainWindow(data_dir)
        window.resize(1366, 768)
        window.show()
        wait_painted(window)
        unlocks = []
        dossiers = []
        for round_ in range(3):
            start = time.perf_counter()
            opened = Caseload.open(data_dir, PASSPHRASE)
            window.on_unlocked(opened)
            assert window.workspace is not None
            wait_painted(window.workspace.table.viewport())
            unlocks.append((time.perf_counter() - start) * 1000 - kdf_ms)
            for client_id in (1, 2, 1, 2) if round_ == 0 else ():
                start = time.perf_counter()
                window.workspace.select_client(client_id)
                assert window.workspace.dossier is not None
                wait_painted(window.workspace.dossier)
                dossiers.append((time.perf_counter() - start) * 1000)
            window.lock()
        window.close()
        app.processEvents()
    return {
        "clients": clients,
        "notes": notes,
        "start_to_unlock_window_ms": round(statistics.median(starts), 1),
        "kdf_ms": round(kdf_ms, 1),
        "unlock_to_caseload_painted_ms": round(statistics.median(unlocks), 1),
        "dossier_open_200_notes_ms": round(statistics.median(dossiers), 1),
        "targets_ms": {
            "start_to_unlock_window": 1000,
            "unlock_to_caseload": 300,
            "dossier_open": 100,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="GUI-benchmark van brugdesk")
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--notes", type=int, default=60_000)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.clients, args.notes), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
