"""The vault's key header (``vault.json``): key slots wrapping one database key.

Layout (JSON, version 1)::

    {"format": "brugdesk-vault", "version": 1, "vault_id": "<32 hex>",
     "created": "<ISO date>", "slots": [<slot>, ...], "mac": "<b64>"}

A slot wraps the same random 256-bit database key with AES-256-GCM under a
key-encryption key (KEK). The passphrase slot's KEK comes from Argon2id. The
recovery slot (kdf ``x25519-hkdf-sha256``) is sealed to a public key: the
recovery key derives an X25519 private key, the header keeps its public key,
and each wrap uses a fresh ephemeral key pair. So when the database key is
*rotated* (a passphrase change), the recovery slot can be rewrapped for the
new key without knowing the recovery key, while nothing derivable from the
old database key or an old header opens the new slot. Older vaults may still
hold a symmetric recovery slot (kdf ``hkdf-sha256``); it keeps working until
it is replaced. The associated data binds format, version, vault id,
slot name *and* the slot's KDF parameters, so a slot moved to another name or
vault, or with edited parameters, fails to open. ``mac`` is an HMAC over the
whole header under a key derived from the database key: after unlocking it
proves that no other part of the header (e.g. the other slot) was altered.

Parameters are validated *before* any derivation so a hostile header cannot
make us allocate gigabytes or spin for minutes; reading and parsing the file
is :mod:`.header_file`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from brugdesk.errors import VaultDamaged

FORMAT = "brugdesk-vault"
VERSION = 1

# RFC 9106, second recommended option, is the floor; the ceilings stop a
# tampered header from exhausting memory or time before we even try.
MIN_MEMORY_KIB = 64 * 1024
MAX_MEMORY_KIB = 2 * 1024 * 1024
MIN_ITERATIONS = 3
MAX_ITERATIONS = 50
MIN_LANES = 4
MAX_LANES = 16
SALT_BYTES = 16
NONCE_BYTES = 12
DB_KEY_BYTES = 32

SLOT_PASSPHRASE = "passphrase"  # noqa: S105 - a slot name, not a secret
SLOT_RECOVERY = "recovery"
KDF_ARGON2 = "argon2id"
KDF_RECOVERY_LEGACY = "hkdf-sha256"
KDF_RECOVERY = "x25519-hkdf-sha256"
X25519_BYTES = 32


@dataclass(frozen=True)
class Argon2Params:
    memory_kib: int = MIN_MEMORY_KIB
    iterations: int = MIN_ITERATIONS
    lanes: int = MIN_LANES

    def validate(self) -> None:
        if not MIN_MEMORY_KIB <= self.memory_kib <= MAX_MEMORY_KIB:
            raise VaultDamaged(damaged("het geheugengebruik van de sleutelafleiding is ongeldig"))
        if not MIN_ITERATIONS <= self.iterations <= MAX_ITERATIONS:
            raise VaultDamaged(damaged("het aantal rondes van de sleutelafleiding is ongeldig"))
        if not MIN_LANES <= self.lanes <= MAX_LANES:
            raise VaultDamaged(damaged("de parallelliteit van de sleutelafleiding is ongeldig"))


@dataclass(frozen=True)
class Slot:
    name: str
    salt: bytes
    nonce: bytes
    wrapped: bytes
    argon2: Argon2Params | None = None
    #: Recovery slots sealed to a public key: the recipient's and the ephemeral one.
    public: bytes | None = None
    ephemeral: bytes | None = None

    @property
    def kdf(self) -> str:
        if self.name == SLOT_PASSPHRASE:
            return KDF_ARGON2
        return KDF_RECOVERY if self.public is not None else KDF_RECOVERY_LEGACY

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "kdf": self.kdf,
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "wrapped_key": _b64(self.wrapped),
        }
        if self.argon2 is not None:
            out["memory_kib"] = self.argon2.memory_kib
            out["iterations"] = self.argon2.iterations
            out["lanes"] = self.argon2.lanes
        if self.public is not None and self.ephemeral is not None:
            out["public_key"] = _b64(self.public)
            out["ephemeral_key"] = _b64(self.ephemeral)
        return out


@dataclass(frozen=True)
class Header:
    vault_id: str
    created: str
    slots: dict[str, Slot]
    mac: bytes = b""
    version: int = VERSION
    extra: dict[str, Any] = field(default_factory=dict)
    #: Raised once per unlock session, and stored in the database too: a database
    #: whose generation is lower than this one went back in time (see vault.py).
    #: 0 (older headers) is left out of the body, so their MAC stays valid.
    generation: int = 0

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "format": FORMAT,
            "version": self.version,
            "vault_id": self.vault_id,
            "created": self.created,
            "slots": [self.slots[name].to_json() for name in sorted(self.slots)],
        }
        if self.generation:
            body["generation"] = self.generation
        return body

    def to_bytes(self) -> bytes:
        data = self.body()
        data["mac"] = _b64(self.mac)
        return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")

    def with_slot(self, slot: Slot) -> Header:
        return replace(self, slots={**self.slots, slot.name: slot}, mac=b"")


# --- key derivation ------------------------------------------------------------


def normalise_passphrase(passphrase: str) -> bytes:
    """NFC so that 'é' typed as one or two code points unlocks alike."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_passphrase_kek(passphrase: str, salt: bytes, params: Argon2Params) -> bytes:
    params.validate()
    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(normalise_passphrase(passphrase))


def derive_recovery_kek(recovery_raw: bytes, salt: bytes) -> bytes:
    """The KEK of a legacy symmetric recovery slot (``hkdf-sha256``)."""
    # The recovery key has 128 bits of entropy: no slow KDF is needed.
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=b"brugdesk recovery slot"
    ).derive(recovery_raw)


