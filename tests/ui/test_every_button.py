"""Buttons clicked the way a worker clicks them, each checked by its effect.

The button census (button_census.py) fails the GUI suite when a test shows a
button that no test clicks; the buttons that no other test reached are
clicked here.
"""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialog, QFileDialog, QMessageBox, QWidget, QWizard

from brugdesk.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE
from tests.ui.button_census import label
from tests.ui.conftest import unlock


def find_button(root: QWidget, text: str) -> QAbstractButton:
    matches = [
        b
        for b in root.findChildren(QAbstractButton)
        if label(b.text()) == text and b.isVisibleTo(root.window())
    ]
    assert matches, f"no visible button {text!r} in {type(root).__name__}"
    return matches[0]


def click(qtbot, root: QWidget, text: str) -> None:
    button = find_button(root, text)
    assert button.isEnabled(), f"{text!r} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def open_dialog(window: MainWindow, kind: type[QDialog]) -> QDialog:
    dialogs = [d for d in window.findChildren(kind) if d.isVisible()]
    assert dialogs, f"no {kind.__name__} open"
    return dialogs[-1]


def answer(qtbot, box_text: str) -> None:
    """Click the button *box_text* of the message box that is open now."""
    from PySide6.QtWidgets import QApplication

    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    boxes += [
        w
        for top in QApplication.topLevelWidgets()
        for w in top.findChildren(QMessageBox)
        if w.isVisible()
    ]
    assert boxes, "no question was asked"
    click(qtbot, boxes[-1], box_text)


