"""Overzicht: the client's data, hulpvraag, open actions, recent contacts and the wheel."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.caseload import Caseload
from brugdesk.domain import instruments, pick_lists
from brugdesk.domain.assessments import domain_changes, scale_result_of, wheel_pair
from brugdesk.domain.client_rules import GP_SOURCES
from brugdesk.domain.life_domains import DEFAULT_INSTRUMENT
from brugdesk.domain.meldcode_rules import steps_done_text
from brugdesk.domain.pick_lists import closure_text
from brugdesk.domain.records import AssessmentRecord, ClientRecord, age_on
from brugdesk.errors import BrugdeskError
from brugdesk.ui.dossier.wheel import DomainWheel, Series
from brugdesk.ui.kit.confirm import confirm
from brugdesk.ui.kit.widgets import ErrorLabel, heading, hint, plain_label, user_message
from brugdesk.ui.models.caseload_model import format_date
from brugdesk.ui.models.dossier_models import first_line

#: Why the meldcode log stays closed until a deliberate click.
MELDCODE_WHY = "Alleen openen als je signalen van huiselijk geweld of kindermishandeling vastlegt."


class OverviewTab(QWidget):
    start_conversation = Signal()
    open_client_view = Signal()
    read_conversations = Signal()
    open_meldcode = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, QLabel] = {}
        grid = QFormLayout()
        # In a narrow column a long value goes under its label instead of past the edge.
        grid.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for key, label in (
            ("born", "Geboren"),
            ("address", "Adres"),
            ("phone", "Telefoon"),
            ("email", "E-mail"),
            ("language", "Voorkeurstaal"),
            ("referrer", "Verwezen door"),
            ("themes", "Thema's"),
            ("gp", "Huisartscontacten"),
            ("period", "In zorg"),
            ("closure", "Afgesloten"),
        ):
            value = plain_label()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            grid.addRow(label + ":", value)
        self.reason = plain_label()
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_actions = plain_label()
        self.open_actions.setWordWrap(True)
        self.contacts = plain_label()
        self.contacts.setWordWrap(True)
        self.wheel = DomainWheel()
        self.history = plain_label()
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
        # A conversation stored by mistake can be deleted (with a question first).
        self.caseload: Caseload | None = None
        self.conversations = QComboBox()
        self.conversations.setObjectName("conversationPick")
        self.delete_conversation_button = QPushButton("Gesprek verwijderen…")
        self.delete_conversation_button.clicked.connect(self.delete_conversation)
        self.conversation_error = ErrorLabel()
        # The meldcode: only which steps are done; the log opens after a deliberate click.
        self.meldcode_steps = plain_label()
        self.meldcode_steps.setObjectName("meldcodeSteps")
        self.meldcode_steps.setWordWrap(True)
        self.meldcode_button = QPushButton("Meldcode-stappen openen…")
        self.meldcode_button.setToolTip(MELDCODE_WHY)
        self.meldcode_button.clicked.connect(self.open_meldcode.emit)

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
        left.addWidget(heading("Meldcode", 11))
        left.addWidget(self.meldcode_steps)
        left.addWidget(hint(MELDCODE_WHY))
        meldcode_row = QHBoxLayout()
        meldcode_row.addWidget(self.meldcode_button)
        meldcode_row.addStretch(1)
        left.addLayout(meldcode_row)
        left.addStretch()
        right = QVBoxLayout()
        buttons = QHBoxLayout()
        buttons.addWidget(heading("Leefgebieden", 11), 1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.view_button)
        right.addLayout(buttons)
        right.addWidget(self.wheel, 3)
        talks = QHBoxLayout()
        talks.addWidget(heading("Gesprekken", 11), 1)
        self.read_button = QPushButton("Gesprekken &teruglezen…")
        self.read_button.clicked.connect(self.read_conversations.emit)
        talks.addWidget(self.read_button)
        right.addLayout(talks)
        # A long history scrolls instead of pushing the wheel's legend under the heading.
        history_scroll = QScrollArea()
        history_scroll.setWidget(self.history)
        history_scroll.setWidgetResizable(True)
        history_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        history_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        history_scroll.setMinimumHeight(60)
        right.addWidget(history_scroll, 2)
        pick = QHBoxLayout()
        pick.addWidget(self.conversations, 1)
        pick.addWidget(self.delete_conversation_button)
        right.addLayout(pick)
        right.addWidget(self.conversation_error)
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
        if c.referrer_name:
            kind = pick_lists.label(pick_lists.referrer_kinds(), c.referrer_kind)
            referred = f", verwezen op {format_date(c.referred_on)}" if c.referred_on else ""
            self.fields["referrer"].setText(f"{c.referrer_name} ({kind}){referred}")
        else:
            referred = f" (verwezen op {format_date(c.referred_on)})" if c.referred_on else ""
            self.fields["referrer"].setText("—" + referred)
        self.fields["themes"].setText(
            ", ".join(pick_lists.label(pick_lists.themes(), t) for t in c.themes) or "—"
        )
        self.fields["gp"].setText(gp_text(c))
        self.fields["period"].setText(f"sinds {format_date(c.started_on)}")
        self.fields["closure"].setText(
            f"{format_date(c.closed_on)} — {closure_text(c.closure_code, c.closure_reason)}"
            if c.status == "afgesloten"
            else "—"
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
        self.caseload = caseload
        self.conversations.clear()
        for a in reversed(assessments):
            title = instruments.get(a.instrument_id, a.instrument_version).title
            self.conversations.addItem(f"{a.held_on:%d-%m-%Y} · {title}", a.id)
        self.conversations.setVisible(bool(assessments))
        self.delete_conversation_button.setVisible(bool(assessments))
        self.read_button.setEnabled(bool(assessments))
        self.show_meldcode(caseload, c.id)

    def show_meldcode(self, caseload: Caseload, client_id: int) -> None:
        """Which meldcode steps are done — never a word of what was written at them."""
        self.meldcode_steps.setText(steps_done_text(caseload.meldcode.steps_done(client_id)))

    def delete_conversation(self) -> None:
        caseload, assessment_id = self.caseload, self.conversations.currentData()
        if caseload is None or assessment_id is None:
            return
        label = self.conversations.currentText()
        question = (
            f"Het gesprek van {label} verwijderen, met alles wat erin is vastgelegd? "
            "Acties die eruit zijn voortgekomen blijven op het tabblad Plan staan.\n\n"
            "Dit kan niet ongedaan worden gemaakt."
        )

        def delete() -> None:
            try:
                caseload.assessments.delete(assessment_id)
            except BrugdeskError as exc:
                self.conversation_error.show_message(user_message(exc))
                return
            self.conversation_error.show_message("")

        confirm(self, "Gesprek verwijderen", question, "Verwijderen", delete)


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


def gp_text(c: ClientRecord) -> str:
    """The reported GP consultation figures, marked as reported (never from the GP's file)."""
    parts = []
    if c.gp_before is not None:
        parts.append(f"{c.gp_before} in de 12 maanden vóór de verwijzing")
    if c.gp_after is not None:
        period = f"{c.gp_after_months} maanden" if c.gp_after_months else "de periode"
        parts.append(f"{c.gp_after} in {period} daarna")
    if not parts:
        return "—"
    source = GP_SOURCES.get(c.gp_source, "")
    return "; ".join(parts) + (f" (gemeld {source})" if source else " (gemeld)")
