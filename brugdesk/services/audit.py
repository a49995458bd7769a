"""The audit trail: append-only, inside the encrypted database.

Details hold ids, field names and counts — never note texts or passphrases —
so the trail itself adds no new sensitive content.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from brugdesk.domain.audit_words import LogLine
from brugdesk.domain.changes import note_change
from brugdesk.domain.records import AuditRecord, from_orm
from brugdesk.services.base import Service
from brugdesk.storage.db import sqlite_error_to_vault_error
from brugdesk.storage.models import AuditEntry, Client

ACTIONS = (
    "create",
    "change",
    "delete",
    "export",
    "print",
    "backup",
    "restore",
    "import",
    "unlock_failure",
    "consent_override",
    "read",
)


def now_utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def record(
    session: Session,
    action: str,
    entity: str,
    entity_id: int | None = None,
    client_id: int | None = None,
    **details: Any,
) -> None:
    assert action in ACTIONS, action
    session.add(
        AuditEntry(
            at=now_utc(),
            action=action,
            entity=entity,
            entity_id=entity_id,
            client_id=client_id,
            details=details,
        )
    )
    note_change(session.info, entity, action, client_id, entity_id)


def utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC instants (naive, as stored) of local midnight on *start* and after *end*."""

    def utc(day: date) -> datetime:
        local = datetime.combine(day, time()).astimezone()  # this laptop's zone, DST included
        return local.astimezone(UTC).replace(tzinfo=None)

    return utc(start), utc(end + timedelta(days=1))


def _stored(at: datetime) -> str:
    """*at* as the audit table stores it (SQLAlchemy's SQLite DateTime text)."""
    return at.strftime("%Y-%m-%d %H:%M:%S.%f")


class AuditService(Service):
    def fetch(self, *, client_id: int | None = None, limit: int = 500) -> list[AuditRecord]:
        with self._tx() as s:
            q = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
            if client_id is not None:
                q = q.where(AuditEntry.client_id == client_id)
            return [from_orm(AuditRecord, e) for e in s.scalars(q)]

    def entries(
        self,
        start: date,
        end: date,
        *,
        client_id: int | None = None,
        action: str | None = None,
    ) -> list[LogLine]:
        """Every entry from local day *start* to local day *end* (inclusive), oldest first.

        Read by the index on ``at``; the rows are built without the ORM's identity
        map, so a year of entries stays quick.
        """
        low, high = utc_bounds(start, end)
        # Plain SQL and plain tuples: SQLAlchemy's per-row conversion of the time and
        # the JSON costs several times the query itself on a year of entries.
        sql = (
            "SELECT id, at, action, entity, entity_id, client_id, details FROM audit "
            "WHERE at >= ? AND at < ?"
        )
        params: list[Any] = [_stored(low), _stored(high)]
        if client_id is not None:
            sql += " AND client_id = ?"
            params.append(client_id)
        if action is not None:
            sql += " AND action = ?"
            params.append(action)
        with self._tx() as s:
            # On the driver's own cursor, in this transaction: SQLAlchemy's result rows
            # doubled the time of a year (50,000 entries) for nothing it adds here.
            driver = s.connection().connection.driver_connection
            assert driver is not None
            rows = driver.execute(sql + " ORDER BY at, id", tuple(params)).fetchall()
        return list(map(LogLine._make, rows))

    def client_names(self) -> dict[int, str]:
        """Every client's name by id (an erased client is simply absent)."""
        with self._tx() as s:
            rows = s.execute(select(Client.id, Client.given_name, Client.family_name))
            return {cid: f"{given} {family}".strip() for cid, given, family in rows}

    def read(
        self,
        entity: str,
        client_id: int | None = None,
        entity_id: int | None = None,
        **details: Any,
    ) -> None:
        """Note that personal data was looked at (NEN 7513): one short insert of its own.

        A read changes nothing a view shows, so no change record is noted. The
        insert commits with ``synchronous=NORMAL`` (the WAL is written, not
        flushed to the disk): a crash of the app keeps the entry, a power cut
        may lose the last ones until the next ordinary write flushes the log.
        That keeps a read under 5 ms where a flushed commit takes 10 ms or more
        (tools/bench.py, "read logged").
        """
        row = {
            "at": now_utc(),
            "action": "read",
            "entity": entity,
            "entity_id": entity_id,
            "client_id": client_id,
            "details": details,
        }
        engine = self._cl.vault.engine
        with engine.connect() as conn:
            driver = conn.connection.driver_connection
            assert driver is not None
            driver.execute("PRAGMA synchronous=NORMAL")  # no transaction is open yet
            try:
                with conn.begin():
                    conn.execute(insert(AuditEntry), row)
            except DBAPIError as exc:
                raise sqlite_error_to_vault_error(exc.orig) from exc
            finally:
                driver.execute("PRAGMA synchronous=FULL")

    def log(self, action: str, entity: str, entity_id: int | None = None, **details: Any) -> None:
        """For jobs outside the database (backup, print) that still belong in the trail."""
        client_id = details.pop("client_id", None)
        with self._tx() as s:
            record(s, action, entity, entity_id, client_id, **details)
