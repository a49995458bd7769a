"""Rotating the database key: re-encrypt the whole database under a fresh key.

A passphrase change or a new recovery key must revoke the old secret: an old
header (``vault.json.bak``, the header in an older backup) plus the old secret
yields only the *old* key, so the database is re-encrypted under a new key.

The steps, and the files that exist after each one (``db`` is caseload.db)::

    1. checkpoint       the WAL is folded into db; db alone is complete
    2. export           db.rotating = sqlcipher_export of db under the new key
    3. verified         db.rotating reopened with the new key, fsynced;
                        the old db's empty -wal/-shm are removed
    4. pending          vault.json.next = {"db_salt": first 16 bytes of
                        db.rotating, "header": the new header}   <- commit point
    5. db-swapped       os.replace(db.rotating, db)
    6. backup-header    vault.json.bak = the new header (current slots only)
    7. done             vault.json = the new header (atomic), vault.json.next removed

:func:`recover` runs before a vault is read and decides from the files alone
(no key is needed):

* no ``vault.json.next``: the rotation had not reached its commit point; the
  old db and old header are untouched. ``db.rotating`` (and its journal) is
  removed: **undone**, the old secret still opens the vault.
* ``vault.json.next`` present: the new database is complete on disk. Its
  ``db_salt`` (the random salt SQLCipher writes in a database's first 16
  bytes) names the new database. If ``db.rotating`` carries that salt, it is
  moved over db; if db already carries it, the swap had happened. Steps 6 and
  7 are then repeated: **finished**, the new secret opens the vault.
  If neither file carries the salt (someone moved files by hand), nothing is
  guessed: the pending files are removed and the old pair is left as it is.

Either way no data is lost: until step 5 the old db is never written, and the
new db is a complete, fsynced copy before the commit point.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from brugdesk.errors import VaultError
from brugdesk.paths import DB_NAME, HEADER_BACKUP_NAME, HEADER_NAME
from brugdesk.storage.atomic import atomic_write_bytes, fsync_dir, fsync_file, private_mode
from brugdesk.storage.db import connect, validate_key_hex

ROTATING_NAME = DB_NAME + ".rotating"
PENDING_HEADER_NAME = HEADER_NAME + ".next"
SALT_BYTES = 16
CRASH_ENV = "BRUGDESK_CRASH_AT"

Progress = Callable[[float], None]


@dataclass(frozen=True)
class AuditRow:
    """The audit entry that records a rotation, written into the new database.

    It is inserted into the re-encrypted copy before the commit point, so the
    change of secret and its audit row arrive together: an interrupted or
    failed rotation leaves neither, a finished one leaves both.
    """

    action: str
    entity: str
    details: dict[str, Any] = field(default_factory=dict)


FINISHED = (
    "Het wijzigen van de sleutel van de kluis was onderbroken en is nu afgemaakt: "
    "het nieuwe wachtwoord en de nieuwe herstelsleutel gelden."
)
UNDONE = (
    "Het wijzigen van de sleutel van de kluis was onderbroken en is teruggedraaid: "
    "het vorige wachtwoord en de vorige herstelsleutel gelden nog. Wijzig ze opnieuw."
)


class RotationInterrupted(VaultError):
    default_message = (
        "Het wijzigen van de sleutel kon niet worden afgemaakt. De kluis is vergrendeld; "
        "open hem opnieuw, dan wordt het wijzigen afgemaakt."
    )


def crash_point(name: str) -> None:
    """Test hook: die abruptly here when ``$BRUGDESK_CRASH_AT`` names this step."""
    if os.environ.get(CRASH_ENV) != name:
        return
    kill = getattr(signal, "SIGKILL", None)
    if kill is not None:
        os.kill(os.getpid(), kill)
    os._exit(137)  # Windows: no SIGKILL; exit without cleanup all the same


def rotate(
    data_dir: Path,
    old_key_hex: str,
    new_key_hex: str,
    header_bytes: bytes,
    progress: Progress | None = None,
    audit: AuditRow | None = None,
) -> None:
    """Re-encrypt *data_dir*'s database under *new_key_hex*, install *header_bytes*.

    Every connection to the database must be closed by the caller. Raises
    before the commit point with nothing changed, or :class:`RotationInterrupted`
    after it (the next :func:`recover` finishes the job).
    """
    say = progress or (lambda _fraction: None)
    data_dir = Path(data_dir)
    validate_key_hex(new_key_hex)
    db = data_dir / DB_NAME
    rotating = data_dir / ROTATING_NAME
    _remove_rotating(data_dir)
    say(0.0)
    try:
        _export(db, rotating, old_key_hex, new_key_hex, say, audit)
        crash_point("rotate:exported")
        _verify(rotating, new_key_hex)
        fsync_file(rotating)
        for suffix in ("-wal", "-shm"):
            leftover = db.with_name(DB_NAME + suffix)
            if suffix == "-wal" and leftover.exists() and leftover.stat().st_size:
                raise VaultError(
                    "De database kon niet worden afgerond voor het wijzigen van de sleutel; "
                    "er is niets veranderd. Sluit andere vensters van brugdesk en probeer "
                    "het opnieuw."
                )
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        fsync_dir(data_dir)
        say(0.85)
        crash_point("rotate:verified")
        pending = {"db_salt": _salt(rotating).hex(), "header": header_bytes.decode("utf-8")}
    except BaseException:
        _remove_rotating(data_dir)
        raise
    atomic_write_bytes(data_dir / PENDING_HEADER_NAME, json.dumps(pending).encode("utf-8"))
    crash_point("rotate:pending")
    say(0.9)
    try:
        _finish(data_dir, pending)
    except OSError as exc:
        raise RotationInterrupted() from exc
    say(1.0)


def recover(data_dir: Path) -> str | None:
    """Finish or undo an interrupted rotation; returns a Dutch message saying which."""
    data_dir = Path(data_dir)
    pending_path = data_dir / PENDING_HEADER_NAME
    rotating = data_dir / ROTATING_NAME
    if not pending_path.exists():
        if rotating.exists():
            _remove_rotating(data_dir)
            return UNDONE
        _remove_rotating(data_dir)  # a lone journal of an unfinished export
        return None
    try:
        pending = json.loads(pending_path.read_bytes())
        salt = bytes.fromhex(pending["db_salt"])
        pending["header"].encode("utf-8")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pending = None
        salt = b""
    db = data_dir / DB_NAME
    if pending is not None and (_salt(rotating) == salt or _salt(db) == salt):
        _finish(data_dir, pending)
        return FINISHED
    pending_path.unlink()
    _remove_rotating(data_dir)
    fsync_dir(data_dir)
    return UNDONE


# --- steps ---------------------------------------------------------------------


def _export(
    db: Path, rotating: Path, old_hex: str, new_hex: str, say: Progress, audit: AuditRow | None
) -> None:
    conn = connect(db, old_hex)
    try:
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy and busy[0]:
            raise VaultError(
                "De database is nog in gebruik; de sleutel is niet gewijzigd. Sluit andere "
                "vensters van brugdesk en probeer het opnieuw."
            )
        crash_point("rotate:checkpointed")
        say(0.05)
        user_version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        total = max(1, db.stat().st_size)
        last = [time.monotonic()]

        def report() -> int:
            now = time.monotonic()
            if now - last[0] > 0.1:
                last[0] = now
                with contextlib.suppress(OSError):
                    say(0.05 + 0.7 * min(1.0, rotating.stat().st_size / total))
            return 0

        # new_hex is validated: only [0-9a-f]{64} reaches this string.
        conn.execute(
            f"ATTACH DATABASE ? AS rotating KEY \"x'{validate_key_hex(new_hex)}'\"",
            (str(rotating),),
        )
        conn.set_progress_handler(report, 20_000)
        try:
            conn.execute("SELECT sqlcipher_export('rotating')").fetchall()
        finally:
            conn.set_progress_handler(None, 0)
        conn.execute(f"PRAGMA rotating.user_version = {user_version}")
        if audit is not None:
            at = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
            conn.execute(
                "INSERT INTO rotating.audit (at, action, entity, entity_id, client_id, details) "
                "VALUES (?, ?, ?, NULL, NULL, ?)",
                (at, audit.action, audit.entity, json.dumps(audit.details)),
            )
            conn.commit()  # the driver opened a transaction for the INSERT
        conn.execute("DETACH DATABASE rotating")
    finally:
        conn.close()
    with contextlib.suppress(OSError):
        private_mode(rotating)
    say(0.75)


def _verify(rotating: Path, new_hex: str) -> None:
    conn = connect(rotating, new_hex)  # also makes the new file WAL, like the old one
    try:
        conn.execute("SELECT value FROM vault_meta WHERE key = 'vault_id'").fetchone()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            rotating.with_name(rotating.name + suffix).unlink()


def _finish(data_dir: Path, pending: dict) -> None:
    rotating = data_dir / ROTATING_NAME
    if rotating.exists():
        os.replace(rotating, data_dir / DB_NAME)
        fsync_dir(data_dir)
    crash_point("rotate:db-swapped")
    header = pending["header"].encode("utf-8")
    atomic_write_bytes(data_dir / HEADER_BACKUP_NAME, header)
    crash_point("rotate:backup-header")
    atomic_write_bytes(data_dir / HEADER_NAME, header)
    (data_dir / PENDING_HEADER_NAME).unlink()
    fsync_dir(data_dir)


def _salt(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(SALT_BYTES)
    except OSError:
        return b""


def _remove_rotating(data_dir: Path) -> None:
    for name in (ROTATING_NAME, *(ROTATING_NAME + s for s in ("-journal", "-wal", "-shm"))):
        with contextlib.suppress(FileNotFoundError):
            (data_dir / name).unlink()
