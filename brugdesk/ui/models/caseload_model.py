"""The caseload list: a table model over ``ClientRow`` records and its filter proxy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import IntEnum
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from brugdesk.domain.records import MARK_END, MARK_START, ClientRow, SearchHit
from brugdesk.domain.today_rules import is_past

CLIENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


class Col(IntEnum):
    NAME = 0
    AGE = 1
    STATUS = 2
    REFERRER = 3
    LAST_CONTACT = 4
    NEXT_DUE = 5
    OPEN_REFERRALS = 6
    MATCH = 7


HEADERS = {
    Col.NAME: "Naam",
    Col.AGE: "Leeftijd",
    Col.STATUS: "Status",
    Col.REFERRER: "Verwijzer",
    Col.LAST_CONTACT: "Laatste contact",
    Col.NEXT_DUE: "Volgende actie",
    Col.OPEN_REFERRALS: "Open verwijzingen",
    Col.MATCH: "Gevonden in",
}


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y")
    return value.strftime("%d-%m-%Y")


def plain_snippet(snippet: str) -> str:
    return snippet.replace(MARK_START, "").replace(MARK_END, "")


class CaseloadModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ClientRow] = []
        self._matches: dict[int, SearchHit] | None = None
        self._sort: tuple[Col, Qt.SortOrder] = (Col.NAME, Qt.SortOrder.AscendingOrder)
        self.today = date.today()

    # --- data in ----------------------------------------------------------------------

    def set_rows(self, rows: list[ClientRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.today = date.today()
        self._apply_sort()
        self.endResetModel()

    def upsert_rows(self, rows: list[ClientRow]) -> None:
        """Put these clients' lines in place: changed ones updated (and moved when
        their sort position changed), new ones inserted. No reset: the selection
        and the scroll position stay."""
        last_column = len(Col) - 1
        for new in rows:
            old = self.row_of(new.id)
            if old is None:
                at = self._position(new)
                self.beginInsertRows(QModelIndex(), at, at)
                self._rows.insert(at, new)
                self.endInsertRows()
                continue
            position = self._position_without(old, new)
            if position == old:
                self._rows[old] = new
            else:
                self._relayout(partial(self._move, old, position, new))
            self.dataChanged.emit(self.index(position, 0), self.index(position, last_column))

    def remove_ids(self, ids) -> None:
        """Take these clients' lines out (unknown ids are ignored)."""
        for client_id in ids:
            row = self.row_of(client_id)
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()

    def _position(self, record: ClientRow) -> int:
        """Where *record* belongs in the current sort order (after its equals)."""
        column, order = self._sort
        key = self._sort_key(record, column)
        descending = order == Qt.SortOrder.DescendingOrder
        for i, r in enumerate(self._rows):
            other = self._sort_key(r, column)
            if (other < key) if descending else (key < other):
                return i
        return len(self._rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort with one Python key per row (a proxy lessThan costs ~14k callbacks)."""
        self._sort = (Col(column), order)
        self._relayout(self._apply_sort)

    def _relayout(self, change: Callable[[], None]) -> None:
        """Reorder the rows; persistent indexes (the selection) follow their client."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self._rows[i.row()].id if 0 <= i.row() < len(self._rows) else None for i in before]
        change()
        where = {r.id: n for n, r in enumerate(self._rows)}
        after = [
            self.index(where[cid], i.column()) if cid in where else QModelIndex()
            for cid, i in zip(ids, before, strict=True)
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _move(self, old: int, at: int, record: ClientRow) -> None:
        del self._rows[old]
        self._rows.insert(at, record)

    def _position_without(self, old: int, record: ClientRow) -> int:
        """Where *record* belongs once the line at *old* is taken out."""
        taken = self._rows.pop(old)
        try:
            return self._position(record)
        finally:
            self._rows.insert(old, taken)

    def _apply_sort(self) -> None:
        column, order = self._sort
        self._rows.sort(
            key=lambda r: self._sort_key(r, column),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    def set_matches(self, matches: dict[int, SearchHit] | None) -> None:
        """Search results (client id -> why it matched), or None when not searching."""
        self._matches = matches
        if self._rows:
            self.dataChanged.emit(
                self.index(0, Col.MATCH), self.index(len(self._rows) - 1, Col.MATCH)
            )

    @property
    def matches(self) -> dict[int, SearchHit] | None:
        return self._matches

    def row_record(self, row: int) -> ClientRow:
        return self._rows[row]

    def row_of(self, client_id: int) -> int | None:
        for i, r in enumerate(self._rows):
            if r.id == client_id:
                return i
        return None

    # --- Qt API -------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Col)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Col(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = Col(index.column())
        if role == CLIENT_ID_ROLE:
            return r.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == SORT_ROLE:
            return self._sort_key(r, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == Col.NEXT_DUE and is_past(r.next_due, self.today):
                return QColor("#b00020")
            if r.status == "afgesloten":
                return QColor("#6b6b6b")
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == Col.NEXT_DUE and r.next_due_text:
                return r.next_due_text
            if col == Col.MATCH and self._matches and r.id in self._matches:
                hit = self._matches[r.id]
                if hit.matched == "notitie":
                    return (
                        f"Notitie van {format_date(hit.occurred_at)}:\n{plain_snippet(hit.snippet)}"
                    )
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (Col.AGE, Col.OPEN_REFERRALS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, r: ClientRow, col: Col) -> str:
        if col == Col.NAME:
            return r.full_name
        if col == Col.AGE:
            return "" if r.age is None else str(r.age)
        if col == Col.STATUS:
            return r.status
        if col == Col.REFERRER:
            return r.referrer_name or r.referrer_kind
        if col == Col.LAST_CONTACT:
            return format_date(r.last_contact) or "nog geen"
        if col == Col.NEXT_DUE:
            if not r.next_due:
                return ""
            return f"{format_date(r.next_due)} · {r.next_due_text}"
        if col == Col.OPEN_REFERRALS:
            return str(r.open_referrals) if r.open_referrals else ""
        if col == Col.MATCH:
            hit = (self._matches or {}).get(r.id)
            if hit is None:
                return ""
            if hit.matched == "naam":
                return "naam"
            return plain_snippet(hit.snippet)
        return ""

    def _sort_key(self, r: ClientRow, col: Col) -> Any:
        if col == Col.NAME:
            return (r.family_name.casefold(), r.given_name.casefold())
        if col == Col.AGE:
            return -1 if r.age is None else r.age
        if col == Col.LAST_CONTACT:
            return r.last_contact.isoformat() if r.last_contact else ""
        if col == Col.NEXT_DUE:
            return r.next_due.isoformat() if r.next_due else "9999"
        if col == Col.OPEN_REFERRALS:
            return r.open_referrals
        return self._display(r, col).casefold()


class CaseloadFilter(QSortFilterProxyModel):
    """Filters by status and, while searching, by the core's search matches."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._status: str | None = None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The source model sorts itself; the proxy keeps the source order.
        source = self.sourceModel()
        if isinstance(source, CaseloadModel) and column >= 0:
            source.sort(column, order)
        super().sort(-1)

    def set_status(self, status: str | None) -> None:
        self._refilter(lambda: setattr(self, "_status", status or None))

    def refilter(self) -> None:
        """The search matches changed in the source model: filter again."""
        self._refilter(lambda: None)

    def _refilter(self, change) -> None:
        # Qt 6.9 replaced invalidateFilter() by begin/endFilterChange().
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange()
        else:
            change()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, CaseloadModel)
        record = model.row_record(source_row)
        if self._status and record.status != self._status:
            return False
        matches = model.matches
        return matches is None or record.id in matches
