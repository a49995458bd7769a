"""The one place where data and resource paths are resolved.

Tests and the ``--data-dir`` option pass a directory explicitly; everything
else asks :func:`default_data_dir`.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "brugdesk"

#: Files that together make up one vault in a data directory.
DB_NAME = "caseload.db"
HEADER_NAME = "vault.json"
HEADER_BACKUP_NAME = "vault.json.bak"
BACKUP_DIR_NAME = "backups"


def default_data_dir() -> Path:
    """The platform's per-user data directory, or ``$BRUGDESK_DATA_DIR``."""
    override = os.environ.get("BRUGDESK_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return Path(user_data_dir(APP_NAME, appauthor=False))


def resources_dir() -> Path:
    """``resources/`` shipped next to the package (instruments, fonts, texts)."""
    return Path(__file__).resolve().parent.parent / "resources"


def vault_files(data_dir: Path) -> list[Path]:
    """Every file that belongs to the vault in *data_dir* (existing or not)."""
    db = data_dir / DB_NAME
    return [
        db,
        db.with_name(DB_NAME + "-wal"),
        db.with_name(DB_NAME + "-shm"),
        data_dir / HEADER_NAME,
        data_dir / HEADER_BACKUP_NAME,
    ]


def vault_present(data_dir: Path) -> bool:
    """Is there a vault (or what is left of one) in *data_dir*? Cheap: no database code."""
    return any(p.exists() for p in vault_files(data_dir))
