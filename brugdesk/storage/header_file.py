"""Reading ``vault.json`` safely and parsing it into a :class:`~.keyheader.Header`.

The file may be hostile: it is read bounded (never a FIFO, device or folder),
its JSON is refused before it costs much (deep nesting, long numbers, NaN),
and every field is validated before any key derivation is attempted, so a
tampered header cannot make us allocate gigabytes or spin for minutes.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from pathlib import Path
from typing import Any

from brugdesk.errors import UnsafeFile, UnsupportedVaultVersion, VaultDamaged
from brugdesk.storage.atomic import read_limited
from brugdesk.storage.keyheader import (
    DB_KEY_BYTES,
    FORMAT,
    KDF_ARGON2,
    KDF_RECOVERY,
    KDF_RECOVERY_LEGACY,
    NONCE_BYTES,
    SALT_BYTES,
    SLOT_PASSPHRASE,
    SLOT_RECOVERY,
    VERSION,
    X25519_BYTES,
    Argon2Params,
    Header,
    Slot,
    damaged,
)

MAX_HEADER_BYTES = 64 * 1024
_SLOT_KDFS = {SLOT_PASSPHRASE: {KDF_ARGON2}, SLOT_RECOVERY: {KDF_RECOVERY, KDF_RECOVERY_LEGACY}}
_VAULT_ID = re.compile(r"[0-9a-f]{32}")

HEADER_WHAT = "Het sleutelbestand van de kluis (vault.json)"
MAX_JSON_DEPTH = 16
MAX_INT_DIGITS = 20


class JsonRefused(ValueError):
    """JSON that is valid but hostile: too deep, huge numbers, NaN (reason in Dutch)."""


def read(path: os.PathLike[str] | str) -> bytes:
    """The bytes of a header file, read safely (never a FIFO, device or folder; bounded).

    Raises ``FileNotFoundError`` when it is missing and :class:`VaultDamaged`
    naming vault.json for anything odd about the file itself.
    """
    try:
        return read_limited(Path(path), MAX_HEADER_BYTES, HEADER_WHAT)
    except UnsafeFile as exc:
        raise VaultDamaged(
            f"{exc.message} Zet vault.json.bak terug als vault.json of zet een back-up terug."
        ) from None


def load_json(raw: bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` that refuses deep nesting, long numbers and NaN before they cost much.

    The depth is measured on the bytes first (a 30,000-deep array would
    otherwise exhaust the recursion limit), integers longer than
    ``MAX_INT_DIGITS`` are refused instead of converted (Python's own limit
    of 4,300 digits would raise a bare ``ValueError``), floats and the
    constants NaN/Infinity are refused: no brugdesk file contains them.
    Raises ``JsonRefused`` (a ``ValueError``) with a Dutch reason, or
    ``UnicodeDecodeError`` / ``json.JSONDecodeError``.
    """
    text = raw.decode("utf-8")
    if _nesting_depth(text) > max_depth:
        raise JsonRefused("het is veel te diep genest")
    try:
        return json.loads(
            text,
            parse_int=_bounded_int,
            parse_float=_no_float,
            parse_constant=_no_float,
        )
    except RecursionError:
        raise JsonRefused("het is veel te diep genest") from None


def _nesting_depth(text: str) -> int:
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise JsonRefused("er staat een veel te lang getal in")
    return int(digits)


def _no_float(_value: str) -> Any:
    raise JsonRefused("er staat een ongeldig getal in")


def parse(raw: bytes) -> Header:
    """Validate and parse a header; raises before any key derivation is attempted."""
    if len(raw) > MAX_HEADER_BYTES:
        raise VaultDamaged(damaged("het bestand is veel te groot"))
    try:
        data = load_json(raw)
    except JsonRefused as exc:
        raise VaultDamaged(damaged(str(exc))) from None
    except (UnicodeDecodeError, ValueError):
        raise VaultDamaged(damaged("het is geen geldig JSON-bestand")) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise VaultDamaged(damaged("het is geen brugdesk-sleutelbestand"))
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise VaultDamaged(damaged("het versienummer ontbreekt"))
    if version != VERSION:
        if version > VERSION:
            raise UnsupportedVaultVersion()
        raise VaultDamaged(damaged(f"versie {version} bestaat niet"))
    vault_id = data.get("vault_id")
    if not isinstance(vault_id, str) or not _VAULT_ID.fullmatch(vault_id):
        raise VaultDamaged(damaged("de kluis-id is ongeldig"))
    created = data.get("created")
    if not isinstance(created, str) or len(created) > 64:
        raise VaultDamaged(damaged("de aanmaakdatum is ongeldig"))
    slots_raw = data.get("slots")
    if not isinstance(slots_raw, list) or not 1 <= len(slots_raw) <= 4:
        raise VaultDamaged(damaged("de sleutelvakken ontbreken"))
    slots: dict[str, Slot] = {}
    for item in slots_raw:
        slot = _parse_slot(item)
        if slot.name in slots:
            raise VaultDamaged(damaged(f"sleutelvak '{slot.name}' staat er twee keer in"))
        slots[slot.name] = slot
    if SLOT_PASSPHRASE not in slots:
        raise VaultDamaged(damaged("het wachtwoordvak ontbreekt"))
    mac = _unb64(data.get("mac"), "mac", 32)
    generation = data.get("generation", 0)
    if not isinstance(generation, int) or isinstance(generation, bool) or generation < 0:
        raise VaultDamaged(damaged("het generatienummer is ongeldig"))
    return Header(
        vault_id=vault_id,
        created=created,
        slots=slots,
        mac=mac,
        version=version,
        generation=generation,
    )


def _parse_slot(item: Any) -> Slot:
    if not isinstance(item, dict):
        raise VaultDamaged(damaged("een sleutelvak is ongeldig"))
    name = item.get("name")
    if name not in _SLOT_KDFS:
        raise VaultDamaged(damaged("een sleutelvak heeft een onbekende naam"))
    kdf = item.get("kdf")
    if kdf not in _SLOT_KDFS[name]:
        raise VaultDamaged(damaged(f"sleutelvak '{name}' gebruikt een onbekende afleiding"))
    salt = _unb64(item.get("salt"), "salt", SALT_BYTES)
    nonce = _unb64(item.get("nonce"), "nonce", NONCE_BYTES)
    wrapped = _unb64(item.get("wrapped_key"), "wrapped_key", DB_KEY_BYTES + 16)
    argon2 = None
    if name == SLOT_PASSPHRASE:
        values = [item.get(k) for k in ("memory_kib", "iterations", "lanes")]
        ints = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
        if len(ints) != len(values):
            raise VaultDamaged(damaged("de parameters van de sleutelafleiding ontbreken"))
        argon2 = Argon2Params(*ints)
        argon2.validate()
    public = ephemeral = None
    if kdf == KDF_RECOVERY:
        public = _unb64(item.get("public_key"), "public_key", X25519_BYTES)
        ephemeral = _unb64(item.get("ephemeral_key"), "ephemeral_key", X25519_BYTES)
    return Slot(name, salt, nonce, wrapped, argon2, public, ephemeral)


def _unb64(value: Any, name: str, length: int) -> bytes:
    if not isinstance(value, str) or len(value) > 4 * length:
        raise VaultDamaged(damaged(f"het veld '{name}' is ongeldig"))
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise VaultDamaged(damaged(f"het veld '{name}' is ongeldig")) from None
    if len(raw) != length:
        raise VaultDamaged(damaged(f"het veld '{name}' heeft een verkeerde lengte"))
    return raw
