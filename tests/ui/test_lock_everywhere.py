"""Lock from anywhere, lose nothing (issue 10, point 2).

Ctrl+L and Ctrl+Q work inside every dialog; every dialog that holds typing keeps
it as a draft over the lock and is open again, with the text, after unlocking;
a save leaves no draft; closing with unsaved edits asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
    QWizard,
)

from brugdesk.domain import draft_keys as keys
from brugdesk.ui.dialogs.partners_dialog import PartnerDialog, PartnersDialog
from brugdesk.ui.dossier.dossier_panel import PLAN_TAB, REFERRALS_TAB
from brugdesk.ui.main_window import MainWindow
from brugdesk.ui.wizards.referral_wizard import ReferralWizard
from tests.ui.conftest import type_text, unlock

NAME = "Wójcik"
CTRL = Qt.KeyboardModifier.ControlModifier


@dataclass
class World:
    client_id: int
    partner_id: int
    referral_id: int
    tmp: Path
    action_id: int = 0


def _world(qtbot, window: MainWindow, tmp_path: Path) -> World:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Łukasz", family_name=NAME, date_of_birth="1980-02-03")
    pid = cl.partners.add(organisation="Schuldhulpverlening", domains=["financien"])
    cl.consents.record(
        cid, recipient="Schuldhulpverlening", purpose="verwijzing", how="mondeling", partner_id=pid
    )
    rid = cl.referrals.create(cid, pid, reason="Schulden", request="Budgetbeheer")
    cl.referrals.mark_sent(rid)
    window.workspace.reload()
    window.workspace.select_client(cid)
    return World(cid, pid, rid, tmp_path)


def _button(parent: QWidget, text: str) -> QPushButton:
    [button] = [b for b in parent.findChildren(QPushButton) if b.text().replace("&", "") == text]
    return button


def _visible_text(window: MainWindow) -> str:
    """Every string a person could read in the window or any window still shown."""
    parts: list[str] = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        parts.append(top.windowTitle())
        for w in top.findChildren(QWidget):
            if not w.isVisible():
                continue
            if isinstance(w, QLabel | QLineEdit):
                parts.append(w.text())
            elif isinstance(w, QPlainTextEdit):
                parts.append(w.toPlainText())
    return "\n".join(parts)


def _assert_locked(window: MainWindow) -> None:
    assert window.caseload is None and window.workspace is None
    assert window.stack.currentWidget() is window.unlock_page
    assert NAME not in _visible_text(window)
    assert not [
        d for d in QApplication.topLevelWidgets() if isinstance(d, QDialog) and d.isVisible()
    ]


def _save(
    dialog: QDialog, ok: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Save
) -> None:
    [box] = [b for b in dialog.findChildren(QDialogButtonBox) if b.window() is dialog]
    box.button(ok).click()


# --- one case per dialog that holds typing ------------------------------------------


@dataclass
class Case:
    name: str
    open: Callable[[MainWindow, World, Any], Any]  # returns the dialog (or tab)
    field: Callable[[Any], QWidget]  # where to type (and press Ctrl+L)
    text: Callable[[Any], str]  # what is typed there now
    key: Callable[[World], str]  # the draft key
    find: Callable[[MainWindow], Any]  # the dialog (or tab) after unlocking
    save: Callable[[Any, MainWindow, World, Any], None]


def _last(window: MainWindow) -> QDialog:
    return window.workspace.dialogs[-1]


def _line(w: QLineEdit) -> str:
    return w.text()


def _plain(w: QPlainTextEdit) -> str:
    return w.toPlainText()


def _open_new_client(window, world, qtbot):
    window.new_action.trigger()
    return _last(window)


def _save_new_client(dialog, window, world, qtbot):
    dialog.edits["family_name"].setText("Jansen")
    qtbot.waitUntil(dialog.validate)
    _save(dialog)


def _open_edit_client(window, world, qtbot):
    window.edit_action.trigger()
    return _last(window)


def _save_edit_client(dialog, window, world, qtbot):
    _save(dialog)
    assert window.caseload.clients.get(world.client_id).city.endswith("Zwolle")


def _open_close(window, world, qtbot):
    window.close_action.trigger()
    return _last(window)


def _save_close(dialog, window, world, qtbot):
    _save(dialog, QDialogButtonBox.StandardButton.Ok)
    assert window.caseload.clients.get(world.client_id).status == "afgesloten"


def _open_conversation(window, world, qtbot):
    window.talk_action.trigger()
    dialog = _last(window)
    dialog.choose.parts.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.next.click()
    return dialog


def _save_conversation(dialog, window, world, qtbot):
    assert dialog.pages.currentWidget() is dialog.step
    dialog.step.pick(3)
    dialog.next.click()
    dialog.save_button.click()
    assert len(window.caseload.assessments.fetch(world.client_id)) == 1


def _referrals_tab(window):
    window.workspace.dossier.tabs.setCurrentIndex(REFERRALS_TAB)
    return window.workspace.dossier.referrals


def _open_referral(window, world, qtbot):
    _button(_referrals_tab(window), "Nieuwe verwijzing…").click()
    wizard = _last(window)
    assert isinstance(wizard, ReferralWizard)
    wizard.button(QWizard.WizardButton.NextButton).click()
    type_text(qtbot, wizard.share.request, "Hulp bij budgetbeheer")
    return wizard


def _find_referral(window):
    wizard = _last(window)
    assert wizard.currentPage() is wizard.share  # back on the page it was on
    return wizard


def _save_referral(wizard, window, world, qtbot):
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    next_button.click()  # consent: already recorded for this partner
    next_button.click()
    qtbot.waitUntil(wizard.preview.is_current, timeout=15000)
    next_button.click()
    wizard.save_page.path.setText(str(world.tmp / "brief.pdf"))
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=15000)
    assert (world.tmp / "brief.pdf").exists()


def _open_gp(window, world, qtbot):
    _button(_referrals_tab(window), "Terugkoppeling huisarts…").click()
    return _last(window)


def _save_gp(dialog, window, world, qtbot):
    dialog.record_consent.setChecked(True)
    dialog.path.setText(str(world.tmp / "huisarts.pdf"))
    _save(dialog)
    assert (world.tmp / "huisarts.pdf").exists()


def _open_status(window, world, qtbot):
    tab = _referrals_tab(window)
    tab.table.selectRow(0)
    _button(tab, "Status wijzigen…").click()
    return _last(window)


def _save_status(dialog, window, world, qtbot):
    _save(dialog)
    referral = window.caseload.referrals.get(world.referral_id)
    assert referral.events[-1].note.endswith("Wachtlijst van drie maanden")


def _open_plan(window, world, qtbot):
    window.workspace.dossier.tabs.setCurrentIndex(PLAN_TAB)
    return window.workspace.dossier.plan


def _find_plan(window):
    dossier = window.workspace.dossier
    assert dossier.tabs.currentIndex() == PLAN_TAB
    return dossier.plan


def _save_plan(tab, window, world, qtbot):
    _button(tab, "Toevoegen").click()
    [action] = window.caseload.actions.fetch(world.client_id)
    assert action.description.endswith("Huurtoeslag aanvragen")


def _open_action_edit(window, world, qtbot):
    world.action_id = window.caseload.actions.add(world.client_id, description="Bellen", who="ik")
    tab = window.workspace.dossier.plan
    window.workspace.dossier.tabs.setCurrentIndex(PLAN_TAB)
    tab.table.selectRow(0)
    _button(tab, "Bewerken…").click()
    return tab.edit_dialog


def _find_action_edit(window):
    return window.workspace.dossier.plan.edit_dialog


def _save_action_edit(dialog, window, world, qtbot):
    _save(dialog)
    [action] = window.caseload.actions.fetch(world.client_id)
    assert action.who == "de dochter"


def _open_correction(window, world, qtbot):
    window.caseload.referrals.set_status(world.referral_id, "afgewezen", note="Vol")
    tab = _referrals_tab(window)
    tab.table.selectRow(0)
    _button(tab, "Status corrigeren…").click()
    return _last(window)


def _save_correction(dialog, window, world, qtbot):
    _save(dialog)
    referral = window.caseload.referrals.get(world.referral_id)
    assert referral.status == "verstuurd" and "Verkeerd aangeklikt" in referral.events[-1].note


def _open_partner(window, world, qtbot):
    window.partners_action.trigger()
    partners = _last(window)
    _button(partners, "Nieuwe partner…").click()
    [form] = partners.findChildren(PartnerDialog)
    return form


def _find_partner(window):
    partners = _last(window)
    assert isinstance(partners, PartnersDialog)
    [form] = [f for f in partners.findChildren(PartnerDialog) if f.isVisible()]
    return form


def _save_partner(dialog, window, world, qtbot):
    dialog.edits["organisation"].setText("Bibliotheek")
    _save(dialog)
    assert [p.organisation for p in window.caseload.partners.fetch(query="Taalhuis")]


def _open_settings(window, world, qtbot):
    window.settings_action.trigger()
    return _last(window)


def _save_settings(dialog, window, world, qtbot):
    _save(dialog)
    assert window.caseload.settings.get().place.endswith("Zwolle")


CASES = [
    Case(
        "new client",
        _open_new_client,
        lambda d: d.edits["given_name"],
        lambda d: _line(d.edits["given_name"]),
        lambda w: keys.client_form_draft_key(None),
        _last,
        _save_new_client,
    ),
    Case(
        "edit client",
        _open_edit_client,
        lambda d: d.edits["city"],
        lambda d: _line(d.edits["city"]),
        lambda w: keys.client_form_draft_key(w.client_id),
        _last,
        _save_edit_client,
    ),
    Case(
        "close dossier",
        _open_close,
        lambda d: d.reason,
        lambda d: _plain(d.reason),
        lambda w: keys.close_dossier_draft_key(w.client_id),
        _last,
        _save_close,
    ),
    Case(
        "conversation",
        _open_conversation,
        lambda d: d.step.wish,
        lambda d: _line(d.step.wish),
        lambda w: keys.conversation_draft_key(w.client_id),
        _last,
        _save_conversation,
    ),
    Case(
        "referral wizard",
        _open_referral,
        lambda d: d.share.reason,
        lambda d: _plain(d.share.reason),
        lambda w: keys.referral_draft_key(w.client_id),
        _find_referral,
        _save_referral,
    ),
    Case(
        "gp letter",
        _open_gp,
        lambda d: d.next_steps,
        lambda d: _plain(d.next_steps),
        lambda w: keys.gp_letter_draft_key(w.client_id),
        _last,
        _save_gp,
    ),
    Case(
        "referral status",
        _open_status,
        lambda d: d.note,
        lambda d: _plain(d.note),
        lambda w: keys.referral_status_draft_key(w.referral_id),
        _last,
        _save_status,
    ),
    Case(
        "plan action",
        _open_plan,
        lambda t: t.description,
        lambda t: _line(t.description),
        lambda w: keys.new_action_draft_key(w.client_id),
        _find_plan,
        _save_plan,
    ),
    Case(
        "action edit",
        _open_action_edit,
        lambda d: d.who,
        lambda d: _line(d.who),
        lambda w: keys.action_edit_draft_key(w.action_id),
        _find_action_edit,
        _save_action_edit,
    ),
    Case(
        "status correction",
        _open_correction,
        lambda d: d.reason,
        lambda d: _line(d.reason),
        lambda w: keys.referral_correction_draft_key(w.referral_id),
        _last,
        _save_correction,
    ),
    Case(
        "partner form",
        _open_partner,
        lambda d: d.edits["team"],
        lambda d: _line(d.edits["team"]),
        lambda w: keys.partner_form_draft_key(None),
        _find_partner,
        _save_partner,
    ),
    Case(
        "settings",
        _open_settings,
        lambda d: d.place,
        lambda d: _line(d.place),
        lambda w: keys.settings_draft_key(),
        _last,
        _save_settings,
    ),
]

TYPED = {
    "new client": "Nog",
    "edit client": "Zwolle",
    "close dossier": "Verhuisd naar Zwolle",
    "conversation": "Rekeningen op tijd betalen",
    "referral wizard": "Schulden lopen op 😟",
    "gp letter": "Over zes weken evalueren",
    "referral status": "Wachtlijst van drie maanden",
    "plan action": "Huurtoeslag aanvragen",
    "action edit": "de dochter",
    "status correction": "Verkeerd aangeklikt",
    "partner form": "Taalhuis",
    "settings": "Zwolle",
}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_ctrl_l_in_a_dialog_locks_and_the_dialog_comes_back_with_the_text(
    qtbot, window: MainWindow, tmp_path: Path, case: Case
) -> None:
    world = _world(qtbot, window, tmp_path)
    dialog = case.open(window, world, qtbot)
    field = case.field(dialog)
    if isinstance(field, QLineEdit):
        field.clear()  # the edit-client form starts filled
    type_text(qtbot, field, TYPED[case.name])
    qtbot.keyClick(field, Qt.Key.Key_L, CTRL)
    _assert_locked(window)
    unlock(qtbot, window)
    again = case.find(window)
    assert again is not dialog or (case.name == "plan action" and not shiboken6.isValid(dialog))
    assert case.text(again) == TYPED[case.name]
    assert window.caseload.drafts.get(case.key(world)) is not None
    case.save(again, window, world, qtbot)
    assert window.caseload.drafts.get(case.key(world)) is None  # a save leaves no draft


def test_import_dialog_comes_back_with_its_spreadsheet(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    world = _world(qtbot, window, tmp_path)
    sheet = tmp_path / "clienten.csv"
    sheet.write_text("voornaam;achternaam\nAnna;Bakker\n", encoding="utf-8")
    window.import_action.trigger()
    dialog = _last(window)
    dialog.load(sheet)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=15000)
    qtbot.keyClick(dialog.table, Qt.Key.Key_L, CTRL)
    _assert_locked(window)
    unlock(qtbot, window)
    again = _last(window)
    assert again is not dialog and again.source == sheet
    qtbot.waitUntil(lambda: again.import_button.isEnabled(), timeout=15000)
    assert window.caseload.drafts.get(keys.import_draft_key()) is not None
    again.import_button.click()
    qtbot.waitUntil(lambda: not again.isVisible(), timeout=15000)
    assert window.caseload.drafts.get(keys.import_draft_key()) is None
    assert [c.family_name for c in window.caseload.clients.fetch()].count("Bakker") == 1
    assert world.client_id in {c.id for c in window.caseload.clients.fetch()}


def test_ctrl_q_in_a_dialog_quits_and_keeps_the_draft(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    world = _world(qtbot, window, tmp_path)
    dialog = _open_close(window, world, qtbot)
    type_text(qtbot, dialog.reason, "Doelen bereikt")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Q, CTRL)
    assert not window.isVisible()
    assert window.caseload is None
    window.show()
    unlock(qtbot, window)
    assert window.caseload.drafts.get(keys.close_dossier_draft_key(world.client_id)) is not None
    assert _plain(_last(window).reason) == "Doelen bereikt"


# --- closing with unsaved edits asks first -------------------------------------------


def test_escape_with_edits_asks_terug_keeps_weggooien_discards(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    world = _world(qtbot, window, tmp_path)
    dialog = _open_edit_client(window, world, qtbot)
    dialog.edits["city"].clear()
    type_text(qtbot, dialog.edits["city"], "Zwolle")
    qtbot.keyClick(dialog.edits["city"], Qt.Key.Key_Escape)
    question = dialog.discard_question
    assert question is not None and question.isVisible()
    assert question.windowTitle() == "Wijzigingen weggooien?"
    question.back_button.click()  # Terug
    assert dialog.isVisible() and dialog.edits["city"].text() == "Zwolle"
    assert dialog.discard_question is None

    dialog.close()  # the window's close button asks too
    dialog.discard_question.back_button.click()
    assert dialog.isVisible()

    dialog.save_draft()  # as the autosave or a stale save would
    _save(dialog, QDialogButtonBox.StandardButton.Cancel)  # Annuleren asks too
    dialog.discard_question.discard_button.click()  # Weggooien
    assert not dialog.isVisible()
    assert window.caseload.drafts.get(keys.client_form_draft_key(world.client_id)) is None
    assert window.caseload.clients.get(world.client_id).city != "Zwolle"


def test_escape_without_edits_closes_without_asking(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    world = _world(qtbot, window, tmp_path)
    for opener in (_open_edit_client, _open_close, _open_gp, _open_settings):
        dialog = opener(window, world, qtbot)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.discard_question is None and not dialog.isVisible()
    assert window.caseload.drafts.fetch() == []


def test_conversation_later_keeps_the_draft_without_asking(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    world = _world(qtbot, window, tmp_path)
    dialog = _open_conversation(window, world, qtbot)
    type_text(qtbot, dialog.step.wish, "Rust")
    dialog.cancel.click()  # "Later verder"
    assert not dialog.isVisible() and dialog.discard_question is None
    assert window.caseload.drafts.get(keys.conversation_draft_key(world.client_id)) is not None


# --- trying to break it ------------------------------------------------------------


def test_lock_while_the_discard_question_is_open(qtbot, window: MainWindow, tmp_path: Path) -> None:
    world = _world(qtbot, window, tmp_path)
    dialog = _open_close(window, world, qtbot)
    type_text(qtbot, dialog.reason, "Overgedragen")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Escape)
    question = dialog.discard_question
    assert question is not None
    qtbot.keyClick(question, Qt.Key.Key_L, CTRL)  # Ctrl+L in the nested question box
    _assert_locked(window)
    unlock(qtbot, window)
    again = _last(window)
    assert _plain(again.reason) == "Overgedragen"  # the question did not discard it
    assert again.discard_question is None


def test_locking_twice_quickly_reopens_once(qtbot, window: MainWindow, tmp_path: Path) -> None:
    world = _world(qtbot, window, tmp_path)
    dialog = _open_gp(window, world, qtbot)
    type_text(qtbot, dialog.next_steps, "Evalueren")
    qtbot.keyClick(dialog.next_steps, Qt.Key.Key_L, CTRL)
    qtbot.keyClick(dialog.next_steps, Qt.Key.Key_L, CTRL)  # the dialog is gone already
    window.lock("idle")
    _assert_locked(window)
    unlock(qtbot, window)
    open_dialogs = [d for d in window.workspace.dialogs if d.isVisible()]
    assert len(open_dialogs) == 1 and _plain(open_dialogs[0].next_steps) == "Evalueren"


def test_nothing_is_kept_or_reopened_for_a_deleted_client(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    world = _world(qtbot, window, tmp_path)
    dialog = _open_close(window, world, qtbot)
    type_text(qtbot, dialog.reason, "Verhuisd")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_L, CTRL)
    unlock(qtbot, window)
    assert window.caseload.drafts.get(keys.close_dossier_draft_key(world.client_id))
    window.caseload.clients.delete(world.client_id, reason="ten_onrechte")  # deleted meanwhile
    qtbot.waitUntil(lambda: window.workspace.dossier is None)
    assert window.caseload.drafts.fetch() == []  # its drafts went with it
    qtbot.keyClick(_last(window).reason, Qt.Key.Key_L, CTRL)  # the dialog still open
    _assert_locked(window)
    unlock(qtbot, window)
    assert window.workspace.dialogs == []
    assert window.caseload.drafts.fetch() == []


def test_a_dialog_without_typing_is_not_reopened(qtbot, window: MainWindow, tmp_path: Path) -> None:
    world = _world(qtbot, window, tmp_path)
    _open_status(window, world, qtbot)
    window.lock("button")
    unlock(qtbot, window)
    assert window.workspace.dialogs == []
    assert window.caseload.drafts.fetch() == []
