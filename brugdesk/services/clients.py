"""Clients: create, edit, close with a reason, reopen, delete, list the caseload."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from brugdesk.domain import pick_lists
from brugdesk.domain import validation as v
from brugdesk.domain.client_rules import clean_client_fields
from brugdesk.domain.records import ClientRecord, ClientRow, age_on, from_orm
from brugdesk.domain.referral_rules import CLOSED_STATUSES
from brugdesk.domain.retention_rules import check_erasure_reason
from brugdesk.domain.today_rules import (
    DEFAULT_WEEKS_WITHOUT_CONTACT,
    OPEN_ACTION_STATUSES,
    without_contact,
)
from brugdesk.errors import InvalidTransition, ValidationError
from brugdesk.services.audit import record
from brugdesk.services.base import Service, apply_changes, check_version, get_or_404
from brugdesk.services.today import (
    TodayCounts,
    due_clause,
    overdue_clause,
    registered_on,
    remeasure_count_in,
)
from brugdesk.storage.models import Action, Client, Contact, Referral, Referrer
from brugdesk.storage.search_index import fold, purge_deleted_terms, scrub_free_space


class ClientService(Service):
    def create(self, **fields: Any) -> int:
        data = clean_client_fields(fields)
        now = datetime.now()
        with self._tx() as s:
            _check_referrer(s, data)
            client = Client(**data, created_at=now, updated_at=now)
            if client.started_on is None:
                client.started_on = now.date()
            s.add(client)
            s.flush()
            record(s, "create", "client", client.id, client.id)
            return client.id

    def get(self, client_id: int) -> ClientRecord:
        with self._tx() as s:
            return client_record(s, get_or_404(s, Client, client_id, "Deze cliënt"))

    def update(
        self, client_id: int, *, expected_version: int | None = None, **fields: Any
    ) -> ClientRecord:
        """Change fields; with *expected_version*, refuse (StaleRecord) if it changed since."""
        data = clean_client_fields(fields, partial=True)
        with self._tx() as s:
            client = get_or_404(s, Client, client_id, "Deze cliënt")
            check_version(client, expected_version)
            _check_referrer(s, data)
            if client.status == "afgesloten" and "status" in data:
                raise InvalidTransition("Heropen het dossier eerst; het is afgesloten.")
            changed = apply_changes(client, data)
            if changed:
                client.updated_at = datetime.now()
                record(s, "change", "client", client.id, client.id, fields=changed)
            s.flush()  # the returned record carries the raised version
            return client_record(s, client)

    def close(
        self, client_id: int, reason: str = "", closed_on: Any = None, *, code: str = ""
    ) -> ClientRecord:
        """Close a file with a reason from the list (*code*) and/or in words (*reason*).

        Words are required when no code is chosen, or when the code asks for
        them ("anders")."""
        c = v.Checker()
        reasons = pick_lists.closure_reasons()
        code = (
            c.check("closure_code", v.choice, code, "Reden", pick_lists.ids(reasons))
            if code
            else ""
        )
        needs_text = not code or any(r.id == code and r.needs_text for r in reasons)
        reason = c.check(
            "closure_reason",
            v.text,
            reason,
            "Toelichting" if code else "Reden van afsluiten",
            required=needs_text,
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
            client.closure_code = code
            client.updated_at = datetime.now()
            record(
                s,
                "change",
                "client",
                client.id,
                client.id,
                fields=["status"],
                status="afgesloten",
                closure_code=code,
            )
            s.flush()  # the returned record carries the raised version
            return client_record(s, client)

    def reopen(self, client_id: int) -> ClientRecord:
        with self._tx() as s:
            client = get_or_404(s, Client, client_id, "Deze cliënt")
            if client.status != "afgesloten":
                raise InvalidTransition("Dit dossier is niet afgesloten.")
            client.status = "actief"
            client.closed_on = None
            client.closure_reason = ""
            client.closure_code = ""
            client.updated_at = datetime.now()
            record(s, "change", "client", client.id, client.id, fields=["status"], status="actief")
            s.flush()  # the returned record carries the raised version
            return client_record(s, client)

    def delete(self, client_id: int, *, reason: str) -> None:
        """Erase a client and everything about them (AVG); the audit keeps only ids.

        The audit row holds the client id, the date and the *reason* code
        (retention_rules.ERASURE_REASONS), nothing else. No word of theirs may
        remain in any page of the database or of a later backup: the search
        indexes are merged in the same transaction (deleted entries dropped),
        then the file is vacuumed and the WAL emptied (see :func:`scrub`). That
        rewrites the whole database: about three seconds at 2,000 clients with
        30 notes each (41 MB, measured with tools/erasure_bench.py), so a window
        should run it as a background task with a progress note. It is a
        deliberate, rare action.
        """
        code = check_erasure_reason(reason)
        with self._tx() as s:
            erase_in(s, client_id, code)
            purge_deleted_terms(s.connection())
        scrub(self._cl.vault.engine)

    def find_same(
        self, given_name: Any, family_name: Any, date_of_birth: Any = None
    ) -> list[ClientRecord]:
        """Clients with this name and date of birth (names compared without case/spaces)."""
        try:
            born = v.parse_date(date_of_birth, "Geboortedatum")
        except v.FieldError:
            return []  # an unreadable date matches no one; the form says what is wrong
        with self._tx() as s:
            return [client_record(s, c) for c in same_person(s, given_name, family_name, born)]

    def count(self) -> int:
        with self._tx() as s:
            return s.scalar(select(func.count(Client.id))) or 0

    def fetch(self, *, status: str | None = None, today: date | None = None) -> list[ClientRow]:
        """The caseload: each client with last contact, next due item and open referrals."""
        with self._tx() as s:
            return _by_name(_lines(s, today or date.today(), status=status).rows)

    def rows(self, ids: Iterable[int], *, today: date | None = None) -> list[ClientRow]:
        """The caseload lines of just these clients (gone ones are left out)."""
        wanted = sorted(set(ids))
        if not wanted:
            return []
        with self._tx() as s:
            return _by_name(_lines(s, today or date.today(), ids=wanted).rows)

    def overview(
        self, *, weeks_without_contact: int = DEFAULT_WEEKS_WITHOUT_CONTACT, on: date | None = None
    ) -> CaseloadOverview:
        """Everything the window shows at unlock, in one read: every caseload line
        (in no particular order: the window sorts) and the 'Vandaag' figures (the
        same as ``Caseload.today_counts``), counted from the same per-client figures
        instead of by a second pass over the vault."""
        on = on or date.today()
        with self._tx() as s:
            lines = _lines(s, on)
            again = remeasure_count_in(s, on)  # WHO-5/DJG-6 due again: one small aggregate
        quiet = sum(
            without_contact(r.status, r.last_contact, on, weeks_without_contact, r.started_on)
            for r in lines.rows
        )
        counts = TodayCounts(lines.overdue_feedback, lines.actions_due, quiet, again)
        return CaseloadOverview(tuple(lines.rows), counts)


def erase_in(s: Session, client_id: int, reason: str) -> None:
    """Delete one client (cascading to everything about them) with its audit row.

    The caller merges the search indexes (``purge_deleted_terms``) once after
    all its deletes, in the same transaction, and calls :func:`scrub` after the
    commit: several deletes then rewrite the database once."""
    client = get_or_404(s, Client, client_id, "Deze cliënt")
    s.delete(client)
    record(s, "delete", "client", client_id, client_id, reason=check_erasure_reason(reason))
    s.flush()


def scrub(engine: Engine) -> None:
    """After erasures are committed: no deleted word left in free pages or the WAL."""
    scrub_free_space(engine)


def _check_referrer(s: Session, data: dict[str, Any]) -> None:
    referrer_id = data.get("referrer_id")
    if referrer_id is not None and s.get(Referrer, referrer_id) is None:
        raise ValidationError(
            {"referrer_id": "Deze verwijzer staat niet (meer) in de lijst. Kies een andere."}
        )


def client_record(s: Session, client: Client) -> ClientRecord:
    """The client as the window sees it, with the referrer entry's name and kind."""
    referrer = s.get(Referrer, client.referrer_id) if client.referrer_id is not None else None
    return from_orm(
        ClientRecord,
        client,
        referrer_name=referrer.name if referrer else "",
        referrer_kind=referrer.kind if referrer else "",
    )


