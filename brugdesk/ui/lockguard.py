"""When to lock: after idle time, and when the computer wakes from sleep.

Input anywhere in the app counts as activity. Sleep is detected by comparing
the wall clock with the monotonic clock: during suspend the wall clock moves
on while the monotonic clock (on Linux) does not, so a jump means we slept.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

ACTIVITY_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}
SLEEP_JUMP_SECONDS = 30.0


class LockGuard(QObject):
    lock_requested = Signal(str)  # "idle" or "sleep"

    def __init__(self, idle_minutes: int = 5, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.idle_seconds = idle_minutes * 60.0
        self.active = False
        self._last_input = time.monotonic()
        self._last_wall = time.time()
        self._last_mono = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.tick)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_idle_minutes(self, minutes: int) -> None:
        self.idle_seconds = minutes * 60.0

    def start(self) -> None:
        self.active = True
        self._last_input = time.monotonic()
        self._last_wall, self._last_mono = time.time(), time.monotonic()
        self._timer.start()

    def stop(self) -> None:
        self.active = False
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS:
            self._last_input = time.monotonic()
        return False

    def tick(self) -> None:
        if not self.active:
            return
        wall, mono = time.time(), time.monotonic()
        jumped = (wall - self._last_wall) - (mono - self._last_mono) > SLEEP_JUMP_SECONDS
        self._last_wall, self._last_mono = wall, mono
        if jumped:
            self.lock_requested.emit("sleep")
        elif mono - self._last_input >= self.idle_seconds:
            self.lock_requested.emit("idle")
