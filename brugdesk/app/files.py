"""Files that leave the vault: the file and its audit rows arrive together, or neither.

``export_file`` writes the file to a private temporary file next to the
destination, writes the job's rows (``write_rows(session, sha256)``) in one
transaction, moves the file into place as the last step before the commit,
and then lets the commit happen. If anything fails — the temporary file, a
row, the rename or the commit itself — the temporary file is removed, a file
already moved into place is taken away again (an older file of that name is
put back) and the transaction rolls back: no file without its rows, no rows
without the file.

Why the rename comes before the commit: the audit trail is append-only, so a
committed audit row can never be taken back if the rename fails afterwards
(on Windows it does when the old file is open in a PDF reader: the rename
is retried for about a second, then the worker reads ``FileInUse``). The one
window this leaves is a crash between the rename and the commit, which
leaves the file without its rows; the opposite order would leave rows
without a file (and the bytes in a temporary file) for the same crash.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.orm import Session

from brugdesk.errors import VaultError
from brugdesk.paths import vault_files
from brugdesk.storage import export_journal
from brugdesk.storage.atomic import (
    atomic_write_bytes,
    fsync_dir,
    os_error_to_vault_error,
    replace_retrying,
)
from brugdesk.storage.rotation import crash_point

if TYPE_CHECKING:
    from brugdesk.app.caseload import Caseload

T = TypeVar("T")
Writer = Callable[[Path], object]


def _destination_error(exc: OSError, folder: Path) -> VaultError:
    """An OS error at the destination the worker chose, in Dutch (not the vault's words)."""
    if isinstance(exc, NotADirectoryError) or (folder.exists() and not folder.is_dir()):
        return VaultError(
            f"'{folder}' is een bestand, geen map. Kies een map om het bestand in op te "
            "slaan. Er is niets opgeslagen."
        )
    return os_error_to_vault_error(exc, folder)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _same_file(a: Path, b: Path) -> bool:
    """*a* and *b* name one file (via links, and case on a case-insensitive disk too)."""
    if os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b)):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return False


def _temp_next_to(dest: Path) -> Path:
    """A new private (0600, from mkstemp) empty file next to *dest*."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
        os.close(fd)
    except OSError as exc:
        raise _destination_error(exc, dest.parent) from exc
    return Path(name)


def _write_bytes(data: bytes) -> Writer:
    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())

    return write


def export_file(
    caseload: Caseload,
    dest: Path,
    content: bytes | Writer,
    write_rows: Callable[[Session, str], T],
) -> T:
    """Temp file → rows (with the file's SHA-256) → rename → commit; all or nothing.

    *content* is the file's bytes, or a function that writes the file at the
    path it is given (a backup is written that way).
    """
    dest = Path(dest)
    if dest.is_dir():
        raise VaultError(f"'{dest}' is een map. Kies een bestandsnaam om in op te slaan.")
    data_dir = caseload.vault.data_dir
    if any(_same_file(dest, own) for own in vault_files(data_dir)):
        raise VaultError(
            f"'{dest.name}' is een bestand van de kluis zelf; opslaan zou de kluis "
            "overschrijven. Er is niets opgeslagen. Kies een andere naam of map."
        )
    write = _write_bytes(content) if isinstance(content, bytes) else content
    export_journal.begin(data_dir, dest)  # a crash from here on is cleaned at the next start
    try:
        tmp = _temp_next_to(dest)
        old: Path | None = None
        placed = False
        try:
            write(tmp)
            crash_point("export:written")
            with caseload.transaction() as session:
                result = write_rows(session, sha256_of(tmp))
                session.flush()  # a row that does not fit fails here, before the file moves
                if dest.exists():
                    # Windows refuses to move a file another program has open
                    # (a PDF reader): retried briefly, then FileInUse, no row.
                    old = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.old")
                    replace_retrying(dest, old, in_use=dest)
                replace_retrying(tmp, dest)
                placed = True
                crash_point("export:renamed")
        except BaseException as exc:
            _undo(tmp, dest, old if old is not None and old.exists() else None, placed)
            if isinstance(exc, OSError):
                raise _destination_error(exc, dest.parent) from exc
            raise
        if old is not None:
            with contextlib.suppress(OSError):
                old.unlink()
        fsync_dir(dest.parent)
        return result
    finally:
        with contextlib.suppress(OSError):
            export_journal.end(data_dir, dest)


def _undo(tmp: Path, dest: Path, old: Path | None, placed: bool) -> None:
    with contextlib.suppress(OSError):
        tmp.unlink(missing_ok=True)
    if placed:
        with contextlib.suppress(OSError):
            dest.unlink(missing_ok=True)
    if old is not None:
        with contextlib.suppress(OSError):
            os.replace(old, dest)


def write_file(path: Path, data: bytes) -> Path:
    """Write *data* to *path* atomically (a file that needs no audit row)."""
    atomic_write_bytes(Path(path), data)
    return Path(path)
