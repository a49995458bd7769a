"""The Logboek as a job: read the entries of a period, export them as CSV.

``AuditExport`` reads the filtered entries once; ``save`` writes the CSV as
every export does (``export_file``): a temp file next to the destination, the
export's own audit row in the same transaction, then the rename. The row
names the period, the filters and the count, never a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from brugdesk.app.caseload import Caseload
from brugdesk.app.files import export_file
from brugdesk.documents import audit_csv
from brugdesk.domain.audit_words import LogLine
from brugdesk.errors import ValidationError
from brugdesk.services.audit import record


@dataclass(frozen=True)
class LogFilter:
    start: date
    end: date
    client_id: int | None = None
    action: str | None = None

    def check(self) -> None:
        if self.end < self.start:
            raise ValidationError(
                {"end": "De einddatum ligt vóór de begindatum. Kies een latere einddatum."}
            )


def entries(caseload: Caseload, f: LogFilter) -> list[LogLine]:
    f.check()
    return caseload.audit.entries(f.start, f.end, client_id=f.client_id, action=f.action)


def export_csv(caseload: Caseload, dest: Path, f: LogFilter, *, with_names: bool = False) -> int:
    """Write the filtered entries to *dest*; returns how many. All or nothing."""
    rows = entries(caseload, f)
    names = caseload.audit.client_names() if with_names else None
    data = audit_csv.render(rows, names)
    dest = Path(dest)

    def write_rows(session: Session, sha: str) -> None:
        record(
            session,
            "export",
            "audit",
            period=[f.start.isoformat(), f.end.isoformat()],
            client=f.client_id,
            filter_action=f.action,
            count=len(rows),
            with_names=with_names,
            file=dest.name,
            sha256=sha,
        )

    export_file(caseload, dest, data, write_rows)
    return len(rows)
