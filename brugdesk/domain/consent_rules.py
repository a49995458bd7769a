"""Which recorded consent covers which letter: the purpose and the recipient must match.

A consent for a referral names the partner (``partner_id``) and has purpose
``REFERRAL_PURPOSE``; a consent for feedback to the client's GP names no
partner and has purpose ``GP_PURPOSE``. A consent for one never covers the
other, and a withdrawn consent covers nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

REFERRAL_PURPOSE = "verwijzing"
GP_PURPOSE = "terugkoppeling aan de huisarts"
GP_RECIPIENT = "huisarts"
#: Every purpose a consent can have; a consent for one never covers another.
PURPOSES = (REFERRAL_PURPOSE, GP_PURPOSE)


class ConsentLike(Protocol):
    @property
    def partner_id(self) -> int | None: ...
    @property
    def purpose(self) -> str: ...
    @property
    def withdrawn_at(self) -> datetime | None: ...


def same_purpose(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def covers(consent: ConsentLike, *, purpose: str, partner_id: int | None) -> bool:
    """Does *consent* (still) allow sharing for *purpose* with this recipient?

    The recipient is the partner (``partner_id``), or the client's GP when
    ``partner_id`` is None.
    """
    return (
        consent.withdrawn_at is None
        and consent.partner_id == partner_id
        and same_purpose(consent.purpose, purpose)
    )
