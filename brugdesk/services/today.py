"""'Vandaag': overdue feedback moments, actions due, clients without contact for weeks,
and measurements (WHO-5, DJG-6) due to be repeated.

The count on the toolbar comes from one statement of four aggregates; the
lists for the dialog from four plain queries that join the names in. The weeks
until a re-measurement are a worker setting, read in the same transaction. No
referral is loaded with its history, nothing is loaded lazily. The rules
themselves live in :mod:`brugdesk.domain.today_rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import Date, Integer, and_, case, cast, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from brugdesk.domain.retention_rules import (
    DEFAULT_RETENTION_MONTHS,
    RETENTION_MONTHS_MAX,
    RETENTION_MONTHS_MIN,
    ExpiredFile,
    months_past,
    past_retention,
)
from brugdesk.domain.today_rules import (
    CLOSED_CLIENT_STATUS,
    DEFAULT_REMEASURE_WEEKS,
    OPEN_ACTION_STATUSES,
    REMEASURE_INSTRUMENTS,
    REMEASURE_WEEKS_MAX,
    REMEASURE_WEEKS_MIN,
    WAITING_FOR_FEEDBACK,
    contact_limit,
    remeasure_limit,
)
from brugdesk.storage.models import (
    Action,
    Assessment,
    Client,
    Contact,
    Partner,
    Referral,
    Setting,
)

if TYPE_CHECKING:
    from brugdesk.app.caseload import Caseload


@dataclass(frozen=True)
class OverdueFeedback:
    id: int  # the referral
    client_id: int
    client_name: str
    partner_id: int
    partner_name: str
    status: str
    feedback_due: date | None  # never None here: the query asks for overdue dates


@dataclass(frozen=True)
class ActionDue:
    id: int  # the action
    client_id: int
    client_name: str
    description: str
    due_on: date | None  # never None here: the query asks for due dates


@dataclass(frozen=True)
class QuietClient:
    id: int  # the client
    full_name: str
    last_contact: datetime | None


@dataclass(frozen=True)
class RemeasureDue:
    client_id: int
    client_name: str
    instrument_id: str  # one of today_rules.REMEASURE_INSTRUMENTS
    first_on: date  # the one measurement so far


@dataclass(frozen=True)
class TodayCounts:
    overdue_feedback: int
    actions_due: int
    without_contact: int
    remeasure: int = 0

    @property
    def count(self) -> int:
        return self.overdue_feedback + self.actions_due + self.without_contact + self.remeasure


@dataclass(frozen=True)
class Today:
    overdue_feedback: tuple[OverdueFeedback, ...]
    actions_due: tuple[ActionDue, ...]
    without_contact: tuple[QuietClient, ...]
    weeks_without_contact: int
    remeasure: tuple[RemeasureDue, ...] = ()
    remeasure_weeks: int = DEFAULT_REMEASURE_WEEKS
    expired: tuple[ExpiredFile, ...] = ()  # closed files past the retention period
    retention_months: int = DEFAULT_RETENTION_MONTHS

    @property
    def count(self) -> int:
        return (
            len(self.overdue_feedback)
            + len(self.actions_due)
            + len(self.without_contact)
            + len(self.remeasure)
        )


#: The client a referral or action belongs to, for the 'open dossier' test (an
#: alias, so the test never correlates with a Client the outer query joins).
_Owner = aliased(Client)


def _open_dossier(client_id):
    """EXISTS the owning client, and that dossier is not closed."""
    return exists().where(_Owner.id == client_id, _Owner.status != CLOSED_CLIENT_STATUS)


def overdue_clause(on: date):
    return and_(
        Referral.status.in_(WAITING_FOR_FEEDBACK),
        Referral.feedback_due.is_not(None),
        Referral.feedback_due < on,
        _open_dossier(Referral.client_id),
    )


def due_clause(on: date):
    return and_(
        Action.status.in_(OPEN_ACTION_STATUSES),
        Action.due_on.is_not(None),
        Action.due_on <= on,
        _open_dossier(Action.client_id),
    )


def _recent_contact(on: date, weeks: int):
    """EXISTS a contact on or after the limit day (uses the client/when index)."""
    since = datetime.combine(contact_limit(on, weeks), time.min)
    return exists().where(Contact.client_id == Client.id, Contact.occurred_at >= since)


def registered_on():
    """The registration date of a client: the start date, else the day it was created."""
    return func.coalesce(Client.started_on, func.date(Client.created_at), type_=Date)


def _quiet_clause(on: date, weeks: int):
    """today_rules.without_contact in SQL: never a contact counts from the registration."""
    any_contact = exists().where(Contact.client_id == Client.id)
    return and_(
        Client.status != CLOSED_CLIENT_STATUS,
        ~_recent_contact(on, weeks),
        or_(any_contact, registered_on() < contact_limit(on, weeks)),
    )


def remeasure_weeks_in(session: Session) -> int:
    """The worker's setting (Instellingen), or the default when none (or a bad one) is stored."""
    row = session.get(Setting, "remeasure_weeks")
    return _weeks(row.value if row is not None else None)


