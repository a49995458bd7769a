"""Table models for a dossier: the contact timeline and the plan's actions."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from brugdesk.domain.life_domains import DOMAINS
from brugdesk.domain.records import ActionRecord, ContactRecord
from brugdesk.ui.kit.colours import muted_colour
from brugdesk.ui.kit.widgets import plain_tooltip
from brugdesk.ui.models.caseload_model import format_date

Index = QModelIndex | QPersistentModelIndex
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1


class RecordTableModel(QAbstractTableModel):
    """Rows of frozen records; subclasses name the columns and how to show them."""

    headers: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def record(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._rows[index.row()]
        if role == RECORD_ROLE:
            return record
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(record, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self.tooltip(record, index.column()))
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(record)
        return None

    def display(self, record: Any, column: int) -> str:
        raise NotImplementedError

    def tooltip(self, record: Any, column: int) -> str | None:
        return None

    def foreground(self, record: Any) -> QColor | None:
        return None


def first_line(text: str, limit: int = 90) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


class ContactsModel(RecordTableModel):
    headers = ("Datum", "Soort", "Notitie")

    def display(self, c: ContactRecord, column: int) -> str:
        if column == 0:
            return c.occurred_at.strftime("%d-%m-%Y %H:%M")
        if column == 1:
            return c.kind
        return first_line(c.note)

    def tooltip(self, c: ContactRecord, column: int) -> str | None:
        bits = []
        if c.duration_min:
            bits.append(f"{c.duration_min} minuten")
        travel = [f"{c.travel_minutes} min" if c.travel_minutes is not None else ""]
        if c.travel_km is not None:
            travel.append(f"{c.travel_km:g} km".replace(".", ","))
        if any(travel):
            bits.append("reis " + ", ".join(t for t in travel if t))
        if c.domains:
            bits.append(", ".join(DOMAINS.get(d, d) for d in c.domains))
        head = " · ".join(bits)
        return (head + "\n\n" if head else "") + c.note[:2000]


class ActionsModel(RecordTableModel):
    headers = ("Leefgebied", "Actie", "Wie", "Uiterlijk", "Status")

    def display(self, a: ActionRecord, column: int) -> str:
        if column == 0:
            return DOMAINS.get(a.domain, a.domain)
        if column == 1:
            return first_line(a.description, 120)
        if column == 2:
            return a.who
        if column == 3:
            return format_date(a.due_on)
        return a.status

    def tooltip(self, a: ActionRecord, column: int) -> str | None:
        return a.description if column == 1 else None

    def foreground(self, a: ActionRecord) -> QColor | None:
        if a.status in ("gedaan", "vervallen"):
            return muted_colour()
        return None
