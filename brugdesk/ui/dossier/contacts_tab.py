"""Contactmomenten: the timeline of a client's contacts and the note editor."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.caseload import Caseload
from brugdesk.errors import BrugdeskError
from brugdesk.ui.dossier.note_editor import NoteEditor
from brugdesk.ui.dossier.tables import record_table
from brugdesk.ui.kit.confirm import confirm
from brugdesk.ui.kit.widgets import ErrorLabel, heading, hint, user_message
from brugdesk.ui.models.dossier_models import ContactsModel, first_line


class ContactsTab(QWidget):
    def __init__(self, caseload: Caseload, client_id: int) -> None:
        super().__init__()
        self.caseload = caseload
        self.client_id = client_id
        self.model = ContactsModel(self)
        self.table = record_table(self.model)
        for column in (0, 1):
            self.table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents
            )
        # Measure a sample of rows for those widths, not every note on each reload.
        self.table.horizontalHeader().setResizeContentsPrecision(40)
        self.table.doubleClicked.connect(self._edit_selected)
        self.table.activated.connect(self._edit_selected)
        self.empty = hint("Nog geen contactmomenten. Schrijf rechts het eerste en druk op Ctrl+S.")
        self.editor = NoteEditor(caseload, client_id)
        left = QWidget()
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(heading("Tijdlijn", 12))
        col.addWidget(self.table)
        col.addWidget(self.empty)
        self.delete_button = QPushButton("Contactmoment verwijderen…")
        self.delete_button.clicked.connect(self.delete_selected)
        self.error = ErrorLabel()
        row = QHBoxLayout()
        row.addWidget(self.error, 1)
        row.addWidget(self.delete_button)
        col.addLayout(row)
        # Timeline above, the note being written below: both get the full width.
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(left)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(self.caseload.contacts.fetch(self.client_id))
        self.empty.setVisible(self.model.rowCount() == 0)

    def _edit_selected(self, index) -> None:
        self.editor.edit(self.model.record(index.row()))

    def delete_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.error.show_message("Kies eerst een contactmoment in de tijdlijn.")
            return
        contact = self.model.record(rows[0].row())
        self.error.show_message("")
        question = (
            f"Het contactmoment van {contact.occurred_at:%d-%m-%Y %H:%M} ({contact.kind}) "
            f"verwijderen?\n\n{first_line(contact.note)}\n\nDit kan niet ongedaan worden gemaakt."
        )

        def delete() -> None:
            try:
                self.caseload.contacts.delete(contact.id)
            except BrugdeskError as exc:
                self.error.show_message(user_message(exc))
                return
            if self.editor.contact_id == contact.id:  # its text is gone: start a new note
                self.editor.dirty = False
                self.editor.start_new()

        confirm(self, "Contactmoment verwijderen", question, "Verwijderen", delete)
