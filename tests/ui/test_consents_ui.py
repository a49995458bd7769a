"""Consent in the window: the list and its withdrawal, the GP dialog, sharing the minimum.

The real main window on a real vault; letters read back with pypdf.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWizard

from brugdesk.app.caseload import Caseload
from brugdesk.app.gp_letter import GP_PURPOSE
from brugdesk.app.referral_letter import REFERRAL_PURPOSE
from brugdesk.ui.main_window import MainWindow
from brugdesk.ui.wizards.referral_wizard import ReferralWizard
from tests.conftest import PASSPHRASE
from tests.ui.conftest import unlock


def _writes(cl) -> int:
    """Audit rows that record a change or a file (a read, NEN 7513, is neither)."""
    return sum(1 for a in cl.audit.fetch(limit=100_000) if a.action != "read")


def _client(qtbot, window: MainWindow) -> tuple[int, int, int]:
    """A client whose last conversation flags debts and loneliness; two partners."""
    unlock(qtbot, window)
    cl = window.caseload
    cl.settings.update(worker_name="Anouk de Wit", organisation="Welzijn Oost")
    cid = cl.clients.create(
        given_name="Gerda",
        family_name="Smit",
        date_of_birth="1951-03-12",
        referrer_id=cl.referrers.add(name="Huisartsenpraktijk De Linde"),
    )
    cl.assessments.add(
        cid,
        instrument_id="leefgebieden",
        instrument_version="1",
        items=[
            {
                "domain": "financien",
                "score": 1,
                "priority": True,
                "signals": ["huurachterstand", "aanmaningen-deurwaarder"],
            },
            {"domain": "netwerk", "score": 2, "signals": ["weinig-contacten"]},
        ],
    )
    centre = cl.partners.add(organisation="Buurtcentrum De Kroon", domains=["netwerk"])
    debts = cl.partners.add(organisation="Schuldhulpverlening", domains=["financien"])
    window.workspace.reload()
    window.workspace.select_client(cid)
    return cid, centre, debts


def _pick_partner(wizard: ReferralWizard, partner_id: int) -> None:
    lst = wizard.partner.list
    row = next(
        i for i in range(lst.count()) if lst.item(i).data(Qt.ItemDataRole.UserRole) == partner_id
    )
    lst.setCurrentRow(row)


def _ticked(wizard: ReferralWizard) -> list[str]:
    d = wizard.share.domains
    return [
        d.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(d.count())
        if d.item(i).checkState() == Qt.CheckState.Checked
    ]


def _letter_text(path: Path, password: str) -> str:
    reader = PdfReader(path)
    assert reader.is_encrypted and reader.decrypt(password)
    return "\n".join(p.extract_text() for p in reader.pages)


def _through_the_wizard(qtbot, wizard: ReferralWizard, target: Path) -> str:
    """From the share page on: consent now, the protected preview, save. The password."""
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    wizard.share.reason.setPlainText("Wil graag meer mensen ontmoeten.")
    next_button.click()
    if wizard.consent.record.isVisible():
        wizard.consent.record.setChecked(True)
    next_button.click()
    qtbot.waitUntil(wizard.preview.is_current, timeout=15000)
    assert wizard.preview.protect.isChecked()
    password = wizard.preview.password.text()
    next_button.click()
    wizard.save_page.path.setText(str(target))
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=15000)
    return password


# --- share the minimum -----------------------------------------------------------------


def test_only_the_partners_domain_is_preticked_and_no_debts_leave(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    cid, centre, debts = _client(qtbot, window)
    wizard = window.workspace.start_referral(cid)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    _pick_partner(wizard, centre)
    next_button.click()
    assert _ticked(wizard) == ["netwerk"]  # not the debts of the last conversation
    # Another partner: its own domain at issue, nothing else.
    wizard.button(QWizard.WizardButton.BackButton).click()
    _pick_partner(wizard, debts)
    next_button.click()
    assert _ticked(wizard) == ["financien"]
    # Back to the centre; going back and forth keeps the worker's own ticks.
    wizard.button(QWizard.WizardButton.BackButton).click()
    _pick_partner(wizard, centre)
    next_button.click()
    assert _ticked(wizard) == ["netwerk"]
    target = tmp_path / "buurtcentrum.pdf"
    password = _through_the_wizard(qtbot, wizard, target)
    text = _letter_text(target, password)
    assert "Sociaal netwerk" in text and "weinig contacten" in text
    for debt in ("Geld en schulden", "huurachterstand", "deurwaarder"):
        assert debt.casefold() not in text.casefold()
    (ref,) = window.caseload.referrals.fetch(cid)
    assert list(ref.shared_domains) == ["netwerk"]


def test_ticking_debts_by_hand_does_share_them(qtbot, window: MainWindow, tmp_path: Path) -> None:
    cid, centre, _debts = _client(qtbot, window)
    wizard = window.workspace.start_referral(cid)
    _pick_partner(wizard, centre)
    wizard.button(QWizard.WizardButton.NextButton).click()
    d = wizard.share.domains
    (debts_item,) = [
        d.item(i)
        for i in range(d.count())
        if d.item(i).data(Qt.ItemDataRole.UserRole) == "financien"
    ]
    assert "(speelt)" in debts_item.text()
    debts_item.setCheckState(Qt.CheckState.Checked)
    target = tmp_path / "buurtcentrum.pdf"
    password = _through_the_wizard(qtbot, wizard, target)
    text = _letter_text(target, password)
    assert "Geld en schulden" in text and "huurachterstand" in text
    assert sorted(window.caseload.referrals.fetch(cid)[0].shared_domains) == [
        "financien",
        "netwerk",
    ]


# --- consent only when it really happened ------------------------------------------------


def test_closing_the_app_mid_way_stores_no_consent(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    cid, centre, _debts = _client(qtbot, window)
    ws = window.workspace
    before = _writes(window.caseload)
    wizard = ws.start_referral(cid)
    _pick_partner(wizard, centre)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    next_button.click()
    next_button.click()
    wizard.consent.record.setChecked(True)
    next_button.click()  # consent chosen in the wizard
    ws.dossier.referrals.gp_feedback()
    gp = ws.dialogs[-1]
    gp.record_consent.setChecked(True)  # and in the GP dialog
    gp.path.setText(str(tmp_path / "huisarts.pdf"))
    caseload = window.caseload
    window.close()  # the app is closed with both open
    qtbot.waitUntil(lambda: window.locking is None, timeout=15000)
    fresh = Caseload.open(caseload.vault.data_dir, PASSPHRASE)
    try:
        assert fresh.consents.fetch(cid) == [] and fresh.referrals.fetch(cid) == []
        assert _writes(fresh) == before
    finally:
        fresh.lock()
    assert not (tmp_path / "huisarts.pdf").exists()


def test_gp_dialog_protects_by_default_and_states_its_basis(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    cid, centre, debts = _client(qtbot, window)
    cl = window.caseload
    # A consent for a referral is no basis for GP feedback.
    cl.consents.record(
        cid, recipient="Schuldhulpverlening", purpose=REFERRAL_PURPOSE, how="mondeling",
        partner_id=debts,
    )  # fmt: skip
    sent = cl.referrals.create(cid, debts)
    cl.referrals.mark_sent(sent)
    cl.referrals.create(cid, centre)  # a concept: not in the letter
    tab = window.workspace.dossier.referrals
    window.workspace.dossier.tabs.setCurrentWidget(tab)
    tab.gp_feedback()
    gp = window.workspace.dialogs[-1]
    assert "nog geen toestemming" in gp.basis.text()
    assert gp.protect.isChecked() and gp.password.isVisible()
    password = gp.password.text()
    assert len(password) == 24 and gp.reminder.isVisible()
    gp.path.setText(str(tmp_path / "huisarts.pdf"))
    gp.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "toestemming" in gp.error.text() and not (tmp_path / "huisarts.pdf").exists()
    gp.record_consent.setChecked(True)
    gp.how.setCurrentIndex(gp.how.findData("schriftelijk"))
    gp.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert not gp.isVisible()
    text = _letter_text(tmp_path / "huisarts.pdf", password)
    assert "Schuldhulpverlening: verstuurd" in text and "Buurtcentrum" not in text
    assert "De cliënt heeft toestemming gegeven" in text and "schriftelijk" in text
    assert "vastgelegd door Anouk de Wit" in text
    gp_consent = [c for c in cl.consents.fetch(cid) if c.purpose == GP_PURPOSE]
    assert [c.how for c in gp_consent] == ["schriftelijk"]
    # A second letter: the consent on record is the basis, shown before saving.
    tab.gp_feedback()
    again = window.workspace.dialogs[-1]
    assert "gegeven op" in again.basis.text() and "schriftelijk" in again.basis.text()
    assert not again.record_consent.isVisible()
    again.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()


# --- the list of consents and withdrawing one ------------------------------------------


def test_consent_list_withdraw_the_chosen_one(qtbot, window: MainWindow) -> None:
    cid, centre, _debts = _client(qtbot, window)
    cl = window.caseload
    tab = window.workspace.dossier.referrals
    window.workspace.dossier.tabs.setCurrentWidget(tab)
    panel = tab.consents
    assert panel.empty.isVisible() and not panel.table.isVisible()
    cl.consents.record(
        cid, recipient="Buurtcentrum De Kroon", purpose=REFERRAL_PURPOSE, how="mondeling",
        partner_id=centre, given_at=datetime(2026, 1, 5, 9, 0),
    )  # fmt: skip
    cl.consents.record(
        cid, recipient="huisarts", purpose=GP_PURPOSE, how="schriftelijk",
        given_at=datetime(2026, 2, 6, 9, 0),
    )  # fmt: skip
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=5000)
    assert panel.table.isVisible() and not panel.empty.isVisible()
    assert [panel.model.headerData(i, Qt.Orientation.Horizontal, 0) for i in range(5)] == [
        "Ontvanger", "Doel", "Gegeven op", "Hoe", "Ingetrokken op",
    ]  # fmt: skip
    assert "Buurtcentrum De Kroon · verwijzing · 05-01-2026 · mondeling · " in panel.text()
    # Nothing chosen: a Dutch hint, nothing withdrawn.
    panel.withdraw_button.click()
    assert "Kies eerst" in panel.error.text() and panel.confirm is None
    # Choose the older one (not the newest), then think better of it.
    panel.table.selectRow(0)
    panel.withdraw_button.click()
    assert "Buurtcentrum De Kroon" in panel.confirm.text()
    panel.confirm.button(QMessageBox.StandardButton.No).click()
    assert all(c.active for c in cl.consents.fetch(cid))
    # Now withdraw it for real.
    audit_before = len(cl.audit.fetch(client_id=cid, limit=100_000))
    panel.table.selectRow(0)
    panel.withdraw_button.click()
    panel.confirm.button(QMessageBox.StandardButton.Yes).click()
    withdrawn, still = cl.consents.fetch(cid)
    assert withdrawn.recipient == "Buurtcentrum De Kroon" and not withdrawn.active
    assert still.active  # the GP consent was not chosen, so it stays
    rows = cl.audit.fetch(client_id=cid, limit=100_000)
    assert len(rows) == audit_before + 1
    assert any(a.action == "change" and a.entity == "consent" for a in rows)
    today = f"{datetime.now():%d-%m-%Y}"
    qtbot.waitUntil(lambda: panel.model.index(0, 4).data() == today, timeout=5000)
    assert panel.model.index(1, 4).data() == ""
    # Withdrawing it twice: told so, not asked.
    panel.table.selectRow(0)
    panel.withdraw_button.click()
    assert "al ingetrokken" in panel.error.text() and panel.confirm is None
    # The wizard no longer offers the withdrawn consent as a basis.
    wizard = window.workspace.start_referral(cid)
    _pick_partner(wizard, centre)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    next_button.click()
    next_button.click()
    assert "nog geen toestemming" in wizard.consent.status.text()
    assert not next_button.isEnabled()
    wizard.button(QWizard.WizardButton.CancelButton).click()


def test_wizard_offers_only_a_consent_for_this_partner_and_purpose(
    qtbot, window: MainWindow
) -> None:
    cid, centre, debts = _client(qtbot, window)
    cl = window.caseload
    cl.consents.record(cid, recipient="huisarts", purpose=GP_PURPOSE, how="mondeling")
    cl.consents.record(
        cid, recipient="Schuldhulpverlening", purpose=REFERRAL_PURPOSE, how="schriftelijk",
        partner_id=debts,
    )  # fmt: skip
    wizard = window.workspace.start_referral(cid)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    _pick_partner(wizard, centre)
    next_button.click()
    next_button.click()
    assert "nog geen toestemming" in wizard.consent.status.text()
    assert wizard.consent.record.isVisible() and not next_button.isEnabled()
    wizard.button(QWizard.WizardButton.BackButton).click()
    wizard.button(QWizard.WizardButton.BackButton).click()
    _pick_partner(wizard, debts)
    next_button.click()
    next_button.click()
    status = wizard.consent.status.text()
    assert "verwijzing naar Schuldhulpverlening" in status and "schriftelijk" in status
    assert next_button.isEnabled() and not wizard.consent.record.isVisible()
    wizard.button(QWizard.WizardButton.CancelButton).click()
