"""What a valid contact moment is: the kinds of contact and the field check."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from brugdesk.domain import validation as v

KINDS = (
    "huisbezoek",
    "telefonisch",
    "spreekuur",
    "overleg met partner",
    "e-mail of bericht",
    "videogesprek",
    "anders",
)


def clean_contact(
    data: dict[str, Any], *, partial: bool = False, stored_occurred_at: datetime | None = None
) -> dict[str, Any]:
    """The cleaned fields of a contact; *stored_occurred_at* is the saved moment when editing.

    An unchanged moment is not held to the "not more than a day ahead" rule
    (see :func:`brugdesk.domain.validation.contact_moment`).
    """
    c = v.Checker()
    out: dict[str, Any] = {}
    if not partial or "occurred_at" in data:
        out["occurred_at"] = c.check(
            "occurred_at", v.contact_moment, data.get("occurred_at"), stored=stored_occurred_at
        )
    if not partial or "kind" in data:
        out["kind"] = c.check(
            "kind", v.choice, data.get("kind") or "huisbezoek", "Soort contact", KINDS
        )
    if not partial or "duration_min" in data:
        out["duration_min"] = c.check("duration_min", v.minutes, data.get("duration_min"))
    if not partial or "note" in data:
        out["note"] = c.check("note", v.text, data.get("note"), "Notitie")
    if not partial or "domains" in data:
        out["domains"] = c.check("domains", v.labels, data.get("domains"), "Leefgebieden")
    if not partial or "travel_minutes" in data:
        out["travel_minutes"] = c.check(
            "travel_minutes", v.minutes, data.get("travel_minutes"), "Reistijd"
        )
    if not partial or "travel_km" in data:
        out["travel_km"] = c.check("travel_km", v.kilometres, data.get("travel_km"))
    fields = {"occurred_at", "kind", "duration_min", "note", "domains"}
    unknown = set(data) - fields - {"travel_minutes", "travel_km"}
    for key in sorted(unknown):
        c.fail(key, f"Onbekend veld '{key}'.")
    c.done()
    return out
