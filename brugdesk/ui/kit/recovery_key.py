"""Showing a recovery key once, checking it was typed back, saving the recovery sheet.

Shared by the first-run wizard and Settings → "Nieuwe herstelsleutel".
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from brugdesk.errors import BrugdeskError
from brugdesk.ui.kit.widgets import user_message


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def typed_back(typed: str, recovery_key: str) -> bool:
    """Dashes and spaces may be left out; every digit must match."""
    return bool(recovery_key) and digits(typed) == digits(recovery_key)


class KeyLabel(QLabel):
    """The key in two rows of four groups, large and selectable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(15)
        font.setBold(True)
        self.setFont(font)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet("border: 1px solid #999; padding: 12px; background: #fff; color: #000;")

    def show_key(self, recovery_key: str) -> None:
        groups = recovery_key.split("-")
        self.setText("  ".join(groups[:4]) + "\n" + "  ".join(groups[4:]))


def ask_sheet_path(parent: QWidget) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(
        parent,
        "Herstelblad opslaan",
        str(Path.home() / "brugdesk-herstelblad.pdf"),
        "PDF-bestanden (*.pdf)",
    )
    return Path(path) if path else None


def save_sheet(path: Path, recovery_key: str, vault_id: str) -> str:
    """Write the sheet; returns the Dutch sentence to show, success or not."""
    from brugdesk.app.vault_jobs import save_recovery_sheet

    try:
        save_recovery_sheet(path, recovery_key, vault_id)
    except BrugdeskError as exc:
        return f"Opslaan is mislukt. {user_message(exc)}"
    return f"Herstelblad opgeslagen in {path}"
