"""Files that leave the vault: temp file next to the destination, commit, rename.

::

    with staged(dest) as tmp:
        write_the_file(tmp)
        with caseload.transaction() as s:
            record(s, "export", ...)
    # only now is *dest* in place; on any failure the temp file is gone and,
    # when the failure came before the commit, there is no audit row either.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from brugdesk.errors import VaultError
from brugdesk.storage.atomic import atomic_write_bytes, fsync_dir, os_error_to_vault_error


@contextmanager
def staged(dest: Path) -> Iterator[Path]:
    """A temp path next to *dest*; renamed onto *dest* when the block succeeds."""
    dest = Path(dest)
    if dest.is_dir():
        raise VaultError(f"'{dest}' is een map. Kies een bestandsnaam om in op te slaan.")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
        os.close(fd)
    except OSError as exc:
        raise os_error_to_vault_error(exc, dest.parent) from exc
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, dest)
        fsync_dir(dest.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise os_error_to_vault_error(exc, dest.parent) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_file(path: Path, data: bytes) -> Path:
    """Write *data* to *path* atomically (a file that needs no audit row)."""
    atomic_write_bytes(Path(path), data)
    return Path(path)
