"""Assessments (one conversation with an instrument) and plan actions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from brugdesk.domain import instruments
from brugdesk.domain import validation as v
from brugdesk.domain.progress import DomainChange, domain_changes, scale_result_of, wheel_pair
from brugdesk.domain.records import ActionRecord, AssessmentItemRecord, AssessmentRecord, from_orm
from brugdesk.errors import ValidationError
from brugdesk.services.audit import record
from brugdesk.services.base import Service, apply_changes, get_or_404
from brugdesk.storage.models import Action, Assessment, AssessmentItem, Client

ACTION_STATUSES = ("open", "bezig", "gedaan", "vervallen")
ITEM_FIELDS = {"domain", "score", "signals", "wish", "priority", "note"}


def clean_item(raw: dict[str, Any], index: int) -> dict[str, Any]:
    c = v.Checker()
    prefix = f"items[{index}]"
    unknown = set(raw) - ITEM_FIELDS
    for key in sorted(unknown):
        c.fail(f"{prefix}.{key}", f"Onbekend veld '{key}'.")
    out = {
        "domain": c.check(
            f"{prefix}.domain", v.line, raw.get("domain"), "Leefgebied", required=True, max_len=80
        ),
        "signals": c.check(
            f"{prefix}.signals", v.labels, raw.get("signals"), "Signalen", max_items=100
        ),
        "wish": c.check(
            f"{prefix}.wish",
            v.text,
            raw.get("wish"),
            "Wens van de cliënt",
            max_len=v.MEDIUM_MAX * 10,
        ),
        "note": c.check(f"{prefix}.note", v.text, raw.get("note"), "Notitie"),
        "priority": bool(raw.get("priority", False)),
        "score": None,
    }
    score = raw.get("score")
    if score is not None:
        if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 100:
            c.fail(f"{prefix}.score", "Score moet een geheel getal zijn.")
        else:
            out["score"] = score
    c.done()
    return out


def check_against_instrument(instrument_id: str, version: str, items: list[dict]) -> None:
    """Parts must belong to the instrument; scores must be on its scale."""
    try:
        inst = instruments.get(instrument_id, version)
    except instruments.InstrumentError as exc:
        raise ValidationError({"instrument_id": exc.message}) from None
    errors: dict[str, str] = {}
    for i, item in enumerate(items):
        part = item["domain"]
        if part not in inst.parts:
            errors[f"items[{i}].domain"] = f"'{part}' hoort niet bij {inst.title}."
            continue
        score = item["score"]
        if inst.kind == "domains":
            if score is not None and inst.level(score) is None:
                low, high = inst.scale[0].value, inst.scale[-1].value
                errors[f"items[{i}].score"] = f"Score moet tussen {low} en {high} liggen."
            domain = inst.domain(part)
            known = {s.id for s in domain.signals} if domain else set()
            unknown = [s for s in item["signals"] if s not in known]
            if unknown:
                errors[f"items[{i}].signals"] = f"Onbekend signaal: {', '.join(unknown)}."
        elif instruments.answer_at(inst, score) is None:
            errors[f"items[{i}].score"] = "Kies een van de antwoorden."
    if errors:
        raise ValidationError(errors)


class AssessmentService(Service):
    def add(
        self,
        client_id: int,
        *,
        instrument_id: str,
        instrument_version: str,
        items: list[dict[str, Any]],
        held_on: Any = None,
        note: str = "",
    ) -> int:
        """Store one conversation. Only discussed domains are passed — and stored."""
        c = v.Checker()
        inst = c.check(
            "instrument_id", v.line, instrument_id, "Instrument", required=True, max_len=80
        )
        version = c.check(
            "instrument_version", v.line, instrument_version, "Versie", required=True, max_len=20
        )
        held = c.check("held_on", v.parse_date, held_on, "Datum gesprek") or date.today()
        if held > date.today():
            c.fail("held_on", "Datum van het gesprek ligt in de toekomst.")
        note = c.check("note", v.text, note, "Notitie") or ""
        cleaned = []
        for i, raw in enumerate(items):
            try:
                cleaned.append(clean_item(raw, i))
            except ValidationError as exc:
                c.errors.update(exc.errors)
        domains = [item["domain"] for item in cleaned]
        if len(set(domains)) != len(domains):
            c.fail("items", "Een leefgebied staat er twee keer in.")
        c.done()
        check_against_instrument(inst, version, cleaned)
        with self._tx() as s:
            get_or_404(s, Client, client_id, "Deze cliënt")
            assessment = Assessment(
                client_id=client_id,
                instrument_id=inst,
                instrument_version=version,
                held_on=held,
                note=note,
                created_at=datetime.now(),
                items=[AssessmentItem(**item) for item in cleaned],
            )
            s.add(assessment)
            s.flush()
            record(s, "create", "assessment", assessment.id, client_id, domains=domains)
            return assessment.id

    def list(self, client_id: int) -> list[AssessmentRecord]:
        with self._tx() as s:
            q = (
                select(Assessment)
                .options(selectinload(Assessment.items))  # one query for all items
                .where(Assessment.client_id == client_id)
                .order_by(Assessment.held_on, Assessment.id)
            )
            return [self._record(a) for a in s.scalars(q)]

    def get(self, assessment_id: int) -> AssessmentRecord:
        with self._tx() as s:
            return self._record(get_or_404(s, Assessment, assessment_id, "Dit gesprek"))

    def delete(self, assessment_id: int) -> None:
        with self._tx() as s:
            a = get_or_404(s, Assessment, assessment_id, "Dit gesprek")
            client_id = a.client_id
            s.delete(a)
            record(s, "delete", "assessment", assessment_id, client_id)

    def for_instrument(self, client_id: int, instrument_id: str) -> list[AssessmentRecord]:
        return [a for a in self.list(client_id) if a.instrument_id == instrument_id]

    def wheel(self, client_id: int, instrument_id: str = "leefgebieden"):
        """(first, latest) assessments with that instrument, or None where absent."""
        return wheel_pair(self.list(client_id), instrument_id)

    def changes(self, client_id: int, instrument_id: str = "leefgebieden") -> list[DomainChange]:
        """Per domain: the first and the latest score, for ↑ ↓ = in the history."""
        return domain_changes(self.list(client_id), instrument_id)

    def scale_result(self, assessment_id: int) -> instruments.ScaleResult:
        """Total, subscales and band of a scale assessment, by its own version's rules."""
        return scale_result_of(self.get(assessment_id))

    def create_actions(self, assessment_id: int, domains: list[str]) -> list[int]:
        """One plan action per chosen domain, worded from the client's own wish."""
        a = self.get(assessment_id)
        inst = instruments.get(a.instrument_id, a.instrument_version)
        by_domain = {i.domain: i for i in a.items}
        ids = []
        with self._tx() as s:
            for domain in domains:
                item = by_domain.get(domain)
                if item is None:
                    raise ValidationError({"domains": f"'{domain}' is niet besproken."})
                name = inst.part_name(domain)
                wish = item.wish.strip()
                text = f"{name}: {wish}" if wish else f"{name}: vervolgstap afspreken"
                action = Action(
                    client_id=a.client_id,
                    domain=domain,
                    description=text,
                    who="",
                    status="open",
                    created_at=datetime.now(),
                )
                s.add(action)
                s.flush()
                record(s, "create", "action", action.id, a.client_id, from_assessment=a.id)
                ids.append(action.id)
        return ids

    @staticmethod
    def _record(a: Assessment) -> AssessmentRecord:
        items = tuple(from_orm(AssessmentItemRecord, i) for i in a.items)
        return from_orm(AssessmentRecord, a, items=items)


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


