"""Show a new recovery key once; it must be typed back before the dialog closes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from brugdesk.ui.kit.recovery_key import KeyLabel, ask_sheet_path, save_sheet, typed_back
from brugdesk.ui.kit.widgets import hint


class RecoveryKeyDialog(QDialog):
    def __init__(self, recovery_key: str, vault_id: str, parent=None) -> None:
        super().__init__(parent)
        self.recovery_key = recovery_key
        self.vault_id = vault_id
        self.setWindowTitle("Nieuwe herstelsleutel")
        key = KeyLabel()
        key.show_key(recovery_key)
        save = QPushButton("Herstelblad opslaan als PDF…")
        save.clicked.connect(self.ask_save_sheet)
        self.saved = hint("")
        self.confirm = QLineEdit()
        self.confirm.setPlaceholderText("Typ de nieuwe herstelsleutel over")
        self.confirm.textChanged.connect(self._check)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Klaar")
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                "De oude herstelsleutel werkt niet meer. Deze nieuwe sleutel wordt "
                "maar één keer getoond: print het herstelblad of schrijf hem op "
                "en bewaar hem apart van de laptop."
            )
        )
        layout.addWidget(key)
        layout.addWidget(save, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.saved)
        layout.addWidget(QLabel("Typ ter controle de sleutel over:"))
        layout.addWidget(self.confirm)
        layout.addWidget(self.buttons)
        self._check()

    def _check(self) -> None:
        ok = typed_back(self.confirm.text(), self.recovery_key)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def reject(self) -> None:  # Esc may not skip writing the key down
        if typed_back(self.confirm.text(), self.recovery_key):
            super().reject()

    def ask_save_sheet(self) -> None:
        path = ask_sheet_path(self)
        if path:
            self.save_sheet(path)

    def save_sheet(self, path: Path) -> None:
        self.saved.setText(save_sheet(path, self.recovery_key, self.vault_id))
