"""SQLCipher connections with a validated raw key, and the SQLAlchemy engine on top.

The raw key skips SQLCipher's own PBKDF2 (Argon2 already protects it), so
opening is instant after unlock. SQLCipher accepts a malformed key silently
and would create a *different* database, so the key is checked to be exactly
64 lowercase hex characters before it comes near a PRAGMA.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from brugdesk.errors import (
    DiskFull,
    DiskTrouble,
    NoPermission,
    ReadOnlyDisk,
    VaultDamaged,
    VaultError,
)

_HEX_KEY = re.compile(r"[0-9a-f]{64}")
PLAIN_SQLITE_MAGIC = b"SQLite format 3\x00"

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA secure_delete=ON",
    "PRAGMA busy_timeout=5000",
    # REPLACE deletes the row it conflicts with; only with recursive triggers does
    # that delete meet the audit's append-only trigger (else REPLACE rewrites a row).
    "PRAGMA recursive_triggers=ON",
    # SQLCipher decrypts a page each time it enters SQLite's cache; a 32 MiB
    # cache keeps a whole working caseload decrypted in memory (it is freed,
    # with the key, when the vault locks).
    "PRAGMA cache_size=-32768",
)


class MalformedKey(ValueError):
    """A raw database key that is not 64 hex characters (a programming error)."""


def validate_key_hex(key_hex: str) -> str:
    if not isinstance(key_hex, str) or not _HEX_KEY.fullmatch(key_hex):
        raise MalformedKey("the raw database key must be exactly 64 lowercase hex characters")
    return key_hex


def check_key(key: object) -> None:
    """Refuse anything but 64 lowercase hex characters or exactly 32 raw bytes."""
    if isinstance(key, (bytes, bytearray)):
        if len(key) != 32:
            raise MalformedKey("the raw database key must be exactly 32 bytes")
        return
    validate_key_hex(key)  # type: ignore[arg-type]


#: A raw key: 32 bytes (kept by the vault in a bytearray it wipes at lock) or 64 hex chars.
RawKey = str | bytes | bytearray


def connect(path: Path, key: RawKey) -> sqlcipher3.dbapi2.Connection:
    """Open *path* with SQLCipher and *key*, prove it is encrypted, set the pragmas.

    Pass the vault's own bytearray: the hex text SQLCipher's ``PRAGMA key``
    needs is then built here, at the last moment, and dropped at once, so no
    frame or traceback keeps it (see brugdesk/storage/vault.py for the limits).
    """
    check_key(key)
    conn = sqlcipher3.dbapi2.connect(str(path), check_same_thread=False)
    try:
        # SQLCipher writes "ERROR CORE ..." lines for every bad page straight to
        # stderr; the Dutch message (and the log) say what happened instead.
        conn.execute("PRAGMA cipher_log_level = NONE").fetchall()
        version = conn.execute("PRAGMA cipher_version").fetchone()
        if not version or not version[0]:
            raise VaultError(
                "De versleuteling (SQLCipher) ontbreekt in deze installatie. "
                "Installeer brugdesk opnieuw; er is niets geopend."
            )
        _apply_key(conn, key)
        _apply_pragmas(conn)
    except sqlcipher3.dbapi2.DatabaseError as exc:
        conn.close()
        raise sqlite_error_to_vault_error(exc, Path(path).parent) from exc
    except BaseException:
        conn.close()
        raise
    _assert_not_plaintext(path)
    return conn


def sqlite_error_to_vault_error(
    exc: BaseException | None, folder: Path | None = None
) -> VaultError:
    """What a SQLite/SQLCipher error really means, in Dutch. Only damage is called damage.

    A read-only disk, a full disk or a folder brugdesk may not write in
    surfaces as an error when the database is opened (WAL needs to write
    ``-wal``/``-shm`` next to it); calling that damage would send a worker
    to restore a backup over good data.
    """
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    message = str(exc).lower()
    where = f" ({folder})" if folder else ""
    if name.startswith("SQLITE_FULL") or "full" in message:
        return DiskFull()
    if name.startswith("SQLITE_READONLY") or "readonly" in message or "read-only" in message:
        return ReadOnlyDisk(
            f"De gegevensmap{where} is alleen-lezen (of de schijf is schrijfbeveiligd); er is "
            "niets opgeslagen. Haal de schrijfbeveiliging eraf of kies een schrijfbare map. "
            "Uw gegevens zijn onaangetast."
        )
    if name.startswith("SQLITE_PERM") or name.startswith("SQLITE_AUTH"):
        return NoPermission()
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in message:
        return VaultError(
            f"De database in de gegevensmap{where} kan niet worden geopend. Controleer of de "
            "map bestaat, of brugdesk er mag schrijven en of de schijf niet alleen-lezen is. "
            "Uw gegevens zijn onaangetast."
        )
    if name.startswith("SQLITE_IOERR") or "disk i/o" in message:
        return DiskTrouble()
    if "locked" in message or "busy" in message:
        return VaultError(
            "De kluis is even bezet door een andere taak. Probeer het over een paar tellen opnieuw."
        )
    if (
        name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT"))
        or "not a database" in message
        or "malformed" in message
        or "corrupt" in message
    ):
        return VaultDamaged()
    return VaultError(
        "Opslaan of lezen is mislukt door een fout in de database. Er is niets half "
        "opgeslagen; probeer het opnieuw of voer 'brugdesk-cli check' uit."
    )


def _apply_key(conn: Any, key: RawKey) -> None:
    # Only [0-9a-f]{64} can reach the statement (validated or made by bytes.hex()).
    statement = f"PRAGMA key = \"x'{key if isinstance(key, str) else key.hex()}'\""
    try:
        conn.execute(statement)
    finally:
        del statement  # no frame of a later traceback holds the text


def _apply_pragmas(conn: Any) -> None:
    # Reading sqlite_master is the first real page access: a wrong key or a
    # damaged first page fails here, not in the middle of a user action.
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    for pragma in PRAGMAS:
        conn.execute(pragma).fetchall()


def _assert_not_plaintext(path: Path) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except FileNotFoundError:
        return
    if head == PLAIN_SQLITE_MAGIC:
        raise VaultDamaged(
            "Het databasebestand is niet versleuteld. brugdesk opent het niet; "
            "neem contact op met uw beheerder."
        )


def make_engine(path: Path, key_hex: RawKey | Callable[[], RawKey]) -> Engine:
    """An engine whose every connection is keyed and checked by :func:`connect`.

    *key_hex* may be a callable: each new connection then asks it for the key,
    so the same engine keeps working after the vault's key was rotated (the
    pool is disposed at the rotation). The vault passes one that returns its
    bytearray, so the engine never holds the key as text.
    """
    if callable(key_hex):
        current = key_hex
        check_key(current())
        return _engine(lambda: connect(path, current()), sqlcipher3.dbapi2)
    check_key(key_hex)
    return _engine(lambda: connect(path, key_hex), sqlcipher3.dbapi2)


def make_plain_engine_for_benchmark(path: Path) -> Engine:
    """An *unencrypted* engine with the same pragmas: only the benchmark's baseline."""

    def creator() -> sqlite3.Connection:
        conn = sqlite3.connect(str(path), check_same_thread=False)
        _apply_pragmas(conn)
        return conn

    return _engine(creator, sqlite3)


def run_outside_transaction(engine: Engine, sql: str, params: tuple = ()) -> list[tuple]:
    """Run *sql* on a pooled connection with no transaction open (VACUUM, checkpoints)."""
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None  # a pooled connection always has its DBAPI connection
        return list(driver.execute(sql, params).fetchall())
    finally:
        raw.close()


def _engine(creator: Callable[[], Any], module: Any) -> Engine:
    engine = create_engine(
        "sqlite://",
        module=module,
        creator=creator,
        poolclass=QueuePool,
        pool_size=4,
        # Error messages must never carry client data into a log or a dialog.
        hide_parameters=True,
    )

    # Let SQLAlchemy, not the driver, decide where transactions begin, so a
    # session's transaction is exactly one SQLite transaction.
    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
