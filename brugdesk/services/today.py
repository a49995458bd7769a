"""'Vandaag': overdue feedback moments, actions due, clients without contact for weeks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

# partner_needs_check is still imported from here by ui/wizards/referral_wizard.py,
# which the letters work is rewriting; drop this line once it imports the domain rule.
from brugdesk.domain.partner_rules import partner_needs_check  # noqa: F401
from brugdesk.domain.records import ActionRecord, ClientRow, ReferralRecord
from brugdesk.domain.referral_rules import WAITING_FOR_FEEDBACK

if TYPE_CHECKING:
    from brugdesk.app.caseload import Caseload


@dataclass(frozen=True)
class Today:
    overdue_feedback: tuple[ReferralRecord, ...]
    actions_due: tuple[ActionRecord, ...]
    without_contact: tuple[ClientRow, ...]
    weeks_without_contact: int

    @property
    def count(self) -> int:
        return len(self.overdue_feedback) + len(self.actions_due) + len(self.without_contact)


def build_today(caseload: Caseload, weeks: int, on: date) -> Today:
    overdue = tuple(
        r
        for r in caseload.referrals.list()
        if r.status in WAITING_FOR_FEEDBACK and r.feedback_due is not None and r.feedback_due < on
    )
    due = tuple(
        a for a in caseload.actions.list(open_only=True) if a.due_on is not None and a.due_on <= on
    )
    limit = on - timedelta(weeks=weeks)
    quiet = tuple(
        c
        for c in caseload.clients.list(today=on)
        if c.status != "afgesloten"
        and (c.last_contact.date() if c.last_contact else date.min) < limit
    )
    return Today(overdue, due, quiet, weeks)
