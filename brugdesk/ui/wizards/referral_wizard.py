"""Referral wizard: partner → what to share → consent → preview → save.

The pages only collect choices into a ``ReferralLetterDraft``; nothing is
written to the vault before "Opslaan" — no concept, no consent — so
cancelling writes nothing. Nothing but the chosen fields and domains and the
typed reason and request leaves the vault. The preview shows the draft's
bytes (rendered once per set of choices, on the thread pool) and saving
writes exactly those bytes, with the consent, the status and the audit row.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from brugdesk.app.caseload import Caseload
from brugdesk.app.referral_letter import ReferralLetterDraft
from brugdesk.ui.tasks import Tasks
from brugdesk.ui.wizards.referral_pages import (
    ConsentPage,
    PartnerPage,
    PreviewPage,
    SavePage,
    SharePage,
)


class ReferralWizard(QWizard):
    exported = Signal(object)  # ExportResult: .path, .sha256, .referral_id

    def __init__(
        self, caseload: Caseload, client_id: int, tasks: Tasks, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.client_id = client_id
        self.tasks = tasks
        self.draft = ReferralLetterDraft(caseload, client_id)
        self.pdf: bytes | None = None  # the bytes the preview shows
        self.export_result = None
        self.setWindowTitle("Verwijzen")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.resize(820, 680)
        self.setButtonText(QWizard.WizardButton.NextButton, "Volgende >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< Vorige")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Opslaan en afronden")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Annuleren")
        self.partner = PartnerPage(self)
        self.share = SharePage(self)
        self.consent = ConsentPage(self)
        self.preview = PreviewPage(self)
        self.save_page = SavePage(self)
        for page in (self.partner, self.share, self.consent, self.preview, self.save_page):
            self.addPage(page)
        self.accepted.connect(lambda: self.exported.emit(self.export_result))

    @property
    def partner_id(self) -> int:
        pid = self.partner.partner_id()
        assert pid is not None
        return pid
