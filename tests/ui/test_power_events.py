"""Lock on sleep and screen lock (issue 11, section 3).

The system's messages are made up here: Windows messages as a real MSG struct in
memory, whose address goes to the native event filter; logind signals sent by a
stand-in logind on a private D-Bus daemon. The window under test is real.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import sys
from collections.abc import Iterator
from itertools import count
from pathlib import Path

import pytest
from PySide6.QtCore import ClassInfo, QByteArray, QObject, Qt, Slot
from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusObjectPath
from PySide6.QtWidgets import QApplication
from shiboken6 import Shiboken

from brugdesk.ui import power_events as pe
from brugdesk.ui.main_window import LOCK_MESSAGES, MainWindow
from tests.ui.conftest import type_text, unlock

SESSION_PATH = "/org/freedesktop/login1/session/_32"
CTRL = Qt.KeyboardModifier.ControlModifier

# --- the decisions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "wparam", "reason"),
    [
        (pe.WM_POWERBROADCAST, pe.PBT_APMSUSPEND, "sleep"),
        (pe.WM_POWERBROADCAST, pe.PBT_APMRESUMESUSPEND, "sleep"),
        (pe.WM_POWERBROADCAST, pe.PBT_APMRESUMEAUTOMATIC, "sleep"),
        (pe.WM_POWERBROADCAST, 0x000A, None),  # PBT_APMPOWERSTATUSCHANGE: on battery
        (pe.WM_POWERBROADCAST, 0x8013, None),  # PBT_POWERSETTINGCHANGE
        (pe.WM_WTSSESSION_CHANGE, pe.WTS_SESSION_LOCK, "screen-lock"),
        (pe.WM_WTSSESSION_CHANGE, 0x8, None),  # WTS_SESSION_UNLOCK
        (pe.WM_WTSSESSION_CHANGE, 0x1, None),  # WTS_CONSOLE_CONNECT
        (0x0100, pe.PBT_APMSUSPEND, None),  # WM_KEYDOWN with the same number
        (0x0000, 0, None),
    ],
)
def test_windows_messages(message: int, wparam: int, reason: str | None) -> None:
    assert pe.decide_windows(message, wparam) == reason


@pytest.mark.parametrize(
    ("signal", "args", "reason"),
    [
        ("PrepareForSleep", [True], "sleep"),
        ("PrepareForSleep", [False], "sleep"),  # woke up: locking twice is harmless
        ("Lock", [], "screen-lock"),
        ("Unlock", [], None),
        ("PropertiesChanged", [pe.LOGIND_SESSION, {"LockedHint": True}], "screen-lock"),
        ("PropertiesChanged", [pe.LOGIND_SESSION, {"LockedHint": False}], None),
        ("PropertiesChanged", [pe.LOGIND_SESSION, {"Active": True}], None),
        ("PropertiesChanged", ["org.freedesktop.login1.Seat", {"LockedHint": True}], None),
        ("PropertiesChanged", [pe.LOGIND_SESSION], None),
        ("PrepareForShutdown", [True], None),
    ],
)
def test_logind_signals(signal: str, args: list[object], reason: str | None) -> None:
    assert pe.decide_logind(signal, args) == reason


def test_macos_notifications() -> None:
    assert pe.decide_macos("com.apple.screenIsLocked") == "screen-lock"
    assert pe.decide_macos("com.apple.screenIsUnlocked") is None


@pytest.mark.parametrize(
    ("wall", "awake", "expected"),
    [
        (1.0, 1.0, False),  # an ordinary tick
        (1.0, 0.9, False),
        (120.0, 0.0, True),  # two minutes asleep: the awake clock stood still
        (121.0, 1.0, True),
        (31.0, 1.0, False),  # 30 s unseen is not yet sleep (a slow tick, a clock nudge)
        (32.0, 1.0, True),
        (-3600.0, 1.0, False),  # the wall clock set back an hour
        # A clock that counts on in sleep (time.monotonic on Windows) sees nothing:
        # that is why the awake clock must be one that stops.
        (120.0, 120.0, False),
    ],
)
def test_sleep_from_clock_readings(wall: float, awake: float, expected: bool) -> None:
    assert pe.slept(wall, awake) is expected


def test_the_awake_clock_is_the_one_that_stops_in_sleep() -> None:
    first = pe.awake_seconds()
    assert pe.awake_seconds() >= first
    if sys.platform != "win32":
        assert pe.awake_seconds.__name__ == "monotonic"
    else:  # pragma: no cover - only on Windows
        assert pe.awake_seconds.__name__ == "unbiased"


# --- the Windows message filter, with a real MSG in memory ------------------------------


def _msg(message: int, wparam: int) -> pe.MSG:
    msg = pe.MSG()
    msg.hwnd = 0x1234
    msg.message = message
    msg.wParam = wparam
    msg.lParam = -1
    return msg


def test_the_filter_reads_a_msg_struct_from_its_address() -> None:
    told: list[str] = []
    native = pe.WindowsMessageFilter(told.append)
    suspend = _msg(pe.WM_POWERBROADCAST, pe.PBT_APMSUSPEND)
    locked = _msg(pe.WM_WTSSESSION_CHANGE, pe.WTS_SESSION_LOCK)
    other = _msg(pe.WM_WTSSESSION_CHANGE, 0x8)
    kind = QByteArray(pe.WINDOWS_EVENT_TYPE)
    for msg in (suspend, locked, other):
        assert native.nativeEventFilter(kind, ctypes.addressof(msg)) == (False, 0)
    assert told == ["sleep", "screen-lock"]


def test_the_filter_takes_the_pointer_as_pyside_hands_it_over() -> None:
    told: list[str] = []
    native = pe.WindowsMessageFilter(told.append)
    locked = _msg(pe.WM_WTSSESSION_CHANGE, pe.WTS_SESSION_LOCK)
    pointer = Shiboken.VoidPtr(ctypes.addressof(locked))  # no size, like Qt's void*
    assert native.nativeEventFilter(QByteArray(pe.WINDOWS_EVENT_TYPE), pointer) == (False, 0)
    assert told == ["screen-lock"]


def test_the_filter_ignores_other_platforms_and_null() -> None:
    told: list[str] = []
    native = pe.WindowsMessageFilter(told.append)
    suspend = _msg(pe.WM_POWERBROADCAST, pe.PBT_APMSUSPEND)
    assert native.nativeEventFilter(b"xcb_generic_event_t", ctypes.addressof(suspend)) == (
        False,
        0,
    )
    assert native.nativeEventFilter(QByteArray(pe.WINDOWS_EVENT_TYPE), 0) == (False, 0)
    assert told == []


def test_msg_layout_matches_windows() -> None:
    # hwnd, message, wParam at the offsets of the 64-bit (and 32-bit) MSG struct
    pointer = ctypes.sizeof(ctypes.c_void_p)
    assert pe.MSG.message.offset == pointer
    assert pe.MSG.wParam.offset == 2 * pointer


# --- the real window ----------------------------------------------------------------------


def _feed(window: MainWindow, message: int, wparam: int) -> None:
    msg = _msg(message, wparam)
    kind = QByteArray(pe.WINDOWS_EVENT_TYPE)
    window.guard.power.windows_filter.nativeEventFilter(kind, ctypes.addressof(msg))


def _start_close_dossier(qtbot, window: MainWindow) -> int:
    cid = window.caseload.clients.create(given_name="Łukasz", family_name="Wójcik")
    window.workspace.reload()
    window.workspace.select_client(cid)
    window.close_action.trigger()
    dialog = window.workspace.dialogs[-1]
    type_text(qtbot, dialog.reason, "Verhuisd naar Zwolle")
    return cid


def _reopened_reason(window: MainWindow) -> str:
    [dialog] = [d for d in window.workspace.dialogs if d.isVisible()]
    return dialog.reason.toPlainText()


def test_suspend_message_locks_the_window_and_keeps_the_typing(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    _start_close_dossier(qtbot, window)
    _feed(window, pe.WM_POWERBROADCAST, pe.PBT_APMSUSPEND)
    qtbot.waitUntil(lambda: window.caseload is None)
    assert window.stack.currentWidget() is window.unlock_page
    assert window.statusBar().currentMessage() == LOCK_MESSAGES["sleep"]
    unlock(qtbot, window)
    assert _reopened_reason(window) == "Verhuisd naar Zwolle"


def test_screen_lock_message_locks_and_says_so(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    _start_close_dossier(qtbot, window)
    _feed(window, pe.WM_WTSSESSION_CHANGE, pe.WTS_SESSION_LOCK)
    qtbot.waitUntil(lambda: window.caseload is None)
    message = window.statusBar().currentMessage()
    assert message == "Vergrendeld omdat het scherm werd vergrendeld. Uw invoer is bewaard."
    unlock(qtbot, window)
    assert _reopened_reason(window) == "Verhuisd naar Zwolle"
    assert window.statusBar().currentMessage() != message  # gone once unlocked


def test_other_messages_leave_the_window_open(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    _feed(window, pe.WM_WTSSESSION_CHANGE, 0x8)  # WTS_SESSION_UNLOCK
    _feed(window, pe.WM_POWERBROADCAST, 0x000A)  # on battery
    QApplication.processEvents()  # a queued lock would run here
    assert window.caseload is not None
    locked: list[str] = []
    window.became_locked.connect(locked.append)
    qtbot.keyClick(window.workspace.table, Qt.Key.Key_L, CTRL)  # Ctrl+L still locks
    assert locked == ["button"]


def test_a_system_lock_while_locked_changes_nothing(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    window.lock("idle")
    locked: list[str] = []
    window.became_locked.connect(locked.append)
    _feed(window, pe.WM_POWERBROADCAST, pe.PBT_APMRESUMEAUTOMATIC)
    QApplication.processEvents()  # a queued lock would run here
    assert locked == []
    assert window.statusBar().currentMessage() == LOCK_MESSAGES["idle"]


def test_the_clock_fallback_locks_after_sleep(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    window.guard._last_wall -= 120  # two minutes passed on the wall; the awake clock saw none
    window.guard.tick()
    assert window.caseload is None
    assert window.statusBar().currentMessage() == LOCK_MESSAGES["sleep"]


# --- logind over a real D-Bus daemon --------------------------------------------------------


@ClassInfo({"D-Bus Interface": pe.LOGIND_MANAGER})
class StandInLogind(QObject):
    """Answers GetSession the way logind does; the test sends logind's signals."""

    @Slot(str, result=QDBusObjectPath)
    def GetSession(self, session_id: str) -> QDBusObjectPath:  # logind's name
        self.asked = session_id
        return QDBusObjectPath(SESSION_PATH)


