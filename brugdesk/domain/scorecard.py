"""The partner scorecard's arithmetic: how referrals to one partner went.

Definitions (per partner, over the effective status history of each referral):

- *sent*: referrals that reached "verstuurd";
- *answered*: of those, the ones that got an answer ("geaccepteerd" or "afgewezen");
  *accepted share* = accepted / answered;
- *days to response*: calendar days (never below 0) from the first "verstuurd" event to the first
  "geaccepteerd"/"afgewezen" event; the scorecard gives the median;
- *completed share*: of the accepted referrals, the share that reached "afgerond".

A correction ("Correctie: …" event back to an earlier status) undoes the steps
it corrects: the history counts as if those steps had never been set, so a
status set by mistake does not count as an answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from statistics import median

from brugdesk.domain.records import PartnerScore

CORRECTION_PREFIX = "Correctie:"
ANSWERS = ("geaccepteerd", "afgewezen")

#: One event of a referral's history: its status, when, and its note.
Event = tuple[str, datetime, str]


def effective_history(events: Iterable[Event]) -> list[tuple[str, datetime]]:
    """The history with corrected steps taken out (events in the order they were added).

    A correction back to status X drops every step after the last X; that X keeps
    its own (first) moment.
    """
    out: list[tuple[str, datetime]] = []
    for status, at, note in events:
        if (note or "").startswith(CORRECTION_PREFIX):
            back = max((i for i, (s, _at) in enumerate(out) if s == status), default=None)
            if back is not None:
                del out[back + 1 :]
                continue
        out.append((status, at))
    return out


def share(part: int, whole: int) -> float | None:
    """*part* / *whole*, or None when *whole* is 0."""
    return part / whole if whole else None


def middle(values: Sequence[float]) -> float | None:
    """The median of *values*, or None when there are none."""
    return float(median(values)) if values else None


def score(histories: Iterable[Iterable[Event]]) -> PartnerScore:
    """The score of one partner from the event histories of its referrals."""
    sent = answered = accepted = completed = 0
    days: list[float] = []
    for events in histories:
        steps = effective_history(events)
        first_sent = next((at for s, at in steps if s == "verstuurd"), None)
        if first_sent is None:
            continue
        sent += 1
        answer = next(((s, at) for s, at in steps if s in ANSWERS), None)
        if answer is None:
            continue
        answered += 1
        days.append(max(0, (answer[1].date() - first_sent.date()).days))  # as the report
        if answer[0] == "geaccepteerd":
            accepted += 1
            if any(s == "afgerond" for s, _at in steps):
                completed += 1
    return PartnerScore(
        sent=sent,
        answered=answered,
        accepted=accepted,
        completed=completed,
        accepted_share=share(accepted, answered),
        median_response_days=middle(days),
        completed_share=share(completed, accepted),
    )


def describe(score: PartnerScore | None) -> str:
    """The score as one line for the sociale kaart."""
    if score is None or not score.sent:
        return "Nog geen verwijzingen."
    bits = [f"Verwezen: {score.sent}"]
    if score.accepted_share is None:
        bits.append("nog geen antwoord")
    else:
        bits.append(f"geaccepteerd {percent(score.accepted_share)}")
    if score.median_response_days is not None:
        bits.append(f"reactie na {days_text(score.median_response_days)} (mediaan)")
    if score.completed_share is not None:
        bits.append(f"afgerond {percent(score.completed_share)}")
    return " · ".join(bits)


def percent(fraction: float) -> str:
    return f"{int(fraction * 100 + 0.5)}%"  # half up, not to even


def days_text(days: float) -> str:
    whole = days == int(days)
    number = str(int(days)) if whole else f"{days:.1f}".replace(".", ",")
    return f"{number} dag" if days == 1 else f"{number} dagen"
