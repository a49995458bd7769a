"""Atomic file writes: a file is either the old version or the new one, never half."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

from brugdesk.errors import (
    DataDirNotFolder,
    DiskFull,
    DiskTrouble,
    FileInUse,
    NoPermission,
    ReadOnlyDisk,
    SymlinkLoop,
    UnsafeFile,
    VaultError,
)

#: Windows has no POSIX permission bits and cannot fsync a folder. The one
#: switch the helpers below read (tests flip it to walk the Windows path).
WINDOWS = sys.platform == "win32"

#: Owner-only modes for files and folders of the vault, its logs and exports.
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def private_mode(target: Path | str | int, mode: int = PRIVATE_FILE) -> None:
    """Give *target* (a path, or an open file descriptor) the owner-only *mode*.

    POSIX: ``fchmod`` for a descriptor, ``chmod`` for a path. Windows: nothing.
    There ``os.fchmod`` does not exist before Python 3.13 and ``os.chmod``
    only sets or clears the read-only flag (a mode without the write bit
    would make the file read-only); the data folder lives under the user's
    profile (``%LOCALAPPDATA%``), whose ACL already keeps other users out,
    and files created in it inherit that ACL. Never call ``os.chmod`` or
    ``os.fchmod`` for privacy anywhere else: call this.
    """
    if WINDOWS:
        return
    if isinstance(target, int):
        os.fchmod(target, mode)
    else:
        os.chmod(target, mode)


def fsync_dir(directory: Path) -> None:
    """Make a rename inside *directory* durable (no-op where unsupported).

    Windows cannot open a folder as a file (``os.open`` fails with EACCES) and
    NTFS makes the rename itself durable through its journal: skipped there.
    """
    if WINDOWS:
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def secure_folder(folder: Path) -> None:
    """Make *folder* 0700 and the files and folders directly in it 0600 / 0700.

    Also when the folder existed before or the umask let them be created
    wider. Links are left alone (never chmod what they point to). On Windows
    nothing is changed (see :func:`private_mode`).
    """
    if WINDOWS:
        return
    folder = Path(folder)
    private_mode(folder, PRIVATE_FOLDER)
    for entry in os.scandir(folder):
        if entry.is_symlink():
            continue
        with contextlib.suppress(FileNotFoundError):
            if entry.is_dir():
                private_mode(entry.path, PRIVATE_FOLDER)
            elif entry.is_file():
                private_mode(entry.path, PRIVATE_FILE)


#: Pauses between attempts of a rename that Windows refuses because a file is
#: in use (a PDF reader holding the old file, a virus scanner peeking at the
#: new one): about a second in all, then the worker is told.
RENAME_RETRY_DELAYS = (0.05, 0.1, 0.2, 0.3, 0.4)


def replace_retrying(src: Path, dst: Path, in_use: Path | None = None) -> None:
    """``os.replace(src, dst)``, retried briefly while Windows says a file is in use.

    On Windows a rename fails with ``PermissionError`` while another program
    has *src* or the old *dst* open (without sharing delete access, as most
    PDF readers and Excel do). After the retries that error becomes
    :class:`FileInUse` naming *in_use* (default *dst*) when that file exists;
    otherwise the ``PermissionError`` is raised as it is (a real permission
    problem). On POSIX an open file never blocks a rename, so this is plain
    ``os.replace`` there unless the folder really refuses.
    """
    shown = Path(dst if in_use is None else in_use)
    for delay in (*RENAME_RETRY_DELAYS, None):
        try:
            os.replace(src, dst)
            return
        except PermissionError as exc:
            if delay is None:
                if shown.exists():
                    raise FileInUse.about(shown) from exc
                raise
            time.sleep(delay)


def fsync_file(path: Path) -> None:
    """Flush *path*'s contents to disk."""
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write *data* to *path* atomically with permissions *mode*.

    The temporary file gets its restrictive mode before any byte is written
    (``mkstemp`` creates it 0600), is fsynced, renamed over the target and the
    directory is fsynced so the rename survives a power cut. A target that
    another program holds open (Windows) raises :class:`FileInUse` after a
    few brief retries; the temporary file is removed.
    """
    path = Path(path)
    if path.is_dir():
        raise VaultError(f"'{path}' is een map. Kies een bestandsnaam om in op te slaan.")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise os_error_to_vault_error(exc, path.parent) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            private_mode(fh.fileno(), mode)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        replace_retrying(tmp, path)
        fsync_dir(path.parent)
    except FileInUse:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise os_error_to_vault_error(exc, path.parent) from exc


def os_error_to_vault_error(exc: OSError, folder: Path | None = None) -> VaultError:
    """Translate an OS error into a Dutch message that says what really happened.

    Only real damage may ever be called damage: a full or read-only disk, a
    missing permission, a data folder that is a file or a symlink loop each
    get their own message, so nobody restores a backup over good data.
    """
    where = f"de map '{folder}'" if folder else "deze map"
    code = exc.errno
    if code in _DISK_FULL or getattr(exc, "winerror", None) in (112, 39):
        return DiskFull()
    if code == errno.EROFS:
        return ReadOnlyDisk(
            f"De schijf met {where} is alleen-lezen; er is niets opgeslagen. Haal de "
            "schrijfbeveiliging eraf of kies een schrijfbare map. Uw gegevens zijn onaangetast."
        )
    if code in (errno.EACCES, errno.EPERM):
        return NoPermission(
            f"brugdesk heeft geen toestemming om {where} te gebruiken. Controleer de rechten "
            "van de map of kies een andere map. Uw gegevens zijn onaangetast."
        )
    blocking_file = _file_in_the_way(folder, exc.filename)
    if code == errno.ENOTDIR or (code == errno.EEXIST and blocking_file):
        shown = f"'{blocking_file}'" if blocking_file else "De gekozen gegevensmap"
        return DataDirNotFolder(
            f"{shown} is een bestand, geen map. Kies een map voor de kluis (met --data-dir "
            "of bij het starten). Er is niets veranderd."
        )
    if code == errno.ELOOP:
        return SymlinkLoop(
            f"{where[0].upper()}{where[1:]} verwijst via snelkoppelingen (symbolische links) "
            "naar zichzelf. Kies de echte map van de kluis. Er is niets veranderd."
        )
    if code == errno.ENOENT:
        return VaultError(f"{where[0].upper()}{where[1:]} bestaat niet. Kies een bestaande map.")
    if code == errno.EIO:
        return DiskTrouble()
    return VaultError(
        f"Lezen of schrijven op de schijf is mislukt ({exc.strerror or 'onbekende fout'}). "
        "Er is niets verloren; probeer het opnieuw."
    )


_DISK_FULL = {errno.ENOSPC} | ({errno.EDQUOT} if hasattr(errno, "EDQUOT") else set())


def _file_in_the_way(folder: Path | None, filename: object) -> Path | None:
    """The nearest existing non-folder among *folder*, *filename* and their parents."""
    for start in (folder, filename):
        if not start:
            continue
        for candidate in (Path(str(start)), *Path(str(start)).parents):
            try:
                if candidate.exists() and not candidate.is_dir():
                    return candidate
            except OSError:
                continue
    return None


def open_regular(path: Path, what: str) -> BinaryIO:
    """Open *path* for reading only if it is a regular file; never blocks on a FIFO.

    The file is opened with ``O_NONBLOCK`` where that exists (a FIFO with no
    writer would otherwise hang the open) and checked with ``fstat``. *what*
    names the file in the Dutch message of :class:`UnsafeFile`. Raises
    ``FileNotFoundError`` for a missing file (callers have their own message).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except IsADirectoryError:
        raise UnsafeFile(f"{what} is een map, geen bestand. Er is niets gelezen.") from None
    except PermissionError as exc:
        if Path(path).is_dir():  # Windows refuses to open a folder with EACCES
            raise UnsafeFile(f"{what} is een map, geen bestand. Er is niets gelezen.") from None
        raise os_error_to_vault_error(exc, Path(path).parent) from exc
    except OSError as exc:
        raise os_error_to_vault_error(exc, Path(path).parent) from exc
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise UnsafeFile(f"{what} is een map, geen bestand. Er is niets gelezen.")
        if not stat.S_ISREG(mode):
            raise UnsafeFile(
                f"{what} is geen gewoon bestand (maar bijvoorbeeld een apparaat of een pijp). "
                "Er is niets gelezen; zet het echte bestand terug."
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a regular file: ordinary reads from here on
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_limited(path: Path, limit: int, what: str) -> bytes:
    """Read the regular file *path*, at most *limit* bytes, refusing anything odd.

    See :func:`open_regular`; reads ``limit + 1`` bytes at most, so a file
    that is too big is proven so without ever holding more than that.
    """
    with open_regular(path, what) as fh:
        if os.fstat(fh.fileno()).st_size > limit:
            raise UnsafeFile(f"{what} is veel te groot om te lezen. Er is niets gelezen.")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise UnsafeFile(f"{what} is veel te groot om te lezen. Er is niets gelezen.")
    return data
