"""The note editor: a contact moment being written, autosaved as a draft.

A draft is saved a few seconds after the last keystroke and whenever the app
locks or the dossier closes, so no typing is ever lost. Ctrl+S saves the
note itself (which also removes the draft).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.caseload import Caseload
from brugdesk.domain.contact_rules import KINDS, clean_contact
from brugdesk.domain.life_domains import DOMAINS
from brugdesk.domain.records import ContactRecord, merge_typing
from brugdesk.errors import BrugdeskError, StaleRecord, ValidationError
from brugdesk.ui.kit.colours import css, hint_colour
from brugdesk.ui.kit.widgets import (
    DateEdit,
    ErrorLabel,
    StaleQuestion,
    heading,
    hint,
    plain_text,
    qdatetime,
    to_datetime,
    user_message,
)

AUTOSAVE_MS = 3000
FIELD_NAMES = {
    "occurred_at": "Datum en tijd",
    "kind": "Soort",
    "duration_min": "Duur",
    "domains": "Leefgebieden",
    "note": "Notitie",
    "travel_minutes": "Reistijd",
    "travel_km": "Km",
}
#: The kind of contact the travel fields are meant for (shown for others when filled in).
TRAVEL_KIND = "huisbezoek"
TRAVEL_FIELDS = ("travel_minutes", "travel_km")


def km_text(km: float | None) -> str:
    """A distance as a Dutch worker types it: 12,5 (and 12 for 12.0)."""
    return "" if km is None else f"{km:g}".replace(".", ",")


def form_values(contact: ContactRecord) -> dict[str, Any]:
    """The editor as filled from *contact* (the representation ``values()`` returns)."""
    return {
        "occurred_at": contact.occurred_at.isoformat(timespec="minutes"),
        "kind": contact.kind,
        "duration_min": contact.duration_min or None,
        "domains": [key for key in DOMAINS if key in contact.domains],
        "note": contact.note,
        "travel_minutes": "" if contact.travel_minutes is None else str(contact.travel_minutes),
        "travel_km": km_text(contact.travel_km),
    }


class NoteEditor(QWidget):
    saved = Signal(int)

    def __init__(self, caseload: Caseload, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.client_id = client_id
        self.contact_id: int | None = None
        #: For an existing note: the editor as loaded from the vault, and its row version.
        self.loaded: dict[str, Any] = {}
        self.loaded_version: int | None = None
        #: The question asked when the note changed elsewhere meanwhile.
        self.stale_question: QMessageBox | None = None
        self.dirty = False
        self._loading = False
        #: The worker set the date and time (a new note's draft keeps it only then).
        self.when_chosen = False

        self.title = heading("Nieuw contactmoment", 12)
        self.when = DateEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("dd-MM-yyyy HH:mm")
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(kind, kind)
        self.duration = QSpinBox()
        self.duration.setRange(0, 1440)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(" min")
        self.duration.setSpecialValueText("—")
        self.domains = QListWidget()
        # Domains as a compact grid of checkboxes rather than a tall list.
        self.domains.setFlow(QListWidget.Flow.LeftToRight)
        self.domains.setWrapping(True)
        self.domains.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.domains.setGridSize(QSize(300, 22))
        self.domains.setMaximumHeight(4 * 22 + 6)
        for key, name in DOMAINS.items():
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.domains.addItem(item)
        self._build_travel()
        self.text = QPlainTextEdit()
        self.text.setObjectName("noteText")
        self.text.setPlaceholderText("Wat is er besproken, wat is afgesproken?")
        self.text.setTabChangesFocus(True)
        self.status = QLabel()
        self.status.setStyleSheet(css(hint_colour))
        self.error = ErrorLabel()
        self.save_button = QPushButton("Opslaan (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.new_button = QPushButton("Nieuw contactmoment")
        self.new_button.clicked.connect(self.start_new)

        when_row = QHBoxLayout()
        for label, widget in (
            ("&Datum en tijd:", self.when),
            ("&Soort:", self.kind),
            ("D&uur:", self.duration),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            when_row.addWidget(caption)
            when_row.addWidget(widget, 1)
        form = QFormLayout()
        form.addRow(when_row)
        form.addRow(self.travel_box)
        form.addRow("&Leefgebieden:", self.domains)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft)
        for signal in (
            self.when.dateTimeChanged,
            self.kind.currentIndexChanged,
            self.duration.valueChanged,
            self.domains.itemChanged,
            self.text.textChanged,
            self.travel_minutes.textChanged,
            self.travel_km.textChanged,
        ):
            signal.connect(self._changed)
        self.kind.currentIndexChanged.connect(self._show_travel)
        self.travel_minutes.textChanged.connect(self._check_travel)
        self.travel_km.textChanged.connect(self._check_travel)
        self.when.dateTimeChanged.connect(self._when_changed)
        self.start_new()

    def _build_travel(self) -> None:
        """Reistijd and km, for a home visit: small, optional, checked as typed."""
        self.travel_minutes = QLineEdit()
        self.travel_minutes.setObjectName("travel_minutes")
        self.travel_minutes.setPlaceholderText("bijv. 20")
        self.travel_km = QLineEdit()
        self.travel_km.setObjectName("travel_km")
        self.travel_km.setPlaceholderText("bijv. 12,5")
        self.travel_error = ErrorLabel()
        self.travel_problem = ""
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for label, edit in (("&Reistijd (min):", self.travel_minutes), ("&Km:", self.travel_km)):
            edit.setMaximumWidth(90)
            caption = QLabel(label)
            caption.setBuddy(edit)
            row.addWidget(caption)
            row.addWidget(edit)
        row.addWidget(hint("niet verplicht, voor de reiskosten van een huisbezoek"), 1)
        self.travel_box = QWidget()
        col = QVBoxLayout(self.travel_box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(2)
        col.addLayout(row)
        col.addWidget(self.travel_error)

    def _show_travel(self, *_args: Any) -> None:
        """Shown for a home visit, and for any contact whose travel is filled in (so
        nothing is saved that the worker cannot see). Typed values stay when the
        kind changes back and forth."""
        filled = bool(self.travel_minutes.text().strip() or self.travel_km.text().strip())
        self.travel_box.setVisible(self.kind.currentData() == TRAVEL_KIND or filled)

    def _check_travel(self, *_args: Any) -> bool:
        """Show a problem with the travel fields next to them; True when they are fine."""
        try:
            clean_contact({name: self.values()[name] for name in TRAVEL_FIELDS}, partial=True)
        except ValidationError as exc:
            self.travel_error.show_message(" ".join(exc.errors.values()))
            self.travel_problem = next(iter(exc.errors))
            return False
        self.travel_error.show_message("")
        return True

    # --- state ---------------------------------------------------------------------

    def _changed(self, *_args: Any) -> None:
        if self._loading:
            return
        self.dirty = True
        self.status.setText("Niet opgeslagen")
        self._autosave.start()

    def _when_changed(self, *_args: Any) -> None:
        if not self._loading:
            self.when_chosen = True

    def values(self) -> dict[str, Any]:
        return {
            "occurred_at": to_datetime(self.when.dateTime()).isoformat(timespec="minutes"),
            "kind": self.kind.currentData(),
            "duration_min": self.duration.value() or None,
            "domains": [
                self.domains.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.domains.count())
                if self.domains.item(i).checkState() == Qt.CheckState.Checked
            ],
            "note": plain_text(self.text),
            "travel_minutes": self.travel_minutes.text().strip(),
            "travel_km": self.travel_km.text().strip(),
        }

    def _load(self, values: dict[str, Any], title: str) -> None:
        self._loading = True
        try:
            self.title.setText(title)
            when = values.get("occurred_at")
            try:
                moment = datetime.fromisoformat(when) if isinstance(when, str) else when
            except ValueError:
                moment = None
            self.when.setDateTime(qdatetime(moment or datetime.now().replace(second=0)))
            index = self.kind.findData(values.get("kind") or "huisbezoek")
            self.kind.setCurrentIndex(max(index, 0))
            self.duration.setValue(int(values.get("duration_min") or 0))
            chosen = set(values.get("domains") or [])
            for i in range(self.domains.count()):
                item = self.domains.item(i)
                checked = item.data(Qt.ItemDataRole.UserRole) in chosen
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.text.setPlainText(values.get("note") or "")
            self.travel_minutes.setText(str(values.get("travel_minutes") or ""))
            self.travel_km.setText(str(values.get("travel_km") or ""))
            self.error.show_message("")
        finally:
            self._loading = False
        self._show_travel()
        self._check_travel()
        self.dirty = False

    def start_new(self) -> None:
        if self.dirty:
            self.save_draft()
        self.contact_id = None
        self.loaded, self.loaded_version = {}, None
        draft = self.caseload.contacts.get_draft(self.client_id)
        # A new note starts now. A draft without text restores nothing; one with text
        # keeps its date and time only when the worker had set them.
        if draft and not str(draft.get("note") or "").strip():
            draft = None
        if draft and not draft.get("when_chosen"):
            draft = {**draft, "occurred_at": None}
        self._load(draft or {}, "Nieuw contactmoment")
        self.when_chosen = bool(draft and draft.get("when_chosen"))
        self.status.setText("Concept teruggezet" if draft else "")
        self.dirty = bool(draft)

    def edit(self, contact: ContactRecord) -> None:
        if self.dirty:
            self.save_draft()
        self.contact_id = contact.id
        self.loaded, self.loaded_version = form_values(contact), contact.version
        draft = self.caseload.contacts.get_draft(self.client_id, contact.id)
        values = draft or self.loaded
        self._load(values, "Contactmoment bewerken")
        self.when_chosen = True  # an existing note keeps its own moment
        self.status.setText("Concept teruggezet" if draft else "")
        self.dirty = bool(draft)

    # --- persistence -------------------------------------------------------------------

    def save_draft(self) -> None:
        """Keep what was typed; cheap enough to call before every lock."""
        self._autosave.stop()
        if not self.dirty:
            return
        try:
            self.caseload.contacts.save_draft(
                self.client_id, self.contact_id, **self.values(), when_chosen=self.when_chosen
            )
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return
        self.status.setText("Concept bewaard om {t}".format(t=datetime.now().strftime("%H:%M")))

    def save(self) -> None:
        self._autosave.stop()
        if self.when.problem():  # a half-typed date is never saved as another one
            self.error.show_message(self.when.problem())
            self.when.setFocus()
            return
        if not self._check_travel():  # the message stands next to the fields
            self._show_travel()
            bad = self.travel_km if self.travel_problem == "travel_km" else self.travel_minutes
            bad.setFocus()
            return
        values = self.values()
        try:
            if self.contact_id is None:
                contact_id = self.caseload.contacts.add(self.client_id, **values)
            else:
                contact_id = self.caseload.contacts.update(
                    self.contact_id, expected_version=self.loaded_version, **values
                ).id
        except StaleRecord as exc:
            self.save_draft()
            self._ask_stale(exc)
            return
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            self.save_draft()
            return
        self.dirty = False
        self.saved.emit(contact_id)
        self.start_new()
        self.status.setText("Opgeslagen om {t}".format(t=datetime.now().strftime("%H:%M")))

    # --- the note changed elsewhere since it was opened -------------------------------

    def _ask_stale(self, exc: StaleRecord) -> None:
        self.stale_question = StaleQuestion(
            self,
            "Contactmoment intussen gewijzigd",
            exc.message
            + "\n\nNieuwste versie laden? Uw eigen tekst blijft in de editor staan en is als concept bewaard.",
            self.reload_newest,
            lambda: self.error.show_message(exc.message),
        )
        self.stale_question.open()

    def reload_newest(self) -> None:
        """Load the newest version of the note and keep the worker's typing on top."""
        if self.contact_id is None:
            return
        try:
            newest = self.caseload.contacts.get(self.contact_id)
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return
        merged, both = merge_typing(self.loaded, self.values(), form_values(newest))
        self.loaded, self.loaded_version = form_values(newest), newest.version
        self._load(merged, "Contactmoment bewerken")
        self.dirty = True
        self.save_draft()
        message = (
            "De nieuwste versie is geladen; uw eigen wijzigingen staan er nog in. "
            "Controleer de notitie en sla opnieuw op."
        )
        if both:
            names = ", ".join(FIELD_NAMES.get(name, name) for name in both)
            message += (
                f" Ook elders gewijzigd: {names}. Hier staat uw tekst; "
                "opslaan vervangt de andere wijziging."
            )
        self.error.show_message(message)
