"""CSV in and out of the vault: clients and the sociale kaart (partners).

Reading and validating a file is done by the renderers in ``documents``; the
jobs here write a clean plan in one transaction with its audit row, or write
an export as temp file → commit with the audit row → rename.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from brugdesk.app.caseload import Caseload
from brugdesk.app.files import export_file
from brugdesk.documents import client_csv, partner_csv
from brugdesk.documents.client_csv import IMPORT_NOTE_KIND, ImportFileError, ImportPlan, Problem
from brugdesk.documents.partner_csv import PartnerPlan
from brugdesk.services.audit import record
from brugdesk.services.clients import name_key, same_person
from brugdesk.services.referrers import find_or_add
from brugdesk.storage.models import Client, Contact, Partner

__all__ = [
    "ImportPlan",
    "PartnerPlan",
    "Problem",
    "existing_matches",
    "export_partners",
    "import_clients",
    "import_partners",
    "read_clients",
    "read_partners",
    "repeated_lines",
]


def read_clients(path: Path) -> ImportPlan:
    """Read and validate every row of a client CSV; nothing is written."""
    return client_csv.read_file(Path(path))


def existing_matches(caseload: Caseload, plan: ImportPlan) -> list[int | None]:
    """Per line of *plan*: the id of a client already in the vault with the same
    name and date of birth ("bestaat al"), or None."""
    with caseload.transaction() as s:
        return [_existing(s, data) for data in plan.clients]


def repeated_lines(plan: ImportPlan) -> list[bool]:
    """Per line of *plan*: True when an earlier line of the same file names the same
    person (name and date of birth); the import writes only the first of them."""
    seen: set[tuple[tuple[str, str], Any]] = set()
    repeated: list[bool] = []
    for data in plan.clients:
        key = (name_key(data.get("given_name"), data.get("family_name")), data.get("date_of_birth"))
        repeated.append(key in seen)
        seen.add(key)
    return repeated


def _existing(s: Session, data: dict[str, Any]) -> int | None:
    same = same_person(
        s, data.get("given_name"), data.get("family_name"), data.get("date_of_birth")
    )
    return same[0].id if same else None


def import_clients(caseload: Caseload, plan: ImportPlan, *, skip_existing: bool = True) -> int:
    """Write a clean plan in one transaction with one audit row; returns the count written.

    Lines naming a client already in the vault (same name and date of birth)
    are skipped unless *skip_existing* is False, so importing the same file
    twice does not double the caseload; the audit row counts the skipped ones.
    """
    if not plan.ok:
        raise ImportFileError("Er is niets geïmporteerd: het bestand bevat nog fouten.")
    now = datetime.now()
    caseload.check_open("Het importeren van cliënten")
    written = skipped = 0
    with caseload.transaction() as s:
        for data, note, named in zip(plan.clients, plan.notes, plan.referrers, strict=True):
            if skip_existing and _existing(s, data) is not None:
                skipped += 1
                continue
            written += 1
            client = Client(**data, created_at=now, updated_at=now)
            if named is not None:
                client.referrer_id = find_or_add(s, *named)
            client.started_on = client.started_on or now.date()
            s.add(client)
            s.flush()
            if note:
                s.add(
                    Contact(
                        client_id=client.id,
                        occurred_at=now,
                        kind=IMPORT_NOTE_KIND,
                        note=note,
                        domains=[],
                        created_at=now,
                        updated_at=now,
                    )
                )
        record(s, "import", "client", count=written, skipped=skipped)
    return written


def read_partners(path: Path) -> PartnerPlan:
    """Read and validate every row of a sociale-kaart CSV; nothing is written."""
    return partner_csv.read_file(Path(path))


def import_partners(caseload: Caseload, plan: PartnerPlan) -> int:
    if not plan.ok:
        raise ImportFileError("Er is niets geïmporteerd: het bestand bevat nog fouten.")
    with caseload.transaction() as s:
        now = datetime.now()
        for data in plan.partners:
            s.add(Partner(**data, created_at=now))
        record(s, "import", "partner", count=len(plan.partners))
    return len(plan.partners)


def export_partners(caseload: Caseload, dest: Path) -> int:
    """The whole sociale kaart as CSV, with its audit row: both or neither."""
    dest = Path(dest)
    partners = caseload.partners.fetch()
    data = partner_csv.render(partners)

    def rows(session: Session, sha: str) -> None:
        record(session, "export", "partner", None, count=len(partners), file=dest.name, sha256=sha)

    export_file(caseload, dest, data, rows)
    return len(partners)
