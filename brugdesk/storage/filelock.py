"""An exclusive, non-blocking lock on a file, held by the operating system.

One vault has one writer: the process that unlocked it holds the lock on
``vault.lock`` in the data folder until it locks the vault again. The
operating system releases the lock when that process ends in any way
(a crash, SIGKILL, a power-off), so a lock left behind by a dead process is
never "stale": the next opener simply gets it.

POSIX uses ``fcntl.flock`` (conflicts between separate opens, also inside
one process); Windows uses ``msvcrt.locking`` on the first byte (a byte-range
lock belongs to one handle, so it too conflicts between separate opens inside
one process). Which one is chosen at import from ``sys.platform``: the
``msvcrt`` branch is never even imported on POSIX, nor ``fcntl`` on Windows.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from brugdesk.storage.atomic import PRIVATE_FILE, private_mode

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        # msvcrt.locking locks nbytes from the current position: seek to byte 0
        # first. The lock file is empty; Windows allows locking a range beyond
        # the end of the file, so byte 0 can be locked without writing it.
        # LK_NBLCK tries once and raises OSError (EACCES) when another handle
        # holds the byte (LK_LOCK would retry for ten seconds instead).
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class FileLock:
    """``try_acquire()`` → True when this object now holds the lock; ``release()`` frees it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; raises OSError if the file cannot be opened."""
        if self._fd is not None:
            return True
        # On Windows the mode only decides the read-only flag; 0600 keeps it writable.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
        try:
            if not _try_lock(fd):
                os.close(fd)
                return False
        except BaseException:
            os.close(fd)
            raise
        with contextlib.suppress(OSError):
            private_mode(fd)
        self._fd = fd
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            with contextlib.suppress(OSError):
                _unlock(fd)
        finally:
            os.close(fd)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.release()