class ActionService(Service):
    def add(self, client_id: int, **fields: Any) -> int:
        data = clean_action(fields)
        with self._tx() as s:
            get_or_404(s, Client, client_id, "Deze cliënt")
            action = Action(client_id=client_id, **data, created_at=datetime.now())
            if action.status == "gedaan":
                action.done_on = date.today()
            s.add(action)
            s.flush()
            record(s, "create", "action", action.id, client_id)
            return action.id

    def update(self, action_id: int, **fields: Any) -> ActionRecord:
        data = clean_action(fields, partial=True)
        with self._tx() as s:
            action = get_or_404(s, Action, action_id, "Deze actie")
            changed = apply_changes(action, data)
            if "status" in changed:
                action.done_on = date.today() if action.status == "gedaan" else None
            if changed:
                record(s, "change", "action", action.id, action.client_id, fields=changed)
            return from_orm(ActionRecord, action)

    def delete(self, action_id: int) -> None:
        with self._tx() as s:
            action = get_or_404(s, Action, action_id, "Deze actie")
            client_id = action.client_id
            s.delete(action)
            record(s, "delete", "action", action_id, client_id)

    def list(self, client_id: int | None = None, *, open_only: bool = False) -> list[ActionRecord]:
        with self._tx() as s:
            q = select(Action).order_by(Action.due_on.is_(None), Action.due_on, Action.id)
            if client_id is not None:
                q = q.where(Action.client_id == client_id)
            if open_only:
                q = q.where(Action.status.in_(("open", "bezig")))
            return [from_orm(ActionRecord, a) for a in s.scalars(q)]
