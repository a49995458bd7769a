"""The referral wizard and the GP dialog name the characters a letter cannot print."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox, QWizard

from brugdesk.ui.main_window import MainWindow
from tests.ui.conftest import type_text, unlock


def _client(qtbot, window: MainWindow, given: str, family: str) -> int:
    unlock(qtbot, window)
    cl = window.caseload
    cl.settings.update(worker_name="Anouk de Wit", organisation="Welzijn Oost")
    cl.partners.add(organisation="Schuldhulp", domains=["financien"])
    return cl.clients.create(given_name=given, family_name=family, date_of_birth="1980-02-03")


def _to_preview(qtbot, window: MainWindow, cid: int):
    wizard = window.workspace.start_referral(cid)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    next_button.click()
    wizard.share.reason.setPlainText("Huurachterstand")
    next_button.click()
    wizard.consent.record.setChecked(True)
    next_button.click()
    qtbot.waitUntil(wizard.preview.is_current, timeout=15000)
    return wizard


def test_the_wizard_names_characters_the_letter_cannot_print(qtbot, window: MainWindow) -> None:
    cid = _client(qtbot, window, "小明", "王")
    wizard = _to_preview(qtbot, window, cid)
    warning = wizard.preview.glyph_warning
    assert warning.isVisibleTo(wizard)
    for ch in "王小明":
        assert ch in warning.text()
    assert "'Over de cliënt'" in warning.text() and "Latijnse letters" in warning.text()


def test_the_wizard_shows_no_warning_for_turkish_names(qtbot, window: MainWindow) -> None:
    cid = _client(qtbot, window, "Şükrü", "Yılmaz")
    wizard = _to_preview(qtbot, window, cid)
    assert not wizard.preview.glyph_warning.isVisibleTo(wizard)
    assert wizard.preview.glyph_warning.text() == ""


def test_the_gp_dialog_warns_while_typing_before_saving(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    cid = _client(qtbot, window, "Sanne", "de Vries")
    window.workspace.select_client(cid)
    tab = window.workspace.dossier.referrals
    tab.gp_feedback()
    gp = window.workspace.dialogs[-1]
    assert not gp.glyph_warning.isVisibleTo(gp)
    type_text(qtbot, gp.next_steps, "Samen naar het loket 🫶")
    assert gp.glyph_warning.isVisibleTo(gp)
    assert "🫶" in gp.glyph_warning.text() and "'Vervolg'" in gp.glyph_warning.text()
    gp.next_steps.setPlainText("Samen naar het loket")
    assert not gp.glyph_warning.isVisibleTo(gp)
    # The warning does not block: after changing the text the letter is saved as shown.
    gp.record_consent.setChecked(True)
    gp.path.setText(str(tmp_path / "huisarts.pdf"))
    gp.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert (tmp_path / "huisarts.pdf").exists()
