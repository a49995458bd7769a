"""The one place where data and resource paths are resolved.

Tests and the ``--data-dir`` option pass a directory explicitly; everything
else asks :func:`default_data_dir`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_dir

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

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


#: The package that holds the shipped data: instruments, fonts, the word list.
RESOURCES_PACKAGE = "brugdesk.resources"


def resources() -> Traversable:
    """The data shipped inside the package, read through ``importlib.resources``.

    Never a path relative to the checkout: an installed wheel and a frozen app
    find their instruments and fonts here too.
    """
    # Imported here: the start path (default_data_dir) does not need this machinery.
    from importlib.resources import files

    return files(RESOURCES_PACKAGE)


@contextmanager
def resource_file(*parts: str) -> Iterator[Path]:
    """A real file for one shipped resource, for libraries that need a file name.

    ``resource_file("fonts", "DejaVuSans.ttf")``; the path is valid inside the
    ``with`` block only (from a zipped package it is a temporary copy).
    """
    from importlib.resources import as_file

    target = resources()
    for part in parts:
        target = target / part
    with as_file(target) as path:
        yield path


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
