"""Lock when the computer goes to sleep or the screen is locked, as the system tells it.

The decisions are pure functions (testable with made-up messages); the listeners
around them are thin:

- Windows: a native event filter reads WM_POWERBROADCAST (suspend and resume) and
  WM_WTSSESSION_CHANGE (the session was locked, after WTSRegisterSessionNotification
  for the main window).
- Linux: logind on the system bus: ``PrepareForSleep`` of the manager, and ``Lock``
  and the ``LockedHint`` property of our own session. Without a system bus (a
  container, CI) nothing is listened to and nothing is reported.
- macOS: the distributed notification ``com.apple.screenIsLocked`` through
  CoreFoundation (plain C, via ctypes). Sleep is found there by the clock (below).

Everywhere the clock stays as a fallback: the wall clock is compared with a clock
that stops while the computer sleeps (``awake_seconds``). ``time.monotonic`` is such
a clock on Linux and macOS, but not on Windows, where QueryUnbiasedInterruptTime is.
"""

from __future__ import annotations

import ctypes
import logging
import sys
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    SLOT,
    QAbstractNativeEventFilter,
    QCoreApplication,
    QObject,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

SLEEP = "sleep"
SCREEN_LOCK = "screen-lock"

#: More than this much wall-clock time that the awake clock did not see: we slept.
SLEEP_JUMP_SECONDS = 30.0

# --- Windows messages (winuser.h, wtsapi32.h) ------------------------------------------
WM_POWERBROADCAST = 0x0218
PBT_APMSUSPEND = 0x0004
PBT_APMRESUMESUSPEND = 0x0007
PBT_APMRESUMEAUTOMATIC = 0x0012
WM_WTSSESSION_CHANGE = 0x02B1
WTS_SESSION_LOCK = 0x7
NOTIFY_FOR_THIS_SESSION = 0
WINDOWS_EVENT_TYPE = b"windows_generic_MSG"

# --- logind (org.freedesktop.login1) ----------------------------------------------------
LOGIND = "org.freedesktop.login1"
LOGIND_PATH = "/org/freedesktop/login1"
LOGIND_MANAGER = "org.freedesktop.login1.Manager"
LOGIND_SESSION = "org.freedesktop.login1.Session"
DBUS_PROPERTIES = "org.freedesktop.DBus.Properties"

# --- macOS ------------------------------------------------------------------------------
MACOS_SCREEN_LOCKED = "com.apple.screenIsLocked"


def decide_windows(message: int, wparam: int) -> str | None:
    """The lock reason for a Windows window message, or None to let it pass."""
    if message == WM_POWERBROADCAST and wparam in (
        PBT_APMSUSPEND,
        PBT_APMRESUMESUSPEND,  # a resume also locks, in case the suspend was missed
        PBT_APMRESUMEAUTOMATIC,
    ):
        return SLEEP
    if message == WM_WTSSESSION_CHANGE and wparam == WTS_SESSION_LOCK:
        return SCREEN_LOCK
    return None


def decide_logind(signal: str, args: Sequence[object]) -> str | None:
    """The lock reason for a logind D-Bus signal (name and arguments), or None."""
    if signal == "PrepareForSleep":
        # True: going to sleep. False: woke up; locking again is harmless and covers
        # a first signal that came too late.
        return SLEEP
    if signal == "Lock":
        return SCREEN_LOCK
    if signal == "PropertiesChanged" and len(args) >= 2 and args[0] == LOGIND_SESSION:
        changed = args[1]
        if isinstance(changed, Mapping) and changed.get("LockedHint") is True:
            return SCREEN_LOCK
    return None


def decide_macos(name: str) -> str | None:
    """The lock reason for a macOS distributed notification, or None."""
    return SCREEN_LOCK if name == MACOS_SCREEN_LOCKED else None


def slept(wall_elapsed: float, awake_elapsed: float) -> bool:
    """Whether the wall clock moved on much further than the awake clock: a sleep."""
    return wall_elapsed - awake_elapsed > SLEEP_JUMP_SECONDS


def _awake_clock() -> Callable[[], float]:
    """A clock in seconds that does not count while the computer sleeps."""
    if sys.platform == "win32":
        kernel32 = ctypes.WinDLL("kernel32")
        query = kernel32.QueryUnbiasedInterruptTime  # 100 ns units, sleep left out
        query.argtypes = [ctypes.POINTER(ctypes.c_ulonglong)]
        query.restype = ctypes.c_int

        def unbiased() -> float:
            value = ctypes.c_ulonglong()
            query(ctypes.byref(value))
            return value.value / 10_000_000

        return unbiased
    return time.monotonic  # CLOCK_MONOTONIC (Linux), mach_absolute_time (macOS): both pause