def name_key(given_name: Any, family_name: Any) -> tuple[str, str]:
    """A name as compared for 'the same person': case, accents and spacing do not count."""
    given, family = (" ".join(fold(str(n or "")).split()) for n in (given_name, family_name))
    return given, family


def same_person(s: Session, given_name: Any, family_name: Any, born: date | None) -> list[Client]:
    """Clients in *s* with this name and date of birth (None matches None)."""
    q = select(Client).where(
        Client.date_of_birth.is_(None) if born is None else Client.date_of_birth == born
    )
    key = name_key(given_name, family_name)
    return [
        c for c in s.scalars(q.order_by(Client.id)) if name_key(c.given_name, c.family_name) == key
    ]


@dataclass(frozen=True)
class CaseloadOverview:
    rows: tuple[ClientRow, ...]
    today: TodayCounts


@dataclass(frozen=True)
class _Lines:
    rows: list[ClientRow]
    actions_due: int  # open actions due on or before the day, of these clients
    overdue_feedback: int  # referrals whose feedback is overdue, of these clients


def _by_name(rows: list[ClientRow]) -> list[ClientRow]:
    rows.sort(key=lambda r: (r.family_name, r.given_name))
    return rows


def _lines(
    s: Session, today: date, *, status: str | None = None, ids: list[int] | None = None
) -> _Lines:
    """Three statements: the clients with their last contact (a look-up in the
    client/when index per client), and per client the open actions and the open
    referrals as aggregates. Run on the connection: plain rows, no ORM layer.
    The lines come in no particular order."""
    conn = s.connection()
    clients = select(
        Client.id,
        Client.given_name,
        Client.family_name,
        Client.date_of_birth,
        Client.status,
        Referrer.kind,
        Referrer.name,
        select(func.max(Contact.occurred_at))
        .where(Contact.client_id == Client.id)
        .correlate(Client)
        .scalar_subquery(),
        registered_on(),
    ).outerjoin(Referrer, Referrer.id == Client.referrer_id)
    # SQLite takes the bare column (the description) from a row with the min().
    actions = (
        select(
            Action.client_id,
            func.min(Action.due_on),
            Action.description,
            func.count(Action.id).filter(due_clause(today)),
        )
        .where(Action.status.in_(OPEN_ACTION_STATUSES), Action.due_on.is_not(None))
        .group_by(Action.client_id)
    )
    referrals = (
        select(
            Referral.client_id,
            func.count(Referral.id),
            func.min(Referral.feedback_due),
            func.count(Referral.id).filter(overdue_clause(today)),
        )
        .where(Referral.status.not_in(CLOSED_STATUSES))
        .group_by(Referral.client_id)
    )
    if ids is not None:
        clients = clients.where(Client.id.in_(ids))
        actions = actions.where(Action.client_id.in_(ids))
        referrals = referrals.where(Referral.client_id.in_(ids))
    if status:
        clients = clients.where(Client.status == status)
    due: dict[int, tuple[date, str]] = {}
    actions_due = overdue = 0
    for cid, due_on, text, due_now in conn.execute(actions).all():
        if due_on is not None:  # always: the query asks for dated actions
            due[cid] = (due_on, text)
        actions_due += due_now
    open_refs: dict[int, int] = {}
    for cid, count, feedback, late in conn.execute(referrals).all():
        open_refs[cid] = count
        overdue += late
        if feedback is not None and (cid not in due or feedback < due[cid][0]):
            due[cid] = (feedback, "Terugkoppeling verwijzing")
    rows = []
    no_due = (None, "")
    for cid, given, family, born, st, rkind, rname, last, started in conn.execute(clients).all():
        due_on, due_text = due.get(cid, no_due)
        rows.append(
            ClientRow(
                id=cid,
                given_name=given,
                family_name=family,
                date_of_birth=born,
                age=age_on(born, today),
                status=st,
                referrer_kind=rkind or "",
                referrer_name=rname or "",
                last_contact=last,
                next_due=due_on,
                next_due_text=due_text,
                open_referrals=open_refs.get(cid, 0),
                started_on=started,
            )
        )
    return _Lines(rows, actions_due, overdue)
