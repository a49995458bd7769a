"""Live feedback on a passphrase as it is typed (the policy itself is the vault's).

A rough estimate that rewards length and several words, the advice the GUI
gives: a short sentence beats a clever short password.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from brugdesk.errors import WeakPassphrase
from brugdesk.storage.passphrase import MIN_PASSPHRASE_CHARS, check_passphrase

__all__ = ["MIN_PASSPHRASE_CHARS", "Strength", "check_passphrase", "problem", "strength"]

COMMON = {
    "wachtwoord", "password", "welkom", "welkom01", "qwerty", "123456", "12345678",
    "geheim", "brugdesk", "wachtwoord123", "zomer2026", "winter2026",
}  # fmt: skip

LABELS = ("te zwak", "zwak", "redelijk", "sterk", "heel sterk")


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4
    label: str
    hint: str
    acceptable: bool


def problem(passphrase: str) -> str | None:
    """The policy's message for *passphrase*, or None when it is accepted."""
    try:
        check_passphrase(passphrase)
    except WeakPassphrase as exc:
        return exc.message
    return None


def _entropy_bits(passphrase: str) -> float:
    pool = 0
    if any(c.islower() for c in passphrase):
        pool += 26
    if any(c.isupper() for c in passphrase):
        pool += 26
    if any(c.isdigit() for c in passphrase):
        pool += 10
    if any(not c.isalnum() for c in passphrase):
        pool += 20
    if any(ord(c) > 127 for c in passphrase):
        pool += 40
    distinct = len(set(passphrase))
    return len(passphrase) * math.log2(max(pool, 2)) * min(1.0, distinct / 8)


def strength(passphrase: str) -> Strength:
    issue = problem(passphrase)
    if issue or passphrase.strip().lower() in COMMON:
        hint = issue or "Dit wachtwoord staat op lijsten die inbrekers als eerste proberen."
        return Strength(0, LABELS[0], hint, False)
    bits = _entropy_bits(passphrase)
    words = len(passphrase.split())
    if words >= 4:
        bits += 15
    score = 1 if bits < 60 else 2 if bits < 80 else 3 if bits < 110 else 4
    hints = {
        1: "Voeg een paar woorden toe; een zin van vier of vijf woorden is sterk.",
        2: "Goed. Nog een woord erbij maakt het sterker.",
        3: "Sterk wachtwoord.",
        4: "Heel sterk wachtwoord.",
    }
    return Strength(score, LABELS[score], hints[score], True)
