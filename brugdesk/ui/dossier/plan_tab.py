"""Plan: a client's actions, with who does what and by when."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.caseload import Caseload
from brugdesk.domain.draft_keys import action_edit_draft_key, new_action_draft_key
from brugdesk.domain.life_domains import DOMAINS
from brugdesk.domain.records import ActionRecord
from brugdesk.errors import BrugdeskError
from brugdesk.ui.dossier.tables import record_table
from brugdesk.ui.kit.confirm import confirm
from brugdesk.ui.kit.drafting import Drafting
from brugdesk.ui.kit.widgets import (
    ErrorLabel,
    button_box,
    fit_placeholder,
    heading,
    hint,
    user_message,
)
from brugdesk.ui.models.caseload_model import format_date
from brugdesk.ui.models.dossier_models import ActionsModel, first_line


class PlanTab(QWidget):
    """Actions; the dossier reloads this tab when a change record names actions."""

    def __init__(self, caseload: Caseload, client_id: int) -> None:
        super().__init__()
        self.caseload = caseload
        self.client_id = client_id
        self.model = ActionsModel(self)
        self.table = record_table(self.model)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column in range(self.model.columnCount()):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column == 1
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(column, mode)
        self.domain = QComboBox()
        self.domain.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.domain.setMinimumContentsLength(16)  # room for the placeholders next to it
        self.domain.addItem("(geen leefgebied)", "")
        for key, name in DOMAINS.items():
            self.domain.addItem(name, key)
        self.description = QLineEdit()
        self.description.setPlaceholderText("Wat gaat er gebeuren?")
        fit_placeholder(self.description)
        self.description.returnPressed.connect(self.add)
        self.who = QLineEdit()
        self.who.setPlaceholderText("cliënt, ik, partner…")
        fit_placeholder(self.who)
        self.due = QLineEdit()
        self.due.setPlaceholderText("dd-mm-jjjj")
        self.due.setMaximumWidth(110)
        add = QPushButton("Toevoegen")
        add.clicked.connect(self.add)
        self.error = ErrorLabel()
        done = QPushButton("Markeer als gedaan")
        done.clicked.connect(lambda: self._set_status("gedaan"))
        busy = QPushButton("Bezig")
        busy.clicked.connect(lambda: self._set_status("bezig"))
        remove = self.remove_button = QPushButton("Verwijderen…")
        remove.clicked.connect(self.remove)
        self.edit_button = QPushButton("Bewerken…")
        self.edit_button.clicked.connect(self.edit_selected)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.edit_dialog: ActionDialog | None = None
        self.empty = hint("Nog geen acties. Voeg hieronder de eerste afspraak toe.")

        row = QHBoxLayout()
        row.addWidget(self.domain)
        row.addWidget(self.description, 3)
        row.addWidget(self.who, 1)
        row.addWidget(self.due)
        row.addWidget(add)
        status_row = QHBoxLayout()
        status_row.addStretch()
        for button in (busy, done, self.edit_button, remove):
            status_row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addLayout(status_row)
        layout.addWidget(heading("Nieuwe actie", 11))
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.reload()
        self.draft_key = new_action_draft_key(client_id)
        self.keep_typing = True  # False once the client is gone
        self.restore_draft()

    def reload(self) -> None:
        self.model.set_rows(self.caseload.actions.fetch(self.client_id))
        self.empty.setVisible(self.model.rowCount() == 0)

    def add(self) -> None:
        try:
            self.caseload.actions.add(
                self.client_id,
                domain=self.domain.currentData(),
                description=self.description.text(),
                who=self.who.text(),
                due_on=self.due.text(),
            )
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return
        self.error.show_message("")
        self.description.clear()
        self.who.clear()
        self.due.clear()
        self.caseload.drafts.discard(self.draft_key)

    # --- the new action's fields, kept as a draft over a lock ------------------------------

    def typing(self) -> dict[str, str]:
        return {
            "domain": self.domain.currentData(),
            "description": self.description.text(),
            "who": self.who.text(),
            "due": self.due.text(),
        }

    def save_draft(self) -> None:
        if not self.keep_typing:
            return
        typing = self.typing()
        try:
            if typing["description"] or typing["who"] or typing["due"]:
                self.caseload.drafts.save(self.draft_key, typing, client_id=self.client_id)
            else:
                self.caseload.drafts.discard(self.draft_key)
        except BrugdeskError as exc:  # never in the way of a lock
            self.error.show_message(user_message(exc))

    def restore_draft(self) -> None:
        draft = self.caseload.drafts.get(self.draft_key)
        if draft is None:
            return
        values = draft.payload
        self.domain.setCurrentIndex(max(self.domain.findData(values.get("domain", "")), 0))
        self.description.setText(str(values.get("description", "")))
        self.who.setText(str(values.get("who", "")))
        self.due.setText(str(values.get("due", "")))

    def _selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _set_status(self, status: str) -> None:
        action = self._selected()
        if action is None:
            self.error.show_message("Kies eerst een actie in de lijst.")
            return
        self.caseload.actions.update(action.id, status=status)

    def remove(self) -> None:
        action = self._selected()
        if action is None:
            self.error.show_message("Kies eerst een actie in de lijst.")
            return
        question = f"Deze actie verwijderen?\n\n{first_line(action.description)}"

        def delete() -> None:
            try:
                self.caseload.actions.delete(action.id)
            except BrugdeskError as exc:
                self.error.show_message(user_message(exc))

        confirm(self, "Actie verwijderen", question, "Verwijderen", delete, no_text="Behouden")

    def open_action(self, action_id: int | None) -> None:
        """Select the action and open its form (after an unlock: with its draft)."""
        for row in range(self.model.rowCount()):
            if self.model.record(row).id == action_id:
                self.table.selectRow(row)
                self.edit_selected()
                return

    def edit_selected(self) -> ActionDialog | None:
        action = self._selected()
        if action is None:
            self.error.show_message("Kies eerst een actie in de lijst.")
            return None
        self.error.show_message("")
        dialog = ActionDialog(self.caseload, action, self)
        self.edit_dialog = dialog
        dialog.open()
        return dialog


class ActionDialog(Drafting, QDialog):
    """Correct an action: what, who and by when."""

    def __init__(self, caseload: Caseload, action: ActionRecord, parent: QWidget) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.action = action
        self.setWindowTitle("Actie bewerken")
        self.setMinimumWidth(480)
        self.description = QLineEdit(action.description)
        self.who = QLineEdit(action.who)
        self.due = QLineEdit(format_date(action.due_on))
        self.due.setPlaceholderText("dd-mm-jjjj")
        self.error = ErrorLabel()
        form = QFormLayout(self)
        form.addRow("&Omschrijving:", self.description)
        form.addRow("&Wie:", self.who)
        form.addRow("&Uiterlijk op:", self.due)
        form.addRow(self.error)
        form.addRow(button_box("Opslaan", self.submit, self.reject))
        self.draft_key = action_edit_draft_key(action.id)
        self.draft_client, self.reopen_record = action.client_id, action.id
        self.reopen_kind = "action-edit"
        self.start_drafting()

    def draft_values(self) -> dict[str, Any]:
        return {
            "description": self.description.text(),
            "who": self.who.text(),
            "due": self.due.text(),
        }

    def restore_draft(self, values: dict[str, Any]) -> None:
        self.description.setText(str(values["description"]))
        self.who.setText(str(values["who"]))
        self.due.setText(str(values["due"]))

    def submit(self) -> None:
        try:
            self.caseload.actions.update(
                self.action.id,
                expected_version=self.action.version,
                description=self.description.text(),
                who=self.who.text(),
                due_on=self.due.text(),
            )
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return
        self.accept()
