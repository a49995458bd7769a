"""Help → Privacyverklaring: the statement for clients on screen, and saved as PDF.

The text comes from ``domain.privacy_statement`` (the same sections the PDF prints),
filled in from the settings. "Als PDF opslaan…" runs the export job
(``app.privacy.save_pdf``) on the thread pool.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app import privacy
from brugdesk.app.caseload import Caseload
from brugdesk.errors import BrugdeskError
from brugdesk.ui.kit.colours import css, error_colour, ok_colour
from brugdesk.ui.kit.widgets import BusyBar, ErrorLabel, hint, user_message
from brugdesk.ui.tasks import Tasks


class PrivacyDialog(QDialog):
    def __init__(
        self, caseload: Caseload, parent: QWidget | None = None, *, tasks: Tasks | None = None
    ) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.tasks = tasks
        self.setWindowTitle("Privacyverklaring")
        self.resize(720, 600)
        self.statement = privacy.statement(caseload)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)  # plain text: nothing in the settings is markup
        self.text.setPlainText(self.statement.as_text())
        self.text.setAccessibleName("Privacyverklaring")
        self.save_button = QPushButton("Als PDF opslaan…")
        self.save_button.clicked.connect(self.choose_file)
        self.close_button = QPushButton("Sluiten")
        self.close_button.clicked.connect(self.reject)
        self.close_button.setDefault(True)
        self.busy = BusyBar()
        self.busy.hide()
        self.status = ErrorLabel()
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addStretch()
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                "Deze tekst kunt u aan cliënten laten zien of meegeven. Organisatie, "
                "telefoon, e-mail en bewaartermijn komen uit Instellingen."
            )
        )
        layout.addWidget(self.text)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        layout.addLayout(row)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Privacyverklaring opslaan",
            str(Path.home() / f"privacyverklaring-{date.today():%Y-%m-%d}.pdf"),
            "PDF-bestanden (*.pdf)",
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        caseload = self.caseload
        if self.tasks is None:
            try:
                self._done(privacy.save_pdf(caseload, path))
            except BrugdeskError as exc:
                self._failed(exc)
            return
        if self.tasks.run(
            "privacy-pdf", lambda: privacy.save_pdf(caseload, path), self._done, self._failed
        ):
            self.busy.show()
            self.save_button.setEnabled(False)
            self.status.show_message("")

    def _done(self, path: Path) -> None:
        self.busy.hide()
        self.save_button.setEnabled(True)
        self.status.setStyleSheet(css(ok_colour))
        self.status.show_message(f"Opgeslagen als {path}.")

    def _failed(self, exc: BaseException) -> None:
        self.busy.hide()
        self.save_button.setEnabled(True)
        self.status.setStyleSheet(css(error_colour))
        self.status.show_message(user_message(exc))
