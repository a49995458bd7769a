"""Import a caseload kept in a spreadsheet (CSV), all or nothing.

The file is read and *every* row validated first; if any row is wrong, the
result lists each problem with its line number and nothing is written. Only a
clean file is imported (``brugdesk.app.transfers.import_clients``), in one
transaction with one audit entry.

Accepted: UTF-8 with or without BOM, ``;`` or ``,`` separated, a header row
with the column names below (English or Dutch), dates as ``YYYY-MM-DD`` or
``DD-MM-YYYY``. Only the two name columns are required.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from brugdesk.domain.client_rules import clean_client_fields
from brugdesk.domain.contact_rules import clean_contact
from brugdesk.domain.referrer_rules import clean_referrer
from brugdesk.domain.validation import LONG_MAX
from brugdesk.errors import BrugdeskError, ValidationError

COLUMNS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "address",
    "postal_code",
    "city",
    "phone",
    "email",
    "referrer",
    "reason",
    "note",
)
DUTCH = {
    "voornaam": "given_name",
    "achternaam": "family_name",
    "geboortedatum": "date_of_birth",
    "adres": "address",
    "postcode": "postal_code",
    "woonplaats": "city",
    "telefoon": "phone",
    "e-mail": "email",
    "verwijzer": "referrer",
    "hulpvraag": "reason",
    "notitie": "note",
}
#: Which column a validation error of a field points to.
FIELD_COLUMN = {"referrer_id": "referrer"}
MAX_FILE_BYTES = 50 * 1024 * 1024

# Python's csv module refuses fields over 128 KiB by default, but a note may be
# as long as the app itself accepts (``LONG_MAX`` characters). The limit is
# process-wide, so it is only ever raised, once, at import: nothing that relied
# on a larger limit is lowered.
csv.field_size_limit(max(csv.field_size_limit(), LONG_MAX + 1))

#: A spreadsheet treats a cell starting with one of these as a formula (OWASP
#: "CSV injection"). Such a cell is exported with one leading ``'`` (which the
#: spreadsheet shows as text) and the import strips exactly that one again, so
#: ``=HYPERLINK(...)``, ``-5`` and a phone number such as ``+31 38 123 4567``
#: round-trip unchanged through brugdesk and stay usable in the spreadsheet.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """*cell* made safe for a spreadsheet; :func:`unneutralise` undoes it exactly."""
    return "'" + cell if cell.lstrip("'").startswith(FORMULA_TRIGGERS) else cell


def unneutralise(cell: str) -> str:
    """Strip the one ``'`` that :func:`neutralise` (or a spreadsheet user) put before a formula."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_TRIGGERS):
        return cell[1:]
    return cell


MAX_ROWS = 20_000
IMPORT_NOTE_KIND = "anders"


class ImportFileError(BrugdeskError):
    """The file as a whole cannot be read (encoding, header, size)."""


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"regel {self.line}: {self.message}" if self.line else self.message


@dataclass
class ImportPlan:
    """The validated content of a file: rows to write, or problems to show."""

    clients: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Per client line: the referrer named in the file as (name, kind), or None.
    referrers: list[tuple[str, str] | None] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.clients)


def read_bytes(path: Path) -> bytes:
    """A CSV file's bytes, or a Dutch message saying why it cannot be read."""
    path = Path(path)
    try:
        if path.is_dir():
            raise ImportFileError(f"'{path}' is een map, geen bestand.")
        # Non-blocking open and a regular-file check: a pipe or a device (/dev/zero)
        # would hang the import or fill the memory; never read more than the limit.
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise ImportFileError(
                    f"'{path}' is geen gewoon bestand (maar bijvoorbeeld een apparaat of "
                    "pipe) en is niet gelezen. Kies het CSV-bestand zelf."
                )
            data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise ImportFileError("Het bestand is te groot (maximaal 50 MB).")
        return data
    except FileNotFoundError:
        raise ImportFileError(f"Het bestand '{path}' bestaat niet.") from None
    except IsADirectoryError:
        raise ImportFileError(f"'{path}' is een map, geen bestand.") from None
    except PermissionError:
        raise ImportFileError(f"brugdesk mag '{path}' niet lezen.") from None


