"""The 'Vandaag' rules, written once: what is overdue, what is due, who is quiet,
whose measurement (WHO-5, DJG-6) is due to be repeated.

The services turn these into SQL (the cut-off dates and status lists below);
views and tests use the predicates. Pure: no database, no Qt.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from brugdesk.domain.referral_rules import WAITING_FOR_FEEDBACK

#: Every status a plan action can have.
ACTION_STATUSES = ("open", "bezig", "gedaan", "vervallen")
#: An action still has to happen in these statuses.
OPEN_ACTION_STATUSES = ("open", "bezig")
#: A client in this status needs no contact any more.
CLOSED_CLIENT_STATUS = "afgesloten"
DEFAULT_WEEKS_WITHOUT_CONTACT = 6
#: Instruments measured at the start and again later; each is reminded of separately.
REMEASURE_INSTRUMENTS = ("welbevinden-who5", "eenzaamheid-djg6")
#: Weeks after the first measurement that the second is due (a worker setting).
DEFAULT_REMEASURE_WEEKS = 12
REMEASURE_WEEKS_MIN, REMEASURE_WEEKS_MAX = 4, 104


def is_past(due: date | None, on: date) -> bool:
    """A date that has passed (a moment *on* the day itself is not late yet)."""
    return due is not None and due < on


def feedback_overdue(
    status: str, feedback_due: date | None, on: date, client_status: str = ""
) -> bool:
    """The partner's feedback was due before *on* and has not come (open dossiers only)."""
    if client_status == CLOSED_CLIENT_STATUS:
        return False
    return status in WAITING_FOR_FEEDBACK and is_past(feedback_due, on)


def action_due(status: str, due_on: date | None, on: date, client_status: str = "") -> bool:
    """An open action whose date is *on* or earlier: its turn has come (open dossiers only)."""
    if client_status == CLOSED_CLIENT_STATUS:
        return False
    return status in OPEN_ACTION_STATUSES and due_on is not None and due_on <= on


def contact_limit(on: date, weeks: int) -> date:
    """The last contact must be on or after this day, else the client is 'quiet'."""
    return on - timedelta(weeks=weeks)


def without_contact(
    status: str,
    last_contact: datetime | None,
    on: date,
    weeks: int,
    started_on: date | None = None,
) -> bool:
    """An open dossier without a contact moment for *weeks* weeks.

    Without any contact yet, the weeks count from the registration date
    (*started_on*): a client registered today is not 'quiet'. Without either
    date the dossier is quiet.
    """
    if status == CLOSED_CLIENT_STATUS:
        return False
    since = last_contact.date() if last_contact is not None else started_on
    return since is None or since < contact_limit(on, weeks)


def remeasure_limit(on: date, weeks: int) -> date:
    """A first measurement on or before this day is due to be repeated."""
    return on - timedelta(weeks=weeks)


def remeasure_due(
    client_status: str, first_on: date | None, measurements: int, on: date, weeks: int
) -> bool:
    """An open dossier measured once (no re-measurement yet), *weeks* weeks ago or longer."""
    if client_status == CLOSED_CLIENT_STATUS or first_on is None:
        return False
    return measurements == 1 and first_on <= remeasure_limit(on, weeks)
