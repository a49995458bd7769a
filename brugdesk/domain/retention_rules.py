"""Erasure and retention, written once: the reasons a file may be erased, and when a
closed file is past the retention period the worker set.

Month arithmetic: a date plus *n* months is the same day of the month *n* months
later; when that month is shorter, the last day of that month (31 January plus one
month is 28 or 29 February). A closed file is past retention when its closing
date plus the period lies before today: on the day the period ends it is not
listed yet, the next day it is. Pure: no database, no Qt.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from brugdesk.errors import ValidationError

#: Erasure reasons: (code stored in the audit row, Dutch label shown to the worker).
ERASE_ON_REQUEST = "verzoek_client"
ERASE_RETENTION = "bewaartermijn"
ERASE_IN_ERROR = "ten_onrechte"
ERASURE_REASONS: tuple[tuple[str, str], ...] = (
    (ERASE_ON_REQUEST, "verzoek van de cliënt"),
    (ERASE_RETENTION, "bewaartermijn verlopen"),
    (ERASE_IN_ERROR, "ten onrechte geregistreerd"),
)
ERASURE_CODES = tuple(code for code, _label in ERASURE_REASONS)

DEFAULT_RETENTION_MONTHS = 24
RETENTION_MONTHS_MIN, RETENTION_MONTHS_MAX = 1, 240


def months_words(n: int) -> str:
    """ "1 maand", "24 maanden" (a retention of 1 month is allowed)."""
    return "1 maand" if n == 1 else f"{n} maanden"


def erasure_label(code: str) -> str:
    return dict(ERASURE_REASONS).get(code, code)


def check_erasure_reason(code: object) -> str:
    """The reason code, or ValidationError when it is not one of the list."""
    if code not in ERASURE_CODES:
        labels = [label for _code, label in ERASURE_REASONS]
        raise ValidationError(
            {
                "reason": "Kies waarom de cliënt wordt verwijderd: "
                f"{', '.join(labels[:-1])} of {labels[-1]}."
            }
        )
    return str(code)


def add_months(day: date, months: int) -> date:
    """*day* plus *months* calendar months (the last day of the month when it is shorter)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_ends(closed_on: date, months: int) -> date:
    """The last day a file closed on *closed_on* is kept."""
    return add_months(closed_on, months)


def past_retention(closed_on: date | None, today: date, months: int) -> bool:
    """A closed file whose retention period ended before *today*."""
    return closed_on is not None and retention_ends(closed_on, months) < today


def months_past(closed_on: date, today: date, months: int) -> int:
    """Whole months between the end of the retention period and *today* (0 in the first)."""
    end = retention_ends(closed_on, months)
    if end >= today:
        return 0
    n = (today.year - end.year) * 12 + today.month - end.month
    while n > 0 and add_months(end, n) > today:
        n -= 1
    return n


@dataclass(frozen=True)
class ExpiredFile:
    """A closed file past the retention period."""

    client_id: int
    full_name: str
    closed_on: date
    months_past: int  # whole months past the end of the period
