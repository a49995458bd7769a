"""A letter leaving the vault: its bytes rendered once, its file and its rows together.

``render_pdf`` turns a ``Letter`` into the bytes that will be shown and saved
(optionally AES-256). ``save_letter`` writes those bytes to a temporary file
next to the destination, writes the job's rows in one transaction, moves the
file into place as the last step before the commit and only then lets the
commit happen. If anything fails — the temporary file, a row, the rename or
the commit itself — the temporary file is removed, a file that was already
moved into place is taken away again (an older file of that name is put
back) and the transaction is rolled back: no file without its rows, no rows
without the file. The rename comes before the commit because the audit trail
is append-only: a committed audit row could not be taken back.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.orm import Session

from brugdesk.documents import letter_pdf
from brugdesk.documents.letter_pdf import Letter
from brugdesk.errors import BrugdeskError, VaultError
from brugdesk.storage.atomic import fsync_dir, os_error_to_vault_error

if TYPE_CHECKING:
    from brugdesk.app.caseload import Caseload

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sha256: str
    password_protected: bool
    referral_id: int | None = None


def render_pdf(letter: Letter, password: str | None = None) -> bytes:
    """The letter's PDF bytes, encrypted with AES-256 when a password is given."""
    try:
        pdf = letter_pdf.render(letter)
        return letter_pdf.protect(pdf, password) if password else pdf
    except BrugdeskError:
        raise
    except Exception as exc:
        log.error("letter could not be rendered: %s", type(exc).__name__)
        raise BrugdeskError(
            "De brief kon niet worden opgemaakt. Er is niets opgeslagen. Maak de tekst "
            "korter of eenvoudiger en probeer het opnieuw."
        ) from exc


def logo_problem(path: str) -> str | None:
    """Why the logo at *path* cannot go on a letter (Dutch), or None if it can."""
    return letter_pdf.logo_problem(path)


def sha256(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()


def _write_temp(dest: Path, data: bytes) -> Path:
    """*data* in a new private file next to *dest* (created 0600 by mkstemp)."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    except OSError as exc:
        raise os_error_to_vault_error(exc, dest.parent) from exc
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise os_error_to_vault_error(exc, dest.parent) from exc
    return tmp


def save_letter(
    caseload: Caseload,
    pdf: bytes,
    dest: Path,
    write_rows: Callable[[Session, str], T],
) -> T:
    """Temp file → rows (``write_rows(session, sha256)``) → rename → commit; all or nothing."""
    dest = Path(dest)
    if dest.is_dir():
        raise VaultError(f"'{dest}' is een map. Kies een bestandsnaam om in op te slaan.")
    tmp = _write_temp(dest, pdf)
    old: Path | None = None
    placed = False
    try:
        with caseload.transaction() as session:
            result = write_rows(session, sha256(pdf))
            session.flush()  # a row that does not fit fails here, before the file moves
            if dest.exists():
                old = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.old")
                os.replace(dest, old)
            os.replace(tmp, dest)
            placed = True
    except BaseException as exc:
        _undo(tmp, dest, old, placed)
        if isinstance(exc, OSError):
            raise os_error_to_vault_error(exc, dest.parent) from exc
        raise
    if old is not None:
        with contextlib.suppress(OSError):
            old.unlink()
    fsync_dir(dest.parent)
    return result


def _undo(tmp: Path, dest: Path, old: Path | None, placed: bool) -> None:
    with contextlib.suppress(OSError):
        tmp.unlink(missing_ok=True)
    if placed:
        with contextlib.suppress(OSError):
            dest.unlink(missing_ok=True)
    if old is not None:
        with contextlib.suppress(OSError):
            os.replace(old, dest)
