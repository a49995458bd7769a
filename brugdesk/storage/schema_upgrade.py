"""Bringing an opened vault's schema up to date, after an encrypted backup.

A vault whose schema is older than this brugdesk's is first copied, still
encrypted, to ``backups/voor-update-….brugdesk``, then migrated. A vault
from a newer brugdesk (an unknown revision) is refused and left untouched.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from brugdesk.errors import UnsupportedVaultVersion
from brugdesk.paths import BACKUP_DIR_NAME
from brugdesk.storage import migrate
from brugdesk.storage.atomic import secure_folder

if TYPE_CHECKING:
    from brugdesk.storage.vault import Vault

log = logging.getLogger(__name__)


def migrate_if_needed(vault: Vault) -> None:
    """Upgrade *vault* to the head revision; sets ``vault.pre_migration_backup`` if it did."""
    current = migrate.current_revision(vault.engine)
    head = migrate.head_revision()
    if current == head:
        return
    if current is not None and not migrate.is_known_revision(current):
        raise UnsupportedVaultVersion()
    # Late import: backup uses Vault, and this only runs on a schema change.
    from brugdesk.storage.backup import write_backup

    backup_dir = vault.data_dir / BACKUP_DIR_NAME
    backup_dir.mkdir(mode=0o700, exist_ok=True)
    secure_folder(backup_dir)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"voor-update-{current or 'leeg'}-naar-{head}-{stamp}.brugdesk"
    write_backup(vault, target)
    vault.pre_migration_backup = target
    log.info("schema upgrade %s -> %s after backup", current, head)
    migrate.upgrade(vault.engine)
