"""What a valid entry of the referrer list is (a GP practice, POH, wijkteam, ...)."""

from __future__ import annotations

import re
from typing import Any

from brugdesk.domain import pick_lists
from brugdesk.domain import validation as v
from brugdesk.errors import ValidationError

FIELDS = ("name", "kind", "address", "channel", "agb_code", "phone", "notes")
_AGB = re.compile(r"[0-9]{8}")


def agb_code(value: Any) -> str:
    """An AGB code: eight digits (spaces allowed while typing), or empty."""
    raw = "".join(str(value or "").split())
    if raw and not _AGB.fullmatch(raw):
        raise v.FieldError("Een AGB-code bestaat uit 8 cijfers.")
    return raw


def clean_referrer(data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Validate referrer fields; raises ValidationError listing every bad field."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationError({k: f"Onbekend veld '{k}'." for k in sorted(unknown)})
    c = v.Checker()
    out: dict[str, Any] = {}

    def want(name: str) -> bool:
        return not partial or name in data

    if want("name"):
        out["name"] = c.check("name", v.line, data.get("name"), "Naam", required=True)
    if want("kind"):
        out["kind"] = c.check(
            "kind",
            v.choice,
            data.get("kind") or "huisarts",
            "Soort verwijzer",
            pick_lists.ids(pick_lists.referrer_kinds()),
        )
    if want("address"):
        out["address"] = c.check(
            "address", v.line, data.get("address"), "Adres", max_len=v.MEDIUM_MAX
        )
    if want("channel"):
        channel = data.get("channel") or ""
        out["channel"] = (
            c.check(
                "channel",
                v.choice,
                channel,
                "Beveiligd kanaal",
                pick_lists.ids(pick_lists.channels()),
            )
            if channel
            else ""
        )
    if want("agb_code"):
        out["agb_code"] = c.check("agb_code", agb_code, data.get("agb_code"))
    if want("phone"):
        out["phone"] = c.check("phone", v.phone, data.get("phone"))
    if want("notes"):
        out["notes"] = c.check("notes", v.text, data.get("notes"), "Notities", max_len=v.MEDIUM_MAX)
    c.done()
    return out
