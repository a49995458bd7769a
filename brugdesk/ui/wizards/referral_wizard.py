"""Referral wizard: partner → what to share → consent → preview → save.

Nothing but the chosen fields and domains and the typed reason and request
leaves the vault. The preview shows exactly the bytes that will be written;
no temporary plaintext file is made — only the file the worker chooses.
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
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
    QWizard,
    QWizardPage,
)

from brugdesk.app import letters as rl
from brugdesk.app.caseload import Caseload
from brugdesk.documents import letter_pdf as letters
from brugdesk.domain.life_domains import DOMAINS
from brugdesk.errors import BrugdeskError
from brugdesk.services.today import partner_needs_check
from brugdesk.ui.kit.i18n import tr
from brugdesk.ui.kit.pdf_preview import PdfPreview, render_pages
from brugdesk.ui.kit.widgets import BusyBar, ErrorLabel, hint, plain_text, user_message
from brugdesk.ui.tasks import Tasks


class PartnerPage(QWizardPage):
    def __init__(self, wiz: ReferralWizard) -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle(tr("Naar wie verwijst u?"))
        self.setSubTitle(tr("Partners die passen bij de leefgebieden die spelen, staan bovenaan."))
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Zoek op organisatie, team of contactpersoon"))
        self.search.textChanged.connect(self.fill)
        self.list = QListWidget()
        self.list.currentItemChanged.connect(lambda *_: self.completeChanged.emit())
        self.list.itemDoubleClicked.connect(lambda _i: wiz.next())
        self.empty = hint(
            tr("Nog geen partners in de sociale kaart. Voeg ze toe via Bestand → Sociale kaart.")
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        self.suggested = rl.suggested_partners(wiz.caseload, wiz.client_id)
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
                bits.append(tr("aanbevolen"))
            if partner_needs_check(partner.verified_on):
                bits.append(tr("niet gecontroleerd in het afgelopen jaar"))
            item = QListWidgetItem(" · ".join(bits))
            item.setData(Qt.ItemDataRole.UserRole, partner.id)
            domains = ", ".join(tr(DOMAINS.get(d, d)) for d in partner.domains)
            item.setToolTip(f"{domains}\n{partner.how_to_refer}".strip())
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
        self.setTitle(tr("Wat deelt u?"))
        self.setSubTitle(tr("Alleen wat u hier aanvinkt of typt, komt in de brief."))
        self.fields: dict[str, QCheckBox] = {}
        fields_box = QWidget()
        col = QVBoxLayout(fields_box)
        col.setContentsMargins(0, 0, 0, 0)
        for key, label in rl.SHAREABLE_FIELDS.items():
            box = QCheckBox(tr(label))
            box.setChecked(key in rl.DEFAULT_FIELDS)
            self.fields[key] = box
            col.addWidget(box)
        self.domains = QListWidget()
        self.domains.setMaximumHeight(130)
        at_issue = rl.domains_at_issue(wiz.caseload, wiz.client_id)
        for key, name in DOMAINS.items():
            item = QListWidgetItem(tr(name))
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if key in at_issue[:2] else Qt.CheckState.Unchecked
            )
            self.domains.addItem(item)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(tr("Waarom verwijst u naar deze partner?"))
        self.request = QPlainTextEdit()
        self.request.setTabChangesFocus(True)
        self.request.setPlaceholderText(tr("Wat vraagt u de partner te doen?"))
        self.feedback = QDateEdit(QDate(date.today() + timedelta(days=14)))
        self.feedback.setCalendarPopup(True)
        self.feedback.setDisplayFormat("dd-MM-yyyy")
        self.error = ErrorLabel()
        form = QFormLayout(self)
        form.addRow(tr("Gegevens:"), fields_box)
        form.addRow(tr("Leefgebieden:"), self.domains)
        form.addRow(tr("&Reden:"), self.reason)
        form.addRow(tr("&Verzoek (hulpvraag):"), self.request)
        form.addRow(tr("&Terugkoppeling uiterlijk:"), self.feedback)
        form.addRow(self.error)

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
            "feedback_due": self.feedback.date().toPython(),
        }

    def validatePage(self) -> bool:
        try:
            self.wiz.save_concept()
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return False
        return True


class ConsentPage(QWizardPage):
    def __init__(self, wiz: ReferralWizard) -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle(tr("Toestemming van de cliënt"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.record = QRadioButton(tr("De cliënt geeft nu toestemming"))
        self.how = QComboBox()
        self.how.addItem(tr("mondeling"), "mondeling")
        self.how.addItem(tr("schriftelijk"), "schriftelijk")
        self.override = QRadioButton(tr("Verwijzen zonder vastgelegde toestemming"))
        self.override_reason = QLineEdit()
        self.override_reason.setPlaceholderText(tr("Verplicht: waarom kan het niet wachten?"))
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
        form.addRow(tr("Hoe:"), self.how)
        layout.addLayout(form)
        layout.addWidget(self.override)
        layout.addWidget(self.override_reason)
        layout.addWidget(
            hint(tr("Verwijzen zonder toestemming wordt apart in het logboek vastgelegd."))
        )
        layout.addWidget(self.error)
        layout.addStretch()

    def initializePage(self) -> None:
        consent = self.wiz.caseload.consents.active_for(self.wiz.client_id, self.wiz.partner_id)
        self.has_consent = consent is not None
        if consent is not None:
            self.status.setText(
                tr("Er is toestemming vastgelegd op {d} ({how}). U kunt verder.").format(
                    d=f"{consent.given_at:%d-%m-%Y}", how=tr(consent.how)
                )
            )
        else:
            self.status.setText(tr("Er is nog geen toestemming voor deze ontvanger vastgelegd."))
        for widget in (self.record, self.how, self.override, self.override_reason):
            widget.setVisible(not self.has_consent)

    def isComplete(self) -> bool:
        if getattr(self, "has_consent", False):
            return True
        if self.record.isChecked():
            return True
        return self.override.isChecked() and bool(self.override_reason.text().strip())

    def validatePage(self) -> bool:
        if self.has_consent:
            return True
        if self.record.isChecked():
            partner = self.wiz.caseload.partners.get(self.wiz.partner_id)
            self.wiz.caseload.consents.record(
                self.wiz.client_id,
                recipient=partner.organisation,
                purpose="verwijzing",
                how=self.how.currentData(),
                partner_id=partner.id,
                recorded_by=self.wiz.caseload.settings.get().worker_name,
            )
            self.has_consent = True
        else:
            self.wiz.override_reason = self.override_reason.text().strip()
        return True


class PreviewPage(QWizardPage):
    def __init__(self, wiz: ReferralWizard) -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle(tr("Voorbeeld"))
        self.setSubTitle(tr("Dit is precies de brief die wordt opgeslagen."))
        self.preview = PdfPreview()
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview)

    def initializePage(self) -> None:
        self.preview.show_message(tr("Het voorbeeld wordt gemaakt…"))
        wiz = self.wiz
        letter = rl.referral_letter(
            wiz.caseload, wiz.referral_id, override_reason=wiz.override_reason
        )

        def work():
            pdf = letters.render(letter)
            return pdf, render_pages(pdf)

        def done(result) -> None:
            wiz.pdf, images = result
            self.preview.show_pages(images)

        wiz.tasks.run("preview", work, done, lambda e: self.preview.show_message(user_message(e)))


class SavePage(QWizardPage):
    def __init__(self, wiz: ReferralWizard) -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle(tr("Opslaan"))
        self.protect = QCheckBox(tr("Beveilig de brief met een wachtwoord (AES-256)"))
        self.protect.setChecked(True)
        self.protect.toggled.connect(self._toggle)
        self.password = QLineEdit(letters.generate_password())
        self.password.setReadOnly(True)
        self.reminder = hint(
            tr(
                "Noteer dit wachtwoord nu; het wordt niet bewaard. Stuur het via "
                "een ander kanaal dan de brief, bijvoorbeeld telefonisch of per "
                "sms."
            )
        )
        self.path = QLineEdit()
        choose = QPushButton(tr("Opslaan als…"))
        choose.clicked.connect(self.choose)
        self.busy = BusyBar()
        self.error = ErrorLabel()
        self.done_label = hint("")
        layout = QVBoxLayout(self)
        layout.addWidget(self.protect)
        layout.addWidget(self.password)
        layout.addWidget(self.reminder)
        layout.addSpacing(8)
        layout.addWidget(QLabel(tr("Bestand:")))
        layout.addWidget(self.path)
        layout.addWidget(choose, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addWidget(self.done_label)
        layout.addStretch()
        self.path.textChanged.connect(lambda _t: self.completeChanged.emit())
        self.saved = False

    def initializePage(self) -> None:
        client = self.wiz.caseload.clients.get(self.wiz.client_id)
        if not self.path.text():
            self.path.setText(str(Path.home() / rl.default_file_name("verwijzing", client)))

    def _toggle(self, on: bool) -> None:
        self.password.setVisible(on)
        self.reminder.setVisible(on)

    def choose(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Verwijsbrief opslaan"), self.path.text(), tr("PDF-bestanden (*.pdf)")
        )
        if path:
            self.path.setText(path)

    def isComplete(self) -> bool:
        return bool(self.path.text().strip()) and not self.wiz.tasks.running("export")

    def validatePage(self) -> bool:
        if self.saved:
            return True
        wiz = self.wiz
        dest = Path(self.path.text().strip())
        password = self.password.text() if self.protect.isChecked() else None

        def work():
            return rl.export_referral(
                wiz.caseload,
                wiz.referral_id,
                dest,
                password=password,
                override_reason=wiz.override_reason,
                feedback_due=wiz.share.values()["feedback_due"],
            )

        def done(result) -> None:
            self.busy.hide()
            self.saved = True
            wiz.result = result
            self.done_label.setText(tr("Opgeslagen: {p}").format(p=result.path))
            wiz.accept()

        def failed(exc: BaseException) -> None:
            self.busy.hide()
            self.error.show_message(user_message(exc))

        if wiz.tasks.run("export", work, done, failed):
            self.busy.show()
        return False


class ReferralWizard(QWizard):
    exported = Signal(object)  # ExportResult

    def __init__(
        self, caseload: Caseload, client_id: int, tasks: Tasks, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.client_id = client_id
        self.tasks = tasks
        self.referral_id: int | None = None
        self.override_reason = ""
        self.pdf: bytes | None = None
        self.result = None
        self.setWindowTitle(tr("Verwijzen"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.resize(820, 680)
        self.setButtonText(QWizard.WizardButton.NextButton, tr("Volgende >"))
        self.setButtonText(QWizard.WizardButton.BackButton, tr("< Vorige"))
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("Opslaan en afronden"))
        self.setButtonText(QWizard.WizardButton.CancelButton, tr("Annuleren"))
        self.partner = PartnerPage(self)
        self.share = SharePage(self)
        self.consent = ConsentPage(self)
        self.preview = PreviewPage(self)
        self.save_page = SavePage(self)
        for page in (self.partner, self.share, self.consent, self.preview, self.save_page):
            self.addPage(page)
        self.accepted.connect(lambda: self.exported.emit(self.result))
        self.rejected.connect(self._discard)

    @property
    def partner_id(self) -> int:
        pid = self.partner.partner_id()
        assert pid is not None
        return pid

    def save_concept(self) -> None:
        values = self.share.values()
        if self.referral_id is None:
            self.referral_id = self.caseload.referrals.create(
                self.client_id, self.partner_id, **values
            )
        else:
            ref = self.caseload.referrals.get(self.referral_id)
            if ref.partner_id != self.partner_id:
                self.caseload.referrals.delete_concept(self.referral_id)
                self.referral_id = self.caseload.referrals.create(
                    self.client_id, self.partner_id, **values
                )
            else:
                self.caseload.referrals.update_concept(self.referral_id, **values)

    def _discard(self) -> None:
        """Cancelled before saving: the concept goes, nothing was sent."""
        if self.referral_id is not None and self.result is None:
            with contextlib.suppress(BrugdeskError):
                self.caseload.referrals.delete_concept(self.referral_id)
