"""A health check of a vault: header, encryption, database integrity, schema state."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from brugdesk.errors import DatabaseOlder, VaultDamaged, VaultInUse, WrongPassphrase
from brugdesk.storage import migrate
from brugdesk.storage.db import PLAIN_SQLITE_MAGIC
from brugdesk.storage.vault import Vault

log = logging.getLogger(__name__)


@dataclass
class CheckReport:
    findings: list[tuple[bool, str]] = field(default_factory=list)
    #: What kind of problem the failed findings are: "damage", "older", "missing", "update".
    problems: set[str] = field(default_factory=set)

    def add(self, ok: bool, text: str, problem: str = "damage") -> None:
        self.findings.append((ok, text))
        if not ok:
            self.problems.add(problem)

    @property
    def ok(self) -> bool:
        return all(ok for ok, _ in self.findings)

    def verdict(self) -> str:
        """One sentence with the next step; "beschadigd" only for real damage."""
        if self.ok:
            return "Oordeel: de kluis is in orde."
        if self.problems == {"older"}:
            return (
                "Oordeel: de database is niet beschadigd, maar ouder dan verwacht. Volgende "
                "stap: zet de nieuwste back-up terug met 'brugdesk-cli restore BESTAND --force', "
                "of ga bewust verder met wat er is: 'brugdesk-cli accept-older'."
            )
        if self.problems == {"update"}:
            return "Oordeel: deze kluis is van een nieuwere brugdesk. Volgende stap: werk brugdesk bij."
        if "damage" not in self.problems:
            return (
                "Oordeel: de kluis is NIET compleet: een bestand ontbreekt (zie hierboven). "
                "Volgende stap: zet het ontbrekende bestand terug, of zet de laatste back-up "
                "terug met 'brugdesk-cli restore BESTAND --force'."
            )
        return (
            "Oordeel: de kluis is NIET in orde, hij is beschadigd. Volgende stap: zet de laatste back-up terug met "
            "'brugdesk-cli restore BESTAND --force' (de beschadigde kluis gaat opzij en blijft "
            "bewaard)."
        )


def check_vault(data_dir: Path, passphrase: str) -> CheckReport:
    """Run every check; a wrong passphrase is raised, any damage is reported."""
    report = CheckReport()
    vault = Vault(data_dir)
    # Only damage is a finding. A missing vault, a wrong passphrase, a full or
    # read-only disk, missing permissions or a data folder that is a file are
    # raised as their own message: "restore a backup" would be wrong advice.
    try:
        header = vault.read_header()
    except VaultDamaged as exc:
        report.add(False, f"Sleutelbestand: {exc.message}")
        return report
    report.add(True, f"Sleutelbestand: geldig (kluis {header.vault_id[:8]}…).")

    try:
        with open(vault.db_path, "rb") as fh:
            magic = fh.read(16)
    except OSError:
        report.add(False, "Database: caseload.db ontbreekt of is onleesbaar.", "missing")
        return report
    if magic == PLAIN_SQLITE_MAGIC:
        report.add(False, "Database: het bestand is NIET versleuteld.")
        return report

    try:
        # Read-only: no generation is advanced, an older database is reported, not refused.
        vault.unlock(passphrase, run_migrations=False, accept_older=True, advance_generation=False)
    except (WrongPassphrase, VaultInUse):
        raise
    except (VaultDamaged, DatabaseOlder) as exc:
        report.add(False, f"Database: kan niet worden geopend. {exc.message}")
        return report
    if vault.older_than_expected is not None:
        report.add(False, f"Database: {vault.older_than_expected.message}", "older")
    else:
        report.add(True, "Database: zo nieuw als verwacht (generatie klopt met sleutelbestand).")
    try:
        _check_open_vault(vault, report)
    finally:
        vault.lock()
    return report


def _check_open_vault(vault: Vault, report: CheckReport) -> None:
    try:
        with vault.engine.connect() as conn:
            cipher = [r[0] for r in conn.exec_driver_sql("PRAGMA cipher_integrity_check")]
            integrity = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
    except Exception as exc:  # any driver error here *is* the finding
        log.warning("integrity check aborted: %s", type(exc).__name__)
        report.add(False, "Database: de controle liep vast op beschadigde pagina's.")
        return
    if cipher:
        report.add(False, f"Versleuteling: {len(cipher)} beschadigde pagina('s).")
    else:
        report.add(True, "Versleuteling: elke pagina is onbeschadigd (cipher_integrity_check).")
    if integrity == ["ok"]:
        report.add(True, "Database-structuur: in orde (integrity_check).")
    else:
        report.add(False, f"Database-structuur: {len(integrity)} fout(en) gevonden.")

    try:
        current = migrate.current_revision(vault.engine)
    except Exception as exc:  # a damaged page under the revision table is a finding too
        log.warning("reading the schema revision failed: %s", type(exc).__name__)
        if integrity == ["ok"] and not cipher:  # else the damage is already reported
            report.add(False, "Schema: de revisie is niet te lezen door beschadigde pagina's.")
        return
    head = migrate.head_revision()
    if current == head:
        report.add(True, f"Schema: actueel (revisie {current}).")
    elif current is not None and migrate.is_known_revision(current):
        report.add(
            True,
            f"Schema: revisie {current}; wordt bij het ontgrendelen bijgewerkt naar {head} "
            "(na een automatische back-up).",
        )
    else:
        report.add(False, f"Schema: onbekende revisie {current!r}; werk brugdesk bij.", "update")
