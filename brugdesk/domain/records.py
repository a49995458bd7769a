"""Plain, immutable records that the service API returns.

The GUI receives these — never ORM objects or sessions — so it cannot
trigger a lazy load or a query by accident.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple, TypeVar

R = TypeVar("R")


def from_orm(cls: type[R], obj: Any, **extra: Any) -> R:
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    values = {n: getattr(obj, n) for n in names if n not in extra and hasattr(obj, n)}
    for key, value in values.items():
        if isinstance(value, list):
            values[key] = tuple(value)
    return cls(**values, **extra)


def age_on(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@dataclass(frozen=True)
class ClientRecord:
    id: int
    given_name: str
    family_name: str
    date_of_birth: date | None
    address: str
    postal_code: str
    city: str
    phone: str
    email: str
    preferred_language: str
    referrer_id: int | None
    referred_on: date | None
    themes: tuple[str, ...]
    reason: str
    status: str
    started_on: date | None
    closed_on: date | None
    closure_reason: str
    closure_code: str
    gp_before: int | None
    gp_after: int | None
    gp_after_months: int | None
    gp_source: str
    created_at: datetime
    updated_at: datetime
    #: Row version when loaded; pass it back as ``expected_version`` when saving.
    version: int = 1
    #: The referrer list entry's name and kind ('' when there is none).
    referrer_name: str = ""
    referrer_kind: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class ClientRow(NamedTuple):
    """One line of the caseload list (a named tuple: the list builds one per
    client at unlock, tens of thousands, three times faster than a dataclass)."""

    id: int
    given_name: str
    family_name: str
    date_of_birth: date | None
    age: int | None
    status: str
    referrer_kind: str
    referrer_name: str
    last_contact: datetime | None
    next_due: date | None
    next_due_text: str
    open_referrals: int
    #: The registration date ('Vandaag' counts weeks without contact from it).
    started_on: date | None = None

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


@dataclass(frozen=True)
class ContactRecord:
    id: int
    client_id: int
    occurred_at: datetime
    kind: str
    duration_min: int | None
    note: str
    domains: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    #: Row version when loaded; pass it back as ``expected_version`` when saving.
    version: int = 1
    travel_minutes: int | None = None
    travel_km: float | None = None


@dataclass(frozen=True)
class ReferrerRecord:
    """An entry of the referrer list (a GP practice, a POH, a wijkteam, ...)."""

    id: int
    name: str
    kind: str
    address: str
    channel: str
    agb_code: str
    phone: str
    notes: str
    created_at: datetime
    version: int = 1


@dataclass(frozen=True)
class DraftRecord:
    key: str
    client_id: int | None
    payload: dict[str, Any]
    updated_at: datetime


@dataclass(frozen=True)
class AssessmentItemRecord:
    domain: str
    score: int | None
    signals: tuple[str, ...]
    wish: str
    priority: bool
    note: str


@dataclass(frozen=True)
class AssessmentRecord:
    id: int
    client_id: int
    instrument_id: str
    instrument_version: str
    held_on: date
    note: str
    items: tuple[AssessmentItemRecord, ...]


@dataclass(frozen=True)
class ActionRecord:
    id: int
    client_id: int
    domain: str
    description: str
    who: str
    due_on: date | None
    status: str
    done_on: date | None
    created_at: datetime
    #: Row version when loaded; pass it back as ``expected_version`` when saving.
    version: int = 1


@dataclass(frozen=True)
class PartnerRecord:
    id: int
    organisation: str
    team: str
    contact_person: str
    domains: tuple[str, ...]
    phone: str
    email: str
    address: str
    how_to_refer: str
    notes: str
    verified_on: date | None
    #: Row version when loaded; pass it back as ``expected_version`` when saving.
    version: int = 1


@dataclass(frozen=True)
class PartnerScore:
    """How referrals to one partner went (see ``domain.scorecard`` for the definitions).

    Each share and the median is None when there is nothing to compute it from.
    """

    sent: int
    answered: int
    accepted: int
    completed: int
    accepted_share: float | None
    median_response_days: float | None
    completed_share: float | None


@dataclass(frozen=True)
class ConsentRecord:
    id: int
    client_id: int
    partner_id: int | None
    recipient: str
    purpose: str
    given_at: datetime
    how: str
    recorded_by: str
    withdrawn_at: datetime | None

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


@dataclass(frozen=True)
class ReferralEventRecord:
    status: str
    at: datetime
    note: str


@dataclass(frozen=True)
class ReferralRecord:
    id: int
    client_id: int
    partner_id: int
    reason: str
    request: str
    shared_fields: tuple[str, ...]
    shared_domains: tuple[str, ...]
    consent_id: int | None
    consent_override_reason: str
    letter_sha256: str
    status: str
    feedback_due: date | None
    created_at: datetime
    events: tuple[ReferralEventRecord, ...]
    #: Row version when loaded; pass it back as ``expected_version`` when saving.
    version: int = 1


@dataclass(frozen=True)
class MeldcodeEntryRecord:
    """One step taken of the meldcode huiselijk geweld en kindermishandeling."""

    id: int
    client_id: int
    step: int
    held_on: date
    consulted: str
    facts: str
    interpretations: str
    created_at: datetime
    #: Row version when loaded; pass it back as ``expected_version`` when saving.
    version: int = 1


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    action: str
    entity: str
    entity_id: int | None
    client_id: int | None
    details: dict[str, Any]


#: Around the matched words in ``SearchHit.snippet`` (control characters no note contains).
MARK_START = "\x02"
MARK_END = "\x03"


@dataclass(frozen=True)
class SearchHit:
    """Why a client matched a search: its name, or a note (with a snippet)."""

    client_id: int
    client_name: str
    matched: str  # "naam", "notitie", "hulpvraag", "adres", "actie" or "gesprek"
    contact_id: int | None = None
    occurred_at: datetime | None = None  # of the note, or the day of the conversation
    snippet: str = ""


@dataclass(frozen=True)
class SearchResults:
    """The clients a search found, and whether more matched than ``limit`` (then capped)."""

    hits: tuple[SearchHit, ...]
    capped: bool
    limit: int


@dataclass(frozen=True)
class WorkerSettings:
    worker_name: str = ""
    worker_role: str = ""
    organisation: str = ""
    place: str = ""
    phone: str = ""
    email: str = ""
    logo_path: str = ""
    letter_footer: str = ""
    idle_lock_minutes: int = 5
    retention_months: int = 24
    remeasure_weeks: int = 12  # today_rules.DEFAULT_REMEASURE_WEEKS: WHO-5/DJG-6 again after


def merge_typing(
    loaded: dict[str, Any], typed: dict[str, Any], newest: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Put the worker's typing on top of the newest version of a record.

    *loaded* is the form as it was filled from the vault, *typed* the form
    now, *newest* the record as it is in the vault now (all in the form's own
    representation). A field the worker changed keeps the typing; any other
    field takes the newest value. Returns the merged form and the fields both
    sides changed differently (the worker must look at those before saving).
    """
    merged: dict[str, Any] = {}
    both: list[str] = []
    for key, value in typed.items():
        theirs = newest.get(key, loaded.get(key))
        if value != loaded.get(key):
            merged[key] = value
            if theirs != loaded.get(key) and theirs != value:
                both.append(key)
        else:
            merged[key] = theirs
    return merged, both