NAMES = count()


@pytest.fixture
def bus_address() -> Iterator[str]:
    if shutil.which("dbus-daemon") is None:
        pytest.skip("no dbus-daemon on this machine")
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()
    yield address
    daemon.terminate()
    daemon.wait()


@pytest.fixture
def logind(bus_address: str) -> Iterator[tuple[QDBusConnection, QDBusConnection, StandInLogind]]:
    n = next(NAMES)
    service = QDBusConnection.connectToBus(bus_address, f"logind-{n}")
    stand_in = StandInLogind()
    assert service.registerObject(
        pe.LOGIND_PATH, stand_in, QDBusConnection.RegisterOption.ExportAllSlots
    )
    assert service.registerService(pe.LOGIND)
    app = QDBusConnection.connectToBus(bus_address, f"app-{n}")
    yield service, app, stand_in
    QDBusConnection.disconnectFromBus(f"app-{n}")
    QDBusConnection.disconnectFromBus(f"logind-{n}")


def _send(bus: QDBusConnection, path: str, interface: str, name: str, args: list) -> None:
    signal = QDBusMessage.createSignal(path, interface, name)
    signal.setArguments(args)
    assert bus.send(signal)


def test_logind_prepare_for_sleep_locks(qtbot, window: MainWindow, logind) -> None:
    service, app, _ = logind
    unlock(qtbot, window)
    assert window.guard.power.listen_logind(app, SESSION_PATH)
    _start_close_dossier(qtbot, window)
    _send(service, pe.LOGIND_PATH, pe.LOGIND_MANAGER, "PrepareForSleep", [True])
    qtbot.waitUntil(lambda: window.caseload is None, timeout=10000)
    assert window.statusBar().currentMessage() == LOCK_MESSAGES["sleep"]
    unlock(qtbot, window)
    assert _reopened_reason(window) == "Verhuisd naar Zwolle"


