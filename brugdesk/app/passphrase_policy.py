"""Live feedback on a passphrase as it is typed, and the check before it is set.

The vault itself only insists on a length (``storage.passphrase``); here the
passphrase is estimated the way crackers guess, with zxcvbn: repeats,
sequences, keyboard walks, dates and years, common passwords, English words
and names, plus a Dutch list (``brugdesk/resources/dutch_words.txt``) and the
worker's own name and organisation. A passphrase that falls within the first
million guesses (``guesses_log10 < 6``) is refused, with a Dutch reason.
Four ordinary words with spaces ("kaars fiets molen regen") pass easily.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from zxcvbn import matching, scoring

from brugdesk.errors import WeakPassphrase
from brugdesk.storage.passphrase import MIN_PASSPHRASE_CHARS
from brugdesk.storage.passphrase import check_passphrase as check_length

__all__ = [
    "MIN_GUESSES_LOG10",
    "MIN_PASSPHRASE_CHARS",
    "Strength",
    "check_passphrase",
    "estimate",
    "problem",
    "strength",
]

#: Refused below this: within the first million guesses of a cracker's list.
MIN_GUESSES_LOG10 = 6.0
#: zxcvbn is quadratic-ish in length; beyond this the prefix decides (a long
#: passphrase whose first 64 characters are strong is strong).
ESTIMATE_CHARS = 64

LABELS = ("te zwak", "net genoeg", "redelijk", "sterk", "heel sterk")
HINTS = (
    "",
    "Net genoeg. Nog een woord erbij maakt het een stuk sterker.",
    "Goed. Nog een woord erbij maakt het sterker.",
    "Sterk wachtwoord.",
    "Heel sterk wachtwoord.",
)
ADVICE = "Kies vier of meer losse woorden die niet bij elkaar horen, bijvoorbeeld 'kaars fiets molen regen'."


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4
    label: str
    hint: str
    acceptable: bool


@cache
def _dutch_dictionaries() -> dict[str, dict[str, int]]:
    """The ranked Dutch lists from the resource file, one dict per ``[section]``."""
    text = resources.files("brugdesk.resources").joinpath("dutch_words.txt").read_text("utf-8")
    lists: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.strip().lower()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = lists.setdefault(line[1:-1], [])
        elif current is not None and line not in current:
            current.append(line)
    return {name: matching.build_ranked_dict(words) for name, words in lists.items()}


def estimate(passphrase: str, user_inputs: Iterable[str] = ()) -> dict[str, Any]:
    """zxcvbn's result for *passphrase* (its first ``ESTIMATE_CHARS`` characters)."""
    words: list[str] = []
    for value in user_inputs:
        for part in [value, "".join(value.split()), *value.split()]:
            part = part.strip().lower()
            if len(part) >= 3 and part not in words:
                words.append(part)
    # A private dictionary set: zxcvbn's own entry point writes user inputs into
    # a module-wide dict, which two threads could trample.
    dictionaries = {
        **matching.RANKED_DICTIONARIES,
        **_dutch_dictionaries(),
        "user_inputs": matching.build_ranked_dict(words),
    }
    password = passphrase[:ESTIMATE_CHARS]
    matches = matching.omnimatch(password, dictionaries)
    result: dict[str, Any] = scoring.most_guessable_match_sequence(password, matches)
    return result


def _reason(sequence: list[dict[str, Any]]) -> str:
    """Why a weak passphrase is weak, in Dutch, from its longest match (as zxcvbn does)."""
    if not sequence:
        return "Dit wachtwoord is te makkelijk te raden."
    match = max(sequence, key=lambda m: len(m["token"]))
    pattern = match["pattern"]
    if pattern == "dictionary":
        name = match.get("dictionary_name", "")
        if name == "user_inputs":
            why = "Uw eigen naam of organisatie is het eerste wat iemand probeert."
        elif name in ("passwords", "nl_passwords"):
            why = "Dit wachtwoord staat op de lijsten die inbrekers als eerste proberen."
        elif name in ("surnames", "male_names", "female_names", "nl_names"):
            why = "Namen en achternamen zijn makkelijk te raden."
        else:
            why = "Een los, bekend woord is makkelijk te raden."
        if match.get("l33t"):
            why += " Letters vervangen door cijfers of tekens (zoals @ voor a) helpt nauwelijks."
        elif match.get("reversed"):
            why += " Achterstevoren geschreven helpt nauwelijks."
        return why
    if pattern == "spatial":
        return "Een rij of patroon van toetsen naast elkaar (zoals qwerty of asdf) is makkelijk te raden."
    if pattern == "repeat":
        if len(match.get("base_token", "")) == 1:
            return "Herhaalde tekens (zoals 'aaa') zijn makkelijk te raden."
        return "Een herhaald stuk (zoals 'abcabc' of 'Welkom01Welkom01') is maar weinig sterker dan één keer."
    if pattern == "sequence":
        return "Reeksen zoals 'abc' of '6543' zijn makkelijk te raden."
    if pattern == "regex" and match.get("regex_name") == "recent_year":
        return "Een jaartal is makkelijk te raden."
    if pattern == "date":
        return "Een datum (zoals een geboortedatum) is makkelijk te raden."
    return "Dit wachtwoord is te makkelijk te raden."


def problem(passphrase: str, user_inputs: Iterable[str] = ()) -> str | None:
    """The policy's message for *passphrase*, or None when it is accepted."""
    try:
        check_passphrase(passphrase, user_inputs)
    except WeakPassphrase as exc:
        return exc.message
    return None


def check_passphrase(passphrase: str, user_inputs: Iterable[str] = ()) -> None:
    """Raise WeakPassphrase (Dutch reason and advice) unless *passphrase* is acceptable."""
    check_length(passphrase)
    result = estimate(passphrase, user_inputs)
    if result["guesses_log10"] < MIN_GUESSES_LOG10:
        raise WeakPassphrase(f"Dit wachtwoord is te zwak. {_reason(result['sequence'])} {ADVICE}")


def strength(passphrase: str, user_inputs: Iterable[str] = ()) -> Strength:
    """Score, label and Dutch hint for the meter under a passphrase field."""
    try:
        check_length(passphrase)
    except WeakPassphrase as exc:
        return Strength(0, LABELS[0], exc.message, False)
    result = estimate(passphrase, user_inputs)
    log10 = result["guesses_log10"]
    if log10 < MIN_GUESSES_LOG10:
        message = f"Dit wachtwoord is te zwak. {_reason(result['sequence'])} {ADVICE}"
        return Strength(0, LABELS[0], message, False)
    score = 1 if log10 < 8 else 2 if log10 < 10 else 3 if log10 < 12 else 4
    return Strength(score, LABELS[score], HINTS[score], True)
