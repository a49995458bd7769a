"""The audit trail: append-only, inside the encrypted database.

Details hold ids, field names and counts — never note texts or passphrases —
so the trail itself adds no new sensitive content.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from brugdesk.domain.changes import note_change
from brugdesk.domain.records import AuditRecord, from_orm
from brugdesk.services.base import Service
from brugdesk.storage.models import AuditEntry

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


class AuditService(Service):
    def fetch(self, *, client_id: int | None = None, limit: int = 500) -> list[AuditRecord]:
        with self._tx() as s:
            q = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
            if client_id is not None:
                q = q.where(AuditEntry.client_id == client_id)
            return [from_orm(AuditRecord, e) for e in s.scalars(q)]

    def log(self, action: str, entity: str, entity_id: int | None = None, **details: Any) -> None:
        """For jobs outside the database (backup, print) that still belong in the trail."""
        client_id = details.pop("client_id", None)
        with self._tx() as s:
            record(s, action, entity, entity_id, client_id, **details)