def _listens_to_session(window: MainWindow) -> bool:
    return window.guard.power.session_path == SESSION_PATH


def test_logind_session_lock_locks_the_session_found_by_asking(
    qtbot, window: MainWindow, logind
) -> None:
    service, app, stand_in = logind
    unlock(qtbot, window)
    assert window.guard.power.listen_logind(app)  # asks logind which session is ours
    qtbot.waitUntil(lambda: getattr(stand_in, "asked", None) == "auto", timeout=10000)
    qtbot.waitUntil(lambda: _listens_to_session(window), timeout=10000)
    # Another session's lock is not ours. A call answered after it proves it arrived.
    _send(service, "/org/freedesktop/login1/session/_33", pe.LOGIND_SESSION, "Lock", [])
    ask = QDBusMessage.createMethodCall(pe.LOGIND, pe.LOGIND_PATH, pe.LOGIND_MANAGER, "GetSession")
    ask.setArguments(["auto"])
    answer = app.asyncCall(ask)
    qtbot.waitUntil(answer.isFinished, timeout=10000)
    assert not answer.isError()
    QApplication.processEvents()  # the signal's slot, then a queued lock, would run here
    QApplication.processEvents()
    assert window.caseload is not None
    # Ours, once the answer arrived (sent until it is heard; a lock is idempotent).
    qtbot.waitUntil(
        lambda: (
            _send(service, SESSION_PATH, pe.LOGIND_SESSION, "Lock", []) or window.caseload is None
        ),
        timeout=10000,
    )
    assert window.statusBar().currentMessage() == LOCK_MESSAGES["screen-lock"]


