"""Referral wizard: partner → what to share → consent → preview → save.

The pages only collect choices into a ``ReferralLetterDraft``; nothing is
written to the vault before "Opslaan" — no concept, no consent — so
cancelling writes nothing. Nothing but the chosen fields and domains and the
typed reason and request leaves the vault. The preview shows the draft's
bytes (rendered once per set of choices, on the thread pool) and saving
writes exactly those bytes, with the consent, the status and the audit row.
Only a lock keeps the typing, as a draft (ui.kit.drafting), so the wizard
comes back with it after the unlock.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget, QWizard

from brugdesk.app.caseload import Caseload
from brugdesk.app.referral_letter import ReferralLetterDraft
from brugdesk.domain.draft_keys import referral_draft_key
from brugdesk.ui.kit.drafting import Drafting
from brugdesk.ui.tasks import Tasks
from brugdesk.ui.wizards.referral_pages import (
    ConsentPage,
    PartnerPage,
    PreviewPage,
    SavePage,
    SharePage,
)


class ReferralWizard(Drafting, QWizard):
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
        self.draft_key = referral_draft_key(client_id)
        self.draft_client = client_id
        self.reopen_kind = "referral"
        self.resume_page = 0  # the page a draft was kept on
        self.start_drafting()

    @property
    def partner_id(self) -> int:
        pid = self.partner.partner_id()
        assert pid is not None
        return pid

    # --- drafting (see ui.kit.drafting) ----------------------------------------------------

    def draft_values(self) -> dict[str, Any]:
        share, consent = self.share.values(), self.consent
        return {
            "page": max(self.currentId(), 0),
            "search": self.partner.search.text(),
            "partner_id": self.partner.partner_id(),
            "shared_fields": share["shared_fields"],
            "shared_domains": share["shared_domains"],
            "reason": share["reason"],
            "request": share["request"],
            "feedback_due": share["feedback_due"].isoformat(),
            "consent_now": consent.record.isChecked(),
            "consent_how": consent.how.currentData(),
            "override": consent.override.isChecked(),
            "override_reason": consent.override_reason.text(),
        }

    def has_unsaved_edits(self) -> bool:
        if self._clean is None or self.export_result is not None:
            return False
        now = self.draft_values()
        return {**now, "page": 0} != {**self._clean, "page": 0}  # moving on is no typing

    def restore_draft(self, values: dict[str, Any]) -> None:
        self.partner.search.setText(values["search"])
        for row in range(self.partner.list.count()):
            if self.partner.list.item(row).data(Qt.ItemDataRole.UserRole) == values["partner_id"]:
                self.partner.list.setCurrentRow(row)
        share = self.share
        for key, box in share.fields.items():
            box.setChecked(key in values["shared_fields"])
        for row in range(share.domains.count()):
            item = share.domains.item(row)
            chosen = item.data(Qt.ItemDataRole.UserRole) in values["shared_domains"]
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
        share.reason.setPlainText(values["reason"])
        share.request.setPlainText(values["request"])
        share.feedback.setDate(QDate.fromString(values["feedback_due"], Qt.DateFormat.ISODate))
        consent = self.consent
        consent.record.setChecked(values["consent_now"])
        consent.how.setCurrentIndex(max(consent.how.findData(values["consent_how"]), 0))
        consent.override.setChecked(values["override"])
        consent.override_reason.setText(values["override_reason"])
        # Back on the page it was kept on, at most the consent page: the preview is
        # made again from the restored choices when the worker goes on.
        self.resume_page = min(int(values["page"]), self.pageIds()[2])

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        while self.currentId() < self.resume_page:
            before = self.currentId()
            self.next()
            if self.currentId() == before:  # a page refused (e.g. the reason is missing)
                break
        self.resume_page = 0
