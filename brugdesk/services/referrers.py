"""The referrer list: GP practices and the other kinds of referrer of a client."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from brugdesk.domain.records import ReferrerRecord, from_orm
from brugdesk.domain.referrer_rules import clean_referrer
from brugdesk.services.audit import record
from brugdesk.services.base import Service, apply_changes, check_version, get_or_404
from brugdesk.storage.models import Client, Referrer


class ReferrerService(Service):
    def add(self, **fields: Any) -> int:
        data = clean_referrer(fields)
        with self._tx() as s:
            return add_referrer(s, data)

    def get(self, referrer_id: int) -> ReferrerRecord:
        with self._tx() as s:
            return from_orm(ReferrerRecord, get_or_404(s, Referrer, referrer_id, "Deze verwijzer"))

    def update(
        self, referrer_id: int, *, expected_version: int | None = None, **fields: Any
    ) -> ReferrerRecord:
        """Change an entry; with *expected_version*, refuse (StaleRecord) if it changed since."""
        data = clean_referrer(fields, partial=True)
        with self._tx() as s:
            referrer = get_or_404(s, Referrer, referrer_id, "Deze verwijzer")
            check_version(referrer, expected_version)
            changed = apply_changes(referrer, data)
            if changed:
                record(s, "change", "referrer", referrer.id, fields=changed)
            s.flush()  # the returned record carries the raised version
            return from_orm(ReferrerRecord, referrer)

    def delete(self, referrer_id: int) -> int:
        """Remove an entry; clients it referred keep no referrer. Returns their number."""
        with self._tx() as s:
            referrer = get_or_404(s, Referrer, referrer_id, "Deze verwijzer")
            cleared = s.execute(
                update(Client)
                .where(Client.referrer_id == referrer_id)
                .values(referrer_id=None)
                .execution_options(synchronize_session=False)
            ).rowcount
            s.delete(referrer)
            record(s, "delete", "referrer", referrer_id, clients=cleared)
            return int(cleared or 0)

    def fetch(self) -> list[ReferrerRecord]:
        """Every entry, by name."""
        with self._tx() as s:
            rows = s.scalars(select(Referrer).order_by(func.lower(Referrer.name), Referrer.id))
            return [from_orm(ReferrerRecord, r) for r in rows]

    def usage(self) -> dict[int, int]:
        """How many clients each entry referred (entries without clients are absent)."""
        with self._tx() as s:
            q = (
                select(Client.referrer_id, func.count(Client.id))
                .where(Client.referrer_id.is_not(None))
                .group_by(Client.referrer_id)
            )
            return {int(rid): int(n) for rid, n in s.execute(q).all()}


def add_referrer(s: Session, data: dict[str, Any]) -> int:
    referrer = Referrer(**data, created_at=datetime.now())
    s.add(referrer)
    s.flush()
    record(s, "create", "referrer", referrer.id)
    return referrer.id


def find_or_add(s: Session, name: str, kind: str) -> int:
    """The entry with this name (case and spacing ignored) and kind, made if missing."""
    wanted = " ".join(name.split())
    key = wanted.casefold()
    for referrer in s.scalars(select(Referrer).where(Referrer.kind == kind)):
        if " ".join(referrer.name.split()).casefold() == key:
            return referrer.id
    return add_referrer(s, clean_referrer({"name": wanted, "kind": kind}))
