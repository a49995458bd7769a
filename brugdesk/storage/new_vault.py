"""A new vault on disk: calibrate, make the keys, stage the database and header.

Everything is written into a staging folder inside the data folder and
installed together (:mod:`.install`), so a crash leaves either no vault or a
complete one.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from sqlalchemy import text

from brugdesk.paths import DB_NAME, HEADER_NAME
from brugdesk.storage import install, migrate, recovery
from brugdesk.storage import keyheader as kh
from brugdesk.storage.atomic import atomic_write_bytes, os_error_to_vault_error
from brugdesk.storage.db import make_engine, run_outside_transaction
from brugdesk.storage.rotation import crash_point


def write_new_vault(
    data_dir: Path, passphrase: str, kdf: kh.Argon2Params | None
) -> tuple[kh.Header, bytes, str]:
    """Write a new vault into *data_dir*; its header, database key and recovery key text.

    The caller holds the vault lock and has checked that no vault is there.
    """
    # The calibration takes seconds; nothing is on disk yet while it runs.
    params = kdf or kh.calibrate()
    params.validate()
    crash_point("init:calibrated")
    vault_id = secrets.token_hex(16)
    db_key = secrets.token_bytes(kh.DB_KEY_BYTES)
    recovery_raw = recovery.generate()
    header = kh.Header(
        vault_id=vault_id,
        created=datetime.now().astimezone().isoformat(timespec="seconds"),
        slots={
            kh.SLOT_PASSPHRASE: kh.make_passphrase_slot(vault_id, db_key, passphrase, params),
            kh.SLOT_RECOVERY: kh.make_recovery_slot(vault_id, db_key, recovery_raw),
        },
    )
    header = kh.seal(header, db_key)
    try:
        staging = Path(tempfile.mkdtemp(prefix=".init-", dir=data_dir))
    except OSError as exc:
        raise os_error_to_vault_error(exc) from exc
    try:
        # The database file is born 0600; SQLite gives -wal/-shm the same mode.
        os.close(os.open(staging / DB_NAME, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        engine = make_engine(staging / DB_NAME, db_key)
        migrate.upgrade(engine)
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO vault_meta(key, value) VALUES ('vault_id', :v)"),
                {"v": vault_id},
            )
        run_outside_transaction(engine, "PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        atomic_write_bytes(staging / HEADER_NAME, header.to_bytes())
        crash_point("init:staged")
        install.install(data_dir, staging, None)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise os_error_to_vault_error(exc) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return header, db_key, recovery.format_key(recovery_raw)
