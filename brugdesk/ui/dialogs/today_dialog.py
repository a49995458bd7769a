"""'Vandaag': overdue feedback, actions due, clients without contact, measurements
(WHO-5, DJG-6) due again and closed files past the retention period — double-click
opens; "Verwijderen…" opens the retention dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from brugdesk.app.caseload import Caseload
from brugdesk.domain import instruments
from brugdesk.domain.retention_rules import months_words
from brugdesk.ui.kit.widgets import hint
from brugdesk.ui.models.caseload_model import format_date
from brugdesk.ui.tasks import Tasks


class TodayDialog(QDialog):
    open_client = Signal(int)

    def __init__(self, caseload: Caseload, parent=None, *, tasks: Tasks | None = None) -> None:
        super().__init__(parent)
        self.caseload, self.tasks = caseload, tasks
        self.setWindowTitle("Vandaag")
        self.resize(760, 520)
        today = caseload.today()  # four queries with the names joined in
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Cliënt", "Wat", "Datum"])
        self.tree.setRootIsDecorated(True)
        groups = [
            (
                "Terugkoppeling van een partner is te laat ({n})",
                [
                    (
                        r.client_id,
                        r.client_name,
                        f"Verwijzing naar {r.partner_name} ({r.status})",
                        format_date(r.feedback_due),
                    )
                    for r in today.overdue_feedback
                ],
            ),
            (
                "Acties die nu aan de beurt zijn ({n})",
                [
                    (a.client_id, a.client_name, a.description, format_date(a.due_on))
                    for a in today.actions_due
                ],
            ),
            (
                "Al {w} weken of langer geen contact ({n})",
                [
                    (
                        c.id,
                        c.full_name,
                        "laatste contact",
                        format_date(c.last_contact) or "nog nooit",
                    )
                    for c in today.without_contact
                ],
            ),
            (
                "Hermeting WHO-5 / DJG-6: eerste meting {r} weken of langer geleden ({n})",
                [
                    (
                        m.client_id,
                        m.client_name,
                        f"{instruments.get(m.instrument_id).title}: "
                        "nog geen hermeting (eerste meting op deze datum)",
                        format_date(m.first_on),
                    )
                    for m in today.remeasure
                ],
            ),
            (
                "Bewaartermijn verlopen: afgesloten meer dan {b} geleden ({n})",
                [
                    (
                        e.client_id,
                        e.full_name,
                        f"dossier afgesloten; {months_words(e.months_past)} over de bewaartermijn",
                        format_date(e.closed_on),
                    )
                    for e in today.expired
                ],
            ),
        ]
        for title, rows in groups:
            text = title.format(
                n=len(rows),
                w=today.weeks_without_contact,
                r=today.remeasure_weeks,
                b=months_words(today.retention_months),
            )
            top = QTreeWidgetItem([text])
            self.tree.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)  # only takes effect once the item is in the tree
            for client_id, name, what, when in rows:
                item = QTreeWidgetItem([name, what, when])
                item.setData(0, Qt.ItemDataRole.UserRole, client_id)
                top.addChild(item)
            top.setExpanded(True)
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(0, min(max(self.tree.columnWidth(0), 200), 260))
        self.tree.setColumnWidth(1, 360)
        self.tree.itemActivated.connect(self._activate)
        self.tree.itemDoubleClicked.connect(self._activate)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Sluiten")
        buttons.rejected.connect(self.reject)
        # Closed files past the retention period are erased only from their own dialog.
        self.retention_button = QPushButton("Verwijderen…")
        self.retention_button.setToolTip("Afgesloten dossiers over de bewaartermijn verwijderen")
        self.retention_button.setEnabled(bool(today.expired))
        self.retention_button.clicked.connect(self.open_retention)
        self.retention_dialog: QDialog | None = None
        row = QHBoxLayout()
        row.addWidget(self.retention_button)
        row.addStretch()
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(hint("Dubbelklik of Enter opent het dossier."))
        layout.addWidget(self.tree)
        layout.addLayout(row)
        self.count = today.count
        self.opened = False

    def open_retention(self) -> QDialog:
        """The files past the retention period, to tick and erase after a confirmation."""
        from brugdesk.ui.dialogs.retention_dialog import RetentionDialog

        dialog = RetentionDialog(self.caseload, self, tasks=self.tasks)
        dialog.erased.connect(lambda _n: self.reject())  # the lists are out of date now
        self.retention_dialog = dialog
        dialog.open()
        return dialog

    def _activate(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        # A double-click is also an activation: open once, close once.
        client_id = item.data(0, Qt.ItemDataRole.UserRole)
        if client_id and not self.opened:
            self.opened = True
            self.open_client.emit(client_id)
            self.accept()
