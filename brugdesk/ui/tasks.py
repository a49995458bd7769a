"""One way to run background work: a callable on the thread pool, the result
or the error delivered back on the GUI thread. Argon2, imports, backups and
demo generation all use it, so the window never freezes.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    finished = Signal(int, bool, object)


class _Job(QRunnable):
    def __init__(self, job_id: int, func: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.job_id = job_id
        self.func = func
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.func()
        except BaseException as exc:  # delivered to the GUI thread, never lost
            self.relay.finished.emit(self.job_id, False, exc)
        else:
            self.relay.finished.emit(self.job_id, True, result)


class Tasks(QObject):
    """Runs named jobs; a job with a name that is still running is refused."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool.globalInstance()
        self._relay = _Relay()
        self._relay.finished.connect(self._finished)
        self._ids = itertools.count(1)
        self._jobs: dict[int, tuple[str, Callable, Callable]] = {}

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def running(self, name: str) -> bool:
        return any(n == name for n, _, _ in self._jobs.values())

    def run(
        self,
        name: str,
        func: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> bool:
        if self.running(name):
            return False
        job_id = next(self._ids)
        self._jobs[job_id] = (name, on_done, on_error)
        self.pool.start(_Job(job_id, func, self._relay))
        self.busy_changed.emit(True)
        return True

    @Slot(int, bool, object)
    def _finished(self, job_id: int, ok: bool, payload: Any) -> None:
        name, on_done, on_error = self._jobs.pop(job_id)
        if not self._jobs:
            self.busy_changed.emit(False)
        if ok:
            on_done(payload)
        else:
            if not hasattr(payload, "message"):
                log.error("background job %s failed: %r", name, type(payload).__name__)
            on_error(payload)