def save_as(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Qt's own file dialog answers with *path* (it is Qt's part, not ours)."""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def test_first_run_by_clicking_every_wizard_button(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRUGDESK_LOG_DIR", str(tmp_path / "logs"))
    win = MainWindow(tmp_path / "nieuw")
    qtbot.addWidget(win)
    win.show()
    wizard = win.wizard
    click(qtbot, wizard, "Volgende >")
    assert wizard.currentPage() is wizard.passphrase_page
    click(qtbot, wizard, "< Vorige")
    assert wizard.currentPage() is not wizard.passphrase_page
    click(qtbot, wizard, "Volgende >")
    page = wizard.passphrase_page
    qtbot.keyClicks(page.first, "de kat slaapt op de warme vensterbank")
    qtbot.keyClicks(page.second, "de kat slaapt op de warme vensterbank")
    click(qtbot, wizard, "Kluis aanmaken")
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=20000)
    sheet = tmp_path / "herstelblad.pdf"
    save_as(monkeypatch, sheet)
    click(qtbot, wizard, "Herstelblad opslaan als PDF…")
    key = wizard.recovery_key
    assert key.split("-")[0] in "".join(p.extract_text() for p in pypdf.PdfReader(sheet).pages)
    qtbot.keyClicks(wizard.recovery_page.confirm, key)
    click(qtbot, wizard, "Volgende >")
    qtbot.keyClicks(wizard.profile_page.name, "Anouk de Wit")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.workspace is not None)
    assert win.caseload.settings.get().worker_name == "Anouk de Wit"
    win.lock()


def test_unlock_button_and_the_recovery_dialog(
    qtbot, window: MainWindow, recovery_key: str
) -> None:
    page = window.unlock_page
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    click(qtbot, page, "Ontgrendelen")
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=15000)
    window.lock()
    click(qtbot, page, "Herstelsleutel gebruiken…")
    dialog = page.findChild(QDialog)
    click(qtbot, dialog, "Annuleren")
    assert not dialog.isVisible() and window.workspace is None
    click(qtbot, page, "Herstelsleutel gebruiken…")
    dialog = [d for d in page.findChildren(QDialog) if d.isVisible()][-1]
    dialog.key.setText(recovery_key)
    dialog.new.setText("nieuw wachtwoord na herstel")
    dialog.repeat.setText("nieuw wachtwoord na herstel")
    click(qtbot, dialog, "Openen")
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=15000)
    window.lock()
    unlock(qtbot, window, "nieuw wachtwoord na herstel")


def test_quit_from_the_file_menu_locks_and_closes(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    caseload = window.caseload
    actions = window.findChildren(type(window.lock_action))
    quit_action = next(a for a in actions if label(a.text()) == "Afsluiten")
    quit_action.trigger()
    assert not window.isVisible() and window.caseload is None
    qtbot.waitUntil(lambda: caseload.vault._engine is None, timeout=10000)


def test_dossier_buttons(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Bram", family_name="Beek")
    cl.assessments.add(
        cid,
        instrument_id="leefgebieden",
        instrument_version="1",
        held_on="2026-06-05",
        items=[{"domain": "wonen", "score": 3}],
    )
    ws = window.workspace
    ws.select_client(cid)
    dossier = ws.dossier
    # Bewerken… opens the form; Annuleren without changes closes it and changes nothing.
    click(qtbot, dossier, "Bewerken…")
    form = ws.dialogs[-1]
    assert form.isVisible()
    click(qtbot, form, "Annuleren")
    assert not form.isVisible() and cl.clients.get(cid).given_name == "Bram"
    # Cliëntweergave: full screen, closed with Esc.
    click(qtbot, dossier, "Cliëntweergave")
    view = dossier.client_view
    assert view is not None and view.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.isVisible()
    # Gesprek starten… opens the conversation for this client.
    click(qtbot, dossier, "Gesprek starten…")
    conversation = ws.dialogs[-1]
    assert conversation.isVisible() and conversation.client_id == cid
    conversation.reject()
    # Nieuw contactmoment empties the note editor for a new one.
    dossier.tabs.setCurrentWidget(dossier.contacts)
    editor = dossier.contacts.editor
    editor.text.setPlainText("Eerste bezoek")
    editor.save()
    click(qtbot, dossier.contacts, "Nieuw contactmoment")
    assert editor.text.toPlainText() == "" and editor.title.text() == "Nieuw contactmoment"


def test_close_dossier_dialog_buttons(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Cor", family_name="Dijk")
    ws = window.workspace
    ws.select_client(cid)
    click(qtbot, ws.dossier, "Dossier afsluiten…")
    dialog = ws.dialogs[-1]
    click(qtbot, dialog, "Annuleren")
    assert cl.clients.get(cid).closed_on is None
    click(qtbot, ws.dossier, "Dossier afsluiten…")
    dialog = ws.dialogs[-1]
    qtbot.keyClicks(dialog.reason, "Doelen bereikt")
    click(qtbot, dialog, "Afsluiten")
    client = cl.clients.get(cid)
    assert client.closed_on is not None and client.closure_reason == "Doelen bereikt"


def test_partner_list_buttons(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    partners = window.open_partners()
    click(qtbot, partners, "Nieuwe partner…")
    form = [d for d in partners.findChildren(QDialog) if d.isVisible()][-1]
    qtbot.keyClicks(form.edits["organisation"], "Buurthuis De Linde")
    click(qtbot, form, "Opslaan")
    assert [p.organisation for p in cl.partners.fetch()] == ["Buurthuis De Linde"]
    partners.table.selectRow(0)
    click(qtbot, partners, "Bewerken…")
    form = [d for d in partners.findChildren(QDialog) if d.isVisible()][-1]
    form.edits["organisation"].clear()
    qtbot.keyClicks(form.edits["organisation"], "Buurthuis De Eik")
    click(qtbot, form, "Opslaan")
    assert [p.organisation for p in cl.partners.fetch()] == ["Buurthuis De Eik"]
    partners.table.selectRow(0)
    click(qtbot, partners, "Verwijderen…")
    answer(qtbot, "Behouden")
    assert len(cl.partners.fetch()) == 1
    click(qtbot, partners, "Verwijderen…")
    answer(qtbot, "Verwijderen")
    assert cl.partners.fetch() == []


def test_today_import_and_settings_close_buttons(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    today = window.open_today()
    click(qtbot, today, "Sluiten")
    assert not today.isVisible()
    csv = tmp_path / "clienten.csv"
    csv.write_text("voornaam;achternaam\nDirk;Dam\n", encoding="utf-8")
    save_as(monkeypatch, csv)
    dialog = window.import_clients()
    click(qtbot, dialog, "Bestand kiezen…")
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10000)
    assert "1 cliënt(en) gecontroleerd" in dialog.summary.text()
    click(qtbot, dialog, "Sluiten")  # a chosen file is work in progress: asked first
    answer(qtbot, "Weggooien")
    assert not dialog.isVisible() and cl.clients.fetch() == []  # closing imports nothing
    settings = window.open_settings()
    settings.name.setText("Niet bewaard")
    click(qtbot, settings, "Annuleren")
    assert cl.settings.get().worker_name != "Niet bewaard"


def _client_with_sent_referral(qtbot, window: MainWindow) -> tuple[int, int]:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Ella", family_name="Eik", date_of_birth="1950-01-02")
    pid = cl.partners.add(organisation="Schuldhulpverlening", domains=["financien"])
    cl.consents.record(
        cid, recipient="Schuldhulpverlening", purpose="verwijzing", how="mondeling", partner_id=pid
    )
    rid = cl.referrals.create(cid, pid, reason="Schulden", request="Budgetbeheer")
    cl.referrals.mark_sent(rid)
    window.workspace.select_client(cid)
    return cid, rid


def test_plan_buttons_mark_an_action_and_cancel_its_form(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Fenna", family_name="Vos")
    cl.actions.add(cid, description="Huurtoeslag aanvragen", who="ik")

    def action():
        [only] = cl.actions.fetch(cid)
        return only

    window.workspace.select_client(cid)
    dossier = window.workspace.dossier
    dossier.tabs.setCurrentWidget(dossier.plan)
    plan = dossier.plan
    plan.table.selectRow(0)
    click(qtbot, plan, "Bezig")
    assert action().status == "bezig"
    plan.table.selectRow(0)
    click(qtbot, plan, "Markeer als gedaan")
    assert action().status == "gedaan"
    plan.table.selectRow(0)
    click(qtbot, plan, "Bewerken…")
    form = plan.edit_dialog
    assert form.isVisible() and form.description.text() == "Huurtoeslag aanvragen"
    click(qtbot, form, "Annuleren")
    assert not form.isVisible() and action().who == "ik"


def test_referral_dialogs_cancel_and_choose_a_file(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _cid, rid = _client_with_sent_referral(qtbot, window)
    cl = window.caseload
    dossier = window.workspace.dossier
    dossier.tabs.setCurrentWidget(dossier.referrals)
    tab = dossier.referrals
    tab.table.selectRow(0)
    click(qtbot, tab, "Status wijzigen…")
    status = window.workspace.dialogs[-1]
    click(qtbot, status, "Annuleren")
    assert not status.isVisible() and cl.referrals.get(rid).status == "verstuurd"
    cl.referrals.set_status(rid, "afgewezen", note="Vol")
    tab.table.selectRow(0)
    click(qtbot, tab, "Status corrigeren…")
    correction = window.workspace.dialogs[-1]
    click(qtbot, correction, "Annuleren")
    assert not correction.isVisible() and cl.referrals.get(rid).status == "afgewezen"
    click(qtbot, tab, "Terugkoppeling huisarts…")
    gp = window.workspace.dialogs[-1]
    target = tmp_path / "brieven" / "huisarts.pdf"
    save_as(monkeypatch, target)
    click(qtbot, gp, "Opslaan als…")
    assert gp.path.text() == str(target)
    gp.done(QDialog.DialogCode.Rejected)


def test_referral_wizard_save_as_sets_the_path(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid, _rid = _client_with_sent_referral(qtbot, window)
    wizard = window.workspace.start_referral(cid)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    next_button.click()
    next_button.click()
    if wizard.consent.override.isVisible():
        wizard.consent.override.setChecked(True)
        wizard.consent.override_reason.setText("Acute huisuitzetting")
    next_button.click()
    qtbot.waitUntil(wizard.preview.is_current, timeout=15000)
    next_button.click()
    assert wizard.currentPage() is wizard.save_page
    target = tmp_path / "verwijsbrief.pdf"
    save_as(monkeypatch, target)
    click(qtbot, wizard, "Opslaan als…")
    assert wizard.save_page.path.text() == str(target)
    wizard.done(QDialog.DialogCode.Rejected)


def test_delete_client_cancel_and_partner_form_cancel(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Gijs", family_name="Graaf")
    ws = window.workspace
    ws.select_client(cid)
    form = ws.edit_client(cid)
    click(qtbot, form, "Cliënt verwijderen…")
    ask = form.delete_dialog
    click(qtbot, ask, "Annuleren")
    assert not ask.isVisible() and cl.clients.get(cid).given_name == "Gijs"
    form.done(QDialog.DialogCode.Rejected)
    partners = window.open_partners()
    click(qtbot, partners, "Nieuwe partner…")
    partner_form = [d for d in partners.findChildren(QDialog) if d.isVisible()][-1]
    click(qtbot, partner_form, "Annuleren")  # nothing typed: closes without asking
    assert not partner_form.isVisible() and cl.partners.fetch() == []


def test_conversation_skip_leaves_a_domain_out(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Hanna", family_name="Hoek")
    window.workspace.select_client(cid)
    dialog = window.workspace.start_conversation(cid)
    dialog.choose.parts.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.choose.parts.item(1).setCheckState(Qt.CheckState.Checked)
    first = dialog.choose.parts.item(0).text()
    click(qtbot, dialog, dialog.next.text().replace("&", ""))
    assert dialog.step.title.text() == first
    click(qtbot, dialog, "Overslaan")
    assert dialog.step.title.text() != first
    dialog.done(QDialog.DialogCode.Rejected)


def test_new_recovery_key_buttons_in_settings(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unlock(qtbot, window)
    settings = window.open_settings()
    settings.tabs.setCurrentIndex(1)  # Beveiliging
    settings.recovery_pw.setText(PASSPHRASE)
    click(qtbot, settings, "Nieuwe herstelsleutel maken…")
    qtbot.waitUntil(lambda: getattr(settings, "key_dialog", None) is not None, timeout=15000)
    shown = settings.key_dialog
    sheet = tmp_path / "blad.pdf"
    save_as(monkeypatch, sheet)
    click(qtbot, shown, "Herstelblad opslaan als PDF…")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(sheet).pages)
    assert shown.recovery_key.split("-")[0] in text


def test_a_note_editor_on_its_own_starts_a_new_note(qtbot, caseload) -> None:
    from brugdesk.ui.dossier.note_editor import NoteEditor

    cid = caseload.clients.create(given_name="Ids", family_name="Ijzer")
    editor = NoteEditor(caseload, cid)
    qtbot.addWidget(editor)
    editor.show()
    editor.text.setPlainText("Eerste bezoek")
    editor.save()
    click(qtbot, editor, "Nieuw contactmoment")
    assert (
        editor.text.toPlainText() == "" and caseload.contacts.fetch(cid)[0].note == "Eerste bezoek"
    )


def test_the_census_names_a_shown_button_that_nobody_clicked(qtbot, qapp) -> None:
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    from tests.ui.button_census import ButtonCensus

    census = ButtonCensus()
    qapp.installEventFilter(census)
    try:
        dialog = QDialog()
        qtbot.addWidget(dialog)
        layout = QVBoxLayout(dialog)
        clicked, forgotten = QPushButton("&Proef klikken"), QPushButton("Proef vergeten")
        layout.addWidget(clicked)
        layout.addWidget(forgotten)
        dialog.show()
        qtbot.mouseClick(clicked, Qt.MouseButton.LeftButton)
    finally:
        qapp.removeEventFilter(census)
    assert census.never_clicked == ["QDialog: Proef vergeten"]
    forgotten.click()  # for the suite's own census, which saw this dialog too
