"""Typed text is shown exactly as typed: never as HTML, in any view of the window."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from brugdesk.ui.kit.widgets import plain_tooltip
from brugdesk.ui.main_window import MainWindow
from brugdesk.ui.models.caseload_model import Col
from brugdesk.ui.wizards.referral_wizard import ReferralWizard
from tests.ui.conftest import unlock

GIVEN = "<b>Jan</b>"
FAMILY = '<img src="/etc/passwd"/>'
NAME = f"{GIVEN} {FAMILY}"
ADDRESS = "Kerkweg 1 <script>alert(1)</script>"
CITY = "<i>Zwolle</i>"
REASON = "<h1>Hulp</h1> bij &amp; de post"
REFERRER = "<u>Dr. Bakker</u>"
NOTE = "Zegt: <geen zin meer>\nen <b>dat</b> is zorgelijk"
ACTION = "<a href='x'>Bellen</a> met de corporatie"
WHO = "<b>ik</b>"
ORGANISATION = "<b>Humanitas</b> & Co"
TEAM = "<i>Thuisadministratie</i>"
CONTACT = "<s>Piet</s>"
HOW_TO_REFER = '<img src="x.png"> bel eerst'
STATUS_NOTE = "<table><tr><td>Wachtlijst</td></tr></table>"
WISH = "<b>Weer werken</b>"
STEP_NOTE = "<i>moe</i> & <geen zin>"
WORKER = "<b>Anouk</b> de Wit"


def rendered_tooltip(tip: str | None) -> str:
    """What a tooltip shows: Qt renders it as HTML when it looks like HTML."""
    if not tip or not GuiQt.mightBeRichText(tip):
        return tip or ""
    document = QTextDocument()
    document.setHtml(tip)
    return document.toPlainText()


def markup_labels(top: QWidget) -> list[str]:
    """Labels that show text with markup characters but might render it as HTML."""
    QApplication.processEvents()
    return [
        label.text()
        for label in top.findChildren(QLabel)
        if ("<" in label.text() or "&amp;" in label.text())
        and label.textFormat() != Qt.TextFormat.PlainText
    ]


def shows(label: QLabel, text: str) -> bool:
    return label.textFormat() == Qt.TextFormat.PlainText and text in label.text()


def test_plain_tooltip_renders_exactly_what_was_typed(qapp) -> None:
    for text in (NAME, NOTE, HOW_TO_REFER, "a &lt; b", "\n<b>x</b>\n", "geen markup", ""):
        tip = plain_tooltip(text)
        assert rendered_tooltip(tip) == text
    assert plain_tooltip("geen markup") == "geen markup"  # ordinary text stays as it is
    assert plain_tooltip(None) is None
    assert "<img" not in plain_tooltip(FAMILY)  # no image is loaded from a typed path


def _caseload_with_markup(qtbot, window: MainWindow) -> tuple[int, int]:
    unlock(qtbot, window)
    cl = window.caseload
    cl.settings.update(worker_name=WORKER, organisation="Welzijn Oost")
    cid = cl.clients.create(
        given_name=GIVEN,
        family_name=FAMILY,
        address=ADDRESS,
        postal_code="1234 AB",
        city=CITY,
        reason=REASON,
        referrer_id=cl.referrers.add(name=REFERRER),
        status="actief",
    )
    cl.contacts.add(cid, occurred_at=datetime.now() - timedelta(days=70), note=NOTE)
    cl.actions.add(cid, description=ACTION, who=WHO, due_on=date.today())
    pid = cl.partners.add(
        organisation=ORGANISATION,
        team=TEAM,
        contact_person=CONTACT,
        how_to_refer=HOW_TO_REFER,
        domains=["financien"],
    )
    return cid, pid


def test_every_view_shows_typed_markup_as_typed(qtbot, window: MainWindow) -> None:
    cid, pid = _caseload_with_markup(qtbot, window)
    cl = window.caseload
    ws = window.workspace
    ws.reload()
    window._settings_changed(cl.settings.get())
    assert shows(window.status_label, WORKER) and window.status_label.text() == WORKER

    # The caseload list: a cell is plain; the tooltip of the next action too.
    row = ws.model.row_of(cid)
    assert ws.model.index(row, Col.NAME).data() == NAME
    tip = ws.model.index(row, Col.NEXT_DUE).data(Qt.ItemDataRole.ToolTipRole)
    assert rendered_tooltip(tip) == ACTION

    # The dossier header and the overview.
    ws.select_client(cid)
    dossier = ws.dossier
    assert dossier.title.textFormat() == Qt.TextFormat.PlainText
    assert dossier.title.full_text == NAME
    assert shows(dossier.subtitle, REFERRER)
    overview = dossier.overview
    assert overview.fields["address"].text() == f"{ADDRESS}, 1234 AB {CITY}"
    assert overview.fields["address"].textFormat() == Qt.TextFormat.PlainText
    assert overview.fields["referrer"].text().startswith(REFERRER)
    assert overview.fields["referrer"].textFormat() == Qt.TextFormat.PlainText
    assert overview.reason.text() == REASON and shows(overview.reason, REASON)
    assert shows(overview.contacts, "Zegt: <geen zin meer>")
    assert shows(overview.open_actions, ACTION)
    assert markup_labels(window) == []

    # The timeline and the plan: cells and tooltips.
    contacts = dossier.contacts
    index = contacts.model.index(0, 2)
    assert index.data() == "Zegt: <geen zin meer>"
    assert rendered_tooltip(index.data(Qt.ItemDataRole.ToolTipRole)).endswith(NOTE)
    plan = dossier.plan
    assert plan.model.index(0, 1).data() == ACTION and plan.model.index(0, 2).data() == WHO
    assert rendered_tooltip(plan.model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)) == ACTION
    plan.table.selectRow(0)
    plan.remove()
    (box,) = plan.findChildren(QMessageBox)
    assert box.textFormat() == Qt.TextFormat.PlainText and ACTION in box.text()
    box.done(QMessageBox.StandardButton.No)
    assert [a.description for a in cl.actions.fetch(cid)] == [ACTION]

    # Searching a note: the match and its tooltip.
    ws.search.setText("zin meer")
    ws.run_search()
    row = ws.model.row_of(cid)
    assert "<geen zin meer>" in ws.model.index(row, Col.MATCH).data()
    tip = ws.model.index(row, Col.MATCH).data(Qt.ItemDataRole.ToolTipRole)
    assert "Zegt: <geen zin meer>" in rendered_tooltip(tip)
    ws.search.clear()
    ws.run_search()
    assert markup_labels(window) == []

    # Referrals: the history, the consents, the withdraw question, the GP dialog.
    cl.consents.record(
        cid, recipient=ORGANISATION, purpose="verwijzing", how="mondeling", partner_id=pid
    )
    due = (date.today() - timedelta(days=3)).isoformat()
    rid = cl.referrals.create(cid, pid, feedback_due=due)
    cl.referrals.mark_sent(rid, feedback_due=due)
    # Vandaag: the names and what is due, as typed.
    today = window.open_today()
    tree = today.tree
    texts = [
        (tree.topLevelItem(g).child(c).text(0), tree.topLevelItem(g).child(c).text(1))
        for g in range(tree.topLevelItemCount())
        for c in range(tree.topLevelItem(g).childCount())
    ]
    assert (NAME, ACTION) in texts
    assert (NAME, f"Verwijzing naar {ORGANISATION} (verstuurd)") in texts
    assert markup_labels(today) == []
    today.reject()

    cl.referrals.set_status(rid, "afgewezen", note=STATUS_NOTE)
    tab = dossier.referrals
    tab.reload()
    assert tab.model.index(0, 0).data() == ORGANISATION
    tab.table.selectRow(0)
    assert shows(tab.history, STATUS_NOTE)
    consents = tab.consents
    assert ORGANISATION in consents.text()  # table cells are drawn as plain text
    consents.table.selectRow(0)
    consents.withdraw()
    assert consents.confirm.textFormat() == Qt.TextFormat.PlainText
    assert ORGANISATION in consents.confirm.text()
    consents.confirm.done(QMessageBox.StandardButton.No)
    tab.gp_feedback()
    gp = ws.dialogs[-1]
    assert markup_labels(gp) == []
    assert any(shows(label, REFERRER) for label in gp.findChildren(QLabel))
    gp.reject()
    assert markup_labels(window) == []

    # Closing the dossier names the client as typed.
    closing = ws.close_client(cid)
    assert any(shows(label, NAME) for label in closing.findChildren(QLabel))
    assert markup_labels(closing) == []
    closing.reject()


def test_sociale_kaart_and_referral_wizard_show_partners_as_typed(
    qtbot, window: MainWindow
) -> None:
    cid, _pid = _caseload_with_markup(qtbot, window)
    kaart = window.open_partners()
    cells = [kaart.table.item(0, c) for c in range(3)]
    assert [c.text() for c in cells] == [ORGANISATION, TEAM, CONTACT]
    assert [rendered_tooltip(c.toolTip()) for c in cells] == [ORGANISATION, TEAM, CONTACT]
    assert markup_labels(kaart) == []
    kaart.reject()

    window.workspace.select_client(cid)
    wizard = ReferralWizard(window.caseload, cid, window.tasks, window)
    qtbot.addWidget(wizard)
    wizard.show()
    item = wizard.partner.list.item(0)
    assert item.text().startswith(f"{ORGANISATION} — {TEAM}")
    assert rendered_tooltip(item.toolTip()) == f"Geld en schulden\n{HOW_TO_REFER}"
    for page_id in wizard.pageIds():
        page = wizard.page(page_id)
        assert not GuiQt.mightBeRichText(page.title())
        assert not GuiQt.mightBeRichText(page.subTitle())
    wizard.next()
    wizard.share.reason.setPlainText(NOTE)
    wizard.share.request.setPlainText(REASON)
    wizard.next()
    assert markup_labels(wizard) == []
    wizard.reject()


def test_conversation_shows_wishes_and_notes_as_typed(qtbot, window: MainWindow) -> None:
    cid, _pid = _caseload_with_markup(qtbot, window)
    ws = window.workspace
    ws.select_client(cid)
    dialog = ws.start_conversation(cid)
    dialog.choose.parts.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.go_next()
    step = dialog.step
    step.pick(2)
    step.wish.setText(WISH)
    step.note.setPlainText(STEP_NOTE)
    step.priority.setChecked(True)
    dialog.go_next()
    assert dialog.pages.currentWidget() is dialog.summary
    table = dialog.summary.table
    assert table.item(0, 4).text() == WISH
    assert markup_labels(dialog) == []
    dialog.save()
    actions = [a.description for a in window.caseload.actions.fetch(cid)]
    assert f"Geld en schulden: {WISH}" in actions
    [assessment] = window.caseload.assessments.fetch(cid)
    assert assessment.items[0].note == STEP_NOTE and assessment.items[0].wish == WISH
    overview = ws.dossier.overview
    assert shows(overview.open_actions, WISH)
    assert markup_labels(window) == []


def test_settings_and_client_form_show_typed_text_plain(qtbot, window: MainWindow) -> None:
    cid, _pid = _caseload_with_markup(qtbot, window)
    settings = window.open_settings()
    assert settings.name.text() == WORKER
    settings.name.setText("<b>Nieuwe</b> naam")
    settings.submit()
    assert window.status_label.text() == "<b>Nieuwe</b> naam"
    assert window.status_label.textFormat() == Qt.TextFormat.PlainText
    editing = window.workspace.edit_client(cid)
    assert editing.edits["address"].text() == ADDRESS
    editing.edits["postal_code"].setText("<b>1234</b>")
    editing.validate()
    assert markup_labels(editing) == []
    editing.cancel()
