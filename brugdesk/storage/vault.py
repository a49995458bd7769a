"""The vault: one encrypted database plus the key header that unlocks it.

Life cycle::

    vault, recovery_key = Vault.create(data_dir, passphrase)   # shown once
    vault.lock()
    vault = Vault(data_dir); vault.unlock(passphrase)          # or unlock_with_recovery
    vault.engine                                               # SQLAlchemy engine
    vault.change_passphrase(current, new)                      # rotates the database key
    vault.lock()                                               # engine gone, key dropped

Changing a secret (passphrase, recovery key, or a reset via the recovery key)
re-encrypts the database under a fresh key (:mod:`brugdesk.storage.rotation`),
so an old secret with an old header (``vault.json.bak``, an older backup's
header) opens only data from before the change. A backup made before the
change keeps opening with the secret that was valid then.

One vault, one writer: from unlock to lock the vault holds an OS lock on
``vault.lock`` (:mod:`.filelock`). A second opener (another window, a CLI
command, a restore) is refused with :class:`VaultInUse`; the lock of a process
that died is released by the operating system. The start-up clean-up of
interrupted work runs only by whoever holds (or can take) that lock.

A database that went back in time is noticed: the authenticated header and
the database both carry a *generation*. Each unlock writes generation N+1
into the database (``vault_meta``, inside the encryption) and then into the
header; locking checkpoints the WAL so ``caseload.db`` alone is complete. If
the database's generation is lower than the header's, it lost at least one
whole unlock session: a ``-wal`` deleted after a crash, an older ``-wal`` or
an older ``caseload.db`` put back. :class:`DatabaseOlder` says so, and only an
explicit ``accept_older=True`` opens what is there.

What this cannot notice, honestly:

* losing only the last commits *within* the current session (a ``-wal``
  truncated or swapped for an earlier one of the same session): the
  generation is bumped once per session, not per commit, to keep every
  save free of an extra header write;
* an older database put back *together with* the older ``vault.json`` of the
  same moment (a consistent old pair looks exactly like a restored backup);
* a crash between the database write and the header write at unlock leaves
  the database one ahead of the header; that is accepted (nothing is lost).

Failed unlocks are counted in ``unlock-failures.json`` next to the vault (a
count only, no secret), across processes, until the core has written them
into the audit trail after the next successful unlock.

Nothing here ever stores or logs the passphrase.

The key in memory: while unlocked the database key lives in one bytearray
(``_db_key``) that :meth:`Vault.lock` overwrites with zeros. New connections
get that bytearray itself; the hex text SQLCipher's ``PRAGMA key`` needs is
built in :func:`brugdesk.storage.db.connect` at the last moment and dropped
at once, so after lock no live Python object (frame, traceback, closure,
cache) refers to the key as text (tests/test_key_memory.py). What cannot be
promised: Python strings are immutable and their memory is freed, not wiped,
so the bytes of a transient hex string (and of ``key_hex()`` results used
for backups and rotation) may linger in freed heap until reused; the Argon2
and unwrap steps return immutable ``bytes``; SQLCipher keeps its own copy of
the key and decrypted pages (page cache) while a connection is open and
frees them when the engine is disposed at lock; the operating system may
have swapped any of this to disk or put it in a crash dump. Locking shortens
the window; it does not make memory forensics impossible.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from brugdesk.errors import (
    DatabaseOlder,
    UnsupportedVaultVersion,
    VaultDamaged,
    VaultError,
    VaultExists,
    VaultInUse,
    VaultLocked,
    VaultMissing,
    WeakPassphrase,
    WrongPassphrase,
    WrongRecoveryKey,
)
from brugdesk.paths import BACKUP_DIR_NAME, DB_NAME, HEADER_BACKUP_NAME, HEADER_NAME, vault_files
from brugdesk.storage import install, migrate, recovery, rotation
from brugdesk.storage import keyheader as kh
from brugdesk.storage.atomic import (
    atomic_write_bytes,
    fsync_dir,
    os_error_to_vault_error,
    secure_folder,
)
from brugdesk.storage.db import make_engine, run_outside_transaction, sqlite_error_to_vault_error
from brugdesk.storage.filelock import FileLock
from brugdesk.storage.rotation import crash_point

log = logging.getLogger(__name__)

LOCK_NAME = "vault.lock"
FAILURES_NAME = "unlock-failures.json"
MIN_PASSPHRASE_CHARS = 12
MAX_PASSPHRASE_CHARS = 1024


def check_passphrase(passphrase: str) -> None:
    """The passphrase policy: at least 12 characters; a sentence is encouraged."""
    if not passphrase or not passphrase.strip():
        raise WeakPassphrase(
            "Vul een wachtwoord in. Een korte zin die u kunt onthouden werkt het best, "
            "bijvoorbeeld 'mijn fiets staat altijd bij de bakker'."
        )
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise WeakPassphrase(
            f"Dit wachtwoord is te kort ({len(passphrase)} tekens). Gebruik er minstens "
            f"{MIN_PASSPHRASE_CHARS}; een korte zin van een paar woorden is sterk en "
            "makkelijk te onthouden."
        )
    if len(passphrase) > MAX_PASSPHRASE_CHARS:
        raise WeakPassphrase(f"Dit wachtwoord is te lang (meer dan {MAX_PASSPHRASE_CHARS} tekens).")


class Vault:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._engine: Engine | None = None
        self._db_key: bytearray | None = None
        self._header: kh.Header | None = None
        #: Wrong passphrases tried (in any process) since the core last audited them.
        self.failed_unlocks = 0
        #: Set when the vault was opened with ``accept_older=True`` and was older.
        self.older_than_expected: DatabaseOlder | None = None
        self._lock = FileLock(self.data_dir / LOCK_NAME)
        #: Set when unlocking had to migrate: the encrypted copy made beforehand.
        self.pre_migration_backup: Path | None = None
        #: Dutch messages about interrupted work that was finished or undone at start.
        self.recovered: list[str] = []

    # --- paths and state -----------------------------------------------------------

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_NAME

    @property
    def header_path(self) -> Path:
        return self.data_dir / HEADER_NAME

    @property
    def header_backup_path(self) -> Path:
        return self.data_dir / HEADER_BACKUP_NAME

    def exists(self) -> bool:
        self.recover_interrupted()
        return any(p.exists() for p in vault_files(self.data_dir))

    def recover_interrupted(self) -> list[str]:
        """Finish or undo work a crash interrupted (see :mod:`.rotation`); say which.

        Only while this object holds the vault lock, or can take it for the
        clean-up: a folder another process has open is that process's work.
        """
        if self._engine is not None or not self.data_dir.is_dir():
            return self.recovered
        temporary = not self._lock.held
        if temporary:
            try:
                if not self._lock.try_acquire():
                    return self.recovered  # open elsewhere: its staging folders are live
            except OSError:
                temporary = False  # e.g. a read-only folder: nothing to lock, clean as before
        try:
            messages = install.recover(self.data_dir)
            messages.append(rotation.recover(self.data_dir) or "")
        except OSError as exc:
            raise os_error_to_vault_error(exc, self.data_dir) from exc
        finally:
            if temporary:
                self._lock.release()
        for message in filter(None, messages):
            log.warning("interrupted work recovered at start: %s", message)
            self.recovered.append(message)
        return self.recovered

    @property
    def is_unlocked(self) -> bool:
        return self._engine is not None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise VaultLocked()
        return self._engine

    @property
    def vault_id(self) -> str:
        return self.read_header().vault_id

    def key_hex(self) -> str:
        """The raw database key, for backups under the same key. Never shown or logged."""
        if self._db_key is None:
            raise VaultLocked()
        return self._db_key.hex()

    # --- one writer ------------------------------------------------------------------

    def _take_lock(self) -> None:
        """Hold the vault lock from now until :meth:`lock`; refuse if another opener has it."""
        if self._lock.held or not self.data_dir.is_dir():
            return  # a missing folder is reported by read_header as VaultMissing
        try:
            taken = self._lock.try_acquire()
        except OSError as exc:
            raise os_error_to_vault_error(exc, self.data_dir) from exc
        if not taken:
            raise VaultInUse()
        with contextlib.suppress(OSError):
            secure_folder(self.data_dir)  # also a folder made before, or under umask 000

    def hold_lock(self) -> None:
        """Take the vault lock without unlocking (restore); :meth:`release_lock` frees it."""
        self._take_lock()

    def release_lock(self) -> None:
        if self._engine is None:
            self._lock.release()

    # --- failed unlocks ----------------------------------------------------------------

    @property
    def failures_path(self) -> Path:
        return self.data_dir / FAILURES_NAME

    def _stored_failures(self) -> int:
        try:
            count = json.loads(self.failures_path.read_bytes()).get("count", 0)
        except (OSError, ValueError, AttributeError):
            return 0
        return count if isinstance(count, int) and 0 < count < 10**9 else 0

    def _count_failure(self) -> None:
        self.failed_unlocks = self._stored_failures() + 1
        try:
            atomic_write_bytes(
                self.failures_path, json.dumps({"count": self.failed_unlocks}).encode()
            )
        except VaultError:
            # Never hide "wrong passphrase" behind a disk problem; the log says it.
            log.warning("could not store the count of failed unlocks")

    def forget_failed_unlocks(self) -> None:
        """The core wrote the count into the audit trail: start counting from zero."""
        self.failed_unlocks = 0
        with contextlib.suppress(FileNotFoundError):
            self.failures_path.unlink()

    # --- create ----------------------------------------------------------------------

    @classmethod
    def create(
        cls, data_dir: Path, passphrase: str, *, kdf: kh.Argon2Params | None = None
    ) -> tuple[Vault, str]:
        """Create a new vault; returns it unlocked and the recovery key (show it once)."""
        check_passphrase(passphrase)
        vault = cls(data_dir)
        try:
            vault.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            secure_folder(vault.data_dir)
        except OSError as exc:
            raise os_error_to_vault_error(exc) from exc
        vault._take_lock()
        try:
            return cls._create_locked(vault, passphrase, kdf)
        except BaseException:
            vault._lock.release()
            raise

    @classmethod
    def _create_locked(
        cls, vault: Vault, passphrase: str, kdf: kh.Argon2Params | None
    ) -> tuple[Vault, str]:
        if vault.exists():
            raise VaultExists()
        # The calibration takes seconds; nothing is on disk yet while it runs.
        params = kdf or kh.calibrate()
        params.validate()
        crash_point("init:calibrated")
        vault_id = secrets.token_hex(16)
        db_key = secrets.token_bytes(kh.DB_KEY_BYTES)
        recovery_raw = recovery.generate()
        header = kh.Header(
            vault_id=vault_id,
            created=datetime.now().astimezone().isoformat(timespec="seconds"),
            slots={
                kh.SLOT_PASSPHRASE: kh.make_passphrase_slot(vault_id, db_key, passphrase, params),
                kh.SLOT_RECOVERY: kh.make_recovery_slot(vault_id, db_key, recovery_raw),
            },
        )
        header = kh.seal(header, db_key)
        try:
            staging = Path(tempfile.mkdtemp(prefix=".init-", dir=vault.data_dir))
        except OSError as exc:
            raise os_error_to_vault_error(exc) from exc
        try:
            # The database file is born 0600; SQLite gives -wal/-shm the same mode.
            os.close(os.open(staging / DB_NAME, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            engine = make_engine(staging / DB_NAME, db_key)
            migrate.upgrade(engine)
            with engine.begin() as conn:
                conn.execute(
                    text("INSERT INTO vault_meta(key, value) VALUES ('vault_id', :v)"),
                    {"v": vault_id},
                )
            run_outside_transaction(engine, "PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            atomic_write_bytes(staging / HEADER_NAME, header.to_bytes())
            crash_point("init:staged")
            install.install(vault.data_dir, staging, None)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise os_error_to_vault_error(exc) from exc
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        vault._open(header, db_key)
        return vault, recovery.format_key(recovery_raw)

    # --- unlock ----------------------------------------------------------------------

    def read_header(self) -> kh.Header:
        self.recover_interrupted()
        try:
            raw = kh.read(self.header_path)
        except FileNotFoundError:
            if self.db_path.exists():
                raise VaultDamaged(
                    "Het sleutelbestand (vault.json) ontbreekt naast de database. Zonder dit "
                    "bestand kan de kluis niet open. Zet vault.json.bak terug als vault.json "
                    "of zet een back-up terug."
                ) from None
            raise VaultMissing() from None
        except OSError as exc:
            raise os_error_to_vault_error(exc, self.data_dir) from exc
        return kh.parse(raw)

    def _require_db(self) -> None:
        if not self.db_path.exists():
            raise VaultDamaged(
                "De database (caseload.db) ontbreekt naast het sleutelbestand. "
                "Zet een back-up terug met 'brugdesk-cli restore'."
            )

    def unlock(
        self,
        passphrase: str,
        *,
        run_migrations: bool = True,
        accept_older: bool = False,
        advance_generation: bool = True,
    ) -> None:
        """Open with the passphrase.

        Raises :class:`VaultInUse` if another opener holds the vault, and
        :class:`DatabaseOlder` if the database went back in time, unless
        *accept_older* (then :attr:`older_than_expected` is set).
        *advance_generation* False opens without writing anything (check, trial).
        """
        self._take_lock()
        try:
            header = self.read_header()
            self._require_db()
            slot = header.slots[kh.SLOT_PASSPHRASE]
            assert slot.argon2 is not None
            kek = kh.derive_passphrase_kek(passphrase or "", slot.salt, slot.argon2)
            db_key = kh.unwrap(header, kh.SLOT_PASSPHRASE, kek)
            if db_key is None:
                self._count_failure()
                raise WrongPassphrase()
            kh.verify_mac(header, db_key)
            self._open(
                header,
                db_key,
                run_migrations=run_migrations,
                accept_older=accept_older,
                advance_generation=advance_generation,
            )
        except BaseException:
            self._lock.release()
            raise
        self.failed_unlocks = self._stored_failures()

    def unlock_with_recovery(
        self,
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
        self._take_lock()
        try:
            header = self.read_header()
            self._require_db()
            if kh.SLOT_RECOVERY not in header.slots:
                raise WrongRecoveryKey("Deze kluis heeft geen herstelsleutel.")
            db_key = self._unwrap_recovery(header, raw)
            kh.verify_mac(header, db_key)
        except BaseException:
            self._lock.release()
            raise
        params = header.slots[kh.SLOT_PASSPHRASE].argon2 or kh.Argon2Params()

        def build(new_key: bytes) -> kh.Header:
            return self._new_header(
                header,
                new_key,
                kh.make_passphrase_slot(header.vault_id, new_key, new_passphrase, params),
                # Same recovery key; a legacy symmetric slot becomes a sealed one.
                kh.make_recovery_slot(header.vault_id, new_key, raw),
            )

        try:
            self._open(header, db_key, run_migrations=False)
        except BaseException:
            self._lock.release()
            raise
        try:
            self._rotate(build, progress, audit)
            self._migrate_if_needed()
        except BaseException:
            self.lock()  # without the new passphrase in place the vault stays shut
            raise
        self.failed_unlocks = self._stored_failures()

    def verify_recovery_key(self, recovery_text: str) -> None:
        """Raise :class:`WrongRecoveryKey` unless *recovery_text* opens this vault."""
        raw = recovery.parse_key(recovery_text)
        header = self.read_header()
        if kh.SLOT_RECOVERY not in header.slots:
            raise WrongRecoveryKey("Deze kluis heeft geen herstelsleutel.")
        self._unwrap_recovery(header, raw)

    @staticmethod
    def _unwrap_recovery(header: kh.Header, raw: bytes) -> bytes:
        slot = header.slots[kh.SLOT_RECOVERY]
        db_key = kh.unwrap(header, kh.SLOT_RECOVERY, kh.recovery_kek(slot, raw))
        if db_key is None:
            raise WrongRecoveryKey()
        return db_key

    def change_passphrase(
        self,
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
        header, _kek = self._confirm_passphrase(current)
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
            return self._new_header(header, new_key, *slots)

        self._rotate(build, progress, audit)

    def replace_recovery_key(
        self,
        current: str,
        progress: rotation.Progress | None = None,
        audit: rotation.AuditRow | None = None,
    ) -> str:
        """A new recovery key (shown once); the old one stops working at once.

        For a lost recovery sheet, or a first run that was interrupted before
        the key was written down. The database key is rotated, so the old
        recovery key with an old header opens only data from before.
        """
        header, kek = self._confirm_passphrase(current)
        raw = recovery.generate()

        def build(new_key: bytes) -> kh.Header:
            return self._new_header(
                header,
                new_key,
                kh.rewrap(header.vault_id, new_key, kek, header.slots[kh.SLOT_PASSPHRASE]),
                kh.make_recovery_slot(header.vault_id, new_key, raw),
            )

        self._rotate(build, progress, audit)
        return recovery.format_key(raw)

    def _confirm_passphrase(self, current: str) -> tuple[kh.Header, bytes]:
        if self._db_key is None:
            raise VaultLocked()
        header = self.read_header()
        slot = header.slots[kh.SLOT_PASSPHRASE]
        assert slot.argon2 is not None
        kek = kh.derive_passphrase_kek(current or "", slot.salt, slot.argon2)
        if kh.unwrap(header, kh.SLOT_PASSPHRASE, kek) != bytes(self._db_key):
            raise WrongPassphrase("Het huidige wachtwoord klopt niet; er is niets veranderd.")
        return header, kek

    def _new_header(self, header: kh.Header, new_key: bytes, *slots: kh.Slot) -> kh.Header:
        # The generation written at this unlock, even if *header* was read before it.
        generation = max(header.generation, self._header.generation if self._header else 0)
        fresh = replace(
            header, slots={slot.name: slot for slot in slots}, mac=b"", generation=generation
        )
        return kh.seal(fresh, new_key)

    def _rotate(
        self,
        build: Callable[[bytes], kh.Header],
        progress: rotation.Progress | None,
        audit: rotation.AuditRow | None = None,
    ) -> None:
        """Re-encrypt the database under a fresh key and install *build(new_key)*."""
        if self._db_key is None or self._engine is None:
            raise VaultLocked()
        new_key = secrets.token_bytes(kh.DB_KEY_BYTES)
        header = build(new_key)
        old_hex = bytes(self._db_key).hex()
        self._engine.dispose()  # every pooled connection closes; new ones ask for the key
        try:
            rotation.rotate(
                self.data_dir, old_hex, new_key.hex(), header.to_bytes(), progress, audit
            )
        except rotation.RotationInterrupted:
            self.lock()
            raise
        except OSError as exc:
            raise os_error_to_vault_error(exc, self.data_dir) from exc
        for i in range(len(self._db_key)):
            self._db_key[i] = 0
        self._db_key = bytearray(new_key)
        self._header = header

    def _live_key(self) -> bytearray:
        # The bytearray itself, not a copy or hex text: lock() wipes it in place.
        if self._db_key is None:
            raise VaultLocked()
        return self._db_key

    # --- open and lock -----------------------------------------------------------

    def _open(
        self,
        header: kh.Header,
        db_key: bytes,
        *,
        run_migrations: bool = True,
        accept_older: bool = False,
        advance_generation: bool = True,
    ) -> None:
        self._db_key = bytearray(db_key)
        engine = make_engine(self.db_path, self._live_key)
        try:
            with engine.connect() as conn:
                stored = conn.execute(
                    text("SELECT value FROM vault_meta WHERE key = 'vault_id'")
                ).scalar()
                stored_generation = conn.execute(
                    text("SELECT value FROM vault_meta WHERE key = 'generation'")
                ).scalar()
            if stored != header.vault_id:
                raise VaultDamaged(
                    "Het sleutelbestand hoort niet bij deze database (een andere kluis-id). "
                    "Zet de bijbehorende vault.json terug of zet een back-up terug."
                )
            db_generation = _generation(stored_generation)
            self.older_than_expected = None
            if db_generation < header.generation:
                log.warning(
                    "database generation %d is older than the header's %d",
                    db_generation,
                    header.generation,
                )
                if not accept_older:
                    raise DatabaseOlder()
                self.older_than_expected = DatabaseOlder()
            self._header = header
            self._engine = engine
            if run_migrations:
                self._migrate_if_needed()
            # After the schema check: a vault from a newer brugdesk is left untouched.
            if advance_generation:
                self._advance_generation(max(db_generation, header.generation) + 1)
        except DBAPIError as exc:
            engine.dispose()
            self._forget_key()
            raise sqlite_error_to_vault_error(exc.orig, self.data_dir) from exc
        except BaseException:
            engine.dispose()
            self._forget_key()
            raise

    def _advance_generation(self, generation: int) -> None:
        """Start a new session: generation N+1 into the database, then into the header.

        In that order: a crash in between leaves the database ahead of the
        header, which is accepted; never the header ahead of a database that
        has it.
        """
        assert self._header is not None and self._db_key is not None
        with self.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO vault_meta(key, value) VALUES ('generation', :g) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
                ),
                {"g": str(generation)},
            )
        header = kh.seal(replace(self._header, generation=generation, mac=b""), bytes(self._db_key))
        atomic_write_bytes(self.header_path, header.to_bytes())
        self._header = header

    def _migrate_if_needed(self) -> None:
        current = migrate.current_revision(self.engine)
        head = migrate.head_revision()
        if current == head:
            return
        if current is not None and not migrate.is_known_revision(current):
            raise UnsupportedVaultVersion()
        # Late import: backup uses Vault, and this only runs on a schema change.
        from brugdesk.storage.backup import write_backup

        backup_dir = self.data_dir / BACKUP_DIR_NAME
        backup_dir.mkdir(mode=0o700, exist_ok=True)
        secure_folder(backup_dir)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = backup_dir / f"voor-update-{current or 'leeg'}-naar-{head}-{stamp}.brugdesk"
        write_backup(self, target)
        self.pre_migration_backup = target
        log.info("schema upgrade %s -> %s after backup", current, head)
        migrate.upgrade(self.engine)

    def lock(self) -> None:
        """Close every connection, dispose the engine and drop the key."""
        engine, self._engine = self._engine, None
        if engine is not None:
            with contextlib.suppress(Exception):
                # Fold the WAL back into the main file so the data directory
                # is one consistent, encrypted file while locked.
                run_outside_transaction(engine, "PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            fsync_dir(self.data_dir)
        self._forget_key()
        self._lock.release()

    def _forget_key(self) -> None:
        # Python cannot promise to wipe every copy, but we overwrite ours.
        if self._db_key is not None:
            for i in range(len(self._db_key)):
                self._db_key[i] = 0
        self._db_key = None
        self._header = None
        self._engine = None


def _generation(value: object) -> int:
    try:
        return max(0, int(str(value))) if value is not None else 0
    except ValueError:
        return 0
