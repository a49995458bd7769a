"""The five pages of the referral wizard: partner, what to share, consent, preview, save.

They only collect choices into the wizard's ``ReferralLetterDraft`` and show
its bytes; nothing is written to the vault before "Opslaan" (see
:mod:`.referral_wizard`).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from brugdesk.app.letters import generate_password
from brugdesk.app.referral_letter import check_share, suggested_partners
from brugdesk.domain.assessments import domains_at_issue
from brugdesk.domain.life_domains import DOMAINS
from brugdesk.domain.partner_rules import partner_needs_check
from brugdesk.domain.referral_rules import DEFAULT_FIELDS, SHAREABLE_FIELDS
from brugdesk.errors import BrugdeskError
from brugdesk.ui.kit.pdf_preview import PdfPreview, render_pages
from brugdesk.ui.kit.widgets import (
    BusyBar,
    DateEdit,
    ErrorLabel,
    hint,
    plain_label,
    plain_text,
    plain_tooltip,
    qdate,
    to_date,
    user_message,
)

if TYPE_CHECKING:
    from brugdesk.ui.wizards.referral_wizard import ReferralWizard


class PartnerPage(QWizardPage):
    def __init__(self, wiz: ReferralWizard) -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle("Naar wie verwijst u?")
        self.setSubTitle("Partners die passen bij de leefgebieden die spelen, staan bovenaan.")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoek op organisatie, team of contactpersoon")
        self.search.textChanged.connect(self.fill)
        self.list = QListWidget()
        self.list.currentItemChanged.connect(lambda *_: self.completeChanged.emit())
        self.list.itemDoubleClicked.connect(lambda _i: wiz.next())
        self.empty = hint(
            "Nog geen partners in de sociale kaart. Voeg ze toe via Bestand → Sociale kaart."
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        self.suggested = suggested_partners(wiz.caseload, wiz.client_id)
        self.fill()

    def fill(self) -> None:
        needle = self.search.text().strip().casefold()
        self.list.clear()
        for partner, overlap in self.suggested:
            hay = f"{partner.organisation} {partner.team} {partner.contact_person}".casefold()
            if needle and needle not in hay:
                continue
            bits = [partner.organisation + (f" — {partner.team}" if partner.team else "")]
            if overlap:
                bits.append("aanbevolen")
            if partner_needs_check(partner.verified_on):
                bits.append("niet gecontroleerd in het afgelopen jaar")
            item = QListWidgetItem(" · ".join(bits))
            item.setData(Qt.ItemDataRole.UserRole, partner.id)
            domains = ", ".join(DOMAINS.get(d, d) for d in partner.domains)
            item.setToolTip(plain_tooltip(f"{domains}\n{partner.how_to_refer}".strip()))
            self.list.addItem(item)
        self.empty.setVisible(not self.suggested)
        if self.list.count():
            self.list.setCurrentRow(0)

    def partner_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def isComplete(self) -> bool:
        return self.partner_id() is not None


class SharePage(QWizardPage):
    def __init__(self, wiz: ReferralWizard) -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle("Wat deelt u?")
        self.setSubTitle("Alleen wat u hier aanvinkt of typt, komt in de brief.")
        self.fields: dict[str, QCheckBox] = {}
        fields_box = QWidget()
        col = QVBoxLayout(fields_box)
        col.setContentsMargins(0, 0, 0, 0)
        for key, label in SHAREABLE_FIELDS.items():
            box = QCheckBox(label)
            box.setChecked(key in DEFAULT_FIELDS)
            self.fields[key] = box
            col.addWidget(box)
        self.domains = QListWidget()
        self.domains.setMaximumHeight(130)
        at_issue = domains_at_issue(wiz.draft.assessments)
        for key, name in DOMAINS.items():
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            if key in at_issue:
                item.setText(f"{name} (speelt)")
            # Ticked per partner in initializePage: only what concerns that partner.
            item.setCheckState(Qt.CheckState.Unchecked)
            self.domains.addItem(item)
        self.ticked_for: int | None = None
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText("Waarom verwijst u naar deze partner?")
        self.request = QPlainTextEdit()
        self.request.setTabChangesFocus(True)
        self.request.setPlaceholderText("Wat vraagt u de partner te doen?")
        self.feedback = DateEdit(qdate(date.today() + timedelta(days=14)))
        self.feedback.setCalendarPopup(True)
        self.feedback.setDisplayFormat("dd-MM-yyyy")
        self.error = ErrorLabel()
        form = QFormLayout(self)
        form.addRow("Gegevens:", fields_box)
        form.addRow("Leefgebieden:", self.domains)
        form.addRow("&Reden:", self.reason)
        form.addRow("&Verzoek (hulpvraag):", self.request)
        form.addRow("&Terugkoppeling uiterlijk:", self.feedback)
        form.addRow(self.error)

    def initializePage(self) -> None:
        """Share the minimum: tick only the domains at issue that this partner serves.

        Coming back with the same partner keeps the worker's own ticks.
        """
        pid = self.wiz.partner_id
        if pid == self.ticked_for:
            return
        self.ticked_for = pid
        suggested = set(self.wiz.draft.suggested_domains(pid))
        for i in range(self.domains.count()):
            item = self.domains.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in suggested
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def values(self) -> dict:
        return {
            "shared_fields": [k for k, box in self.fields.items() if box.isChecked()],
            "shared_domains": [
                self.domains.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.domains.count())
                if self.domains.item(i).checkState() == Qt.CheckState.Checked
            ],
            "reason": plain_text(self.reason),
            "request": plain_text(self.request),
            "feedback_due": to_date(self.feedback.date()),
        }

    def validatePage(self) -> bool:
        values = self.values()
        try:
            check_share(**values)
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return False
        self.error.show_message("")
        self.wiz.draft.choose(partner_id=self.wiz.partner_id, **values)
        return True


class ConsentPage(QWizardPage):
    def __init__(self, wiz: ReferralWizard) -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle("Toestemming van de cliënt")
        self.status = plain_label()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.record = QRadioButton("De cliënt geeft nu toestemming")
        self.how = QComboBox()
        self.how.addItem("mondeling", "mondeling")
        self.how.addItem("schriftelijk", "schriftelijk")
        self.override = QRadioButton("Verwijzen zonder vastgelegde toestemming")
        self.override_reason = QLineEdit()
        self.override_reason.setPlaceholderText("Verplicht: waarom kan het niet wachten?")
        self.group = QButtonGroup(self)
        for button in (self.record, self.override):
            self.group.addButton(button)
            button.toggled.connect(lambda _b: self.completeChanged.emit())
        self.override_reason.textChanged.connect(lambda _t: self.completeChanged.emit())
        self.error = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.record)
        form = QFormLayout()
        self.how_label = QLabel("Toestemming &gegeven:")  # hidden with its field
        self.how_label.setBuddy(self.how)
        form.addRow(self.how_label, self.how)
        layout.addLayout(form)
        layout.addWidget(self.override)
        layout.addWidget(self.override_reason)
        layout.addWidget(
            hint("Verwijzen zonder toestemming wordt apart in het logboek vastgelegd.")
        )
        layout.addWidget(self.error)
        layout.addStretch()

    def initializePage(self) -> None:
        consent = self.wiz.draft.existing_consent(self.wiz.partner_id)
        self.has_consent = consent is not None
        if consent is not None:
            self.status.setText(
                "Er is toestemming vastgelegd voor een verwijzing naar {r}: gegeven op {d} "
                "({how}). U kunt verder.".format(
                    r=consent.recipient, d=f"{consent.given_at:%d-%m-%Y}", how=consent.how
                )
            )
        else:
            self.status.setText("Er is nog geen toestemming voor deze ontvanger vastgelegd.")
        for widget in (self.record, self.how_label, self.how, self.override, self.override_reason):
            widget.setVisible(not self.has_consent)

    def isComplete(self) -> bool:
        if getattr(self, "has_consent", False):
            return True
        if self.record.isChecked():
            return True
        return self.override.isChecked() and bool(self.override_reason.text().strip())

    def validatePage(self) -> bool:
        """Only a choice in the draft: the consent is recorded when the letter is saved."""
        if self.has_consent:
            self.wiz.draft.choose(consent_how="", override_reason="")
        elif self.record.isChecked():
            self.wiz.draft.choose(consent_how=self.how.currentData(), override_reason="")
        else:
            self.wiz.draft.choose(
                consent_how="", override_reason=self.override_reason.text().strip()
            )
        return True


class PreviewPage(QWizardPage):
    """The draft's bytes, as they will be saved; protection is chosen here too."""

    def __init__(self, wiz: ReferralWizard) -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle("Voorbeeld")
        self.setSubTitle("Dit is precies de brief die wordt opgeslagen.")
        self.protect = QCheckBox("Beveilig de brief met een wachtwoord (AES-256)")
        self.protect.setChecked(True)
        self.password = QLineEdit(generate_password())
        self.password.setReadOnly(True)
        self.reminder = hint(
            "Noteer dit wachtwoord nu; het wordt niet bewaard. Stuur het via "
            "een ander kanaal dan de brief, bijvoorbeeld telefonisch of per "
            "sms."
        )
        self.protect.toggled.connect(self._toggle)
        self.preview = PdfPreview()
        self.error = ErrorLabel()
        # Characters the letter cannot print as typed: named before saving.
        self.glyph_warning = ErrorLabel()
        self.glyph_warning.setObjectName("glyphWarning")
        self.glyph_warning.setTextFormat(Qt.TextFormat.PlainText)
        self.shown_pdf: bytes | None = None  # the bytes on screen now
        layout = QVBoxLayout(self)
        layout.addWidget(self.protect)
        layout.addWidget(self.password)
        layout.addWidget(self.reminder)
        layout.addWidget(self.glyph_warning)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.error)

    def chosen_password(self) -> str | None:
        return self.password.text() if self.protect.isChecked() else None

    def initializePage(self) -> None:
        self.wiz.draft.choose(password=self.chosen_password())
        self.refresh()

    def _toggle(self, on: bool) -> None:
        self.password.setVisible(on)
        self.reminder.setVisible(on)
        self.wiz.draft.choose(password=self.chosen_password())
        if self.wiz.currentPage() is self:
            self.refresh()

    def is_current(self) -> bool:
        """Do the bytes on screen belong to the choices made now?"""
        cached = self.wiz.draft.cached_pdf()
        return cached is not None and cached is self.shown_pdf

    def refresh(self) -> None:
        """Render only when the choices changed since the bytes on screen were made."""
        self.completeChanged.emit()
        if self.is_current():
            return
        draft = self.wiz.draft
        choices = draft.choices
        password = choices.password
        ratio = self.preview.devicePixelRatioF()  # sharp on a high-DPI screen

        def work():
            pdf = draft.pdf
            images = render_pages(pdf, password=password, device_pixel_ratio=ratio)
            return pdf, images, draft.warnings(choices)

        def done(result) -> None:
            pdf, images, warnings = result
            self.shown_pdf = pdf
            self.wiz.pdf = pdf
            self.preview.show_pages(images)
            self.glyph_warning.show_message("\n".join(warnings))
            self.error.show_message("")
            if not self.is_current():  # a choice changed while this one was made
                self.refresh()
            self.completeChanged.emit()

        def failed(exc: BaseException) -> None:
            self.shown_pdf = None
            self.preview.show_message("Er is geen voorbeeld.")
            self.error.show_message(user_message(exc))
            self.completeChanged.emit()

        if self.wiz.tasks.run("preview", work, done, failed, owner=self):
            self.shown_pdf = None
            self.preview.show_message("Het voorbeeld wordt gemaakt…")

    def isComplete(self) -> bool:
        return self.is_current()


