"""A client's dossier: the header and its tabs (Overzicht, Contactmomenten, Plan, Verwijzingen)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.caseload import Caseload
from brugdesk.domain import pick_lists
from brugdesk.domain.changes import (
    ACTION,
    ASSESSMENT,
    CLIENT,
    CONSENT,
    CONTACT,
    MELDCODE,
    PARTNER,
    REFERRAL,
    Changes,
)
from brugdesk.domain.records import age_on
from brugdesk.ui.dossier.client_view import ClientView
from brugdesk.ui.dossier.contacts_tab import ContactsTab
from brugdesk.ui.dossier.overview_tab import OverviewTab
from brugdesk.ui.dossier.plan_tab import PlanTab
from brugdesk.ui.kit.widgets import heading, hint, plain_tooltip

#: The tabs after the overview, by position.
CONTACTS_TAB, PLAN_TAB, REFERRALS_TAB = 1, 2, 3

if TYPE_CHECKING:
    from brugdesk.ui.dossier.meldcode_dialog import MeldcodeDialog
    from brugdesk.ui.dossier.referrals_tab import ReferralsTab


class DossierWidget(QWidget):
    """Everything about one client. The workspace hands it every change record
    (:meth:`apply_changes`); it refreshes only the tabs that show what changed."""

    edit_requested = Signal(int)
    close_requested = Signal(int)
    conversation_requested = Signal(int)
    referral_requested = Signal(int)
    dialog_requested = Signal(object)

    def __init__(self, caseload: Caseload, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.client_id = client_id
        self.client_view: ClientView | None = None
        self.title = heading("", 18, elide=True)  # a long name is cut short, whole in the tooltip
        self.title.setObjectName("dossierTitle")
        self.subtitle = hint("")
        self.edit_button = QPushButton("Bewerken…")
        self.edit_button.clicked.connect(lambda: self.edit_requested.emit(self.client_id))
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self._close_or_reopen)
        self.overview = OverviewTab()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.overview, "&Overzicht")
        # The other tabs are built (and read) when first shown or first used, so
        # opening a dossier builds only what the worker sees first: the overview.
        self._builders: dict[int, Callable[[], QWidget]] = {
            CONTACTS_TAB: lambda: ContactsTab(caseload, client_id),
            PLAN_TAB: lambda: PlanTab(caseload, client_id),
            REFERRALS_TAB: self._build_referrals,
        }
        self._built: dict[int, QWidget] = {}
        for label in ("&Contactmomenten", "&Plan", "&Verwijzingen"):
            self.tabs.addTab(QWidget(), label)  # a placeholder until first shown
        self.tabs.currentChanged.connect(self._tab_shown)
        self.overview.start_conversation.connect(
            lambda: self.conversation_requested.emit(client_id)
        )
        self.overview.open_client_view.connect(self.show_client_view)
        self.overview.read_conversations.connect(self._read_conversations)
        self.overview.open_meldcode.connect(self.open_meldcode)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        header.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self.refresh()
        # One read per opening (NEN 7513): not per refresh, tab switch or repaint.
        caseload.audit.read("client", client_id, client_id, view="dossier")

    # --- the tabs after the overview, built when first needed ----------------------------

    @property
    def contacts(self) -> ContactsTab:
        return self._tab(CONTACTS_TAB)  # type: ignore[return-value]

    @property
    def plan(self) -> PlanTab:
        return self._tab(PLAN_TAB)  # type: ignore[return-value]

    @property
    def referrals(self) -> ReferralsTab:
        return self._tab(REFERRALS_TAB)  # type: ignore[return-value]

    def _build_referrals(self) -> QWidget:
        from brugdesk.ui.dossier.referrals_tab import ReferralsTab

        tab = ReferralsTab(self.caseload, self.client_id)
        tab.new_referral.connect(lambda: self.referral_requested.emit(self.client_id))
        tab.show_dialog.connect(self.dialog_requested.emit)
        return tab

    def _tab_shown(self, index: int) -> None:
        if index in self._builders:
            self._tab(index)

    def _tab(self, index: int) -> QWidget:
        """The tab at *index*, built and put in its placeholder's place if need be."""
        tab = self._built.get(index)
        if tab is None:
            tab = self._built[index] = self._builders[index]()
            placeholder = self.tabs.widget(index)
            label = self.tabs.tabText(index)
            current = self.tabs.currentIndex()
            with QSignalBlocker(self.tabs):
                self.tabs.removeTab(index)
                self.tabs.insertTab(index, tab, label)
                self.tabs.setCurrentIndex(current)
            if placeholder is not None:
                placeholder.deleteLater()
        return tab

    def _if_built(self, index: int) -> Any:
        return self._built.get(index)

    def _read_conversations(self) -> None:
        from brugdesk.ui.dossier.conversation_view import ConversationView

        self.dialog_requested.emit(ConversationView(self.caseload, self.client_id, parent=self))

    def open_meldcode(self) -> MeldcodeDialog:
        """The meldcode log, opened on purpose (a read in the audit)."""
        from brugdesk.ui.dossier.meldcode_dialog import MeldcodeDialog

        dialog = MeldcodeDialog(self.caseload, self.client_id, parent=self)
        self.dialog_requested.emit(dialog)
        return dialog

    def refresh(self) -> None:
        from datetime import date

        client = self.caseload.clients.get(self.client_id)
        self.client = client
        self.title.setText(client.full_name)
        age = age_on(client.date_of_birth, date.today())
        closed = client.status == "afgesloten"
        bits = [client.status]
        if closed and client.closure_code:  # the list's reason; the overview has the words
            bits[0] = (
                f"afgesloten: {pick_lists.label(pick_lists.closure_reasons(), client.closure_code)}"
            )
        if age is not None:
            bits.insert(0, f"{age} jaar")
        if client.referrer_name:
            bits.append(client.referrer_name)
        self.subtitle.setText(" · ".join(bits))
        self.subtitle.setToolTip(
            plain_tooltip(pick_lists.closure_text(client.closure_code, client.closure_reason))
            if closed
            else ""
        )
        self.close_button.setText("Heropenen" if closed else "Dossier afsluiten…")
        self.overview.show_client(self.caseload, client)

    def apply_changes(self, changes: Changes) -> None:
        """Refresh the tabs that show what *changes* touched (one client's kinds)."""
        mine = changes.touches_client(self.client_id)
        referrals = self._if_built(REFERRALS_TAB)  # a tab not built yet reads when it is
        if referrals and (
            changes.touches(PARTNER) or (mine and changes.touches(REFERRAL, CONSENT))
        ):
            referrals.reload()  # partner names show there too
        if not mine:
            return
        contacts, plan = self._if_built(CONTACTS_TAB), self._if_built(PLAN_TAB)
        if contacts and changes.touches(CONTACT):
            contacts.reload()
        if plan and changes.touches(ACTION):
            plan.reload()
        if changes.touches(CLIENT, CONTACT, ACTION, ASSESSMENT):
            self.refresh()  # title, and the overview shows all four
        elif changes.touches(MELDCODE):
            self.overview.show_meldcode(self.caseload, self.client_id)  # only the steps line

    def _close_or_reopen(self) -> None:
        if self.client.status == "afgesloten":
            self.caseload.clients.reopen(self.client_id)  # the change record refreshes
        else:
            self.close_requested.emit(self.client_id)

    def show_client_view(self) -> ClientView | None:
        if not self.overview.series:
            return None
        view = ClientView(self.overview.instrument, self.overview.series, self)
        view.finished.connect(view.deleteLater)
        self.client_view = view
        view.present()
        return view

    def close_client_view(self) -> None:
        view = self.client_view
        if view is not None and shiboken6.isValid(view):
            view.done(0)
        self.client_view = None

    def save_drafts(self) -> None:
        contacts = self._if_built(CONTACTS_TAB)
        if contacts is not None:
            contacts.editor.save_draft()
        plan = self._if_built(PLAN_TAB)
        if plan is not None:
            plan.save_draft()

    def forget_typing(self) -> None:
        """The client is gone: keep no draft of what was typed in the note editor or plan."""
        contacts = self._if_built(CONTACTS_TAB)
        if contacts is not None:
            contacts.editor.dirty = False
        plan = self._if_built(PLAN_TAB)
        if plan is not None:
            plan.keep_typing = False
