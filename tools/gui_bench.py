"""GUI figures for the benchmark, measured in a real QApplication (offscreen).

- start to unlock window shown: a fresh ``brugdesk`` process, from launch until
  its first frame is on screen (median of 3);
- unlock to caseload painted: opening the vault and painting the caseload
  table, minus the deliberate Argon2 time (that unlock's own, timed as it runs);
- dossier open: selecting a client with 200 notes until the dossier is painted;
- note saved → views updated: Ctrl+S in the note editor until the timeline is
  painted (the caseload line and the Vandaag count follow the same change record);
- referral status changed → views updated: until the referrals tab is painted;
- with ``--large 20000:600000`` also "unlock → caseload painted" at that size
  and its ratio to the first figure (at most 3x).

Unlocking includes everything the window shows then, the Vandaag count too.
Prints one JSON object; ``tools.bench_report`` turns it into verdict lines.
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
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

from brugdesk.app import demo
from brugdesk.app.caseload import Caseload
from brugdesk.storage import keyheader as kh
from brugdesk.ui.app import STARTUP_PROBE
from brugdesk.ui.main_window import MainWindow
from tools.bench import FLOOR_KDF

PASSPHRASE = "benchmark passphrase, not a secret"  # noqa: S105

#: The targets at 2,000 clients / 60,000 notes (see the README's benchmark section).
TARGETS_MS = {
    "start_to_unlock_window": 300,
    "unlock_to_caseload": 150,
    "dossier_open": 50,
    "note_saved_to_views_updated": 50,
    "referral_status_to_views_updated": 50,
}
#: "unlock → caseload painted" may grow at most this much from 2,000 to 20,000 clients.
LARGE_RATIO_MAX = 3.0


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


def fill(data_dir: Path, clients: int, notes: int) -> None:
    caseload, _ = Caseload.create(data_dir, PASSPHRASE, kdf=FLOOR_KDF)
    data = demo.generate(clients, max(1, notes // clients), seed=7, dossier_notes=200)
    with caseload.transaction() as session:
        demo.write(session.connection(), data)
    caseload.lock()


@contextmanager
def argon2_clock() -> Iterator[list[float]]:
    """Times every Argon2 derivation made meanwhile (ms), so an unlock subtracts
    its own Argon2 time: a separate measurement, on a machine whose load changes,
    can be off by more than the whole figure being measured."""
    spent: list[float] = []
    derive = kh.derive_passphrase_kek

    def timed(*args: Any, **kwargs: Any) -> bytes:
        start = time.perf_counter()
        try:
            return derive(*args, **kwargs)
        finally:
            spent.append((time.perf_counter() - start) * 1000)

    kh.derive_passphrase_kek = timed
    try:
        yield spent
    finally:
        kh.derive_passphrase_kek = derive


def unlock_painted_ms(window: MainWindow, data_dir: Path) -> tuple[float, float]:
    """Unlock until the caseload is painted, with everything the window shows at
    unlock (the Vandaag count included), minus the deliberate Argon2 time.
    Returns (that figure, the Argon2 time of this unlock)."""
    with argon2_clock() as argon2:
        start = time.perf_counter()
        opened = Caseload.open(data_dir, PASSPHRASE)
        window.on_unlocked(opened)
        assert window.workspace is not None
        wait_painted(window.workspace.table.viewport())
        elapsed = (time.perf_counter() - start) * 1000
    return elapsed - sum(argon2), sum(argon2)


def note_saved_ms(window: MainWindow, client_id: int, rounds: int = 5) -> list[float]:
    """Ctrl+S in the note editor until the timeline is painted again; by then the
    caseload line and the Vandaag count (same change record) are updated too."""
    workspace = window.workspace
    assert workspace is not None and workspace.dossier is not None
    dossier = workspace.dossier
    dossier.tabs.setCurrentWidget(dossier.contacts)
    wait_painted(dossier.contacts.table.viewport())
    figures = []
    for i in range(rounds):
        editor = dossier.contacts.editor
        editor.text.setPlainText(f"Benchmarknotitie {i}: samen de post doorgenomen.")
        before = dossier.contacts.model.rowCount()
        start = time.perf_counter()
        editor.save()
        wait_painted(dossier.contacts.table.viewport())
        figures.append((time.perf_counter() - start) * 1000)
        if dossier.contacts.model.rowCount() != before + 1:
            raise RuntimeError("the timeline did not show the saved note")
    return figures


def referral_status_ms(window: MainWindow, client_id: int) -> list[float]:
    """A referral's status changed (by the service, as the status dialog does)
    until the referrals tab is painted again; the line and the count follow the
    same change record."""
    caseload = window.caseload
    workspace = window.workspace
    assert caseload is not None and workspace is not None and workspace.dossier is not None
    partner = caseload.partners.fetch()[0].id
    caseload.consents.record(
        client_id, recipient="Benchmark", purpose="verwijzing", how="mondeling", partner_id=partner
    )
    referral = caseload.referrals.create(client_id, partner)
    caseload.referrals.mark_sent(referral, feedback_due=date.today() - timedelta(days=1))
    tab = workspace.dossier.referrals
    workspace.dossier.tabs.setCurrentWidget(tab)
    wait_painted(tab.table.viewport())
    figures = []
    for status in ("geaccepteerd", "gestart", "afgerond", "teruggekoppeld"):
        start = time.perf_counter()
        caseload.referrals.set_status(referral, status)
        wait_painted(tab.table.viewport())
        figures.append((time.perf_counter() - start) * 1000)
    return figures


def run(clients: int = 2000, notes: int = 60_000) -> dict[str, object]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="brugdesk-guibench-") as tmp:
        data_dir = Path(tmp) / "data"
        fill(data_dir, clients, notes)

        starts = [startup_ms(data_dir) for _ in range(3)]

        window = MainWindow(data_dir)
        window.resize(1366, 768)
        window.show()
        wait_painted(window)
        unlocks = []
        kdfs = []
        dossiers: list[float] = []
        saves: list[float] = []
        statuses: list[float] = []
        for round_ in range(3):
            unlock, kdf = unlock_painted_ms(window, data_dir)
            unlocks.append(unlock)
            kdfs.append(kdf)
            assert window.workspace is not None
            for client_id in (1, 2, 1, 2) if round_ == 0 else ():
                start = time.perf_counter()
                window.workspace.select_client(client_id)
                assert window.workspace.dossier is not None
                wait_painted(window.workspace.dossier)
                dossiers.append((time.perf_counter() - start) * 1000)
            if round_ == 0:
                window.workspace.select_client(1)  # the dossier with 200 notes
                saves = note_saved_ms(window, 1)
                statuses = referral_status_ms(window, 1)
            window.lock()
        window.close()
        app.processEvents()
    return {
        "clients": clients,
        "notes": notes,
        "start_to_unlock_window_ms": round(statistics.median(starts), 1),
        "kdf_ms": round(statistics.median(kdfs), 1),
        "unlock_to_caseload_painted_ms": round(statistics.median(unlocks), 1),
        "dossier_open_200_notes_ms": round(statistics.median(dossiers), 1),
        "note_saved_to_views_updated_ms": round(statistics.median(saves), 1),
        "referral_status_to_views_updated_ms": round(statistics.median(statuses), 1),
        "targets_ms": dict(TARGETS_MS),
    }


def run_large(clients: int, notes: int) -> dict[str, object]:
    """Only "unlock → caseload painted", on a (much) larger caseload."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="brugdesk-guibench-large-") as tmp:
        data_dir = Path(tmp) / "data"
        fill(data_dir, clients, notes)
        window = MainWindow(data_dir)
        window.resize(1366, 768)
        window.show()
        wait_painted(window)
        unlocks = []
        for _ in range(3):
            unlocks.append(unlock_painted_ms(window, data_dir)[0])
            window.lock()
        window.close()
        app.processEvents()
    return {
        "clients": clients,
        "notes": notes,
        "unlock_to_caseload_painted_ms": round(statistics.median(unlocks), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="GUI-benchmark van brugdesk")
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--notes", type=int, default=60_000)
    parser.add_argument(
        "--large",
        metavar="CLIËNTEN:NOTITIES",
        help="meet ook 'ontgrendelen → caseload getekend' op deze grootte (bijv. 20000:600000)",
    )
    parser.add_argument("--out", metavar="BESTAND", help="schrijf de JSON ook naar BESTAND")
    args = parser.parse_args(argv)
    result = run(args.clients, args.notes)
    if args.large:
        big_clients, big_notes = (int(x) for x in args.large.split(":"))
        large = run_large(big_clients, big_notes)
        small = result["unlock_to_caseload_painted_ms"]
        assert isinstance(small, float)
        large["ratio_to_small"] = round(large["unlock_to_caseload_painted_ms"] / small, 2)  # type: ignore[operator]
        result["large"] = large
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
