"""The dossier's Verwijzingen tab: referrals, their status history, consent, GP feedback."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.caseload import Caseload
from brugdesk.app.gp_letter import GpLetterDraft
from brugdesk.app.letters import ExportResult, generate_password
from brugdesk.domain.draft_keys import (
    gp_letter_draft_key,
    referral_correction_draft_key,
    referral_status_draft_key,
)
from brugdesk.domain.records import ReferralRecord
from brugdesk.domain.referral_rules import allowed_next, correction_targets
from brugdesk.domain.today_rules import feedback_overdue
from brugdesk.errors import BrugdeskError
from brugdesk.ui.dossier.consents import ConsentsPanel
from brugdesk.ui.dossier.tables import record_table
from brugdesk.ui.kit.colours import error_colour
from brugdesk.ui.kit.drafting import Drafting
from brugdesk.ui.kit.widgets import (
    ErrorLabel,
    button_box,
    heading,
    hint,
    plain,
    plain_text,
    user_message,
)
from brugdesk.ui.models.caseload_model import format_date
from brugdesk.ui.models.dossier_models import RecordTableModel


class ReferralsModel(RecordTableModel):
    headers = ("Partner", "Status", "Verstuurd", "Terugkoppeling uiterlijk")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.partners: dict[int, str] = {}
        self.today = date.today()

    def display(self, r: ReferralRecord, column: int) -> str:
        if column == 0:
            return self.partners.get(r.partner_id, "?")
        if column == 1:
            return r.status
        if column == 2:
            sent = next((e.at for e in r.events if e.status == "verstuurd"), None)
            return format_date(sent)
        return format_date(r.feedback_due)

    def foreground(self, r: ReferralRecord) -> QColor | None:
        if overdue(r, self.today):
            return error_colour()
        return None


def overdue(r: ReferralRecord, today: date) -> bool:
    return feedback_overdue(r.status, r.feedback_due, today)


class StatusDialog(Drafting, QDialog):
    def __init__(self, caseload: Caseload, referral: ReferralRecord, parent=None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.referral = referral
        self.setWindowTitle("Status van de verwijzing")
        self.status = QComboBox()
        for status in allowed_next(referral.status):
            if status != "verstuurd":  # sending happens by exporting the letter
                self.status.addItem(status, status)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText("Toelichting (verplicht bij afgewezen)")
        self.error = ErrorLabel()
        buttons = button_box("Opslaan", self.submit, self.reject)
        form = QFormLayout(self)
        form.addRow("Nieuwe &status:", self.status)
        form.addRow("&Toelichting:", self.note)
        form.addRow(self.error)
        form.addRow(buttons)
        self.draft_key = referral_status_draft_key(referral.id)
        self.draft_client, self.reopen_record = referral.client_id, referral.id
        self.reopen_kind = "referral-status"
        self.start_drafting()

    def draft_values(self) -> dict[str, Any]:
        return {"status": self.status.currentData(), "note": plain_text(self.note)}

    def restore_draft(self, values: dict[str, Any]) -> None:
        self.status.setCurrentIndex(max(self.status.findData(values["status"]), 0))
        self.note.setPlainText(values["note"])

    def submit(self) -> None:
        try:
            self.caseload.referrals.set_status(
                self.referral.id, self.status.currentData(), note=plain_text(self.note)
            )
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return
        self.accept()


class CorrectionDialog(Drafting, QDialog):
    """Undo a status set by mistake: back to an earlier one, with a reason (kept in the history)."""

    def __init__(self, caseload: Caseload, referral: ReferralRecord, parent=None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.referral = referral
        self.setWindowTitle("Status corrigeren")
        self.status = QComboBox()
        for status in correction_targets([e.status for e in referral.events]):
            self.status.addItem(status, status)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Bijvoorbeeld: verkeerde verwijzing aangeklikt")
        self.error = ErrorLabel()
        form = QFormLayout(self)
        form.addRow(
            hint(
                f"De status is nu '{referral.status}'. Het verloop blijft bewaard; de correctie "
                "komt erbij te staan."
            )
        )
        form.addRow("&Terug naar:", self.status)
        form.addRow("&Reden:", self.reason)
        form.addRow(self.error)
        form.addRow(button_box("Corrigeren", self.submit, self.reject))
        self.draft_key = referral_correction_draft_key(referral.id)
        self.draft_client, self.reopen_record = referral.client_id, referral.id
        self.reopen_kind = "referral-correction"
        self.start_drafting()

    def draft_values(self) -> dict[str, Any]:
        return {"status": self.status.currentData(), "reason": self.reason.text()}

    def restore_draft(self, values: dict[str, Any]) -> None:
        index = self.status.findData(values["status"])
        if index >= 0:
            self.status.setCurrentIndex(index)
        self.reason.setText(str(values["reason"]))

    def submit(self) -> None:
        try:
            self.caseload.referrals.correct_status(
                self.referral.id, self.status.currentData(), reason=self.reason.text()
            )
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return
        self.accept()


class GpFeedbackDialog(Drafting, QDialog):
    """Terugkoppeling aan de huisarts: the same consent rule, the same protections.

    The dialog fills a ``GpLetterDraft``; consent typed here is recorded only
    when the letter is saved, together with the file and its audit row.
    """

    def __init__(self, caseload: Caseload, client_id: int, parent=None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.client_id = client_id
        self.draft = GpLetterDraft(caseload, client_id)
        self.export_result: ExportResult | None = None
        client = self.draft.client
        self.setWindowTitle("Terugkoppeling aan de huisarts")
        self.setMinimumWidth(560)
        self.next_steps = QPlainTextEdit()
        self.next_steps.setTabChangesFocus(True)
        self.next_steps.setPlaceholderText("Vervolg, bijvoorbeeld: over zes weken evalueren")
        self.has_consent = self.draft.has_consent
        self.record_consent = QCheckBox("De cliënt geeft nu toestemming")
        self.how = QComboBox()
        for how in ("mondeling", "schriftelijk"):
            self.how.addItem(how, how)
        # The basis the letter will state: only a consent for feedback to the GP counts.
        self.basis = QLabel(self._basis_text())
        self.basis.setWordWrap(True)
        self.basis.setTextFormat(Qt.TextFormat.PlainText)
        self.override = QLineEdit()
        self.override.setPlaceholderText("Of: reden om zonder toestemming terug te koppelen")
        self.protect = QCheckBox("Beveilig met wachtwoord (AES-256)")
        self.protect.setChecked(True)  # protected by default, as in the referral wizard
        self.password = QLineEdit(generate_password())
        self.password.setReadOnly(True)
        self.reminder = hint(
            "Noteer dit wachtwoord nu; het wordt niet bewaard. Stuur het via een ander "
            "kanaal dan de brief, bijvoorbeeld telefonisch."
        )
        self.protect.toggled.connect(self.password.setVisible)
        self.protect.toggled.connect(self.reminder.setVisible)
        self.path = QLineEdit(str(Path.home() / self.draft.default_file_name()))
        choose = QPushButton("Opslaan als…")
        choose.clicked.connect(self._choose)
        self.error = ErrorLabel()
        # Characters the letter cannot print as typed: named before saving.
        self.glyph_warning = ErrorLabel()
        self.glyph_warning.setObjectName("glyphWarning")
        self.glyph_warning.setTextFormat(Qt.TextFormat.PlainText)
        self.next_steps.textChanged.connect(self._check_glyphs)
        buttons = button_box("Brief opslaan", self.submit, self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                (
                    "Aan: {p}. De brief noemt naam en geboortedatum, de besproken "
                    "leefgebieden, de verwijzingen en het vervolg."
                ).format(p=client.referrer_name or "de huisartsenpraktijk")
            )
        )
        layout.addWidget(self.next_steps)
        layout.addWidget(self.glyph_warning)
        layout.addWidget(self.basis)
        if not self.has_consent:
            consent_row = QHBoxLayout()
            consent_row.addWidget(self.record_consent)
            consent_row.addWidget(self.how)
            consent_row.addStretch()
            layout.addLayout(consent_row)
            layout.addWidget(self.override)
        layout.addWidget(self.protect)
        layout.addWidget(self.password)
        layout.addWidget(self.reminder)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(choose)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        self._check_glyphs()
        self.draft_key = gp_letter_draft_key(client_id)
        self.draft_client = client_id
        self.reopen_kind = "gp-letter"
        self.start_drafting()

    def draft_values(self) -> dict[str, Any]:
        """What was typed and chosen; never the password (a new one is made each time)."""
        return {
            "next_steps": plain_text(self.next_steps),
            "consent_now": self.record_consent.isChecked(),
            "override": self.override.text(),
            "protect": self.protect.isChecked(),
            "path": self.path.text(),
        }

    def restore_draft(self, values: dict[str, Any]) -> None:
        self.next_steps.setPlainText(values["next_steps"])
        self.record_consent.setChecked(values["consent_now"])
        self.override.setText(values["override"])
        self.protect.setChecked(values["protect"])
        self.path.setText(values["path"])

    def _basis_text(self) -> str:
        c = self.draft.consent
        if c is None:
            return "Er is nog geen toestemming vastgelegd om de huisarts terug te koppelen."
        return (
            f"Toestemming voor terugkoppeling aan de huisarts: gegeven op "
            f"{c.given_at:%d-%m-%Y} ({c.how}). Die staat als grondslag in de brief."
        )

    def _check_glyphs(self) -> None:
        self.draft.choose(next_steps=plain_text(self.next_steps))
        self.glyph_warning.show_message("\n".join(self.draft.warnings()))

    def _choose(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Brief opslaan", self.path.text(), "PDF-bestanden (*.pdf)"
        )
        if path:
            self.path.setText(path)

    def submit(self) -> None:
        consent_now = not self.has_consent and self.record_consent.isChecked()
        self.draft.choose(
            next_steps=plain_text(self.next_steps),
            consent_how=self.how.currentData() if consent_now else "",
            override_reason="" if consent_now else self.override.text().strip(),
            password=self.password.text() if self.protect.isChecked() else None,
        )
        try:
            self.export_result = self.draft.save(Path(self.path.text().strip()))
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return
        self.accept()


class ReferralsTab(QWidget):
    changed = Signal()
    new_referral = Signal()
    show_dialog = Signal(object)

    def __init__(self, caseload: Caseload, client_id: int) -> None:
        super().__init__()
        self.caseload = caseload
        self.client_id = client_id
        self.model = ReferralsModel(self)
        self.table = record_table(self.model)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_history())
        self.history = plain(QLabel())
        self.history.setWordWrap(True)
        self.history.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.consents = ConsentsPanel(caseload, client_id)
        self.reminder = ErrorLabel()
        new = QPushButton("&Nieuwe verwijzing…")
        new.clicked.connect(self.new_referral.emit)
        status = QPushButton("&Status wijzigen…")
        status.clicked.connect(self.change_status)
        self.correct_button = QPushButton("Status &corrigeren…")
        self.correct_button.clicked.connect(self.correct_status)
        gp = QPushButton("Terugkoppeling &huisarts…")
        gp.clicked.connect(self.gp_feedback)
        self.error = ErrorLabel()
        self.empty = hint(
            "Nog geen verwijzingen. Met ‘Nieuwe verwijzing…’ kiest u een "
            "partner uit de sociale kaart."
        )
        buttons = QHBoxLayout()
        for b in (new, status, self.correct_button, gp):
            buttons.addWidget(b)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.reminder)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(heading("Verloop", 11))
        # A reason pasted as one long word (a link, an e-mail thread) scrolls here
        # instead of stretching the whole window beyond the screen.
        self.history_area = QScrollArea()
        self.history_area.setWidgetResizable(True)
        self.history_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.history_area.setWidget(self.history)
        layout.addWidget(self.history_area, 1)
        layout.addWidget(self.consents)
        self.reload()

    def reload(self) -> None:
        self.model.partners = {p.id: p.organisation for p in self.caseload.partners.fetch()}
        self.model.today = date.today()
        rows = self.caseload.referrals.fetch(self.client_id)
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.empty.setVisible(not rows)
        late = [r for r in rows if overdue(r, self.model.today)]
        self.reminder.show_message(
            (
                f"De terugkoppeling van {len(late)} verwijzing(en) is over de afgesproken datum. Neem "
                "contact op met de partner."
            )
            if late
            else ""
        )
        self.consents.reload()
        self._show_history()

    def _selected(self) -> ReferralRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _show_history(self) -> None:
        r = self._selected()
        if r is None:
            self.history.setText("Kies een verwijzing om het verloop te zien.")
            return
        self.history.setText(
            "\n".join(
                f"{e.at:%d-%m-%Y %H:%M} · {e.status}" + (f" — {e.note}" if e.note else "")
                for e in r.events
            )
        )

    def change_status(self) -> None:
        r = self._selected()
        if r is None:
            self.error.show_message("Kies eerst een verwijzing.")
            return
        if r.status == "concept":
            self.error.show_message("Dit is een concept: maak de brief met ‘Nieuwe verwijzing…’.")
            return
        if not [s for s in allowed_next(r.status) if s != "verstuurd"]:
            self.error.show_message("Deze verwijzing is afgerond en teruggekoppeld.")
            return
        self.error.show_message("")
        dialog = StatusDialog(self.caseload, r, self)
        dialog.accepted.connect(self._after)
        self.show_dialog.emit(dialog)

    def correct_status(self) -> CorrectionDialog | None:
        r = self._selected()
        if r is None:
            self.error.show_message("Kies eerst een verwijzing.")
            return None
        if not correction_targets([e.status for e in r.events]):
            self.error.show_message(
                "Deze verwijzing heeft geen eerdere status om naar terug te gaan."
            )
            return None
        self.error.show_message("")
        dialog = CorrectionDialog(self.caseload, r, self)
        dialog.accepted.connect(self._after)
        self.show_dialog.emit(dialog)
        return dialog

    def open_correction(self, referral_id: int | None) -> None:
        """Select the referral and open its correction (after an unlock: with its draft)."""
        for row in range(self.model.rowCount()):
            if self.model.record(row).id == referral_id:
                self.table.selectRow(row)
                self.correct_status()
                return

    def open_status(self, referral_id: int | None) -> None:
        """Select the referral and open its status dialog (after an unlock: with its draft)."""
        for row in range(self.model.rowCount()):
            if self.model.record(row).id == referral_id:
                self.table.selectRow(row)
                self.change_status()
                return

    def gp_feedback(self) -> None:
        dialog = GpFeedbackDialog(self.caseload, self.client_id, self)
        dialog.accepted.connect(self._after)
        self.show_dialog.emit(dialog)

    def _after(self) -> None:
        self.reload()
        self.changed.emit()
