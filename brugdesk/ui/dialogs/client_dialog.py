"""New/edit client, with the core's validation shown next to each field as you type."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.caseload import Caseload
from brugdesk.domain import pick_lists
from brugdesk.domain.client_rules import GP_SOURCES, clean_client_fields
from brugdesk.domain.draft_keys import (
    client_form_draft_key,
    client_referrer_draft_key,
    close_dossier_draft_key,
)
from brugdesk.domain.records import ClientRecord, merge_typing
from brugdesk.domain.retention_rules import ERASURE_REASONS
from brugdesk.errors import BrugdeskError, StaleRecord, ValidationError
from brugdesk.ui.dialogs.referrers_dialog import ReferrerDialog, referrer_label
from brugdesk.ui.kit.colours import css, warning_colour
from brugdesk.ui.kit.drafting import Drafting
from brugdesk.ui.kit.widgets import (
    BusyBar,
    DateEdit,
    ErrorLabel,
    StaleQuestion,
    button_box,
    hint,
    plain_text,
    qdate,
    roomy_labels,
    scrolled,
    to_date,
    user_message,
)
from brugdesk.ui.tasks import Tasks

LINE_FIELDS = [
    ("given_name", "&Voornaam *"),
    ("family_name", "&Achternaam *"),
    ("date_of_birth", "&Geboortedatum"),
    ("address", "A&dres"),
    ("postal_code", "&Postcode"),
    ("city", "&Woonplaats"),
    ("phone", "&Telefoon"),
    ("email", "&E-mail"),
    ("preferred_language", "Voorkeurs&taal"),
    ("referred_on", "Verwijs&datum"),
]
#: The GP figures: typed as whole numbers, next to each other on the second tab.
GP_FIELDS = ("gp_before", "gp_after", "gp_after_months")
#: Fields on the second tab, "Verwijzing en thema's".
REFERRAL_TAB_FIELDS = ("referrer_id", "referred_on", "themes", *GP_FIELDS, "gp_source")
FIELD_NAMES = {
    **{name: label.replace("&", "").rstrip(" *") for name, label in LINE_FIELDS},
    "referrer_id": "Verwezen door",
    "status": "Status",
    "reason": "Hulpvraag",
    "themes": "Thema's",
    "gp_before": "Huisartscontacten vóór de verwijzing",
    "gp_after": "Huisartscontacten na de verwijzing",
    "gp_after_months": "Periode na de verwijzing",
    "gp_source": "Gemeld door",
}


def form_values(client: ClientRecord | None) -> dict[str, Any]:
    """The form as filled from *client* (the representation ``values()`` returns)."""
    if client is None:
        return {}
    values: dict[str, Any] = {name: getattr(client, name) or "" for name, _ in LINE_FIELDS}
    for name in ("date_of_birth", "referred_on"):
        day = getattr(client, name)
        values[name] = day.strftime("%d-%m-%Y") if day else ""
    values.update(referrer_id=client.referrer_id, reason=client.reason, status=client.status)
    values["themes"] = list(client.themes)
    for name in GP_FIELDS:
        number = getattr(client, name)
        values[name] = "" if number is None else str(number)
    values["gp_source"] = client.gp_source or ""
    return values


class ClientDialog(Drafting, QDialog):
    saved = Signal(int)
    #: The worker chose the existing client with the same name and date of birth.
    open_existing = Signal(int)

    def __init__(
        self,
        caseload: Caseload,
        client: ClientRecord | None = None,
        parent: QWidget | None = None,
        tasks: Tasks | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.caseload = caseload
        self.client = client
        #: The form as loaded from the vault, and the row version it came from.
        self.loaded = form_values(client)
        self.loaded_version = client.version if client else None
        #: The question asked when the client changed elsewhere meanwhile.
        self.stale_question: QMessageBox | None = None
        self.draft_key = client_form_draft_key(client.id if client else None)
        self.draft_client = self.reopen_record = client.id if client else None
        self.reopen_kind = "client-form"
        self.setWindowTitle("Cliënt bewerken" if client else "Nieuwe cliënt")
        self.setMinimumWidth(560)
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, ErrorLabel] = {}
        #: The "Nieuwe verwijzer…" form while it is open.
        self.referrer_form: ReferrerDialog | None = None
        form = QFormLayout()
        refer_form = QFormLayout()
        for name, label in LINE_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(name)
            if name in ("date_of_birth", "referred_on"):
                edit.setPlaceholderText("dd-mm-jjjj")
            if name == "postal_code":
                edit.setPlaceholderText("1234 AB")
            self.edits[name] = edit
            if name != "referred_on":
                form.addRow(label, self._with_error(name, edit))
            edit.textChanged.connect(self._changed)
        self.referrer = QComboBox()
        self.referrer.setObjectName("referrer_id")
        self.referrer.addItem("— onbekend —", None)
        for entry in caseload.referrers.fetch():
            self.referrer.addItem(referrer_label(entry), entry.id)
        self.referrer.currentIndexChanged.connect(self._changed)
        self.referrer.setMinimumContentsLength(24)
        self.referrer.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.new_referrer_button = QPushButton("Nieuwe &verwijzer…")
        self.new_referrer_button.clicked.connect(lambda: self.new_referrer())
        referrer_row = QWidget()
        row = QHBoxLayout(referrer_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.referrer, 1)
        row.addWidget(self.new_referrer_button)
        refer_form.addRow("Verwezen &door", self._with_error("referrer_id", referrer_row))
        refer_form.addRow(
            "Verwijs&datum", self._with_error("referred_on", self.edits["referred_on"])
        )
        self.theme_boxes: dict[str, QCheckBox] = {}
        themes = QWidget()
        grid = QGridLayout(themes)
        grid.setContentsMargins(0, 0, 0, 0)
        for choice in pick_lists.themes():
            self._add_theme(grid, choice.id, choice.label)
        refer_form.addRow("&Thema's", self._with_error("themes", themes))
        self.theme_grid = grid
        roomy_labels(refer_form)
        self.gp_edits: dict[str, QLineEdit] = {}
        for name in GP_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.setMaximumWidth(70)
            edit.textChanged.connect(self._changed)
            self.gp_edits[name] = edit
        self.gp_source = QComboBox()
        self.gp_source.setObjectName("gp_source")
        self.gp_source.addItem("— niet ingevuld —", "")
        self.gp_source.addItem("de praktijk", "praktijk")
        self.gp_source.addItem("de cliënt", "client")
        assert {self.gp_source.itemData(i) for i in (1, 2)} == set(GP_SOURCES)
        self.gp_source.currentIndexChanged.connect(self._changed)
        after = QWidget()
        after_row = QHBoxLayout(after)
        after_row.setContentsMargins(0, 0, 0, 0)
        after_row.addWidget(self._with_error("gp_after", self.gp_edits["gp_after"]))
        months_label = QLabel("&over")
        months_label.setBuddy(self.gp_edits["gp_after_months"])
        line_height = self.gp_edits["gp_after"].sizeHint().height()
        for word in (months_label, QLabel("maanden")):
            word.setMinimumHeight(line_height)  # level with the fields, above their messages
            if word is not months_label:
                after_row.addWidget(
                    self._with_error("gp_after_months", self.gp_edits["gp_after_months"])
                )
            after_row.addWidget(word, 0, Qt.AlignmentFlag.AlignTop)
        after_row.addStretch()
        self.gp_group = QGroupBox("Huisartscontacten (gemeld)")
        gp_form = QFormLayout(self.gp_group)
        gp_form.addRow(
            "In de 12 maanden &vóór de verwijzing",
            self._with_error("gp_before", self.gp_edits["gp_before"]),
        )
        gp_form.addRow("&Na de verwijzing", after)
        gp_form.addRow("Gemeld &door", self._with_error("gp_source", self.gp_source))
        gp_form.addRow(
            hint(
                "Aantallen consulten zoals de praktijk of de cliënt ze noemt; niet uit het "
                "dossier van de huisarts. Alles op dit tabblad is vrijwillig."
            )
        )
        roomy_labels(gp_form)
        self.status = QComboBox()
        for status in ("aangemeld", "actief"):
            self.status.addItem(status, status)
        self.status.currentIndexChanged.connect(self._changed)
        if client is None or client.status != "afgesloten":
            form.addRow("&Status", self.status)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("Waarmee wil de cliënt geholpen worden?")
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(110)
        self.reason.textChanged.connect(self._changed)
        form.addRow("&Hulpvraag", self._with_error("reason", self.reason))
        roomy_labels(form)  # "&Telefoon" whole, not "Telefoo"

        self.general_error = ErrorLabel()
        self.restored = hint("")
        self.restored.hide()
        self.buttons = button_box("Opslaan", self.submit, self.cancel)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.addLayout(form)
        details_layout.addStretch()
        referral = QWidget()
        referral_layout = QVBoxLayout(referral)
        referral_layout.addLayout(refer_form)
        referral_layout.addWidget(self.gp_group)
        referral_layout.addStretch()
        self.tabs = QTabWidget()
        self.tabs.addTab(details, "&Gegevens")
        # in a scroll area: messages that wrap get their height, and a small screen scrolls
        self.tabs.addTab(scrolled(referral), "Verwijzing en t&hema's")
        self.tabs.currentChanged.connect(lambda _i: self.validate())
        layout = QVBoxLayout(self)
        layout.addWidget(self.restored)
        layout.addWidget(self.tabs)
        layout.addWidget(hint("Velden met * zijn verplicht. Een BSN wordt niet bewaard."))
        layout.addWidget(self.general_error)
        self._add_duplicate_panel(layout)
        layout.addWidget(self.buttons)
        self.delete_button: QPushButton | None = None
        self.delete_dialog: DeleteClientDialog | None = None
        if client is not None:
            self.delete_button = QPushButton("Cliënt verwijderen…")
            self.delete_button.clicked.connect(self.ask_delete)
            self.buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.validate)
        self._fill(client)
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

    def _add_theme(self, grid: QGridLayout, ident: str, text: str) -> QCheckBox:
        box = QCheckBox(text)
        box.setObjectName(f"theme-{ident}")
        box.toggled.connect(self._changed)
        at = len(self.theme_boxes)
        grid.addWidget(box, at // 2, at % 2)
        self.theme_boxes[ident] = box
        return box

    def _fill(self, client: ClientRecord | None) -> None:
        self._set_values(form_values(client))
        draft = self.start_drafting()
        if draft is not None:
            self.restored.setText(
                "Niet-opgeslagen invoer van {t} is teruggezet.".format(
                    t=draft.updated_at.strftime("%d-%m %H:%M")
                )
            )
            self.restored.show()

    def draft_values(self) -> dict[str, Any]:
        return self.values()

    def restore_draft(self, values: dict[str, Any]) -> None:
        self._set_values({**form_values(self.client), **values})

    def _set_values(self, values: dict[str, Any]) -> None:
        for name, edit in self.edits.items():
            edit.setText(str(values.get(name) or ""))
        self.reason.setPlainText(values.get("reason") or "")
        self._select(self.referrer, values.get("referrer_id"))
        self._select(self.status, values.get("status") or "aangemeld")
        chosen = set(values.get("themes") or ())
        for ident in chosen - set(self.theme_boxes):  # taken off the organisation's list
            self._add_theme(self.theme_grid, ident, ident)
        for ident, box in self.theme_boxes.items():
            box.setChecked(ident in chosen)
        for name, edit in self.gp_edits.items():
            edit.setText(str(values.get(name) or ""))
        self._select(self.gp_source, values.get("gp_source") or "")

    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        index = 0 if value is None else combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    def values(self) -> dict[str, Any]:
        data: dict[str, Any] = {name: edit.text() for name, edit in self.edits.items()}
        data["referrer_id"] = self.referrer.currentData()
        data["themes"] = [ident for ident, box in self.theme_boxes.items() if box.isChecked()]
        data.update({name: edit.text() for name, edit in self.gp_edits.items()})
        data["gp_source"] = self.gp_source.currentData() or ""
        data["reason"] = plain_text(self.reason)
        if self.client is None or self.client.status != "afgesloten":
            data["status"] = self.status.currentData()
        return data

    def _changed(self) -> None:
        self._timer.start()

    def validate(self) -> bool:
        try:
            clean_client_fields(self.values())
            errors: dict[str, str] = {}
        except ValidationError as exc:
            errors = exc.errors
        for name, label in self.errors.items():
            label.show_message(errors.get(name, ""))
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not errors)
        elsewhere = [name for name in errors if name in REFERRAL_TAB_FIELDS]
        if self.tabs.currentIndex() == 0 and elsewhere:  # the message sits on the other tab
            self.general_error.show_message(
                "Verbeter eerst het tabblad ‘Verwijzing en thema's’: "
                + ", ".join(FIELD_NAMES.get(name, name) for name in elsewhere)
                + "."
            )
        elif self.general_error.text().startswith("Verbeter eerst het tabblad"):
            self.general_error.show_message("")
        return not errors

    def submit(self) -> None:
        if not self.validate():
            return
        if self.client is None and not self.allow_duplicate and self._show_duplicate():
            return
        try:
            if self.client is None:
                client_id = self.caseload.clients.create(**self.values())
            else:
                client_id = self.caseload.clients.update(
                    self.client.id, expected_version=self.loaded_version, **self.values()
                ).id
            self.caseload.drafts.discard(self.draft_key)
        except StaleRecord as exc:
            self.save_draft()
            self._ask_stale(exc)
            return
        except BrugdeskError as exc:
            self.general_error.show_message(user_message(exc))
            return
        self.accept()
        self.saved.emit(client_id)

    def cancel(self) -> None:
        self.reject()  # asks first when typing would be lost; Weggooien discards the draft

    # --- a referrer that is not in the list yet ----------------------------------------

    def new_referrer(self) -> ReferrerDialog:
        """'Nieuwe verwijzer…': the referrer form; the entry it saves is chosen here."""
        if self.referrer_form is not None and self.referrer_form.isVisible():
            return self.referrer_form
        form = ReferrerDialog(
            self.caseload,
            None,
            self,
            for_client=self.client.id if self.client else None,
            from_client_form=True,
        )
        form.saved.connect(self._referrer_added)
        self.referrer_form = form
        form.open()
        return form

    def _referrer_added(self, referrer_id: int) -> None:
        try:
            entry = self.caseload.referrers.get(referrer_id)
        except BrugdeskError as exc:
            self.general_error.show_message(user_message(exc))
            return
        index = self.referrer.findData(referrer_id)
        if index < 0:
            self.referrer.addItem(referrer_label(entry), referrer_id)
            index = self.referrer.count() - 1
        self.referrer.setCurrentIndex(index)  # the rest of the typing stays as it is
        self.validate()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        key = client_referrer_draft_key(self.client.id if self.client else None)
        if self.referrer_form is None and self.caseload.drafts.get(key) is not None:
            # A lock closed the "Nieuwe verwijzer…" form with typing in it: back it comes.
            self.tabs.setCurrentIndex(1)
            self.new_referrer()

    # --- the same person already in the caseload ------------------------------------

    def _add_duplicate_panel(self, layout: QVBoxLayout) -> None:
        self.allow_duplicate = False
        self.existing_id: int | None = None
        self.duplicate_panel = QWidget()
        self.duplicate_panel.setObjectName("duplicatePanel")
        self.duplicate_text = QLabel()
        self.duplicate_text.setTextFormat(Qt.TextFormat.PlainText)
        self.duplicate_text.setWordWrap(True)
        self.duplicate_text.setStyleSheet(css(warning_colour))
        self.open_existing_button = QPushButton("Bestaande cliënt openen")
        self.open_existing_button.clicked.connect(self._open_existing)
        self.create_anyway_button = QPushButton("Toch nieuw aanmaken")
        self.create_anyway_button.clicked.connect(self._create_anyway)
        row = QHBoxLayout(self.duplicate_panel)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.duplicate_text, 1)
        row.addWidget(self.open_existing_button)
        row.addWidget(self.create_anyway_button)
        self.duplicate_panel.hide()
        layout.addWidget(self.duplicate_panel)

    def _show_duplicate(self) -> bool:
        """Warn (and stop) when a client with this name and date of birth exists."""
        values = self.values()
        try:
            same = self.caseload.clients.find_same(
                values["given_name"], values["family_name"], values["date_of_birth"]
            )
        except BrugdeskError as exc:
            self.general_error.show_message(user_message(exc))
            return True
        if not same:
            return False
        existing = same[0]
        self.existing_id = existing.id
        born = existing.date_of_birth.strftime("%d-%m-%Y") if existing.date_of_birth else "onbekend"
        self.duplicate_text.setText(
            f"Er is al een cliënt {existing.full_name}, geboren {born} (status: "
            f"{existing.status}). Open die cliënt, of maak toch een nieuwe aan als het "
            "een ander persoon is."
        )
        self.duplicate_panel.show()
        return True

    def _open_existing(self) -> None:
        if self.existing_id is None:
            return
        existing_id = self.existing_id
        self.caseload.drafts.discard(self.draft_key)
        self.done(QDialog.DialogCode.Rejected)  # the worker chose the existing one: nothing to ask
        self.open_existing.emit(existing_id)

    def _create_anyway(self) -> None:
        self.allow_duplicate = True
        self.duplicate_panel.hide()
        self.submit()

    # --- deleting the client (typing the name to confirm) ----------------------------

    def ask_delete(self) -> DeleteClientDialog | None:
        if self.client is None:
            return None
        dialog = DeleteClientDialog(self.caseload, self.client, self, tasks=self.tasks)
        dialog.deleted.connect(self._deleted)
        self.delete_dialog = dialog
        dialog.open()
        return dialog

    def _deleted(self, _client_id: int) -> None:
        self._timer.stop()
        self.reject()  # the client and its drafts are gone; nothing to keep

    # --- the client changed elsewhere since this form was filled -------------------

    def _ask_stale(self, exc: StaleRecord) -> None:
        self.stale_question = StaleQuestion(
            self,
            "Gegevens intussen gewijzigd",
            exc.message
            + "\n\nNieuwste versie laden? Uw eigen invoer blijft in het formulier staan en is als concept bewaard.",
            self.reload_newest,
            lambda: self.general_error.show_message(exc.message),
        )
        self.stale_question.open()

    def reload_newest(self) -> None:
        """Load the newest version and keep the worker's typing on top of it."""
        assert self.client is not None
        try:
            newest = self.caseload.clients.get(self.client.id)
        except BrugdeskError as exc:
            self.general_error.show_message(user_message(exc))
            return
        merged, both = merge_typing(self.loaded, self.values(), form_values(newest))
        self.client = newest
        self.loaded = form_values(newest)
        self.loaded_version = newest.version
        self._set_values(merged)
        self.save_draft()
        message = (
            "De nieuwste versie is geladen; uw eigen wijzigingen staan er nog in. "
            "Controleer het formulier en klik opnieuw op Opslaan."
        )
        if both:
            names = ", ".join(FIELD_NAMES.get(name, name) for name in both)
            message += (
                f" Ook elders gewijzigd: {names}. Hier staat uw invoer; "
                "opslaan vervangt de andere wijziging."
            )
        self.general_error.show_message("")
        self.restored.setText(message)
        self.restored.show()


