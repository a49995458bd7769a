"""The referral wizard (with its preview), status changes, GP feedback and consent."""

from __future__ import annotations

import hashlib
import io
from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWizard

from brugdesk.documents import letter_pdf
from brugdesk.ui.main_window import MainWindow
from brugdesk.ui.wizards.referral_wizard import ReferralWizard
from tests.ui.conftest import unlock


def _writes(cl) -> int:
    """Audit rows that record a change or a file (a read, NEN 7513, is neither)."""
    return sum(1 for a in cl.audit.fetch(limit=100_000) if a.action != "read")


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
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert window.caseload.referrals.fetch(cid) == []  # no concept row: only choices
    # 3. Consent: none yet; choose to record it now — recorded only on save.
    consent = wizard.consent
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    consent.record.setChecked(True)
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert window.caseload.consents.fetch(cid) == []
    # 4. Preview: the real PDF bytes, protected by default, rendered page by page.
    preview = wizard.preview
    qtbot.waitUntil(preview.is_current, timeout=15000)
    assert preview.protect.isChecked() and len(preview.password.text()) == 24
    password = preview.password.text()
    shown = preview.shown_pdf
    assert shown.startswith(b"%PDF") and len(preview.preview.pages) == 1
    assert PdfReader(io.BytesIO(shown)).is_encrypted
    wizard.button(QWizard.WizardButton.NextButton).click()
    # 5. Save: exactly the bytes the preview rendered.
    save = wizard.save_page
    target = tmp_path / "brief.pdf"
    save.path.setText(str(target))
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=15000)
    assert target.read_bytes() == shown
    reader = PdfReader(target)
    assert reader.is_encrypted and reader.decrypt(password)
    text = reader.pages[0].extract_text()
    assert "Łukasz Wójcik" in text and "<b>loopt op</b> & aanmaningen" in text
    assert "heeft toestemming gegeven" in text
    assert "Geheimstraat" not in text and "06-12345678" not in text
    (ref,) = window.caseload.referrals.fetch(cid)
    assert ref.status == "verstuurd" and ref.letter_sha256 == hashlib.sha256(shown).hexdigest()
    (given,) = window.caseload.consents.fetch(cid)
    assert ref.consent_id == given.id and given.how == "mondeling"
    assert wizard.export_result.path == target and wizard.export_result.referral_id == ref.id
    ws.dossier.referrals.reload()
    assert ws.dossier.referrals.model.rowCount() == 1


def test_preview_is_rendered_once_per_set_of_choices(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    cid = _client_with_partners(qtbot, window)
    real, calls = letter_pdf.render, []
    monkeypatch.setattr(letter_pdf, "render", lambda letter: calls.append(1) or real(letter))
    wizard = window.workspace.start_referral(cid)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    next_button.click()
    next_button.click()
    wizard.consent.override.setChecked(True)
    wizard.consent.override_reason.setText("Acute huisuitzetting")
    next_button.click()
    preview = wizard.preview
    qtbot.waitUntil(preview.is_current, timeout=15000)
    first = preview.shown_pdf
    assert len(calls) == 1
    # Back to the consent page and forward again with the same choices: no new render.
    wizard.button(QWizard.WizardButton.BackButton).click()
    next_button.click()
    assert preview.is_current() and preview.shown_pdf is first and len(calls) == 1
    # Switching the password off is a new choice: a new render, an unprotected letter.
    preview.protect.click()
    qtbot.waitUntil(lambda: preview.is_current() and preview.shown_pdf is not first, timeout=15000)
    assert len(calls) == 2 and not PdfReader(io.BytesIO(preview.shown_pdf)).is_encrypted
    shown = preview.shown_pdf
    next_button.click()
    wizard.save_page.path.setText(str(tmp_path / "brief.pdf"))
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=15000)
    assert (tmp_path / "brief.pdf").read_bytes() == shown and len(calls) == 2
    text = PdfReader(tmp_path / "brief.pdf").pages[0].extract_text()
    assert "Acute huisuitzetting" in text
    assert window.caseload.consents.fetch(cid) == []
    assert window.caseload.referrals.fetch(cid)[0].consent_override_reason == "Acute huisuitzetting"


