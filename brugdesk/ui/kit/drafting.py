"""What every dialog that holds typing shares: drafts, the lock, and "discard changes?".

A dialog mixes in :class:`Drafting` (before its Qt base class), names its
``draft_key`` (from ``domain.draft_keys``), says what its typing is
(``draft_values``) and how to put it back (``restore_draft``), and calls
:meth:`Drafting.start_drafting` at the end of its ``__init__``. Then:

- before a lock, :meth:`close_for_lock` keeps the typing as a draft, closes the
  dialog without asking and says what to reopen after the unlock
  (:class:`ReopenSpec`);
- opening the dialog again finds its draft by key and puts the typing back;
- a successful save (``accept``) discards the draft;
- Escape, the close button or Annuleren with unsaved edits ask first
  ("Wijzigingen weggooien?"); Weggooien closes and discards the draft.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from brugdesk.domain.records import DraftRecord
from brugdesk.errors import BrugdeskError

if TYPE_CHECKING:
    from brugdesk.app.caseload import Caseload

log = logging.getLogger(__name__)

DISCARD_TITLE = "Wijzigingen weggooien?"
DISCARD_TEXT = (
    "U hebt in dit venster iets ingevuld dat nog niet is opgeslagen. "
    "Kies Weggooien om het venster te sluiten zonder op te slaan, of Terug om verder te gaan."
)


@dataclass(frozen=True)
class ReopenSpec:
    """Which dialog to open again after an unlock: its kind and the ids it was opened for."""

    kind: str
    client_id: int | None = None
    record_id: int | None = None


class DiscardQuestion(QMessageBox):
    """ "Wijzigingen weggooien?" — Weggooien closes without saving, Terug goes back."""

    def __init__(self, parent: QDialog) -> None:
        super().__init__(
            QMessageBox.Icon.Question,
            DISCARD_TITLE,
            DISCARD_TEXT,
            QMessageBox.StandardButton.NoButton,
            parent,
        )
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.discard_button = self.addButton("Weggooien", QMessageBox.ButtonRole.DestructiveRole)
        self.back_button = self.addButton("Terug", QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.back_button)
        self.setEscapeButton(self.back_button)


class Drafting:
    """Mixin for a QDialog (or QWizard) that holds typing. See the module docstring."""

    caseload: Caseload
    #: Where the typing is kept (from domain.draft_keys).
    draft_key: str = ""
    #: The client the typing belongs to (its drafts go when the client is deleted).
    draft_client: int | None = None
    #: What to reopen after an unlock: ReopenSpec(reopen_kind, draft_client, reopen_record).
    reopen_kind: str = ""
    reopen_record: int | None = None
    #: The typing as the dialog was filled before any draft was put back.
    _clean: dict[str, Any] | None = None
    #: The "discard changes?" question while it is open.
    discard_question: DiscardQuestion | None = None
    #: The draft that was put back when the dialog opened, if any.
    restored_draft: DraftRecord | None = None

    # --- what each dialog provides --------------------------------------------------------

    def draft_values(self) -> dict[str, Any]:
        """The typing, as JSON-able values."""
        raise NotImplementedError

    def restore_draft(self, values: dict[str, Any]) -> None:
        """Put typing kept in a draft back into the fields."""
        raise NotImplementedError

    # --- the shared behaviour -----------------------------------------------------------

    def start_drafting(self) -> DraftRecord | None:
        """At the end of ``__init__``: remember the untouched form, then put back its draft."""
        self._clean = self.draft_values()
        self._dialog().accepted.connect(self.discard_draft)  # saved: the draft has done its job
        draft = self.caseload.drafts.get(self.draft_key)
        if draft is None:
            return None
        try:
            self.restore_draft(dict(draft.payload))
        except (KeyError, TypeError, ValueError, AttributeError):
            log.warning("draft %s could not be put back", self.draft_key.split(":")[0])
            return None
        self.restored_draft = draft
        return draft

    def has_unsaved_edits(self) -> bool:
        return self._clean is not None and self.draft_values() != self._clean

    def reopen_spec(self) -> ReopenSpec:
        return ReopenSpec(self.reopen_kind, self.draft_client, self.reopen_record)

    def _client_gone(self) -> bool:
        return self.draft_client is not None and not self.caseload.clients.rows([self.draft_client])

    def save_draft(self) -> None:
        """Keep the typing (or forget the draft when nothing differs from the vault)."""
        if not self.has_unsaved_edits() or self._client_gone():
            self.discard_draft()
            return
        self.caseload.drafts.save(self.draft_key, self.draft_values(), client_id=self.draft_client)

    def discard_draft(self) -> None:
        self.caseload.drafts.discard(self.draft_key)

    def close_for_lock(self) -> ReopenSpec | None:
        """Keep the typing as a draft and close without asking; what to reopen, if anything."""
        if self.discard_question is not None:
            self.discard_question.done(QDialog.DialogCode.Rejected)  # as if "Terug"
        spec = None
        try:
            if self.has_unsaved_edits() and not self._client_gone():
                self.save_draft()
                spec = self.reopen_spec()
        except BrugdeskError:
            log.exception("draft not kept before the lock")
        self._dialog().done(QDialog.DialogCode.Rejected)
        return spec

    def reject(self) -> None:
        """Escape, the close button and Annuleren: ask first when typing would be lost."""
        if self.discard_question is not None:
            return
        if not self.has_unsaved_edits():
            self._dialog().done(QDialog.DialogCode.Rejected)
            return
        box = DiscardQuestion(self._dialog())
        discard = box.discard_button
        self.discard_question = box

        def answered(_result: int) -> None:
            self.discard_question = None
            if box.clickedButton() is discard:
                self.discard_draft()
                self._dialog().done(QDialog.DialogCode.Rejected)

        box.finished.connect(answered)
        box.open()

    def _dialog(self) -> QDialog:
        assert isinstance(self, QDialog)
        return self
