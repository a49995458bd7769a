"""The referral status machine and what counts as waiting for feedback."""

from __future__ import annotations

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "concept": ("verstuurd",),
    "verstuurd": ("geaccepteerd", "afgewezen"),
    "geaccepteerd": ("gestart", "afgerond"),
    "gestart": ("afgerond",),
    "afgerond": ("teruggekoppeld",),
    "afgewezen": ("teruggekoppeld",),
    "teruggekoppeld": (),
}


STATUSES = tuple(TRANSITIONS)


#: A referral waits for the partner's feedback in these statuses.
WAITING_FOR_FEEDBACK = ("verstuurd", "geaccepteerd", "gestart")
#: A referral in these statuses is no longer open.
CLOSED_STATUSES = ("afgewezen", "afgerond", "teruggekoppeld")

NO_CONSENT = (
    "Er is geen toestemming van de cliënt vastgelegd voor deze ontvanger. Leg eerst "
    "toestemming vast, of geef een reden om zonder toestemming te verwijzen."
)


def allowed_next(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def correction_targets(history: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The earlier statuses a status set by mistake can be corrected back to.

    *history* is the referral's statuses in order (its events); the last one
    is the current status. A sent letter cannot be 'unsent', so never concept.
    """
    current = history[-1] if history else ""
    earlier = [s for s in history[:-1] if s not in (current, "concept")]
    return tuple(dict.fromkeys(reversed(earlier)))  # the most recent first, each once


def correction_note(old: str, new: str, reason: str) -> str:
    """How a correction reads in the referral's history."""
    return f"Correctie: {old} → {new}, reden: {reason}"


#: Client fields a worker may choose to share, in letter order.
SHAREABLE_FIELDS = {
    "naam": "Naam",
    "geboortedatum": "Geboortedatum",
    "adres": "Adres",
    "telefoon": "Telefoon",
    "email": "E-mail",
    "verwijzer": "Verwezen door",
}
DEFAULT_FIELDS = ("naam", "geboortedatum")
