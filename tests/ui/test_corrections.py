"""Every mistake can be corrected, in the window: each button clicked, each question
answered both ways, the vault and the screen checked afterwards."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from brugdesk.app.conversation import Answer, Conversation
from brugdesk.domain.draft_keys import conversation_draft_key
from brugdesk.ui.dialogs.client_dialog import ClientDialog
from brugdesk.ui.dossier.referrals_tab import CorrectionDialog
from brugdesk.ui.main_window import MainWindow
from brugdesk.ui.wizards.conversation import ConversationDialog
from tests.ui.conftest import type_text, unlock

YES, NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


def _answer(widget, button: QMessageBox.StandardButton) -> None:
    box: QMessageBox = widget.confirm
    assert box.isVisible() and box.defaultButton() is box.button(NO)  # the safe one
    box.button(button).click()


def _last_audit(window: MainWindow) -> tuple[str, str, int | None]:
    row = window.caseload.audit.fetch(limit=1)[0]
    return row.action, row.entity, row.entity_id


def _client(qtbot, window: MainWindow, **extra) -> int:
    unlock(qtbot, window)
    cid = window.caseload.clients.create(given_name="Fatma", family_name="Öztürk", **extra)
    window.workspace.reload()
    window.workspace.select_client(cid)
    return cid


def test_delete_a_contact_note(qtbot, window: MainWindow) -> None:
    cid = _client(qtbot, window)
    cl = window.caseload
    kid = cl.contacts.add(cid, occurred_at=datetime(2026, 3, 2, 10, 0), note="Verkeerde cliënt")
    tab = window.workspace.dossier.contacts
    tab.delete_button.click()
    assert "Kies eerst" in tab.error.text()  # nothing selected: nothing asked
    tab.table.selectRow(0)
    tab.delete_button.click()
    assert "02-03-2026 10:00" in tab.confirm.text() and "Verkeerde cliënt" in tab.confirm.text()
    _answer(tab, NO)
    assert [c.id for c in cl.contacts.fetch(cid)] == [kid]
    # Open in the editor, half changed and kept as a draft: deleting leaves nothing of it.
    tab.table.selectRow(0)
    tab._edit_selected(tab.model.index(0, 0))
    assert tab.editor.contact_id == kid
    tab.editor.text.setPlainText("Half gewijzigd")
    tab.editor.save_draft()
    assert cl.contacts.get_draft(cid, kid) is not None
    tab.delete_button.click()
    _answer(tab, YES)
    assert cl.contacts.fetch(cid) == []
    assert _last_audit(window) == ("delete", "contact", kid)
    assert cl.contacts.get_draft(cid, kid) is None
    assert tab.editor.contact_id is None and tab.editor.text.toPlainText() == ""
    assert tab.model.rowCount() == 0 and tab.empty.isVisibleTo(tab)


def test_edit_and_delete_a_plan_action(qtbot, window: MainWindow) -> None:
    cid = _client(qtbot, window)
    cl = window.caseload
    aid = cl.actions.add(cid, description="Belen met woningcorp", who="ik")
    plan = window.workspace.dossier.plan
    plan.table.selectRow(0)
    plan.edit_button.click()
    dialog = plan.edit_dialog
    assert dialog is not None and dialog.description.text() == "Belen met woningcorp"
    dialog.description.setText("Bellen met de woningcorporatie")
    dialog.who.setText("cliënt")
    dialog.due.setText("31-02-2026")  # no such day: refused, nothing changed
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert "geen geldige datum" in dialog.error.text()
    assert cl.actions.fetch(cid)[0].description == "Belen met woningcorp"
    dialog.due.setText("15-06-2026")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert not dialog.isVisible()
    a = cl.actions.fetch(cid)[0]
    assert (a.description, a.who, a.due_on) == (
        "Bellen met de woningcorporatie",
        "cliënt",
        date(2026, 6, 15),
    )
    assert _last_audit(window) == ("change", "action", aid)
    assert plan.model.index(0, 1).data() == "Bellen met de woningcorporatie"
    # Delete: "Behouden" keeps it, "Verwijderen" removes it.
    plan.table.selectRow(0)
    plan.remove_button.click()
    _answer(plan, NO)
    assert len(cl.actions.fetch(cid)) == 1
    plan.table.selectRow(0)
    plan.remove_button.click()
    _answer(plan, YES)
    assert cl.actions.fetch(cid) == [] and plan.model.rowCount() == 0
    assert _last_audit(window) == ("delete", "action", aid)


def _stored_conversation(window: MainWindow, cid: int) -> int:
    conv = Conversation.start(window.caseload, cid)
    conv.choose(["financien"])
    conv.next()
    conv.set_answer(Answer(score=2, wish="Overzicht"))
    conv.next()
    return conv.finish(["financien"])


def test_delete_a_conversation_from_the_overview(qtbot, window: MainWindow) -> None:
    cid = _client(qtbot, window)
    cl = window.caseload
    asid = _stored_conversation(window, cid)
    overview = window.workspace.dossier.overview
    assert overview.conversations.count() == 1
    assert overview.delete_conversation_button.isVisibleTo(overview)
    overview.delete_conversation_button.click()
    assert f"{date.today():%d-%m-%Y}" in overview.confirm.text()
    _answer(overview, NO)
    assert [a.id for a in cl.assessments.fetch(cid)] == [asid]
    overview.delete_conversation_button.click()
    _answer(overview, YES)
    assert cl.assessments.fetch(cid) == []
    assert _last_audit(window) == ("delete", "assessment", asid)
    assert overview.history.text() == "Nog geen gesprekken."
    assert not overview.delete_conversation_button.isVisibleTo(overview)
    # The action agreed in that conversation stays on the plan (with its due date).
    assert [a.due_on for a in cl.actions.fetch(cid)] == [date.today() + timedelta(14)]


def test_discard_a_conversation_draft_in_the_dialog(qtbot, window: MainWindow) -> None:
    cid = _client(qtbot, window)
    cl = window.caseload
    conv = Conversation.start(cl, cid)
    conv.choose(["wonen"])
    conv.save_draft()
    dialog = window.workspace.start_conversation(cid)
    assert isinstance(dialog, ConversationDialog) and dialog.conversation.restored
    dialog.discard_button.click()
    _answer(dialog, NO)
    assert dialog.isVisible() and cl.drafts.get(conversation_draft_key(cid)) is not None
    dialog.discard_button.click()
    _answer(dialog, YES)
    assert not dialog.isVisible()
    assert cl.drafts.get(conversation_draft_key(cid)) is None
    row = cl.audit.fetch(limit=1)[0]
    assert (row.action, row.entity, row.client_id, row.details) == (
        "delete",
        "assessment",
        cid,
        {"draft": True},
    )
    # A lock right after keeps nothing of it either.
    window.lock("button")
    unlock(qtbot, window)
    assert window.caseload.drafts.get(conversation_draft_key(cid)) is None


def test_correct_a_referral_status(qtbot, window: MainWindow) -> None:
    cid = _client(qtbot, window)
    cl = window.caseload
    pid = cl.partners.add(organisation="Schuldhulpverlening")
    rid = cl.referrals.create(cid, pid, reason="Schulden")
    cl.referrals.mark_sent(rid, override_reason="Spoed")
    cl.referrals.set_status(rid, "afgewezen", note="Verkeerd aangeklikt")
    ws = window.workspace
    tab = ws.dossier.referrals
    concept = cl.referrals.create(cid, pid)  # a concept has nothing earlier to go back to
    tab.table.selectRow(0)
    assert tab.model.record(0).id == concept
    tab.correct_button.click()
    assert "geen eerdere status" in tab.error.text() and len(ws.dialogs) == 0
    tab.table.selectRow(1)
    tab.correct_button.click()
    dialog = ws.dialogs[-1]
    assert isinstance(dialog, CorrectionDialog) and dialog in ws.dialogs
    assert [dialog.status.itemData(i) for i in range(dialog.status.count())] == ["verstuurd"]
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    ok.click()  # no reason: refused
    assert "Reden" in dialog.error.text() and cl.referrals.get(rid).status == "afgewezen"
    type_text(qtbot, dialog.reason, "Partner <b>belde</b> terug")
    ok.click()
    assert not dialog.isVisible()
    r = cl.referrals.get(rid)
    assert r.status == "verstuurd"
    assert [e.status for e in r.events] == ["concept", "verstuurd", "afgewezen", "verstuurd"]
    assert _last_audit(window) == ("change", "referral", rid)
    tab.table.selectRow(1)
    assert tab.model.index(1, 1).data() == "verstuurd"
    assert (
        "Correctie: afgewezen → verstuurd, reden: Partner <b>belde</b> terug" in tab.history.text()
    )
    assert "Verkeerd aangeklikt" in tab.history.text()  # the history is kept


def test_delete_a_client_by_typing_the_name(qtbot, window: MainWindow) -> None:
    cid = _client(qtbot, window)
    cl = window.caseload
    other = cl.clients.create(given_name="Jan", family_name="Jansen")
    ws = window.workspace
    dialog = ws.edit_client(cid)
    assert isinstance(dialog, ClientDialog) and dialog.delete_button is not None
    dialog.delete_button.click()
    confirm = dialog.delete_dialog
    assert confirm is not None and not confirm.delete_button.isEnabled()
    type_text(qtbot, confirm.name, "Fatma Ozturk")  # close, but not the name
    assert not confirm.delete_button.isEnabled()
    confirm.submit()  # even called directly, a wrong name deletes nothing
    assert cl.clients.count() == 2
    confirm.name.clear()
    type_text(qtbot, confirm.name, "Fatma Öztürk")
    assert confirm.reason.currentIndex() == -1  # no reason chosen for the worker
    assert not confirm.delete_button.isEnabled()
    confirm.reason.setCurrentIndex(confirm.reason.findData("ten_onrechte"))
    assert confirm.delete_button.isEnabled()
    confirm.delete_button.click()
    assert confirm.busy.isVisible() and not confirm.delete_button.isEnabled()  # erasing runs
    qtbot.waitUntil(lambda: not confirm.isVisible(), timeout=20000)  # on the thread pool
    assert cl.clients.count() == 1 and [c.id for c in cl.clients.fetch()] == [other]
    assert _last_audit(window) == ("delete", "client", cid)
    erased = window.caseload.audit.fetch(limit=1)[0]
    assert erased.details == {"reason": "ten_onrechte"}  # the reason, nothing about her
    assert not dialog.isVisible() and not confirm.isVisible()
    names = [ws.model.index(r, 0).data() for r in range(ws.model.rowCount())]
    assert ws.model.rowCount() == 1 and not any("Öztürk" in str(n) for n in names)
    assert ws.dossier is None or ws.dossier.client_id != cid


def _fill_new(dialog: ClientDialog, given: str, family: str, born: str) -> None:
    dialog.edits["given_name"].setText(given)
    dialog.edits["family_name"].setText(family)
    dialog.edits["date_of_birth"].setText(born)
    dialog.validate()


def test_same_name_and_birth_date_warns_and_offers_the_existing(qtbot, window: MainWindow) -> None:
    cid = _client(qtbot, window, date_of_birth="12-03-1961")
    cl = window.caseload
    ws = window.workspace
    ws.select_client(cl.clients.create(given_name="Jan", family_name="Jansen"))
    dialog = ws.new_client()
    _fill_new(dialog, "fatma", "öztürk ", "1961-03-12")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.duplicate_panel.isVisibleTo(dialog) and dialog.isVisible()
    assert "Fatma Öztürk, geboren 12-03-1961" in dialog.duplicate_text.text()
    assert cl.clients.count() == 2
    dialog.open_existing_button.click()
    assert not dialog.isVisible() and cl.clients.count() == 2
    assert ws.current_client_id == cid and ws.dossier.client_id == cid
    # "Toch nieuw aanmaken" makes the second one after all.
    dialog = ws.new_client()
    _fill_new(dialog, "Fatma", "Öztürk", "12-03-1961")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.duplicate_panel.isVisibleTo(dialog)
    dialog.create_anyway_button.click()
    assert not dialog.isVisible() and cl.clients.count() == 3
    assert ws.current_client_id not in (cid, None)
    # Another birth date is another person: no question.
    dialog = ws.new_client()
    _fill_new(dialog, "Fatma", "Öztürk", "13-03-1961")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert not dialog.isVisible() and cl.clients.count() == 4


def test_importing_the_same_csv_twice_keeps_the_count(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    unlock(qtbot, window)
    path = tmp_path / "lijst.csv"
    path.write_text(
        "voornaam;achternaam;geboortedatum\nAyşe;Kaya;01-02-1970\nJan;Jansen;\n", encoding="utf-8"
    )
    dialog = window.import_clients()
    dialog.load(path)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=15000)
    assert [dialog.table.item(r, 2).text() for r in range(2)] == ["nieuw", "nieuw"]
    dialog.import_button.click()
    qtbot.waitUntil(lambda: window.workspace.model.rowCount() == 2, timeout=15000)
    # Again: both lines are marked and skipped; nothing to import.
    window.caseload.clients.create(given_name="Piet", family_name="Pietersen")
    dialog = window.import_clients()
    dialog.load(path)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=15000)
    assert [dialog.table.item(r, 2).text() for r in range(2)] == ["bestaat al", "bestaat al"]
    assert "0 worden geïmporteerd" in dialog.summary.text()
    assert "2 bestaan al" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    assert window.caseload.clients.count() == 3
    # A file with one new line imports just that one.
    path.write_text(
        "voornaam;achternaam;geboortedatum\nAyşe;Kaya;01-02-1970\nNora;Noord;\n", encoding="utf-8"
    )
    dialog = window.import_clients()
    dialog.load(path)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=15000)
    assert "1 bestaan al" in dialog.summary.text()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: window.caseload.clients.count() == 4, timeout=15000)
    qtbot.waitUntil(lambda: window.workspace.model.rowCount() == 4, timeout=15000)
    row = window.caseload.audit.fetch(limit=1)[0]
    assert row.action == "import" and row.details == {"count": 1, "skipped": 1}
