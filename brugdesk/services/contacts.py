"""Contact moments (notes), and the drafts of a note being written."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from brugdesk.domain.contact_rules import clean_contact
from brugdesk.domain.draft_keys import contact_draft_key, new_contact_draft_key
from brugdesk.domain.records import ContactRecord, from_orm
from brugdesk.services.audit import record
from brugdesk.services.base import Service, apply_changes, check_version, get_or_404
from brugdesk.services.drafts import delete_draft
from brugdesk.storage.models import Client, Contact


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
                delete_draft(s, new_contact_draft_key(client_id))
            record(s, "create", "contact", contact.id, client_id)
            return contact.id

    def get(self, contact_id: int) -> ContactRecord:
        with self._tx() as s:
            return from_orm(ContactRecord, get_or_404(s, Contact, contact_id, "Dit contactmoment"))

    def update(
        self, contact_id: int, *, expected_version: int | None = None, **fields: Any
    ) -> ContactRecord:
        """Change a note; with *expected_version*, refuse (StaleRecord) if it changed since."""
        with self._tx() as s:
            contact = get_or_404(s, Contact, contact_id, "Dit contactmoment")
            check_version(contact, expected_version)
            # The future rule applies to a changed moment only, never to the saved one.
            data = clean_contact(fields, partial=True, stored_occurred_at=contact.occurred_at)
            changed = apply_changes(contact, data)
            if changed:
                contact.updated_at = datetime.now()
                record(s, "change", "contact", contact.id, contact.client_id, fields=changed)
            delete_draft(s, contact_draft_key(contact.client_id, contact_id))
            s.flush()  # the returned record carries the raised version
            return from_orm(ContactRecord, contact)

    def delete(self, contact_id: int) -> None:
        with self._tx() as s:
            contact = get_or_404(s, Contact, contact_id, "Dit contactmoment")
            client_id = contact.client_id
            s.delete(contact)
            delete_draft(s, contact_draft_key(client_id, contact_id))  # no edit left behind
            record(s, "delete", "contact", contact_id, client_id)

    def fetch(self, client_id: int, *, limit: int | None = None) -> list[ContactRecord]:
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
        key = contact_draft_key(client_id, contact_id)
        self._cl.drafts.save(key, fields, client_id=client_id)

    def get_draft(self, client_id: int, contact_id: int | None = None) -> dict[str, Any] | None:
        key = contact_draft_key(client_id, contact_id)
        draft = self._cl.drafts.get(key)
        return draft.payload if draft else None