class DeleteClientDialog(QDialog):
    """Deleting a client erases everything about them: the worker types the name first.

    Erasing rewrites the whole database (no trace may remain in free pages), a few
    seconds for a large caseload, so it runs on the thread pool when there is one.
    """

    deleted = Signal(int)

    def __init__(
        self,
        caseload: Caseload,
        client: ClientRecord,
        parent: QWidget | None = None,
        *,
        tasks: Tasks | None = None,
    ):
        super().__init__(parent)
        self.caseload = caseload
        self.client = client
        self.tasks = tasks
        self.setWindowTitle("Cliënt verwijderen")
        explain = QLabel(
            f"Alles over {client.full_name} wordt gewist: gegevens, contactmomenten, "
            "gesprekken, plan, verwijzingen en toestemmingen. Dit kan niet ongedaan worden "
            "gemaakt; alleen een eerdere back-up bevat de gegevens nog.\n\n"
            f"Typ ter bevestiging de naam: {client.full_name}"
        )
        explain.setTextFormat(Qt.TextFormat.PlainText)
        explain.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setPlaceholderText(client.full_name)
        # Why: asked every time, no default (only the reason's code goes into the audit).
        self.reason = QComboBox()
        self.reason.setAccessibleName("Reden van verwijderen")
        for code, label in ERASURE_REASONS:
            self.reason.addItem(label, code)
        self.reason.setPlaceholderText("Kies de reden…")
        self.reason.setCurrentIndex(-1)
        self.reason.currentIndexChanged.connect(lambda _i: self._check())
        self.error = ErrorLabel()
        self.buttons = button_box("Definitief verwijderen", self.submit, self.reject, save=False)
        self.delete_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.delete_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.name.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        self.busy = BusyBar()
        self.busy.hide()
        layout.addWidget(explain)
        layout.addWidget(self.name)
        layout.addWidget(QLabel("Reden van verwijderen:"))
        layout.addWidget(self.reason)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _matches(self) -> bool:
        return " ".join(self.name.text().split()) == " ".join(self.client.full_name.split())

    def _check(self) -> None:
        self.delete_button.setEnabled(self._matches() and self.reason.currentIndex() >= 0)

    def submit(self) -> None:
        if not self._matches() or self.reason.currentIndex() < 0:
            return
        caseload, client_id, reason = self.caseload, self.client.id, self.reason.currentData()
        if self.tasks is None:
            try:
                caseload.clients.delete(client_id, reason=reason)
            except BrugdeskError as exc:
                self._failed(exc)
                return
            self._done(None)
            return
        if self.tasks.run(
            "delete-client",
            lambda: caseload.clients.delete(client_id, reason=reason),
            self._done,
            self._failed,
        ):
            self.busy.show()
            self.name.setEnabled(False)
            self.reason.setEnabled(False)
            self.delete_button.setEnabled(False)
            self.error.show_message("")

    def _done(self, _result: object) -> None:
        self.busy.hide()
        self.accept()
        self.deleted.emit(self.client.id)

    def _failed(self, exc: BaseException) -> None:
        self.busy.hide()
        self.name.setEnabled(True)
        self.reason.setEnabled(True)
        self._check()
        self.error.show_message(user_message(exc))


