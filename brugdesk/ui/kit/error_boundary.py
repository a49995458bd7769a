"""One error boundary: every failure after a click reaches the worker as a Dutch sentence.

* :func:`install` (called once at app start) routes ``sys.excepthook`` and
  ``threading.excepthook`` to :func:`report`, so nothing fails silently — not a
  slot, not a virtual method, not a thread.
* :func:`guard` wraps a slot where it is connected (every menu action and dialog
  button): a :class:`~brugdesk.errors.BrugdeskError` shows its own Dutch
  message, anything else the boundary's message naming what was clicked.
* :func:`report` logs and shows one message box.

What is logged: for every error its type and stack frames (file, line,
function) through :class:`brugdesk.logsetup.SafeFormatter` — never the
exception's message, not even a BrugdeskError's, because messages may quote
typed text (a name, a CSV cell). The worker sees the message; the log does not.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from brugdesk import logsetup
from brugdesk.errors import BrugdeskError

log = logging.getLogger("brugdesk.boundary")

BOX_NAME = "brugdeskErrorMessage"
_open_boxes: list[QMessageBox] = []


def label_to_what(text: str) -> str:
    """'CSV e&xporteren…' → 'CSV exporteren': a button or menu text as a name."""
    clean = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return clean.replace("…", "").replace("...", "").strip().rstrip(":").strip()


def unexpected_message(what: str | None = None) -> str:
    """The sentence shown for an error brugdesk did not foresee (no details, no data)."""
    if what:
        head = f"Er ging iets onverwachts mis bij ‘{what}’."
    else:
        head = "Er ging iets onverwachts mis."
    parts = [
        head,
        (
            "Wat eerder was opgeslagen, blijft bewaard. Probeer het opnieuw; lukt het dan nog "
            "niet, sluit brugdesk af en start het opnieuw."
        ),
    ]
    path = logsetup.current_path()
    if path is not None:
        parts.append(f"Details (zonder cliëntgegevens) staan in het logbestand: {path}")
    return " ".join(parts)


def show_message(text: str) -> QMessageBox | None:
    """One warning box over the active window; not modal for the whole app, never blocking."""
    app = QApplication.instance()
    if app is None:
        print(f"brugdesk: {text}", file=sys.stderr)
        return None
    for widget in QApplication.topLevelWidgets():  # the same message once, not a pile
        if (
            isinstance(widget, QMessageBox)
            and widget.objectName() == BOX_NAME
            and widget.isVisible()
            and widget.text() == text
        ):
            return widget
    parent = QApplication.activeModalWidget() or QApplication.activeWindow()
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "brugdesk",
        text,
        QMessageBox.StandardButton.Ok,
        parent if isinstance(parent, QWidget) else None,
    )
    box.setObjectName(BOX_NAME)
    box.setTextFormat(Qt.TextFormat.PlainText)  # a message may quote typed text
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.button(QMessageBox.StandardButton.Ok).setText("OK")
    _open_boxes.append(box)  # a box without a parent would otherwise be collected at once
    box.finished.connect(lambda _r: _open_boxes.remove(box) if box in _open_boxes else None)
    if box.parentWidget() is not None:
        box.open()
    else:
        box.show()
    return box


class _Relay(QObject):
    """Carries a report from another thread to the GUI thread."""

    reported = Signal(str)

    @Slot(str)
    def show(self, text: str) -> None:
        show_message(text)


_relay: _Relay | None = None
_reporting = False


def _on_gui_thread() -> bool:
    app = QApplication.instance()
    return app is not None and QThread.currentThread() == app.thread()


def report(exc: BaseException, what: str | None = None) -> None:
    """Log *exc* and tell the worker in Dutch. Safe to call from any thread."""
    global _reporting
    if isinstance(exc, BrugdeskError):
        log.info("shown to the user: %s", type(exc).__name__)
        text = exc.message
    else:
        log.error("unexpected error (%s)", what or "no action", exc_info=exc)
        text = unexpected_message(what)
    if not _on_gui_thread():
        if _relay is not None:
            _relay.reported.emit(text)  # queued to the GUI thread
        return
    if _reporting:  # the box itself failed: the log has it, do not loop
        return
    _reporting = True
    try:
        show_message(text)
    except Exception as failure:
        log.error("could not show an error message", exc_info=failure)
    finally:
        _reporting = False


def guard(slot: Callable[[], Any], what: str) -> Callable[..., None]:
    """*slot* made safe to connect to a click or menu action.

    The signal's own arguments (``clicked(bool)``, ``triggered(bool)``) are
    dropped: *slot* is called without arguments. *what* is the visible text of
    the button or action; it names the action in the boundary's message.
    """
    name = label_to_what(what)

    def guarded(*_signal_args: object) -> None:
        try:
            slot()
        except Exception as exc:
            report(exc, name)

    guarded.__name__ = getattr(slot, "__name__", "guarded")
    guarded.__doc__ = getattr(slot, "__doc__", None)
    return guarded


def excepthook(kind: type[BaseException], exc: BaseException, tb) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    if exc.__traceback__ is None and tb is not None:
        exc = exc.with_traceback(tb)
    report(exc)


def thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or isinstance(args.exc_value, SystemExit):
        return
    report(args.exc_value)


def install() -> None:
    """Route every uncaught error to the boundary. Call once, on the GUI thread."""
    global _relay
    if _relay is None:
        _relay = _Relay()
        _relay.reported.connect(_relay.show)
    sys.excepthook = excepthook
    threading.excepthook = thread_excepthook
