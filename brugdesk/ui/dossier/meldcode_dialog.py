"""The meldcode log of a client: the steps taken, and a form to record or correct one.

Opened only after a deliberate click in the dossier; opening it is a read in
the audit (``caseload.meldcode.open_log``). Facts and interpretations are two
separate fields, as the meldcode asks. Typing is kept as a draft over a lock
(:class:`Drafting`), whether a new step or a correction is being written.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.caseload import Caseload
from brugdesk.domain.draft_keys import meldcode_draft_key
from brugdesk.domain.meldcode_rules import FACTS_HINT, STEPS, step_title
from brugdesk.domain.records import MeldcodeEntryRecord
from brugdesk.errors import BrugdeskError
from brugdesk.ui.kit.confirm import confirm
from brugdesk.ui.kit.drafting import Drafting
from brugdesk.ui.kit.widgets import ErrorLabel, heading, hint, plain_text, user_message
from brugdesk.ui.models.caseload_model import format_date
from brugdesk.ui.models.dossier_models import first_line

#: Said above the log: what it is for, and where it never goes.
ABOUT = (
    "Leg per stap van de meldcode vast wat je deed, wanneer en met wie. Deze stappen staan "
    "los van het dossier: ze komen nooit in een verwijsbrief, de brief aan de huisarts, de "
    "cliëntweergave of een rapportage."
)
NEW_TITLE = "Nieuwe stap vastleggen"
EDIT_TITLE = "Stap bewerken"


class MeldcodeDialog(Drafting, QDialog):
    """The step log of one client (meldcode huiselijk geweld en kindermishandeling)."""

    def __init__(self, caseload: Caseload, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.client_id = client_id
        self.entries: list[MeldcodeEntryRecord] = caseload.meldcode.open_log(client_id)
        #: The entry being corrected in the form (None: a new step).
        self.editing: MeldcodeEntryRecord | None = None
        self.setWindowTitle("Meldcode huiselijk geweld en kindermishandeling")
        self.resize(920, 640)

        self.list = QTreeWidget()
        self.list.setObjectName("meldcodeEntries")
        self.list.setHeaderLabels(["Stap", "Datum", "Geraadpleegd", "Feiten", "Interpretaties"])
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.list.setColumnWidth(2, 200)
        self.list.setColumnWidth(3, 280)
        self.list.setMinimumHeight(150)
        self.list.itemDoubleClicked.connect(lambda _item, _col: self.edit_selected())
        self.edit_button = QPushButton("&Bewerken")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton("&Verwijderen…")
        self.delete_button.clicked.connect(self.delete_selected)
        self.list_error = ErrorLabel()

        self.step = QComboBox()
        self.step.setObjectName("meldcodeStep")
        for number in STEPS:
            self.step.addItem(step_title(number), number)
        self.held_on = QLineEdit(format_date(date.today()))
        self.held_on.setPlaceholderText("dd-mm-jjjj")
        self.consulted = QLineEdit()
        self.consulted.setPlaceholderText(
            "bijvoorbeeld: collega, aandachtsfunctionaris, Veilig Thuis"
        )
        self.facts = QPlainTextEdit()
        self.facts.setTabChangesFocus(True)
        self.facts.setMinimumHeight(80)
        self.interpretations = QPlainTextEdit()
        self.interpretations.setTabChangesFocus(True)
        self.interpretations.setMinimumHeight(80)
        self.error = ErrorLabel()
        self.save_button = QPushButton("&Opslaan")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.submit)
        self.new_button = QPushButton("&Nieuwe stap")
        self.new_button.setToolTip("Het formulier leegmaken voor een nieuwe stap")
        self.new_button.clicked.connect(self.start_new)
        self.close_button = QPushButton("Sl&uiten")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)

        self.form_box = QGroupBox(NEW_TITLE)
        form = QFormLayout(self.form_box)
        form.addRow("&Stap:", self.step)
        form.addRow("&Datum:", self.held_on)
        form.addRow("&Geraadpleegd (wie):", self.consulted)
        form.addRow(hint(FACTS_HINT))
        form.addRow("&Feiten (wat je zag of hoorde):", self.facts)
        form.addRow("&Interpretaties (wat je denkt dat het betekent):", self.interpretations)
        form.addRow(self.error)

        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.list_error, 1)
        list_buttons.addWidget(self.edit_button)
        list_buttons.addWidget(self.delete_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Meldcode-stappen", 14))
        layout.addWidget(hint(ABOUT))
        layout.addWidget(self.list, 1)
        layout.addLayout(list_buttons)
        layout.addWidget(self.form_box, 2)
        layout.addLayout(buttons)

        self.draft_key = meldcode_draft_key(client_id)
        self.draft_client = client_id
        self.reopen_kind = "meldcode"
        self._show_entries()
        self._show_mode()
        self.start_drafting()

    # --- the list -----------------------------------------------------------------------

    def _show_entries(self) -> None:
        self.list.clear()
        for e in self.entries:
            item = QTreeWidgetItem(
                [
                    f"Stap {e.step}",
                    format_date(e.held_on),
                    first_line(e.consulted, 40),
                    first_line(e.facts, 60),
                    first_line(e.interpretations, 60),
                ]
            )
            item.setToolTip(0, step_title(e.step))
            item.setData(0, Qt.ItemDataRole.UserRole, e.id)
            self.list.addTopLevelItem(item)
        has = bool(self.entries)
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        first = self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)

    def reload(self) -> None:
        self.entries = self.caseload.meldcode.fetch(self.client_id)
        self._show_entries()

    def _selected(self) -> MeldcodeEntryRecord | None:
        item = self.list.currentItem()
        if item is None:
            return None
        entry_id = item.data(0, Qt.ItemDataRole.UserRole)
        return next((e for e in self.entries if e.id == entry_id), None)

    def select_entry(self, entry_id: int) -> bool:
        for row in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(row)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == entry_id:
                self.list.setCurrentItem(item)
                return True
        return False

    def edit_selected(self) -> None:
        entry = self._selected()
        if entry is None:
            self.list_error.show_message("Kies eerst een stap in de lijst.")
            return
        if self.has_unsaved_edits():
            self.list_error.show_message(
                "Sla eerst op wat je in het formulier typte, of maak het leeg met Nieuwe stap."
            )
            return
        self.list_error.show_message("")
        self._fill(entry)
        self._clean = self.draft_values()
        self.facts.setFocus()

    def delete_selected(self) -> None:
        entry = self._selected()
        if entry is None:
            self.list_error.show_message("Kies eerst een stap in de lijst.")
            return
        question = (
            f"{step_title(entry.step)} van {format_date(entry.held_on)} verwijderen, met de "
            "feiten en interpretaties die erbij staan?\n\nDit kan niet ongedaan worden gemaakt."
        )

        def delete() -> None:
            try:
                self.caseload.meldcode.delete(entry.id, expected_version=entry.version)
            except BrugdeskError as exc:
                self.list_error.show_message(user_message(exc))
                self.reload()
                return
            self.list_error.show_message("")
            if self.editing is not None and self.editing.id == entry.id:
                self._clear()
            self.reload()

        confirm(self, "Meldcode-stap verwijderen", question, "Verwijderen", delete)

    # --- the form -----------------------------------------------------------------------

    def _fill(self, entry: MeldcodeEntryRecord) -> None:
        self.editing = entry
        self.step.setCurrentIndex(max(0, self.step.findData(entry.step)))
        self.held_on.setText(format_date(entry.held_on))
        self.consulted.setText(entry.consulted)
        self.facts.setPlainText(entry.facts)
        self.interpretations.setPlainText(entry.interpretations)
        self._show_mode()

    def _clear(self) -> None:
        self.editing = None
        self.step.setCurrentIndex(0)
        self.held_on.setText(format_date(date.today()))
        self.consulted.clear()
        self.facts.clear()
        self.interpretations.clear()
        self.error.show_message("")
        self._show_mode()
        self._clean = self.draft_values()

    def _show_mode(self) -> None:
        self.form_box.setTitle(EDIT_TITLE if self.editing else NEW_TITLE)

    def start_new(self) -> None:
        """Empty the form for a new step; typing that was not saved goes only after a question."""

        def clear() -> None:
            self._clear()
            self.discard_draft()

        if not self.has_unsaved_edits():
            clear()
            return
        confirm(
            self,
            "Formulier leegmaken",
            "Het formulier leegmaken voor een nieuwe stap? Wat je typte en nog niet opsloeg, "
            "gaat dan verloren.",
            "Leegmaken",
            clear,
        )

    def submit(self) -> None:
        fields: dict[str, Any] = {
            "step": self.step.currentData(),
            "held_on": self.held_on.text(),
            "consulted": self.consulted.text(),
            "facts": plain_text(self.facts),
            "interpretations": plain_text(self.interpretations),
        }
        try:
            if self.editing is None:
                saved_id = self.caseload.meldcode.add(self.client_id, **fields)
            else:
                saved_id = self.caseload.meldcode.update(
                    self.editing.id, expected_version=self.editing.version, **fields
                ).id
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return
        self.discard_draft()
        self._clear()
        self.reload()
        self.select_entry(saved_id)

    # --- drafts -------------------------------------------------------------------------

    def draft_values(self) -> dict[str, Any]:
        return {
            "entry": self.editing.id if self.editing else None,
            "version": self.editing.version if self.editing else None,
            "step": self.step.currentData(),
            "held_on": self.held_on.text(),
            "consulted": self.consulted.text(),
            "facts": plain_text(self.facts),
            "interpretations": plain_text(self.interpretations),
        }

    def restore_draft(self, values: dict[str, Any]) -> None:
        entry_id = values.get("entry")
        if entry_id is not None:
            entry = next((e for e in self.entries if e.id == entry_id), None)
            if entry is None:
                raise KeyError(entry_id)  # deleted meanwhile: its correction cannot be kept
            # The version the correction started from: a change since is refused on saving.
            self.editing = replace(entry, version=int(values["version"]))
        self.step.setCurrentIndex(max(0, self.step.findData(int(values["step"]))))
        self.held_on.setText(str(values["held_on"]))
        self.consulted.setText(str(values["consulted"]))
        self.facts.setPlainText(str(values["facts"]))
        self.interpretations.setPlainText(str(values["interpretations"]))
        self._show_mode()
