"""Show a new recovery key once; it must be typed back before the dialog closes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from brugdesk.ui.i18n import tr
from brugdesk.ui.widgets import hint
from brugdesk.ui.wizard import digits


class RecoveryKeyDialog(QDialog):
    def __init__(self, recovery_key: str, vault_id: str, parent=None) -> None:
        super().__init__(parent)
        self.recovery_key = recovery_key
        self.vault_id = vault_id
        self.setWindowTitle(tr("Nieuwe herstelsleutel"))
        groups = recovery_key.split("-")
        key = QLabel("  ".join(groups[:4]) + "\n" + "  ".join(groups[4:]))
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(15)
        font.setBold(True)
        key.setFont(font)
        key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        key.setStyleSheet("border: 1px solid #999; padding: 12px; background: #fff;")
        save = QPushButton(tr("Herstelblad opslaan als PDF…"))
        save.clicked.connect(self.ask_save_sheet)
        self.saved = hint("")
        self.confirm = QLineEdit()
        self.confirm.setPlaceholderText(tr("Typ de nieuwe herstelsleutel over"))
        self.confirm.textChanged.connect(self._check)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Klaar"))
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                tr(
                    "De oude herstelsleutel werkt niet meer. Deze nieuwe sleutel wordt "
                    "maar één keer getoond: print het herstelblad of schrijf hem op "
                    "en bewaar hem apart van de laptop."
                )
            )
        )
        layout.addWidget(key)
        layout.addWidget(save, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.saved)
        layout.addWidget(QLabel(tr("Typ ter controle de sleutel over:")))
        layout.addWidget(self.confirm)
        layout.addWidget(self.buttons)
        self._check()

    def _check(self) -> None:
        ok = digits(self.confirm.text()) == digits(self.recovery_key)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def reject(self) -> None:  # Esc may not skip writing the key down
        if digits(self.confirm.text()) == digits(self.recovery_key):
            super().reject()

    def ask_save_sheet(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            tr("Herstelblad opslaan"),
            str(Path.home() / "brugdesk-herstelblad.pdf"),
            tr("PDF-bestanden (*.pdf)"),
        )
        if path:
            self.save_sheet(Path(path))

    def save_sheet(self, path: Path) -> None:
        from brugdesk import recovery_sheet

        try:
            path.write_bytes(recovery_sheet.build(self.recovery_key, self.vault_id))
        except OSError as exc:
            self.saved.setText(tr("Opslaan is mislukt: {e}").format(e=exc.strerror or exc))
            return
        self.saved.setText(tr("Herstelblad opgeslagen in {p}").format(p=path))
