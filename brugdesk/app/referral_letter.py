"""The referral letter job: choices held in memory, bytes rendered once, one save.

::

    draft = ReferralLetterDraft(caseload, client_id)
    draft.choose(partner_id=pid, reason="…", consent_how="mondeling", password=pw)
    preview = draft.pdf           # rendered once; the same bytes until a choice changes
    result = draft.save(dest)     # writes exactly draft.pdf

Nothing is written to the vault before ``save``: not a concept referral, not
the consent typed in the wizard. ``save`` records the consent given now (or
the override with its reason), creates the referral as *verstuurd* (or sends
an existing concept), sets the feedback date and writes the export audit row
with the file's SHA-256 — all in one transaction, together with the file
(see ``letters.save_letter``). A letter that was sent before can be saved
again as a copy: audited as an export with ``copy=True``, status unchanged.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from brugdesk.app.letters import ExportResult, LetterDraft, save_letter, sha256
from brugdesk.documents import letter_content as content
from brugdesk.documents.letter_pdf import Letter
from brugdesk.domain import validation as v
from brugdesk.domain.assessments import domains_at_issue as domains_at_issue_in
from brugdesk.domain.consent_rules import REFERRAL_PURPOSE, covers
from brugdesk.domain.records import AssessmentRecord, ConsentRecord, PartnerRecord
from brugdesk.domain.referral_rules import DEFAULT_FIELDS
from brugdesk.errors import ValidationError
from brugdesk.services.audit import record
from brugdesk.services.base import get_or_404
from brugdesk.services.consents import CONSENT_HOW, add_consent, check_consent
from brugdesk.services.referrals import (
    DEFAULT_FEEDBACK_DAYS,
    NO_CONSENT,
    add_referral,
    change_concept,
    check_referral,
    send_referral,
)
from brugdesk.storage.models import Referral

if TYPE_CHECKING:
    from brugdesk.app.caseload import Caseload


@dataclass(frozen=True)
class ReferralChoices:
    """Everything the worker chose; the letter and the rows follow from this alone."""

    partner_id: int | None = None
    shared_fields: tuple[str, ...] = DEFAULT_FIELDS
    shared_domains: tuple[str, ...] = ()
    reason: str = ""
    request: str = ""
    feedback_due: date | None = None
    consent_how: str = ""  # consent given now: "mondeling" or "schriftelijk"
    override_reason: str = ""  # or: why it is sent without consent
    password: str | None = None


def suggested_partners(caseload: Caseload, client_id: int) -> list[tuple[PartnerRecord, int]]:
    """All partners with how many of the client's domains at issue they serve, best first."""
    at_issue = set(domains_at_issue_in(caseload.assessments.fetch(client_id)))
    scored = [(p, len(at_issue & set(p.domains))) for p in caseload.partners.fetch()]
    return sorted(scored, key=lambda pair: (-pair[1], pair[0].organisation.casefold()))


def check_share(**values: Any) -> dict[str, Any]:
    """The share page's choices checked (Dutch ValidationError), before anything is drafted."""
    return check_referral(**values)


def domains_at_issue(caseload: Caseload, client_id: int) -> list[str]:
    return domains_at_issue_in(caseload.assessments.fetch(client_id))


def suggested_domains(
    assessments: list[AssessmentRecord], partner: PartnerRecord | None
) -> tuple[str, ...]:
    """The domains to tick by default: at issue for this client *and* served by this partner.

    Share the minimum: never every domain of the last conversation, only what
    concerns the partner the letter goes to.
    """
    if partner is None:
        return ()
    served = set(partner.domains)
    return tuple(d for d in domains_at_issue_in(assessments) if d in served)


