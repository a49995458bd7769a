"""Apply Alembic revisions to an open vault connection."""

from __future__ import annotations

import atexit
from contextlib import ExitStack
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine

#: The revisions ship as package data (``.py`` files Alembic loads by path), found
#: through ``importlib.resources`` so an installed wheel or a frozen app finds them.
MIGRATIONS_PACKAGE = "brugdesk.storage.migrations"
_kept_open = ExitStack()


@cache
def migrations_dir() -> Path:
    """The folder with ``env.py`` and ``versions/``: a real directory for Alembic."""
    atexit.register(_kept_open.close)
    return _kept_open.enter_context(as_file(files(MIGRATIONS_PACKAGE)))


def _config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, target: str = "head") -> None:
    with engine.begin() as conn:
        command.upgrade(_config(conn), target)


def downgrade(engine: Engine, target: str) -> None:
    """Only used by tests that build a vault of an older schema."""
    with engine.begin() as conn:
        command.downgrade(_config(conn), target)


def is_known_revision(revision: str) -> bool:
    """False for a revision this version of brugdesk does not ship (a newer vault)."""
    try:
        return ScriptDirectory.from_config(_config()).get_revision(revision) is not None
    except (RevisionError, CommandError):
        return False
