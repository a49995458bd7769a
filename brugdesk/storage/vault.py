"""The vault: one encrypted database plus the key header that unlocks it.

Life cycle::

    vault, recovery_key = Vault.create(data_dir, passphrase)   # shown once
    vault.lock()
    vault = Vault(data_dir); vault.unlock(passphrase)          # or unlock_with_recovery
    vault.engine                                               # SQLAlchemy engine
    vault.change_passphrase(current, new)                      # rotates the database key
    vault.lock()                                               # engine gone, key dropped

Changing a secret re-encrypts the database under a fresh key (:mod:`.rekey`).

One vault, one writer: from unlock to lock the vault holds an OS lock on
``vault.lock`` (:mod:`.filelock`). A second opener (another window, a CLI
command, a restore) is refused with :class:`VaultInUse`; the lock of a process
that died is released by the operating system. The start-up clean-up of
interrupted work runs only by whoever holds (or can take) that lock.

A database that went back in time is noticed by its *generation*
(:mod:`.generation`, which also says what that cannot notice). Failed unlocks
are counted next to the vault (:mod:`.unlock_failures`).

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
import logging
import time
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from brugdesk.errors import (
    DatabaseOlder,
    VaultDamaged,
    VaultExists,
    VaultInUse,
    VaultLocked,
    VaultMissing,
    WrongPassphrase,
    WrongRecoveryKey,
)
from brugdesk.paths import DB_NAME, HEADER_BACKUP_NAME, HEADER_NAME, vault_files
from brugdesk.storage import (
    export_journal,
    generation,
    header_file,
    install,
    recovery,
    rekey,
    rotation,
)
from brugdesk.storage import keyheader as kh
from brugdesk.storage import unlock_failures as failures
from brugdesk.storage.atomic import fsync_dir, os_error_to_vault_error, secure_folder
from brugdesk.storage.db import make_engine, run_outside_transaction, sqlite_error_to_vault_error
from brugdesk.storage.filelock import FileLock
from brugdesk.storage.new_vault import write_new_vault
from brugdesk.storage.passphrase import check_passphrase
from brugdesk.storage.schema_upgrade import migrate_if_needed

log = logging.getLogger(__name__)

LOCK_TRIES = 5
LOCK_RETRY_SECONDS = 0.1
LOCK_NAME = "vault.lock"


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
            messages.extend(export_journal.clean(self.data_dir))
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
        # A few short tries: the start-up clean-up (or a `check` just ending) holds
        # the lock for milliseconds, and that is not "open in another window".
        for attempt in range(LOCK_TRIES):
            try:
                taken = self._lock.try_acquire()
            except OSError as exc:
                raise os_error_to_vault_error(exc, self.data_dir) from exc
            if taken:
                break
            if attempt < LOCK_TRIES - 1:
                time.sleep(LOCK_RETRY_SECONDS)
        else:
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

    def forget_failed_unlocks(self) -> None:
        """The core wrote the count into the audit trail: start counting from zero."""
        self.failed_unlocks = 0
        failures.forget_failed_unlocks(self.data_dir)

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
        header, db_key, recovery_key = write_new_vault(vault.data_dir, passphrase, kdf)
        vault._open(header, db_key)
        return vault, recovery_key

    # --- unlock ----------------------------------------------------------------------

    def read_header(self) -> kh.Header:
        self.recover_interrupted()
        try:
            raw = header_file.read(self.header_path)
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
        return header_file.parse(raw)

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
                self.failed_unlocks = failures.count_failure(self.data_dir)
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
        self.failed_unlocks = failures.stored_failures(self.data_dir)

    def unlock_with_recovery(
        self,
        recovery_text: str,
        new_passphrase: str,
        progress: rotation.Progress | None = None,
        audit: rotation.AuditRow | None = None,
    ) -> None:
        """Unlock with the recovery key and set *new_passphrase* (see :mod:`.rekey`)."""
        rekey.unlock_with_recovery(self, recovery_text, new_passphrase, progress, audit)

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
        """Set *new* and rotate the database key (see :mod:`.rekey`)."""
        rekey.change_passphrase(self, current, new, progress, audit)

    def replace_recovery_key(
        self,
        current: str,
        progress: rotation.Progress | None = None,
        audit: rotation.AuditRow | None = None,
    ) -> str:
        """A new recovery key (shown once); the old one stops working (see :mod:`.rekey`)."""
        return rekey.replace_recovery_key(self, current, progress, audit)

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
            self.older_than_expected = None  # also when compare() raises
            db_generation, self.older_than_expected = generation.compare(
                stored_generation, header.generation, accept_older=accept_older
            )
            self._header = header
            self._engine = engine
            # A WAL left by a crash may still hold page images of rows erased just
            # before it (the scrub after an erasure never ran): fold it in and empty it.
            run_outside_transaction(engine, "PRAGMA wal_checkpoint(TRUNCATE)")
            if run_migrations:
                self._migrate_if_needed()
            # After the schema check: a vault from a newer brugdesk is left untouched.
            if advance_generation:
                self._header = generation.advance_generation(
                    engine,
                    self.header_path,
                    header,
                    bytes(self._db_key),
                    max(db_generation, header.generation) + 1,
                )
        except DBAPIError as exc:
            engine.dispose()
            self._forget_key()
            raise sqlite_error_to_vault_error(exc.orig, self.data_dir) from exc
        except BaseException:
            engine.dispose()
            self._forget_key()
            raise

    def _migrate_if_needed(self) -> None:
        migrate_if_needed(self)

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
