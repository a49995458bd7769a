"""Atomic file writes: a file is either the old version or the new one, never half."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from brugdesk.errors import DiskFull, VaultError


def fsync_dir(directory: Path) -> None:
    """Make a rename inside *directory* durable (no-op where unsupported)."""
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
    ``os.chmod`` only toggles read-only; the modes keep files writable.
    """
    folder = Path(folder)
    os.chmod(folder, 0o700)
    for entry in os.scandir(folder):
        if entry.is_symlink():
            continue
        with contextlib.suppress(FileNotFoundError):
            if entry.is_dir():
                os.chmod(entry.path, 0o700)
            elif entry.is_file():
                os.chmod(entry.path, 0o600)


def fsync_file(path: Path) -> None:
    """Flush *path*'s contents to disk."""
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write *data* to *path* atomically with permissions *mode*.

    The temporary file gets its restrictive mode before any byte is written
    (``mkstemp`` creates it 0600), is fsynced, renamed over the target and the
    directory is fsynced so the rename survives a power cut.
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
        os.chmod(tmp, mode)  # os.fchmod does not exist on Windows before Python 3.13
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise os_error_to_vault_error(exc, path.parent) from exc


def os_error_to_vault_error(exc: OSError, folder: Path | None = None) -> VaultError:
    """Translate an OS error into a Dutch message the worker can act on."""
    where = f"de map '{folder}'" if folder else "deze map"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull()
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return VaultError(
            f"brugdesk mag niet schrijven in {where}. Controleer de rechten van de map "
            "of kies een andere map."
        )
    if exc.errno == errno.ENOENT:
        return VaultError(f"{where[0].upper()}{where[1:]} bestaat niet. Kies een bestaande map.")
    return VaultError(
        f"Schrijven naar schijf is mislukt ({exc.strerror or 'onbekende fout'}). "
        "Er is niets verloren; probeer het opnieuw."
    )
