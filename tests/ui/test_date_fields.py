"""Dates are what the worker typed: typing a whole date over a date field gives
exactly that date, in the real dialogs, and it is the date stored in the vault."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QWizard

from brugdesk.ui.kit.widgets import DateEdit
from brugdesk.ui.main_window import MainWindow
from tests.ui.conftest import unlock
from tests.ui.test_referrals import _client_with_partners


def _type_date(qtbot, field: DateEdit, text: str, how: str) -> None:
    """Type *text* into *field* the way a worker does: after select-all, or from the start."""
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    if how == "select-all":
        field.selectAll()
    else:
        qtbot.mouseClick(field, Qt.MouseButton.LeftButton)  # the click selects the whole date
        qtbot.wait(5)
        field.deselect()
        field.setCursorPosition(0)
    qtbot.keyClicks(field, text)


@pytest.mark.parametrize("how", ["select-all", "cursor-at-start"])
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15-10-2026", date(2026, 10, 15)),
        ("01-01-2030", date(2030, 1, 1)),
        ("1-1-2030", date(2030, 1, 1)),
        ("15102026", date(2026, 10, 15)),
    ],
)
def test_date_field_takes_the_typed_date(qtbot, typed: str, expected: date, how: str) -> None:
    field = DateEdit(QDate(2026, 11, 22))
    field.setCalendarPopup(True)
    field.setDisplayFormat("dd-MM-yyyy")
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    _type_date(qtbot, field, typed, how)
    assert field.date() == QDate(expected.year, expected.month, expected.day)
    assert field.text() == expected.strftime("%d-%m-%Y") and not field.problem()


def test_date_field_never_keeps_a_half_typed_date(qtbot) -> None:
    field = DateEdit(QDate(2026, 11, 22))
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    _type_date(qtbot, field, "31-02-2026", "select-all")  # no such day
    assert "geen bestaande datum" in field.problem()
    assert field.date() == QDate(2026, 11, 22)
    field.clearFocus()  # leaving the field shows the date it holds again
    qtbot.waitUntil(lambda: field.text() == "22-11-2026")
    assert not field.problem()
    # The calendar sets a date too.
    calendar = field.show_calendar()
    calendar.clicked.emit(QDate(2027, 3, 4))
    assert field.date() == QDate(2027, 3, 4) and field.text() == "04-03-2027"


def _note_editor(qtbot, window: MainWindow):
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Dora", family_name="Datum")
    ws = window.workspace
    ws.reload()
    ws.select_client(cid)
    ws.dossier.tabs.setCurrentIndex(1)
    return cid, ws.dossier.contacts.editor


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15-10-2026 09:30", datetime(2026, 10, 15, 9, 30)),
        ("01-01-2025 14:05", datetime(2025, 1, 1, 14, 5)),
    ],
)
def test_note_editor_stores_the_typed_moment(
    qtbot, window: MainWindow, typed: str, expected: datetime
) -> None:
    cid, editor = _note_editor(qtbot, window)
    _type_date(qtbot, editor.when, typed, "cursor-at-start")
    qtbot.keyClicks(editor.text, "Gesprek over de datum")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    [contact] = window.caseload.contacts.fetch(cid)
    assert contact.occurred_at == expected and contact.note == "Gesprek over de datum"


def test_note_editor_refuses_a_half_typed_date_on_ctrl_s(qtbot, window: MainWindow) -> None:
    cid, editor = _note_editor(qtbot, window)
    qtbot.keyClicks(editor.text, "Notitie")
    _type_date(qtbot, editor.when, "31-02-2026 10:00", "select-all")
    qtbot.keyClick(editor.when, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.caseload.contacts.fetch(cid) == []
    assert "geen bestaande datum" in editor.error.text()


def test_new_note_starts_now_and_drafts_keep_only_a_chosen_date(qtbot, window: MainWindow) -> None:
    cid, editor = _note_editor(qtbot, window)
    cl = window.caseload
    old = datetime(2026, 1, 5, 10, 0)
    # An old draft without text restores nothing: the note starts now.
    cl.contacts.save_draft(cid, occurred_at=old.isoformat(), note="  ", kind="telefonisch")
    editor.start_new()
    moment = editor.when.dateTime()
    assert moment.date() == QDate.currentDate() and editor.text.toPlainText() == ""
    assert editor.status.text() == ""
    # A draft with text whose date was never changed: the text, and now.
    cl.contacts.save_draft(cid, occurred_at=old.isoformat(), note="Half af", when_chosen=False)
    editor.start_new()
    assert editor.text.toPlainText() == "Half af"
    assert editor.when.dateTime().date() == QDate.currentDate()
    # The worker types a date, then the draft is saved (as before a lock) and reopened.
    _type_date(qtbot, editor.when, "05-01-2026 10:00", "select-all")
    editor.save_draft()
    assert cl.contacts.get_draft(cid)["when_chosen"] is True
    editor.dirty = False
    editor.start_new()
    assert editor.when.dateTime() == QDateTime(QDate(2026, 1, 5), QTime(10, 0))
    assert editor.text.toPlainText() == "Half af"


def test_referral_feedback_date_is_the_typed_one(qtbot, window: MainWindow, tmp_path: Path) -> None:
    cid = _client_with_partners(qtbot, window)
    ws = window.workspace
    ws.dossier.tabs.setCurrentWidget(ws.dossier.referrals)
    ws.dossier.referrals.new_referral.emit()
    wizard = ws.dialogs[-1]
    wizard.next()
    share = wizard.share
    share.reason.setPlainText("Reden")
    share.request.setPlainText("Verzoek")
    due = date.today() + timedelta(days=40)
    _type_date(qtbot, share.feedback, due.strftime("%d-%m-%Y"), "select-all")
    wizard.button(QWizard.WizardButton.NextButton).click()
    wizard.consent.record.setChecked(True)
    wizard.button(QWizard.WizardButton.NextButton).click()
    qtbot.waitUntil(wizard.preview.is_current, timeout=15000)
    wizard.button(QWizard.WizardButton.NextButton).click()
    wizard.save_page.path.setText(str(tmp_path / "brief.pdf"))
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=15000)
    (ref,) = window.caseload.referrals.fetch(cid)
    assert ref.feedback_due == due


def test_conversation_due_date_is_the_typed_one(qtbot, window: MainWindow) -> None:
    from tests.ui.test_conversation import _active, _open_client, _to_summary_with_a_priority

    cid = _open_client(qtbot, window)
    dialog = _to_summary_with_a_priority(qtbot, window)
    _active(qtbot, dialog)
    _type_date(qtbot, dialog.summary.due, "01-01-2030", "cursor-at-start")
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [action] = window.caseload.actions.fetch(cid)
    assert action.due_on == date(2030, 1, 1)
