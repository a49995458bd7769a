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
