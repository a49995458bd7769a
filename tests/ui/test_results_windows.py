"""Issue 12 in the window: closing with a reason from the list, travel on a home visit,
and the partner scorecard in the sociale kaart. Real vault, real widgets."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox

from brugdesk.domain import pick_lists
from brugdesk.ui.dialogs.client_dialog import CloseDossierDialog
from brugdesk.ui.main_window import MainWindow
from tests.ui.conftest import type_text, unlock

CTRL = Qt.KeyboardModifier.ControlModifier
LONG = 30000
LEFT = Qt.MouseButton.LeftButton


def _client(qtbot, window: MainWindow, name: str = "Anna") -> int:
    unlock(qtbot, window)
    cid = window.caseload.clients.create(given_name=name, family_name="Voorbeeld")
    window.workspace.reload()
    window.workspace.select_client(cid)
    return cid


def _close_dialog(qtbot, window: MainWindow) -> CloseDossierDialog:
    """Open the dialog with the dossier's own button."""
    qtbot.mouseClick(window.workspace.dossier.close_button, LEFT)
    [dialog] = [d for d in window.workspace.dialogs if isinstance(d, CloseDossierDialog)]
    return dialog


def _choose(qtbot, dialog: CloseDossierDialog, code: str) -> None:
    """Click the radio button where its circle and label are (its left end)."""
    button = dialog.choices[code]
    qtbot.mouseClick(button, LEFT, pos=QPoint(8, button.height() // 2))


def _type_date(qtbot, dialog: CloseDossierDialog, text: str) -> None:
    dialog.closed_on.setFocus()
    qtbot.waitUntil(dialog.closed_on.hasFocus)
    dialog.closed_on.selectAll()
    qtbot.keyClicks(dialog.closed_on, text)


def _ok(dialog: CloseDossierDialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def test_close_with_a_reason_from_the_list(qtbot, window: MainWindow) -> None:
    cid = _client(qtbot, window)
    dialog = _close_dialog(qtbot, window)
    assert dialog.code() == ""  # nothing chosen for the worker
    assert not any(b.isChecked() for b in dialog.choices.values())
    assert [b.text() for b in dialog.choices.values()] == [
        c.label for c in pick_lists.closure_reasons()
    ]
    assert dialog.reason_label.text() == "&Toelichting *"  # words needed while no reason
    _choose(qtbot, dialog, "verhuisd-overleden")
    assert dialog.reason_label.text() == "&Toelichting"  # now optional
    assert dialog.closed_on.date().toPython() == date.today()
    earlier = date.today() - timedelta(days=21)  # closed three weeks ago, entered now
    _type_date(qtbot, dialog, earlier.strftime("%d-%m-%Y"))
    _ok(dialog)
    client = window.caseload.clients.get(cid)
    assert (client.status, client.closure_code, client.closure_reason) == (
        "afgesloten",
        "verhuisd-overleden",
        "",
    )
    assert client.closed_on == earlier
    dossier = window.workspace.dossier
    qtbot.waitUntil(lambda: "Verhuisd of overleden" in dossier.subtitle.text())
    assert dossier.subtitle.text() == "afgesloten: Verhuisd of overleden"
    assert "Verhuisd of overleden" in dossier.overview.fields["closure"].text()


def test_close_with_anders_needs_words_next_to_the_field(qtbot, window: MainWindow) -> None:
    cid = _client(qtbot, window)
    dialog = _close_dialog(qtbot, window)
    _choose(qtbot, dialog, "anders")
    assert dialog.reason_label.text() == "&Toelichting *"
    _ok(dialog)
    assert dialog.isVisible()  # refused
    assert dialog.reason_error.isVisible()
    assert "Toelichting" in dialog.reason_error.text()
    assert not dialog.error.isVisible()  # the message stands next to the field
    assert window.caseload.clients.get(cid).status != "afgesloten"
    type_text(qtbot, dialog.reason, "Naar een zorgboerderij")
    assert not dialog.reason_error.isVisible()  # typing takes the message away
    _ok(dialog)
    assert not dialog.isVisible()
    client = window.caseload.clients.get(cid)
    assert (client.closure_code, client.closure_reason) == ("anders", "Naar een zorgboerderij")
    dossier = window.workspace.dossier
    qtbot.waitUntil(lambda: dossier.subtitle.text() == "afgesloten: Anders")
    assert dossier.subtitle.toolTip() == "Anders: Naar een zorgboerderij"


def test_close_without_a_reason_asks_for_one(qtbot, window: MainWindow) -> None:
    cid = _client(qtbot, window)
    dialog = _close_dialog(qtbot, window)
    _ok(dialog)
    assert dialog.isVisible() and dialog.reason_error.isVisible()
    type_text(qtbot, dialog.reason, "Overgedragen aan het wijkteam")  # words only, as before
    _ok(dialog)
    client = window.caseload.clients.get(cid)
    assert (client.closure_code, client.closure_reason) == ("", "Overgedragen aan het wijkteam")
    dossier = window.workspace.dossier
    qtbot.waitUntil(lambda: dossier.close_button.text() == "Heropenen")
    assert dossier.subtitle.text() == "afgesloten"
    assert dossier.subtitle.toolTip() == "Overgedragen aan het wijkteam"


def test_a_closing_date_in_the_future_is_refused_next_to_the_field(
    qtbot, window: MainWindow
) -> None:
    cid = _client(qtbot, window)
    dialog = _close_dialog(qtbot, window)
    _choose(qtbot, dialog, "doelen-bereikt")
    _type_date(qtbot, dialog, (date.today() + timedelta(days=3)).strftime("%d-%m-%Y"))
    _ok(dialog)
    assert dialog.isVisible() and "toekomst" in dialog.closed_on_error.text()
    assert not dialog.error.isVisible() and not dialog.reason_error.isVisible()
    assert window.caseload.clients.get(cid).status != "afgesloten"
    _type_date(qtbot, dialog, "31-02-2026")  # no such day: never stored as another
    _ok(dialog)
    assert "geen bestaande datum" in dialog.closed_on_error.text()
    _type_date(qtbot, dialog, date.today().strftime("%d-%m-%Y"))
    _ok(dialog)
    assert window.caseload.clients.get(cid).closed_on == date.today()


def test_the_chosen_reason_survives_a_lock(qtbot, window: MainWindow) -> None:
    cid = _client(qtbot, window)
    dialog = _close_dialog(qtbot, window)
    _choose(qtbot, dialog, "doorverwezen")
    type_text(qtbot, dialog.reason, "Gestart bij het taalhuis")
    yesterday = date.today() - timedelta(days=1)
    _type_date(qtbot, dialog, yesterday.strftime("%d-%m-%Y"))
    qtbot.keyClick(dialog.reason, Qt.Key.Key_L, CTRL)
    qtbot.waitUntil(lambda: window.locking is None, timeout=LONG)
    assert window.workspace is None  # locked
    unlock(qtbot, window)
    [again] = [d for d in window.workspace.dialogs if isinstance(d, CloseDossierDialog)]
    assert again is not dialog
    assert again.closed_on.date().toPython() == yesterday
    assert again.code() == "doorverwezen"
    assert again.choices["doorverwezen"].isChecked()
    assert again.reason.toPlainText() == "Gestart bij het taalhuis"
    _ok(again)
    client = window.caseload.clients.get(cid)
    assert (client.closure_code, client.closure_reason, client.closed_on) == (
        "doorverwezen",
        "Gestart bij het taalhuis",
        yesterday,
    )
    assert window.caseload.drafts.fetch() == []  # the draft did its job


def test_only_a_chosen_reason_is_a_change_worth_keeping(qtbot, window: MainWindow) -> None:
    _client(qtbot, window)
    dialog = _close_dialog(qtbot, window)
    assert not dialog.has_unsaved_edits()
    _choose(qtbot, dialog, "niet-bereikt")
    assert dialog.has_unsaved_edits()  # Annuleren would ask before losing the choice


def _editor(qtbot, window: MainWindow):
    cid = _client(qtbot, window, "Henk")
    window.workspace.dossier.tabs.setCurrentIndex(1)
    return cid, window.workspace.dossier.contacts.editor


def test_a_home_visit_with_travel_is_saved_and_read_back(qtbot, window: MainWindow) -> None:
    cid, editor = _editor(qtbot, window)
    assert editor.kind.currentData() == "huisbezoek"
    assert editor.travel_box.isVisible()
    qtbot.keyClicks(editor.text, "Thuis de post doorgenomen")
    qtbot.keyClicks(editor.travel_minutes, "25")
    qtbot.keyClicks(editor.travel_km, "12,5")
    qtbot.mouseClick(editor.save_button, LEFT)
    [contact] = window.caseload.contacts.fetch(cid)
    assert (contact.kind, contact.travel_minutes, contact.travel_km) == ("huisbezoek", 25, 12.5)
    assert editor.travel_minutes.text() == "" and editor.travel_km.text() == ""  # a new note
    tab = window.workspace.dossier.contacts
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    tip = tab.model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert "reis 25 min, 12,5 km" in tip
    # Opened again, the note shows its travel as typed; a change is saved.
    editor.edit(contact)
    assert (editor.travel_minutes.text(), editor.travel_km.text()) == ("25", "12,5")
    editor.travel_km.selectAll()
    qtbot.keyClicks(editor.travel_km, "8")
    qtbot.mouseClick(editor.save_button, LEFT)
    assert window.caseload.contacts.get(contact.id).travel_km == 8.0


def test_travel_is_checked_next_to_the_fields(qtbot, window: MainWindow) -> None:
    cid, editor = _editor(qtbot, window)
    qtbot.keyClicks(editor.text, "Huisbezoek")
    qtbot.keyClicks(editor.travel_km, "twaalf")
    assert editor.travel_error.isVisible()
    assert "Kilometers" in editor.travel_error.text()
    qtbot.mouseClick(editor.save_button, LEFT)
    assert window.caseload.contacts.fetch(cid) == []  # refused
    assert editor.travel_km.hasFocus()
    editor.travel_km.clear()
    assert not editor.travel_error.isVisible()
    qtbot.keyClicks(editor.travel_minutes, "1,5")
    assert "Reistijd" in editor.travel_error.text()
    editor.travel_minutes.clear()
    qtbot.mouseClick(editor.save_button, LEFT)
    [contact] = window.caseload.contacts.fetch(cid)
    assert (contact.travel_minutes, contact.travel_km) == (None, None)


def test_travel_follows_the_kind_and_keeps_what_was_typed(qtbot, window: MainWindow) -> None:
    _cid, editor = _editor(qtbot, window)
    phone = editor.kind.findData("telefonisch")
    editor.kind.setCurrentIndex(phone)
    assert not editor.travel_box.isVisible()  # a phone call has no travel
    editor.kind.setCurrentIndex(editor.kind.findData("huisbezoek"))
    assert editor.travel_box.isVisible()
    qtbot.keyClicks(editor.travel_minutes, "15")
    editor.kind.setCurrentIndex(phone)
    # Filled in, the fields stay in view: nothing is saved that the worker cannot see.
    assert editor.travel_box.isVisible() and editor.travel_minutes.text() == "15"
    editor.kind.setCurrentIndex(editor.kind.findData("huisbezoek"))
    assert editor.travel_minutes.text() == "15"


def test_travel_survives_a_lock(qtbot, window: MainWindow) -> None:
    cid, editor = _editor(qtbot, window)
    qtbot.keyClicks(editor.text, "Bij de buurvrouw")
    qtbot.keyClicks(editor.travel_minutes, "30")
    qtbot.keyClicks(editor.travel_km, "7,5")
    qtbot.keyClick(editor.text, Qt.Key.Key_L, CTRL)
    qtbot.waitUntil(lambda: window.locking is None, timeout=LONG)
    assert window.workspace is None
    unlock(qtbot, window)
    window.workspace.select_client(cid)
    window.workspace.dossier.tabs.setCurrentIndex(1)
    again = window.workspace.dossier.contacts.editor
    assert again is not editor
    assert (again.travel_minutes.text(), again.travel_km.text()) == ("30", "7,5")
    qtbot.mouseClick(again.save_button, LEFT)
    [contact] = window.caseload.contacts.fetch(cid)
    assert (contact.note, contact.travel_minutes, contact.travel_km) == (
        "Bij de buurvrouw",
        30,
        7.5,
    )


def test_sociale_kaart_shows_the_scorecard(qtbot, window: MainWindow) -> None:
    from tests.test_scorecard import hand_made_referrals

    unlock(qtbot, window)
    busy, quiet, _cid = hand_made_referrals(window.caseload)
    kaart = window.open_partners()
    assert [p.organisation for p in kaart.rows if p.id in (busy, quiet)] == [
        "Schuldhulp Noord",
        "Taalhuis",
    ]
    names = [kaart.table.item(r, 0).text() for r in range(kaart.table.rowCount())]
    assert names == ["Buurtsport", "Schuldhulp Noord", "Taalhuis"]
    assert kaart.table.horizontalHeaderItem(5).text() == "Verwezen"
    assert [kaart.table.item(r, 5).text() for r in range(3)] == ["—", "5", "—"]
    assert kaart.table.item(1, 5).toolTip() == (
        "Verwezen: 5 · geaccepteerd 50% · reactie na 5,5 dagen (mediaan) · afgerond 50%"
    )
    assert "Kies een partner" in kaart.score.text()
    rect = kaart.table.visualItemRect(kaart.table.item(1, 0))
    qtbot.mouseClick(kaart.table.viewport(), LEFT, pos=rect.center())
    assert kaart.score.text() == (
        "Schuldhulp Noord — Verwezen: 5 · geaccepteerd 50% · "
        "reactie na 5,5 dagen (mediaan) · afgerond 50%"
    )
    assert kaart.score.textFormat() == Qt.TextFormat.PlainText
    kaart.table.selectRow(2)
    assert kaart.score.text() == "Taalhuis — Nog geen verwijzingen."
    kaart.table.selectRow(0)
    assert kaart.score.text() == "Buurtsport — Nog geen verwijzingen."
    kaart.reject()
