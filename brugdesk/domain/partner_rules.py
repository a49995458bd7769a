"""What a valid partner on the sociale kaart is, and when its details need a check."""

from __future__ import annotations

from datetime import date
from typing import Any

from brugdesk.domain import validation as v

FIELDS = (
    "organisation",
    "team",
    "contact_person",
    "domains",
    "phone",
    "email",
    "address",
    "how_to_refer",
    "notes",
    "verified_on",
)


def clean_partner(data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    c = v.Checker()
    out: dict[str, Any] = {}

    def want(name: str) -> bool:
        return not partial or name in data

    if want("organisation"):
        out["organisation"] = c.check(
            "organisation", v.line, data.get("organisation"), "Organisatie", required=True
        )
    for name, label in (("team", "Team"), ("contact_person", "Contactpersoon")):
        if want(name):
            out[name] = c.check(name, v.line, data.get(name), label)
    if want("domains"):
        out["domains"] = c.check("domains", v.labels, data.get("domains"), "Leefgebieden")
    if want("phone"):
        out["phone"] = c.check("phone", v.phone, data.get("phone"))
    if want("email"):
        out["email"] = c.check("email", v.email, data.get("email"))
    if want("address"):
        out["address"] = c.check(
            "address", v.line, data.get("address"), "Adres", max_len=v.MEDIUM_MAX
        )
    for name, label in (("how_to_refer", "Zo verwijst u"), ("notes", "Notities")):
        if want(name):
            out[name] = c.check(name, v.text, data.get(name), label, max_len=v.MEDIUM_MAX * 10)
    if want("verified_on"):
        verified = c.check(
            "verified_on", v.parse_date, data.get("verified_on"), "Laatst gecontroleerd"
        )
        if verified and verified > date.today():
            c.fail("verified_on", "'Laatst gecontroleerd' ligt in de toekomst.")
        out["verified_on"] = verified
    for key in sorted(set(data) - set(FIELDS)):
        c.fail(key, f"Onbekend veld '{key}'.")
    c.done()
    return out


PARTNER_STALE_DAYS = 365


def partner_needs_check(verified_on: date | None, on: date | None = None) -> bool:
    """'Niet gecontroleerd in het afgelopen jaar' hint for the sociale kaart."""
    on = on or date.today()
    return verified_on is None or (on - verified_on).days > PARTNER_STALE_DAYS
