"""Inzage and a copy for the client (AVG art. 15 and 20) as one job.

::

    draft = InzageDraft(caseload, client_id)
    draft.choose(password=pw, include_meldcode=False)
    draft.pdf                          # rendered once for these choices: the preview
    draft.save(pdf=dest, json=dest2)   # exactly those bytes, each file with its audit row

The draft reads the client's records once. The PDF and the JSON are made
from one dictionary (``documents.inzage_json.build``), so they hold the same
data. Meldcode entries are left out unless the worker chooses
``include_meldcode`` after a warning (and only where the meldcode service
exists). Each file is written like every export (``app.files.export_file``):
a temporary file next to the destination, the audit row ``export`` /
``inzage`` with the file's SHA-256 (never its name, which may hold the client's)
in the transaction, then the rename.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from brugdesk.app.files import export_file
from brugdesk.documents import inzage_json, inzage_pdf, letter_pdf
from brugdesk.documents.letter_content import default_file_name
from brugdesk.domain import pick_lists
from brugdesk.errors import BrugdeskError, ValidationError
from brugdesk.services.audit import record

if TYPE_CHECKING:
    from brugdesk.app.caseload import Caseload

log = logging.getLogger(__name__)

__all__ = ["MELDCODE_WARNING", "InzageChoices", "InzageDraft", "SavedInzage"]

#: Shown before the worker includes the meldcode steps in the client's copy.
MELDCODE_WARNING = (
    "Lees dit eerst: de meldcode-stappen bevatten uw zorgen over huiselijk geweld of "
    "kindermishandeling, met wie u overlegde en hoe u de feiten woog. Een afschrift kan "
    "bij de persoon terechtkomen over wie die zorgen gaan, en dat kan de cliënt of een "
    "kind in gevaar brengen. Neem de stappen alleen mee als u dat veilig acht, na "
    "overleg met een collega of Veilig Thuis, en als er geen gegevens van anderen in staan."
)
#: Where nothing of the audit limit should ever cut: every row of one client.
_ALL = 10_000_000


@dataclass(frozen=True)
class InzageChoices:
    include_meldcode: bool = False
    password: str | None = None


@dataclass(frozen=True)
class SavedInzage:
    pdf: Path
    json: Path | None
    password_protected: bool


class InzageDraft:
    """One inzage being made: the client's records read once, the PDF once per choice."""

    def __init__(self, caseload: Caseload, client_id: int, *, today: date | None = None) -> None:
        self.caseload = caseload
        self.client_id = client_id
        self.today = today or date.today()
        self.client = caseload.clients.get(client_id)
        themes = pick_lists.themes()
        self._base: dict[str, Any] = {
            "client": self.client,
            "theme_labels": [pick_lists.label(themes, t) for t in self.client.themes],
            "contacts": caseload.contacts.fetch(client_id),
            "assessments": caseload.assessments.fetch(client_id),
            "actions": caseload.actions.fetch(client_id),
            "referrals": caseload.referrals.fetch(client_id),
            "partner_names": {p.id: p.organisation for p in caseload.partners.fetch()},
            "consents": caseload.consents.fetch(client_id),
            "audit": caseload.audit.fetch(client_id=client_id, limit=_ALL),
            "settings": caseload.settings.get(),
            "made_on": self.today,
        }
        self._meldcode: list[Any] = list(caseload.meldcode.fetch(client_id))
        # Everything about one client is looked at: one read in the log (NEN 7513).
        caseload.audit.read("client", client_id, client_id, view="inzage")
        self._choices = InzageChoices()
        self._cache: tuple[InzageChoices, bytes] | None = None
        self._plain: dict[bool, bytes] = {}

    @property
    def choices(self) -> InzageChoices:
        return self._choices

    @property
    def meldcode_available(self) -> bool:
        """Can meldcode steps be included (the client has any)?"""
        return bool(self._meldcode)

    @property
    def meldcode_count(self) -> int:
        return len(self._meldcode)

    def choose(self, **changes: Any) -> None:
        choices = dataclasses.replace(self._choices, **changes)
        if choices.include_meldcode and not self.meldcode_available:
            raise ValidationError(
                {"include_meldcode": "Er zijn voor deze cliënt geen meldcode-stappen vastgelegd."}
            )
        if choices.password is not None and not choices.password:
            choices = dataclasses.replace(choices, password=None)
        self._choices = choices

    def data(self, ch: InzageChoices | None = None) -> dict[str, Any]:
        """Everything about the client, as the JSON holds it (meldcode only when chosen)."""
        ch = ch or self._choices
        meldcode = self._meldcode if ch.include_meldcode else None
        return inzage_json.build(**self._base, meldcode=meldcode)

    @property
    def pdf(self) -> bytes:
        """The PDF for the current choices, rendered once (the preview shows these bytes)."""
        ch = self._choices
        if self._cache is not None and self._cache[0] == ch:
            return self._cache[1]
        try:
            # The drawing depends only on the meldcode choice: a new password (or none)
            # encrypts the same pages again instead of drawing a long dossier anew.
            pdf = self._plain.get(ch.include_meldcode) or inzage_pdf.render(self.data(ch))
            self._plain[ch.include_meldcode] = pdf
            if ch.password:
                pdf = letter_pdf.protect(pdf, ch.password)
        except BrugdeskError:
            raise
        except Exception as exc:
            log.error("inzage could not be rendered: %s", type(exc).__name__)
            raise BrugdeskError(
                "Het overzicht kon niet worden opgemaakt. Er is niets opgeslagen. Probeer "
                "het opnieuw; lukt het niet, neem dan contact op met de beheerder."
            ) from exc
        self._cache = (ch, pdf)
        return pdf

    def cached_pdf(self) -> bytes | None:
        cached = self._cache
        return cached[1] if cached is not None and cached[0] == self._choices else None

    def json_bytes(self, ch: InzageChoices | None = None) -> bytes:
        """The same data, machine-readable (never encrypted: the dialog says so)."""
        return inzage_json.render(self.data(ch))

    def default_file_name(self) -> str:
        return default_file_name("inzage", self.client, self.today)

    def save(self, pdf: Path, json: Path | None = None) -> SavedInzage:
        """Write the PDF (exactly ``self.pdf``) and optionally the JSON, each with its row."""
        pdf = Path(pdf)
        json = Path(json) if json is not None else None
        if json is not None and json.resolve() == pdf.resolve():
            raise ValidationError(
                {"json": "Kies voor het JSON-bestand een andere naam dan voor de PDF."}
            )
        ch = self._choices
        data = self.pdf
        self._write(pdf, data, "pdf", ch)
        if json is not None:
            self._write(json, self.json_bytes(ch), "json", ch)
        return SavedInzage(pdf, json, bool(ch.password))

    def _write(self, dest: Path, data: bytes, kind: str, ch: InzageChoices) -> None:
        client_id = self.client_id

        def rows(session: Session, sha: str) -> None:
            record(
                session,
                "export",
                "inzage",
                None,
                client_id,
                kind=kind,
                # No file name: the worker may type the client's name into it, and
                # the audit outlives an erasure (only ids, dates and reasons stay).
                sha256=sha,
                password_protected=bool(ch.password) and kind == "pdf",
                meldcode=ch.include_meldcode,
            )

        export_file(self.caseload, dest, data, rows)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
