"""Consent records, and referrals with their status history.

The referral status machine::

    concept -> verstuurd -> geaccepteerd -> gestart -> afgerond -> teruggekoppeld
                         \\-> afgewezen (reason required) ---------/
    geaccepteerd -> afgerond is allowed (short trajectories)

A referral can only be marked *verstuurd* with active consent for that
client and partner on record, or with an override reason (audited).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from brugdesk.domain import validation as v
from brugdesk.domain.records import ConsentRecord, ReferralEventRecord, ReferralRecord, from_orm
from brugdesk.domain.referral_rules import NO_CONSENT, STATUSES, allowed_next
from brugdesk.errors import InvalidTransition, ValidationError
from brugdesk.services.audit import record
from brugdesk.services.base import Service, get_or_404
from brugdesk.storage.models import Client, Consent, Partner, Referral, ReferralEvent

CONSENT_HOW = ("mondeling", "schriftelijk")
DEFAULT_FEEDBACK_DAYS = 14


def active_consent(session: Session, client_id: int, partner_id: int) -> Consent | None:
    """The newest consent for this client and partner that has not been withdrawn."""
    q = (
        select(Consent)
        .where(
            Consent.client_id == client_id,
            Consent.partner_id == partner_id,
            Consent.withdrawn_at.is_(None),
        )
        .order_by(Consent.given_at.desc())
    )
    return session.scalars(q).first()


class ConsentService(Service):
    def record(
        self,
        client_id: int,
        *,
        recipient: str,
        purpose: str,
        how: str,
        partner_id: int | None = None,
        given_at: Any = None,
        recorded_by: str = "",
    ) -> int:
        c = v.Checker()
        recipient = c.check("recipient", v.line, recipient, "Ontvanger", required=True)
        purpose = c.check("purpose", v.text, purpose, "Doel", required=True, max_len=v.MEDIUM_MAX)
        how = c.check("how", v.choice, how, "Wijze van toestemming", CONSENT_HOW)
        recorded_by = c.check("recorded_by", v.line, recorded_by, "Vastgelegd door")
        when = given_at or datetime.now()
        if isinstance(when, date) and not isinstance(when, datetime):
            when = datetime.combine(when, datetime.min.time())
        if not isinstance(when, datetime) or when > datetime.now() + timedelta(minutes=5):
            c.fail("given_at", "Toestemming kan niet in de toekomst gegeven zijn.")
        c.done()
        with self._tx() as s:
            get_or_404(s, Client, client_id, "Deze cliënt")
            if partner_id is not None:
                get_or_404(s, Partner, partner_id, "Deze partner")
            consent = Consent(
                client_id=client_id,
                partner_id=partner_id,
                recipient=recipient,
                purpose=purpose,
                how=how,
                given_at=when,
                recorded_by=recorded_by,
            )
            s.add(consent)
            s.flush()
            record(s, "create", "consent", consent.id, client_id, partner_id=partner_id)
            return consent.id

    def withdraw(self, consent_id: int, when: datetime | None = None) -> ConsentRecord:
        with self._tx() as s:
            consent = get_or_404(s, Consent, consent_id, "Deze toestemming")
            if consent.withdrawn_at is not None:
                raise InvalidTransition("Deze toestemming is al ingetrokken.")
            consent.withdrawn_at = when or datetime.now()
            record(s, "change", "consent", consent.id, consent.client_id, fields=["withdrawn_at"])
            return from_orm(ConsentRecord, consent)

    def list(self, client_id: int) -> list[ConsentRecord]:
        with self._tx() as s:
            q = select(Consent).where(Consent.client_id == client_id).order_by(Consent.given_at)
            return [from_orm(ConsentRecord, c) for c in s.scalars(q)]

    def active_for(self, client_id: int, partner_id: int) -> ConsentRecord | None:
        with self._tx() as s:
            consent = active_consent(s, client_id, partner_id)
            return from_orm(ConsentRecord, consent) if consent else None


class ReferralService(Service):
    def create(
        self,
        client_id: int,
        partner_id: int,
        *,
        reason: str = "",
        request: str = "",
        shared_fields: list[str] | None = None,
        shared_domains: list[str] | None = None,
        feedback_due: Any = None,
    ) -> int:
        c = v.Checker()
        reason = c.check("reason", v.text, reason, "Reden")
        request = c.check("request", v.text, request, "Hulpvraag")
        fields = c.check("shared_fields", v.labels, shared_fields, "Gedeelde gegevens")
        domains = c.check("shared_domains", v.labels, shared_domains, "Gedeelde leefgebieden")
        due = c.check("feedback_due", v.parse_date, feedback_due, "Terugkoppeldatum")
        c.done()
        now = datetime.now()
        with self._tx() as s:
            get_or_404(s, Client, client_id, "Deze cliënt")
            get_or_404(s, Partner, partner_id, "Deze partner")
            referral = Referral(
                client_id=client_id,
                partner_id=partner_id,
                reason=reason,
                request=request,
                shared_fields=fields,
                shared_domains=domains,
                feedback_due=due,
                status="concept",
                created_at=now,
                events=[ReferralEvent(status="concept", at=now, note="")],
            )
            s.add(referral)
            s.flush()
            record(s, "create", "referral", referral.id, client_id, partner_id=partner_id)
            return referral.id

    def get(self, referral_id: int) -> ReferralRecord:
        with self._tx() as s:
            return self._record(get_or_404(s, Referral, referral_id, "Deze verwijzing"))

    def update_concept(self, referral_id: int, **fields: Any) -> ReferralRecord:
        """Change what a referral shares while it is still a concept."""
        c = v.Checker()
        data: dict[str, Any] = {}
        checks = {
            "reason": lambda x: v.text(x, "Reden"),
            "request": lambda x: v.text(x, "Hulpvraag"),
            "shared_fields": lambda x: v.labels(x, "Gedeelde gegevens"),
            "shared_domains": lambda x: v.labels(x, "Gedeelde leefgebieden"),
            "feedback_due": lambda x: v.parse_date(x, "Terugkoppeldatum"),
        }
        for key, value in fields.items():
            if key not in checks:
                c.fail(key, f"Onbekend veld '{key}'.")
            else:
                data[key] = c.check(key, checks[key], value)
        c.done()
        with self._tx() as s:
            referral = get_or_404(s, Referral, referral_id, "Deze verwijzing")
            if referral.status != "concept":
                raise InvalidTransition("Een verstuurde verwijzing kan niet meer worden gewijzigd.")
            for key, value in data.items():
                setattr(referral, key, value)
            record(s, "change", "referral", referral.id, referral.client_id, fields=sorted(data))
            return self._record(referral)

    def delete_concept(self, referral_id: int) -> None:
        with self._tx() as s:
            referral = get_or_404(s, Referral, referral_id, "Deze verwijzing")
            if referral.status != "concept":
                raise InvalidTransition("Alleen een concept kan worden weggegooid.")
            client_id = referral.client_id
            s.delete(referral)
            record(s, "delete", "referral", referral_id, client_id)

    def list(self, client_id: int | None = None) -> list[ReferralRecord]:
        with self._tx() as s:
            q = select(Referral).order_by(Referral.created_at.desc(), Referral.id.desc())
            if client_id is not None:
                q = q.where(Referral.client_id == client_id)
            return [self._record(r) for r in s.scalars(q)]

    def mark_sent(
        self,
        referral_id: int,
        *,
        letter_sha256: str = "",
        feedback_due: Any = None,
        override_reason: str = "",
        note: str = "",
    ) -> ReferralRecord:
        """concept -> verstuurd; requires active consent or an override reason."""
        c = v.Checker()
        override_reason = c.check(
            "override_reason",
            v.text,
            override_reason,
            "Reden zonder toestemming",
            max_len=v.MEDIUM_MAX,
        )
        due = c.check("feedback_due", v.parse_date, feedback_due, "Terugkoppeldatum")
        note = c.check("note", v.text, note, "Toelichting", max_len=v.MEDIUM_MAX)
        c.done()
        with self._tx() as s:
            referral = get_or_404(s, Referral, referral_id, "Deze verwijzing")
            self._check_transition(referral.status, "verstuurd")
            consent = active_consent(s, referral.client_id, referral.partner_id)
            if consent is None and not (override_reason or "").strip():
                raise ValidationError({"consent": NO_CONSENT})
            referral.consent_id = consent.id if consent else None
            referral.consent_override_reason = "" if consent else override_reason
            referral.letter_sha256 = letter_sha256
            referral.feedback_due = (
                due or referral.feedback_due or date.today() + timedelta(DEFAULT_FEEDBACK_DAYS)
            )
            self._move(referral, "verstuurd", note)
            record(
                s,
                "export",
                "referral",
                referral.id,
                referral.client_id,
                sha256=letter_sha256,
                consent_id=referral.consent_id,
            )
            if consent is None:
                record(s, "consent_override", "referral", referral.id, referral.client_id)
            return self._record(referral)

    def set_status(self, referral_id: int, status: str, *, note: str = "") -> ReferralRecord:
        c = v.Checker()
        status = c.check("status", v.choice, status, "Status", STATUSES)
        note = c.check("note", v.text, note, "Toelichting", max_len=v.MEDIUM_MAX)
        if status == "afgewezen" and not (note or "").strip():
            c.fail("note", "Geef de reden waarom de verwijzing is afgewezen.")
        if status == "verstuurd":
            c.fail("status", "Een verwijzing wordt 'verstuurd' door de brief te exporteren.")
        c.done()
        with self._tx() as s:
            referral = get_or_404(s, Referral, referral_id, "Deze verwijzing")
            self._check_transition(referral.status, status)
            self._move(referral, status, note)
            record(s, "change", "referral", referral.id, referral.client_id, status=status)
            return self._record(referral)

    @staticmethod
    def _check_transition(current: str, new: str) -> None:
        if new not in allowed_next(current):
            options = ", ".join(allowed_next(current)) or "geen"
            raise InvalidTransition(
                f"Een verwijzing met status '{current}' kan niet naar '{new}'. Mogelijk: {options}."
            )

    @staticmethod
    def _move(referral: Referral, status: str, note: str) -> None:
        referral.status = status
        referral.events.append(ReferralEvent(status=status, at=datetime.now(), note=note or ""))

    @staticmethod
    def _record(r: Referral) -> ReferralRecord:
        events = tuple(from_orm(ReferralEventRecord, e) for e in r.events)
        return from_orm(ReferralRecord, r, events=events)
