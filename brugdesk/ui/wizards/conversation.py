"""A conversation with an instrument: choose what to discuss, step through, summarise.

Keyboard only: Space ticks, 1–5 (or 1–3) picks the scale answer, PageDown or
Alt+V goes on, PageUp or Alt+T goes back, Alt+O skips, Ctrl+Enter saves on the
summary. Everything is kept as a draft while it is typed, so a lock or a
crash mid-conversation loses nothing. The dialog only collects input and
shows it: the conversation itself (app.conversation) holds the state, keeps
the draft and stores the result in one transaction.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.caseload import Caseload
from brugdesk.app.conversation import Conversation
from brugdesk.domain.draft_keys import conversation_draft_key
from brugdesk.errors import BrugdeskError
from brugdesk.ui.kit.confirm import confirm
from brugdesk.ui.kit.drafting import Drafting
from brugdesk.ui.kit.widgets import ErrorLabel, hint, user_message
from brugdesk.ui.wizards.conversation_pages import ChoosePage, StepPage, SummaryPage


class ConversationDialog(Drafting, QDialog):
    saved = Signal(int)  # the id of the stored assessment

    def __init__(self, caseload: Caseload, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.client_id = client_id
        self.draft_key = conversation_draft_key(client_id)
        self.draft_client = client_id
        self.reopen_kind = "conversation"
        self.setWindowTitle("Gesprek")
        self.resize(860, 640)
        self.conversation = Conversation.open(caseload, client_id)

        self.choose = ChoosePage(self)
        self.step = StepPage(self)
        self.summary = SummaryPage()
        self.pages = QStackedWidget()
        for page in (self.choose, self.step, self.summary):
            self.pages.addWidget(page)
        self.back = QPushButton("&Terug")
        self.skip = QPushButton("&Overslaan")
        self.next = QPushButton("&Volgende")
        self.next.setObjectName("Verder")  # its text names where it leads
        self.save_button = QPushButton("Op&slaan")
        self.cancel = QPushButton("Later verder")
        self.cancel.setToolTip("Sluiten; het gesprek blijft als concept bewaard.")
        self.back.clicked.connect(self.go_back)
        self.skip.clicked.connect(self.skip_part)
        self.next.clicked.connect(self.go_next)
        self.save_button.clicked.connect(self.save)
        self.cancel.clicked.connect(self.later)
        self.discard_button = QPushButton("Concept weggooien…")
        self.discard_button.setToolTip("Dit onafgemaakte gesprek weggooien en sluiten.")
        self.discard_button.clicked.connect(self.ask_discard)
        self._discarded = False
        self.error = ErrorLabel()
        self.status = hint("")
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.status, 1)
        for b in (self.back, self.skip, self.next, self.save_button):
            buttons.addWidget(b)
        for b in (
            self.cancel,
            self.discard_button,
            self.back,
            self.skip,
            self.next,
            self.save_button,
        ):
            # No default button: Enter in a field or on a focused answer must not
            # close the dialog ("Later verder") or go anywhere unasked.
            b.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        for key, slot in (
            (QKeySequence.StandardKey.MoveToNextPage, self.go_next),
            (QKeySequence.StandardKey.MoveToPreviousPage, self.go_back),
            (QKeySequence("Ctrl+Return"), self.save),
        ):
            QShortcut(key, self).activated.connect(slot)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(800)
        self._autosave.timeout.connect(self.save_draft)
        self._restoring = True
        conv = self.conversation
        self.choose.show_instrument(conv.instrument, conv.chosen)
        if conv.restored:
            self.status.setText("Concept teruggezet.")
        self._restoring = False
        self._show()
        self._clean = conv.to_draft()  # the conversation itself put back its draft

    # --- drafting (see ui.kit.drafting) ----------------------------------------------------

    def draft_values(self) -> dict[str, Any]:
        self._capture()
        return self.conversation.to_draft()

    def has_unsaved_edits(self) -> bool:
        if self.conversation.finished:
            return False
        return self.conversation.restored or super().has_unsaved_edits()

    def discard_draft(self) -> None:
        self._autosave.stop()
        super().discard_draft()

    # --- input --------------------------------------------------------------------------

    def changed(self) -> None:
        if self._restoring:
            return
        if self.conversation.on_choose:
            self._capture()
            self.next.setText(next_label(self.conversation))
        self._autosave.start()

    def _capture(self) -> None:
        """Hand what is on the screen to the conversation."""
        conv = self.conversation
        if conv.current_part is not None:
            conv.set_answer(self.step.answer())
        elif conv.on_choose:
            conv.choose_instrument(self.choose.instrument_id())
            conv.choose(self.choose.checked())

    def save_draft(self) -> None:
        """Kept in the vault; called while typing and before every lock."""
        self._autosave.stop()
        if self.conversation.finished or self._discarded:
            return
        self._capture()
        try:
            self.conversation.save_draft()
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return
        self.status.setText("Concept bewaard.")

    # --- navigation -------------------------------------------------------------------

    def _show(self) -> None:
        conv = self.conversation
        n = conv.step_count
        part = conv.current_part
        if conv.on_choose:
            self.pages.setCurrentWidget(self.choose)
            self.choose.parts.setFocus()
        elif part is not None:
            self.pages.setCurrentWidget(self.step)
            self.step.show_part(conv.instrument, part, conv.answer(), conv.index, n)
        else:
            self.pages.setCurrentWidget(self.summary)
            self.summary.show_summary(conv)
            self.summary.table.setFocus()
        self.back.setEnabled(not conv.on_choose)
        self.skip.setVisible(conv.can_skip)
        self.next.setVisible(not conv.on_summary)
        self.save_button.setVisible(conv.on_summary)
        self.next.setText(next_label(conv))
        self.error.show_message("")

    def go_next(self) -> None:
        conv = self.conversation
        if conv.index > conv.step_count:
            return  # on the summary: only saving goes on from here
        self._capture()
        try:
            conv.next()
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return
        self._show()
        self.save_draft()

    def go_back(self) -> None:
        if self.conversation.on_choose:
            return
        self._capture()
        self.conversation.back()
        self._show()
        self.save_draft()

    def skip_part(self) -> None:
        if not self.conversation.can_skip:
            return
        self.conversation.skip()
        self._show()
        self.save_draft()

    def ask_discard(self) -> None:
        """Throw the unfinished conversation away (after a question) and close."""

        def discard() -> None:
            self._autosave.stop()
            try:
                self.conversation.discard()
            except BrugdeskError as exc:
                self.error.show_message(user_message(exc))
                return
            self._discarded = True
            self.done(QDialog.DialogCode.Rejected)  # already asked: nothing left to keep

        confirm(
            self,
            "Concept weggooien",
            "Dit onafgemaakte gesprek weggooien? Alles wat erin is getypt gaat verloren.",
            "Weggooien",
            discard,
            no_text="Bewaren",
        )

    def later(self) -> None:
        self.save_draft()
        self.done(QDialog.DialogCode.Rejected)  # kept as a draft: nothing to ask

    def save(self) -> None:
        conv = self.conversation
        if not conv.on_summary:
            return
        try:
            assessment_id = conv.finish(self.summary.actions_for(), due_on=self.summary.due_on())
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return
        self.accept()
        self.saved.emit(assessment_id)


def next_label(conv: Conversation) -> str:
    """What the go-on button says: where it leads, never a bare "Volgende"."""
    inst = conv.instrument
    if conv.index >= conv.step_count:
        return "&Verder naar de samenvatting" if conv.step_count else "&Verder"
    if inst.kind != "domains":
        return (
            "&Verder naar de eerste vraag" if conv.on_choose else "&Verder naar de volgende vraag"
        )
    name = inst.part_name(conv.chosen[conv.index]).replace("&", "&&")
    return f"&Verder naar {name}"
