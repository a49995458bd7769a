"""A WHO-5 conversation through the real wizard window, read back in the dossier."""

from __future__ import annotations

from PySide6.QtCore import Qt

from brugdesk.ui.dossier.conversation_view import ConversationView
from brugdesk.ui.main_window import MainWindow
from brugdesk.ui.wizards.conversation_pages import AnswerButton
from tests.ui.conftest import unlock


def _client(qtbot, window: MainWindow) -> int:
    unlock(qtbot, window)
    cid = window.caseload.clients.create(given_name="Wel", family_name="Bevinden")
    window.workspace.reload()
    window.workspace.select_client(cid)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return cid


def test_who5_through_the_wizard_with_the_number_keys(qtbot, window: MainWindow) -> None:
    cid = _client(qtbot, window)
    dialog = window.workspace.start_conversation()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    combo = dialog.choose.instrument
    combo.setCurrentIndex(combo.findData("welbevinden-who5"))
    assert dialog.choose.parts.count() == 5
    qtbot.mouseClick(dialog.next, Qt.MouseButton.LeftButton)
    step = dialog.step
    assert step.title.text() == "Ik voelde me vrolijk en goedgehumeurd."
    assert "afgelopen twee weken" in step.openers.text()
    assert "0–5 kiest een antwoord" in step.keys.text() and "aantal punten" in step.keys.text()
    buttons = [b for b in step.scale_group.buttons() if isinstance(b, AnswerButton)]
    assert [b.text() for b in buttons][:2] == ["&5 De hele tijd", "&4 Meestal"]
    assert buttons[-1].text() == "&0 Geen enkel moment"
    # Six answers take two rows of three, so the dialog stays narrow enough.
    grid = step.scale_row
    rows = [grid.getItemPosition(grid.indexOf(b))[0] for b in buttons]
    assert rows == [0, 0, 0, 1, 1, 1]
    for points in (Qt.Key.Key_4, Qt.Key.Key_3, Qt.Key.Key_0, Qt.Key.Key_2, Qt.Key.Key_5):
        qtbot.waitUntil(lambda: step.hasFocus() or step.isAncestorOf(dialog.focusWidget()))
        qtbot.keyClick(dialog.focusWidget(), points)
        qtbot.mouseClick(dialog.next, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentWidget() is dialog.summary
    summary = dialog.summary.scale_label.text()
    assert "Score 56 van 100 (ruwe score 14 van 25 × 4)" in summary
    assert "geen aanwijzing voor verlaagd welbevinden" in summary
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [stored] = window.caseload.assessments.fetch(cid)
    assert stored.instrument_id == "welbevinden-who5"
    assert [i.score for i in stored.items] == [1, 2, 5, 3, 0]  # positions: Meestal … De hele tijd
    assert window.caseload.assessments.scale_result(stored.id).total == 56

    overview = window.workspace.dossier.overview
    assert "Welbevinden (WHO-5): Score 56 van 100" in overview.history.text()
    qtbot.mouseClick(overview.read_button, Qt.MouseButton.LeftButton)
    view = window.workspace.dialogs[-1]
    assert isinstance(view, ConversationView) and view.isVisible()
    assert "Welbevinden (WHO-5)" in view.list.item(0).text()
    shown = view.detail.toPlainText()
    assert "Ik voelde me vrolijk en goedgehumeurd.\n  Antwoord: Meestal" in shown
    assert "Ik voelde me actief en energiek.\n  Antwoord: Geen enkel moment" in shown
    assert (
        "Mijn dagelijks leven was gevuld met dingen die mij interesseren.\n  Antwoord: De hele tijd"
        in shown
    )
    assert "Uitslag: Score 56 van 100 (ruwe score 14 van 25 × 4)" in shown


def test_a_low_who5_advises_the_gp_on_the_summary(qtbot, window: MainWindow) -> None:
    cid = _client(qtbot, window)
    dialog = window.workspace.start_conversation()
    combo = dialog.choose.instrument
    combo.setCurrentIndex(combo.findData("welbevinden-who5"))
    dialog.go_next()
    for points in (1, 1, 2, 1, 2):  # raw 7 → 28
        dialog.step.pick(points)
        dialog.go_next()
    assert "Score 28 van 100" in dialog.summary.scale_label.text()
    assert "huisarts" in dialog.summary.scale_label.text()
    dialog.save()
    [stored] = window.caseload.assessments.fetch(cid)
    assert window.caseload.assessments.scale_result(stored.id).band.startswith("laag welbevinden")
