"""What a valid client is: statuses, referrer kinds, the editable fields and their check."""

from __future__ import annotations

from datetime import date
from typing import Any

from brugdesk.domain import validation as v
from brugdesk.errors import ValidationError

STATUSES = ("aangemeld", "actief", "afgesloten")


REFERRER_KINDS = ("huisarts", "persoon", "zelf")
#: How each kind of referrer is named in the window.
REFERRER_LABELS = {"huisarts": "huisartsenpraktijk", "persoon": "andere verwijzer", "zelf": "zelf"}


#: Editable fields, in form order.
FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "address",
    "postal_code",
    "city",
    "phone",
    "email",
    "preferred_language",
    "referrer_kind",
    "referrer_name",
    "reason",
    "status",
    "started_on",
)


def clean_client_fields(data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Validate client fields; raises ValidationError listing every bad field."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationError({k: f"Onbekend veld '{k}'." for k in sorted(unknown)})
    c = v.Checker()
    out: dict[str, Any] = {}

    def want(name: str) -> bool:
        return not partial or name in data

    if want("given_name"):
        out["given_name"] = c.check(
            "given_name", v.line, data.get("given_name"), "Voornaam", required=True
        )
    if want("family_name"):
        out["family_name"] = c.check(
            "family_name", v.line, data.get("family_name"), "Achternaam", required=True
        )
    if want("date_of_birth"):
        out["date_of_birth"] = c.check("date_of_birth", v.birth_date, data.get("date_of_birth"))
    if want("address"):
        out["address"] = c.check(
            "address", v.line, data.get("address"), "Adres", max_len=v.MEDIUM_MAX
        )
    if want("postal_code"):
        out["postal_code"] = c.check("postal_code", v.postal_code, data.get("postal_code"))
    if want("city"):
        out["city"] = c.check("city", v.line, data.get("city"), "Woonplaats")
    if want("phone"):
        out["phone"] = c.check("phone", v.phone, data.get("phone"))
    if want("email"):
        out["email"] = c.check("email", v.email, data.get("email"))
    if want("preferred_language"):
        out["preferred_language"] = c.check(
            "preferred_language", v.line, data.get("preferred_language"), "Voorkeurstaal"
        )
    if want("referrer_kind"):
        out["referrer_kind"] = c.check(
            "referrer_kind",
            v.choice,
            data.get("referrer_kind") or "huisarts",
            "Verwijzer",
            REFERRER_KINDS,
        )
    if want("referrer_name"):
        out["referrer_name"] = c.check(
            "referrer_name", v.line, data.get("referrer_name"), "Naam verwijzer"
        )
    if want("reason"):
        out["reason"] = c.check("reason", v.text, data.get("reason"), "Hulpvraag")
    if want("status"):
        status = data.get("status") or "aangemeld"
        if status == "afgesloten":
            c.fail("status", "Sluit een dossier af met 'Afsluiten', dan vraagt brugdesk de reden.")
        else:
            out["status"] = c.check("status", v.choice, status, "Status", STATUSES[:2])
    if want("started_on"):
        started = c.check("started_on", v.parse_date, data.get("started_on"), "Startdatum")
        if started and started > date.today():
            c.fail("started_on", "Startdatum ligt in de toekomst.")
        out["started_on"] = started
    c.done()
    return out
