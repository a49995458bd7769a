"""The caseload list: a table model over ``ClientRow`` records that sorts and filters itself."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from enum import IntEnum
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from brugdesk.domain.records import MARK_END, MARK_START, ClientRow, SearchHit
from brugdesk.domain.today_rules import is_past
from brugdesk.ui.kit.colours import error_colour, muted_colour
from brugdesk.ui.kit.widgets import plain_tooltip

CLIENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
# data() runs for every cell and role the view paints: compare plain ints.
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

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


def name_key(r: ClientRow) -> str:
    """The list's default order: by family name, then given name, ignoring case
    (one string: "\0" sorts before any letter, and one string compares faster
    than a pair)."""
    return f"{r.family_name}\0{r.given_name}".casefold()


#: How a hit outside the notes and the name is named in the "Gevonden in" column.
MATCH_LABELS = {"hulpvraag": "Hulpvraag", "adres": "Adres", "actie": "Actie", "gesprek": "Gesprek"}


def plain_snippet(snippet: str) -> str:
    return snippet.replace(MARK_START, "").replace(MARK_END, "")


class CaseloadModel(QAbstractTableModel):
    """Every client's line; sorted and filtered (status, search matches) here, with
    one Python key per line, instead of a proxy that calls back into Python for
    every line and every comparison."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: dict[int, ClientRow] = {}
        self._rows: list[ClientRow] = []  # the lines shown: filtered, in sort order
        self._status: str | None = None
        self._matches: dict[int, SearchHit] | None = None
        self._sort: tuple[Col, Qt.SortOrder] = (Col.NAME, Qt.SortOrder.AscendingOrder)
        self.today = date.today()
        # Picked for the palette in force when the caseload opens (light or dark).
        self._overdue: QColor = error_colour()
        self._closed: QColor = muted_colour()

    # --- data in ----------------------------------------------------------------------

    def set_rows(self, rows: Sequence[ClientRow]) -> None:
        self.beginResetModel()
        self._all = {r.id: r for r in rows}
        self.today = date.today()
        self._rows = self._shown()
        self.endResetModel()

    def upsert_rows(self, rows: Sequence[ClientRow]) -> None:
        """Put these clients' lines in place: changed ones updated (and moved when
        their sort position changed), new ones inserted, ones the filter no longer
        accepts taken out. No reset: the selection and the scroll position stay."""
        last_column = len(Col) - 1
        for new in rows:
            self._all[new.id] = new
            old = self.row_of(new.id)
            if not self._accepts(new):
                if old is not None:
                    self._remove_row(old)
                continue
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

    def remove_ids(self, ids: Iterable[int]) -> None:
        """Take these clients' lines out (unknown ids are ignored)."""
        for client_id in ids:
            self._all.pop(client_id, None)
            row = self.row_of(client_id)
            if row is not None:
                self._remove_row(row)

    def _remove_row(self, row: int) -> None:
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
        if column < 0:
            return
        self._sort = (Col(column), order)
        self._relayout(self._reshow)

    def set_status(self, status: str | None) -> None:
        """Show only clients with this status (None: all)."""
        self._status = status or None
        self._relayout(self._reshow)

    def set_matches(self, matches: dict[int, SearchHit] | None) -> None:
        """Search results (client id -> why it matched), or None when not searching:
        only the matching clients are shown."""
        self._matches = matches
        self._relayout(self._reshow)

    def _relayout(self, change: Callable[[], None]) -> None:
        """Reorder or refilter the rows; persistent indexes (the selection) follow
        their client, or become invalid when its line is no longer shown."""
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

    def _reshow(self) -> None:
        self._rows = self._shown()

    def _accepts(self, r: ClientRow) -> bool:
        if self._status and r.status != self._status:
            return False
        return self._matches is None or r.id in self._matches

    def _shown(self) -> list[ClientRow]:
        """The lines the filters accept, in the sort order."""
        rows = list(self._all.values())
        if self._status or self._matches is not None:
            rows = [r for r in rows if self._accepts(r)]
        column, order = self._sort
        key = name_key if column == Col.NAME else lambda r: self._sort_key(r, column)
        rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        return rows

    # --- data out ---------------------------------------------------------------------

    @property
    def matches(self) -> dict[int, SearchHit] | None:
        return self._matches

    @property
    def total(self) -> int:
        """How many clients there are, shown or not."""
        return len(self._all)

    def has(self, client_id: int) -> bool:
        """Is this client in the caseload (shown or hidden by a filter)?"""
        return client_id in self._all

    def row_record(self, row: int) -> ClientRow:
        return self._rows[row]

    def row_of(self, client_id: int) -> int | None:
        """The line that shows this client, or None when it is not shown."""
        for i, r in enumerate(self._rows):
            if r.id == client_id:
                return i
        return None

    def column_texts(self, column: int, sample: int) -> list[str]:
        """The texts of at most *sample* lines spread over the list (to size a column)."""
        step = max(1, len(self._rows) // sample)
        return [self._display(r, column) for r in self._rows[::step]]

    # --- Qt API -------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Col)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Col(section)]
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == DISPLAY:
            return self._display(r, col)
        if role == CLIENT_ID_ROLE:
            return r.id
        if role == FOREGROUND:
            if col == Col.NEXT_DUE and is_past(r.next_due, self.today):
                return self._overdue
            if r.status == "afgesloten":
                return self._closed
            return None
        if role == ALIGNMENT:
            return RIGHT if col in (Col.AGE, Col.OPEN_REFERRALS) else None
        if role == TOOLTIP:
            if col == Col.NEXT_DUE and r.next_due_text:
                return plain_tooltip(r.next_due_text)
            if col == Col.MATCH and self._matches and r.id in self._matches:
                hit = self._matches[r.id]
                if hit.matched == "notitie":
                    return plain_tooltip(
                        f"Notitie van {format_date(hit.occurred_at)}:\n{plain_snippet(hit.snippet)}"
                    )
                if hit.matched == "gesprek":
                    return (
                        f"Gesprek van {format_date(hit.occurred_at)}:\n{plain_snippet(hit.snippet)}"
                    )
                if hit.matched in MATCH_LABELS:
                    return f"{MATCH_LABELS[hit.matched]}:\n{plain_snippet(hit.snippet)}"
            return None
        if role == SORT_ROLE:
            return self._sort_key(r, Col(col))
        return None

    def _display(self, r: ClientRow, col: int) -> str:
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
            if hit.matched in MATCH_LABELS:
                return f"{MATCH_LABELS[hit.matched]}: {plain_snippet(hit.snippet)}"
            return plain_snippet(hit.snippet)
        return ""

    def _sort_key(self, r: ClientRow, col: Col) -> Any:
        if col == Col.NAME:
            return name_key(r)
        if col == Col.AGE:
            return -1 if r.age is None else r.age
        if col == Col.LAST_CONTACT:
            return r.last_contact.isoformat() if r.last_contact else ""
        if col == Col.NEXT_DUE:
            return r.next_due.isoformat() if r.next_due else "9999"
        if col == Col.OPEN_REFERRALS:
            return r.open_referrals
        return self._display(r, col).casefold()
