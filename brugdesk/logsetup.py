"""Logging to a file in the user's log folder, never with client data.

Messages logged by brugdesk carry ids, counts and error types only; SQL
parameters are hidden by the engine (``hide_parameters``).
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from platformdirs import user_log_dir


def log_path() -> Path:
    override = os.environ.get("BRUGDESK_LOG_DIR")
    base = Path(override) if override else Path(user_log_dir("brugdesk", appauthor=False))
    return base / "brugdesk.log"


def setup() -> Path | None:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
