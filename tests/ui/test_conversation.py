"""The conversation guide in the app: keyboard only, locks, the wheel and the client view."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QLabel

from brugdesk.app.conversation import DEFAULT_DUE_DAYS
from brugdesk.domain import instruments
from brugdesk.domain.draft_keys import conversation_draft_key
from brugdesk.errors import DiskFull
from brugdesk.services import actions as action_store
from brugdesk.ui.dossier.client_view import ClientView
from brugdesk.ui.kit.widgets import plain_text
from brugdesk.ui.main_window import MainWindow
from brugdesk.ui.wizards.conversation import ConversationDialog
from tests.ui.conftest import unlock


def _open_client(
    qtbot, window: MainWindow, given: str = "Gesprek", family: str = "Voorbeeld"
) -> int:
    unlock(qtbot, window)
    cid = window.caseload.clients.create(given_name=given, family_name=family)
    window.workspace.reload()
    window.workspace.select_client(cid)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return cid


def _active(qtbot, dialog) -> None:
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def key(qtbot, widget, k, mod=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, k, mod)


def test_whole_conversation_by_keyboard_ends_in_plan_actions(qtbot, window: MainWindow) -> None:
    cid = _open_client(qtbot, window)
    key(qtbot, window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    dialog = window.workspace.dialogs[-1]
    assert isinstance(dialog, ConversationDialog)
    _active(qtbot, dialog)
    parts = dialog.choose.parts
    assert parts.hasFocus() and parts.currentRow() == 0
    assert all(parts.item(i).checkState() == Qt.CheckState.Unchecked for i in range(13))
    key(qtbot, parts, Qt.Key.Key_Space)  # Geld en schulden
    for _ in range(3):
        key(qtbot, parts, Qt.Key.Key_Down)
    key(qtbot, parts, Qt.Key.Key_Space)  # Sociaal netwerk en eenzaamheid
    key(qtbot, parts, Qt.Key.Key_PageDown)

    step = dialog.step
    assert step.title.text() == "Geld en schulden"
    qtbot.waitUntil(step.signal_checks[0].hasFocus)
    key(qtbot, step.signal_checks[0], Qt.Key.Key_Space)  # Huurachterstand
    key(qtbot, step.signal_checks[0], Qt.Key.Key_2)
    assert "niet zonder hulp" in step.level_text.text()
    key(qtbot, step.signal_checks[0], Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    assert step.wish.hasFocus()
    qtbot.keyClicks(step.wish, "Weer overzicht over de post")
    key(qtbot, step.wish, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(step.priority.isChecked)  # a mnemonic animates its click briefly
    key(qtbot, step.wish, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert step.note.hasFocus()
    key(qtbot, step, Qt.Key.Key_PageDown)

    assert step.title.text() == "Sociaal netwerk en eenzaamheid"
    qtbot.waitUntil(step.signal_checks[0].hasFocus)
    key(qtbot, step.signal_checks[0], Qt.Key.Key_4)
    key(qtbot, step, Qt.Key.Key_PageUp)  # back: the first answers are still there
    assert step.scale_group.checkedId() == 2 and step.wish.text() == "Weer overzicht over de post"
    key(qtbot, step, Qt.Key.Key_PageDown)
    assert step.scale_group.checkedId() == 4
    key(qtbot, step, Qt.Key.Key_PageDown)  # to the summary
    assert dialog.pages.currentWidget() is dialog.summary
    assert dialog.summary.actions_for() == ["financien"]  # priorities preselected
    key(qtbot, dialog.summary.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    cl = window.caseload
    [assessment] = cl.assessments.fetch(cid)
    items = {i.domain: i for i in assessment.items}
    assert set(items) == {"financien", "netwerk"}  # nothing else is stored
    assert items["financien"].score == 2 and items["financien"].signals == ("huurachterstand",)
    assert items["financien"].priority and items["netwerk"].score == 4
    assert [a.description for a in cl.actions.fetch(cid)] == [
        "Geld en schulden: Weer overzicht over de post"
    ]
    assert cl.drafts.get(conversation_draft_key(cid)) is None
    overview = window.workspace.dossier.overview
    assert "1 → " not in overview.history.text() and "2 leefgebied(en)" in overview.history.text()


def test_skipped_domains_are_not_stored(qtbot, window: MainWindow) -> None:
    cid = _open_client(qtbot, window)
    dialog = window.workspace.start_conversation()
    for row in (0, 2):
        dialog.choose.parts.item(row).setCheckState(Qt.CheckState.Checked)
    dialog.go_next()
    dialog.skip_part()
    dialog.step.pick(5)
    dialog.go_next()
    dialog.save()
    [assessment] = window.caseload.assessments.fetch(cid)
    assert [(i.domain, i.score) for i in assessment.items] == [("wonen", 5)]


def test_lock_mid_conversation_keeps_every_answer(qtbot, window: MainWindow) -> None:
    cid = _open_client(qtbot, window)
    dialog = window.workspace.start_conversation()
    for row in (0, 3):
        dialog.choose.parts.item(row).setCheckState(Qt.CheckState.Checked)
    dialog.go_next()
    dialog.step.signal_checks[1].setChecked(True)
    dialog.step.pick(3)
    dialog.step.wish.setText("Rekeningen op tijd betalen")
    dialog.step.note.setPlainText("Zegt dat de energie\u00a0rekening € 240 is 😟")
    dialog.go_next()
    dialog.step.pick(1)
    window.lock("idle")  # mid-conversation, on the second domain
    assert window.workspace is None
    unlock(qtbot, window)
    window.workspace.select_client(cid)
    again = window.workspace.start_conversation()
    assert "teruggezet" in again.status.text()
    assert again.pages.currentWidget() is again.step
    assert again.step.title.text() == "Sociaal netwerk en eenzaamheid"
    assert again.step.scale_group.checkedId() == 1
    again.go_back()
    assert again.step.scale_group.checkedId() == 3
    assert again.step.wish.text() == "Rekeningen op tijd betalen"
    assert plain_text(again.step.note) == "Zegt dat de energie\u00a0rekening € 240 is 😟"
    assert [c.isChecked() for c in again.step.signal_checks][:2] == [False, True]


def test_djg6_result_shows_total_subscales_and_band(qtbot, window: MainWindow) -> None:
    cid = _open_client(qtbot, window)
    dialog = window.workspace.start_conversation()
    combo = dialog.choose.instrument
    combo.setCurrentIndex(combo.findData("eenzaamheid-djg6"))
    assert dialog.choose.parts.count() == 6
    dialog.go_next()
    assert not dialog.skip.isVisible()  # a validated scale is answered whole
    for answer in (3, 3, 2, 1, 1, 2):  # ja, ja, min of meer | nee, nee, min of meer
        dialog.step.pick(answer)
        dialog.go_next()
    assert "Totaal 6 van 6: (zeer) ernstig eenzaam" in dialog.summary.scale_label.text()
    dialog.save()
    [assessment] = window.caseload.assessments.fetch(cid)
    assert window.caseload.assessments.scale_result(assessment.id).band == "(zeer) ernstig eenzaam"
    history = window.workspace.dossier.overview.history.text()
    assert "Emotionele eenzaamheid: 3" in history and "Sociale eenzaamheid: 3" in history


def test_wheel_and_client_view_show_only_the_wheel(qtbot, window: MainWindow) -> None:
    cid = _open_client(qtbot, window, "Privé", "Persoonsnaam")
    cl = window.caseload
    for held, scores in (("2026-01-05", (1, 2, 2)), ("2026-06-05", (3, 4, 2))):
        cl.assessments.add(
            cid,
            instrument_id="leefgebieden",
            instrument_version="1",
            held_on=held,
            items=[
                {"domain": d, "score": s}
                for d, s in zip(("financien", "netwerk", "wonen"), scores, strict=True)
            ],
        )
    cl.contacts.add(cid, occurred_at="2026-06-05T10:00", note="Vertrouwelijke notitie")
    ws = window.workspace
    ws.dossier.refresh()
    wheel = ws.dossier.overview.wheel
    assert [s.held_on.isoformat() for s in wheel.series] == ["2026-01-05", "2026-06-05"]
    assert "Geld en schulden 1" in wheel.describe() and "Geld en schulden 3" in wheel.describe()
    history = ws.dossier.overview.history.text()
    assert "↑ Geld en schulden: 1 → 3" in history and "= Wonen: 2 → 2" in history
    view = ws.dossier.show_client_view()
    assert isinstance(view, ClientView) and view.isFullScreen()
    texts = " ".join(label.text() for label in view.findChildren(QLabel))
    assert "Persoonsnaam" not in texts and "Vertrouwelijke" not in texts
    assert "Persoonsnaam" not in view.windowTitle()
    _active(qtbot, view)
    key(qtbot, view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not view.isVisible())


def test_client_view_closes_on_lock(qtbot, window: MainWindow) -> None:
    cid = _open_client(qtbot, window)
    window.caseload.assessments.add(
        cid,
        instrument_id="leefgebieden",
        instrument_version="1",
        items=[{"domain": "wonen", "score": 3}],
    )
    window.workspace.dossier.refresh()
    view = window.workspace.dossier.show_client_view()
    assert view is not None
    window.lock()
    QApplication.processEvents()
    assert not any(
        isinstance(w, ClientView) and w.isVisible() for w in QApplication.topLevelWidgets()
    )


def test_instrument_titles_are_shown() -> None:
    assert instruments.get("eenzaamheid-djg6").title.startswith("Eenzaamheid")


def _to_summary_with_a_priority(qtbot, window: MainWindow):
    dialog = window.workspace.start_conversation()
    dialog.choose.parts.item(0).setCheckState(Qt.CheckState.Checked)  # Geld en schulden
    dialog.go_next()
    dialog.step.pick(2)
    dialog.step.wish.setText("Schulden in beeld")
    dialog.step.priority.setChecked(True)
    dialog.go_next()
    assert dialog.pages.currentWidget() is dialog.summary
    return dialog


def test_plan_actions_get_a_due_date_that_can_be_changed(qtbot, window: MainWindow) -> None:
    cid = _open_client(qtbot, window)
    dialog = _to_summary_with_a_priority(qtbot, window)
    summary = dialog.summary
    assert summary.due_on() == date.today() + timedelta(days=DEFAULT_DUE_DAYS)
    _active(qtbot, dialog)
    key(qtbot, summary.table, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    assert summary.due.hasFocus()
    summary.due.setDate(QDate(2031, 5, 20))
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    cl = window.caseload
    [assessment] = cl.assessments.fetch(cid)
    assert saved.args == [assessment.id]
    [action] = cl.actions.fetch(cid)
    assert action.description == "Geld en schulden: Schulden in beeld"
    assert action.due_on == date(2031, 5, 20)


def test_a_failed_save_keeps_everything_and_saving_again_stores_once(
    qtbot, window: MainWindow, monkeypatch
) -> None:
    cid = _open_client(qtbot, window)
    dialog = _to_summary_with_a_priority(qtbot, window)
    cl = window.caseload

    def disk_full(*_args, **_kwargs):
        raise DiskFull()

    with monkeypatch.context() as m:
        m.setattr(action_store, "insert_action", disk_full)
        dialog.save()
    assert "schijf is vol" in dialog.error.text() and dialog.isVisible()
    assert cl.assessments.fetch(cid) == [] and cl.actions.fetch(cid) == []
    assert cl.drafts.get(conversation_draft_key(cid)) is not None
    _active(qtbot, dialog)
    key(qtbot, dialog.summary.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(cl.assessments.fetch(cid)) == 1 and len(cl.actions.fetch(cid)) == 1
    assert cl.drafts.get(conversation_draft_key(cid)) is None
    dialog.save_draft()  # a late autosave after saving brings no draft back
    assert cl.drafts.get(conversation_draft_key(cid)) is None
