"""Inzage: everything brugdesk holds about one client, as plain data and as JSON.

:func:`build` turns the client's records into one dictionary; the PDF
(:mod:`brugdesk.documents.inzage_pdf`) is drawn from exactly this dictionary
and :func:`render` writes it as JSON, so both files carry the same data.

The format (AVG art. 20: machine-readable)
------------------------------------------
- Keys are **English** and stable (``snake_case``), like the code; values
  that a person reads (kinds, statuses, domain names, signal labels) are the
  **Dutch** words the worker saw, with the stored code next to them where
  there is one (``"domain": "financien", "domain_name": "Financiën"``).
- Dates are ISO 8601: ``YYYY-MM-DD``, moments ``YYYY-MM-DDTHH:MM:SS``
  (local time as entered; audit moments are UTC and say so in their key).
- UTF-8, no ASCII escaping; absent values are ``null``, never left out.
- ``"format": "brugdesk-inzage"`` and ``"format_version": 1`` on top.
- ``"meldcode"`` is present only when the worker chose to include it.

Typed text (notes, wishes, reasons) is copied exactly as typed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from brugdesk.domain import instruments, pick_lists
from brugdesk.domain.assessments import scale_result_of
from brugdesk.domain.life_domains import DEFAULT_INSTRUMENT
from brugdesk.domain.records import (
    ActionRecord,
    AssessmentRecord,
    AuditRecord,
    ClientRecord,
    ConsentRecord,
    ContactRecord,
    ReferralRecord,
    WorkerSettings,
)
from brugdesk.domain.referral_rules import SHAREABLE_FIELDS

FORMAT = "brugdesk-inzage"
FORMAT_VERSION = 1

#: The audit actions that mean "something about this client left the vault".
EXPORT_ACTIONS = ("export", "print")

#: The meldcode steps in our own words (the meldcode helper owns the rules; these
#: labels only name a step number when its service gives no label).
MELDCODE_STEPS = {
    1: "Signalen in kaart brengen",
    2: "Collegiale consultatie, en zo nodig Veilig Thuis raadplegen",
    3: "Gesprek met de cliënt",
    4: "Wegen aan de hand van het afwegingskader",
    5: "Beslissen: hulp organiseren en/of melden",
}


def iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


def _domain_name(domain_id: str) -> str:
    if not domain_id:
        return ""
    try:
        return instruments.get(DEFAULT_INSTRUMENT).part_name(domain_id)
    except instruments.InstrumentError:
        return domain_id


def _instrument(a: AssessmentRecord) -> instruments.Instrument | None:
    try:
        return instruments.get(a.instrument_id, a.instrument_version)
    except instruments.InstrumentError:
        return None


def client_part(client: ClientRecord, theme_labels: Sequence[str]) -> dict[str, Any]:
    return {
        "id": client.id,
        "given_name": client.given_name,
        "family_name": client.family_name,
        "date_of_birth": iso(client.date_of_birth),
        "address": client.address,
        "postal_code": client.postal_code,
        "city": client.city,
        "phone": client.phone,
        "email": client.email,
        "preferred_language": client.preferred_language,
        "referred_by": client.referrer_name,
        "referred_on": iso(client.referred_on),
        "themes": list(theme_labels),
        "reason": client.reason,
        "status": client.status,
        "started_on": iso(client.started_on),
        "closed_on": iso(client.closed_on),
        "closure_reason": client.closure_reason,
        # The reason chosen from the list (a code with its label; the words above
        # are only the worker's explanation, often empty).
        "closure_code": client.closure_code or None,
        "closure": pick_lists.closure_text(client.closure_code, client.closure_reason),
        "gp_visits_before": client.gp_before,
        "gp_visits_after": client.gp_after,
        "gp_visits_after_months": client.gp_after_months,
        "gp_visits_source": client.gp_source or None,
        "registered_at": iso(client.created_at),
        "changed_at": iso(client.updated_at),
    }


def contact_part(c: ContactRecord) -> dict[str, Any]:
    return {
        "occurred_at": iso(c.occurred_at),
        "kind": c.kind,
        "duration_minutes": c.duration_min,
        "domains": [{"domain": d, "domain_name": _domain_name(d)} for d in c.domains],
        "note": c.note,
        "travel_minutes": c.travel_minutes,
        "travel_km": c.travel_km,
    }


def conversation_part(a: AssessmentRecord) -> dict[str, Any]:
    """One conversation: every discussed part with its score, signals, wish and note.

    Labels come from the instrument version the conversation was held with.
    """
    inst = _instrument(a)
    items = []
    for item in a.items:
        score_label = ""
        signals = [{"id": s, "label": s} for s in item.signals]
        if inst is not None:
            if inst.kind == "scale":
                answer = instruments.answer_at(inst, item.score)
                score_label = next((x.label for x in inst.answers if x.id == answer), "")
            else:
                level = inst.level(item.score)
                score_label = level.label if level is not None else ""
            domain = inst.domain(item.domain)
            if domain is not None:
                signals = [{"id": s, "label": domain.signal_label(s)} for s in item.signals]
        items.append(
            {
                "part": item.domain,
                "part_name": inst.part_name(item.domain) if inst is not None else item.domain,
                "score": item.score,
                "score_label": score_label,
                "signals": signals,
                "wish": item.wish,
                "priority": item.priority,
                "note": item.note,
            }
        )
    result = None
    if inst is not None and inst.kind == "scale":
        r = scale_result_of(a)
        result = {
            "complete": r.complete,
            "total": r.total,
            "maximum": r.maximum,
            "band": r.band,
            "in_words": r.describe(inst),
        }
    return {
        "held_on": iso(a.held_on),
        "instrument": a.instrument_id,
        "instrument_version": a.instrument_version,
        "instrument_title": inst.title if inst is not None else a.instrument_id,
        "note": a.note,
        "items": items,
        "result": result,
    }


def action_part(a: ActionRecord) -> dict[str, Any]:
    return {
        "description": a.description,
        "domain": a.domain,
        "domain_name": _domain_name(a.domain),
        "who": a.who,
        "due_on": iso(a.due_on),
        "status": a.status,
        "done_on": iso(a.done_on),
        "created_at": iso(a.created_at),
    }


def referral_part(r: ReferralRecord, partner: str) -> dict[str, Any]:
    sent = next((e.at for e in r.events if e.status == "verstuurd"), None)
    return {
        "partner": partner,
        "status": r.status,
        "created_at": iso(r.created_at),
        "letter_sent_at": iso(sent),
        "reason": r.reason,
        "request": r.request,
        "shared_fields": [
            {"field": f, "label": SHAREABLE_FIELDS.get(f, f)} for f in r.shared_fields
        ],
        "shared_domains": [{"domain": d, "domain_name": _domain_name(d)} for d in r.shared_domains],
        "consent_basis": (
            "toestemming"
            if r.consent_id is not None
            else ("zonder toestemming" if r.consent_override_reason else None)
        ),
        "without_consent_reason": r.consent_override_reason,
        "feedback_due": iso(r.feedback_due),
        "letter_sha256": r.letter_sha256,
        "history": [{"status": e.status, "at": iso(e.at), "note": e.note} for e in r.events],
    }


def consent_part(c: ConsentRecord) -> dict[str, Any]:
    return {
        "recipient": c.recipient,
        "purpose": c.purpose,
        "given_at": iso(c.given_at),
        "how": c.how,
        "recorded_by": c.recorded_by,
        "withdrawn_at": iso(c.withdrawn_at),
        "active": c.withdrawn_at is None,
    }


def export_part(e: AuditRecord, referral_partner: dict[int, str], gp_name: str) -> dict[str, Any]:
    """One audit entry about a file or print-out that left the vault: what, when, to whom."""
    what, to = e.entity, None
    if e.entity == "referral":
        what = "Kopie van een verwijzingsbrief" if e.details.get("copy") else "Verwijzingsbrief"
        to = referral_partner.get(e.entity_id or -1)
    elif e.entity == "gp_feedback":
        what, to = "Terugkoppeling aan de huisarts", gp_name or "de huisarts"
    elif e.entity == "inzage":
        what, to = "Inzage en afschrift", "de cliënt"
    elif e.entity == "client":
        what = "Cliëntgegevens"
    return {
        "at_utc": iso(e.at),
        "action": e.action,
        "entity": e.entity,
        "what": what,
        "to": to,
        "file": e.details.get("file"),
        "kind": e.details.get("kind"),
        "sha256": e.details.get("sha256"),
    }


def meldcode_part(entry: Any) -> dict[str, Any]:
    """A meldcode entry from the meldcode service (read by attribute; see its records)."""
    step = getattr(entry, "step", None)
    return {
        "step": step,
        "step_name": MELDCODE_STEPS.get(step, "") if isinstance(step, int) else "",
        "held_on": iso(getattr(entry, "held_on", None)),
        "consulted": getattr(entry, "consulted", "") or "",
        "facts": getattr(entry, "facts", "") or "",
        "interpretations": getattr(entry, "interpretations", "") or "",
    }


def build(
    *,
    client: ClientRecord,
    theme_labels: Sequence[str],
    contacts: Iterable[ContactRecord],
    assessments: Iterable[AssessmentRecord],
    actions: Iterable[ActionRecord],
    referrals: Iterable[ReferralRecord],
    partner_names: dict[int, str],
    consents: Iterable[ConsentRecord],
    audit: Iterable[AuditRecord],
    settings: WorkerSettings,
    made_on: date,
    meldcode: Iterable[Any] | None = None,
) -> dict[str, Any]:
    """Everything about *client* as plain JSON-ready data (only this client's records)."""
    referral_list = sorted(referrals, key=lambda r: r.created_at)
    referral_partner = {r.id: partner_names.get(r.partner_id, "") for r in referral_list}
    exports = [
        export_part(e, referral_partner, client.referrer_name)
        for e in sorted(audit, key=lambda e: (e.at, e.id))
        if e.action in EXPORT_ACTIONS and e.client_id == client.id
    ]
    data: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "made_on": iso(made_on),
        "kept_by": {
            "organisation": settings.organisation,
            "worker": settings.worker_name,
            "role": settings.worker_role,
            "phone": settings.phone,
            "email": settings.email,
        },
        "client": client_part(client, theme_labels),
        "contacts": [contact_part(c) for c in sorted(contacts, key=lambda c: c.occurred_at)],
        "conversations": [
            conversation_part(a) for a in sorted(assessments, key=lambda a: (a.held_on, a.id))
        ],
        "plan": [action_part(a) for a in sorted(actions, key=lambda a: (a.created_at, a.id))],
        "referrals": [referral_part(r, partner_names.get(r.partner_id, "")) for r in referral_list],
        "consents": [consent_part(c) for c in sorted(consents, key=lambda c: (c.given_at, c.id))],
        "exports": exports,
    }
    if meldcode is not None:
        data["meldcode"] = [meldcode_part(m) for m in meldcode]
    return data


def render(data: dict[str, Any]) -> bytes:
    """The data as UTF-8 JSON, keys in their stable order, readable indentation."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
