"""Logging to a file in the user's log folder, never with client data.

Messages logged by brugdesk carry ids, counts and error types only; SQL
parameters are hidden by the engine (``hide_parameters``).

Tracebacks are written by :class:`SafeFormatter`: the type of each exception
and the file, line and function of each frame — never the exception's own
text, because that text can quote what was typed (a name, a BSN, a note).
"""

from __future__ import annotations

import logging
import os
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from platformdirs import user_log_dir

from brugdesk.storage.atomic import PRIVATE_FOLDER, private_mode

_handler: RotatingFileHandler | None = None
_path: Path | None = None


def log_path() -> Path:
    override = os.environ.get("BRUGDESK_LOG_DIR")
    base = Path(override) if override else Path(user_log_dir("brugdesk", appauthor=False))
    return base / "brugdesk.log"


def current_path() -> Path | None:
    """The log file in use, or None when logging to a file could not be set up."""
    return _path


def safe_traceback(exc: BaseException | None, tb: TracebackType | None = None) -> str:
    """An exception and its causes as types and frames only, without any message text."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        cause = current.__cause__
        if cause is None and not current.__suppress_context__:
            cause = current.__context__
        current = cause
    lines: list[str] = []
    for index, item in enumerate(reversed(chain)):
        if index:
            lines.append("During handling of the above exception, another one followed:")
        lines.append("Traceback (most recent call last):")
        frames = item.__traceback__ or (tb if item is exc else None)
        for frame in traceback.extract_tb(frames):
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
            if frame.line:
                lines.append(f"    {frame.line.strip()}")
        kind = type(item)
        lines.append(f"{kind.__module__}.{kind.__qualname__} (message not logged)")
    return "\n".join(lines)


class SafeFormatter(logging.Formatter):
    """Formats tracebacks with :func:`safe_traceback`."""

    def format(self, record: logging.LogRecord) -> str:
        # Another handler may have cached its own full traceback on the record.
        cached = record.exc_text
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei) -> str:
        _kind, exc, tb = ei
        return safe_traceback(exc, tb)


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """Every log file (also after a rollover) is 0600, whatever the umask."""

    def _open(self):
        os.close(os.open(self.baseFilename, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600))
        private_mode(self.baseFilename)  # also a file made before, wider
        return super()._open()


def setup() -> Path | None:
    """Log to the user's log folder (again: a second call replaces the first)."""
    global _handler, _path
    shutdown()
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        private_mode(path.parent, PRIVATE_FOLDER)  # also made before, or under umask 000
        handler = _PrivateRotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _handler, _path = handler, path
    return path


def shutdown() -> None:
    """Stop logging to the file set up by :func:`setup` (for tests and a clean exit)."""
    global _handler, _path
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
    _handler, _path = None, None
