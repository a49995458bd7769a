"""A client's dossier: Overzicht, Contactmomenten and Plan tabs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.caseload import Caseload
from brugdesk.domain import instruments
from brugdesk.domain.assessments import domain_changes, scale_result_of, wheel_pair
from brugdesk.domain.changes import (
    ACTION,
    ASSESSMENT,
    CLIENT,
    CONSENT,
    CONTACT,
    PARTNER,
    REFERRAL,
    Changes,
)
from brugdesk.domain.client_rules import REFERRER_LABELS
from brugdesk.domain.life_domains import DEFAULT_INSTRUMENT, DOMAINS
from brugdesk.domain.records import AssessmentRecord, ClientRecord, age_on
from brugdesk.errors import BrugdeskError
from brugdesk.ui.dossier.client_view import ClientView
from brugdesk.ui.dossier.note_editor import NoteEditor
from brugdesk.ui.dossier.wheel import DomainWheel, Series
from brugdesk.ui.kit.widgets import ErrorLabel, heading, hint, user_message
from brugdesk.ui.models.caseload_model import format_date
from brugdesk.ui.models.dossier_models import ActionsModel, ContactsModel, first_line

#: The tabs after the overview, by position.
CONTACTS_TAB, PLAN_TAB, REFERRALS_TAB = 1, 2, 3

if TYPE_CHECKING:
    from brugdesk.ui.dossier.referrals_tab import ReferralsTab


def _table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    return view


class OverviewTab(QWidget):
    start_conversation = Signal()
    open_client_view = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, QLabel] = {}
        grid = QFormLayout()
        for key, label in (
            ("born", "Geboren"),
            ("address", "Adres"),
            ("phone", "Telefoon"),
            ("email", "E-mail"),
            ("language", "Voorkeurstaal"),
            ("referrer", "Verwezen door"),
            ("period", "In zorg"),
            ("closure", "Afgesloten"),
        ):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            grid.addRow(label + ":", value)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_actions = QLabel()
        self.open_actions.setWordWrap(True)
        self.contacts = QLabel()
        self.contacts.setWordWrap(True)
        self.wheel = DomainWheel()
        self.history = QLabel()
        self.history.setObjectName("assessmentHistory")
        self.history.setWordWrap(True)
        self.history.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.start_button = QPushButton("&Gesprek starten…")
        self.start_button.clicked.connect(self.start_conversation.emit)
        self.view_button = QPushButton("Cliënt&weergave")
        self.view_button.setToolTip(
            "Het wiel schermvullend, om de laptop naar de cliënt te draaien (Esc om terug te gaan)"
        )
        self.view_button.clicked.connect(self.open_client_view.emit)

        left = QVBoxLayout()
        left.addLayout(grid)
        left.addSpacing(6)
        for title, widget in (
            ("Hulpvraag", self.reason),
            ("Open acties", self.open_actions),
            ("Recente contacten", self.contacts),
        ):
            left.addWidget(heading(title, 11))
            left.addWidget(widget)
            left.addSpacing(4)
        left.addStretch()
        right = QVBoxLayout()
        buttons = QHBoxLayout()
        buttons.addWidget(heading("Leefgebieden", 11), 1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.view_button)
        right.addLayout(buttons)
        right.addWidget(self.wheel, 1)
        right.addWidget(heading("Gesprekken", 11))
        right.addWidget(self.history)
        layout = QHBoxLayout(self)
        left_box = QWidget()
        left_box.setLayout(left)
        scroll = QScrollArea()  # long texts scroll instead of being clipped
        scroll.setWidget(left_box)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(scroll, 3)
        layout.addLayout(right, 5)

    def show_client(self, caseload: Caseload, c: ClientRecord) -> None:
        from datetime import date

        age = age_on(c.date_of_birth, date.today())
        born = format_date(c.date_of_birth)
        self.fields["born"].setText(f"{born} ({f'{age} jaar'})" if born else "—")
        address = ", ".join(
            x for x in (c.address, " ".join(filter(None, (c.postal_code, c.city)))) if x
        )
        self.fields["address"].setText(address or "—")
        self.fields["phone"].setText(c.phone or "—")
        self.fields["email"].setText(c.email or "—")
        self.fields["language"].setText(c.preferred_language or "—")
        referrer = REFERRER_LABELS.get(c.referrer_kind, c.referrer_kind)
        self.fields["referrer"].setText(
            f"{referrer}: {c.referrer_name}" if c.referrer_name else referrer
        )
        self.fields["period"].setText(f"sinds {format_date(c.started_on)}")
        self.fields["closure"].setText(
            f"{format_date(c.closed_on)} — {c.closure_reason}" if c.status == "afgesloten" else "—"
        )
        self.reason.setText(c.reason or "Nog geen hulpvraag vastgelegd.")
        actions = caseload.actions.fetch(c.id, open_only=True)
        self.open_actions.setText(
            "\n".join(
                f"• {first_line(a.description, 70)}"
                + (f" ({'uiterlijk'} {format_date(a.due_on)})" if a.due_on else "")
                for a in actions[:6]
            )
            or "Geen open acties. Voeg ze toe op het tabblad Plan."
        )
        contacts = caseload.contacts.fetch(c.id, limit=5)
        self.contacts.setText(
            "\n".join(
                f"• {x.occurred_at:%d-%m-%Y} {x.kind}: {first_line(x.note, 60)}" for x in contacts
            )
            or "Nog geen contactmomenten. Leg het eerste vast op het tabblad Contactmomenten."
        )
        assessments = caseload.assessments.fetch(c.id)  # once, for wheel and history
        self.series = wheel_series(assessments)
        self.instrument = instruments.get(DEFAULT_INSTRUMENT)
        self.wheel.set_data(self.instrument, self.series)
        self.view_button.setEnabled(bool(self.series))
        self.history.setText(history_text(assessments))


def wheel_series(assessments: list[AssessmentRecord]) -> list[Series]:
    first, latest = wheel_pair(assessments, DEFAULT_INSTRUMENT)
    out = []
    for label, a in (("Eerste gesprek", first), ("Laatste gesprek", latest)):
        if a is not None:
            scores = {i.domain: i.score for i in a.items if i.score is not None}
            out.append(Series(label if latest else "Gesprek", a.held_on, scores))
    return out


def history_text(assessments: list[AssessmentRecord]) -> str:
    """Each conversation with its date, and per domain the change since the first."""
    lines = []
    for a in reversed(assessments):
        inst = instruments.get(a.instrument_id, a.instrument_version)
        if inst.kind == "scale":
            result = scale_result_of(a)
            lines.append(f"{a.held_on:%d-%m-%Y} · {inst.title}: {result.describe(inst)}")
        else:
            lines.append(
                "{d} · {t}: {n} leefgebied(en) besproken".format(
                    d=f"{a.held_on:%d-%m-%Y}", t=inst.title, n=len(a.items)
                )
            )
    if sum(a.instrument_id == DEFAULT_INSTRUMENT for a in assessments) > 1:
        inst = instruments.get(DEFAULT_INSTRUMENT)
        lines.append("Verandering sinds het eerste gesprek:")
        for ch in domain_changes(assessments, DEFAULT_INSTRUMENT):
            name = inst.part_name(ch.domain)
            if ch.first is None:
                lines.append(f"  · {name}: {ch.latest} " + "(één keer besproken)")
            else:
                lines.append(f"  {ch.arrow} {name}: {ch.first} → {ch.latest}")
    return "\n".join(lines) or "Nog geen gesprekken."


class ContactsTab(QWidget):
    def __init__(self, caseload: Caseload, client_id: int) -> None:
        super().__init__()
        self.caseload = caseload
        self.client_id = client_id
        self.model = ContactsModel(self)
        self.table = _table(self.model)
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


class PlanTab(QWidget):
    """Actions; the dossier reloads this tab when a change record names actions."""

    def __init__(self, caseload: Caseload, client_id: int) -> None:
        super().__init__()
        self.caseload = caseload
        self.client_id = client_id
        self.model = ActionsModel(self)
        self.table = _table(self.model)
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
        self.domain.addItem("(geen leefgebied)", "")
        for key, name in DOMAINS.items():
            self.domain.addItem(name, key)
        self.description = QLineEdit()
        self.description.setPlaceholderText("Wat gaat er gebeuren?")
        self.description.returnPressed.connect(self.add)
        self.who = QLineEdit()
        self.who.setPlaceholderText("cliënt, ik, partner…")
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
        remove = QPushButton("Verwijderen…")
        remove.clicked.connect(self.remove)
        self.empty = hint("Nog geen acties. Voeg hieronder de eerste afspraak toe.")

        row = QHBoxLayout()
        row.addWidget(self.domain)
        row.addWidget(self.description, 3)
        row.addWidget(self.who, 1)
        row.addWidget(self.due)
        row.addWidget(add)
        status_row = QHBoxLayout()
        status_row.addStretch()
        for button in (busy, done, remove):
            status_row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addLayout(status_row)
        layout.addWidget(heading("Nieuwe actie", 11))
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.reload()

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
        yes_no = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        box = QMessageBox(QMessageBox.Icon.Question, "Actie verwijderen", question, yes_no, self)
        box.button(QMessageBox.StandardButton.Yes).setText("Verwijderen")
        box.button(QMessageBox.StandardButton.No).setText("Behouden")
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def done(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes:
                self.caseload.actions.delete(action.id)

        box.finished.connect(done)
        box.open()


class DossierWidget(QWidget):
    """Everything about one client. The workspace hands it every change record
    (:meth:`apply_changes`); it refreshes only the tabs that show what changed."""

    edit_requested = Signal(int)
    close_requested = Signal(int)
    conversation_requested = Signal(int)
    referral_requested = Signal(int)
    dialog_requested = Signal(object)

    def __init__(self, caseload: Caseload, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.client_id = client_id
        self.client_view: ClientView | None = None
        self.title = heading("", 18)
        self.title.setObjectName("dossierTitle")
        self.subtitle = hint("")
        self.edit_button = QPushButton("Bewerken…")
        self.edit_button.clicked.connect(lambda: self.edit_requested.emit(self.client_id))
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self._close_or_reopen)
        self.overview = OverviewTab()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.overview, "&Overzicht")
        # The other tabs are built (and read) when first shown or first used, so
        # opening a dossier builds only what the worker sees first: the overview.
        self._builders: dict[int, Callable[[], QWidget]] = {
            CONTACTS_TAB: lambda: ContactsTab(caseload, client_id),
            PLAN_TAB: lambda: PlanTab(caseload, client_id),
            REFERRALS_TAB: self._build_referrals,
        }
        self._built: dict[int, QWidget] = {}
        for label in ("&Contactmomenten", "&Plan", "&Verwijzingen"):
            self.tabs.addTab(QWidget(), label)  # a placeholder until first shown
        self.tabs.currentChanged.connect(self._tab_shown)
        self.overview.start_conversation.connect(
            lambda: self.conversation_requested.emit(client_id)
        )
        self.overview.open_client_view.connect(self.show_client_view)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        header.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self.refresh()

    # --- the tabs after the overview, built when first needed ----------------------------

    @property
    def contacts(self) -> ContactsTab:
        return self._tab(CONTACTS_TAB)  # type: ignore[return-value]

    @property
    def plan(self) -> PlanTab:
        return self._tab(PLAN_TAB)  # type: ignore[return-value]

    @property
    def referrals(self) -> ReferralsTab:
        return self._tab(REFERRALS_TAB)  # type: ignore[return-value]

    def _build_referrals(self) -> QWidget:
        from brugdesk.ui.dossier.referrals_tab import ReferralsTab

        tab = ReferralsTab(self.caseload, self.client_id)
        tab.new_referral.connect(lambda: self.referral_requested.emit(self.client_id))
        tab.show_dialog.connect(self.dialog_requested.emit)
        return tab

    def _tab_shown(self, index: int) -> None:
        if index in self._builders:
            self._tab(index)

    def _tab(self, index: int) -> QWidget:
        """The tab at *index*, built and put in its placeholder's place if need be."""
        tab = self._built.get(index)
        if tab is None:
            tab = self._built[index] = self._builders[index]()
            placeholder = self.tabs.widget(index)
            label = self.tabs.tabText(index)
            current = self.tabs.currentIndex()
            with QSignalBlocker(self.tabs):
                self.tabs.removeTab(index)
                self.tabs.insertTab(index, tab, label)
                self.tabs.setCurrentIndex(current)
            if placeholder is not None:
                placeholder.deleteLater()
        return tab

    def _if_built(self, index: int) -> Any:
        return self._built.get(index)

    def refresh(self) -> None:
        from datetime import date

        client = self.caseload.clients.get(self.client_id)
        self.client = client
        self.title.setText(client.full_name)
        age = age_on(client.date_of_birth, date.today())
        bits = [client.status]
        if age is not None:
            bits.insert(0, f"{age} jaar")
        if client.referrer_name:
            bits.append(client.referrer_name)
        self.subtitle.setText(" · ".join(bits))
        closed = client.status == "afgesloten"
        self.close_button.setText("Heropenen" if closed else "Dossier afsluiten…")
        self.overview.show_client(self.caseload, client)

    def apply_changes(self, changes: Changes) -> None:
        """Refresh the tabs that show what *changes* touched (one client's kinds)."""
        mine = changes.touches_client(self.client_id)
        referrals = self._if_built(REFERRALS_TAB)  # a tab not built yet reads when it is
        if referrals and (
            changes.touches(PARTNER) or (mine and changes.touches(REFERRAL, CONSENT))
        ):
            referrals.reload()  # partner names show there too
        if not mine:
            return
        contacts, plan = self._if_built(CONTACTS_TAB), self._if_built(PLAN_TAB)
        if contacts and changes.touches(CONTACT):
            contacts.reload()
        if plan and changes.touches(ACTION):
            plan.reload()
        if changes.touches(CLIENT, CONTACT, ACTION, ASSESSMENT):
            self.refresh()  # title, and the overview shows all four

    def _close_or_reopen(self) -> None:
        if self.client.status == "afgesloten":
            self.caseload.clients.reopen(self.client_id)  # the change record refreshes
        else:
            self.close_requested.emit(self.client_id)

    def show_client_view(self) -> ClientView | None:
        if not self.overview.series:
            return None
        view = ClientView(self.overview.instrument, self.overview.series, self)
        view.finished.connect(view.deleteLater)
        self.client_view = view
        view.present()
        return view

    def close_client_view(self) -> None:
        view = self.client_view
        if view is not None and shiboken6.isValid(view):
            view.done(0)
        self.client_view = None

    def save_drafts(self) -> None:
        contacts = self._if_built(CONTACTS_TAB)
        if contacts is not None:
            contacts.editor.save_draft()

    def forget_typing(self) -> None:
        """The client is gone: keep no draft of what was typed in the note editor."""
        contacts = self._if_built(CONTACTS_TAB)
        if contacts is not None:
            contacts.editor.dirty = False
