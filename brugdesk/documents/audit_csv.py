"""The log as CSV for the organisation's privacy officer.

Columns in Dutch; the client as a number, and the name only when the worker
chose "met namen". UTF-8 with BOM and ``;`` (a Dutch spreadsheet opens it as
it is); every cell neutralised against formulas like the other exports.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from brugdesk.documents.client_csv import neutralise
from brugdesk.domain.audit_words import (
    LogLine,
    action_words,
    client_words,
    details_words,
    entity_words,
    local_time,
)

COLUMNS = ("nummer", "tijd", "handeling", "onderdeel", "onderdeel-nummer", "cliënt-nummer")
NAME_COLUMN = "cliënt-naam"
DETAILS_COLUMN = "details"


def header(with_names: bool) -> list[str]:
    return [*COLUMNS, *([NAME_COLUMN] if with_names else []), DETAILS_COLUMN]


def render(entries: Iterable[LogLine], names: Mapping[int, str] | None = None) -> bytes:
    """One row per entry, oldest first; *names* given means "met namen"."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header(names is not None))
    for e in entries:
        cells = [
            str(e.id),
            f"{local_time(e.at):%Y-%m-%d %H:%M:%S}",
            action_words(e.action),
            entity_words(e.entity),
            "" if e.entity_id is None else str(e.entity_id),
            "" if e.client_id is None else str(e.client_id),
        ]
        if names is not None:
            cells.append(client_words(e.client_id, names))
        cells.append(details_words(e.action, e.details or {}))
        writer.writerow([neutralise(cell) for cell in cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
