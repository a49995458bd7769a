"""Referrals with their status history (consent records live in ``consents``).

The referral status machine::

    concept -> verstuurd -> geaccepteerd -> gestart -> afgerond -> teruggekoppeld
                         \\-> afgewezen (reason required) ---------/
    geaccepteerd -> afgerond is allowed (short trajectories)

A referral can only be marked *verstuurd* with active consent for that
client and partner on record, or with an override reason (audited).

The session-level pieces (``check_referral``, ``add_referral``,
``change_concept``, ``send_referral``) let a job such as the referral letter
create and send a referral inside its own single transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from brugdesk.domain import validation as v
from brugdesk.domain.records import ReferralEventRecord, ReferralRecord, from_orm
from brugdesk.domain.referral_rules import (
    NO_CONSENT,
    STATUSES,
    allowed_next,
    correction_note,
    correction_targets,
)
from brugdesk.errors import InvalidTransition, ValidationError
from brugdesk.services.audit import record
from brugdesk.services.base import Service, check_version, get_or_404
from brugdesk.services.consents import (  # noqa: F401 - ConsentService is re-exported
    CONSENT_HOW,
    ConsentService,
    active_consent,
)
from brugdesk.storage.models import Client, Partner, Referral, ReferralEvent

DEFAULT_FEEDBACK_DAYS = 14


_FIELD_CHECKS: dict[str, Callable[[Any], Any]] = {
    "reason": lambda x: v.text(x, "Reden"),
    "request": lambda x: v.text(x, "Hulpvraag"),
    "shared_fields": lambda x: v.labels(x, "Gedeelde gegevens"),
    "shared_domains": lambda x: v.labels(x, "Gedeelde leefgebieden"),
    "feedback_due": v.feedback_date,
}


def check_referral(**fields: Any) -> dict[str, Any]:
    """The cleaned fields of a referral (only those given), or a Dutch ValidationError."""
    c = v.Checker()
    data: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in _FIELD_CHECKS:
            c.fail(key, f"Onbekend veld '{key}'.")
        else:
            data[key] = c.check(key, _FIELD_CHECKS[key], value)
    c.done()
    return data


def add_referral(
    session: Session, client_id: int, partner_id: int, fields: dict[str, Any]
) -> Referral:
    """A new concept referral (fields from ``check_referral``) with its audit row."""
    get_or_404(session, Client, client_id, "Deze cliënt")
    get_or_404(session, Partner, partner_id, "Deze partner")
    now = datetime.now()
    data = {"reason": "", "request": "", "shared_fields": [], "shared_domains": []} | fields
    referral = Referral(
        client_id=client_id,
        partner_id=partner_id,
        status="concept",
        created_at=now,
        events=[ReferralEvent(status="concept", at=now, note="")],
        **data,
    )
    session.add(referral)
    session.flush()
    record(session, "create", "referral", referral.id, client_id, partner_id=partner_id)
    return referral


def change_concept(
    session: Session,
    referral_id: int,
    fields: dict[str, Any],
    expected_version: int | None = None,
) -> Referral:
    """Change what a concept referral shares (fields from ``check_referral``)."""
    referral = get_or_404(session, Referral, referral_id, "Deze verwijzing")
    check_version(referral, expected_version)
    if referral.status != "concept":
        raise InvalidTransition("Een verstuurde verwijzing kan niet meer worden gewijzigd.")
    for key, value in fields.items():
        setattr(referral, key, value)
    record(session, "change", "referral", referral.id, referral.client_id, fields=sorted(fields))
    return referral


def send_referral(
    session: Session,
    referral: Referral,
    *,
    letter_sha256: str,
    feedback_due: date | None = None,
    override_reason: str = "",
    note: str = "",
) -> Referral:
    """concept -> verstuurd with the export audit row; needs consent or an override reason."""
    if "verstuurd" not in allowed_next(referral.status):
        _refuse(referral.status, "verstuurd")
    consent = active_consent(session, referral.client_id, referral.partner_id)
    if consent is None and not (override_reason or "").strip():
        raise ValidationError({"consent": NO_CONSENT})
    referral.consent_id = consent.id if consent else None
    referral.consent_override_reason = "" if consent else override_reason
    referral.letter_sha256 = letter_sha256
    referral.feedback_due = (
        feedback_due or referral.feedback_due or date.today() + timedelta(DEFAULT_FEEDBACK_DAYS)
    )
    referral.status = "verstuurd"
    referral.events.append(ReferralEvent(status="verstuurd", at=datetime.now(), note=note or ""))
    record(
        session,
        "export",
        "referral",
        referral.id,
        referral.client_id,
        sha256=letter_sha256,
        consent_id=referral.consent_id,
    )
    if consent is None:
        record(session, "consent_override", "referral", referral.id, referral.client_id)
    return referral


def _refuse(current: str, new: str) -> None:
    options = ", ".join(allowed_next(current)) or "geen"
    raise InvalidTransition(
        f"Een verwijzing met status '{current}' kan niet naar '{new}'. Mogelijk: {options}."
    )


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
        fields = check_referral(
            reason=reason,
            request=request,
            shared_fields=shared_fields,
            shared_domains=shared_domains,
            feedback_due=feedback_due,
        )
        with self._tx() as s:
            return add_referral(s, client_id, partner_id, fields).id

    def get(self, referral_id: int) -> ReferralRecord:
        with self._tx() as s:
            return self._record(get_or_404(s, Referral, referral_id, "Deze verwijzing"))

    def update_concept(
        self, referral_id: int, *, expected_version: int | None = None, **fields: Any
    ) -> ReferralRecord:
        """Change what a referral shares while it is still a concept."""
        data = check_referral(**fields)
        with self._tx() as s:
            return self._record(change_concept(s, referral_id, data, expected_version))

    def delete_concept(self, referral_id: int) -> None:
        with self._tx() as s:
            referral = get_or_404(s, Referral, referral_id, "Deze verwijzing")
            if referral.status != "concept":
                raise InvalidTransition("Alleen een concept kan worden weggegooid.")
            client_id = referral.client_id
            s.delete(referral)
            record(s, "delete", "referral", referral_id, client_id)

    def fetch(self, client_id: int | None = None) -> list[ReferralRecord]:
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
        due = c.check("feedback_due", v.feedback_date, feedback_due)
        note = c.check("note", v.text, note, "Toelichting", max_len=v.MEDIUM_MAX)
        c.done()
        with self._tx() as s:
            referral = get_or_404(s, Referral, referral_id, "Deze verwijzing")
            send_referral(
                s,
                referral,
                letter_sha256=letter_sha256,
                feedback_due=due,
                override_reason=override_reason,
                note=note,
            )
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

    def correct_status(self, referral_id: int, status: str, *, reason: str) -> ReferralRecord:
        """Undo a status set by mistake: back to an earlier status, with a reason.

        History is never rewritten: a correction event is added ("Correctie:
        <from> → <to>, reden: …") and the referral's status becomes *status*.
        """
        c = v.Checker()
        reason = c.check(
            "reason", v.text, reason, "Reden van de correctie", required=True, max_len=v.MEDIUM_MAX
        )
        c.done()
        with self._tx() as s:
            referral = get_or_404(s, Referral, referral_id, "Deze verwijzing")
            current = referral.status
            targets = correction_targets([e.status for e in referral.events])
            if status not in targets:
                options = ", ".join(targets) or "geen"
                raise InvalidTransition(
                    f"Een verwijzing met status '{current}' kan niet worden teruggezet naar "
                    f"'{status}'. Mogelijk: {options}."
                )
            self._move(referral, status, correction_note(current, status, reason))
            record(
                s,
                "change",
                "referral",
                referral.id,
                referral.client_id,
                status=status,
                corrected_from=current,
            )
            return self._record(referral)

    @staticmethod
    def _check_transition(current: str, new: str) -> None:
        if new not in allowed_next(current):
            _refuse(current, new)

    @staticmethod
    def _move(referral: Referral, status: str, note: str) -> None:
        referral.status = status
        referral.events.append(ReferralEvent(status=status, at=datetime.now(), note=note or ""))

    @staticmethod
    def _record(r: Referral) -> ReferralRecord:
        session = object_session(r)
        if session is not None:
            session.flush()  # the returned record carries the raised version
        events = tuple(from_orm(ReferralEventRecord, e) for e in r.events)
        return from_orm(ReferralRecord, r, events=events)