class ReferralLetterDraft(LetterDraft[ReferralChoices]):
    """One referral letter being made: records gathered once, choices in memory."""

    def __init__(
        self,
        caseload: Caseload,
        client_id: int,
        *,
        referral_id: int | None = None,
        today: date | None = None,
    ) -> None:
        self.caseload = caseload
        self.client_id = client_id
        self.today = today or date.today()
        self.client = caseload.clients.get(client_id)
        self.sender = content.Sender.from_settings(caseload.settings.get())
        self.assessments = caseload.assessments.fetch(client_id)
        self.partners = {p.id: p for p in caseload.partners.fetch()}
        self.consents: dict[int, ConsentRecord] = {}  # partner id -> consent for a referral
        self.consents_by_id: dict[int, ConsentRecord] = {}
        for c in caseload.consents.fetch(client_id):  # oldest first: the newest wins
            self.consents_by_id[c.id] = c
            # Only a consent for a referral to that very partner: never one for the GP.
            if c.partner_id is not None and covers(
                c, purpose=REFERRAL_PURPOSE, partner_id=c.partner_id
            ):
                self.consents[c.partner_id] = c
        self.referral = caseload.referrals.get(referral_id) if referral_id else None
        choices = ReferralChoices(feedback_due=self.today + timedelta(DEFAULT_FEEDBACK_DAYS))
        if self.referral is not None:
            r = self.referral
            choices = dataclasses.replace(
                choices,
                partner_id=r.partner_id,
                shared_fields=tuple(r.shared_fields),
                shared_domains=tuple(r.shared_domains),
                reason=r.reason,
                request=r.request,
                feedback_due=r.feedback_due or choices.feedback_due,
                override_reason=r.consent_override_reason,
            )
        self._choices = choices

    # --- choices --------------------------------------------------------------

    def choose(self, **changes) -> None:
        """Change choices; the rendered bytes are dropped only when something differs."""
        for key in ("shared_fields", "shared_domains"):
            if key in changes:
                changes[key] = tuple(changes[key])
        self._choices = dataclasses.replace(self._choices, **changes)

    @property
    def is_copy(self) -> bool:
        """A letter for a referral that was already sent: saving makes a copy."""
        return self.referral is not None and self.referral.status != "concept"

    def existing_consent(self, partner_id: int | None = None) -> ConsentRecord | None:
        pid = partner_id if partner_id is not None else self._choices.partner_id
        return self.consents.get(pid) if pid is not None else None

    def suggested_domains(self, partner_id: int | None = None) -> tuple[str, ...]:
        """The domains to tick by default for this partner (see ``suggested_domains``)."""
        pid = partner_id if partner_id is not None else self._choices.partner_id
        return suggested_domains(self.assessments, self.partners.get(pid) if pid else None)

    def consent_basis(self, ch: ReferralChoices | None = None) -> str:
        """The letter's sentence on consent: who gave it, how and when — or why without."""
        ch = ch or self._choices
        basis: ConsentRecord | None = None
        if self.is_copy:
            assert self.referral is not None
            basis = self.consents_by_id.get(self.referral.consent_id or 0)
        elif not ch.consent_how:
            basis = self.existing_consent(ch.partner_id)
        if basis is not None:
            return content.consent_sentence(
                True,
                given_on=basis.given_at.date(),
                how=basis.how,
                recorded_by=basis.recorded_by,
            )
        if ch.consent_how and not self.is_copy:
            return content.consent_sentence(
                True,
                given_on=self.today,
                how=ch.consent_how,
                recorded_by=self.caseload.settings.get().worker_name,
            )
        has_consent = self._has_consent(ch)
        return content.consent_sentence(has_consent, "" if has_consent else ch.override_reason)

    def _has_consent(self, ch: ReferralChoices) -> bool:
        if self.referral is not None and self.is_copy:
            return self.referral.consent_id is not None
        return bool(ch.consent_how) or self.existing_consent(ch.partner_id) is not None

    # --- the letter -----------------------------------------------------------

    def letter(self, ch: ReferralChoices | None = None) -> Letter:
        ch = ch or self._choices
        if ch.partner_id not in self.partners:
            raise ValidationError({"partner_id": "Kies eerst een partner om naar te verwijzen."})
        return content.referral_letter(
            sender=self.sender,
            client=self.client,
            partner=self.partners[ch.partner_id],
            assessments=self.assessments,
            shared_fields=ch.shared_fields,
            shared_domains=ch.shared_domains,
            reason=ch.reason,
            request=ch.request,
            feedback_due=ch.feedback_due or self.today + timedelta(DEFAULT_FEEDBACK_DAYS),
            consent=self.consent_basis(ch),
            today=self.today,
        )

    def default_file_name(self) -> str:
        return content.default_file_name("verwijzing", self.client, self.today)

    # --- saving ---------------------------------------------------------------

    def check(self, ch: ReferralChoices | None = None) -> dict:
        """The cleaned referral fields, or a Dutch ValidationError before anything is written."""
        ch = ch or self._choices
        if ch.partner_id not in self.partners:
            raise ValidationError({"partner_id": "Kies eerst een partner om naar te verwijzen."})
        fields = check_referral(
            reason=ch.reason,
            request=ch.request,
            shared_fields=list(ch.shared_fields),
            shared_domains=list(ch.shared_domains),
            feedback_due=ch.feedback_due,
        )
        c = v.Checker()
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
        if not self.is_copy and not self._has_consent(ch) and not ch.override_reason.strip():
            raise ValidationError({"consent": NO_CONSENT})
        return fields

    def save(self, dest: Path) -> ExportResult:
        """Write exactly ``self.pdf`` to *dest* with all its rows in one transaction."""
        ch = self._choices
        fields = self.check(ch)
        pdf = self.pdf
        if ch.partner_id is None:  # check() refuses this already; keeps the types honest
            raise ValidationError({"partner_id": "Kies eerst een partner."})
        partner_id = ch.partner_id
        if self.is_copy:
            referral_id = save_letter(self.caseload, pdf, dest, self._copy_rows)
        else:
            consent = None
            if ch.consent_how:
                consent = check_consent(
                    recipient=self.partners[partner_id].organisation,
                    purpose=REFERRAL_PURPOSE,
                    how=ch.consent_how,
                    recorded_by=self.caseload.settings.get().worker_name,
                )

            def rows(session: Session, sha: str) -> int:
                return self._send_rows(session, sha, ch, partner_id, fields, consent)

            referral_id = save_letter(self.caseload, pdf, dest, rows)
            # Sent now: saving this draft again makes an audited copy, never a second
            # referral or a second consent.
            self.referral = self.caseload.referrals.get(referral_id)
        return ExportResult(Path(dest), sha256(pdf), bool(ch.password), referral_id)

    def _send_rows(
        self,
        session: Session,
        sha: str,
        ch: ReferralChoices,
        partner_id: int,
        fields: dict,
        consent: dict | None,
    ) -> int:
        if consent is not None:
            add_consent(session, self.client_id, partner_id, consent)
        if self.referral is None:
            referral = add_referral(session, self.client_id, partner_id, fields)
        else:
            if self.referral.partner_id != partner_id:
                raise ValidationError(
                    {"partner_id": "Een concept kan niet naar een andere partner worden gestuurd."}
                )
            referral = change_concept(session, self.referral.id, fields)
        send_referral(
            session,
            referral,
            letter_sha256=sha,
            feedback_due=fields.get("feedback_due"),
            override_reason="" if consent is not None else ch.override_reason.strip(),
        )
        return referral.id

    def _copy_rows(self, session: Session, sha: str) -> int:
        assert self.referral is not None  # only a sent referral is copied
        referral = get_or_404(session, Referral, self.referral.id, "Deze verwijzing")
        record(
            session, "export", "referral", referral.id, referral.client_id, sha256=sha, copy=True
        )
        return referral.id
