"""What was said can be read back in the dossier (issue 10, point 7)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from brugdesk.ui.dossier.conversation_view import ConversationView
from brugdesk.ui.main_window import MainWindow
from tests.ui.conftest import unlock


def _client(qtbot, window: MainWindow) -> int:
    unlock(qtbot, window)
    cid = window.caseload.clients.create(given_name="Terug", family_name="Lezen")
    window.workspace.reload()
    window.workspace.select_client(cid)
    return cid


def _open_view(qtbot, window: MainWindow) -> ConversationView:
    overview = window.workspace.dossier.overview
    assert overview.read_button.isEnabled()
    qtbot.mouseClick(overview.read_button, Qt.MouseButton.LeftButton)
    view = window.workspace.dialogs[-1]
    assert isinstance(view, ConversationView) and view.isVisible()
    return view


def test_notes_wishes_and_signals_of_a_finished_conversation_read_back(
    qtbot, window: MainWindow
) -> None:
    cid = _client(qtbot, window)
    assert not window.workspace.dossier.overview.read_button.isEnabled()  # nothing to read yet
    dialog = window.workspace.start_conversation()
    for row in (0, 1):  # Geld en schulden; Werk, opleiding en dagbesteding
        dialog.choose.parts.item(row).setCheckState(Qt.CheckState.Checked)
    dialog.go_next()
    dialog.step.signal_checks[0].setChecked(True)  # Huurachterstand
    dialog.step.pick(2)
    dialog.step.wish.setText("Weer <b>overzicht</b> over de post")
    dialog.step.note.setPlainText("Zegt: 'de post\nligt ongeopend'")
    dialog.step.priority.setChecked(True)
    dialog.go_next()
    dialog.step.pick(4)
    dialog.step.note.setPlainText("Woont prima")
    dialog.go_next()
    dialog.save()
    assert window.caseload.assessments.fetch(cid)

    view = _open_view(qtbot, window)
    assert view.list.count() == 1
    shown = view.detail.toPlainText()
    assert view.detail.isReadOnly()
    assert "Geld en schulden ★ prioriteit" in shown
    assert "Score: 2 — " in shown and "Signalen: Huurachterstand" in shown
    assert "Wens: Weer <b>overzicht</b> over de post" in shown  # typed text, as typed
    assert "Notitie: Zegt: 'de post\nligt ongeopend'" in shown
    assert "dagbesteding" in shown and "Score: 4 — " in shown and "Notitie: Woont prima" in shown
    assert "Signalen: geen" in shown and "Wens: —" in shown
    window.lock("idle")  # the view shows client data: it closes at a lock
    assert not view.isVisible()


def test_djg6_answers_and_result_read_back_and_the_list_picks_a_conversation(
    qtbot, window: MainWindow
) -> None:
    _client(qtbot, window)
    dialog = window.workspace.start_conversation()
    combo = dialog.choose.instrument
    combo.setCurrentIndex(combo.findData("eenzaamheid-djg6"))
    dialog.go_next()
    for answer in (3, 3, 2, 1, 1, 2):
        dialog.step.pick(answer)
        dialog.go_next()
    dialog.save()
    again = window.workspace.start_conversation()
    again.choose.parts.item(5).setCheckState(Qt.CheckState.Checked)
    again.go_next()
    again.step.note.setPlainText("Tweede gesprek")
    again.go_next()
    again.save()

    view = _open_view(qtbot, window)
    assert view.list.count() == 2
    newest = view.detail.toPlainText()
    assert "Tweede gesprek" in newest and "eenzaam" not in newest.split("\n")[0].lower()
    view.list.setCurrentRow(1)
    djg6 = view.detail.toPlainText()
    assert djg6.count("Antwoord: ") == 6
    assert "Antwoord: Ja" in djg6 and "Antwoord: Nee" in djg6 and "Antwoord: Min of meer" in djg6
    assert "Uitslag: Totaal 6 van 6: (zeer) ernstig eenzaam" in djg6
    assert "Signalen" not in djg6 and "Wens" not in djg6
    close = view.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    assert close.text() == "Sluiten"
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not view.isVisible() and view not in window.workspace.dialogs
