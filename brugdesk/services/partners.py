"""The sociale kaart: partner organisations to refer clients to."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from brugdesk.domain import validation as v
from brugdesk.domain.records import PartnerRecord, from_orm
from brugdesk.errors import InvalidTransition
from brugdesk.services.audit import record
from brugdesk.services.base import Service, apply_changes, get_or_404
from brugdesk.storage.models import Partner, Referral

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


class PartnerService(Service):
    def add(self, **fields: Any) -> int:
        data = clean_partner(fields)
        with self._tx() as s:
            partner = Partner(**data, created_at=datetime.now())
            s.add(partner)
            s.flush()
            record(s, "create", "partner", partner.id)
            return partner.id

    def get(self, partner_id: int) -> PartnerRecord:
        with self._tx() as s:
            return from_orm(PartnerRecord, get_or_404(s, Partner, partner_id, "Deze partner"))

    def update(self, partner_id: int, **fields: Any) -> PartnerRecord:
        data = clean_partner(fields, partial=True)
        with self._tx() as s:
            partner = get_or_404(s, Partner, partner_id, "Deze partner")
            changed = apply_changes(partner, data)
            if changed:
                record(s, "change", "partner", partner.id, fields=changed)
            return from_orm(PartnerRecord, partner)

    def delete(self, partner_id: int) -> None:
        with self._tx() as s:
            partner = get_or_404(s, Partner, partner_id, "Deze partner")
            used = s.scalar(
                select(func.count(Referral.id)).where(Referral.partner_id == partner_id)
            )
            if used:
                raise InvalidTransition(
                    f"{partner.organisation} heeft {used} verwijzing(en) in dossiers en blijft "
                    "daarom in de sociale kaart. Pas zo nodig de gegevens aan."
                )
            s.delete(partner)
            record(s, "delete", "partner", partner_id)

    def list(self, *, query: str = "", domain: str = "") -> list[PartnerRecord]:
        """Partners by name (organisation, team, contact) and/or a domain they serve."""
        needle = query.strip().casefold()
        with self._tx() as s:
            partners = s.scalars(select(Partner).order_by(Partner.organisation, Partner.team))
            out = []
            for p in partners:
                hay = f"{p.organisation} {p.team} {p.contact_person}".casefold()
                if needle and needle not in hay:
                    continue
                if domain and domain not in (p.domains or []):
                    continue
                out.append(from_orm(PartnerRecord, p))
            return out