awake_seconds = _awake_clock()


class MSG(ctypes.Structure):
    """The start of the Windows MSG struct: what the filter reads."""

    _fields_ = [
        ("hwnd", ctypes.c_void_p),
        ("message", ctypes.c_uint32),
        ("wParam", ctypes.c_size_t),  # WPARAM = UINT_PTR
        ("lParam", ctypes.c_ssize_t),  # LPARAM = LONG_PTR
        ("time", ctypes.c_uint32),
        ("pt_x", ctypes.c_int32),
        ("pt_y", ctypes.c_int32),
    ]


class WindowsMessageFilter(QAbstractNativeEventFilter):
    """Reads every native Windows message; passes a lock reason on, filters nothing out."""

    def __init__(self, report: Callable[[str], None]) -> None:
        super().__init__()
        self.report = report

    def nativeEventFilter(self, eventType, message):  # Qt calls it with these names
        # *message* is a shiboken VoidPtr without a size (bool() on it raises): int() it.
        address = int(message) if message is not None else 0
        if address and bytes(eventType) == WINDOWS_EVENT_TYPE:
            msg = MSG.from_address(address)
            reason = decide_windows(msg.message, msg.wParam)
            if reason is not None:
                self.report(reason)
        return False, 0


class PowerEvents(QObject):
    """Says "lock now" when the system reports sleep or a locked screen.

    The reason is emitted, to be connected with a queued connection: the lock then
    runs from the event loop, not inside the system's message handling.
    """

    lock_requested = Signal(str)  # "sleep" or "screen-lock"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.windows_filter = WindowsMessageFilter(self.lock_requested.emit)
        self._hwnd: int | None = None
        self._bus: Any = None  # the QDBusConnection listened to
        self.session_path: str | None = None  # our logind session, once known
        app = QCoreApplication.instance()
        if sys.platform == "win32" and app is not None:
            app.installNativeEventFilter(self.windows_filter)
            native_filter = self.windows_filter
            self.destroyed.connect(lambda: _remove_filter(native_filter))

    def listen(self) -> None:
        """Start listening to macOS or logind (on Windows the filter above already does).

        Called by ``ui.app.main`` once the first window is shown: D-Bus is not on the
        start path.
        """
        if sys.platform == "darwin":
            self._listen_macos()
        elif sys.platform != "win32":
            self._listen_system_bus()

    # --- Windows: the session lock is told only to windows that ask for it ---------------

    def watch_window(self, window: QWidget) -> None:
        """Ask Windows to tell *window* (the main window) when the session is locked."""
        if sys.platform != "win32" or self._hwnd is not None:
            return
        win_id = int(window.winId())  # its HWND; elsewhere no native window is forced
        wtsapi32 = ctypes.WinDLL("wtsapi32", use_last_error=True)
        register = wtsapi32.WTSRegisterSessionNotification
        register.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
        register.restype = ctypes.c_int
        if register(win_id, NOTIFY_FOR_THIS_SESSION):
            self._hwnd = win_id
            app = QCoreApplication.instance()
            if app is not None:
                app.aboutToQuit.connect(self._unwatch_window)
        else:
            log.warning("No session notifications: error %s", ctypes.get_last_error())

    def _unwatch_window(self) -> None:
        if sys.platform == "win32" and self._hwnd is not None:
            unregister = ctypes.WinDLL("wtsapi32").WTSUnRegisterSessionNotification
            unregister.argtypes = [ctypes.c_void_p]
            unregister(self._hwnd)
            self._hwnd = None

    # --- Linux: logind on the system bus -------------------------------------------------

    def _listen_system_bus(self) -> None:
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:  # a Qt build without D-Bus
            return
        self.listen_logind(QDBusConnection.systemBus())

    def listen_logind(self, bus, session_path: str | None = None) -> bool:
        """Listen to logind on *bus* (a QDBusConnection); False when there is no bus.

        Without *session_path* logind is asked which session is ours.
        """
        from PySide6.QtDBus import QDBusMessage

        if not bus.isConnected():
            return False
        self._bus = bus
        bus.connect(
            LOGIND,
            LOGIND_PATH,
            LOGIND_MANAGER,
            "PrepareForSleep",
            self,
            SLOT("_prepare_for_sleep(bool)"),
        )
        if session_path is not None:
            self._watch_session(session_path)
        else:
            ask = QDBusMessage.createMethodCall(LOGIND, LOGIND_PATH, LOGIND_MANAGER, "GetSession")
            ask.setArguments(["auto"])  # the session this process runs in
            bus.callWithCallback(
                ask, self, SLOT("_got_session(QDBusMessage)"), SLOT("_no_session(QDBusError)")
            )
        return True

    def _watch_session(self, path: str) -> None:
        self.session_path = path
        self._bus.connect(LOGIND, path, LOGIND_SESSION, "Lock", self, SLOT("_session_lock()"))
        self._bus.connect(
            LOGIND,
            path,
            DBUS_PROPERTIES,
            "PropertiesChanged",
            self,
            SLOT("_properties_changed(QString,QVariantMap)"),
        )

    @Slot("QDBusMessage")
    def _got_session(self, reply) -> None:
        arguments = reply.arguments()
        if arguments and hasattr(arguments[0], "path"):
            self._watch_session(arguments[0].path())

    @Slot("QDBusError")
    def _no_session(self, error) -> None:
        log.info("No logind session to watch for a screen lock: %s", error.message())

    @Slot(bool)
    def _prepare_for_sleep(self, start: bool) -> None:
        self._report(decide_logind("PrepareForSleep", [start]))

    @Slot()
    def _session_lock(self) -> None:
        self._report(decide_logind("Lock", []))

    @Slot(str, "QVariantMap")
    def _properties_changed(self, interface: str, changed: dict) -> None:
        self._report(decide_logind("PropertiesChanged", [interface, changed]))

    def _report(self, reason: str | None) -> None:
        if reason is not None:
            self.lock_requested.emit(reason)

    # --- macOS: the screen-lock notification ----------------------------------------------

    def _listen_macos(self) -> None:
        global _macos_callback
        if sys.platform != "darwin":
            return
        _macos_listeners.add(self)
        if _macos_callback is None:  # one observer for the process, kept until it ends
            try:
                _macos_callback = _observe_macos(_tell_macos_listeners)
            except (OSError, AttributeError) as error:
                log.info("No screen-lock notifications from macOS: %s", error)

    def _macos_notification(self, name: str) -> None:
        self._report(decide_macos(name))