def test_logind_locked_hint_locks(qtbot, window: MainWindow, logind) -> None:
    service, app, _ = logind
    unlock(qtbot, window)
    assert window.guard.power.listen_logind(app, SESSION_PATH)
    changed = [pe.LOGIND_SESSION, {"LockedHint": True}, ["IdleHint"]]
    _send(service, SESSION_PATH, pe.DBUS_PROPERTIES, "PropertiesChanged", changed)
    qtbot.waitUntil(lambda: window.caseload is None, timeout=10000)
    assert window.statusBar().currentMessage() == LOCK_MESSAGES["screen-lock"]


def test_no_bus_means_nothing_happens(qtbot, window: MainWindow, tmp_path: Path, caplog) -> None:
    nowhere = QDBusConnection.connectToBus(f"unix:path={tmp_path / 'no-bus'}", "nowhere")
    try:
        assert not window.guard.power.listen_logind(nowhere)
    finally:
        QDBusConnection.disconnectFromBus("nowhere")
    unlock(qtbot, window)
    assert window.caseload is not None
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "WARNING")]


def test_macos_screen_lock_notification_locks(qtbot, window: MainWindow) -> None:
    """What the CoreFoundation callback calls on macOS, called here by hand."""
    unlock(qtbot, window)
    pe._macos_listeners.add(window.guard.power)
    try:
        pe._tell_macos_listeners("com.apple.screenIsLocked")
        qtbot.waitUntil(lambda: window.caseload is None)
    finally:
        pe._macos_listeners.discard(window.guard.power)
    assert window.statusBar().currentMessage() == LOCK_MESSAGES["screen-lock"]


@pytest.mark.skipif(sys.platform == "win32", reason="registers for real on Windows")
def test_session_notifications_are_asked_only_on_windows(window: MainWindow) -> None:
    window.guard.watch_window(window)
    assert window.guard.power._hwnd is None
