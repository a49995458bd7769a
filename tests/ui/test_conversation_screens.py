"""The conversation screens say what they do (issue 10, point 14)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from brugdesk.domain import instruments
from brugdesk.ui.dossier.wheel import DomainWheel, Series, outline
from brugdesk.ui.main_window import MainWindow
from brugdesk.ui.wizards.conversation import ConversationDialog
from brugdesk.ui.wizards.conversation_pages import AnswerButton
from tests.ui.conftest import unlock


def _start(qtbot, window: MainWindow) -> tuple[int, ConversationDialog]:
    unlock(qtbot, window)
    cid = window.caseload.clients.create(given_name="Scherm", family_name="Proef")
    window.workspace.reload()
    window.workspace.select_client(cid)
    dialog = window.workspace.start_conversation()
    assert dialog is not None
    return cid, dialog


def _djg6(dialog: ConversationDialog) -> None:
    combo = dialog.choose.instrument
    combo.setCurrentIndex(combo.findData("eenzaamheid-djg6"))


def test_the_go_on_button_names_where_it_leads(qtbot, window: MainWindow) -> None:
    _cid, dialog = _start(qtbot, window)
    assert dialog.next.text() == "&Verder"  # nothing chosen yet
    dialog.choose.parts.item(3).setCheckState(Qt.CheckState.Checked)
    dialog.choose.parts.item(0).setCheckState(Qt.CheckState.Checked)
    assert dialog.next.text() == "&Verder naar Geld en schulden"
    qtbot.mouseClick(dialog.next, Qt.MouseButton.LeftButton)
    assert dialog.step.title.text() == "Geld en schulden"
    assert dialog.next.text() == "&Verder naar Sociaal netwerk en eenzaamheid"
    qtbot.mouseClick(dialog.next, Qt.MouseButton.LeftButton)
    assert dialog.step.title.text() == "Sociaal netwerk en eenzaamheid"
    assert dialog.next.text() == "&Verder naar de samenvatting"
    qtbot.mouseClick(dialog.next, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentWidget() is dialog.summary
    for _ in range(3):
        qtbot.mouseClick(dialog.back, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentWidget() is dialog.choose
    assert dialog.next.text() == "&Verder naar Geld en schulden"

    _djg6(dialog)
    assert dialog.next.text() == "&Verder naar de eerste vraag"
    qtbot.mouseClick(dialog.next, Qt.MouseButton.LeftButton)
    assert dialog.next.text() == "&Verder naar de volgende vraag"


def test_hints_name_only_keys_the_page_has(qtbot, window: MainWindow) -> None:
    _cid, dialog = _start(qtbot, window)
    assert "Spatie vinkt aan" in dialog.choose.keys.text()
    dialog.choose.parts.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.go_next()
    assert dialog.step.signal_checks and "Spatie" in dialog.step.keys.text()
    assert "1–5" in dialog.step.keys.text()
    dialog.go_back()

    _djg6(dialog)
    assert "Spatie" not in dialog.choose.keys.text()
    assert not dialog.choose.parts.item(0).flags() & Qt.ItemFlag.ItemIsUserCheckable
    dialog.go_next()
    assert not dialog.step.signal_checks
    assert "Spatie" not in dialog.step.keys.text() and "1–3" in dialog.step.keys.text()


def test_djg6_summary_shows_no_empty_columns(qtbot, window: MainWindow) -> None:
    _cid, dialog = _start(qtbot, window)
    dialog.choose.parts.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.go_next()
    dialog.step.signal_checks[0].setChecked(True)
    dialog.step.pick(2)
    dialog.step.wish.setText("Overzicht")
    dialog.go_next()
    table = dialog.summary.table
    assert [table.isColumnHidden(c) for c in range(5)] == [False] * 5

    dialog.go_back()
    dialog.go_back()
    _djg6(dialog)
    dialog.go_next()
    for answer in (1, 2, 3, 1, 2, 3):
        dialog.step.pick(answer)
        dialog.go_next()
    assert dialog.pages.currentWidget() is dialog.summary
    shown = [table.horizontalHeaderItem(c).text() for c in range(5) if not table.isColumnHidden(c)]
    assert shown == ["Onderdeel", "Score"]
    for r in range(table.rowCount()):
        assert all(table.item(r, c).text() for c in (1, 2))


def test_focus_moving_over_answers_never_chooses_one(qtbot, window: MainWindow) -> None:
    cid, dialog = _start(qtbot, window)
    _djg6(dialog)
    dialog.go_next()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # shortcuts (the number keys) need it
    step = dialog.step
    chosen = [2, 1, 3, 2, 1, 3]
    for n, answer in enumerate(chosen):
        buttons = step.scale_group.buttons()
        assert all(isinstance(b, AnswerButton) and not b.autoDefault() for b in buttons)
        qtbot.waitUntil(buttons[0].hasFocus)  # focus lands on the new answers a turn later
        assert not buttons[0].isChecked()  # focus alone chose nothing
        qtbot.keyClick(buttons[0], getattr(Qt.Key, f"Key_{answer}"))
        assert step.scale_group.checkedId() == answer
        buttons[0].setFocus()
        for k in (Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Down):
            focused = dialog.focusWidget()
            qtbot.keyClick(focused, k)
            assert step.scale_group.checkedId() == answer  # focus moved, the answer did not
        focused = dialog.focusWidget()
        assert focused in buttons and focused is not buttons[0]
        qtbot.keyClick(focused, Qt.Key.Key_Return)  # Enter does not choose the focused one
        assert dialog.isVisible()  # nor does it close the dialog through a default button
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        assert step.scale_group.checkedId() == answer
        for b in buttons:  # only the chosen answer looks chosen
            assert b.isChecked() == (b is step.scale_group.button(answer))
            assert b.text().startswith("✓") == b.isChecked()
        if n < len(chosen) - 1:
            dialog.go_next()
    dialog.go_next()
    dialog.save()
    [stored] = window.caseload.assessments.fetch(cid)
    assert [i.score for i in stored.items] == [a - 1 for a in chosen]  # 0, 1, 2 positions


def test_wheel_outline_breaks_at_a_missing_score() -> None:
    ids = ["a", "b", "c", "d", "e", "f"]
    full = outline(ids, {d: 3 for d in ids})
    assert full.closed and [i for i, _ in full.runs[0]] == [0, 1, 2, 3, 4, 5]
    gap = outline(ids, {"a": 1, "b": 2, "c": 3, "e": 4, "f": 5})
    assert not gap.closed
    assert gap.runs == (((4, 4), (5, 5), (0, 1), (1, 2), (2, 3)),)  # around the top, not past d
    two = outline(ids, {"a": 1, "b": 2, "d": 4, "e": 5})
    assert [[i for i, _ in run] for run in two.runs] == [[0, 1], [3, 4]] and not two.closed
    lone = outline(ids, {"c": 2})
    assert lone.runs == (((2, 2),),) and not lone.closed
    assert outline(ids, {}).runs == ()


def test_wheel_with_a_missing_score_paints(qtbot) -> None:
    wheel = DomainWheel()
    qtbot.addWidget(wheel)
    inst = instruments.get("leefgebieden")
    scores = {d.id: 3 for d in inst.domains[:5]} | {d.id: 4 for d in inst.domains[6:]}
    wheel.set_data(inst, [Series("Gesprek", date(2024, 1, 1), scores)])
    wheel.resize(500, 420)
    image = wheel.grab().toImage()
    assert not image.isNull()


def test_a_chosen_answer_is_never_clipped(qtbot, window: MainWindow) -> None:
    from PySide6.QtGui import QFontMetrics

    _cid, dialog = _start(qtbot, window)
    dialog.choose.parts.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.go_next()
    qtbot.wait(10)
    for button in dialog.step.scale_group.buttons():
        dialog.step.pick(dialog.step.scale_group.id(button))
        qtbot.wait(1)
        assert button.isChecked() and button.font().bold() is False  # bold comes from the style
        bold = button.font()
        bold.setBold(True)
        needed = QFontMetrics(bold).horizontalAdvance(button.text().replace("&", ""))
        assert button.width() >= needed + 20, (button.text(), button.width(), needed)