class CloseDossierDialog(Drafting, QDialog):
    """Closing a file asks for the reason: one from the list, words where needed.

    No reason is chosen beforehand, so a file is never closed with a wrong one by
    accident. The "Toelichting" is required for "anders", and when no reason is chosen.
    """

    closed = Signal(int)

    def __init__(self, caseload: Caseload, client: ClientRecord, parent: QWidget | None = None):
        super().__init__(parent)
        self.caseload = caseload
        self.client = client
        self.draft_key = close_dossier_draft_key(client.id)
        self.draft_client = client.id
        self.reopen_kind = "close-dossier"
        self.setWindowTitle("Dossier afsluiten")
        self.setMinimumWidth(460)
        self.codes = QButtonGroup(self)
        self.choices: dict[str, QRadioButton] = {}
        choices = QVBoxLayout()
        for choice in pick_lists.closure_reasons():
            button = QRadioButton(choice.label)
            button.setObjectName(f"closure-{choice.id}")
            self.codes.addButton(button)
            self.choices[choice.id] = button
            choices.addWidget(button)
        self.codes.buttonToggled.connect(self._code_changed)
        self.reason_label = QLabel("&Toelichting")
        self.reason = QPlainTextEdit()
        self.reason.setMaximumHeight(90)
        self.reason.setTabChangesFocus(True)
        self.reason_label.setBuddy(self.reason)
        self.reason_error = ErrorLabel()
        self.reason.textChanged.connect(lambda: self.reason_error.show_message(""))
        self.closed_on = DateEdit(qdate(date.today()))
        self.closed_on.setCalendarPopup(True)
        self.closed_on.setDisplayFormat("dd-MM-yyyy")
        self.closed_on.setMaximumWidth(160)
        self.closed_on_error = ErrorLabel()
        self.closed_on.textChanged.connect(lambda: self.closed_on_error.show_message(""))
        when = QHBoxLayout()
        when_label = QLabel("Datum van af&sluiten")
        when_label.setBuddy(self.closed_on)
        when.addWidget(when_label)
        when.addWidget(self.closed_on)
        when.addStretch()
        self.error = ErrorLabel()
        buttons = button_box("Afsluiten", self.submit, self.reject, save=False)
        layout = QVBoxLayout(self)
        layout.addWidget(hint(f"Waarom wordt het dossier van {client.full_name} afgesloten?"))
        layout.addLayout(choices)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.reason_error)
        layout.addLayout(when)
        layout.addWidget(self.closed_on_error)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._code_changed()
        self.start_drafting()

    def code(self) -> str:
        return next((code for code, b in self.choices.items() if b.isChecked()), "")

    def _needs_text(self) -> bool:
        code = self.code()
        return not code or any(c.id == code and c.needs_text for c in pick_lists.closure_reasons())

    def _code_changed(self, *_args: Any) -> None:
        needed = self._needs_text()
        self.reason_label.setText("&Toelichting *" if needed else "&Toelichting")
        self.reason.setPlaceholderText(
            "Schrijf kort waarom het dossier wordt afgesloten."
            if needed
            else "Eventueel een toelichting (niet verplicht)."
        )
        if not needed:
            self.reason_error.show_message("")

    def draft_values(self) -> dict[str, Any]:
        return {
            "code": self.code(),
            "reason": plain_text(self.reason),
            "closed_on": self.closed_on.text(),
        }

    def restore_draft(self, values: dict[str, Any]) -> None:
        button = self.choices.get(values.get("code") or "")
        if button is not None:
            button.setChecked(True)
        self.reason.setPlainText(values["reason"])
        day = QDate.fromString(values.get("closed_on") or "", "dd-MM-yyyy")
        if day.isValid():
            self.closed_on.setDate(day)

    def submit(self) -> None:
        if self.closed_on.problem():  # a half-typed date is never saved as another one
            self.closed_on_error.show_message(self.closed_on.problem())
            self.closed_on.setFocus()
            return
        try:
            self.caseload.clients.close(
                self.client.id,
                plain_text(self.reason),
                to_date(self.closed_on.date()),
                code=self.code(),
            )
        except ValidationError as exc:
            self.reason_error.show_message(exc.errors.get("closure_reason", ""))
            self.closed_on_error.show_message(exc.errors.get("closed_on", ""))
            rest = [m for k, m in exc.errors.items() if k not in ("closure_reason", "closed_on")]
            self.error.show_message(" ".join(rest))
            if "closure_reason" in exc.errors:
                self.reason.setFocus()
            return
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return
        self.accept()
        self.closed.emit(self.client.id)
