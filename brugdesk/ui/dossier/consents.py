"""The client's consents in the dossier: who may receive what, for what, and withdrawal.

A table of every consent (recipient, purpose, given on, how, withdrawn on);
the worker selects one and withdraws it with "Intrekken" after a
confirmation. The service writes the audit row; the change record makes the
referrals tab (and so this list) show the withdrawal date.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton, QVBoxLayout, QWidget

from brugdesk.app.caseload import Caseload
from brugdesk.domain.records import ConsentRecord
from brugdesk.errors import BrugdeskError
from brugdesk.ui.dossier.tables import record_table
from brugdesk.ui.kit.colours import muted_colour
from brugdesk.ui.kit.widgets import ErrorLabel, heading, hint, user_message
from brugdesk.ui.models.caseload_model import format_date
from brugdesk.ui.models.dossier_models import RecordTableModel


class ConsentsModel(RecordTableModel):
    headers = ("Ontvanger", "Doel", "Gegeven op", "Hoe", "Ingetrokken op")

    def display(self, c: ConsentRecord, column: int) -> str:
        if column == 0:
            return c.recipient
        if column == 1:
            return c.purpose
        if column == 2:
            return format_date(c.given_at)
        if column == 3:
            return c.how
        return format_date(c.withdrawn_at) if c.withdrawn_at else ""

    def tooltip(self, c: ConsentRecord, column: int) -> str | None:
        return f"Vastgelegd door {c.recorded_by}" if c.recorded_by else None

    def foreground(self, c: ConsentRecord) -> QColor | None:
        return muted_colour() if c.withdrawn_at else None


class ConsentsPanel(QWidget):
    """'Toestemmingen': the list and the withdrawal of the selected consent."""

    def __init__(self, caseload: Caseload, client_id: int) -> None:
        super().__init__()
        self.caseload = caseload
        self.client_id = client_id
        self.model = ConsentsModel(self)
        self.table = record_table(self.model)
        self.table.setMaximumHeight(160)
        self.withdraw_button = QPushButton("&Intrekken")
        self.withdraw_button.setToolTip("De gekozen toestemming intrekken")
        self.withdraw_button.clicked.connect(self.withdraw)
        self.error = ErrorLabel()
        self.empty = hint(
            "Geen toestemmingen vastgelegd. Toestemming wordt vastgelegd als u een "
            "verwijsbrief of terugkoppeling aan de huisarts opslaat."
        )
        self.confirm: QMessageBox | None = None
        row = QHBoxLayout()
        row.addWidget(heading("Toestemmingen", 11), 1)
        row.addWidget(self.withdraw_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addWidget(self.error)
        self.reload()

    def reload(self) -> None:
        selected = self.selected()
        rows = self.caseload.consents.fetch(self.client_id)
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.empty.setVisible(not rows)
        self.table.setVisible(bool(rows))
        if selected is not None:  # keep the worker's choice across a refresh
            for i, c in enumerate(rows):
                if c.id == selected.id:
                    self.table.selectRow(i)

    def selected(self) -> ConsentRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def text(self) -> str:
        """What the list shows, one line per consent (for reading it back)."""
        return "\n".join(
            " · ".join(self.model.display(c, col) for col in range(len(self.model.headers)))
            for c in (self.model.record(i) for i in range(self.model.rowCount()))
        )

    def withdraw(self) -> None:
        consent = self.selected()
        if consent is None:
            self.error.show_message("Kies eerst de toestemming die u wilt intrekken.")
            return
        if consent.withdrawn_at is not None:
            self.error.show_message(
                f"Deze toestemming is al ingetrokken op {format_date(consent.withdrawn_at)}."
            )
            return
        self.error.show_message("")
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Toestemming intrekken",
            (
                f"De toestemming voor {consent.recipient} ({consent.purpose}, gegeven op {format_date(consent.given_at)}) intrekken? Latere brieven aan "
                "deze ontvanger kunnen dan pas weer met nieuwe toestemming."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(QMessageBox.StandardButton.Yes).setText("Intrekken")
        box.button(QMessageBox.StandardButton.No).setText("Niet intrekken")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        self.confirm = box

        def done(result: int) -> None:
            self.confirm = None
            if result != QMessageBox.StandardButton.Yes:
                return
            try:
                self.caseload.consents.withdraw(consent.id)
            except BrugdeskError as exc:
                self.error.show_message(user_message(exc))

        box.finished.connect(done)
        box.open()
