"""Which exports are under way, so a crash leaves nothing behind next to them.

A file that leaves the vault (a backup, a letter, a CSV) is first written as a
temporary file — and a backup in a staging folder — next to its destination,
outside the data folder. Before that starts, the destination is noted in
``exports.json`` in the data folder; when the export ends, well or badly, the
note goes. If the process is killed in between, the next start
(:func:`clean`) removes what that export left next to its destination: the
temporary ``.NAME.*.tmp``, an ``.NAME.*.old`` set aside, and the
``.brugdesk-backup-*`` staging folders. It never touches the destination file
itself: whether that export was complete is not something brugdesk can know
without the passphrase, and a file the worker chose is theirs.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path

from brugdesk.storage.atomic import atomic_write_bytes

JOURNAL_NAME = "exports.json"
BACKUP_STAGING_PREFIX = ".brugdesk-backup-"


def _read(data_dir: Path) -> list[dict[str, str]]:
    path = Path(data_dir) / JOURNAL_NAME
    try:
        raw = json.loads(path.read_bytes()[:100_000])
    except (OSError, ValueError):
        return []
    if not isinstance(raw, list):
        return []
    return [e for e in raw if isinstance(e, dict) and {"folder", "name"} <= set(e)]


def _write(data_dir: Path, entries: list[dict[str, str]]) -> None:
    path = Path(data_dir) / JOURNAL_NAME
    if entries:
        atomic_write_bytes(path, json.dumps(entries).encode("utf-8"))
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def begin(data_dir: Path, dest: Path) -> None:
    entry = {"folder": str(Path(dest).parent), "name": Path(dest).name}
    entries = [e for e in _read(data_dir) if e != entry]
    _write(data_dir, [*entries, entry])


def end(data_dir: Path, dest: Path) -> None:
    entry = {"folder": str(Path(dest).parent), "name": Path(dest).name}
    _write(data_dir, [e for e in _read(data_dir) if e != entry])


def clean(data_dir: Path) -> list[str]:
    """Remove what interrupted exports left next to their destinations; say where."""
    messages = []
    for entry in _read(data_dir):
        folder, name = Path(entry["folder"]), entry["name"]
        removed = False
        if folder.is_dir():
            for leftover in (
                *folder.glob(f".{name}.*.tmp"),
                *folder.glob(f".{name}.*.old"),
                *folder.glob(f"{BACKUP_STAGING_PREFIX}*"),
            ):
                if leftover.is_dir():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        leftover.unlink()
                removed = True
        if removed:
            messages.append(
                f"Een onderbroken export naar {folder / name} liet tijdelijke bestanden "
                "achter; die zijn opgeruimd. Maak die export of back-up opnieuw."
            )
    _write(data_dir, [])
    return messages
