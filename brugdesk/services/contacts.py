"""Contact moments (notes) and drafts of unsaved typing."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from brugdesk.domain import validation as v
from brugdesk.domain.contact_rules import clean_contact
from brugdesk.domain.records import ContactRecord, DraftRecord, from_orm
from brugdesk.errors import ValidationError
from brugdesk.services.audit import record
from brugdesk.services.base import Service, apply_changes, get_or_404
from brugdesk.storage.models import Client, Contact, Draft

#: A draft may hold anything typed, but not without bound.
MAX_DRAFT_BYTES = 4 * v.LONG_MAX


def new_contact_draft_key(client_id: int) -> str:
    return f"contact:new:{client_id}"


class ContactService(Service):
    def add(self, client_id: int, *, discard_draft: bool = True, **fields: Any) -> int:
        data = clean_contact(fields)
        now = datetime.now()
        with self._tx() as s:
            get_or_404(s, Client, client_id, "Deze cliënt")
            contact = Contact(client_id=client_id, **data, created_at=now, updated_at=now)
            s.add(contact)
            s.flush()
            if discard_draft:
                s.execute(delete(Draft).where(Draft.key == new_contact_draft_key(client_id)))
            record(s, "create", "contact", contact.id, client_id)
            return contact.id

    def get(self, contact_id: int) -> ContactRecord:
        with self._tx() as s:
            return from_orm(ContactRecord, get_or_404(s, Contact, contact_id, "Dit contactmoment"))

    def update(self, contact_id: int, **fields: Any) -> ContactRecord:
        data = clean_contact(fields, partial=True)
        with self._tx() as s:
            contact = get_or_404(s, Contact, contact_id, "Dit contactmoment")
            changed = apply_changes(contact, data)
            if changed:
                contact.updated_at = datetime.now()
                record(s, "change", "contact", contact.id, contact.client_id, fields=changed)
            s.execute(delete(Draft).where(Draft.key == f"contact:{contact_id}"))
            return from_orm(ContactRecord, contact)

    def delete(self, contact_id: int) -> None:
        with self._tx() as s:
            contact = get_or_404(s, Contact, contact_id, "Dit contactmoment")
            client_id = contact.client_id
            s.delete(contact)
            record(s, "delete", "contact", contact_id, client_id)

    def list(self, client_id: int, *, limit: int | None = None) -> list[ContactRecord]:
        """A client's contacts, newest first."""
        with self._tx() as s:
            q = (
                select(Contact)
                .where(Contact.client_id == client_id)
                .order_by(Contact.occurred_at.desc(), Contact.id.desc())
            )
            if limit:
                q = q.limit(limit)
            return [from_orm(ContactRecord, c) for c in s.scalars(q)]

    # Drafts of a contact being typed; see DraftService for the general mechanism.

    def save_draft(self, client_id: int, contact_id: int | None = None, **fields: Any) -> None:
        key = f"contact:{contact_id}" if contact_id else new_contact_draft_key(client_id)
        self._cl.drafts.save(key, fields, client_id=client_id)

    def get_draft(self, client_id: int, contact_id: int | None = None) -> dict[str, Any] | None:
        key = f"contact:{contact_id}" if contact_id else new_contact_draft_key(client_id)
        draft = self._cl.drafts.get(key)
        return draft.payload if draft else None


class DraftService(Service):
    """Unsaved typing of any form, kept so that a lock or crash never loses it.

    A draft is not validated beyond size: it must accept whatever was typed,
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
            s.execute(delete(Draft).where(Draft.key == key))

    def list(self, *, client_id: int | None = None) -> list[DraftRecord]:
        with self._tx() as s:
            q = select(Draft).order_by(Draft.updated_at.desc())
            if client_id is not None:
                q = q.where(Draft.client_id == client_id)
            return [from_orm(DraftRecord, d) for d in s.scalars(q)]
