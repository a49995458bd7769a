"""Putting a complete vault in place (first run, restore), and cleaning up after crashes.

A new or restored vault is first built and verified in a staging folder
inside the data folder (``.init-*`` or ``.restore-*``). Then, as one
recoverable step::

    1. journal   install.json = {"staging": <folder>, "aside": <folder or null>}
                                                            <- commit point
    2. aside     while staging still holds caseload.db, every file of the
                 current vault (db, -wal, -shm, vault.json, .bak) moves into
                 the aside folder (never deleted)
    3. db-in     staging/caseload.db -> caseload.db
    4. header-in staging/vault.json  -> vault.json
    5. done      install.json removed, staging removed

:func:`recover` runs before a vault is read. With ``install.json`` present it
repeats steps 2–5 (each is idempotent, decided by which files remain in the
staging folder): the new vault is **finished**. Without it, any staging
folder is an unfinished build: it is removed and the current vault (or the
empty folder, which can be initialised again) is left as it was: **undone**.
Stray temporary files of atomic writes (``.vault.json.*.tmp``, which may hold
wrapped keys) are removed too.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from datetime import datetime
from pathlib import Path

from brugdesk.paths import DB_NAME, HEADER_NAME, vault_files
from brugdesk.storage.atomic import atomic_write_bytes, fsync_dir
from brugdesk.storage.rotation import crash_point

JOURNAL_NAME = "install.json"
STAGING_PREFIXES = (".init-", ".restore-")

FINISHED = "Het {what} was onderbroken en is nu afgemaakt; de kluis is compleet."
UNDONE = (
    "Een onderbroken {what} is opgeruimd; er is niets veranderd aan wat er al stond. "
    "U kunt het opnieuw doen."
)


def _what(staging_name: str) -> str:
    return "aanmaken van de kluis" if staging_name.startswith(".init-") else "terugzetten"


def install(data_dir: Path, staging: Path, aside: Path | None) -> None:
    """Move the vault built in *staging* into *data_dir*; the current one goes to *aside*."""
    journal = {"staging": staging.name, "aside": aside.name if aside else None}
    atomic_write_bytes(data_dir / JOURNAL_NAME, json.dumps(journal).encode("utf-8"))
    crash_point("install:journal")
    _finish(data_dir, journal)


def recover(data_dir: Path) -> list[str]:
    """Finish an install that passed its commit point, undo any other; say which."""
    messages: list[str] = []
    journal_path = data_dir / JOURNAL_NAME
    journal = None
    if journal_path.exists():
        try:
            journal = json.loads(journal_path.read_bytes())
            _check_name(journal["staging"])
            if journal["aside"] is not None:
                _check_name(journal["aside"])
        except (OSError, ValueError, KeyError, TypeError):
            journal = None
            journal_path.unlink()
    if journal is not None and (data_dir / journal["staging"]).is_dir():
        _finish(data_dir, journal)
        messages.append(FINISHED.format(what=_what(journal["staging"])))
    elif journal is not None:
        journal_path.unlink()  # finished but for removing the journal
    for entry in data_dir.iterdir():
        if entry.is_dir() and entry.name.startswith(STAGING_PREFIXES):
            shutil.rmtree(entry, ignore_errors=True)
            messages.append(UNDONE.format(what=_what(entry.name)))
        elif entry.is_file() and entry.name.startswith(".vault.json") and entry.suffix == ".tmp":
            entry.unlink()
    return messages


def _finish(data_dir: Path, journal: dict) -> None:
    staging = data_dir / journal["staging"]
    if (staging / DB_NAME).exists():
        # Never delete: even unexpected leftovers go into a folder aside.
        aside = data_dir / (journal["aside"] or f"vervangen-{datetime.now():%Y%m%d-%H%M%S}")
        for path in vault_files(data_dir):
            if not path.exists():
                continue
            aside.mkdir(mode=0o700, exist_ok=True)
            os.replace(path, aside / path.name)
            crash_point("install:aside")
        fsync_dir(data_dir)
        os.replace(staging / DB_NAME, data_dir / DB_NAME)
        fsync_dir(data_dir)
        crash_point("install:db-in")
    if (staging / HEADER_NAME).exists():
        os.replace(staging / HEADER_NAME, data_dir / HEADER_NAME)
        fsync_dir(data_dir)
        crash_point("install:header-in")
    (data_dir / JOURNAL_NAME).unlink()
    shutil.rmtree(staging, ignore_errors=True)
    with contextlib.suppress(OSError):
        fsync_dir(data_dir)


def _check_name(name: object) -> None:
    if not isinstance(name, str) or "/" in name or "\\" in name or name in ("", ".", ".."):
        raise ValueError("not a folder name inside the data folder")
