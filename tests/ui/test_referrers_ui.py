"""Bestand → Verwijzers…, and the client form's tab "Verwijzing en thema's" (issue 12).

Real window, real vault: the list is driven through add, edit and delete; a client is
made through the form with a referrer added from it, themes ticked and GP figures
filled; a lock in the middle of either form gives the typing back.
"""

from __future__ import annotations

from datetime import date

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QPushButton, QWidget

from brugdesk.domain import draft_keys as keys
from brugdesk.ui.dialogs.client_dialog import ClientDialog
from brugdesk.ui.dialogs.referrers_dialog import ReferrerDialog, ReferrersDialog
from brugdesk.ui.main_window import MainWindow
from tests.ui.conftest import type_text, unlock
from tests.ui.test_layout_fits import LAPTOP, clipped_labels

CTRL = Qt.KeyboardModifier.ControlModifier


def _button(parent: QWidget, text: str) -> QPushButton:
    [button] = [
        b
        for b in parent.findChildren(QPushButton)
        if b.text().replace("&", "") == text and b.window() is parent
    ]
    return button


def _save(dialog: QWidget) -> None:
    [box] = [b for b in dialog.findChildren(QDialogButtonBox) if b.window() is dialog]
    box.button(QDialogButtonBox.StandardButton.Save).click()


def _open_list(window: MainWindow) -> ReferrersDialog:
    window.referrers_action.trigger()
    dialog = window.workspace.dialogs[-1]
    assert isinstance(dialog, ReferrersDialog)
    return dialog


def _form(parent: QWidget) -> ReferrerDialog:
    [form] = [f for f in parent.findChildren(ReferrerDialog) if f.isVisible()]
    return form


def _answer(qtbot, parent: QWidget, text: str) -> str:
    """Click *text* in the question box shown over *parent*; its message."""
    qtbot.waitUntil(lambda: any(b.isVisible() for b in parent.findChildren(QMessageBox)))
    [box] = [b for b in parent.findChildren(QMessageBox) if b.isVisible()]
    message = box.text()
    [button] = [b for b in box.buttons() if b.text() == text]
    button.click()
    return message


