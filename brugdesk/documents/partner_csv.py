"""The sociale kaart as CSV: export, and import with validate-everything-first.

Columns (header row, English or Dutch): organisation/organisatie (required),
team, contact_person/contactpersoon, domains/leefgebieden (ids or names,
separated by ``|``), phone/telefoon, email/e-mail, address/adres,
how_to_refer/zo-verwijzen, notes/notities, verified_on/gecontroleerd
(``YYYY-MM-DD`` or ``DD-MM-YYYY``). UTF-8 with or without BOM, ``;`` or ``,``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brugdesk.documents.client_csv import (
    ImportFileError,
    Problem,
    column_names,
    column_problem,
    csv_rows,
    neutralise,
    read_bytes,
    unneutralise,
)
from brugdesk.domain.life_domains import DOMAINS
from brugdesk.domain.partner_rules import FIELDS, clean_partner
from brugdesk.domain.records import PartnerRecord
from brugdesk.errors import ValidationError

COLUMNS = FIELDS  # the partner rules' own field list, in the same order
DUTCH = {
    "organisatie": "organisation",
    "contactpersoon": "contact_person",
    "leefgebieden": "domains",
    "telefoon": "phone",
    "e-mail": "email",
    "adres": "address",
    "zo-verwijzen": "how_to_refer",
    "notities": "notes",
    "gecontroleerd": "verified_on",
}
_BY_NAME = {name.casefold(): key for key, name in DOMAINS.items()}


@dataclass
class PartnerPlan:
    partners: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.partners)


def _domains(value: str) -> list[str]:
    out = []
    for part in (p.strip() for p in value.split("|")):
        if not part:
            continue
        key = part if part in DOMAINS else _BY_NAME.get(part.casefold())
        if key is None:
            raise ValidationError({"domains": f"Onbekend leefgebied '{part}'."})
        out.append(key)
    return out


def parse(data: bytes) -> PartnerPlan:
    reader = csv_rows(data)
    plan = PartnerPlan()
    try:
        written = next(reader)
        said = column_names(written, COLUMNS, DUTCH)
        header = [h.strip().lower().replace(" ", "_") for h in written]
        columns = [DUTCH.get(h, h) for h in header]
        unknown = [h for h, c in zip(header, columns, strict=True) if c not in COLUMNS]
        if unknown:
            raise ImportFileError(
                f"Onbekende kolom '{unknown[0]}'. Toegestaan: "
                f"{', '.join(said[c] for c in COLUMNS)}."
            )
        seen: set[str] = set()
        for cell, column in zip(header, columns, strict=True):
            if column in seen:
                raise ImportFileError(f"Kolom '{cell}' staat twee keer in de kopregel.")
            seen.add(column)
        if "organisation" not in columns:
            raise ImportFileError(f"De kopregel mist de verplichte kolom '{said['organisation']}'.")
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in row):
                continue
            if len(row) != len(columns):
                plan.problems.append(
                    Problem(line, f"{len(row)} velden, de kopregel heeft er {len(columns)}.")
                )
                continue
            values: dict[str, Any] = dict(
                zip(columns, (unneutralise(cell) for cell in row), strict=True)
            )
            try:
                values["domains"] = _domains(values.get("domains", ""))
                plan.partners.append(clean_partner(values))
            except ValidationError as exc:
                plan.problems.extend(
                    column_problem(line, m, name, said) for name, m in exc.errors.items()
                )
    except csv.Error as exc:
        raise ImportFileError(f"Regel {reader.line_num} is geen geldige CSV ({exc}).") from None
    if not plan.partners and not plan.problems:
        plan.problems.append(Problem(0, "Het bestand bevat geen partners."))
    return plan


def read_file(path: Path) -> PartnerPlan:
    return parse(read_bytes(path))


def render(partners: Iterable[PartnerRecord]) -> bytes:
    """The sociale kaart as UTF-8 CSV (with BOM, for spreadsheets)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for p in partners:
        cells = [
            p.organisation,
            p.team,
            p.contact_person,
            "|".join(p.domains),
            p.phone,
            p.email,
            p.address,
            p.how_to_refer,
            p.notes,
            p.verified_on.isoformat() if p.verified_on else "",
        ]
        writer.writerow([neutralise(cell) for cell in cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
