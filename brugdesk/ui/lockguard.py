"""When to lock: after idle time, when the computer sleeps, when the screen is locked.

Input anywhere in the app counts as activity. Sleep and a locked screen are told
by the system where it can (power_events: Windows messages, logind, macOS); as a
fallback on every platform a tick compares the wall clock with a clock that stops
during sleep, so a jump means we slept.

Ctrl+L (lock) and Ctrl+Q (quit) work from anywhere while unlocked, also in a
dialog: Qt blocks the window's own shortcuts while a modal dialog is open, so
the guard, which sees every key press in the app, recognises them itself.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from brugdesk.ui.power_events import PowerEvents, awake_seconds, slept

ACTIVITY_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}
LOCK_KEYS = QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_L)
QUIT_KEYS = QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_Q)


class LockGuard(QObject):
    #: "idle", "sleep", "screen-lock" or "button" (Ctrl+L in a dialog)
    lock_requested = Signal(str)
    quit_requested = Signal()  # Ctrl+Q in a dialog

    def __init__(self, idle_minutes: int = 5, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.idle_seconds = idle_minutes * 60.0
        self.active = False
        self._last_input = time.monotonic()
        self._last_wall = time.time()
        self._last_awake = awake_seconds()
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.tick)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.power = PowerEvents(self)
        # Queued: the system's message is handled first, the lock runs right after.
        self.power.lock_requested.connect(self._system_lock, Qt.ConnectionType.QueuedConnection)

    def watch_window(self, window: QWidget) -> None:
        """Let the system tell *window* (the main window) that the screen was locked."""
        self.power.watch_window(window)

    def _system_lock(self, reason: str) -> None:
        if self.active:
            self.lock_requested.emit(reason)

    def set_idle_minutes(self, minutes: int) -> None:
        self.idle_seconds = minutes * 60.0

    def start(self) -> None:
        self.active = True
        self._last_input = time.monotonic()
        self._last_wall, self._last_awake = time.time(), awake_seconds()
        self._timer.start()

    def stop(self) -> None:
        self.active = False
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Every event of the application passes here: ask its type once (each call
        # builds a Python enum, a measurable part of opening a dossier).
        kind = event.type()
        if kind in ACTIVITY_EVENTS:
            self._last_input = time.monotonic()
        # A key press reaches here only when no shortcut took it: in a modal dialog.
        if self.active and kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
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
        wall, awake, mono = time.time(), awake_seconds(), time.monotonic()
        jumped = slept(wall - self._last_wall, awake - self._last_awake)
        self._last_wall, self._last_awake = wall, awake
        if jumped:
            self.lock_requested.emit("sleep")
        elif mono - self._last_input >= self.idle_seconds:
            self.lock_requested.emit("idle")
