"""Changing a secret of an open vault: passphrase, recovery key, or a reset.

Changing a secret (passphrase, recovery key, or a reset via the recovery key)
re-encrypts the database under a fresh key (:mod:`brugdesk.storage.rotation`),
so an old secret with an old header (``vault.json.bak``, an older backup's
header) opens only data from before the change. A backup made before the
change keeps opening with the secret that was valid then.

These are the bodies of :meth:`Vault.unlock_with_recovery`,
:meth:`Vault.change_passphrase` and :meth:`Vault.replace_recovery_key`; they
work on the vault's key state, which only this module and :mod:`.vault` touch.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from brugdesk.errors import VaultError, VaultLocked, WrongPassphrase, WrongRecoveryKey
from brugdesk.storage import keyheader as kh
from brugdesk.storage import recovery, rotation
from brugdesk.storage.atomic import os_error_to_vault_error
from brugdesk.storage.passphrase import check_passphrase
from brugdesk.storage.unlock_failures import stored_failures

if TYPE_CHECKING:
    from brugdesk.storage.vault import Vault


def unlock_with_recovery(
    vault: Vault,
    recovery_text: str,
    new_passphrase: str,
    progress: rotation.Progress | None = None,
    audit: rotation.AuditRow | None = None,
) -> None:
    """Unlock with the recovery key; a new passphrase is required and set at once.

    The database key is rotated, so the forgotten (or stolen) passphrase
    with an old header no longer opens anything written from now on.
    """
    raw = recovery.parse_key(recovery_text)
    check_passphrase(new_passphrase)
    vault._take_lock()
    try:
        header = vault.read_header()
        vault._require_db()
        if kh.SLOT_RECOVERY not in header.slots:
            raise WrongRecoveryKey("Deze kluis heeft geen herstelsleutel.")
        db_key = vault._unwrap_recovery(header, raw)
        kh.verify_mac(header, db_key)
    except BaseException:
        vault._lock.release()
        raise
    params = header.slots[kh.SLOT_PASSPHRASE].argon2 or kh.Argon2Params()

    def build(new_key: bytes) -> kh.Header:
        return new_header(
            vault,
            header,
            new_key,
            kh.make_passphrase_slot(header.vault_id, new_key, new_passphrase, params),
            # Same recovery key; a legacy symmetric slot becomes a sealed one.
            kh.make_recovery_slot(header.vault_id, new_key, raw),
        )

    try:
        vault._open(header, db_key, run_migrations=False)
    except BaseException:
        vault._lock.release()
        raise
    try:
        rotate(vault, build, progress, audit)
        vault._migrate_if_needed()
    except BaseException:
        vault.lock()  # without the new passphrase in place the vault stays shut
        raise
    vault.failed_unlocks = stored_failures(vault.data_dir)


def change_passphrase(
    vault: Vault,
    current: str,
    new: str,
    progress: rotation.Progress | None = None,
    audit: rotation.AuditRow | None = None,
) -> None:
    """Set *new* and rotate the database key: the old passphrase stops working.

    *progress* is called with a fraction (0.0 … 1.0) while the database is
    re-encrypted. The recovery key stays the same (its slot is resealed to
    its public key for the new database key).
    """
    header, _kek = _confirm_passphrase(vault, current)
    check_passphrase(new)
    recovery_slot = header.slots.get(kh.SLOT_RECOVERY)
    if recovery_slot is not None and recovery_slot.public is None:
        raise VaultError(
            "Deze kluis heeft nog een herstelsleutel van een oudere soort, die niet kan "
            "meegaan naar een nieuw wachtwoord. Maak eerst een nieuwe herstelsleutel en "
            "wijzig daarna het wachtwoord. Er is niets veranderd."
        )
    params = header.slots[kh.SLOT_PASSPHRASE].argon2
    assert params is not None

    def build(new_key: bytes) -> kh.Header:
        slots = [kh.make_passphrase_slot(header.vault_id, new_key, new, params)]
        if recovery_slot is not None:
            slots.append(kh.reseal_recovery_slot(header.vault_id, new_key, recovery_slot))
        return new_header(vault, header, new_key, *slots)

    rotate(vault, build, progress, audit)


def replace_recovery_key(
    vault: Vault,
    current: str,
    progress: rotation.Progress | None = None,
    audit: rotation.AuditRow | None = None,
) -> str:
    """A new recovery key (shown once); the old one stops working at once.

    For a lost recovery sheet, or a first run that was interrupted before
    the key was written down. The database key is rotated, so the old
    recovery key with an old header opens only data from before.
    """
    header, kek = _confirm_passphrase(vault, current)
    raw = recovery.generate()

    def build(new_key: bytes) -> kh.Header:
        return new_header(
            vault,
            header,
            new_key,
            kh.rewrap(header.vault_id, new_key, kek, header.slots[kh.SLOT_PASSPHRASE]),
            kh.make_recovery_slot(header.vault_id, new_key, raw),
        )

    rotate(vault, build, progress, audit)
    return recovery.format_key(raw)


def _confirm_passphrase(vault: Vault, current: str) -> tuple[kh.Header, bytes]:
    if vault._db_key is None:
        raise VaultLocked()
    header = vault.read_header()
    slot = header.slots[kh.SLOT_PASSPHRASE]
    assert slot.argon2 is not None
    kek = kh.derive_passphrase_kek(current or "", slot.salt, slot.argon2)
    if kh.unwrap(header, kh.SLOT_PASSPHRASE, kek) != bytes(vault._db_key):
        raise WrongPassphrase("Het huidige wachtwoord klopt niet; er is niets veranderd.")
    return header, kek


def new_header(vault: Vault, header: kh.Header, new_key: bytes, *slots: kh.Slot) -> kh.Header:
    """*header* with exactly *slots*, sealed under *new_key*."""
    # The generation written at this unlock, even if *header* was read before it.
    generation = max(header.generation, vault._header.generation if vault._header else 0)
    fresh = replace(
        header, slots={slot.name: slot for slot in slots}, mac=b"", generation=generation
    )
    return kh.seal(fresh, new_key)


def rotate(
    vault: Vault,
    build: Callable[[bytes], kh.Header],
    progress: rotation.Progress | None,
    audit: rotation.AuditRow | None = None,
) -> None:
    """Re-encrypt the database under a fresh key and install *build(new_key)*."""
    if vault._db_key is None or vault._engine is None:
        raise VaultLocked()
    new_key = secrets.token_bytes(kh.DB_KEY_BYTES)
    header = build(new_key)
    old_hex = bytes(vault._db_key).hex()
    vault._engine.dispose()  # every pooled connection closes; new ones ask for the key
    try:
        rotation.rotate(vault.data_dir, old_hex, new_key.hex(), header.to_bytes(), progress, audit)
    except rotation.RotationInterrupted:
        vault.lock()
        raise
    except OSError as exc:
        raise os_error_to_vault_error(exc, vault.data_dir) from exc
    for i in range(len(vault._db_key)):
        vault._db_key[i] = 0
    vault._db_key = bytearray(new_key)
    vault._header = header