class SavePage(QWizardPage):
    def __init__(self, wiz: ReferralWizard) -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle("Opslaan")
        self.setSubTitle(
            "Pas bij opslaan worden de brief, de toestemming en de status 'verstuurd' "
            "samen vastgelegd."
        )
        self.path = QLineEdit()
        choose = QPushButton("Opslaan als…")
        choose.clicked.connect(self.choose)
        self.busy = BusyBar()
        self.error = ErrorLabel()
        self.done_label = hint("")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Bestand:"))
        layout.addWidget(self.path)
        layout.addWidget(choose, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addWidget(self.done_label)
        layout.addStretch()
        self.path.textChanged.connect(lambda _t: self.completeChanged.emit())
        self.saved = False

    def initializePage(self) -> None:
        if not self.path.text():
            self.path.setText(str(Path.home() / self.wiz.draft.default_file_name()))

    def choose(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Verwijsbrief opslaan", self.path.text(), "PDF-bestanden (*.pdf)"
        )
        if path:
            self.path.setText(path)

    def isComplete(self) -> bool:
        return bool(self.path.text().strip()) and not self.wiz.tasks.running("export")

    def validatePage(self) -> bool:
        if self.saved:
            return True
        wiz = self.wiz
        if not wiz.preview.is_current():  # never save bytes the worker has not seen
            self.error.show_message("Het voorbeeld is nog niet klaar. Ga terug en wacht even.")
            return False
        dest = Path(self.path.text().strip())
        draft = wiz.draft

        def done(result) -> None:
            self.busy.hide()
            self.saved = True
            wiz.export_result = result
            self.done_label.setText(f"Opgeslagen: {result.path}")
            self.completeChanged.emit()
            wiz.accept()

        def failed(exc: BaseException) -> None:
            self.busy.hide()
            self.error.show_message(user_message(exc))
            self.completeChanged.emit()

        if wiz.tasks.run("export", lambda: draft.save(dest), done, failed, owner=self):
            self.error.show_message("")
            self.busy.show()
            self.completeChanged.emit()
        return False
