"""Rules about assessments (one conversation with an instrument): what may be
stored, how the history reads, what a scale scores, how a plan action is worded.

Pure: no vault, no Qt. The services and the conversation job both use these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from brugdesk.domain import instruments
from brugdesk.domain import validation as v
from brugdesk.domain.life_domains import DEFAULT_INSTRUMENT
from brugdesk.domain.records import AssessmentRecord
from brugdesk.errors import ValidationError

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


@dataclass(frozen=True)
class CleanAssessment:
    """An assessment that passed every rule and may be stored as is."""

    instrument_id: str
    instrument_version: str
    held_on: date
    note: str
    items: tuple[dict[str, Any], ...]

    @property
    def domains(self) -> list[str]:
        return [item["domain"] for item in self.items]


def clean_assessment(
    *,
    instrument_id: Any,
    instrument_version: Any,
    items: list[dict[str, Any]],
    held_on: Any = None,
    note: Any = "",
) -> CleanAssessment:
    """Check one conversation before it is stored. Only discussed parts are passed."""
    c = v.Checker()
    inst = c.check("instrument_id", v.line, instrument_id, "Instrument", required=True, max_len=80)
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
    return CleanAssessment(inst, version, held, note, tuple(cleaned))


def plan_action_text(inst: instruments.Instrument, part: str, wish: str) -> str:
    """A plan action is worded from the client's own wish."""
    name = inst.part_name(part)
    wish = wish.strip()
    return f"{name}: {wish}" if wish else f"{name}: vervolgstap afspreken"


# --- history ---------------------------------------------------------------------


@dataclass(frozen=True)
class DomainChange:
    domain: str
    first: int | None
    latest: int | None

    @property
    def arrow(self) -> str:
        if self.first is None or self.latest is None:
            return ""
        return "↑" if self.latest > self.first else "↓" if self.latest < self.first else "="


def wheel_pair(assessments: list[AssessmentRecord], instrument_id: str):
    """(first, latest) of *assessments* with that instrument; None where absent."""
    found = [a for a in assessments if a.instrument_id == instrument_id]
    if not found:
        return None, None
    return found[0], (found[-1] if len(found) > 1 else None)


def domain_changes(assessments: list[AssessmentRecord], instrument_id: str) -> list[DomainChange]:
    scores: dict[str, list[int]] = {}
    for a in assessments:
        if a.instrument_id != instrument_id:
            continue
        for item in a.items:
            if item.score is not None:
                scores.setdefault(item.domain, []).append(item.score)
    order = instruments.get(instrument_id).parts
    # One measurement is no change: ``first`` stays None and there is no arrow.
    return [
        DomainChange(d, scores[d][0] if len(scores[d]) > 1 else None, scores[d][-1])
        for d in order
        if d in scores
    ]


def scale_result_of(a: AssessmentRecord) -> instruments.ScaleResult:
    inst = instruments.get(a.instrument_id, a.instrument_version)
    answers = {}
    for item in a.items:
        answer = instruments.answer_at(inst, item.score)
        if answer is not None:
            answers[item.domain] = answer
    return instruments.score_scale(inst, answers)


def domains_at_issue(assessments: list[AssessmentRecord]) -> list[str]:
    """Priority or low-scoring domains from the latest conversation, most urgent first."""
    first, latest = wheel_pair(assessments, DEFAULT_INSTRUMENT)
    source = latest or first
    if source is None:
        return []
    items = sorted(source.items, key=lambda i: (not i.priority, i.score or 9))
    return [i.domain for i in items if i.priority or (i.score is not None and i.score <= 3)]
