"""Import a spreadsheet caseload: a preview of every problem before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app import transfers
from brugdesk.app.caseload import Caseload
from brugdesk.app.transfers import ImportPlan
from brugdesk.domain.draft_keys import import_draft_key
from brugdesk.ui.kit.colours import css, error_colour, ok_colour
from brugdesk.ui.kit.drafting import Drafting
from brugdesk.ui.kit.widgets import BusyBar, ErrorLabel, hint, plain, user_message
from brugdesk.ui.tasks import Tasks

PREVIEW_ROWS = 200


class ImportDialog(Drafting, QDialog):
    imported = Signal(int)

    def __init__(self, caseload: Caseload, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.tasks = tasks
        self.plan: ImportPlan | None = None
        #: Per line: the id of a client that already exists (same name and birth date).
        self.matches: list[int | None] = []
        self.source: Path | None = None  # the spreadsheet chosen
        self.setWindowTitle("Cliënten importeren uit een spreadsheet")
        self.resize(760, 520)
        self.path_label = plain(QLabel("Nog geen bestand gekozen."))
        choose = QPushButton("Bestand kiezen…")
        choose.clicked.connect(self.choose)
        self.summary = plain(QLabel())
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.busy = BusyBar()
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("Importeren")
        self.import_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText("Sluiten")
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.path_label, 1)
        top.addWidget(choose)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                "Sla de spreadsheet op als CSV UTF-8, gescheiden door ; of ,. Verplicht zijn de "
                "kolommen voornaam en achternaam (of given_name en family_name). Eerst wordt elke "
                "regel gecontroleerd; pas als alles klopt, kunt u importeren."
            )
        )
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.draft_key, self.reopen_kind = import_draft_key(), "import"
        self.start_drafting()

    def draft_values(self) -> dict[str, Any]:
        return {"path": str(self.source) if self.source else ""}

    def has_unsaved_edits(self) -> bool:
        # An import already under way is not kept: reopening it could import twice.
        return not self.tasks.running("import-write") and super().has_unsaved_edits()

    def restore_draft(self, values: dict[str, Any]) -> None:
        if values["path"]:
            self.load(Path(values["path"]))  # read and checked again: it may have changed

    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Spreadsheet kiezen", str(Path.home()), "CSV-bestanden (*.csv *.txt)"
        )
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> None:
        self.source = path
        self.path_label.setText(str(path))
        self.error.show_message("")
        self.import_button.setEnabled(False)
        caseload = self.caseload

        def read() -> tuple[ImportPlan, list[int | None]]:
            plan = transfers.read_clients(path)
            return plan, transfers.existing_matches(caseload, plan) if plan.ok else []

        if self.tasks.run("import-read", read, self._read, self._failed):
            self.busy.show()

    def _read(self, result: tuple[ImportPlan, list[int | None]]) -> None:
        self.busy.hide()
        plan, self.matches = result
        self.plan = plan
        if plan.problems:
            self.summary.setText(
                f"Er wordt niets geïmporteerd: {len(plan.problems)} fout(en). Verbeter ze in de spreadsheet en "
                "kies het bestand opnieuw."
            )
            self.summary.setStyleSheet(css(error_colour))
            self._fill(
                ["Regel", "Probleem"],
                [(str(p.line or "—"), p.message) for p in plan.problems],
            )
        else:
            repeated = transfers.repeated_lines(plan)
            states = [
                "bestaat al"
                if i < len(self.matches) and self.matches[i]
                else "dubbel in het bestand"
                if repeated[i]
                else "nieuw"
                for i in range(len(plan.clients))
            ]
            existing = states.count("bestaat al")
            doubled = states.count("dubbel in het bestand")
            new = states.count("nieuw")
            summary = f"{len(plan.clients)} cliënt(en) gecontroleerd; {new} worden geïmporteerd."
            if existing:
                summary += (
                    f" {existing} bestaan al (zelfde naam en geboortedatum) en worden overgeslagen."
                )
            if doubled:
                summary += (
                    f" {doubled} staan dubbel in het bestand (zelfde naam en geboortedatum als "
                    "een regel erboven) en worden overgeslagen."
                )
            self.summary.setText(summary)
            self.summary.setStyleSheet(css(ok_colour))
            rows = [
                (
                    f"{c['given_name']} {c['family_name']}",
                    c["date_of_birth"].strftime("%d-%m-%Y") if c.get("date_of_birth") else "",
                    states[i],
                )
                for i, c in enumerate(plan.clients)
            ]
            self._fill(["Naam", "Geboortedatum", "Status"], rows)
            self.import_button.setEnabled(plan.ok and new > 0)

    def _fill(self, headers: list[str], rows: Sequence[tuple[str, ...]]) -> None:
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(min(len(rows), PREVIEW_ROWS))
        for r, row in enumerate(rows[:PREVIEW_ROWS]):
            for c, value in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnToContents(0)

    def _failed(self, exc: BaseException) -> None:
        self.busy.hide()
        self.error.show_message(user_message(exc))

    def run_import(self) -> None:
        plan = self.plan
        if plan is None or not plan.ok:
            return
        caseload = self.caseload

        def done(count: int) -> None:
            self.busy.hide()
            self.accept()
            self.imported.emit(count)

        if self.tasks.run(
            "import-write", lambda: transfers.import_clients(caseload, plan), done, self._failed
        ):
            self.busy.show()
            self.import_button.setEnabled(False)