def recovery_private_key(recovery_raw: bytes, salt: bytes) -> X25519PrivateKey:
    seed = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=b"brugdesk recovery x25519"
    ).derive(recovery_raw)
    return X25519PrivateKey.from_private_bytes(seed)


def _sealed_kek(shared: bytes, public: bytes, ephemeral: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=ephemeral + public,
        info=b"brugdesk recovery sealed slot",
    ).derive(shared)


def calibrate(target_seconds: float = 0.75, low: float = 0.5, high: float = 1.0) -> Argon2Params:
    """Argon2 parameters that take about *target_seconds* on this machine.

    Memory and lanes stay at the floor; iterations are scaled from a measured
    derivation and re-measured until one lands in the [low, high] window (a
    single measurement on a busy machine can be far off), at most four tries.
    """
    params = Argon2Params()
    for _ in range(4):
        elapsed = time_derivation(params)
        if low <= elapsed <= high:
            break
        wanted = round(params.iterations * target_seconds / max(elapsed, 1e-3))
        wanted = max(MIN_ITERATIONS, min(MAX_ITERATIONS, wanted))
        if wanted == params.iterations:
            break
        params = Argon2Params(iterations=wanted)
    return params


def time_derivation(params: Argon2Params) -> float:
    start = time.perf_counter()
    derive_passphrase_kek("calibration", os.urandom(SALT_BYTES), params)
    return time.perf_counter() - start


# --- wrapping ----------------------------------------------------------------------


def _aad(vault_id: str, slot: Slot) -> bytes:
    parts = [FORMAT, str(VERSION), vault_id, slot.name, slot.kdf]
    if slot.argon2 is not None:
        a = slot.argon2
        parts += [str(a.memory_kib), str(a.iterations), str(a.lanes)]
    if slot.public is not None and slot.ephemeral is not None:
        parts += [_b64(slot.public), _b64(slot.ephemeral)]
    return "|".join(parts).encode("ascii")


def make_passphrase_slot(
    vault_id: str, db_key: bytes, passphrase: str, params: Argon2Params
) -> Slot:
    salt = os.urandom(SALT_BYTES)
    kek = derive_passphrase_kek(passphrase, salt, params)
    return _wrap(vault_id, db_key, kek, Slot(SLOT_PASSPHRASE, salt, b"", b"", params))


def make_recovery_slot(vault_id: str, db_key: bytes, recovery_raw: bytes) -> Slot:
    """A recovery slot for a new recovery key, sealed to its public key."""
    salt = os.urandom(SALT_BYTES)
    public = recovery_private_key(recovery_raw, salt).public_key().public_bytes_raw()
    return reseal_recovery_slot(vault_id, db_key, Slot(SLOT_RECOVERY, salt, b"", b"", None, public))


def reseal_recovery_slot(vault_id: str, db_key: bytes, slot: Slot) -> Slot:
    """Wrap *db_key* for the same recovery key as *slot*, without knowing that key."""
    if slot.public is None:
        raise ValueError("a legacy recovery slot cannot be resealed")
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(slot.public))
    template = replace(slot, ephemeral=ephemeral_public)
    return _wrap(vault_id, db_key, _sealed_kek(shared, slot.public, ephemeral_public), template)


def recovery_kek(slot: Slot, recovery_raw: bytes) -> bytes:
    """The KEK that *recovery_raw* yields for *slot* (sealed or legacy)."""
    if slot.public is None or slot.ephemeral is None:
        return derive_recovery_kek(recovery_raw, slot.salt)
    private = recovery_private_key(recovery_raw, slot.salt)
    shared = private.exchange(X25519PublicKey.from_public_bytes(slot.ephemeral))
    return _sealed_kek(shared, slot.public, slot.ephemeral)


def rewrap(vault_id: str, db_key: bytes, kek: bytes, slot: Slot) -> Slot:
    """*slot* wrapping another *db_key* under the same KEK (same secret, salt, parameters)."""
    return _wrap(vault_id, db_key, kek, slot)


def _wrap(vault_id: str, db_key: bytes, kek: bytes, template: Slot) -> Slot:
    nonce = os.urandom(NONCE_BYTES)
    wrapped = AESGCM(kek).encrypt(nonce, db_key, _aad(vault_id, template))
    return replace(template, nonce=nonce, wrapped=wrapped)


def unwrap(header: Header, slot_name: str, kek: bytes) -> bytes | None:
    """The database key, or ``None`` if *kek* does not open the slot."""
    slot = header.slots[slot_name]
    try:
        key = AESGCM(kek).decrypt(slot.nonce, slot.wrapped, _aad(header.vault_id, slot))
    except InvalidTag:
        return None
    if len(key) != DB_KEY_BYTES:
        raise VaultDamaged(damaged("de opgeslagen sleutel heeft een verkeerde lengte"))
    return key


def _mac_key(db_key: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"brugdesk header mac"
    ).derive(db_key)


def compute_mac(header: Header, db_key: bytes) -> bytes:
    canonical = json.dumps(header.body(), sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(_mac_key(db_key), canonical, hashlib.sha256).digest()


def seal(header: Header, db_key: bytes) -> Header:
    return replace(header, mac=compute_mac(header, db_key))


def verify_mac(header: Header, db_key: bytes) -> None:
    if not hmac.compare_digest(header.mac, compute_mac(header, db_key)):
        raise VaultDamaged(
            "Het sleutelbestand (vault.json) is gewijzigd nadat het door brugdesk is "
            "geschreven. Zet een back-up terug of gebruik vault.json.bak."
        )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def damaged(reason: str) -> str:
    return (
        f"Het sleutelbestand van de kluis (vault.json) is beschadigd: {reason}. "
        "Er is niets geopend of veranderd. Zet een back-up terug of gebruik vault.json.bak."
    )
