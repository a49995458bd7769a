"""The facts the "Resultaten" report counts, read from the vault in one transaction.

Only what :mod:`brugdesk.domain.report_rules` needs leaves this module: ids,
dates, codes and numbers. No name, address or dossier text is read (the
referrer's name is an organisation's). Plain rows on the connection, no ORM
objects: a year over 2,000 clients and 60,000 contacts must stay well under
a second, the PDF included.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from brugdesk.domain import instruments, scorecard
from brugdesk.domain.life_domains import DEFAULT_INSTRUMENT
from brugdesk.domain.report_rules import (
    INSTRUMENTS,
    ClientFacts,
    ContactFacts,
    DomainScoreFacts,
    GpLetterFacts,
    MeasureFacts,
    Period,
    ReferralFacts,
    ReportInput,
)
from brugdesk.services.base import Service, get_or_404
from brugdesk.storage.models import (
    Assessment,
    AssessmentItem,
    AuditEntry,
    Client,
    Contact,
    Partner,
    Referral,
    ReferralEvent,
    Referrer,
)

#: The scale instruments whose totals the outcomes compare.
SCALES = tuple(ident for ident, _label, _direction in INSTRUMENTS)


class ReportService(Service):
    def input(
        self, period: Period, practice_id: int | None = None, in_words: str = ""
    ) -> ReportInput:
        """Everything the report over *period* counts (narrowed to one referrer)."""
        with self._tx() as s:
            return read_input(s, period, practice_id, in_words)


def read_input(
    s: Session, period: Period, practice_id: int | None, in_words: str = ""
) -> ReportInput:
    conn = s.connection()
    practice_name = ""
    if practice_id is not None:
        practice_name = get_or_404(s, Referrer, practice_id, "Deze verwijzer").name
    end = datetime.combine(period.end, time.max)
    start = datetime.combine(period.start, time.min)

    first_contact = (
        select(func.min(Contact.occurred_at))
        .where(Contact.client_id == Client.id)
        .correlate(Client)
        .scalar_subquery()
    )
    q = select(
        Client.id,
        Client.referrer_id,
        Referrer.name,
        Referrer.kind,
        Client.referred_on,
        Client.started_on,
        Client.created_at,
        first_contact,
        Client.status,
        Client.closed_on,
        Client.closure_code,
        Client.date_of_birth,
        Client.postal_code,
        Client.themes,
        Client.gp_before,
        Client.gp_after,
        Client.gp_after_months,
    ).outerjoin(Referrer, Referrer.id == Client.referrer_id)
    if practice_id is not None:
        q = q.where(Client.referrer_id == practice_id)
    clients: list[ClientFacts] = []
    for row in conn.execute(q):
        registered = row.started_on or row.created_at.date()
        clients.append(
            ClientFacts(
                client_id=row.id,
                referrer_id=row.referrer_id,
                referrer=row.name or "",
                referrer_kind=row.kind or "",
                referred_on=row.referred_on,
                registered_on=registered,
                first_contact=row[7],
                status=row.status,
                closed_on=row.closed_on,
                closure_code=row.closure_code or "",
                date_of_birth=row.date_of_birth,
                postal4=(row.postal_code or "")[:4]
                if (row.postal_code or "")[:4].isdigit()
                else "",
                themes=tuple(row.themes or ()),
                gp_before=row.gp_before,
                gp_after=row.gp_after,
                gp_after_months=row.gp_after_months,
            )
        )
    wanted = {c.client_id for c in clients}

    def ours(client_id: int) -> bool:
        return practice_id is None or client_id in wanted

    # 60,000 rows: read on the driver's cursor and parse the moments with the C
    # fromisoformat (the ORM's row processing took most of the report's time).
    contact_rows = conn.exec_driver_sql(
        "SELECT client_id, occurred_at, kind, duration_min, travel_minutes, travel_km "
        "FROM contact WHERE occurred_at >= ? AND occurred_at <= ?",
        (start.isoformat(sep=" "), end.isoformat(sep=" ")),
    ).fetchall()  # one fetch: iterating fetches row by row
    parse = datetime.fromisoformat
    contacts = [
        ContactFacts(cid, parse(when), kind, minutes, travel, km)
        for cid, when, kind, minutes, travel, km in contact_rows
        if ours(cid)
    ]

    # In the order they were added, as the scorecard reads them: a correction
    # ("Correctie: …") undoes the steps it corrects, unless it came after the period.
    raw: dict[int, list[scorecard.Event]] = defaultdict(list)
    event_q = select(
        ReferralEvent.referral_id, ReferralEvent.status, ReferralEvent.at, ReferralEvent.note
    ).order_by(ReferralEvent.referral_id, ReferralEvent.id)
    for referral_id, status, at, note in conn.execute(event_q).all():
        if at <= end:
            raw[referral_id].append((status, at, note or ""))
    events = {
        rid: sorted(scorecard.effective_history(history), key=lambda e: e[1])
        for rid, history in raw.items()
    }
    referral_q = select(
        Referral.id,
        Referral.client_id,
        Referral.partner_id,
        Partner.organisation,
        Referral.shared_domains,
        Referral.feedback_due,
    ).join(Partner, Partner.id == Referral.partner_id)
    referrals = [
        ReferralFacts(
            client_id=client_id,
            partner_id=partner_id,
            partner=organisation,
            domains=tuple(domains or ()),
            events=tuple(events.get(referral_id, ())),
            feedback_due=due,
        )
        for referral_id, client_id, partner_id, organisation, domains, due in conn.execute(
            referral_q
        )
        if ours(client_id)
    ]

    measures, domain_scores = _assessments(s, period.end, ours)

    letter_q = select(AuditEntry.client_id, AuditEntry.at).where(
        AuditEntry.action == "export",
        AuditEntry.entity == "gp_feedback",
        AuditEntry.at <= end,
        AuditEntry.client_id.is_not(None),
    )
    gp_letters = [
        GpLetterFacts(cid, at)
        for cid, at in conn.execute(letter_q)
        if cid is not None and ours(cid)
    ]
    return ReportInput(
        period=period,
        practice_id=practice_id,
        clients=clients,
        contacts=contacts,
        referrals=referrals,
        measures=measures,
        domain_scores=domain_scores,
        gp_letters=gp_letters,
        in_words=in_words,
        practice_name=practice_name,
    )


def _assessments(
    s: Session, until: date, keep: Callable[[int], bool]
) -> tuple[list[MeasureFacts], list[DomainScoreFacts]]:
    """Scale totals (scored by each instrument's own rules) and life-domain scores."""
    conn = s.connection()
    q = (
        select(
            Assessment.id,
            Assessment.client_id,
            Assessment.instrument_id,
            Assessment.instrument_version,
            Assessment.held_on,
            AssessmentItem.domain,
            AssessmentItem.score,
        )
        .join(AssessmentItem, AssessmentItem.assessment_id == Assessment.id)
        .where(
            Assessment.instrument_id.in_((*SCALES, DEFAULT_INSTRUMENT)),
            Assessment.held_on <= until,
        )
        .order_by(Assessment.id)
    )
    scales: dict[int, tuple[int, str, str, date, dict[str, str]]] = {}
    domain_scores: list[DomainScoreFacts] = []
    for aid, cid, ident, version, held_on, item, score in conn.execute(q).all():
        if not keep(cid):
            continue
        if ident == DEFAULT_INSTRUMENT:
            if score is not None:
                domain_scores.append(DomainScoreFacts(cid, held_on, item, score))
            continue
        if aid not in scales:
            scales[aid] = (cid, ident, version, held_on, {})
        inst = _instrument(ident, version)
        if inst is None:
            continue
        answer = instruments.answer_at(inst, score)
        if answer is not None:
            scales[aid][4][item] = answer
    measures: list[MeasureFacts] = []
    for cid, ident, version, held_on, answers in scales.values():
        inst = _instrument(ident, version)
        if inst is None:
            continue
        result = instruments.score_scale(inst, answers)
        if result.complete and result.total is not None:
            measures.append(MeasureFacts(cid, ident, held_on, result.total))
    return measures, domain_scores


def _instrument(ident: str, version: str) -> instruments.Instrument | None:
    try:
        return instruments.get(ident, version)
    except instruments.InstrumentError:
        return None  # a conversation under an instrument this installation lacks
