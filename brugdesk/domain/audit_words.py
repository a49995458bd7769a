"""The audit trail in Dutch words: for the Logboek and the privacy officer's CSV.

The trail stores English codes and ids (``services.audit``); these functions
say them in words a worker and a privacy officer read. A hash is never shown
in full (its first characters identify a file well enough), and an action or
key this list does not know yet is shown as stored rather than hidden.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

ACTION_WORDS: dict[str, str] = {
    "backup": "back-up gemaakt",
    "change": "gewijzigd",
    "consent_override": "gedeeld zonder toestemming",
    "create": "aangemaakt",
    "delete": "verwijderd",
    "export": "geëxporteerd",
    "import": "geïmporteerd",
    "print": "afgedrukt",
    "read": "bekeken",
    "restore": "back-up teruggezet",
    "unlock_failure": "mislukte ontgrendeling",
}

ENTITY_WORDS: dict[str, str] = {
    "action": "planactie",
    "assessment": "gesprek",
    "audit": "logboek",
    "client": "cliënt",
    "consent": "toestemming",
    "contact": "contactmoment",
    "gp_feedback": "terugkoppeling huisarts",
    "partner": "sociale kaart",
    "referral": "verwijzing",
    "referrer": "verwijzer",
    "report": "rapport Resultaten",
    "search": "zoeken",
    "settings": "instellingen",
    "vault": "kluis",
}

#: What a read (action "read") looked at, by its ``view`` detail.
VIEW_WORDS: dict[str, str] = {
    "dossier": "dossier geopend",
    "gp_letter": "huisartsbrief ingezien",
    "inzage": "inzage gemaakt",
    "letter": "voorbeeld verwijsbrief",
    "report": "rapport opgebouwd",
    "search": "gezocht",
}

DETAIL_WORDS: dict[str, str] = {
    "accepted_older": "oudere database aanvaard",
    "client": "cliënt",
    "clients": "cliënten",
    "consent_id": "toestemming",
    "copy": "kopie",
    "count": "aantal",
    "domains": "leefgebieden",
    "draft": "concept",
    "fields": "velden",
    "file": "bestand",
    "from_assessment": "uit gesprek",
    "filter_action": "handeling",
    "hits": "treffers",
    "kind": "soort",
    "letter_sha256": "controlegetal brief",
    "partner_id": "partner",
    "period": "periode",
    "reason": "reden",
    "referrer_id": "verwijzer",
    "sha256": "controlegetal",
    "skipped": "overgeslagen",
    "source": "bron",
    "status": "status",
    "via": "via",
    "with_names": "met namen",
}

FIELD_WORDS: dict[str, str] = {
    "address": "adres",
    "city": "woonplaats",
    "closed_on": "afgesloten op",
    "date_of_birth": "geboortedatum",
    "email": "e-mail",
    "family_name": "achternaam",
    "generation": "databaseversie",
    "given_name": "voornaam",
    "help_question": "hulpvraag",
    "note": "notitie",
    "organisation": "organisatie",
    "passphrase": "wachtwoord",
    "phone": "telefoon",
    "recovery_key": "herstelsleutel",
    "status": "status",
    "withdrawn_at": "ingetrokken op",
    "worker_name": "naam werker",
    "worker_role": "functie werker",
}

VALUE_WORDS: dict[str, str] = {"recovery_key": "herstelsleutel", "demo": "demogegevens"}


class LogLine(NamedTuple):
    """One audit entry as the Logboek lists it: time and details stay the stored
    text until read, so a year of entries is listed without parsing 50,000 of each
    (only the lines on screen are)."""

    id: int
    at_text: str  # UTC, as stored
    action: str
    entity: str
    entity_id: int | None
    client_id: int | None
    details_text: str | None

    @property
    def at(self) -> datetime:
        """The time (UTC, naive), parsed when asked for."""
        return datetime.fromisoformat(self.at_text)

    @property
    def details(self) -> dict[str, Any]:
        return json.loads(self.details_text) if self.details_text else {}


HASH_KEEP = 10  # characters of a SHA-256 shown: enough to tell files apart


def local_time(at: datetime) -> datetime:
    """A stored (naive UTC) time as this laptop's local time, naive."""
    return at.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def action_words(action: str) -> str:
    return ACTION_WORDS.get(action, action)


def entity_words(entity: str) -> str:
    return ENTITY_WORDS.get(entity, entity)


def client_words(client_id: int | None, names: Mapping[int, str] | None) -> str:
    """The client as shown: the name (when *names* is given), else the number.

    A client who is no longer in *names* was erased: only the number remains.
    """
    if client_id is None:
        return ""
    if names is None:
        return str(client_id)
    name = names.get(client_id)
    return name if name else f"cliënt {client_id} (verwijderd)"


def _value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, str) and key.endswith("sha256") and len(value) > HASH_KEEP:
        return value[:HASH_KEEP] + "…"
    if isinstance(value, list | tuple):
        words = FIELD_WORDS if key == "fields" else VALUE_WORDS
        if key == "period" and len(value) == 2:
            return f"{_day(value[0])} t/m {_day(value[1])}"
        return ", ".join(words.get(str(v), str(v)) for v in value)
    if value is None:
        return "alle" if key in ("client", "filter_action") else "—"
    if key == "filter_action":
        return action_words(str(value))
    return VALUE_WORDS.get(str(value), str(value))


def _day(value: Any) -> str:
    text = str(value)
    parts = text.split("-")
    return f"{parts[2]}-{parts[1]}-{parts[0]}" if len(parts) == 3 else text


def details_words(action: str, details: Mapping[str, Any]) -> str:
    """The details as one Dutch line: ``velden: voornaam; bestand: x.pdf``."""
    parts = []
    for key, value in details.items():
        if key == "view":
            parts.append(VIEW_WORDS.get(str(value), str(value)))
            continue
        parts.append(f"{DETAIL_WORDS.get(key, key)}: {_value(key, value)}")
    return "; ".join(parts)