def _weeks(value: object) -> int:
    if isinstance(value, int) and REMEASURE_WEEKS_MIN <= value <= REMEASURE_WEEKS_MAX:
        return value
    return DEFAULT_REMEASURE_WEEKS


def retention_months_in(session: Session) -> int:
    """The retention period after closure (Instellingen → Privacy), or the default."""
    row = session.get(Setting, "retention_months")
    return _months(row.value if row is not None else None)


def _months(value: object) -> int:
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and RETENTION_MONTHS_MIN <= value <= RETENTION_MONTHS_MAX
    ):
        return value
    return DEFAULT_RETENTION_MONTHS


def expired_in(session: Session, on: date, months: int | None = None) -> tuple[ExpiredFile, ...]:
    """Closed files past the retention period on *on* (retention_rules.past_retention),
    longest past first. Without *months* the stored setting is used. Closed files are
    few, so the rule runs in Python on their closing dates."""
    if months is None:
        months = retention_months_in(session)
    rows = session.execute(
        select(Client.id, Client.given_name, Client.family_name, Client.closed_on).where(
            Client.status == CLOSED_CLIENT_STATUS, Client.closed_on.is_not(None)
        )
    ).all()
    found = [
        ExpiredFile(cid, _name(g, f), closed, months_past(closed, on, months))
        for cid, g, f, closed in rows
        if closed is not None and past_retention(closed, on, months)
    ]
    found.sort(key=lambda e: (e.closed_on, e.full_name, e.client_id))
    return tuple(found)


def _stored_weeks_limit(on: date):
    """remeasure_limit(on, remeasure_weeks_in(...)) inside the statement itself, so the
    count at unlock needs no separate read of the setting."""
    stored = cast(
        select(Setting.value).where(Setting.key == "remeasure_weeks").scalar_subquery(), Integer
    )
    weeks = case(
        (stored.between(REMEASURE_WEEKS_MIN, REMEASURE_WEEKS_MAX), stored),
        else_=DEFAULT_REMEASURE_WEEKS,
    )
    return func.date(on.isoformat(), func.printf("-%d days", weeks * 7))


def _remeasure_select(on: date, weeks: int | None):
    """today_rules.remeasure_due in SQL: per open client and instrument, exactly one
    measurement, on or before the limit day (client id, instrument id, its date).
    Without *weeks* the stored setting is used."""
    first = func.min(Assessment.held_on)
    limit = _stored_weeks_limit(on) if weeks is None else remeasure_limit(on, weeks)
    return (
        select(Assessment.client_id, Assessment.instrument_id, first)
        .where(
            Assessment.instrument_id.in_(REMEASURE_INSTRUMENTS),
            _open_dossier(Assessment.client_id),
        )
        .group_by(Assessment.client_id, Assessment.instrument_id)
        .having(func.count(Assessment.id) == 1, first <= limit)
    )


