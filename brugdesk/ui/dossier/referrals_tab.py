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
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.caseload import Caseload
from brugdesk.app.gp_letter import GpLetterDraft
from brugdesk.app.letters import ExportResult, generate_password
from brugdesk.domain.draft_keys import gp_letter_draft_key, referral_status_draft_key
from brugdesk.domain.records import ReferralRecord
from brugdesk.domain.referral_rules import allowed_next
from brugdesk.domain.today_rules import feedback_overdue
from brugdesk.errors import BrugdeskError
from brugdesk.ui.dossier.tables import record_table
from brugdesk.ui.kit.drafting import Drafting
from brugdesk.ui.kit.widgets import ErrorLabel, button_box, heading, hint, plain_text, user_message
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
            return QColor("#b00020")
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
        self.record_consent = QCheckBox("De cliënt geeft nu (mondeling) toestemming")
        self.override = QLineEdit()
        self.override.setPlaceholderText("Of: reden om zonder toestemming terug te koppelen")
        self.protect = QCheckBox("Beveilig met wachtwoord (AES-256)")
        self.password = QLineEdit(generate_password())
        self.password.setReadOnly(True)
        self.protect.toggled.connect(self.password.setVisible)
        self.password.hide()
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
        if not self.has_consent:
            layout.addWidget(self.record_consent)
            layout.addWidget(self.override)
        layout.addWidget(self.protect)
        layout.addWidget(self.password)
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
            consent_how="mondeling" if consent_now else "",
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
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.consents = QLabel()
        self.consents.setWordWrap(True)
        self.reminder = ErrorLabel()
        new = QPushButton("&Nieuwe verwijzing…")
        new.clicked.connect(self.new_referral.emit)
        status = QPushButton("&Status wijzigen…")
        status.clicked.connect(self.change_status)
        gp = QPushButton("Terugkoppeling &huisarts…")
        gp.clicked.connect(self.gp_feedback)
        withdraw = QPushButton("Toestemming &intrekken")
        withdraw.clicked.connect(self.withdraw_consent)
        self.error = ErrorLabel()
        self.empty = hint(
            "Nog geen verwijzingen. Met ‘Nieuwe verwijzing…’ kiest u een "
            "partner uit de sociale kaart."
        )
        buttons = QHBoxLayout()
        for b in (new, status, gp):
            buttons.addWidget(b)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.reminder)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(heading("Verloop", 11))
        layout.addWidget(self.history, 1)
        row = QHBoxLayout()
        row.addWidget(heading("Toestemmingen", 11), 1)
        row.addWidget(withdraw)
        layout.addLayout(row)
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
        consents = self.caseload.consents.fetch(self.client_id)
        self.consents.setText(
            "\n".join(
                f"{c.given_at:%d-%m-%Y} · {c.recipient} · {c.purpose} · {c.how}"
                + (f" · {'ingetrokken'} {c.withdrawn_at:%d-%m-%Y}" if c.withdrawn_at else "")
                for c in consents
            )
            or "Geen toestemmingen vastgelegd."
        )
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

    def withdraw_consent(self) -> None:
        active = [c for c in self.caseload.consents.fetch(self.client_id) if c.active]
        if not active:
            self.error.show_message("Er is geen geldige toestemming om in te trekken.")
            return
        # The newest active consent; later exports to that recipient need a new one.
        consent = active[-1]
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Toestemming intrekken",
            (
                "De toestemming voor {r} ({p}, {d}) intrekken? Latere brieven aan deze "
                "ontvanger kunnen dan pas weer met nieuwe toestemming."
            ).format(r=consent.recipient, p=consent.purpose, d=f"{consent.given_at:%d-%m-%Y}"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText("Intrekken")
        box.button(QMessageBox.StandardButton.No).setText("Niet intrekken")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        self.confirm = box

        def done(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes:
                self.caseload.consents.withdraw(consent.id)
                self._after()

        box.finished.connect(done)
        box.open()

    def _after(self) -> None:
        self.reload()
        self.changed.emit()
