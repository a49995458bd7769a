"""Plan actions: what the client and the worker agreed to do, by when."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from brugdesk.domain import validation as v
from brugdesk.domain.records import ActionRecord, from_orm
from brugdesk.domain.today_rules import ACTION_STATUSES
from brugdesk.services import audit
from brugdesk.services.base import Service, apply_changes, check_version, get_or_404
from brugdesk.storage.models import Action, Client


def clean_action(data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    c = v.Checker()
    out: dict[str, Any] = {}
    if not partial or "description" in data:
        out["description"] = c.check(
            "description",
            v.text,
            data.get("description"),
            "Omschrijving",
            required=True,
            max_len=v.MEDIUM_MAX * 5,
        )
    if not partial or "domain" in data:
        out["domain"] = c.check("domain", v.line, data.get("domain"), "Leefgebied", max_len=80)
    if not partial or "who" in data:
        out["who"] = c.check("who", v.line, data.get("who"), "Wie")
    if not partial or "due_on" in data:
        out["due_on"] = c.check("due_on", v.parse_date, data.get("due_on"), "Uiterlijk op")
    if not partial or "status" in data:
        out["status"] = c.check(
            "status", v.choice, data.get("status") or "open", "Status", ACTION_STATUSES
        )
    for key in sorted(set(data) - {"description", "domain", "who", "due_on", "status"}):
        c.fail(key, f"Onbekend veld '{key}'.")
    c.done()
    return out


def insert_action(session: Session, client_id: int, data: dict[str, Any], **audit_details) -> int:
    """Add one checked action (see ``clean_action``) with its audit row, in *session*."""
    action = Action(client_id=client_id, **data, created_at=datetime.now())
    if action.status == "gedaan":
        action.done_on = date.today()
    session.add(action)
    session.flush()
    audit.record(session, "create", "action", action.id, client_id, **audit_details)
    return action.id


class ActionService(Service):
    def add(self, client_id: int, **fields: Any) -> int:
        data = clean_action(fields)
        with self._tx() as s:
            get_or_404(s, Client, client_id, "Deze cliënt")
            return insert_action(s, client_id, data)

    def update(
        self, action_id: int, *, expected_version: int | None = None, **fields: Any
    ) -> ActionRecord:
        """Change an action; with *expected_version*, refuse (StaleRecord) if it changed since."""
        data = clean_action(fields, partial=True)
        with self._tx() as s:
            action = get_or_404(s, Action, action_id, "Deze actie")
            check_version(action, expected_version)
            changed = apply_changes(action, data)
            if "status" in changed:
                action.done_on = date.today() if action.status == "gedaan" else None
            if changed:
                audit.record(s, "change", "action", action.id, action.client_id, fields=changed)
            s.flush()  # the returned record carries the raised version
            return from_orm(ActionRecord, action)

    def delete(self, action_id: int) -> None:
        with self._tx() as s:
            action = get_or_404(s, Action, action_id, "Deze actie")
            client_id = action.client_id
            s.delete(action)
            audit.record(s, "delete", "action", action_id, client_id)

    def fetch(self, client_id: int | None = None, *, open_only: bool = False) -> list[ActionRecord]:
        with self._tx() as s:
            q = select(Action).order_by(Action.due_on.is_(None), Action.due_on, Action.id)
            if client_id is not None:
                q = q.where(Action.client_id == client_id)
            if open_only:
                q = q.where(Action.status.in_(("open", "bezig")))
            return [from_orm(ActionRecord, a) for a in s.scalars(q)]
