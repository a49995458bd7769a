"""A letter leaving the vault: its bytes rendered once, its file and its rows together.

``render_pdf`` turns a ``Letter`` into the bytes that will be shown and saved
(optionally AES-256). ``save_letter`` writes exactly those bytes with the
job's rows through ``app.files.export_file``: no file without its rows, no
rows without the file.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy.orm import Session

from brugdesk.app.files import export_file
from brugdesk.documents import letter_pdf
from brugdesk.documents.letter_pdf import Letter
from brugdesk.errors import BrugdeskError

if TYPE_CHECKING:
    from brugdesk.app.caseload import Caseload

log = logging.getLogger(__name__)
T = TypeVar("T")
C = TypeVar("C")  # a frozen dataclass of a letter's choices


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sha256: str
    password_protected: bool
    referral_id: int | None = None


def render_pdf(letter: Letter, password: str | None = None) -> bytes:
    """The letter's PDF bytes, encrypted with AES-256 when a password is given."""
    try:
        pdf = letter_pdf.render(letter)
        return letter_pdf.protect(pdf, password) if password else pdf
    except BrugdeskError:
        raise
    except Exception as exc:
        log.error("letter could not be rendered: %s", type(exc).__name__)
        raise BrugdeskError(
            "De brief kon niet worden opgemaakt. Er is niets opgeslagen. Maak de tekst "
            "korter of eenvoudiger en probeer het opnieuw."
        ) from exc


def generate_password() -> str:
    """A strong password for an AES-256 letter, shown once to the worker."""
    return letter_pdf.generate_password()


def logo_problem(path: str) -> str | None:
    """Why the logo at *path* cannot go on a letter (Dutch), or None if it can."""
    return letter_pdf.logo_problem(path)


def footer_problem(footer: str) -> str | None:
    """Why *footer* does not fit at the bottom of a letter (Dutch), or None if it does."""
    if letter_pdf.footer_fits(footer):
        return None
    return (
        f"De voettekst past niet onderaan de brief: er is plaats voor "
        f"{letter_pdf.FOOTER_MAX_LINES} regels naast het paginanummer (samen met de regel "
        "'Vertrouwelijk'). Maak de tekst korter; anders wordt hij afgekapt."
    )


def sha256(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()


def save_letter(
    caseload: Caseload,
    pdf: bytes,
    dest: Path,
    write_rows: Callable[[Session, str], T],
) -> T:
    """The letter's bytes to *dest* with the job's rows, all or nothing (``export_file``)."""
    return export_file(caseload, dest, pdf, write_rows)


class LetterDraft(Generic[C]):
    """What every letter draft shares: its bytes rendered once per set of choices.

    A subclass holds the records it read and ``_choices`` (a frozen dataclass
    with a ``password``), and says how the choices become a ``Letter``.
    """

    _choices: C
    _cache: tuple[C, bytes] | None = None
    caseload: Caseload
    client_id: int
    #: How the first look at this letter is logged (a NEN 7513 read, once per draft).
    _read_entity = "referral"
    _read_view = "letter"
    _read_noted = False

    def _note_read(self) -> None:
        """Log one read for this draft: the worker sees the letter's content now."""
        if self._read_noted:
            return
        self._read_noted = True
        self.caseload.audit.read(self._read_entity, self.client_id, view=self._read_view)

    @property
    def choices(self) -> C:
        return self._choices

    def letter(self, ch: C | None = None) -> Letter:
        raise NotImplementedError

    def warnings(self, ch: C | None = None) -> list[str]:
        """Dutch warnings for text the letter cannot print as typed (characters the
        font lacks, Arabic or Hebrew script), naming the characters and the part."""
        problems = letter_pdf.glyph_problems(self.letter(ch))
        self._note_read()  # the letter's content was gathered and checked
        return [problem.message for problem in problems]

    @property
    def pdf(self) -> bytes:
        """The letter's bytes for the current choices, rendered once; the cache is keyed
        by the choices it was rendered for, so a changed choice renders anew."""
        ch = self._choices
        cached = self._cache
        if cached is not None and cached[0] == ch:
            return cached[1]
        password: Any = getattr(ch, "password", None)
        pdf = render_pdf(self.letter(ch), password)
        self._note_read()
        self._cache = (ch, pdf)
        return pdf

    def cached_pdf(self) -> bytes | None:
        """The bytes already rendered for the current choices, or None."""
        cached = self._cache
        return cached[1] if cached is not None and cached[0] == self._choices else None
