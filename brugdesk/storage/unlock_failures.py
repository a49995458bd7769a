"""The count of failed unlocks, kept next to the vault until the core audits it.

Failed unlocks are counted in ``unlock-failures.json`` in the data folder (a
count only, no secret), across processes, until the core has written them
into the audit trail after the next successful unlock.
"""

from __future__ import annotations

import contextlib
import json
import logging
from pathlib import Path

from brugdesk.errors import VaultError
from brugdesk.storage.atomic import atomic_write_bytes

log = logging.getLogger(__name__)

FAILURES_NAME = "unlock-failures.json"


def failures_path(data_dir: Path) -> Path:
    return data_dir / FAILURES_NAME


def stored_failures(data_dir: Path) -> int:
    """The stored count; 0 when there is none or it cannot be read."""
    try:
        count = json.loads(failures_path(data_dir).read_bytes()).get("count", 0)
    except (OSError, ValueError, AttributeError):
        return 0
    return count if isinstance(count, int) and 0 < count < 10**9 else 0


def count_failure(data_dir: Path) -> int:
    """Add one failed unlock to the stored count; the new count."""
    count = stored_failures(data_dir) + 1
    try:
        atomic_write_bytes(failures_path(data_dir), json.dumps({"count": count}).encode())
    except VaultError:
        # Never hide "wrong passphrase" behind a disk problem; the log says it.
        log.warning("could not store the count of failed unlocks")
    return count


def forget_failed_unlocks(data_dir: Path) -> None:
    """The core wrote the count into the audit trail: start counting from zero."""
    with contextlib.suppress(FileNotFoundError):
        failures_path(data_dir).unlink()
