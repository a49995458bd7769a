"""'Bewaartermijn verlopen': the closed files past the retention period, erased only after
the worker ticks them and confirms the number.

Nothing is ticked at first. "Verwijderen…" asks once more, naming how many files go;
only "Definitief verwijderen" there starts the erasure: one job
(``app.retention.erase_expired``) on the thread pool, with a busy bar, since the
scrub rewrites the whole database.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app import retention
from brugdesk.app.caseload import Caseload
from brugdesk.domain.retention_rules import ExpiredFile, months_words
from brugdesk.errors import BrugdeskError
from brugdesk.ui.kit.widgets import BusyBar, ErrorLabel, hint, plain_label, user_message
from brugdesk.ui.models.caseload_model import format_date
from brugdesk.ui.tasks import Tasks


def _files_word(n: int) -> str:
    return "1 dossier" if n == 1 else f"{n} dossiers"


class RetentionDialog(QDialog):
    erased = Signal(int)  # how many files were erased

    def __init__(
        self, caseload: Caseload, parent: QWidget | None = None, *, tasks: Tasks | None = None
    ) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.tasks = tasks
        self.setWindowTitle("Bewaartermijn verlopen")
        self.resize(720, 460)
        months = retention.retention_months(caseload)
        self.files: tuple[ExpiredFile, ...] = retention.expired(caseload)
        self.intro = plain_label(
            f"Deze afgesloten dossiers zijn langer dan {months_words(months)} geleden afgesloten "
            "(de bewaartermijn in Instellingen → Privacy). Vink aan welke weg mogen. "
            "Verwijderen wist alles over de cliënt en kan niet ongedaan worden gemaakt; "
            "alleen een eerdere back-up bevat de gegevens nog."
        )
        self.intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(["Cliënt", "Afgesloten op", "Maanden over de termijn"])
        for f in self.files:
            item = QTreeWidgetItem([f.full_name, format_date(f.closed_on), str(f.months_past)])
            item.setData(0, Qt.ItemDataRole.UserRole, f.client_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            self.tree.addTopLevelItem(item)
        self.tree.setColumnWidth(0, 280)
        self.tree.setColumnWidth(1, 140)
        self.tree.itemChanged.connect(lambda _item, _col: self._update())
        self.all_button = QPushButton("Alles aanvinken")
        self.all_button.clicked.connect(lambda: self._tick_all(Qt.CheckState.Checked))
        self.none_button = QPushButton("Niets aanvinken")
        self.none_button.clicked.connect(lambda: self._tick_all(Qt.CheckState.Unchecked))
        self.erase_button = QPushButton("Verwijderen…")
        self.erase_button.setObjectName("RetentionErase")
        self.erase_button.clicked.connect(self.ask)
        self.close_button = QPushButton("Sluiten")
        self.close_button.clicked.connect(self.reject)
        self.close_button.setDefault(True)
        self.busy = BusyBar()
        self.busy.hide()
        self.error = ErrorLabel()
        self.confirm: QMessageBox | None = None
        row = QHBoxLayout()
        row.addWidget(self.all_button)
        row.addWidget(self.none_button)
        row.addStretch()
        row.addWidget(self.erase_button)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        if not self.files:
            layout.addWidget(hint("Er zijn geen dossiers over de bewaartermijn."))
        layout.addWidget(self.tree)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addLayout(row)
        self._update()

    def _items(self) -> list[QTreeWidgetItem]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    def ticked(self) -> list[int]:
        return [
            int(item.data(0, Qt.ItemDataRole.UserRole))
            for item in self._items()
            if item.checkState(0) == Qt.CheckState.Checked
        ]

    def _tick_all(self, state: Qt.CheckState) -> None:
        for item in self._items():
            item.setCheckState(0, state)

    def _update(self) -> None:
        n = len(self.ticked())
        self.erase_button.setEnabled(n > 0 and not self.busy.isVisible())
        self.erase_button.setText(f"{_files_word(n)} verwijderen…" if n else "Verwijderen…")
        for button in (self.all_button, self.none_button):
            button.setEnabled(bool(self.files) and not self.busy.isVisible())

    def ask(self) -> None:
        """The confirmation, naming the number; nothing is erased without it."""
        ids = self.ticked()
        if not ids:
            self.error.show_message("Vink eerst de dossiers aan die weg mogen.")
            return
        self.error.show_message("")
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Dossiers verwijderen",
            f"{_files_word(len(ids))} definitief verwijderen? Alles over deze cliënten wordt "
            "gewist; dat kan niet ongedaan worden gemaakt. In het logboek blijft alleen "
            "staan dat een dossier is verwijderd omdat de bewaartermijn verlopen was.",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        yes = box.addButton("Definitief verwijderen", QMessageBox.ButtonRole.DestructiveRole)
        no = box.addButton("Niet verwijderen", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)
        self.confirm = box

        def answered(_result: int) -> None:
            self.confirm = None
            if box.clickedButton() is yes:
                self._erase(ids)

        box.finished.connect(answered)
        box.open()

    def _erase(self, ids: list[int]) -> None:
        caseload = self.caseload
        if self.tasks is None:
            try:
                count = retention.erase_expired(caseload, ids)
            except BrugdeskError as exc:
                self._failed(exc)
                return
            self._done(count)
            return
        if self.tasks.run(
            "retention-erase",
            lambda: retention.erase_expired(caseload, ids),
            self._done,
            self._failed,
        ):
            self.busy.show()
            self.tree.setEnabled(False)
            self._update()

    def _done(self, count: int) -> None:
        self.busy.hide()
        self.accept()
        self.erased.emit(count)

    def _failed(self, exc: BaseException) -> None:
        self.busy.hide()
        self.tree.setEnabled(True)
        self._update()
        self.error.show_message(user_message(exc))
