"""Drafts: unsaved typing of any form, kept so that a lock or crash never loses it.

Which key a form uses is decided in ``domain.draft_keys``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from brugdesk.domain import validation as v
from brugdesk.domain.records import DraftRecord, from_orm
from brugdesk.errors import ValidationError
from brugdesk.services.base import Service
from brugdesk.storage.models import Draft

#: A draft may hold anything typed, but not without bound.
MAX_DRAFT_BYTES = 4 * v.LONG_MAX


def delete_draft(session: Session, key: str) -> None:
    """Remove the draft under *key* in *session*: the job that stored the record owns it."""
    session.execute(delete(Draft).where(Draft.key == key))


class DraftService(Service):
    """A draft is not validated beyond size: it must accept whatever was typed,
    including half-finished dates. It is checked when it is finally saved.
    Drafts are working state, not records, so they are not audited.
    """

    def save(self, key: str, payload: dict[str, Any], *, client_id: int | None = None) -> None:
        key = v.line(key, "Conceptsleutel", required=True)
        encoded = json.dumps(payload, default=str)
        if len(encoded) > MAX_DRAFT_BYTES:
            raise ValidationError({"draft": "Dit concept is te groot om te bewaren."})
        payload = json.loads(encoded)
        with self._tx() as s:
            draft = s.get(Draft, key)
            if draft is None:
                draft = Draft(key=key)
                s.add(draft)
            draft.client_id = client_id
            draft.payload = payload
            draft.updated_at = datetime.now()

    def get(self, key: str) -> DraftRecord | None:
        with self._tx() as s:
            draft = s.get(Draft, key)
            return from_orm(DraftRecord, draft) if draft else None

    def discard(self, key: str) -> None:
        with self._tx() as s:
            delete_draft(s, key)

    def fetch(self, *, client_id: int | None = None) -> list[DraftRecord]:
        with self._tx() as s:
            q = select(Draft).order_by(Draft.updated_at.desc())
            if client_id is not None:
                q = q.where(Draft.client_id == client_id)
            return [from_orm(DraftRecord, d) for d in s.scalars(q)]
