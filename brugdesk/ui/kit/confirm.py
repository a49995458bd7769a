"""One way to ask "really delete this?": a window-modal question, the safe answer first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(
    parent: QWidget,
    title: str,
    question: str,
    yes_text: str,
    on_yes: Callable[[], None],
    *,
    no_text: str = "Annuleren",
) -> QMessageBox:
    """Ask *question* (plain text: it may quote what the worker typed); run *on_yes*
    only on the explicit answer. The default button (Enter, Esc) is the safe one.
    The box is kept as ``parent.confirm`` so a test can answer it."""
    yes_no = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    box = QMessageBox(QMessageBox.Icon.Question, title, question, yes_no, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.button(QMessageBox.StandardButton.Yes).setText(yes_text)
    box.button(QMessageBox.StandardButton.No).setText(no_text)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)

    def done(result: int) -> None:
        if result == QMessageBox.StandardButton.Yes:
            on_yes()

    box.finished.connect(done)
    parent.confirm = box  # type: ignore[attr-defined]
    box.open()
    return box
