"""The sociale kaart: partners searchable by name and by domain, with CSV in and out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from brugdesk.app import transfers
from brugdesk.app.caseload import Caseload
from brugdesk.domain.draft_keys import partner_form_draft_key
from brugdesk.domain.life_domains import DOMAINS
from brugdesk.domain.partner_rules import clean_partner, partner_needs_check
from brugdesk.domain.records import PartnerRecord, PartnerScore
from brugdesk.domain.scorecard import describe
from brugdesk.errors import BrugdeskError, ValidationError
from brugdesk.ui.kit.colours import css, error_colour, ok_colour
from brugdesk.ui.kit.drafting import Drafting
from brugdesk.ui.kit.error_boundary import guard
from brugdesk.ui.kit.widgets import (
    ErrorLabel,
    button_box,
    hint,
    plain_text,
    plain_tooltip,
    user_message,
)
from brugdesk.ui.models.caseload_model import format_date


class PartnerDialog(Drafting, QDialog):
    def __init__(self, caseload: Caseload, partner: PartnerRecord | None = None, parent=None):
        super().__init__(parent)
        self.caseload = caseload
        self.partner = partner
        self.setWindowTitle("Partner bewerken" if partner else "Nieuwe partner")
        self.setMinimumWidth(520)
        self.edits = {
            k: QLineEdit()
            for k in (
                "organisation",
                "team",
                "contact_person",
                "phone",
                "email",
                "address",
                "verified_on",
            )
        }
        self.edits["verified_on"].setPlaceholderText("dd-mm-jjjj")
        self.domains = QListWidget()
        self.domains.setMaximumHeight(140)
        for key, name in DOMAINS.items():
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked
                if partner and key in partner.domains
                else Qt.CheckState.Unchecked
            )
            self.domains.addItem(item)
        self.how = QPlainTextEdit(partner.how_to_refer if partner else "")
        self.how.setTabChangesFocus(True)
        self.how.setMaximumHeight(70)
        self.notes = QPlainTextEdit(partner.notes if partner else "")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(70)
        if partner:
            for key, edit in self.edits.items():
                value = getattr(partner, key)
                edit.setText(format_date(value) if key == "verified_on" else value or "")
        self.error = ErrorLabel()
        form = QFormLayout()
        labels = {
            "organisation": "&Organisatie *",
            "team": "&Team",
            "contact_person": "&Contactpersoon",
            "phone": "Tele&foon",
            "email": "&E-mail",
            "address": "&Adres",
            "verified_on": "Laatst &gecontroleerd",
        }
        for key, label in labels.items():
            form.addRow(label, self.edits[key])
        form.addRow("&Leefgebieden", self.domains)
        form.addRow("&Zo verwijst u", self.how)
        form.addRow("N&otities", self.notes)
        buttons = button_box("Opslaan", self.submit, self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.draft_key = partner_form_draft_key(partner.id if partner else None)
        self.reopen_kind, self.reopen_record = "partner", partner.id if partner else None
        self.start_drafting()

    def draft_values(self) -> dict[str, Any]:
        return self.values()

    def restore_draft(self, values: dict[str, Any]) -> None:
        for key, edit in self.edits.items():
            edit.setText(values[key])
        for i in range(self.domains.count()):
            item = self.domains.item(i)
            chosen = item.data(Qt.ItemDataRole.UserRole) in values["domains"]
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
        self.how.setPlainText(values["how_to_refer"])
        self.notes.setPlainText(values["notes"])

    def values(self) -> dict:
        data: dict[str, Any] = {k: e.text() for k, e in self.edits.items()}
        data["domains"] = [
            self.domains.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.domains.count())
            if self.domains.item(i).checkState() == Qt.CheckState.Checked
        ]
        data["how_to_refer"] = plain_text(self.how)
        data["notes"] = plain_text(self.notes)
        return data

    def submit(self) -> None:
        try:
            clean_partner(self.values())
            if self.partner is None:
                self.caseload.partners.add(**self.values())
            else:
                self.caseload.partners.update(self.partner.id, **self.values())
        except ValidationError as exc:
            self.error.show_message(" ".join(exc.errors.values()))
            return
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return
        self.accept()


class PartnersDialog(QDialog):
    def __init__(self, caseload: Caseload, parent=None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.setWindowTitle("Sociale kaart")
        self.resize(1000, 560)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoek op organisatie, team of contactpersoon")
        self.search.textChanged.connect(self.reload)
        self.domain = QComboBox()
        self.domain.addItem("Alle leefgebieden", "")
        for key, name in DOMAINS.items():
            self.domain.addItem(name, key)
        self.domain.currentIndexChanged.connect(self.reload)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [
                "Organisatie",
                "Team",
                "Contactpersoon",
                "Leefgebieden",
                "Gecontroleerd",
                "Verwezen",
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemDoubleClicked.connect(lambda _i: self.edit())
        self.table.itemSelectionChanged.connect(self._show_score)
        #: How referrals to each partner went, by partner id (one query per reload).
        self.scores: dict[int, PartnerScore] = {}
        self.score = hint("")
        self.score.setObjectName("partnerScore")
        self.empty = hint(
            "Nog geen partners. Voeg ze toe met ‘Nieuwe partner…’ of importeer een CSV-bestand."
        )
        self.error = ErrorLabel()
        self.problems = QPlainTextEdit()  # every bad line of a CSV, before anything is written
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(120)
        self.problems.hide()
        row = QHBoxLayout()
        row.addWidget(self.search, 2)
        row.addWidget(self.domain, 1)
        buttons = QHBoxLayout()
        for text, slot in (
            ("&Nieuwe partner…", self.add),
            ("&Bewerken…", self.edit),
            ("&Verwijderen…", self.remove),
            ("CSV &importeren…", self.import_csv),
            ("CSV e&xporteren…", self.export_csv),
        ):
            button = QPushButton(text)
            button.clicked.connect(guard(slot, text))  # called without clicked's bool
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.score)
        layout.addWidget(self.empty)
        layout.addWidget(self.error)
        layout.addWidget(self.problems)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        self.rows = self.caseload.partners.fetch(
            query=self.search.text(), domain=self.domain.currentData() or ""
        )
        self.scores = self.caseload.partners.scorecard()
        self.table.setRowCount(len(self.rows))
        for r, p in enumerate(self.rows):
            checked = format_date(p.verified_on) or "nooit"
            if partner_needs_check(p.verified_on):
                checked += " — " + "controleren"
            values = [
                p.organisation,
                p.team,
                p.contact_person,
                ", ".join(DOMAINS.get(d, d) for d in p.domains),
                checked,
            ]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(plain_tooltip(value))
                self.table.setItem(r, c, item)
            score = self.scores.get(p.id)
            sent = QTableWidgetItem(str(score.sent) if score and score.sent else "—")
            sent.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            sent.setToolTip(plain_tooltip(describe(score)))
            self.table.setItem(r, len(values), sent)
        self.table.resizeColumnsToContents()
        for column, cap in ((0, 220), (2, 170), (3, 210)):  # keep the last columns in view
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), cap))
        self.empty.setVisible(not self.rows)
        self.score.setVisible(bool(self.rows))
        self._show_score()

    def _show_score(self) -> None:
        """How referrals to the selected partner went, in one line under the list."""
        partner = self._selected()
        if partner is None:
            self.score.setText("Kies een partner om te zien hoe verwijzingen naar hen verliepen.")
            return
        self.score.setText(f"{partner.organisation} — {describe(self.scores.get(partner.id))}")

    def _say(self, message: str, *, ok: bool = False) -> None:
        """A message under the list: green for what worked, red for a problem."""
        self.error.setStyleSheet(css(ok_colour) if ok else css(error_colour))
        self.error.show_message(message)

    def _selected(self) -> PartnerRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def add(self) -> None:
        dialog = PartnerDialog(self.caseload, None, self)
        dialog.accepted.connect(self.reload)
        dialog.open()

    def edit(self) -> None:
        partner = self._selected()
        if partner is None:
            self._say("Kies eerst een partner.")
            return
        dialog = PartnerDialog(self.caseload, partner, self)
        dialog.accepted.connect(self.reload)
        dialog.open()

    def open_partner(self, partner_id: int | None) -> PartnerDialog | None:
        """The partner form for *partner_id* (None: a new partner), e.g. again after an unlock."""
        partner = None
        if partner_id is not None:
            partner = next((p for p in self.caseload.partners.fetch() if p.id == partner_id), None)
            if partner is None:  # deleted meanwhile: its draft has no record to go to
                self.caseload.drafts.discard(partner_form_draft_key(partner_id))
                return None
        dialog = PartnerDialog(self.caseload, partner, self)
        dialog.accepted.connect(self.reload)
        dialog.open()
        return dialog

    def remove(self) -> None:
        partner = self._selected()
        if partner is None:
            self._say("Kies eerst een partner.")
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Partner verwijderen",
            f"{partner.organisation} uit de sociale kaart verwijderen?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)  # the name as typed
        box.button(QMessageBox.StandardButton.Yes).setText("Verwijderen")
        box.button(QMessageBox.StandardButton.No).setText("Behouden")

        def done(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes:
                try:
                    self.caseload.partners.delete(partner.id)
                except BrugdeskError as exc:
                    self._say(user_message(exc))
                self.reload()

        box.finished.connect(done)
        box.open()

    def import_csv(self, path: Path | None = None) -> None:
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, "Sociale kaart importeren", str(Path.home()), "CSV-bestanden (*.csv)"
            )
            if not name:
                return
            path = Path(name)
        try:
            plan = transfers.read_partners(path)
            if plan.problems:
                self._say(
                    f"Er is niets geïmporteerd: {len(plan.problems)} fout(en). Verbeter ze en "
                    "kies het bestand opnieuw."
                )
                self.problems.setPlainText("\n".join(str(p) for p in plan.problems))
                self.problems.show()
                return
            count = transfers.import_partners(self.caseload, plan)
        except BrugdeskError as exc:
            self.problems.hide()
            self._say(user_message(exc))
            return
        self.problems.hide()
        self.reload()
        self._say(f"{count} partner(s) geïmporteerd.", ok=True)

    def export_csv(self, path: Path | None = None) -> None:
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self,
                "Sociale kaart exporteren",
                str(Path.home() / "sociale-kaart.csv"),
                "CSV-bestanden (*.csv)",
            )
            if not name:
                return
            path = Path(name)
        try:
            count = transfers.export_partners(self.caseload, path)
        except BrugdeskError as exc:
            self._say(user_message(exc))
            return
        self._say(f"{count} partner(s) opgeslagen in {path.name}.", ok=True)
