"""Killing a brugdesk step in a subprocess, for the kill-at-every-step tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from brugdesk.storage import rotation

ROOT = Path(__file__).resolve().parent.parent


def killed_at(step: str, script: str, *args: str) -> None:
    """Run *script* with *args* and let it die by SIGKILL at the crash point *step*."""
    proc = subprocess.run(
        [sys.executable, "-c", script, *args],
        env={**os.environ, rotation.CRASH_ENV: step},
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == -9, (step, proc.stderr)
