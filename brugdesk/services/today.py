"""'Vandaag': overdue feedback moments, actions due, clients without contact for weeks.

The count on the toolbar comes from one statement of three aggregates; the
lists for the dialog from three plain queries that join the names in. No
referral is loaded with its history, nothing is loaded lazily. The rules
themselves live in :mod:`brugdesk.domain.today_rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import Date, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from brugdesk.domain.today_rules import (
    CLOSED_CLIENT_STATUS,
    OPEN_ACTION_STATUSES,
    WAITING_FOR_FEEDBACK,
    contact_limit,
)
from brugdesk.storage.models import Action, Client, Contact, Partner, Referral

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
class TodayCounts:
    overdue_feedback: int
    actions_due: int
    without_contact: int

    @property
    def count(self) -> int:
        return self.overdue_feedback + self.actions_due + self.without_contact


@dataclass(frozen=True)
class Today:
    overdue_feedback: tuple[OverdueFeedback, ...]
    actions_due: tuple[ActionDue, ...]
    without_contact: tuple[QuietClient, ...]
    weeks_without_contact: int

    @property
    def count(self) -> int:
        return len(self.overdue_feedback) + len(self.actions_due) + len(self.without_contact)


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


def counts_in(session: Session, weeks: int, on: date) -> TodayCounts:
    """The three figures in one statement."""
    overdue = select(func.count(Referral.id)).where(overdue_clause(on)).scalar_subquery()
    due = select(func.count(Action.id)).where(due_clause(on)).scalar_subquery()
    quiet = select(func.count(Client.id)).where(_quiet_clause(on, weeks)).scalar_subquery()
    a, b, c = session.execute(select(overdue, due, quiet)).one()
    return TodayCounts(a or 0, b or 0, c or 0)


def count_today(caseload: Caseload, weeks: int, on: date) -> TodayCounts:
    with caseload.transaction() as s:
        return counts_in(s, weeks, on)


def _name(given: str, family: str) -> str:
    return f"{given} {family}".strip()


def build_today(caseload: Caseload, weeks: int, on: date) -> Today:
    with caseload.transaction() as s:
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
    return Today(overdue, due, quiet, weeks)
