"""Every button a test shows must be clicked by some test.

The census watches the whole GUI test run: each push or tool button that is
shown, and each action added to a menu of the main window, is counted by
where it lives ("ClientDialog: Opslaan", "Bestand → Back-up maken…") and
connected so that a click or trigger ticks it off. When the whole GUI suite
ran, a button that was shown but never clicked fails the run: a feature is
done when a test drives it, and the sociale kaart's CSV buttons taught us
what happens otherwise.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCalendarWidget,
    QCheckBox,
    QColorDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QRadioButton,
    QScrollBar,
    QTabBar,
    QToolButton,
    QWidget,
)

#: Qt's own windows and parts: their buttons are Qt's, not ours.
FOREIGN_WINDOWS = (QMessageBox, QFileDialog, QInputDialog, QColorDialog)
FOREIGN_PARENTS = (QCalendarWidget, QAbstractSpinBox, QScrollBar, QTabBar, QLineEdit)
_COUNT = re.compile(r"\s*\(\d+\)$")


def label(text: str) -> str:
    """A button's text without its mnemonic and a trailing count: "&Vandaag (3)" → "Vandaag"."""
    return _COUNT.sub("", text.replace("&&", "\0").replace("&", "").replace("\0", "&")).strip()


def _inside(widget: QWidget, kinds: tuple[type, ...]) -> bool:
    node: QObject | None = widget
    while node is not None:
        if isinstance(node, kinds):
            return True
        node = node.parent()
    return False


class ButtonCensus(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.shown: set[str] = set()
        self.clicked: set[str] = set()
        self._watched: set[int] = set()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Show and isinstance(watched, QAbstractButton):
            self._button(watched, shown=True)
        elif kind == QEvent.Type.ActionAdded and isinstance(watched, QMenu):
            self._menu(watched, event.action())  # type: ignore[attr-defined]
        return False

    def _button(self, button: QAbstractButton, *, shown: bool) -> None:
        if isinstance(button, (QCheckBox, QRadioButton)) or button.isCheckable():
            return  # choices, not commands
        if isinstance(button, QToolButton) and button.defaultAction() is not None:
            return  # a toolbar button: counted as its menu action
        if not button.text().strip() or isinstance(button.window(), FOREIGN_WINDOWS):
            return
        if _inside(button, FOREIGN_PARENTS):
            return
        # A button whose text changes names itself with a stable objectName.
        name = button.objectName() if button.objectName()[:1].isupper() else ""
        key = f"{type(button.window()).__name__}: {name or label(button.text())}"
        self._watch(button, button.clicked, key, shown=shown)

    def before_click(self, button: QAbstractButton) -> None:
        """A test clicks a button that may never have been shown (a tab not in view)."""
        self._button(button, shown=False)

    def _menu(self, menu: QMenu, action: QAction) -> None:
        """An action put in one of the main window's menus."""
        if not _inside(menu, (QMainWindow,)) or not menu.title():
            return
        if action.isSeparator() or action.menu() is not None or not action.text():
            return
        key = f"{label(menu.title())} → {label(action.text())}"
        self._watch(action, action.triggered, key)

    def _watch(self, obj: QObject, signal, key: str, *, shown: bool = True) -> None:
        if shown:
            self.shown.add(key)
        if id(obj) in self._watched:
            return
        self._watched.add(id(obj))
        obj.destroyed.connect(lambda *_: self._watched.discard(id(obj)))
        signal.connect(lambda *_: self.clicked.add(key))

    @property
    def never_clicked(self) -> list[str]:
        return sorted(self.shown - self.clicked)


def watch_python_clicks(census: ButtonCensus) -> None:
    """``button.click()`` from a test counts even when the button was never shown."""
    original = QAbstractButton.click

    def click(self: QAbstractButton) -> None:
        census.before_click(self)
        original(self)

    QAbstractButton.click = click  # type: ignore[method-assign]
