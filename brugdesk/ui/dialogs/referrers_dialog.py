"""Verwijzers: the list of GP practices and other referrers a client can come from."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.caseload import Caseload
from brugdesk.domain import pick_lists
from brugdesk.domain.draft_keys import client_referrer_draft_key, referrer_form_draft_key
from brugdesk.domain.records import ReferrerRecord, merge_typing
from brugdesk.domain.referrer_rules import clean_referrer
from brugdesk.errors import BrugdeskError, StaleRecord, ValidationError
from brugdesk.ui.kit.colours import css, error_colour, ok_colour
from brugdesk.ui.kit.drafting import Drafting
from brugdesk.ui.kit.error_boundary import guard
from brugdesk.ui.kit.widgets import (
    ErrorLabel,
    StaleQuestion,
    button_box,
    hint,
    plain_text,
    plain_tooltip,
    roomy_labels,
    user_message,
)

LINE_FIELDS = (
    ("name", "&Naam *"),
    ("address", "&Adres"),
    ("agb_code", "A&GB-code"),
    ("phone", "Tele&foon"),
)

FIELD_NAMES = {
    "name": "naam",
    "kind": "soort",
    "address": "adres",
    "channel": "kanaal",
    "agb_code": "AGB-code",
    "phone": "telefoon",
    "notes": "notities",
}


def referrer_label(entry: ReferrerRecord) -> str:
    """How an entry reads in a pick list: its name and kind."""
    return f"{entry.name} ({pick_lists.label(pick_lists.referrer_kinds(), entry.kind)})"


class ReferrerDialog(Drafting, QDialog):
    """One entry of the referrer list: new, or an existing one (with its row version)."""

    #: The entry was saved: its id.
    saved = Signal(int)

    def __init__(
        self,
        caseload: Caseload,
        referrer: ReferrerRecord | None = None,
        parent: QWidget | None = None,
        *,
        for_client: int | None = None,
        from_client_form: bool = False,
    ) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.referrer = referrer
        self.loaded_version = referrer.version if referrer else None
        self.stale_question: QMessageBox | None = None
        self.setWindowTitle("Verwijzer bewerken" if referrer else "Nieuwe verwijzer")
        self.setMinimumWidth(520)
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, ErrorLabel] = {}
        for name, _label in LINE_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.textChanged.connect(self._changed)
            self.edits[name] = edit
        self.edits["agb_code"].setPlaceholderText("8 cijfers")
        self.kind = QComboBox()
        for choice in pick_lists.referrer_kinds():
            self.kind.addItem(choice.label, choice.id)
        self.channel = QComboBox()
        self.channel.addItem("— geen —", "")
        for choice in pick_lists.channels():
            self.channel.addItem(choice.label, choice.id)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(70)
        self.notes.textChanged.connect(self._changed)
        form = QFormLayout()
        form.addRow("&Naam *", self._with_error("name", self.edits["name"]))
        form.addRow("&Soort", self._with_error("kind", self.kind))
        form.addRow("&Adres", self._with_error("address", self.edits["address"]))
        form.addRow("Beveiligd &kanaal", self._with_error("channel", self.channel))
        form.addRow("A&GB-code", self._with_error("agb_code", self.edits["agb_code"]))
        form.addRow("Tele&foon", self._with_error("phone", self.edits["phone"]))
        form.addRow("N&otities", self._with_error("notes", self.notes))
        roomy_labels(form)
        self.error = ErrorLabel()
        self.restored = hint("")
        self.restored.hide()
        self.buttons = button_box("Opslaan", self.submit, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.restored)
        layout.addLayout(form)
        layout.addWidget(
            hint("Het kanaal is de beveiligde weg waarlangs de praktijk berichten ontvangt.")
        )
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.validate)
        self._set_values(self._loaded_values())
        if from_client_form:  # typed from the client form: it comes back with that form
            self.draft_key = client_referrer_draft_key(for_client)
            self.draft_client = for_client
            self.reopen_kind = "client-referrer"
        else:
            self.draft_key = referrer_form_draft_key(referrer.id if referrer else None)
            self.reopen_kind = "referrer"
            self.reopen_record = referrer.id if referrer else None
        if self.start_drafting() is not None:
            self.restored.setText("Niet-opgeslagen invoer is teruggezet.")
            self.restored.show()
        self.validate()

    def _with_error(self, name: str, widget: QWidget) -> QWidget:
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(2)
        col.addWidget(widget)
        self.errors[name] = ErrorLabel()
        col.addWidget(self.errors[name])
        return box

    def _loaded_values(self) -> dict[str, Any]:
        r = self.referrer
        if r is None:
            return {"kind": "huisarts", "channel": ""}
        return {
            "name": r.name,
            "kind": r.kind,
            "address": r.address,
            "channel": r.channel,
            "agb_code": r.agb_code,
            "phone": r.phone,
            "notes": r.notes,
        }

    def _set_values(self, values: dict[str, Any]) -> None:
        for name, edit in self.edits.items():
            edit.setText(str(values.get(name) or ""))
        for combo, value in (
            (self.kind, values.get("kind")),
            (self.channel, values.get("channel")),
        ):
            index = combo.findData(value or "")
            if index < 0 and value:  # an id the organisation's list no longer has: keep it
                combo.addItem(str(value), value)
                index = combo.count() - 1
            combo.setCurrentIndex(max(index, 0))
        self.notes.setPlainText(str(values.get("notes") or ""))

    def values(self) -> dict[str, Any]:
        data: dict[str, Any] = {name: edit.text() for name, edit in self.edits.items()}
        data["kind"] = self.kind.currentData()
        data["channel"] = self.channel.currentData()
        data["notes"] = plain_text(self.notes)
        return data

    def draft_values(self) -> dict[str, Any]:
        return self.values()

    def restore_draft(self, values: dict[str, Any]) -> None:
        self._set_values({**self._loaded_values(), **values})

    def _changed(self) -> None:
        self._timer.start()

    def validate(self, *, saving: bool = False) -> bool:
        """Show each field's problem next to it; an empty name only once saving."""
        try:
            clean_referrer(self.values())
            errors: dict[str, str] = {}
        except ValidationError as exc:
            errors = exc.errors
        for name, label in self.errors.items():
            shown = errors.get(name, "")
            if name == "name" and not saving and not self.edits["name"].text().strip():
                shown = ""  # not "verplicht" in red before the worker typed anything
            label.show_message(shown)
        return not errors

    def submit(self) -> None:
        self._timer.stop()
        if not self.validate(saving=True):
            return
        try:
            if self.referrer is None:
                referrer_id = self.caseload.referrers.add(**self.values())
            else:
                referrer_id = self.caseload.referrers.update(
                    self.referrer.id, expected_version=self.loaded_version, **self.values()
                ).id
        except StaleRecord as exc:
            self.save_draft()
            self._ask_stale(exc)
            return
        except ValidationError as exc:
            self.error.show_message(" ".join(exc.errors.values()))
            return
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return
        self.accept()
        self.saved.emit(referrer_id)

    def _ask_stale(self, exc: StaleRecord) -> None:
        self.stale_question = StaleQuestion(
            self,
            "Verwijzer intussen gewijzigd",
            exc.message
            + "\n\nNieuwste versie laden? Uw eigen invoer blijft in het formulier staan.",
            self.reload_newest,
            lambda: self.error.show_message(exc.message),
        )
        self.stale_question.open()

    def reload_newest(self) -> None:
        """Take the newest row version; the worker's typing stays in the form."""
        assert self.referrer is not None
        try:
            newest = self.caseload.referrers.get(self.referrer.id)
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return
        loaded = self._loaded_values()
        self.referrer = newest
        self.loaded_version = newest.version
        merged, both = merge_typing(loaded, self.values(), self._loaded_values())
        self._set_values(merged)
        self.save_draft()
        message = (
            "De nieuwste versie is geladen; uw eigen wijzigingen staan er nog in. "
            "Klik opnieuw op Opslaan."
        )
        if both:
            names = ", ".join(FIELD_NAMES.get(name, name) for name in both)
            message += f" Ook elders gewijzigd: {names}; hier staat uw invoer."
        self.error.show_message("")
        self.restored.setText(message)
        self.restored.show()