def test_a_failed_save_shows_dutch_and_keeps_the_wizard_open(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    cid = _client_with_partners(qtbot, window)
    wizard = window.workspace.start_referral(cid)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    next_button.click()
    next_button.click()
    wizard.consent.record.setChecked(True)
    next_button.click()
    qtbot.waitUntil(wizard.preview.is_current, timeout=15000)
    next_button.click()
    wizard.save_page.path.setText(str(tmp_path / "bestaat-niet" / "brief.pdf"))
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: "bestaat niet" in wizard.save_page.error.text(), timeout=15000)
    assert wizard.isVisible()
    assert window.caseload.referrals.fetch(cid) == [] and window.caseload.consents.fetch(cid) == []
    wizard.save_page.path.setText(str(tmp_path / "brief.pdf"))
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=15000)
    assert (tmp_path / "brief.pdf").read_bytes() == wizard.preview.shown_pdf
    assert len(window.caseload.consents.fetch(cid)) == 1


def test_cancel_after_the_consent_page_writes_nothing(qtbot, window: MainWindow) -> None:
    cid = _client_with_partners(qtbot, window)
    before = _writes(window.caseload)
    wizard = window.workspace.start_referral(cid)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    next_button.click()
    next_button.click()
    wizard.consent.record.setChecked(True)
    next_button.click()  # past the consent page: consent chosen, not recorded
    qtbot.waitUntil(wizard.preview.is_current, timeout=15000)
    wizard.button(QWizard.WizardButton.CancelButton).click()
    wizard.discard_question.discard_button.click()  # "Wijzigingen weggooien?"
    assert not wizard.isVisible()
    assert window.caseload.consents.fetch(cid) == []
    assert window.caseload.referrals.fetch(cid) == []
    assert _writes(window.caseload) == before


def test_status_history_gp_letter_and_consent_withdrawal(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    cid = _client_with_partners(qtbot, window)
    cl = window.caseload
    pid = cl.partners.fetch(query="Schuld")[0].id
    cl.consents.record(
        cid, recipient="Schuld", purpose="verwijzing", how="mondeling", partner_id=pid
    )
    overdue = (date.today() - timedelta(days=30)).isoformat()
    rid = cl.referrals.create(cid, pid, feedback_due=overdue)
    cl.referrals.mark_sent(rid, feedback_due=overdue)
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
    assert not (tmp_path / "huisarts.pdf").exists()
    assert [c.purpose for c in cl.consents.fetch(cid)] == ["verwijzing"]
    gp.record_consent.setChecked(True)
    gp.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert not gp.isVisible()
    saved = (tmp_path / "huisarts.pdf").read_bytes()
    assert saved == gp.draft.pdf  # the bytes the draft rendered, written once
    reader = PdfReader(tmp_path / "huisarts.pdf")
    assert reader.is_encrypted and reader.decrypt(gp.password.text())  # protected by default
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Schuldhulpverlening: afgewezen" in text
    assert [c.purpose for c in cl.consents.fetch(cid)][-1] == "terugkoppeling aan de huisarts"
    assert gp.export_result.sha256 == hashlib.sha256(saved).hexdigest()

    panel = tab.consents
    panel.table.selectRow(0)
    panel.withdraw_button.click()
    assert cl.consents.fetch(cid)[0].active  # asks first
    panel.confirm.done(QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: panel.model.index(0, 4).data() != "", timeout=5000)
    assert not cl.consents.fetch(cid)[0].active


def test_referral_tab_is_in_the_dossier(qtbot, window: MainWindow) -> None:
    _client_with_partners(qtbot, window)
    tabs = window.workspace.dossier.tabs
    assert [tabs.tabText(i).replace("&", "") for i in range(tabs.count())] == [
        "Overzicht",
        "Contactmomenten",
        "Plan",
        "Verwijzingen",
    ]


def test_gp_dialog_cancelled_after_ticking_consent_writes_nothing(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    cid = _client_with_partners(qtbot, window)
    cl = window.caseload
    before = _writes(cl)
    tab = window.workspace.dossier.referrals
    tab.gp_feedback()
    gp = window.workspace.dialogs[-1]
    gp.path.setText(str(tmp_path / "huisarts.pdf"))
    gp.record_consent.setChecked(True)
    gp.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    gp.discard_question.discard_button.click()  # "Wijzigingen weggooien?"
    assert not gp.isVisible()
    assert cl.consents.fetch(cid) == [] and not (tmp_path / "huisarts.pdf").exists()
    assert _writes(cl) == before