def test_referrer_list_add_edit_delete(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    assert "Verwijzers…" in [
        a.text().replace("&", "") for a in window.menuBar().actions()[0].menu().actions()
    ]
    listing = _open_list(window)
    assert listing.empty.isVisible()
    _button(listing, "Nieuwe verwijzer…").click()
    form = _form(listing)
    _save(form)  # nothing typed: the name is asked for next to the field, nothing stored
    assert form.isVisible() and form.errors["name"].text() and cl.referrers.fetch() == []
    type_text(qtbot, form.edits["name"], "Huisartsenpraktijk De Linde")
    form.channel.setCurrentIndex(form.channel.findData("zorgmail"))
    type_text(qtbot, form.edits["agb_code"], "1234")
    qtbot.waitUntil(lambda: form.errors["agb_code"].isVisible())
    assert "8 cijfers" in form.errors["agb_code"].text()
    _save(form)
    assert form.isVisible() and cl.referrers.fetch() == []
    form.edits["agb_code"].setText("0102 3456")
    qtbot.waitUntil(lambda: not form.errors["agb_code"].isVisible())
    _save(form)
    qtbot.waitUntil(lambda: not form.isVisible())
    [entry] = cl.referrers.fetch()
    assert (entry.name, entry.kind, entry.channel, entry.agb_code) == (
        "Huisartsenpraktijk De Linde",
        "huisarts",
        "zorgmail",
        "01023456",
    )
    for given in ("Ans", "Bert"):
        cl.clients.create(given_name=given, family_name="Smit", referrer_id=entry.id)
    listing.reload()
    assert [listing.table.item(0, c).text() for c in range(4)] == [
        "Huisartsenpraktijk De Linde",
        "Huisartsenpraktijk",
        "Zorgmail",
        "2",
    ]

    listing.table.clearSelection()
    _button(listing, "Bewerken…").click()  # nothing chosen
    assert "Kies eerst" in listing.message.text()
    listing.table.selectRow(0)
    _button(listing, "Bewerken…").click()
    form = _form(listing)
    assert form.edits["name"].text() == "Huisartsenpraktijk De Linde"
    form.kind.setCurrentIndex(form.kind.findData("poh"))
    cl.referrers.update(entry.id, phone="050-1234567")  # changed elsewhere meanwhile
    _save(form)
    assert "gewijzigd" in _answer(qtbot, form, "Nieuwste versie laden")
    assert form.isVisible() and form.kind.currentData() == "poh"  # the typing stayed
    _save(form)
    qtbot.waitUntil(lambda: not form.isVisible())
    entry = cl.referrers.get(entry.id)
    assert (entry.kind, entry.phone) == ("poh", "050-1234567")

    listing.table.selectRow(0)
    _button(listing, "Verwijderen…").click()
    message = _answer(qtbot, listing, "Behouden")
    assert "2 cliënten" in message and "geen verwijzer" in message
    assert cl.referrers.fetch() != []
    _button(listing, "Verwijderen…").click()
    _answer(qtbot, listing, "Verwijderen")
    assert cl.referrers.fetch() == []
    assert [cl.clients.get(r.id).referrer_id for r in cl.clients.fetch()] == [None, None]
    assert "2 cliënt(en)" in listing.message.text()
    assert listing.table.rowCount() == 0 and listing.empty.isVisible()
    _button(listing, "Sluiten").click()
    assert not listing.isVisible()


def test_referrer_form_cancel_asks_and_keeps_nothing(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    listing = _open_list(window)
    _button(listing, "Nieuwe verwijzer…").click()
    form = _form(listing)
    type_text(qtbot, form.edits["name"], "Wijkteam Noord")
    [box] = [b for b in form.findChildren(QDialogButtonBox) if b.window() is form]
    box.button(QDialogButtonBox.StandardButton.Cancel).click()
    _answer(qtbot, form, "Weggooien")
    assert not form.isVisible()
    assert window.caseload.referrers.fetch() == []
    assert window.caseload.drafts.get(keys.referrer_form_draft_key(None)) is None


def test_new_client_with_a_new_referrer_themes_and_gp_figures(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    window.new_action.trigger()
    dialog = window.workspace.dialogs[-1]
    assert isinstance(dialog, ClientDialog)
    type_text(qtbot, dialog.edits["given_name"], "Şükrü")
    type_text(qtbot, dialog.edits["family_name"], "Yılmaz")
    dialog.tabs.setCurrentIndex(1)
    dialog.new_referrer_button.click()
    form = _form(dialog)
    type_text(qtbot, form.edits["name"], "POH Zuid")
    form.kind.setCurrentIndex(form.kind.findData("poh"))
    _save(form)
    qtbot.waitUntil(lambda: not form.isVisible())
    [entry] = cl.referrers.fetch()
    assert dialog.referrer.currentData() == entry.id
    assert dialog.referrer.currentText() == "POH Zuid (Praktijkondersteuner (POH))"
    assert dialog.edits["given_name"].text() == "Şükrü"  # the client's typing stayed
    dialog.edits["referred_on"].setText("03-02-2025")
    dialog.theme_boxes["geldzorgen"].click()
    dialog.theme_boxes["eenzaamheid"].click()
    dialog.gp_edits["gp_before"].setText("11")
    dialog.gp_edits["gp_after"].setText("3")
    qtbot.waitUntil(lambda: dialog.errors["gp_after_months"].isVisible())  # over how long?
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    dialog.tabs.setCurrentIndex(0)  # the message says where the problem is
    assert "Verwijzing en thema's" in dialog.general_error.text()
    dialog.gp_edits["gp_after_months"].setText("6")
    dialog.gp_source.setCurrentIndex(dialog.gp_source.findData("praktijk"))
    qtbot.waitUntil(dialog.validate)
    assert not dialog.general_error.isVisible()
    _save(dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    [row] = cl.clients.fetch()
    client = cl.clients.get(row.id)
    assert client.referrer_id == entry.id and client.referred_on == date(2025, 2, 3)
    assert client.themes == ("eenzaamheid", "geldzorgen")
    assert (client.gp_before, client.gp_after, client.gp_after_months, client.gp_source) == (
        11,
        3,
        6,
        "praktijk",
    )
    overview = window.workspace.dossier.overview
    window.workspace.select_client(client.id)
    assert "verwezen op 03-02-2025" in overview.fields["referrer"].text()
    assert overview.fields["themes"].text() == "Eenzaamheid, Geldzorgen of schulden"
    assert overview.fields["gp"].text() == (
        "11 in de 12 maanden vóór de verwijzing; 3 in 6 maanden daarna (gemeld door de praktijk)"
    )

    window.edit_action.trigger()  # the form reads back what was stored
    again = window.workspace.dialogs[-1]
    assert (
        again.theme_boxes["geldzorgen"].isChecked() and again.gp_edits["gp_before"].text() == "11"
    )
    assert not again.has_unsaved_edits()
    again.theme_boxes["geldzorgen"].click()
    again.gp_edits["gp_before"].setText("")
    qtbot.waitUntil(again.validate)
    _save(again)
    qtbot.waitUntil(lambda: not again.isVisible())
    client = cl.clients.get(client.id)
    assert client.themes == ("eenzaamheid",) and client.gp_before is None


def test_lock_in_the_referrer_form_gives_the_typing_back(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    listing = _open_list(window)
    _button(listing, "Nieuwe verwijzer…").click()
    form = _form(listing)
    type_text(qtbot, form.edits["name"], "Praktijk Oost")
    form.channel.setCurrentIndex(form.channel.findData("siilo"))
    qtbot.keyClick(form.edits["name"], Qt.Key.Key_L, CTRL)
    assert window.caseload is None
    assert not [
        d for d in QApplication.topLevelWidgets() if isinstance(d, ReferrerDialog) and d.isVisible()
    ]
    unlock(qtbot, window)
    listing = window.workspace.dialogs[-1]
    assert isinstance(listing, ReferrersDialog)
    again = _form(listing)
    assert again is not form
    assert again.edits["name"].text() == "Praktijk Oost" and again.channel.currentData() == "siilo"
    _save(again)
    qtbot.waitUntil(lambda: not again.isVisible())
    assert [r.name for r in window.caseload.referrers.fetch()] == ["Praktijk Oost"]
    assert window.caseload.drafts.get(keys.referrer_form_draft_key(None)) is None


def test_lock_in_new_referrer_from_the_client_form_gives_both_back(
    qtbot, window: MainWindow
) -> None:
    unlock(qtbot, window)
    cid = window.caseload.clients.create(given_name="Jan", family_name="Jansen")
    window.workspace.reload()
    window.workspace.select_client(cid)
    dialog = window.workspace.edit_client(cid)
    dialog.tabs.setCurrentIndex(1)
    dialog.theme_boxes["wonen"].click()
    dialog.gp_edits["gp_before"].setText("7")
    dialog.gp_source.setCurrentIndex(dialog.gp_source.findData("client"))
    dialog.new_referrer_button.click()
    form = _form(dialog)
    type_text(qtbot, form.edits["name"], "Wijkteam West")
    form.kind.setCurrentIndex(form.kind.findData("wijkteam"))
    qtbot.keyClick(form.edits["name"], Qt.Key.Key_L, CTRL)
    assert window.caseload is None
    unlock(qtbot, window)
    [again] = [d for d in window.workspace.dialogs if isinstance(d, ClientDialog)]
    assert again is not dialog
    assert again.theme_boxes["wonen"].isChecked() and again.gp_edits["gp_before"].text() == "7"
    assert again.gp_source.currentData() == "client"
    qtbot.waitUntil(lambda: again.referrer_form is not None and again.referrer_form.isVisible())
    sub = again.referrer_form
    assert sub.edits["name"].text() == "Wijkteam West" and sub.kind.currentData() == "wijkteam"
    _save(sub)
    qtbot.waitUntil(lambda: not sub.isVisible())
    assert again.referrer.currentText() == "Wijkteam West (Wijkteam)"
    qtbot.waitUntil(again.validate)
    _save(again)
    qtbot.waitUntil(lambda: not again.isVisible())
    client = window.caseload.clients.get(cid)
    assert client.referrer_name == "Wijkteam West" and client.themes == ("wonen",)
    assert (client.gp_before, client.gp_source) == (7, "client")
    for key in (keys.client_referrer_draft_key(cid), keys.client_form_draft_key(cid)):
        assert window.caseload.drafts.get(key) is None
    assert not shiboken6.isValid(form) or not form.isVisible()


def test_markup_and_a_very_long_name_are_plain_and_do_not_stretch(
    qtbot, window: MainWindow
) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    long_word = "x" * 200  # the longest name the list takes
    cl.referrers.add(name="<b>vet</b> praktijk", kind="huisarts")
    rid = cl.referrers.add(name=long_word, kind="anders")
    cl.clients.create(given_name="Ans", family_name="Smit", referrer_id=rid)
    listing = _open_list(window)
    qtbot.waitExposed(listing)
    assert listing.table.item(0, 0).text() == "<b>vet</b> praktijk"  # sorted by name
    assert listing.width() <= LAPTOP.width() and listing.table.columnWidth(0) <= 340
    assert listing.table.item(1, 3).text() == "1"
    listing.table.selectRow(1)
    _button(listing, "Verwijderen…").click()
    qtbot.waitUntil(lambda: any(b.isVisible() for b in listing.findChildren(QMessageBox)))
    [box] = [b for b in listing.findChildren(QMessageBox) if b.isVisible()]
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.button(QMessageBox.StandardButton.No).click()
    listing.table.selectRow(0)
    form = listing.edit()
    assert form is not None
    qtbot.waitExposed(form)
    assert form.edits["name"].text() == "<b>vet</b> praktijk"
    form.edits["name"].setText("<i>" + "y" * 5000)  # typed (pasted) far too long
    form.validate()
    QApplication.processEvents()
    assert "te lang" in form.errors["name"].text()
    assert form.width() <= LAPTOP.width() and clipped_labels(form) == []
    _save(form)
    assert cl.referrers.get(listing.rows[0].id).name == "<b>vet</b> praktijk"  # nothing stored
    form.edits["name"].setText("<b>vet</b> praktijk")
    form.reject()
    listing.reject()
    dialog = window.workspace.new_client()
    qtbot.waitExposed(dialog)
    dialog.tabs.setCurrentIndex(1)
    dialog.referrer.setCurrentIndex(dialog.referrer.findData(rid))
    QApplication.processEvents()
    assert dialog.width() <= LAPTOP.width() and dialog.height() <= LAPTOP.height()
    assert clipped_labels(dialog) == []


def test_client_form_fits_a_laptop_on_both_tabs(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    dialog = window.workspace.new_client()
    qtbot.waitExposed(dialog)
    for tab in (0, 1):
        dialog.tabs.setCurrentIndex(tab)
        QApplication.processEvents()
        assert dialog.sizeHint().height() <= LAPTOP.height(), tab
        assert dialog.height() <= LAPTOP.height() and dialog.width() <= LAPTOP.width()
        assert clipped_labels(dialog) == [], tab
    dialog.gp_edits["gp_before"].setText("veel")  # messages next to fields wrap whole
    dialog.gp_edits["gp_after"].setText("2")
    dialog.validate()
    assert dialog.errors["gp_before"].isVisible() and dialog.errors["gp_after_months"].isVisible()
    assert clipped_labels(dialog) == []
