"""Consent records: who may receive what about a client, and for what purpose.

The session-level pieces (``check_consent``, ``add_consent``,
``active_consent``) let a job record consent inside its own transaction,
together with whatever the consent is for.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from brugdesk.domain import validation as v
from brugdesk.domain.consent_rules import PURPOSES, REFERRAL_PURPOSE, same_purpose
from brugdesk.domain.records import ConsentRecord, from_orm
from brugdesk.errors import InvalidTransition
from brugdesk.services.audit import record
from brugdesk.services.base import Service, get_or_404
from brugdesk.storage.models import Client, Consent, Partner

CONSENT_HOW = ("mondeling", "schriftelijk")


def _purpose_is(purpose: str):
    """SQL for "the consent's purpose is *purpose*" (see ``consent_rules.same_purpose``)."""
    return func.lower(func.trim(Consent.purpose)) == purpose.strip().casefold()


def active_consent(
    session: Session, client_id: int, partner_id: int, purpose: str = REFERRAL_PURPOSE
) -> Consent | None:
    """The newest consent for this client, partner and purpose that has not been withdrawn.

    A consent for another purpose (e.g. feedback to the GP) never counts.
    """
    q = (
        select(Consent)
        .where(
            Consent.client_id == client_id,
            Consent.partner_id == partner_id,
            _purpose_is(purpose),
            Consent.withdrawn_at.is_(None),
        )
        .order_by(Consent.given_at.desc())
    )
    return session.scalars(q).first()


def active_purpose_consent(session: Session, client_id: int, purpose: str) -> Consent | None:
    """The newest active consent for *purpose* that names no partner (e.g. the GP)."""
    q = (
        select(Consent)
        .where(
            Consent.client_id == client_id,
            Consent.partner_id.is_(None),
            _purpose_is(purpose),
            Consent.withdrawn_at.is_(None),
        )
        .order_by(Consent.given_at.desc())
    )
    return session.scalars(q).first()


def check_consent(
    *,
    recipient: str,
    purpose: str,
    how: str,
    given_at: Any = None,
    recorded_by: str = "",
) -> dict[str, Any]:
    """The cleaned fields of a consent, or a ValidationError in Dutch."""
    c = v.Checker()
    recipient = c.check("recipient", v.line, recipient, "Ontvanger", required=True)
    purpose = c.check("purpose", v.text, purpose, "Doel", required=True, max_len=v.MEDIUM_MAX)
    if purpose and not any(same_purpose(purpose, known) for known in PURPOSES):
        # A consent covers one purpose; a free-text one would silently cover nothing.
        c.fail("purpose", "Het doel is ‘verwijzing’ of ‘terugkoppeling aan de huisarts’.")
    how = c.check("how", v.choice, how, "Wijze van toestemming", CONSENT_HOW)
    recorded_by = c.check("recorded_by", v.line, recorded_by, "Vastgelegd door")
    when = given_at or datetime.now()
    if isinstance(when, date) and not isinstance(when, datetime):
        when = datetime.combine(when, datetime.min.time())
    if not isinstance(when, datetime) or when > datetime.now() + timedelta(minutes=5):
        c.fail("given_at", "Toestemming kan niet in de toekomst gegeven zijn.")
    c.done()
    return {
        "recipient": recipient,
        "purpose": purpose,
        "how": how,
        "given_at": when,
        "recorded_by": recorded_by,
    }


def add_consent(
    session: Session, client_id: int, partner_id: int | None, fields: dict[str, Any]
) -> Consent:
    """Record a consent (fields from ``check_consent``) with its audit row, in *session*."""
    get_or_404(session, Client, client_id, "Deze cliënt")
    if partner_id is not None:
        get_or_404(session, Partner, partner_id, "Deze partner")
    consent = Consent(client_id=client_id, partner_id=partner_id, **fields)
    session.add(consent)
    session.flush()
    record(session, "create", "consent", consent.id, client_id, partner_id=partner_id)
    return consent


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
        fields = check_consent(
            recipient=recipient,
            purpose=purpose,
            how=how,
            given_at=given_at,
            recorded_by=recorded_by,
        )
        with self._tx() as s:
            return add_consent(s, client_id, partner_id, fields).id

    def withdraw(self, consent_id: int, when: datetime | None = None) -> ConsentRecord:
        with self._tx() as s:
            consent = get_or_404(s, Consent, consent_id, "Deze toestemming")
            if consent.withdrawn_at is not None:
                raise InvalidTransition("Deze toestemming is al ingetrokken.")
            consent.withdrawn_at = when or datetime.now()
            record(s, "change", "consent", consent.id, consent.client_id, fields=["withdrawn_at"])
            return from_orm(ConsentRecord, consent)

    def fetch(self, client_id: int) -> list[ConsentRecord]:
        with self._tx() as s:
            q = select(Consent).where(Consent.client_id == client_id).order_by(Consent.given_at)
            return [from_orm(ConsentRecord, c) for c in s.scalars(q)]

    def active_for(self, client_id: int, partner_id: int) -> ConsentRecord | None:
        with self._tx() as s:
            consent = active_consent(s, client_id, partner_id)
            return from_orm(ConsentRecord, consent) if consent else None

    def active_for_purpose(self, client_id: int, purpose: str) -> ConsentRecord | None:
        """An active consent without a partner for *purpose* (e.g. feedback to the GP)."""
        with self._tx() as s:
            consent = active_purpose_consent(s, client_id, purpose)
            return from_orm(ConsentRecord, consent) if consent else None
