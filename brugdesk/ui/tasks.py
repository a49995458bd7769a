"""One way to run background work: a callable on the thread pool, the result
or the error delivered back on the GUI thread. Argon2, imports, backups and
demo generation all use it, so the window never freezes.

A job's callbacks belong to an *owner*: the widget that started it. When the
owner is gone by the time the job ends (the worker locked, the dialog closed),
the result is dropped quietly instead of touching a deleted widget. Callers
pass ``owner=`` (the page or dialog that shows the result); without it the
owners are the Qt objects the callbacks are bound to or capture (``self``, a
wizard), and every one of them must still exist. A dropped outcome is still
announced through ``dropped`` so the window can tell the worker what did not
finish. ``when_idle`` runs a callback once the jobs running now have returned
(locking uses it: the key goes only after the last job using it is done, and
the GUI thread never waits).
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot

from brugdesk.errors import BrugdeskError
from brugdesk.ui.kit import error_boundary

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


@dataclass
class _Pending:
    name: str
    on_done: Callable[[Any], None]
    on_error: Callable[[BaseException], None]
    owners: tuple[QObject, ...]

    def owner_gone(self) -> bool:
        return not all(shiboken6.isValid(owner) for owner in self.owners)


def captured_qobjects(*callbacks: Callable) -> tuple[QObject, ...]:
    """The Qt objects *callbacks* are bound to or close over (one level deep)."""
    found: list[QObject] = []

    def visit(value: object, depth: int = 0) -> None:
        if isinstance(value, QObject):
            if not any(value is seen for seen in found):
                found.append(value)
            return
        if depth > 1:
            return
        if isinstance(value, functools.partial):
            visit(value.func, depth + 1)
            for arg in (*value.args, *value.keywords.values()):
                visit(arg, depth + 1)
            return
        visit(getattr(value, "__self__", None), depth + 1)
        for cell in getattr(value, "__closure__", None) or ():
            try:
                visit(cell.cell_contents, depth + 1)
            except ValueError:  # an empty cell
                continue

    for callback in callbacks:
        visit(callback)
    return tuple(found)


class Tasks(QObject):
    """Runs named jobs; a job with a name that is still running is refused."""

    busy_changed = Signal(bool)
    #: name, ok, result or error of a job whose owner was gone when it returned
    dropped = Signal(str, bool, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool.globalInstance()
        self._relay = _Relay()
        self._relay.finished.connect(self._finished)
        self._ids = itertools.count(1)
        self._jobs: dict[int, _Pending] = {}
        self._waiters: list[tuple[set[int], Callable[[], None]]] = []

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Call *callback* on the GUI thread once every job running now has returned
        (at once when none runs). Jobs started later are not waited for."""
        waiting = set(self._jobs)
        if not waiting:
            callback()
            return
        self._waiters.append((waiting, callback))

    def drain(self) -> None:
        """At exit, when the event loop no longer runs: let every job return and
        deliver the outcomes (and the ``when_idle`` callbacks) now. An outcome may
        start another job (a built demo vault starts the warm-up): that one is waited
        for too, or it would report to a relay Qt has already deleted."""
        for _round in range(
            10
        ):  # bounded: a callback that always starts a job cannot hang the exit
            self.pool.waitForDone()
            QCoreApplication.sendPostedEvents()
            if not self._jobs:
                return

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def running(self, name: str) -> bool:
        return any(job.name == name for job in self._jobs.values())

    def run(
        self,
        name: str,
        func: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        owner: QObject | None = None,
    ) -> bool:
        """Run *func* on the pool; *on_done* or *on_error* gets its outcome, if
        *owner* (default: the Qt objects the callbacks use) still exists then."""
        if self.running(name):
            return False
        owners = (owner,) if owner is not None else captured_qobjects(on_done, on_error)
        job_id = next(self._ids)
        self._jobs[job_id] = _Pending(name, on_done, on_error, owners)
        self.pool.start(_Job(job_id, func, self._relay))
        self.busy_changed.emit(True)
        return True

    @Slot(int, bool, object)
    def _finished(self, job_id: int, ok: bool, payload: Any) -> None:
        job = self._jobs.pop(job_id)
        if not self._jobs:
            self.busy_changed.emit(False)
        try:
            self._deliver(job, ok, payload)
        finally:
            self._wake_waiters(job_id)

    def _wake_waiters(self, job_id: int) -> None:
        ready = []
        for waiting, callback in self._waiters:
            waiting.discard(job_id)
            if not waiting:
                ready.append(callback)
        self._waiters = [(waiting, cb) for waiting, cb in self._waiters if waiting]
        for callback in ready:
            try:
                callback()
            except Exception as exc:
                error_boundary.report(exc)

    def _deliver(self, job: _Pending, ok: bool, payload: Any) -> None:
        unexpected = not ok and not isinstance(payload, BrugdeskError)
        if job.owner_gone():
            # Locked or closed while the job ran: nobody is left to show the result.
            log.info("background job %s ended after its window closed; result dropped", job.name)
            if unexpected:
                log.error("background job %s failed", job.name, exc_info=payload)
            self.dropped.emit(job.name, ok, payload)
            return
        if unexpected:
            log.error("background job %s failed: %s", job.name, type(payload).__name__)
        try:
            if ok:
                job.on_done(payload)
            else:
                job.on_error(payload)
        except Exception as exc:  # a callback that fails still reaches the worker
            error_boundary.report(exc)
