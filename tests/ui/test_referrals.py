"""The referral wizard (with its preview), status changes, GP feedback and consent."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtWidgets import QMessageBox, QWizard

from brugdesk.ui.main_window import MainWindow
from brugdesk.ui.wizards.referral_wizard import ReferralWizard
from tests.ui.conftest import unlock


def _client_with_partners(qtbot, window: MainWindow) -> int:
    unlock(qtbot, window)
    cl = window.caseload
    cl.settings.update(worker_name="Anouk de Wit", organisation="Welzijn Oost")
    cid = cl.clients.create(
        given_name="Łukasz",
        family_name="Wójcik",
        date_of_birth="1980-02-03",
        address="Geheimstraat 9",
        phone="06-12345678",
    )
    cl.assessments.add(
        cid,
        instrument_id="leefgebieden",
        instrument_version="1",
        items=[
            {"domain": "financien", "score": 2, "priority": True, "signals": ["huurachterstand"]}
        ],
    )
    cl.partners.add(
        organisation="Bibliotheek",
        team="Taalhuis",
        domains=["administratie"],
        verified_on="2026-10-01",
    )
    cl.partners.add(organisation="Schuldhulpverlening", domains=["financien"])
    window.workspace.reload()
    window.workspace.select_client(cid)
    return cid


def test_whole_referral_wizard_with_preview(qtbot, window: MainWindow, tmp_path: Path) -> None:
    cid = _client_with_partners(qtbot, window)
    ws = window.workspace
    ws.dossier.tabs.setCurrentWidget(ws.dossier.referrals)
    ws.dossier.referrals.new_referral.emit()
    wizard = ws.dialogs[-1]
    assert isinstance(wizard, ReferralWizard)
    # 1. Partner: the one serving the client's domains at issue comes first.
    first = wizard.partner.list.item(0).text()
    assert first.startswith("Schuldhulpverlening") and "aanbevolen" in first
    assert "niet gecontroleerd" in first  # never verified
    wizard.next()
    # 2. Share: name and date of birth preselected, the rest off.
    share = wizard.share
    assert [k for k, b in share.fields.items() if b.isChecked()] == ["naam", "geboortedatum"]
    share.reason.setPlainText("Huurachterstand <b>loopt op</b> & aanmaningen")
    share.request.setPlainText("Graag een intake.")
    wizard.next()
    ref_id = wizard.referral_id
    assert window.caseload.referrals.get(ref_id).status == "concept"
    # 3. Consent: none yet; choose to record it now.
    consent = wizard.consent
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    consent.record.setChecked(True)
    wizard.next()
    assert window.caseload.consents.active_for(cid, wizard.partner_id) is not None
    # 4. Preview: the real PDF bytes, rendered page by page.
    qtbot.waitUntil(lambda: bool(wizard.preview.preview.pages), timeout=15000)
    assert wizard.pdf.startswith(b"%PDF") and len(wizard.preview.preview.pages) == 1
    wizard.next()
    # 5. Save, with a password.
    save = wizard.save_page
    target = tmp_path / "brief.pdf"
    save.path.setText(str(target))
    assert save.protect.isChecked() and len(save.password.text()) == 24
    password = save.password.text()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=15000)
    reader = PdfReader(target)
    assert reader.is_encrypted and reader.decrypt(password)
    text = reader.pages[0].extract_text()
    assert "Łukasz Wójcik" in text and "<b>loopt op</b> & aanmaningen" in text
    assert "Geheimstraat" not in text and "06-12345678" not in text
    ref = window.caseload.referrals.get(ref_id)
    assert ref.status == "verstuurd" and len(ref.letter_sha256) == 64
    assert ws.dossier.referrals.model.rowCount() == 1


def test_cancelled_wizard_leaves_no_concept(qtbot, window: MainWindow) -> None:
    cid = _client_with_partners(qtbot, window)
    wizard = window.workspace.start_referral(cid)
    wizard.next()
    wizard.next()
    assert wizard.referral_id is not None
    wizard.reject()
    assert window.caseload.referrals.list(cid) == []


def test_status_history_gp_letter_and_consent_withdrawal(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    cid = _client_with_partners(qtbot, window)
    cl = window.caseload
    pid = cl.partners.list(query="Schuld")[0].id
    cl.consents.record(
        cid, recipient="Schuld", purpose="verwijzing", how="mondeling", partner_id=pid
    )
    rid = cl.referrals.create(cid, pid, feedback_due="2026-01-01")
    cl.referrals.mark_sent(rid, feedback_due="2026-01-01")
    tab = window.workspace.dossier.referrals
    tab.reload()
    assert "over de afgesproken datum" in tab.reminder.text()
    tab.table.selectRow(0)
    tab.change_status()
    dialog = window.workspace.dialogs[-1]
    dialog.status.setCurrentIndex(dialog.status.findData("afgewezen"))
    dialog.submit()
    assert "reden" in dialog.error.text().lower()
    dialog.note.setPlainText("Wachtlijst van drie maanden")
    dialog.submit()
    assert cl.referrals.get(rid).status == "afgewezen"
    tab.table.selectRow(0)
    assert "Wachtlijst van drie maanden" in tab.history.text()

    tab.gp_feedback()
    gp = window.workspace.dialogs[-1]
    gp.path.setText(str(tmp_path / "huisarts.pdf"))
    gp.submit()
    assert "toestemming" in gp.error.text()
    gp.record_consent.setChecked(True)
    gp.submit()
    text = PdfReader(tmp_path / "huisarts.pdf").pages[0].extract_text()
    assert "Schuldhulpverlening: afgewezen" in text

    tab.withdraw_consent()
    assert "ingetrokken" not in tab.consents.text()  # asks first
    tab.confirm.done(QMessageBox.StandardButton.Yes)
    assert "ingetrokken" in tab.consents.text()


def test_referral_tab_is_in_the_dossier(qtbot, window: MainWindow) -> None:
    _client_with_partners(qtbot, window)
    tabs = window.workspace.dossier.tabs
    assert [tabs.tabText(i).replace("&", "") for i in range(tabs.count())] == [
        "Overzicht",
        "Contactmomenten",
        "Plan",
        "Verwijzingen",
    ]