def csv_rows(data: bytes) -> Any:
    """A csv reader over UTF-8 (with or without BOM), ``;`` or ``,`` separated."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError("Het bestand is te groot (maximaal 50 MB).")
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            f"Het bestand is geen UTF-8 (regel {line}). Sla het in uw spreadsheet op als "
            "'CSV UTF-8' en probeer het opnieuw."
        ) from None
    if not content.strip():
        raise ImportFileError("Het bestand is leeg.")
    first_line = content.splitlines()[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return csv.reader(io.StringIO(content, newline=""), delimiter=delimiter, strict=True)


def read_file(path: Path) -> ImportPlan:
    return parse(read_bytes(path))


def parse(data: bytes) -> ImportPlan:
    reader = csv_rows(data)
    plan = ImportPlan()
    try:
        header = next(reader)
        columns = _columns(header)
        said = column_names(header, COLUMNS, DUTCH)
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(plan.clients) + len(plan.problems) >= MAX_ROWS:
                raise ImportFileError(f"Het bestand heeft meer dan {MAX_ROWS} regels.")
            _add_row(plan, columns, row, line, said)
    except csv.Error as exc:
        raise ImportFileError(
            f"Regel {reader.line_num} is geen geldige CSV ({exc}). Controleer de aanhalingstekens."
        ) from None
    if not plan.clients and not plan.problems:
        plan.problems.append(Problem(0, "Het bestand bevat geen cliënten (alleen een kopregel)."))
    return plan


def column_names(
    header: list[str], columns: tuple[str, ...], dutch: dict[str, str]
) -> dict[str, str]:
    """Each column's name as a message should say it: as the file wrote it, and
    the columns it lacks in the file's language (English only when the file
    uses the English names, Dutch otherwise)."""
    cells = [cell.strip() for cell in header]
    in_dutch = any(cell.lower() in dutch for cell in cells) or not any(
        cell.lower().replace(" ", "_") in columns for cell in cells
    )
    names = {
        key: {v: k for k, v in dutch.items()}.get(key, key) if in_dutch else key for key in columns
    }
    for cell in cells:
        key = cell.lower().replace(" ", "_")
        key = dutch.get(key, dutch.get(cell.lower(), key))
        if key in names:
            names[key] = cell
    return names


def column_problem(line: int, message: str, field_name: str, names: dict[str, str]) -> Problem:
    """A row's problem, naming the column (as the file calls it) the field came from."""
    column = names.get(FIELD_COLUMN.get(field_name, field_name))
    return Problem(line, f"{message} (kolom '{column}')" if column else message)


def _columns(header: list[str]) -> list[str]:
    names = []
    said = column_names(header, COLUMNS, DUTCH)
    for cell in header:
        key = cell.strip().lower().replace(" ", "_")
        key = DUTCH.get(key, DUTCH.get(cell.strip().lower(), key))
        if key not in COLUMNS:
            raise ImportFileError(
                f"Onbekende kolom '{cell.strip()}' in de kopregel. Toegestaan: "
                f"{', '.join(said[c] for c in COLUMNS)}."
            )
        if key in names:
            raise ImportFileError(f"Kolom '{cell.strip()}' staat twee keer in de kopregel.")
        names.append(key)
    missing = [said[c] for c in ("given_name", "family_name") if c not in names]
    if missing:
        raise ImportFileError(f"De kopregel mist de verplichte kolom(men): {', '.join(missing)}.")
    return names


def _add_row(
    plan: ImportPlan, columns: list[str], row: list[str], line: int, said: dict[str, str]
) -> None:
    if len(row) != len(columns):
        plan.problems.append(
            Problem(line, f"{len(row)} velden, maar de kopregel heeft er {len(columns)}.")
        )
        return
    values = dict(zip(columns, (unneutralise(cell) for cell in row), strict=True))
    referrer = values.pop("referrer", "").strip()
    note = values.pop("note", "")
    fields: dict[str, Any] = {k: v for k, v in values.items() if v.strip()}
    named: tuple[str, str] | None = None
    if referrer:
        # The referrer list's entry is found or made when the import is written.
        named = ("Cliënt zelf", "zelf") if referrer.lower() == "zelf" else (referrer, "huisarts")
    try:
        client = clean_client_fields(fields)
        if named is not None:
            try:
                clean_referrer({"name": named[0], "kind": named[1]})
            except ValidationError as exc:  # said of the file's referrer column
                raise ValidationError({"referrer_id": exc.errors["name"]}) from None
        if note.strip():
            clean_contact({"occurred_at": datetime.now(), "kind": IMPORT_NOTE_KIND, "note": note})
    except ValidationError as exc:
        for name, message in exc.errors.items():
            plan.problems.append(column_problem(line, message, name, said))
        return
    plan.clients.append(client)
    plan.referrers.append(named)
    plan.notes.append(note if note.strip() else "")
