"""The privacy statement: its text from the settings, and saving it as PDF.

Saving is an export like every other (``export_file``): the PDF is written to a
temp file next to the destination, the audit row ("export", "privacy_statement",
the file name and its SHA-256) goes into the transaction, then the file is renamed
into place. The statement holds no client data.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from brugdesk.app.caseload import Caseload
from brugdesk.app.files import export_file
from brugdesk.documents import privacy_pdf
from brugdesk.domain.privacy_statement import Statement, privacy_statement
from brugdesk.services.audit import record


def statement(caseload: Caseload) -> Statement:
    return privacy_statement(caseload.settings.get())


def pdf(caseload: Caseload) -> bytes:
    settings = caseload.settings.get()
    return privacy_pdf.render(privacy_statement(settings), settings.organisation)


def save_pdf(caseload: Caseload, dest: Path) -> Path:
    dest = Path(dest)
    data = pdf(caseload)

    def rows(session: Session, sha: str) -> None:
        record(session, "export", "privacy_statement", file=dest.name, sha256=sha)

    export_file(caseload, dest, data, rows)
    return dest
