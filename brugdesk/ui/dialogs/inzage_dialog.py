"""Cliënt → Inzage en afschrift…: the client's copy, previewed page by page before saving.

The dialog fills an ``InzageDraft`` and shows exactly the bytes ``save``
writes. Password protection is on by default, as for the GP letter: this
file holds *everything* about the client, special-category data included,
and it leaves the laptop by e-mail or USB stick more often than on paper. A
worker who hands it over in person, or prints it together with the client,
unticks the box; the password is shown once, to pass on separately (read
out or written down), never in the same message as the file.

Meldcode steps are left out unless the worker ticks "Meldcode-stappen
meenemen" and confirms the warning; the box is hidden when this build has
no meldcode steps.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.caseload import Caseload
from brugdesk.app.inzage import MELDCODE_WARNING, InzageDraft
from brugdesk.app.letters import generate_password
from brugdesk.errors import BrugdeskError
from brugdesk.ui.kit.pdf_preview import PdfPreview, render_pages
from brugdesk.ui.kit.widgets import ErrorLabel, heading, hint, user_message


class InzageDialog(QDialog):
    """Options on the left, the PDF's pages on the right, then Opslaan…."""

    saved = Signal(str)  # the status-bar message: where the files went

    def __init__(self, caseload: Caseload, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.client_id = client_id
        self.draft = InzageDraft(caseload, client_id)
        self.shown_pdf: bytes | None = None
        self.message = ""
        self.setWindowTitle("Inzage en afschrift voor de cliënt")
        self.resize(1120, 660)

        self.protect = QCheckBox("PDF beveiligen met een wachtwoord (AES-256)")
        self.protect.setChecked(True)
        self.password = QLineEdit(generate_password())
        self.password.setReadOnly(True)
        self.password.setAccessibleName("Wachtwoord voor de PDF")
        self.reminder = hint(
            "Geef dit wachtwoord apart aan de cliënt: schrijf het op of lees het voor, "
            "niet in dezelfde e-mail als het bestand. Het wordt niet bewaard."
        )
        self.protect.toggled.connect(self.password.setVisible)
        self.protect.toggled.connect(self.reminder.setVisible)
        self.protect.toggled.connect(lambda _on: self.refresh())
        self.with_json = QCheckBox("Ook een JSON-bestand opslaan (dezelfde gegevens)")
        self.json_hint = hint(
            "Een JSON-bestand kan de cliënt meenemen naar een ander programma (AVG artikel "
            "20). Het is niet versleuteld: geef het alleen aan de cliënt zelf."
        )
        self.meldcode = QCheckBox("Meldcode-stappen meenemen")
        self.meldcode.setVisible(self.draft.meldcode_available)
        self.meldcode.toggled.connect(self._meldcode_toggled)
        self.preview = PdfPreview()
        self.preview.setMinimumWidth(560)
        self.error = ErrorLabel()
        self.done_label = hint("")
        self.done_label.setObjectName("inzageDone")
        self.done_label.setTextFormat(Qt.TextFormat.PlainText)  # names a file the worker chose
        self.done_label.hide()
        self.save_button = QPushButton("Opslaan…")
        self.save_button.setObjectName("SaveInzage")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        close = QPushButton("Sluiten")
        close.clicked.connect(self.reject)

        options = QVBoxLayout()
        options.addWidget(heading("Inzage en afschrift", 14))
        name = hint(
            f"Alles wat brugdesk over {self.draft.client.full_name} bewaart, in gewone taal. "
            "Rechts ziet u precies wat er wordt opgeslagen."
        )
        name.setTextFormat(Qt.TextFormat.PlainText)
        options.addWidget(name)
        options.addWidget(self.protect)
        options.addWidget(self.password)
        options.addWidget(self.reminder)
        options.addWidget(self.with_json)
        options.addWidget(self.json_hint)
        options.addWidget(self.meldcode)
        options.addWidget(self.error)
        options.addWidget(self.done_label)
        options.addStretch()
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(close)
        buttons.addWidget(self.save_button)
        options.addLayout(buttons)
        left = QWidget()
        left.setLayout(options)
        left.setMaximumWidth(420)
        layout = QHBoxLayout(self)
        layout.addWidget(left)
        layout.addWidget(self.preview, 1)
        self.refresh()

    # --- choices and the preview ---------------------------------------------------------

    def _password(self) -> str | None:
        return self.password.text() if self.protect.isChecked() else None

    def refresh(self) -> None:
        """Render the PDF for the current choices and show its pages (the bytes saved)."""
        try:
            self.draft.choose(password=self._password(), include_meldcode=self.meldcode.isChecked())
            pdf = self.draft.pdf
            ratio = self.preview.devicePixelRatioF()
            images = render_pages(
                pdf, scale=1.0, password=self._password(), device_pixel_ratio=ratio
            )
        except BrugdeskError as exc:
            self.shown_pdf = None
            self.preview.show_message(user_message(exc))
            self.error.show_message(user_message(exc))
            self.save_button.setEnabled(False)
            return
        self.shown_pdf = pdf
        self.preview.show_pages(images)
        self.error.show_message("")
        self.save_button.setEnabled(True)

    def _meldcode_toggled(self, on: bool) -> None:
        if on and not self.confirm_meldcode():
            self.meldcode.blockSignals(True)
            self.meldcode.setChecked(False)
            self.meldcode.blockSignals(False)
            return
        self.refresh()

    def confirm_meldcode(self) -> bool:
        """The warning before meldcode steps go into the client's copy (No is the default)."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Meldcode-stappen meenemen?",
            MELDCODE_WARNING,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText("Toch meenemen")
        box.button(QMessageBox.StandardButton.No).setText("Niet meenemen")
        return box.exec() == QMessageBox.StandardButton.Yes

    # --- saving ------------------------------------------------------------------------

    def save(self) -> None:
        start = str(Path.home() / self.draft.default_file_name())
        path, _ = QFileDialog.getSaveFileName(
            self, "Inzage opslaan als PDF", start, "PDF-bestanden (*.pdf)"
        )
        if not path:
            return
        pdf = Path(path)
        json: Path | None = None
        if self.with_json.isChecked():
            other, _ = QFileDialog.getSaveFileName(
                self,
                "Dezelfde gegevens opslaan als JSON",
                str(pdf.with_suffix(".json")),
                "JSON-bestanden (*.json)",
            )
            if not other:
                return
            json = Path(other)
        try:
            result = self.draft.save(pdf, json)
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return
        where = f"{result.pdf}" + (f" en {result.json}" if result.json else "")
        secret = " Geef het wachtwoord apart aan de cliënt." if result.password_protected else ""
        self.message = f"Inzage opgeslagen in {where}.{secret}"
        # The dialog stays open: the password is still there to write down or read out.
        self.done_label.setText(self.message)
        self.done_label.show()
        self.saved.emit(self.message)
