"""What a valid client is: statuses, referrer kinds, the editable fields and their check."""

from __future__ import annotations

from datetime import date
from typing import Any

from brugdesk.domain import pick_lists
from brugdesk.domain import validation as v
from brugdesk.errors import ValidationError

STATUSES = ("aangemeld", "actief", "afgesloten")


#: Who reported the GP consultation figures.
GP_SOURCES = {"praktijk": "door de praktijk", "client": "door de cliënt"}


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
    "referrer_id",
    "referred_on",
    "themes",
    "reason",
    "status",
    "started_on",
    "gp_before",
    "gp_after",
    "gp_after_months",
    "gp_source",
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
    if want("referrer_id"):
        out["referrer_id"] = c.check(
            "referrer_id", v.count, data.get("referrer_id"), "Verwijzer", low=1, high=2**62
        )
    if want("referred_on"):
        referred = c.check("referred_on", v.parse_date, data.get("referred_on"), "Verwijsdatum")
        if referred and referred > date.today():
            c.fail("referred_on", "Verwijsdatum ligt in de toekomst.")
        out["referred_on"] = referred
    if want("themes"):
        out["themes"] = c.check(
            "themes", v.codes, data.get("themes"), "Thema's", pick_lists.ids(pick_lists.themes())
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
    if want("gp_before"):
        out["gp_before"] = c.check(
            "gp_before", v.count, data.get("gp_before"), "Huisartscontacten vooraf", high=365
        )
    if want("gp_after"):
        out["gp_after"] = c.check(
            "gp_after", v.count, data.get("gp_after"), "Huisartscontacten daarna", high=365
        )
    if want("gp_after_months"):
        out["gp_after_months"] = c.check(
            "gp_after_months",
            v.count,
            data.get("gp_after_months"),
            "Periode daarna (maanden)",
            low=1,
            high=36,
        )
    if want("gp_source"):
        source = data.get("gp_source") or ""
        out["gp_source"] = (
            c.check("gp_source", v.choice, source, "Gemeld door", tuple(GP_SOURCES))
            if source
            else ""
        )
    if not partial and out.get("gp_after") is not None and out.get("gp_after_months") is None:
        c.fail("gp_after_months", "Zeg over hoeveel maanden na de verwijzing dit aantal gaat.")
    c.done()
    return out
