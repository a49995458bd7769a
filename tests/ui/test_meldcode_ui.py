"""The meldcode log in the dossier: closed by default, opened on purpose, its own audit."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QPushButton

from brugdesk.domain.draft_keys import meldcode_draft_key
from brugdesk.ui.dossier.meldcode_dialog import MeldcodeDialog
from brugdesk.ui.main_window import MainWindow
from tests.ui.conftest import type_text, unlock

FACT = "Blauweplekkenbovenarm"
THOUGHT = "Vermoedelijkduwincident"
CTRL = Qt.KeyboardModifier.ControlModifier


def _open_dossier(qtbot, window: MainWindow) -> int:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Mila", family_name="Smit")
    window.workspace.reload()
    assert window.workspace.select_client(cid)
    return cid


def _dialog(window: MainWindow) -> MeldcodeDialog:
    [dialog] = [d for d in window.workspace.dialogs if isinstance(d, MeldcodeDialog)]
    return dialog


def _visible_labels(window: MainWindow) -> str:
    return "\n".join(w.text() for w in window.findChildren(QLabel) if w.isVisible())


def _reads(window: MainWindow, cid: int) -> int:
    return sum(
        1
        for a in window.caseload.audit.fetch(client_id=cid)
        if (a.action, a.entity) == ("read", "meldcode")
    )


def _answer(parent: QDialog, yes: bool) -> None:
    box = parent.confirm
    box.button(QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No).click()


def test_the_log_is_closed_until_clicked_then_add_edit_delete(qtbot, window: MainWindow) -> None:
    cid = _open_dossier(qtbot, window)
    overview = window.workspace.dossier.overview
    steps = overview.meldcode_steps
    assert steps.isVisible() and steps.text() == "Meldcode: nog geen stappen vastgelegd."
    assert "Alleen openen als je signalen van huiselijk geweld" in _visible_labels(window)
    assert not [d for d in window.workspace.dialogs if isinstance(d, MeldcodeDialog)]
    assert _reads(window, cid) == 0  # showing the dossier reads no meldcode

    qtbot.mouseClick(overview.meldcode_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(window)
    assert dialog.isVisible() and _reads(window, cid) == 1
    assert dialog.list.topLevelItemCount() == 0
    assert not dialog.edit_button.isEnabled() and not dialog.delete_button.isEnabled()

    # A new step: step 2 with facts and interpretations in their own fields.
    dialog.step.setCurrentIndex(dialog.step.findData(2))
    dialog.held_on.setText("03-02-2025")
    type_text(qtbot, dialog.consulted, "Aandachtsfunctionaris")
    type_text(qtbot, dialog.facts, f"{FACT} gezien.")
    type_text(qtbot, dialog.interpretations, f"{THOUGHT} denkbaar.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [entry] = window.caseload.meldcode.fetch(cid)
    assert (entry.step, entry.held_on, entry.consulted) == (
        2,
        date(2025, 2, 3),
        "Aandachtsfunctionaris",
    )
    assert entry.facts == f"{FACT} gezien." and entry.interpretations == f"{THOUGHT} denkbaar."
    assert dialog.facts.toPlainText() == "" and dialog.list.topLevelItemCount() == 1
    assert window.caseload.drafts.get(meldcode_draft_key(cid)) is None
    # The dossier shows the step done, never a word of it.
    qtbot.waitUntil(lambda: steps.text() == "Meldcode: stap 2 gedaan.")
    shown = _visible_labels(window)
    assert FACT not in shown and THOUGHT not in shown

    # A refused save says why and keeps the typing.
    dialog.held_on.setText("01-01-2999")
    type_text(qtbot, dialog.facts, "Iets")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "toekomst" in dialog.error.text() and dialog.facts.toPlainText() == "Iets"
    assert len(window.caseload.meldcode.fetch(cid)) == 1
    dialog.held_on.setText("04-02-2025")
    dialog.step.setCurrentIndex(dialog.step.findData(1))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: steps.text() == "Meldcode: stap 1 en 2 gedaan.")
    assert [e.step for e in window.caseload.meldcode.fetch(cid)] == [1, 2]

    # Edit: the step-2 entry into the form, change its interpretation.
    assert dialog.select_entry(entry.id)
    qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
    assert dialog.form_box.title() == "Stap bewerken"
    assert dialog.facts.toPlainText() == entry.facts
    dialog.interpretations.clear()
    type_text(qtbot, dialog.interpretations, "Nog onduidelijk.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    changed = next(e for e in window.caseload.meldcode.fetch(cid) if e.id == entry.id)
    assert changed.interpretations == "Nog onduidelijk." and changed.facts == entry.facts
    assert dialog.form_box.title() == "Nieuwe stap vastleggen"

    # "Nieuwe stap" leaves a correction without saving it, after a question.
    qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)  # nothing typed: no question
    assert dialog.editing is None and dialog.facts.toPlainText() == ""
    qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
    type_text(qtbot, dialog.facts, " extra")
    qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)  # typing first
    assert dialog.list_error.text().startswith("Sla eerst op")
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    _answer(dialog, yes=False)
    assert dialog.editing is not None and " extra" in dialog.facts.toPlainText()
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    _answer(dialog, yes=True)
    assert dialog.editing is None and dialog.facts.toPlainText() == ""
    assert window.caseload.drafts.get(meldcode_draft_key(cid)) is None
    assert next(e for e in window.caseload.meldcode.fetch(cid) if e.id == entry.id).facts == (
        entry.facts
    )

    # Delete asks first; Annuleren keeps, Verwijderen removes.
    assert dialog.select_entry(entry.id)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    _answer(dialog, yes=False)
    assert len(window.caseload.meldcode.fetch(cid)) == 2
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert "Stap 2" in dialog.confirm.text()
    _answer(dialog, yes=True)
    assert [e.step for e in window.caseload.meldcode.fetch(cid)] == [1]
    qtbot.waitUntil(lambda: steps.text() == "Meldcode: stap 1 gedaan.")

    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    trail = [a for a in window.caseload.audit.fetch(client_id=cid) if a.entity == "meldcode"]
    assert sorted(a.action for a in trail) == ["change", "create", "create", "delete", "read"]
    assert all(FACT not in repr(a.details) and THOUGHT not in repr(a.details) for a in trail)


def test_a_lock_in_the_middle_keeps_the_typing(qtbot, window: MainWindow) -> None:
    cid = _open_dossier(qtbot, window)
    window.workspace.dossier.overview.meldcode_button.click()
    dialog = _dialog(window)
    dialog.step.setCurrentIndex(dialog.step.findData(3))
    type_text(qtbot, dialog.facts, f"Moeder vertelde over {FACT}.")
    type_text(qtbot, dialog.interpretations, THOUGHT)
    qtbot.keyClick(dialog.interpretations, Qt.Key.Key_L, CTRL)
    assert window.caseload is None
    assert not [
        d for d in QApplication.topLevelWidgets() if isinstance(d, QDialog) and d.isVisible()
    ]
    unlock(qtbot, window)
    again = _dialog(window)
    assert again is not dialog and again.isVisible()
    assert again.facts.toPlainText() == f"Moeder vertelde over {FACT}."
    assert again.interpretations.toPlainText() == THOUGHT
    assert again.step.currentData() == 3
    assert window.caseload.drafts.get(meldcode_draft_key(cid)) is not None
    assert _reads(window, cid) == 2  # opened twice: before and after the lock
    again.save_button.click()
    assert [e.step for e in window.caseload.meldcode.fetch(cid)] == [3]
    assert window.caseload.drafts.get(meldcode_draft_key(cid)) is None


def test_a_lock_during_a_correction_keeps_it_as_a_correction(qtbot, window: MainWindow) -> None:
    cid = _open_dossier(qtbot, window)
    entry_id = window.caseload.meldcode.add(
        cid, step=1, held_on=date(2025, 1, 5), facts="Eerste signaal."
    )
    window.workspace.dossier.open_meldcode()
    dialog = _dialog(window)
    assert dialog.select_entry(entry_id)
    dialog.edit_button.click()
    type_text(qtbot, dialog.consulted, "Veilig Thuis")
    qtbot.keyClick(dialog.consulted, Qt.Key.Key_L, CTRL)
    unlock(qtbot, window)
    again = _dialog(window)
    assert again.editing is not None and again.editing.id == entry_id
    assert again.consulted.text() == "Veilig Thuis"
    again.save_button.click()
    [entry] = window.caseload.meldcode.fetch(cid)
    assert entry.consulted == "Veilig Thuis" and entry.facts == "Eerste signaal."


def test_closing_with_typing_asks_first(qtbot, window: MainWindow) -> None:
    cid = _open_dossier(qtbot, window)
    window.workspace.dossier.open_meldcode()
    dialog = _dialog(window)
    type_text(qtbot, dialog.facts, "Half getypt")
    dialog.close_button.click()
    question = dialog.discard_question
    assert question is not None
    question.discard_button.click()
    assert not dialog.isVisible()
    assert window.caseload.meldcode.fetch(cid) == []
    assert window.caseload.drafts.get(meldcode_draft_key(cid)) is None


def test_edit_and_delete_without_a_choice_say_what_to_do(qtbot, window: MainWindow) -> None:
    cid = _open_dossier(qtbot, window)
    window.caseload.meldcode.add(cid, step=4, held_on=date(2025, 1, 5), facts="Gewogen.")
    window.workspace.dossier.open_meldcode()
    dialog = _dialog(window)
    dialog.list.setCurrentItem(None)
    dialog.edit_button.click()
    assert dialog.list_error.text() == "Kies eerst een stap in de lijst."
    dialog.delete_button.click()
    assert dialog.list_error.text() == "Kies eerst een stap in de lijst."
    assert [b for b in dialog.findChildren(QPushButton) if b.text() == "&Bewerken"]


def test_the_dossier_and_the_client_view_show_no_word_of_the_meldcode(
    qtbot, window: MainWindow
) -> None:
    from PySide6.QtWidgets import QWidget

    from brugdesk.app.vault_jobs import fill_with_demo
    from brugdesk.ui.dossier.client_view import ClientView

    unlock(qtbot, window)
    cl = window.caseload
    fill_with_demo(cl, clients=4, notes_per_client=3)
    cid = next(r.id for r in cl.clients.fetch() if cl.assessments.fetch(r.id))
    for step in (1, 2, 4):
        cl.meldcode.add(
            cid,
            step=step,
            held_on=date.today(),
            consulted="Veilig Thuis",
            facts=f"{FACT} bij stap {step}",
            interpretations=THOUGHT,
        )
    window.workspace.reload()
    assert window.workspace.select_client(cid)
    dossier = window.workspace.dossier
    for index in range(dossier.tabs.count()):  # every tab built and shown once
        dossier.tabs.setCurrentIndex(index)
    dossier.tabs.setCurrentIndex(0)

    def texts(root: QWidget) -> str:
        parts = [root.windowTitle()]
        for w in root.findChildren(QWidget):
            parts.append(w.toolTip())
            text = getattr(w, "text", None)
            if callable(text) and isinstance(text(), str):
                parts.append(text())
            plain = getattr(w, "toPlainText", None)
            if callable(plain):
                parts.append(plain())
        return "\n".join(parts)

    shown = texts(dossier)
    assert "Meldcode: stap 1, 2 en 4 gedaan." in shown
    assert FACT not in shown and THOUGHT not in shown and "Veilig Thuis" not in shown
    qtbot.mouseClick(dossier.overview.view_button, Qt.MouseButton.LeftButton)
    view = dossier.client_view
    assert isinstance(view, ClientView) and view.isVisible()
    seen = texts(view)
    assert FACT not in seen and THOUGHT not in seen and "eldcode" not in seen
    view.done(0)
    assert not [a for a in cl.audit.fetch(client_id=cid) if a.action == "read"
                and a.entity == "meldcode"]  # fmt: skip
