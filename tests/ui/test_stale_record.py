"""A form whose record changed elsewhere (another dialog, a job) asks instead of overwriting."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from brugdesk.app.caseload import Caseload
from brugdesk.domain.draft_keys import client_form_draft_key
from brugdesk.ui.dialogs.client_dialog import ClientDialog
from brugdesk.ui.dossier.note_editor import NoteEditor


@pytest.fixture
def other_window(caseload: Caseload) -> Caseload:
    """Another dialog of the same window (one vault has one writer: a second window
    or CLI command is refused, so "elsewhere" is another dialog or job here)."""
    return caseload


def _save(dialog: ClientDialog) -> None:
    dialog.validate()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_client_dialog_reloads_the_newest_version_and_keeps_the_typing(
    qtbot, caseload: Caseload, other_window: Caseload
) -> None:
    cid = caseload.clients.create(given_name="Fatma", family_name="Öztürk", city="Zwolle")
    dialog = ClientDialog(caseload, caseload.clients.get(cid))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.edits["phone"].setText("06-12345678")  # the worker types here ...
    other_window.clients.update(cid, city="Deventer")  # ... while another window saves

    _save(dialog)
    box = dialog.stale_question
    assert box is not None and box.isVisible() and dialog.isVisible()
    assert "intussen gewijzigd" in box.text()
    stored = caseload.clients.get(cid)
    assert (stored.city, stored.phone) == ("Deventer", "")  # nothing overwritten
    # The typing is safe as a draft while the question is open.
    assert caseload.drafts.get(client_form_draft_key(cid)).payload["phone"] == "06-12345678"

    box.reload_button.click()
    assert dialog.edits["city"].text() == "Deventer"  # the other window's change
    assert dialog.edits["phone"].text() == "06-12345678"  # the worker's typing
    assert "nieuwste versie is geladen" in dialog.restored.text()

    _save(dialog)  # now against the newest version
    assert not dialog.isVisible()
    stored = caseload.clients.get(cid)
    assert (stored.city, stored.phone, stored.version) == ("Deventer", "06-12345678", 3)
    assert caseload.drafts.get(client_form_draft_key(cid)) is None


def test_client_dialog_cancel_keeps_the_vault_and_the_typing(
    qtbot, caseload: Caseload, other_window: Caseload
) -> None:
    cid = caseload.clients.create(given_name="Fatma", family_name="Öztürk", city="Zwolle")
    dialog = ClientDialog(caseload, caseload.clients.get(cid))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.edits["city"].setText("Kampen")
    other_window.clients.update(cid, city="Deventer")

    _save(dialog)
    dialog.stale_question.cancel_button.click()
    assert dialog.isVisible()
    assert dialog.edits["city"].text() == "Kampen"
    assert "intussen gewijzigd" in dialog.general_error.text()
    assert caseload.clients.get(cid).city == "Deventer"
    assert caseload.drafts.get(client_form_draft_key(cid)).payload["city"] == "Kampen"


def test_note_editor_asks_before_overwriting_a_note_changed_elsewhere(
    qtbot, caseload: Caseload, other_window: Caseload
) -> None:
    cid = caseload.clients.create(given_name="Jan", family_name="Jansen")
    nid = caseload.contacts.add(
        cid, occurred_at=datetime(2025, 3, 1, 10, 0), kind="huisbezoek", note="Oude tekst"
    )
    editor = NoteEditor(caseload, cid)
    qtbot.addWidget(editor)
    editor.show()
    editor.edit(caseload.contacts.get(nid))
    editor.text.setPlainText("Mijn nieuwe tekst")
    other_window.contacts.update(nid, kind="telefonisch", note="Tekst uit het andere venster")

    editor.save_button.click()
    box = editor.stale_question
    assert box is not None and box.isVisible()
    assert caseload.contacts.get(nid).note == "Tekst uit het andere venster"  # not overwritten
    assert caseload.contacts.get_draft(cid, nid)["note"] == "Mijn nieuwe tekst"

    box.reload_button.click()
    assert editor.text.toPlainText() == "Mijn nieuwe tekst"
    assert editor.kind.currentData() == "telefonisch"  # taken from the newest version
    assert "Notitie" in editor.error.text()  # both sides changed the note: said so

    editor.save_button.click()
    stored = caseload.contacts.get(nid)
    assert (stored.note, stored.kind, stored.version) == ("Mijn nieuwe tekst", "telefonisch", 3)
    assert caseload.contacts.get_draft(cid, nid) is None
    assert editor.contact_id is None  # back to a new note


def test_note_editor_cancel_keeps_the_typing_as_a_draft(
    qtbot, caseload: Caseload, other_window: Caseload
) -> None:
    cid = caseload.clients.create(given_name="Jan", family_name="Jansen")
    nid = caseload.contacts.add(cid, occurred_at=datetime(2025, 3, 1, 10, 0), note="Oude tekst")
    editor = NoteEditor(caseload, cid)
    qtbot.addWidget(editor)
    editor.show()
    editor.edit(caseload.contacts.get(nid))
    editor.text.setPlainText("Mijn nieuwe tekst")
    other_window.contacts.update(nid, note="Andere tekst")

    editor.save_button.click()
    editor.stale_question.cancel_button.click()
    assert editor.text.toPlainText() == "Mijn nieuwe tekst"
    assert "intussen gewijzigd" in editor.error.text()
    assert caseload.contacts.get(nid).note == "Andere tekst"
    assert caseload.contacts.get_draft(cid, nid)["note"] == "Mijn nieuwe tekst"
