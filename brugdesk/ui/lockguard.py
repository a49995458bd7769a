"""When to lock: after idle time, and when the computer wakes from sleep.

Input anywhere in the app counts as activity. Sleep is detected by comparing
the wall clock with the monotonic clock: during suspend the wall clock moves
on while the monotonic clock (on Linux) does not, so a jump means we slept.

Ctrl+L (lock) and Ctrl+Q (quit) work from anywhere while unlocked, also in a
dialog: Qt blocks the window's own shortcuts while a modal dialog is open, so
the guard, which sees every key press in the app, recognises them itself.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

ACTIVITY_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}
SLEEP_JUMP_SECONDS = 30.0
LOCK_KEYS = QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_L)
QUIT_KEYS = QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_Q)


class LockGuard(QObject):
    lock_requested = Signal(str)  # "idle", "sleep" or "button" (Ctrl+L in a dialog)
    quit_requested = Signal()  # Ctrl+Q in a dialog

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
        # A key press reaches here only when no shortcut took it: in a modal dialog.
        if self.active and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            keys = event.keyCombination()
            if keys == LOCK_KEYS:
                self.lock_requested.emit("button")
                return True
            if keys == QUIT_KEYS:
                self.quit_requested.emit()
                return True
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
