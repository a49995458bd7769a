"""The unlocked workspace: the caseload on the left, a dossier on the right.

It is built after every unlock and destroyed on lock, so no client data
stays in any widget while the vault is locked.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.caseload import Caseload
from brugdesk.domain.changes import ACTION, ASSESSMENT, CLIENT, CONTACT, REFERRAL, Changes
from brugdesk.domain.records import ClientRow
from brugdesk.errors import BrugdeskError
from brugdesk.ui.dialogs.client_dialog import ClientDialog, CloseDossierDialog
from brugdesk.ui.dossier.dossier_panel import DossierWidget
from brugdesk.ui.kit.colours import css, hint_colour
from brugdesk.ui.kit.drafting import Drafting, ReopenSpec
from brugdesk.ui.kit.widgets import heading, hint, plain, user_message
from brugdesk.ui.models.caseload_model import CLIENT_ID_ROLE, CaseloadModel, Col
from brugdesk.ui.wizards.conversation import ConversationDialog

#: A job that names more clients than this reloads the whole list instead.
FULL_RELOAD_ABOVE = 500
#: Column widths are measured on this many lines spread over the list, not on all.
WIDTH_SAMPLE = 60
#: The widest a column is made by fitting (the user can still drag it wider).
WIDTH_CAPS = {Col.NAME: 200, Col.REFERRER: 150, Col.NEXT_DUE: 220, Col.MATCH: 320}

STATUS_FILTERS = [
    ("Alle cliënten", None),
    ("Aangemeld", "aangemeld"),
    ("Actief", "actief"),
    ("Afgesloten", "afgesloten"),
]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Build tens of thousands of caseload lines without Python's cycle collector
    scanning the whole heap again and again meanwhile: the lines form no cycles
    (reference counting frees them), so those scans would find nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Workspace(QWidget):
    message = Signal(str)  # for the status bar

    def __init__(
        self,
        caseload: Caseload,
        parent: QWidget | None = None,
        tasks=None,
        rows: Sequence[ClientRow] | None = None,
    ) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.tasks = tasks
        self.dialogs: list[QDialog] = []
        self.dossier: DossierWidget | None = None

        self.model = CaseloadModel(self)
        self.table = QTableView()
        self.table.setObjectName("caseloadTable")
        self.table.setModel(self.model)  # it sorts and filters itself
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Col.NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnHidden(Col.MATCH, True)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header.moveSection(header.visualIndex(Col.MATCH), 1)  # why it matched, next to the name
        # Selection, not the current index: focusing the table must not open a dossier.
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.status_filter = QComboBox()
        for label, value in STATUS_FILTERS:
            self.status_filter.addItem(label, value)
        self.status_filter.setCurrentIndex(0)
        self.status_filter.currentIndexChanged.connect(self._status_changed)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(
            "Zoek op naam, hulpvraag, adres, notities, acties of gesprekken (Ctrl+F)"
        )
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Zoeken")
        self.search_capped: int | None = None  # the cap, when the last search reached it
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(lambda: self.run_search())
        self.empty = plain(QLabel())  # may quote the search text
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(f"{css(hint_colour)} font-size: 14pt; padding: 24px;")
        self.count = hint("")

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.status_filter, 1)
        left = QWidget()
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(filters)
        col.addWidget(self.table, 1)
        col.addWidget(self.empty, 1)
        col.addWidget(self.count)

        self.right = QStackedWidget()
        placeholder = QWidget()
        ph = QVBoxLayout(placeholder)
        ph.addStretch()
        title = heading("Geen cliënt gekozen", 14)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        ph.addWidget(title)
        explain = hint(
            "Kies links een cliënt om het dossier te openen, of maak met Ctrl+N een nieuwe cliënt."
        )
        explain.setAlignment(Qt.AlignmentFlag.AlignCenter)
        ph.addWidget(explain)
        ph.addStretch()
        self.right.addWidget(placeholder)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([600, 760])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)
        self.reload(rows)

    # --- the list ------------------------------------------------------------------------

    def reload(self, rows: Sequence[ClientRow] | None = None) -> None:
        """Show every client again (*rows* when the caller has just read them)."""
        current = self.current_client_id
        with collector_paused():
            self.model.set_rows(self.caseload.clients.fetch() if rows is None else rows)
        self._fit_columns()
        if self.search.text().strip():
            self.run_search(asked=False)
        if current is not None:
            self.select_client(current, open_dossier=False)
        self._update_empty_state()

    def _fit_columns(self) -> None:
        """Widths from the texts of a sample of lines, measured with the table's
        font (cheaper than asking the view to size every column from the model)."""
        metrics = self.table.fontMetrics()
        margin = 2 * (
            self.table.style().pixelMetric(
                QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.table
            )
            + 1
        )
        header = self.table.horizontalHeader()
        for column in Col:
            if self.table.isColumnHidden(column):
                continue
            texts = self.model.column_texts(column, WIDTH_SAMPLE)
            widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
            width = max(header.sectionSizeHint(column), widest + margin)
            self.table.setColumnWidth(column, min(width, WIDTH_CAPS.get(column, width)))

    def apply_changes(self, changes: Changes) -> None:
        """Show what one committed job changed: only those clients' lines and
        only the dossier tabs that show the changed kinds (never a model reset,
        unless a job changed clients without naming them)."""
        row_kinds = changes.touches(CLIENT, CONTACT, ACTION, REFERRAL)
        if self.dossier is not None and self.dossier.client_id in changes.deleted:
            self.dossier.forget_typing()  # no draft for a client who is gone
            self._drop_dossier()
            self.table.selectionModel().clear()  # do not open a neighbour unasked
        if changes.all_clients or len(changes.clients) > FULL_RELOAD_ABOVE:
            self.reload()
        elif row_kinds or changes.deleted:
            self.model.remove_ids(changes.deleted)
            wanted = changes.clients - changes.deleted
            rows = self.caseload.clients.rows(wanted) if row_kinds and wanted else []
            self.model.remove_ids(wanted - {r.id for r in rows})  # gone meanwhile
            self.model.upsert_rows(rows)
            if self.search.text().strip() and changes.touches(CLIENT, CONTACT, ACTION):
                self.run_search(asked=False)  # a new note or name may match (or stop)
            self._update_empty_state()
        elif self.search.text().strip() and changes.touches(ASSESSMENT):
            self.run_search(asked=False)  # a conversation's notes and wishes are searched too
        if self.dossier is not None:
            self.dossier.apply_changes(changes)

    def run_search(self, *, asked: bool = True) -> None:
        """Search for what is typed; *asked* (the worker searched, not a refresh)
        logs one read with the number of hits, never the words (NEN 7513)."""
        text = self.search.text().strip()
        self.search_capped = None
        if not text:
            self.model.set_matches(None)
            self.table.setColumnHidden(Col.MATCH, True)
        else:
            found = self.caseload.search.find(text)
            if asked:
                self.caseload.audit.read("search", view="search", hits=len(found.hits))
            self.search_capped = found.limit if found.capped else None
            self.model.set_matches({h.client_id: h for h in found.hits})
            if self.table.isColumnHidden(Col.MATCH):
                self.table.setColumnHidden(Col.MATCH, False)
                self.table.setColumnWidth(Col.MATCH, 300)
        self._update_empty_state()

    def _status_changed(self) -> None:
        self.model.set_status(self.status_filter.currentData())
        self._update_empty_state()

    def _update_empty_state(self) -> None:
        total = self.model.total
        shown = self.model.rowCount()
        if total == 0:
            text = (
                "Nog geen cliënten.\nMaak de eerste aan met Ctrl+N, of importeer een "
                "spreadsheet via Bestand → Cliënten importeren."
            )
        elif shown == 0 and self.search.text().strip():
            text = f"Niets gevonden voor ‘{self.search.text().strip()}’."
        elif shown == 0:
            text = "Geen cliënten met deze status."
        else:
            text = ""
        self.empty.setText(text)
        self.empty.setVisible(bool(text))
        self.table.setVisible(not text)
        self.count.setText(f"{shown} van {total} cliënten")
        if self.search_capped and self.search.text().strip():
            self.count.setText(f"Meer dan {self.search_capped} treffers — verfijn de zoekterm")

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # --- the dossier --------------------------------------------------------------------

    @property
    def current_client_id(self) -> int | None:
        return self.dossier.client_id if self.dossier else None

    @property
    def current_tab(self) -> int:
        return self.dossier.tabs.currentIndex() if self.dossier else 0

    def select_client(self, client_id: int, *, open_dossier: bool = True) -> bool:
        if not self.model.has(client_id):
            return False
        row = self.model.row_of(client_id)  # None while a filter hides the line
        if row is not None:
            index = self.model.index(row, 0)
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)
        if open_dossier and self.current_client_id != client_id:
            self.open_dossier(client_id)
        return True

    def _selection_changed(self, *_args) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            client_id = rows[0].data(CLIENT_ID_ROLE)
            if client_id != self.current_client_id:
                self.open_dossier(client_id)

    def open_dossier(self, client_id: int, tab: int = 0) -> None:
        self._drop_dossier()
        try:
            self.dossier = DossierWidget(self.caseload, client_id)
        except BrugdeskError as exc:
            self.message.emit(user_message(exc))
            return
        self.dossier.tabs.setCurrentIndex(tab)
        self.dossier.edit_requested.connect(self.edit_client)
        self.dossier.close_requested.connect(self.close_client)
        self.dossier.conversation_requested.connect(self.start_conversation)
        self.dossier.referral_requested.connect(self.start_referral)
        self.dossier.dialog_requested.connect(self._show)
        self.right.addWidget(self.dossier)
        self.right.setCurrentWidget(self.dossier)

    def _drop_dossier(self) -> None:
        if self.dossier is not None:
            self.dossier.save_drafts()
            self.right.removeWidget(self.dossier)
            self.dossier.hide()
            self.dossier.setParent(None)
            self.dossier.deleteLater()
            self.dossier = None

    # --- dialogs ------------------------------------------------------------------------

    def _show(self, dialog: QDialog) -> None:
        self.dialogs.append(dialog)
        dialog.finished.connect(lambda _r: self.dialogs.remove(dialog))
        dialog.open()

    def new_client(self) -> ClientDialog:
        dialog = ClientDialog(self.caseload, parent=self, tasks=self.tasks)
        dialog.saved.connect(self._client_saved)
        dialog.open_existing.connect(self._open_existing)
        self._show(dialog)
        return dialog

    def edit_client(self, client_id: int | None = None) -> ClientDialog | None:
        client_id = client_id or self.current_client_id
        if client_id is None:
            return None
        dialog = ClientDialog(
            self.caseload, self.caseload.clients.get(client_id), parent=self, tasks=self.tasks
        )
        dialog.saved.connect(self._client_saved)
        self._show(dialog)
        return dialog

    def close_client(self, client_id: int | None = None) -> CloseDossierDialog | None:
        client_id = client_id or self.current_client_id
        if client_id is None:
            return None
        dialog = CloseDossierDialog(self.caseload, self.caseload.clients.get(client_id), self)
        dialog.closed.connect(self._client_saved)
        self._show(dialog)
        return dialog

    def open_inzage(self, client_id: int | None = None):
        """Cliënt → Inzage en afschrift… for the open dossier."""
        from brugdesk.ui.dialogs.inzage_dialog import InzageDialog

        client_id = client_id or self.current_client_id
        if client_id is None:
            self.message.emit("Kies eerst een cliënt in de lijst; daarna kunt u de inzage maken.")
            return None
        dialog = InzageDialog(self.caseload, client_id, self)
        dialog.saved.connect(self.message.emit)
        self._show(dialog)
        return dialog

    def start_conversation(self, client_id: int | None = None) -> ConversationDialog | None:
        client_id = client_id or self.current_client_id
        if client_id is None:
            return None
        dialog = ConversationDialog(self.caseload, client_id, self)
        dialog.saved.connect(self._conversation_saved)
        self._show(dialog)
        return dialog

    def start_referral(self, client_id: int | None = None):
        from brugdesk.ui.wizards.referral_wizard import ReferralWizard

        client_id = client_id or self.current_client_id
        if client_id is None or self.tasks is None:
            return None
        wizard = ReferralWizard(self.caseload, client_id, self.tasks, self)
        wizard.exported.connect(self._referral_exported)
        self._show(wizard)
        return wizard

    def _referral_exported(self, result) -> None:
        if result is not None:
            self.message.emit(f"Verwijsbrief opgeslagen: {result.path}")

    def _conversation_saved(self, _assessment_id: int) -> None:
        self.message.emit("Gesprek opgeslagen.")

    def _open_existing(self, client_id: int) -> None:
        self._client_saved(client_id, message="Bestaande cliënt geopend.")

    def _client_saved(self, client_id: int, message: str = "Opgeslagen.") -> None:
        # The change record has already updated the list and the dossier.
        if self.current_client_id != client_id and not self.select_client(client_id):
            # Hidden by the filter or the search: clear them so the new client shows.
            self.search.clear()
            self.status_filter.setCurrentIndex(0)
            self.run_search(asked=False)
            self.select_client(client_id)
        self.message.emit(message)

    # --- locking ------------------------------------------------------------------------

    def save_drafts_and_close(self) -> list[ReopenSpec]:
        """Before a lock: keep every bit of typing as a draft, close every dialog (and
        every question or form opened from one) without asking; say which dialogs
        held typing, to open them again after the unlock."""
        reopen: list[ReopenSpec] = []
        for dialog in list(self.dialogs):
            # Innermost first: a partner form inside the sociale kaart, a question box.
            for inner in [*reversed(dialog.findChildren(QDialog)), dialog]:
                if not inner.isVisible() and inner is not dialog:
                    continue  # closed before (saved or cancelled): nothing of it to keep
                if isinstance(inner, Drafting):
                    spec = inner.close_for_lock()
                    if spec is not None:
                        reopen.append(spec)
                else:
                    save = getattr(inner, "save_draft", None)
                    if save is not None:
                        save()
                    inner.done(QDialog.DialogCode.Rejected)
            dialog.deleteLater()  # no typed text stays behind in a hidden dialog
        for inner in self.findChildren(QDialog):  # e.g. "Deze actie verwijderen?"
            if not inner.isVisible():
                continue
            if isinstance(inner, Drafting):  # a form opened from a tab (an action, a correction)
                spec = inner.close_for_lock()
                if spec is not None:
                    reopen.append(spec)
            else:
                inner.done(QDialog.DialogCode.Rejected)
        if self.dossier is not None:
            self.dossier.close_client_view()
            self.dossier.save_drafts()
        return reopen

    def wipe(self) -> None:
        """Forget every client shown here, now (not at the next event-loop turn)."""
        self._search_timer.stop()
        self._drop_dossier()
        self.model.set_matches(None)
        self.model.set_rows([])
        self.search.clear()
