"""Clients: create, edit, close with a reason, reopen, delete, list the caseload."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from brugdesk.domain import validation as v
from brugdesk.domain.client_rules import clean_client_fields
from brugdesk.domain.records import ClientRecord, ClientRow, age_on, from_orm
from brugdesk.domain.today_rules import OPEN_ACTION_STATUSES
from brugdesk.errors import InvalidTransition
from brugdesk.services.audit import record
from brugdesk.services.base import Service, apply_changes, get_or_404
from brugdesk.storage.models import Action, Client, Contact, Referral

CLOSED_REFERRAL_STATUSES = ("afgewezen", "afgerond", "teruggekoppeld")


class ClientService(Service):
    def create(self, **fields: Any) -> int:
        data = clean_client_fields(fields)
        now = datetime.now()
        with self._tx() as s:
            client = Client(**data, created_at=now, updated_at=now)
            if client.started_on is None:
                client.started_on = now.date()
            s.add(client)
            s.flush()
            record(s, "create", "client", client.id, client.id)
            return client.id

    def get(self, client_id: int) -> ClientRecord:
        with self._tx() as s:
            return from_orm(ClientRecord, get_or_404(s, Client, client_id, "Deze cliënt"))

    def update(self, client_id: int, **fields: Any) -> ClientRecord:
        data = clean_client_fields(fields, partial=True)
        with self._tx() as s:
            client = get_or_404(s, Client, client_id, "Deze cliënt")
            if client.status == "afgesloten" and "status" in data:
                raise InvalidTransition("Heropen het dossier eerst; het is afgesloten.")
            changed = apply_changes(client, data)
            if changed:
                client.updated_at = datetime.now()
                record(s, "change", "client", client.id, client.id, fields=changed)
            return from_orm(ClientRecord, client)

    def close(self, client_id: int, reason: str, closed_on: Any = None) -> ClientRecord:
        c = v.Checker()
        reason = c.check(
            "closure_reason",
            v.text,
            reason,
            "Reden van afsluiten",
            required=True,
            max_len=v.MEDIUM_MAX,
        )
        when = c.check("closed_on", v.parse_date, closed_on, "Datum van afsluiten")
        when = when or date.today()
        if when > date.today():
            c.fail("closed_on", "Datum van afsluiten ligt in de toekomst.")
        c.done()
        with self._tx() as s:
            client = get_or_404(s, Client, client_id, "Deze cliënt")
            if client.status == "afgesloten":
                raise InvalidTransition("Dit dossier is al afgesloten.")
            client.status = "afgesloten"
            client.closed_on = when
            client.closure_reason = reason
            client.updated_at = datetime.now()
            record(
                s, "change", "client", client.id, client.id, fields=["status"], status="afgesloten"
            )
            return from_orm(ClientRecord, client)

    def reopen(self, client_id: int) -> ClientRecord:
        with self._tx() as s:
            client = get_or_404(s, Client, client_id, "Deze cliënt")
            if client.status != "afgesloten":
                raise InvalidTransition("Dit dossier is niet afgesloten.")
            client.status = "actief"
            client.closed_on = None
            client.closure_reason = ""
            client.updated_at = datetime.now()
            record(s, "change", "client", client.id, client.id, fields=["status"], status="actief")
            return from_orm(ClientRecord, client)

    def delete(self, client_id: int) -> None:
        """Erase a client and everything about them (AVG); the audit keeps only ids."""
        with self._tx() as s:
            client = get_or_404(s, Client, client_id, "Deze cliënt")
            s.delete(client)
            record(s, "delete", "client", client_id, client_id)

    def count(self) -> int:
        with self._tx() as s:
            return s.scalar(select(func.count(Client.id))) or 0

    def fetch(self, *, status: str | None = None, today: date | None = None) -> list[ClientRow]:
        """The caseload: each client with last contact, next due item and open referrals."""
        with self._tx() as s:
            return _rows(s, today or date.today(), status=status)

    def rows(self, ids: Iterable[int], *, today: date | None = None) -> list[ClientRow]:
        """The caseload lines of just these clients (gone ones are left out)."""
        wanted = sorted(set(ids))
        if not wanted:
            return []
        with self._tx() as s:
            return _rows(s, today or date.today(), ids=wanted)


def _rows(
    s: Session, today: date, *, status: str | None = None, ids: list[int] | None = None
) -> list[ClientRow]:
    """One statement: each client with correlated look-ups that use the per-client
    indexes (no scan of every contact, action or referral in the vault)."""

    def per_client(query: Select, column: Any) -> Any:
        return query.where(column == Client.id).correlate(Client).scalar_subquery()

    open_action = (Action.status.in_(OPEN_ACTION_STATUSES), Action.due_on.is_not(None))
    open_referral = Referral.status.not_in(CLOSED_REFERRAL_STATUSES)
    last_contact = per_client(select(func.max(Contact.occurred_at)), Contact.client_id)
    action_due = per_client(
        select(Action.due_on).where(*open_action).order_by(Action.due_on, Action.id).limit(1),
        Action.client_id,
    )
    action_text = per_client(
        select(Action.description)
        .where(*open_action)
        .order_by(Action.due_on, Action.id)
        .limit(1),
        Action.client_id,
    )
    open_referrals = per_client(
        select(func.count(Referral.id)).where(open_referral), Referral.client_id
    )
    feedback_due = per_client(
        select(func.min(Referral.feedback_due)).where(open_referral), Referral.client_id
    )
    q = select(
        Client.id,
        Client.given_name,
        Client.family_name,
        Client.date_of_birth,
        Client.status,
        Client.referrer_kind,
        Client.referrer_name,
        last_contact,
        action_due,
        action_text,
        open_referrals,
        feedback_due,
    ).order_by(Client.family_name, Client.given_name)
    if ids is not None:
        q = q.where(Client.id.in_(ids))
    if status:
        q = q.where(Client.status == status)
    rows = []
    for cid, given, family, born, st, rkind, rname, last, due, text, refs, feedback in s.execute(
        q
    ):
        if feedback is not None and (due is None or feedback < due):
            due, text = feedback, "Terugkoppeling verwijzing"
        rows.append(
            ClientRow(
                id=cid,
                given_name=given,
                family_name=family,
                date_of_birth=born,
                age=age_on(born, today),
                status=st,
                referrer_kind=rkind,
                referrer_name=rname,
                last_contact=last,
                next_due=due,
                next_due_text=text or "",
                open_referrals=refs,
            )
        )
    return rows
