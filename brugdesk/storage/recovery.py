"""Recovery keys: 128 random bits that a person can read aloud and type back.

The format follows BitLocker: eight groups of six digits. Each group encodes
16 bits as ``value * 11``, so every group is divisible by 11 (a per-group
check that catches a mistyped digit) and below 720,896.
"""

from __future__ import annotations

import re
import secrets

from brugdesk.errors import WrongRecoveryKey

GROUPS = 8
_MULTIPLIER = 11
_LIMIT = 65536 * _MULTIPLIER


def generate() -> bytes:
    """16 fresh random bytes."""
    return secrets.token_bytes(16)


def format_key(raw: bytes) -> str:
    """``123456-234567-…`` from 16 raw bytes."""
    if len(raw) != 16:
        raise ValueError("a recovery key has 16 bytes")
    groups = []
    for i in range(GROUPS):
        value = int.from_bytes(raw[2 * i : 2 * i + 2], "big")
        groups.append(f"{value * _MULTIPLIER:06d}")
    return "-".join(groups)


def parse_key(text: str) -> bytes:
    """Raw bytes from what a person typed; spaces, dashes and dots are ignored.

    Raises :class:`WrongRecoveryKey` naming the first group that is wrong.
    """
    digits = re.sub(r"[\s\-.]", "", text or "")
    if not digits.isascii() or not digits.isdigit() or len(digits) != GROUPS * 6:
        raise WrongRecoveryKey(
            "Een herstelsleutel bestaat uit 8 groepjes van 6 cijfers (48 cijfers in totaal). "
            "Controleer wat u hebt ingetypt."
        )
    out = bytearray()
    for i in range(GROUPS):
        group = int(digits[6 * i : 6 * i + 6])
        if group % _MULTIPLIER or group >= _LIMIT:
            raise WrongRecoveryKey(
                f"Groepje {i + 1} van de herstelsleutel klopt niet. Controleer het op het "
                "herstelblad."
            )
        out += (group // _MULTIPLIER).to_bytes(2, "big")
    return bytes(out)