def remeasure_count_in(session: Session, on: date, weeks: int | None = None) -> int:
    """How many measurements are due to be repeated (for the count at unlock)."""
    due = _remeasure_select(on, weeks).subquery()
    return session.scalar(select(func.count()).select_from(due)) or 0


def counts_in(
    session: Session, weeks: int, on: date, remeasure_weeks: int | None = None
) -> TodayCounts:
    """The four figures in one statement (the weeks setting read inside it)."""
    overdue = select(func.count(Referral.id)).where(overdue_clause(on)).scalar_subquery()
    due = select(func.count(Action.id)).where(due_clause(on)).scalar_subquery()
    quiet = select(func.count(Client.id)).where(_quiet_clause(on, weeks)).scalar_subquery()
    again = (
        select(func.count())
        .select_from(_remeasure_select(on, remeasure_weeks).subquery())
        .scalar_subquery()
    )
    a, b, c, d = session.execute(select(overdue, due, quiet, again)).one()
    return TodayCounts(a or 0, b or 0, c or 0, d or 0)


def count_today(
    caseload: Caseload, weeks: int, on: date, remeasure_weeks: int | None = None
) -> TodayCounts:
    with caseload.transaction() as s:
        return counts_in(s, weeks, on, remeasure_weeks)


def _name(given: str, family: str) -> str:
    return f"{given} {family}".strip()


def build_today(
    caseload: Caseload, weeks: int, on: date, remeasure_weeks: int | None = None
) -> Today:
    with caseload.transaction() as s:
        # Both settings the lists use, in one statement.
        wanted = ("remeasure_weeks", "retention_months")
        stored = {
            row.key: row.value for row in s.scalars(select(Setting).where(Setting.key.in_(wanted)))
        }
        if remeasure_weeks is None:
            remeasure_weeks = _weeks(stored.get("remeasure_weeks"))
        retention = _months(stored.get("retention_months"))
        overdue = tuple(
            OverdueFeedback(rid, cid, _name(g, f), pid, org, st, fd)
            for rid, cid, g, f, pid, org, st, fd in s.execute(
                select(
                    Referral.id,
                    Referral.client_id,
                    Client.given_name,
                    Client.family_name,
                    Referral.partner_id,
                    Partner.organisation,
                    Referral.status,
                    Referral.feedback_due,
                )
                .join(Client, Client.id == Referral.client_id)
                .join(Partner, Partner.id == Referral.partner_id)
                .where(overdue_clause(on))
                .order_by(Referral.feedback_due, Referral.id)
            )
        )
        due = tuple(
            ActionDue(aid, cid, _name(g, f), text, d)
            for aid, cid, g, f, text, d in s.execute(
                select(
                    Action.id,
                    Action.client_id,
                    Client.given_name,
                    Client.family_name,
                    Action.description,
                    Action.due_on,
                )
                .join(Client, Client.id == Action.client_id)
                .where(due_clause(on))
                .order_by(Action.due_on, Action.id)
            )
        )
        last = (
            select(func.max(Contact.occurred_at))
            .where(Contact.client_id == Client.id)
            .correlate(Client)
            .scalar_subquery()
        )
        quiet = tuple(
            QuietClient(cid, _name(g, f), when)
            for cid, g, f, when in s.execute(
                select(Client.id, Client.given_name, Client.family_name, last)
                .where(_quiet_clause(on, weeks))
                .order_by(Client.family_name, Client.given_name, Client.id)
            )
        )
        measured = _remeasure_select(on, remeasure_weeks).subquery()
        again = tuple(
            RemeasureDue(cid, _name(g, f), inst, first)
            for cid, g, f, inst, first in s.execute(
                select(
                    measured.c.client_id,
                    Client.given_name,
                    Client.family_name,
                    measured.c.instrument_id,
                    measured.c[2],
                )
                .join(Client, Client.id == measured.c.client_id)
                .order_by(measured.c[2], Client.family_name, Client.given_name, Client.id)
            )
        )
        expired = expired_in(s, on, retention)
    return Today(overdue, due, quiet, weeks, again, remeasure_weeks, expired, retention)
