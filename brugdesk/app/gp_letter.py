"""The GP feedback letter job: the same shape as the referral letter.

::

    draft = GpLetterDraft(caseload, client_id)
    draft.choose(next_steps="…", consent_how="mondeling", password=pw)
    draft.pdf                     # rendered once for these choices
    draft.save(dest)              # exactly those bytes, with consent and audit in one go

Consent for the GP is a consent without a partner with purpose
``GP_PURPOSE`` (a consent for a referral never covers it, see
``domain.consent_rules``). The letter lists only referrals that were sent and
states its consent basis (who, how, when) like the referral letter. Nothing is written before ``save``; ``save`` records consent
given now (or the override, audited), and the export audit row with the
file's SHA-256 in one transaction, together with the file.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from brugdesk.app.letters import ExportResult, LetterDraft, save_letter, sha256
from brugdesk.documents import letter_content as content
from brugdesk.documents.letter_pdf import Letter
from brugdesk.domain import validation as v
from brugdesk.domain.consent_rules import GP_PURPOSE, GP_RECIPIENT
from brugdesk.domain.referral_rules import DEFAULT_FIELDS
from brugdesk.errors import ValidationError
from brugdesk.services.audit import record
from brugdesk.services.consents import (
    CONSENT_HOW,
    active_purpose_consent,
    add_consent,
    check_consent,
)

if TYPE_CHECKING:
    from brugdesk.app.caseload import Caseload

__all__ = ["GP_PURPOSE", "GP_RECIPIENT", "NO_GP_CONSENT", "GpChoices", "GpLetterDraft"]
NO_GP_CONSENT = (
    "Er is geen toestemming vastgelegd om de huisarts terug te koppelen. Leg die eerst "
    "vast, of geef een reden."
)
GP_CONSENT_CHANGED = (
    "De toestemming voor de huisarts is intussen ingetrokken of gewijzigd. Sluit dit "
    "venster en maak de brief opnieuw."
)


@dataclass(frozen=True)
class GpChoices:
    fields: tuple[str, ...] = DEFAULT_FIELDS
    next_steps: str = ""
    consent_how: str = ""  # consent given now: "mondeling" or "schriftelijk"
    override_reason: str = ""
    password: str | None = None


class GpLetterDraft(LetterDraft[GpChoices]):
    """One GP feedback letter being made: records gathered once, choices in memory."""

    _read_entity = "gp_feedback"
    _read_view = "gp_letter"

    def __init__(self, caseload: Caseload, client_id: int, *, today: date | None = None) -> None:
        self.caseload = caseload
        self.client_id = client_id
        self.today = today or date.today()
        self.client = caseload.clients.get(client_id)
        self.sender = content.Sender.from_settings(caseload.settings.get())
        self.assessments = caseload.assessments.fetch(client_id)
        self.partner_names = {p.id: p.organisation for p in caseload.partners.fetch()}
        # Only what was actually sent (verstuurd or later); a concept never reached anyone.
        self.referrals = [r for r in caseload.referrals.fetch(client_id) if r.status != "concept"]
        self.open_actions = caseload.actions.fetch(client_id, open_only=True)
        self.consent = caseload.consents.active_for_purpose(client_id, GP_PURPOSE)
        self._choices = GpChoices()

    def choose(self, **changes) -> None:
        if "fields" in changes:
            changes["fields"] = tuple(changes["fields"])
        self._choices = dataclasses.replace(self._choices, **changes)

    @property
    def has_consent(self) -> bool:
        return self.consent is not None

    def letter(self, ch: GpChoices | None = None) -> Letter:
        ch = ch or self._choices
        return content.gp_feedback_letter(
            sender=self.sender,
            client=self.client,
            assessments=self.assessments,
            referrals=self.referrals,
            partner_names=self.partner_names,
            open_actions=self.open_actions,
            fields=ch.fields,
            next_steps=ch.next_steps,
            today=self.today,
            consent=self.consent_basis(ch),
        )

    def consent_basis(self, ch: GpChoices | None = None) -> str:
        """The letter's sentence on consent: who gave it, how and when — or why without."""
        ch = ch or self._choices
        if self.consent is not None:
            return content.consent_sentence(
                True,
                given_on=self.consent.given_at.date(),
                how=self.consent.how,
                recorded_by=self.consent.recorded_by,
            )
        if ch.consent_how:
            return content.consent_sentence(
                True, given_on=self.today, how=ch.consent_how, recorded_by=self._recorder()
            )
        return content.consent_sentence(False, ch.override_reason)

    def _recorder(self) -> str:
        return self.sender.author if self.sender.author != "brugdesk" else ""

    def default_file_name(self) -> str:
        return content.default_file_name("terugkoppeling", self.client, self.today)

    def check(self, ch: GpChoices | None = None) -> dict | None:
        """The consent to record now (or None); a Dutch ValidationError if it cannot go."""
        ch = ch or self._choices
        c = v.Checker()
        c.check("next_steps", v.text, ch.next_steps, "Vervolg")
        c.check(
            "override_reason",
            v.text,
            ch.override_reason,
            "Reden zonder toestemming",
            max_len=v.MEDIUM_MAX,
        )
        if ch.consent_how and ch.consent_how not in CONSENT_HOW:
            c.fail("consent_how", "Kies hoe de cliënt toestemming gaf: mondeling of schriftelijk.")
        c.done()
        if not (self.has_consent or ch.consent_how or ch.override_reason.strip()):
            raise ValidationError({"consent": NO_GP_CONSENT})
        if not ch.consent_how or self.has_consent:
            return None  # nothing to record, or already on record (a second save)
        return check_consent(
            recipient=GP_RECIPIENT,
            purpose=GP_PURPOSE,
            how=ch.consent_how,
            recorded_by=self._recorder(),
        )

    def save(self, dest: Path) -> ExportResult:
        """Write exactly ``self.pdf`` to *dest*, with consent and audit, all or nothing."""
        ch = self._choices
        consent = self.check(ch)
        pdf = self.pdf
        stated = self.consent.id if self.consent is not None else None

        def rows(session: Session, sha: str) -> None:
            if consent is not None:
                add_consent(session, self.client_id, None, consent)
            on_record = active_purpose_consent(session, self.client_id, GP_PURPOSE)
            if on_record is None and not ch.override_reason.strip():
                raise ValidationError({"consent": NO_GP_CONSENT})  # withdrawn meanwhile
            if stated is not None and (on_record is None or on_record.id != stated):
                # The letter names a consent that is no longer the one on record.
                raise ValidationError({"consent": GP_CONSENT_CHANGED})
            record(
                session,
                "export",
                "gp_feedback",
                None,
                self.client_id,
                sha256=sha,
                consent_id=on_record.id if on_record else None,
            )
            if on_record is None:
                record(session, "consent_override", "gp_feedback", None, self.client_id)

        save_letter(self.caseload, pdf, dest, rows)
        if consent is not None:
            self.consent = self.caseload.consents.active_for_purpose(self.client_id, GP_PURPOSE)
        return ExportResult(Path(dest), sha256(pdf), bool(ch.password))
