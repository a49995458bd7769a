"""Jobs on the vault as a whole: demo data, check, restore, recovery, the recovery sheet.

The command line and the window call these same functions; neither opens a
transaction or touches storage itself. Each job that changes the vault writes
its audit row inside its one transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from brugdesk.app import demo
from brugdesk.app.caseload import Caseload, vault_exists, verify_recovery_key
from brugdesk.app.files import write_file
from brugdesk.documents import recovery_sheet
from brugdesk.errors import BackupError, BrugdeskError
from brugdesk.paths import vault_files
from brugdesk.services.audit import record
from brugdesk.storage import backup as backup_store
from brugdesk.storage.check import CheckReport, check_vault
from brugdesk.storage.models import Client, Partner
from brugdesk.storage.vault import Vault

__all__ = [
    "CheckReport",
    "RestorePlan",
    "RestoredNotNoted",
    "VaultNotEmpty",
    "check",
    "fill_with_demo",
    "plan_restore",
    "recover",
    "restore",
    "save_recovery_sheet",
    "vault_exists",
    "verify_recovery_key",
]

Progress = Callable[[int, int], None]


class VaultNotEmpty(BrugdeskError):
    default_message = "Deze kluis bevat al cliënten. Demogegevens gaan alleen in een lege kluis."


def fill_with_demo(
    caseload: Caseload,
    clients: int = 40,
    notes_per_client: int = 8,
    *,
    seed: int = 1,
    progress: Progress | None = None,
) -> int:
    """Fill an empty vault with an invented caseload, in one transaction; returns the count.

    The audit rows (an import of clients and of partners) are written in the
    same transaction, so the change is announced and a failure leaves nothing.
    """
    if caseload.clients.count():
        raise VaultNotEmpty()
    what = "Het vullen met demogegevens"
    data = demo.generate(clients, notes_per_client, seed=seed)
    count = len(data.rows(Client))

    def step(done: int, total: int) -> None:
        caseload.check_open(
            what
        )  # a lock stops the writer between chunks; the rollback keeps nothing
        if progress:
            progress(done, total)

    caseload.check_open(what)
    with caseload.transaction() as session:
        demo.insert_rows(session.connection(), data, progress=step)
        record(session, "import", "client", source="demo", count=count)
        record(session, "import", "partner", source="demo", count=len(data.rows(Partner)))
    return count


def check(data_dir: Path, passphrase: str) -> CheckReport:
    """Check key file, encryption, database and schema; damage is reported, not raised."""
    return check_vault(data_dir, passphrase)


@dataclass(frozen=True)
class RestorePlan:
    """What putting a backup back would do, shown before anything is replaced."""

    source: Path
    size: int  #: bytes
    modified: datetime  #: when the backup file was last changed
    made: datetime | None  #: when the backup was made (from its manifest)
    data_dir: Path
    current_changed: datetime | None  #: last change of the current vault; None: no vault
    aside: Path | None  #: where the current vault will be put; None: nothing to put aside
    clients: int | None = None  #: clients in the backup, once checked with its passphrase

    @property
    def aside_name(self) -> str | None:
        return self.aside.name if self.aside else None


def plan_restore(
    data_dir: Path,
    source: Path,
    passphrase: str | None = None,
    *,
    aside_name: str | None = None,
) -> RestorePlan:
    """Describe a restore of *source* into *data_dir* without replacing anything.

    Without *passphrase*: the file (name, size, dates) is looked at quickly.
    With it: the backup is checked exactly as a restore checks it (checksum,
    key, database) in a temporary folder that is removed again, and the number
    of clients is filled in; a wrong passphrase raises :class:`WrongPassphrase`.
    *aside_name* keeps the folder chosen by an earlier plan, so the restore
    uses the very folder that was shown (pass it on to :func:`restore`).
    """
    data_dir, source = Path(data_dir), Path(source)
    try:
        stat = source.stat()
    except FileNotFoundError:
        raise BackupError(f"Het back-upbestand '{source}' bestaat niet.") from None
    except OSError as exc:
        raise BackupError(f"Het back-upbestand '{source}' kan niet worden gelezen.") from exc
    manifest = backup_store.read_manifest(source, verify=False)
    made = None
    with contextlib.suppress(TypeError, ValueError):
        made = datetime.fromisoformat(manifest["created"])
    changed = [p.stat().st_mtime for p in vault_files(data_dir) if p.exists()]
    current = datetime.fromtimestamp(max(changed)).astimezone() if changed else None
    aside = None
    if current is not None:
        aside = data_dir / (aside_name or backup_store.aside_folder_name(data_dir))
    clients = None
    if passphrase is not None:
        clients = backup_store.count_clients(source, passphrase, data_dir)
    return RestorePlan(
        source=source,
        size=stat.st_size,
        modified=datetime.fromtimestamp(stat.st_mtime).astimezone(),
        made=made,
        data_dir=data_dir,
        current_changed=current,
        aside=aside,
        clients=clients,
    )


class RestoredNotNoted(BrugdeskError):
    """The backup was put back, but the restore could not be written in its audit trail."""


def restore(
    data_dir: Path,
    source: Path,
    passphrase: str,
    *,
    force: bool = False,
    aside_name: str | None = None,
) -> Path | None:
    """Put a backup back; returns where an existing vault was set aside (never deleted).

    *aside_name* is the folder a :class:`RestorePlan` showed (default: a new
    ``vervangen-<date-time>``). The restored vault records the restore in its
    own audit trail; if only that last step fails, :class:`RestoredNotNoted`
    says the backup is back nonetheless.
    """
    source = Path(source)
    aside = backup_store.restore_backup(
        data_dir, source, passphrase, force=force, aside_name=aside_name
    )
    try:
        caseload = Caseload.open(data_dir, passphrase)
        try:
            caseload.audit.log("restore", "vault", file=source.name)
        finally:
            caseload.lock()
    except BrugdeskError as exc:
        where = f" De vorige kluis staat in {aside}." if aside else ""
        raise RestoredNotNoted(
            "De back-up is teruggezet, maar het terugzetten kon daarna niet in het "
            f"logboek worden genoteerd: {exc.message}{where}"
        ) from exc
    return aside


def recover(data_dir: Path, recovery_key: str, new_passphrase: str) -> Caseload:
    """Open with the recovery key and set *new_passphrase* at once; audited."""
    return Caseload.open_with_recovery(data_dir, recovery_key, new_passphrase)


def save_recovery_sheet(path: Path, recovery_key: str, vault_id: str) -> Path:
    """Write the printable recovery sheet (no client data on it) atomically."""
    return write_file(Path(path), recovery_sheet.build(recovery_key, vault_id))


def finish_interrupted_work(data_dir: Path) -> list[str]:
    """Finish or undo what a crash interrupted (a first run, a restore, a key change).

    Returns one Dutch sentence per thing that was finished or undone, so the
    worker is told which; empty when there was nothing to do. Staging folders
    of another process that has the vault open are left alone.
    """
    return list(Vault(data_dir).recover_interrupted())