#: The PowerEvents that hear macOS notifications; CoreFoundation holds one callback.
_macos_listeners: weakref.WeakSet[PowerEvents] = weakref.WeakSet()
_macos_callback: object = None


def _tell_macos_listeners(name: str) -> None:
    for listener in list(_macos_listeners):
        try:
            listener._macos_notification(name)
        except RuntimeError:  # its window is gone
            _macos_listeners.discard(listener)


def _remove_filter(native_filter: QAbstractNativeEventFilter) -> None:
    app = QCoreApplication.instance()
    if app is not None:
        app.removeNativeEventFilter(native_filter)


def _observe_macos(report: Callable[[str], None]) -> object:
    """Observe com.apple.screenIsLocked on the distributed notification center.

    CoreFoundation delivers on the main run loop, which Qt's event loop runs. The
    returned callback must stay alive as long as the process: it is never removed.
    """
    cf = ctypes.CDLL("/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation")
    utf8 = 0x08000100  # kCFStringEncodingUTF8
    cf.CFStringCreateWithCString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint32]
    cf.CFStringCreateWithCString.restype = ctypes.c_void_p
    cf.CFNotificationCenterGetDistributedCenter.argtypes = []
    cf.CFNotificationCenterGetDistributedCenter.restype = ctypes.c_void_p
    callback_type = ctypes.CFUNCTYPE(
        None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p
    )
    cf.CFNotificationCenterAddObserver.argtypes = [
        ctypes.c_void_p,  # center
        ctypes.c_void_p,  # observer (any unique pointer)
        callback_type,
        ctypes.c_void_p,  # name
        ctypes.c_void_p,  # object
        ctypes.c_long,  # CFNotificationSuspensionBehavior
    ]
    cf.CFNotificationCenterAddObserver.restype = None
    deliver_immediately = 4  # CFNotificationSuspensionBehaviorDeliverImmediately

    def on_notification(center: int, observer: int, name: int, obj: int, info: int) -> None:
        report(MACOS_SCREEN_LOCKED)  # only this name is observed

    callback = callback_type(on_notification)
    name = cf.CFStringCreateWithCString(None, MACOS_SCREEN_LOCKED.encode(), utf8)
    center = cf.CFNotificationCenterGetDistributedCenter()
    cf.CFNotificationCenterAddObserver(
        center, ctypes.c_void_p(id(callback)), callback, name, None, deliver_immediately
    )
    return callback
