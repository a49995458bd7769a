"""The meldcode step log of a client (meldcode huiselijk geweld en kindermishandeling).

Every change writes an audit row of entity ``meldcode`` whose details hold
only the step and the entry id (and the names of changed fields) — never the
facts, the interpretations or who was consulted. Opening the log in the
window is a read of its own (:meth:`MeldcodeService.open_log`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from brugdesk.domain.meldcode_rules import clean_entry
from brugdesk.domain.records import MeldcodeEntryRecord, from_orm
from brugdesk.services import audit
from brugdesk.services.base import Service, apply_changes, check_version, get_or_404
from brugdesk.storage.models import Client, MeldcodeEntry

ENTITY = "meldcode"


def _entries(session: Session, client_id: int) -> list[MeldcodeEntryRecord]:
    q = (
        select(MeldcodeEntry)
        .where(MeldcodeEntry.client_id == client_id)
        .order_by(MeldcodeEntry.step, MeldcodeEntry.held_on, MeldcodeEntry.id)
    )
    return [from_orm(MeldcodeEntryRecord, e) for e in session.scalars(q)]


class MeldcodeService(Service):
    def add(self, client_id: int, **fields: Any) -> int:
        data = clean_entry(fields)
        with self._tx() as s:
            get_or_404(s, Client, client_id, "Deze cliënt")
            entry = MeldcodeEntry(client_id=client_id, **data, created_at=datetime.now())
            s.add(entry)
            s.flush()
            audit.record(s, "create", ENTITY, entry.id, client_id, step=entry.step)
            return entry.id

    def update(
        self, entry_id: int, *, expected_version: int | None = None, **fields: Any
    ) -> MeldcodeEntryRecord:
        """Change an entry; with *expected_version*, refuse (StaleRecord) if it changed since."""
        data = clean_entry(fields, partial=True)
        with self._tx() as s:
            entry = get_or_404(s, MeldcodeEntry, entry_id, "Deze meldcode-stap")
            check_version(entry, expected_version)
            changed = apply_changes(entry, data)
            if changed:
                audit.record(
                    s, "change", ENTITY, entry.id, entry.client_id, step=entry.step, fields=changed
                )
            s.flush()  # the returned record carries the raised version
            return from_orm(MeldcodeEntryRecord, entry)

    def delete(self, entry_id: int, *, expected_version: int | None = None) -> None:
        with self._tx() as s:
            entry = get_or_404(s, MeldcodeEntry, entry_id, "Deze meldcode-stap")
            check_version(entry, expected_version)
            client_id, step = entry.client_id, entry.step
            s.delete(entry)
            audit.record(s, "delete", ENTITY, entry_id, client_id, step=step)

    def fetch(self, client_id: int) -> list[MeldcodeEntryRecord]:
        """The client's entries by step and date (no audit row: for the inzage and tests)."""
        with self._tx() as s:
            return _entries(s, client_id)

    def open_log(self, client_id: int) -> list[MeldcodeEntryRecord]:
        """The worker opens the step log in the window: the entries, and a read in the audit."""
        with self._tx() as s:
            get_or_404(s, Client, client_id, "Deze cliënt")
            entries = _entries(s, client_id)
            audit.record(s, "read", ENTITY, None, client_id, entries=len(entries))
            return entries

    def steps_done(self, client_id: int) -> tuple[int, ...]:
        """The steps with at least one entry, in order (no text: the dossier shows this)."""
        with self._tx() as s:
            q = (
                select(MeldcodeEntry.step)
                .where(MeldcodeEntry.client_id == client_id)
                .distinct()
                .order_by(MeldcodeEntry.step)
            )
            return tuple(s.scalars(q))
