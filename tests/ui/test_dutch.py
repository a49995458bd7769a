"""Dutch everywhere: Qt's own strings and locale, and the first-run passphrase verdict."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QApplication, QDateEdit, QLineEdit, QMessageBox, QWizard

from brugdesk.ui import app as brugdesk_app
from brugdesk.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
MENU = ["Ongedaan maken", "Knippen", "Kopiëren", "Plakken", "Alles selecteren"]


def _menu_texts(field: QLineEdit) -> list[str]:
    menu = field.createStandardContextMenu()
    texts = [a.text().split("\t")[0].replace("&", "") for a in menu.actions() if a.text()]
    menu.deleteLater()
    return texts


@pytest.fixture
def dutch(qapp: QApplication):
    """Install Qt's Dutch as the app does at start; undo it for the other tests."""
    before = QLocale()
    translator = brugdesk_app.install_dutch(qapp)
    assert translator is not None, "PySide6 ships qtbase_nl.qm"
    yield translator
    qapp.removeTranslator(translator)
    QLocale.setDefault(before)


def test_app_start_makes_qt_dutch(tmp_path: Path) -> None:
    """The real main(): afterwards Qt's own strings are Dutch whatever LANG says."""
    probe = (
        "import json, sys\n"
        "from brugdesk.ui import app\n"
        f"code = app.main(['--data-dir', {str(tmp_path / 'leeg')!r}])\n"
        "from PySide6.QtCore import QLocale\n"
        "from PySide6.QtWidgets import QDateEdit, QLineEdit, QMessageBox, QWizard\n"
        "field = QLineEdit(); menu = field.createStandardContextMenu()\n"
        "box = QMessageBox(); box.setStandardButtons(QMessageBox.StandardButton.Cancel)\n"
        "wizard = QWizard()\n"
        "print(json.dumps({'code': code,\n"
        "  'menu': [a.text().split('\\t')[0].replace('&', '') for a in menu.actions()],\n"
        "  'cancel': box.button(QMessageBox.StandardButton.Cancel).text(),\n"
        "  'next': wizard.buttonText(QWizard.WizardButton.NextButton),\n"
        "  'locale': QDateEdit().locale().name()}))\n"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",  # an English system locale
        "LC_ALL": "C.UTF-8",
        "LANGUAGE": "en",
        "BRUGDESK_LOG_DIR": str(tmp_path / "logs"),
        "BRUGDESK_STARTUP_PROBE": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["code"] == 0
    assert all(text in report["menu"] for text in MENU), report["menu"]
    assert report["cancel"] == "Annuleren"
    assert "Volgende" in report["next"]
    assert report["locale"] == "nl_NL"


def test_qt_standard_strings_are_dutch(dutch, qtbot) -> None:
    field = QLineEdit("tekst")
    qtbot.addWidget(field)
    texts = _menu_texts(field)
    for text in MENU:
        assert text in texts, texts
    box = QMessageBox()
    qtbot.addWidget(box)
    box.setStandardButtons(
        QMessageBox.StandardButton.Cancel
        | QMessageBox.StandardButton.Yes
        | QMessageBox.StandardButton.No
        | QMessageBox.StandardButton.Save
    )
    assert box.button(QMessageBox.StandardButton.Cancel).text() == "Annuleren"
    assert box.button(QMessageBox.StandardButton.Yes).text().replace("&", "") == "Ja"
    assert box.button(QMessageBox.StandardButton.No).text().replace("&", "") == "Nee"
    assert box.button(QMessageBox.StandardButton.Save).text().replace("&", "") == "Opslaan"
    wizard = QWizard()
    qtbot.addWidget(wizard)
    buttons = {
        b: wizard.buttonText(b).replace("&", "")
        for b in (
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.CancelButton,
            QWizard.WizardButton.FinishButton,
        )
    }
    assert "Volgende" in buttons[QWizard.WizardButton.NextButton], buttons
    assert buttons[QWizard.WizardButton.CancelButton] == "Annuleren", buttons
    assert "Next" not in " ".join(buttons.values())


def test_dates_and_calendar_are_dutch(dutch, qtbot) -> None:
    edit = QDateEdit(QDate(2026, 3, 9))
    edit.setCalendarPopup(True)
    qtbot.addWidget(edit)
    assert edit.locale().language() == QLocale.Language.Dutch
    assert edit.locale().territory() == QLocale.Country.Netherlands
    assert edit.calendarWidget().locale().name() == "nl_NL"
    assert edit.locale().monthName(3) == "maart"
    assert edit.locale().dayName(1) == "maandag"
    assert QLocale().toString(1234.5, "f", 1) == "1.234,5"


def test_missing_translation_is_logged_and_the_app_goes_on(
    qapp: QApplication, tmp_path: Path, caplog: pytest.LogCaptureFixture, qtbot
) -> None:
    before = QLocale()
    with caplog.at_level(logging.WARNING, logger="brugdesk.ui.app"):
        assert brugdesk_app.install_dutch(qapp, str(tmp_path)) is None  # a trimmed install
    try:
        assert any("qtbase_nl.qm" in r.getMessage() for r in caplog.records)
        assert QLocale().language() == QLocale.Language.Dutch  # dates are Dutch all the same
        field = QLineEdit()
        qtbot.addWidget(field)
        assert _menu_texts(field)  # the menu still works, in Qt's own words
    finally:
        QLocale.setDefault(before)


def test_first_run_passphrase_verdict_is_dutch_and_blocks_weak(qtbot, tmp_path: Path) -> None:
    win = MainWindow(tmp_path / "nieuw")
    qtbot.addWidget(win)
    win.show()
    wizard = win.wizard
    assert wizard is not None
    wizard.next()
    page = wizard.passphrase_page
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    for weak in ("aaaaaaaaaaaa", "wachtwoord12", "Welkom01Welkom01", "qwertyuiop123456"):
        page.first.clear()
        page.second.clear()
        qtbot.keyClicks(page.first, weak)
        qtbot.keyClicks(page.second, weak)
        assert page.meter.format() == "te zwak"
        assert "te zwak" in page.feedback.text() and "vier of meer" in page.feedback.text()
        assert not page.isComplete() and not commit.isEnabled(), weak
    assert "Herhaalde tekens" not in page.feedback.text()  # the last one's own reason
    page.first.clear()
    page.second.clear()
    qtbot.keyClicks(page.first, "aaaaaaaaaaaa")
    assert "Herhaalde tekens" in page.feedback.text()
    page.first.clear()
    qtbot.keyClicks(page.first, "kaars fiets molen regen")
    qtbot.keyClicks(page.second, "kaars fiets molen regen")
    assert page.meter.format() in ("sterk", "heel sterk")
    assert "te zwak" not in page.feedback.text()
    assert page.isComplete() and commit.isEnabled()
