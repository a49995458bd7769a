"""Start the desktop app: ``brugdesk [--data-dir DIR] [--demo]``."""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from brugdesk import logsetup
from brugdesk.dutch_args import DutchArgumentParser
from brugdesk.paths import default_data_dir
from brugdesk.ui.kit import error_boundary
from brugdesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)

STARTUP_PROBE = "BRUGDESK_STARTUP_PROBE"
DEMO_PASSPHRASE = "demo wachtwoord voor brugdesk"  # noqa: S105 - shown on screen on purpose


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = DutchArgumentParser(prog="brugdesk", description="brugdesk — caseload")
    parser.add_argument("--data-dir", type=Path, help="map met de kluis")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start met een tijdelijke demokluis die bij afsluiten verdwijnt",
    )
    return parser.parse_args(argv)


def build_demo_vault(
    data_dir: Path, clients: int = 40, stop: threading.Event | None = None
) -> None:
    """Create and fill the demo vault; *stop* (set when the app is ended) cuts the
    writer short at its next step, and nothing of the fill is kept."""
    from brugdesk.app import vault_jobs
    from brugdesk.app.caseload import Caseload

    caseload, _ = Caseload.create(data_dir, DEMO_PASSPHRASE)

    def progress(_done: int, _total: int) -> None:
        if stop is not None and stop.is_set():
            caseload.request_lock()

    try:
        caseload.settings.update(
            worker_name="Anouk de Wit",
            worker_role="welzijnscoach",
            organisation="Welzijn Oost (demo)",
        )
        vault_jobs.fill_with_demo(caseload, clients, 8, seed=11, progress=progress)
    finally:
        caseload.lock()


def install_dutch(app: QCoreApplication, directory: str | None = None) -> QTranslator | None:
    """Qt's own strings in Dutch (context menus, file dialogs, standard buttons,
    the calendar) and Dutch dates and numbers, whatever the system locale.

    Returns the installed translator (the caller keeps it), or None when Qt's
    Dutch translation is missing (a trimmed install): the app still starts, in
    Qt's English for those few strings, and the log says so.
    """
    QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
    folder = directory or QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load("qtbase_nl", folder):
        log.warning("Qt's Dutch translation (qtbase_nl.qm) not found in %s", folder)
        return None
    app.installTranslator(translator)
    return translator


#: The signals that end the app; those a platform lacks (SIGTERM barely exists on
#: Windows, SIGHUP not at all) are skipped.
STOP_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP")


def install_stop_signals(parent: QObject, stop: Callable[[int], None]) -> QTimer:
    """Call *stop(signum)* on the GUI thread when the app is asked to end by a signal.

    Python runs signal handlers only when the interpreter gets control, and Qt's
    event loop is C++: a timer wakes the interpreter a few times a second.
    """
    for name in STOP_SIGNALS:
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        try:
            signal.signal(signum, lambda received, _frame: stop(received))
        except (OSError, ValueError):  # not allowed here (not the main thread, platform)
            log.info("cannot handle %s on this platform", name)
    wake = QTimer(parent)
    wake.setInterval(200)
    wake.timeout.connect(lambda: None)
    wake.start()
    return wake


XCB_PACKAGES = "libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0"


def missing_system_library() -> str | None:
    """On X11, Qt aborts with an English message when a system library of its xcb
    plugin is missing. Load the plugin first: the loader's error names the library."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM", "") not in (
        "",
        "xcb",
    ):
        return None
    if os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY"):
        return None
    import ctypes

    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.exists():
        return None
    try:
        ctypes.CDLL(str(plugin), mode=os.RTLD_LAZY)
    except OSError as exc:
        missing = str(exc).split(":")[0]
        return (
            f"brugdesk kan geen venster openen: de systeembibliotheek {missing} ontbreekt. Installeer "
            f"de benodigde bibliotheken eenmalig, bijvoorbeeld met: sudo apt install {XCB_PACKAGES}"
        )
    return None


def set_window_icon() -> None:
    from brugdesk.ui.dialogs.about_dialog import app_icon

    QApplication.setWindowIcon(app_icon())


def after_shown(window: MainWindow) -> None:
    """What the unlock window does not need to appear: the icon files are read and
    the system's sleep and screen-lock signals listened to (D-Bus, macOS)."""
    set_window_icon()
    window.guard.power.listen()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logsetup.setup()
    problem = missing_system_library()
    if problem:
        print(f"brugdesk: {problem}", file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("brugdesk")
    QApplication.setDesktopFileName("brugdesk")  # Wayland: packaging/linux/brugdesk.desktop
    install_dutch(app)  # parented to the app, so it lives as long as the app
    error_boundary.install()
    stopping = threading.Event()
    ended_by: list[int] = []
    window: MainWindow | None = None

    def stop(signum: int) -> None:
        # In a Python signal handler on the GUI thread: lock first, the loop ends next.
        if stopping.is_set():
            return
        stopping.set()
        ended_by.append(signum)
        log.info("ending on signal %s", signum)
        if window is not None:
            window.lock("quit")
        QTimer.singleShot(0, app.quit)

    wake = install_stop_signals(app, stop)  # before a demo folder exists
    demo_dir: Path | None = None
    if args.demo:
        demo_dir = Path(tempfile.mkdtemp(prefix="brugdesk-demo-")) / "data"
        # Also when Python ends some other way than through the finally below.
        atexit.register(shutil.rmtree, demo_dir.parent, ignore_errors=True)
        window = MainWindow(demo_dir, demo_passphrase=DEMO_PASSPHRASE, preparing=True)
        demo_window = window

        def failed(exc: BaseException) -> None:
            demo_window.statusBar().showMessage(getattr(exc, "message", "Demo mislukt."))

        def built(_result: object) -> None:
            demo_window.show_start()
            demo_window.warm_up()

        # The demo job imports the database layer itself; warming up at the same time
        # can meet a module half-imported by the other thread.
        window.tasks.run("demo", lambda: build_demo_vault(demo_dir, stop=stopping), built, failed)
    else:
        window = MainWindow((args.data_dir or default_data_dir()).expanduser())
        QTimer.singleShot(0, window.warm_up)
    window.show()
    if os.environ.get(STARTUP_PROBE):
        # For the benchmark: report once the first frame is painted, then quit.
        QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
    # Posted after show() (and after the probe): a timer posted before show() runs in
    # the same first pass of the event loop, before the window is reported shown.
    shown_window = window
    QTimer.singleShot(0, lambda: after_shown(shown_window))
    try:
        code = app.exec()
    finally:
        wake.stop()
        window.lock("quit")  # the vault is locked before anything is removed
        # Let running work (a backup, the demo being built) return, so the lock completes.
        window.tasks.drain()
        if demo_dir is not None:
            shutil.rmtree(demo_dir.parent, ignore_errors=True)
    return 128 + ended_by[0] if ended_by else code


if __name__ == "__main__":
    sys.exit(main())
