"""Jobs on the vault as a whole: demo data, check, restore, recovery, the recovery sheet.

The command line and the window call these same functions; neither opens a
transaction or touches storage itself. Each job that changes the vault writes
its audit row inside its one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from brugdesk.app import demo
from brugdesk.app.caseload import Caseload, vault_exists, verify_recovery_key
from brugdesk.app.files import write_file
from brugdesk.documents import recovery_sheet
from brugdesk.errors import BrugdeskError
from brugdesk.services.audit import record
from brugdesk.storage import backup as backup_store
from brugdesk.storage.check import CheckReport, check_vault
from brugdesk.storage.models import Client, Partner
from brugdesk.storage.vault import Vault

__all__ = [
    "CheckReport",
    "VaultNotEmpty",
    "check",
    "fill_with_demo",
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


def restore(data_dir: Path, source: Path, passphrase: str, *, force: bool = False) -> Path | None:
    """Put a backup back; returns where an existing vault was set aside (never deleted).

    The restored vault records the restore in its own audit trail.
    """
    source = Path(source)
    aside = backup_store.restore_backup(data_dir, source, passphrase, force=force)
    caseload = Caseload.open(data_dir, passphrase)
    try:
        caseload.audit.log("restore", "vault", file=source.name)
    finally:
        caseload.lock()
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