class ReferrersDialog(QDialog):
    """Bestand → Verwijzers…: the list, with how many clients each entry referred."""

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.rows: list[ReferrerRecord] = []
        self.setWindowTitle("Verwijzers")
        self.resize(860, 520)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Naam", "Soort", "Kanaal", "Cliënten"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemDoubleClicked.connect(lambda _i: self.edit())
        self.empty = hint(
            "Nog geen verwijzers. Voeg huisartsenpraktijken, POH's en wijkteams toe met "
            "‘Nieuwe verwijzer…’, of kies ‘Nieuwe verwijzer…’ in het cliëntformulier."
        )
        self.message = ErrorLabel()
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Nieuwe verwijzer…")
        self.edit_button = QPushButton("&Bewerken…")
        self.delete_button = QPushButton("&Verwijderen…")
        for button, slot in (
            (self.add_button, self.add),
            (self.edit_button, self.edit),
            (self.delete_button, self.remove),
        ):
            button.clicked.connect(guard(slot, button.text()))  # called without clicked's bool
            buttons.addWidget(button)
        buttons.addStretch()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Sluiten")
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                "Wie cliënten naar u verwijst. Kies bij een cliënt de verwijzer uit deze lijst; "
                "zo telt het resultatenoverzicht per praktijk."
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        self.rows = self.caseload.referrers.fetch()
        usage = self.caseload.referrers.usage()
        self.table.setRowCount(len(self.rows))
        for r, entry in enumerate(self.rows):
            values = [
                entry.name,
                pick_lists.label(pick_lists.referrer_kinds(), entry.kind),
                pick_lists.label(pick_lists.channels(), entry.channel) if entry.channel else "—",
                str(usage.get(entry.id, 0)),
            ]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(plain_tooltip(value))
                if c == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        for column, cap in (
            (0, 340),
            (1, 220),
            (2, 140),
        ):  # a long name never pushes 'Cliënten' out
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), cap))
        self.empty.setVisible(not self.rows)

    def _say(self, message: str, *, ok: bool = False) -> None:
        self.message.setStyleSheet(css(ok_colour) if ok else css(error_colour))
        self.message.show_message(message)

    def _selected(self) -> ReferrerRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def select(self, referrer_id: int) -> None:
        for r, entry in enumerate(self.rows):
            if entry.id == referrer_id:
                self.table.selectRow(r)

    def _saved(self, referrer_id: int) -> None:
        self.reload()
        self.select(referrer_id)
        self._say("De verwijzer is opgeslagen.", ok=True)

    def open_referrer(self, referrer_id: int | None) -> ReferrerDialog | None:
        """The form for *referrer_id* (None: a new entry), e.g. again after an unlock."""
        referrer = None
        if referrer_id is not None:
            try:
                referrer = self.caseload.referrers.get(referrer_id)
            except BrugdeskError:  # deleted meanwhile: its draft has no entry to go to
                self.caseload.drafts.discard(referrer_form_draft_key(referrer_id))
                return None
        dialog = ReferrerDialog(self.caseload, referrer, self)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def add(self) -> ReferrerDialog | None:
        return self.open_referrer(None)

    def edit(self) -> ReferrerDialog | None:
        entry = self._selected()
        if entry is None:
            self._say("Kies eerst een verwijzer in de lijst.")
            return None
        return self.open_referrer(entry.id)

    def remove(self) -> QMessageBox | None:
        entry = self._selected()
        if entry is None:
            self._say("Kies eerst een verwijzer in de lijst.")
            return None
        count = self.caseload.referrers.usage().get(entry.id, 0)
        if count == 0:
            consequence = "Geen cliënt heeft deze verwijzer."
        elif count == 1:
            consequence = "Eén cliënt heeft deze verwijzer; die houdt daarna geen verwijzer."
        else:
            consequence = (
                f"{count} cliënten hebben deze verwijzer; zij houden daarna geen verwijzer."
            )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Verwijzer verwijderen",
            f"{entry.name} uit de lijst van verwijzers verwijderen?\n\n{consequence}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)  # the name as typed
        box.button(QMessageBox.StandardButton.Yes).setText("Verwijderen")
        box.button(QMessageBox.StandardButton.No).setText("Behouden")
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def done(result: int) -> None:
            if result != QMessageBox.StandardButton.Yes:
                return
            try:
                cleared = self.caseload.referrers.delete(entry.id)
            except BrugdeskError as exc:
                self._say(user_message(exc))
                self.reload()
                return
            self.reload()
            self._say(
                f"{entry.name} is verwijderd; {cleared} cliënt(en) hebben nu geen verwijzer.",
                ok=True,
            )

        box.finished.connect(done)
        box.open()
        return box
