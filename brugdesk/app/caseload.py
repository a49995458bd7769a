"""The service API: one object per unlocked vault through which every user job goes.

::

    cl = Caseload.open(data_dir, passphrase)
    cid = cl.clients.create(given_name="Fatma", family_name="Yılmaz")
    cl.contacts.add(cid, occurred_at=now, kind="huisbezoek", note="…")
    cl.search.clients("schuld")
    cl.lock()

Each sub-service opens its own short transaction per call; every create,
change, delete and export writes its audit entry inside that transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from brugdesk.domain.changes import ChangeHub, collect
from brugdesk.errors import BrugdeskError, VaultError
from brugdesk.services import audit as audit_mod
from brugdesk.services.actions import ActionService
from brugdesk.services.assessments import AssessmentService
from brugdesk.services.audit import AuditService
from brugdesk.services.clients import ClientService
from brugdesk.services.contacts import ContactService
from brugdesk.services.drafts import DraftService
from brugdesk.services.meldcode import MeldcodeService
from brugdesk.services.partners import PartnerService
from brugdesk.services.referrals import ConsentService, ReferralService
from brugdesk.services.referrers import ReferrerService
from brugdesk.services.report import ReportService
from brugdesk.services.search import SearchService
from brugdesk.services.settings import SettingsService
from brugdesk.services.today import Today, TodayCounts
from brugdesk.storage import search_index  # noqa: F401 - registers name-index upkeep
from brugdesk.storage.db import sqlite_error_to_vault_error
from brugdesk.storage.keyheader import Argon2Params
from brugdesk.storage.rotation import AuditRow
from brugdesk.storage.vault import Vault


class LockInterrupted(BrugdeskError):
    """A job stopped at a safe point because the worker locked; nothing was kept."""

    def __init__(self, what: str = "Een taak") -> None:
        super().__init__(
            f"{what} is afgebroken door het vergrendelen; er is niets half opgeslagen. "
            "Ontgrendel en probeer het opnieuw."
        )


class Caseload:
    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self._locking = threading.Event()
        self._sessions = sessionmaker(vault.engine, expire_on_commit=False)
        self.changes = ChangeHub()
        self.clients = ClientService(self)
        self.contacts = ContactService(self)
        self.drafts = DraftService(self)
        self.assessments = AssessmentService(self)
        self.actions = ActionService(self)
        self.partners = PartnerService(self)
        self.consents = ConsentService(self)
        self.referrals = ReferralService(self)
        self.referrers = ReferrerService(self)
        self.meldcode = MeldcodeService(self)
        self.report = ReportService(self)
        self.settings = SettingsService(self)
        self.audit = AuditService(self)
        self.search = SearchService(self)
        self._record_failed_unlocks()

    @classmethod
    def open(cls, data_dir: Path, passphrase: str, *, accept_older: bool = False) -> Caseload:
        """Unlock; *accept_older* opens a database that went back in time (audited)."""
        vault = Vault(data_dir)
        vault.unlock(passphrase, accept_older=accept_older)
        try:
            caseload = cls(vault)
            if vault.older_than_expected is not None:
                caseload.audit.log("change", "vault", fields=["generation"], accepted_older=True)
        except BaseException:
            vault.lock()
            raise
        return caseload

    @classmethod
    def create(
        cls, data_dir: Path, passphrase: str, *, kdf: Argon2Params | None = None
    ) -> tuple[Caseload, str]:
        vault, recovery_key = Vault.create(data_dir, passphrase, kdf=kdf)
        return cls(vault), recovery_key

    @classmethod
    def open_with_recovery(cls, data_dir: Path, recovery_key: str, new_passphrase: str) -> Caseload:
        """Unlock with the recovery key; the new passphrase is set at the same time."""
        vault = Vault(data_dir)
        # The audit row travels inside the re-encrypted database: both or neither.
        audit = AuditRow("change", "vault", {"fields": ["passphrase"], "via": "recovery_key"})
        vault.unlock_with_recovery(recovery_key, new_passphrase, audit=audit)
        return cls(vault)

    def lock(self) -> None:
        self._locking.set()
        self.vault.lock()

    def request_lock(self) -> None:
        """Ask running jobs to stop at their next safe point; the key stays until lock()."""
        self._locking.set()

    @property
    def locking(self) -> bool:
        return self._locking.is_set()

    def check_open(self, what: str) -> None:
        """A cancellation point: raise LockInterrupted (naming *what*) once a lock was asked."""
        if self._locking.is_set():
            raise LockInterrupted(what)

    @property
    def is_unlocked(self) -> bool:
        return self.vault.is_unlocked

    @property
    def vault_id(self) -> str:
        return self.vault.vault_id

    def change_passphrase(
        self, current: str, new: str, progress: Callable[[float], None] | None = None
    ) -> None:
        """Rotate the database key under *new*, with its audit row inside the new database."""
        self.check_open("Het wijzigen van het wachtwoord")
        audit = AuditRow("change", "vault", {"fields": ["passphrase"]})
        self.vault.change_passphrase(current, new, progress, audit)

    def today(
        self,
        *,
        weeks_without_contact: int = 6,
        on: date | None = None,
        remeasure_weeks: int | None = None,
    ) -> Today:
        """What needs attention today (the 'Vandaag' view); the weeks until a
        re-measurement come from the settings unless given."""
        from brugdesk.services.today import build_today

        return build_today(self, weeks_without_contact, on or date.today(), remeasure_weeks)

    def today_counts(
        self,
        *,
        weeks_without_contact: int = 6,
        on: date | None = None,
        remeasure_weeks: int | None = None,
    ) -> TodayCounts:
        """The 'Vandaag' figures from aggregates (cheap: for the toolbar)."""
        from brugdesk.services.today import count_today

        return count_today(self, weeks_without_contact, on or date.today(), remeasure_weeks)

    def replace_recovery_key(
        self, current_passphrase: str, progress: Callable[[float], None] | None = None
    ) -> str:
        self.check_open("Het maken van een nieuwe herstelsleutel")
        audit = AuditRow("change", "vault", {"fields": ["recovery_key"]})
        return self.vault.replace_recovery_key(current_passphrase, progress, audit)

    def write_backup(self, dest: Path) -> Path:
        """Encrypted, verified backup with its audit row: both or neither (``export_file``)."""
        from brugdesk.app.files import export_file
        from brugdesk.storage.atomic import os_error_to_vault_error
        from brugdesk.storage.backup import write_backup

        dest = Path(dest)
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_error_to_vault_error(exc, dest.parent) from exc

        def write(tmp: Path) -> None:
            self.check_open("Het maken van de back-up")
            write_backup(self.vault, tmp)
            self.check_open("Het maken van de back-up")

        def rows(session: Session, sha: str) -> None:
            audit_mod.record(session, "backup", "vault", file=dest.name, sha256=sha)

        export_file(self, dest, write, rows)
        return dest

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One atomic unit of work; database errors become Dutch messages."""
        try:
            with self._sessions.begin() as session:
                yield session
        except DBAPIError as exc:
            raise translate_db_error(exc) from exc
        # Only a committed transaction announces what it changed.
        self.changes.publish(collect(session.info))

    def _record_failed_unlocks(self) -> None:
        """Failed unlocks since the last record (any process, GUI or CLI) go into the audit."""
        if self.vault.failed_unlocks:
            with self.transaction() as s:
                audit_mod.record(s, "unlock_failure", "vault", count=self.vault.failed_unlocks)
            self.vault.forget_failed_unlocks()


def vault_exists(data_dir: Path) -> bool:
    """Is there a vault (or what is left of one) in *data_dir*?"""
    return Vault(data_dir).exists()


def verify_recovery_key(data_dir: Path, recovery_key: str) -> None:
    """Raise WrongRecoveryKey unless *recovery_key* opens the vault in *data_dir*."""
    Vault(data_dir).verify_recovery_key(recovery_key)


def translate_db_error(exc: DBAPIError) -> VaultError:
    """A database error as a Dutch message that says what really happened."""
    message = str(exc.orig).lower()
    if "append-only" in message:
        return VaultError("Het auditlogboek kan niet worden gewijzigd of gewist.")
    if isinstance(exc, IntegrityError):
        return VaultError(
            "Dit past niet bij de gegevens die er al zijn (bijvoorbeeld een verwijzing naar "
            "iets dat niet meer bestaat). Er is niets opgeslagen."
        )
    return sqlite_error_to_vault_error(exc.orig)
