"""Bestand → Logboek: every audit entry, filtered by period, client and action.

The list is a model/view over the entries of the period (read once per
filter change through ``app.audit_log``); texts are made only for the lines
on screen. Names are shown because the dialog only exists while the vault
is unlocked (a lock closes it). "CSV exporteren…" writes the filtered
entries for the privacy officer, clients as numbers unless "met namen".
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app import audit_log
from brugdesk.app.caseload import Caseload
from brugdesk.domain.audit_words import (
    ACTION_WORDS,
    LogLine,
    action_words,
    client_words,
    details_words,
    entity_words,
    local_time,
)
from brugdesk.errors import BrugdeskError
from brugdesk.ui.kit.error_boundary import guard
from brugdesk.ui.kit.widgets import DateEdit, ErrorLabel, hint, plain, qdate, to_date, user_message
from brugdesk.ui.tasks import Tasks

#: The period shown when the dialog opens: the last 30 days.
DEFAULT_DAYS = 30
HEADERS = ("Tijd", "Handeling", "Cliënt", "Wat", "Details")
TIME, ACTION, CLIENT, WHAT, DETAILS = range(5)


class LogModel(QAbstractTableModel):
    """The entries, newest first; each cell's text is made when it is first shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[LogLine] = []
        self._names: dict[int, str] = {}
        self._texts: dict[int, tuple[str, ...]] = {}

    def set_entries(self, entries: list[LogLine], names: dict[int, str]) -> None:
        self.beginResetModel()
        self._entries = list(reversed(entries))
        self._names = names
        self._texts = {}
        self.endResetModel()

    def entry(self, row: int) -> LogLine:
        return self._entries[row]

    def texts(self, row: int) -> tuple[str, ...]:
        cached = self._texts.get(row)
        if cached is None:
            e = self._entries[row]
            cached = self._texts[row] = (
                f"{local_time(e.at):%d-%m-%Y %H:%M:%S}",
                action_words(e.action),
                client_words(e.client_id, self._names),
                entity_words(e.entity),
                details_words(e.action, e.details or {}),
            )
        return cached

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self.texts(index.row())[index.column()]
            if role == Qt.ItemDataRole.ToolTipRole:
                return text if index.column() in (CLIENT, DETAILS) and text else None
            return text
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None


class LogDialog(QDialog):
    def __init__(
        self,
        caseload: Caseload,
        tasks: Tasks | None = None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.tasks = tasks
        self.setWindowTitle("Logboek")
        self.resize(1100, 600)
        today = today or date.today()
        self.names = caseload.audit.client_names()
        self.start = DateEdit(qdate(today - timedelta(days=DEFAULT_DAYS)))
        self.start.setObjectName("logStart")
        self.end = DateEdit(qdate(today))
        self.end.setObjectName("logEnd")
        for field in (self.start, self.end):
            field.setCalendarPopup(True)
            field.dateChanged.connect(lambda _d: self.reload())
        self.client = QComboBox()
        self.client.setObjectName("logClient")
        self.client.setEditable(True)  # type to search among the names
        self.client.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.client.addItem("Alle cliënten", None)
        for cid, name in sorted(self.names.items(), key=lambda kv: (kv[1].casefold(), kv[0])):
            self.client.addItem(f"{name} ({cid})", cid)
        completer = self.client.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.client.currentIndexChanged.connect(lambda _i: self.reload())
        self.action = QComboBox()
        self.action.setObjectName("logAction")
        self.action.addItem("Alle handelingen", None)
        for code, words in sorted(ACTION_WORDS.items(), key=lambda kv: kv[1]):
            self.action.addItem(words, code)
        self.action.currentIndexChanged.connect(lambda _i: self.reload())

        filters = QHBoxLayout()
        for label, widget, stretch in (
            ("&Van", self.start, 0),
            ("&tot en met", self.end, 0),
            ("&Cliënt", self.client, 2),
            ("&Handeling", self.action, 1),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget, stretch)

        self.model = LogModel(self)
        self.table = QTableView()
        self.table.setObjectName("logTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in ((TIME, 150), (ACTION, 190), (CLIENT, 210), (WHAT, 170)):
            self.table.setColumnWidth(column, width)
        self.count = plain(QLabel())
        self.count.setObjectName("logCount")
        self.error = ErrorLabel()
        self.status = plain(QLabel())
        self.status.setObjectName("logStatus")
        self.status.setWordWrap(True)

        self.with_names = QCheckBox("met &namen")
        self.with_names.setToolTip(
            "Zonder vinkje staan cliënten als nummer in het bestand; met vinkje ook hun naam."
        )
        self.export_button = QPushButton("CSV &exporteren…")
        self.export_button.clicked.connect(guard(self.choose_export, "CSV exporteren"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Sluiten")
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count)
        bottom.addStretch(1)
        bottom.addWidget(self.with_names)
        bottom.addWidget(self.export_button)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                "Wie deed wat, en wanneer: ook het bekijken van een dossier, een brief, "
                "een rapport of een zoekopdracht (zonder de zoekwoorden). Het logboek kan "
                "niet worden gewijzigd of gewist."
            )
        )
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addLayout(bottom)
        self.reload()

    # --- the list -----------------------------------------------------------------------

    def log_filter(self) -> audit_log.LogFilter:
        return audit_log.LogFilter(
            to_date(self.start.date()),
            to_date(self.end.date()),
            self.client.currentData(),
            self.action.currentData(),
        )

    def reload(self) -> None:
        try:
            entries = audit_log.entries(self.caseload, self.log_filter())
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            self.model.set_entries([], self.names)
            self.count.setText("")
            return
        self.error.show_message("")
        self.model.set_entries(entries, self.names)
        self.count.setText("1 regel" if len(entries) == 1 else f"{len(entries)} regels")

    # --- export -------------------------------------------------------------------------

    def choose_export(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        f = self.log_filter()
        suggested = Path.home() / f"brugdesk-logboek-{f.start:%Y-%m-%d}-tm-{f.end:%Y-%m-%d}.csv"
        path, _ = QFileDialog.getSaveFileName(
            self, "Logboek exporteren", str(suggested), "CSV-bestanden (*.csv)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, dest: Path) -> None:
        caseload, f, with_names = self.caseload, self.log_filter(), self.with_names.isChecked()

        def work() -> int:
            return audit_log.export_csv(caseload, dest, f, with_names=with_names)

        def done(count: int) -> None:
            self.export_button.setEnabled(True)
            names = "met namen" if with_names else "zonder namen, cliënten als nummer"
            self.status.setText(f"{count} regels geëxporteerd naar {dest} ({names}).")
            self.reload()  # the export's own entry

        def failed(exc: BaseException) -> None:
            self.export_button.setEnabled(True)
            self.status.setText("")
            self.error.show_message(f"Het logboek is niet geëxporteerd. {user_message(exc)}")

        self.error.show_message("")
        self.status.setText("Bezig met exporteren…")
        self.export_button.setEnabled(False)
        if self.tasks is None:
            try:
                done(work())
            except BrugdeskError as exc:
                failed(exc)
        elif not self.tasks.run("audit-export", work, done, failed, owner=self):
            self.export_button.setEnabled(True)
            self.status.setText("Er loopt al een taak; probeer het zo opnieuw.")
