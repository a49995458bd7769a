"""The Qt binding itself must survive a long working day.

PySide6 6.12.0 drops one reference to Python's ``True``/``False`` on every
signal emitted from Python; after about a thousand emits the interpreter
aborts ("bool_dealloc"). pyproject.toml excludes that release; this test
catches any installed release with the same fault.
"""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

app = QCoreApplication([])


class Emitter(QObject):
    fired = Signal()


emitter = Emitter()
before = sys.getrefcount(True)
for _ in range(5000):
    emitter.fired.emit()
print(before - sys.getrefcount(True))
"""


def test_emitting_signals_does_not_leak_references_to_true() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert abs(int(result.stdout.strip())) < 100
