"""Contactmomenten: the timeline of a client's contacts and the note editor."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.caseload import Caseload
from brugdesk.ui.dossier.note_editor import NoteEditor
from brugdesk.ui.dossier.tables import record_table
from brugdesk.ui.kit.widgets import heading, hint
from brugdesk.ui.models.dossier_models import ContactsModel


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
