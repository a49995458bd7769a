"""The bridge that carries the core's change records into the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class ChangeBridge(QObject):
    """Carries the core's change records into the GUI thread.

    A job on a worker thread publishes there; the signal is then queued to
    the window's thread. A job on the GUI thread is handled at once, so the
    list already shows a new client when the dialog's ``saved`` arrives.
    """

    arrived = Signal(object)

    def deliver(self, changes: object) -> None:
        self.arrived.emit(changes)
