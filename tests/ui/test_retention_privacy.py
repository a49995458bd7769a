"""Retention and the privacy statement, driven through the window.

Vandaag lists the closed files past the period (Instellingen → Privacy) and opens
the retention dialog; nothing is erased without ticking and confirming; Help →
Privacyverklaring shows the statement and saves it as PDF.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox, QTreeWidgetItem

from brugdesk.domain.retention_rules import add_months
from brugdesk.ui.dialogs.privacy_dialog import PrivacyDialog
from brugdesk.ui.main_window import MainWindow
from tests.ui.conftest import unlock

LONG = 30000


def _closed(window: MainWindow, given: str, family: str, months_ago: int) -> int:
    cl = window.caseload
    cid = cl.clients.create(given_name=given, family_name=family)
    cl.clients.close(cid, reason="klaar", closed_on=add_months(date.today(), -months_ago))
    return cid


def _group(dialog) -> QTreeWidgetItem:
    tree = dialog.tree
    [top] = [
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(0).startswith("Bewaartermijn verlopen")
    ]
    return top


def _click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _answer(qtbot, dialog, text: str) -> None:
    box = dialog.confirm
    assert isinstance(box, QMessageBox) and box.isVisible()
    [button] = [b for b in box.buttons() if b.text() == text]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _ids(window: MainWindow) -> list[int]:
    return sorted(c.id for c in window.caseload.clients.fetch())


def test_vandaag_lists_the_expired_and_the_dialog_erases_only_after_confirming(
    qtbot, window: MainWindow
) -> None:
    unlock(qtbot, window)
    young = _closed(window, "Ada", "Jong", 23)
    old = _closed(window, "Bas", "Oud", 25)
    older = _closed(window, "Dirk", "Ouder", 30)
    today = window.open_today()
    qtbot.waitExposed(today)
    top = _group(today)
    assert top.text(0) == "Bewaartermijn verlopen: afgesloten meer dan 24 maanden geleden (2)"
    rows = [(top.child(i).text(0), top.child(i).text(2)) for i in range(top.childCount())]
    assert rows == [
        ("Dirk Ouder", f"{add_months(date.today(), -30):%d-%m-%Y}"),
        ("Bas Oud", f"{add_months(date.today(), -25):%d-%m-%Y}"),
    ]
    assert "6 maanden over de bewaartermijn" in top.child(0).text(1)

    _click(qtbot, today.retention_button)
    dialog = today.retention_dialog
    qtbot.waitExposed(dialog)
    tree = dialog.tree
    assert [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())] == [
        "Dirk Ouder",
        "Bas Oud",
    ]
    assert tree.topLevelItem(0).text(2) == "6"
    assert dialog.ticked() == [] and not dialog.erase_button.isEnabled()  # none ticked
    _click(qtbot, dialog.all_button)
    assert dialog.ticked() == [older, old]
    _click(qtbot, dialog.none_button)
    assert dialog.ticked() == []
    tree.topLevelItem(1).setCheckState(0, Qt.CheckState.Checked)  # Bas Oud only
    assert dialog.erase_button.text() == "1 dossier verwijderen…"

    # First: the confirmation names the number, and "Niet verwijderen" erases nothing.
    _click(qtbot, dialog.erase_button)
    assert "1 dossier definitief verwijderen?" in dialog.confirm.text()
    _answer(qtbot, dialog, "Niet verwijderen")
    assert _ids(window) == sorted([young, old, older]) and dialog.isVisible()

    # Then: confirmed, on the thread pool, the ticked one only.
    _click(qtbot, dialog.erase_button)
    _answer(qtbot, dialog, "Definitief verwijderen")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=LONG)
    assert _ids(window) == sorted([young, older])
    row = window.caseload.audit.fetch(limit=1)[0]
    assert (row.action, row.client_id, row.details) == ("delete", old, {"reason": "bewaartermijn"})
    assert not today.isVisible()  # its lists were out of date


def test_cancel_erases_nothing_and_without_files_the_button_is_off(
    qtbot, window: MainWindow
) -> None:
    unlock(qtbot, window)
    today = window.open_today()
    assert _group(today).childCount() == 0 and not today.retention_button.isEnabled()
    today.reject()
    old = _closed(window, "Bas", "Oud", 25)
    today = window.open_today()
    _click(qtbot, today.retention_button)
    dialog = today.retention_dialog
    dialog.tree.topLevelItem(0).setCheckState(0, Qt.CheckState.Checked)
    _click(qtbot, dialog.close_button)
    assert not dialog.isVisible() and _ids(window) == [old]
    dialog.ask()  # even asked directly, no confirmation means nothing is erased
    dialog.confirm.reject()
    assert _ids(window) == [old]


def test_the_period_is_set_in_settings_privacy_with_the_check_next_to_the_field(
    qtbot, window: MainWindow
) -> None:
    unlock(qtbot, window)
    young = _closed(window, "Ada", "Jong", 13)
    settings = window.open_settings()
    qtbot.waitExposed(settings)
    privacy = settings.privacy_tab
    assert settings.tabs.tabText(settings.tabs.indexOf(privacy)) == "Privacy"
    assert settings.retention.value() == 24
    save = settings.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    for bad in (0, 241):
        settings.tabs.setCurrentIndex(0)
        settings.retention.setValue(bad)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        assert settings.isVisible() and settings.tabs.currentWidget() is privacy
        assert settings.retention_error.isVisibleTo(settings)
        assert "tussen 1 en 240" in settings.retention_error.text()
        assert window.caseload.settings.get().retention_months == 24
    settings.retention.setValue(12)
    assert not settings.retention_error.isVisibleTo(settings)  # typing clears the message
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert not settings.isVisible()
    assert window.caseload.settings.get().retention_months == 12
    today = window.open_today()
    top = _group(today)
    assert top.text(0) == "Bewaartermijn verlopen: afgesloten meer dan 12 maanden geleden (1)"
    assert top.child(0).data(0, Qt.ItemDataRole.UserRole) == young
    today.close()
    # The shortest period reads as Dutch: "1 maand", never "1 maanden".
    window.caseload.settings.update(retention_months=1)
    today = window.open_today()
    top = _group(today)
    assert top.text(0) == "Bewaartermijn verlopen: afgesloten meer dan 1 maand geleden (1)"
    assert "; 12 maanden over de bewaartermijn" in top.child(0).text(1)


def _pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def test_help_privacy_statement_shows_the_settings_and_saves_the_same_as_pdf(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unlock(qtbot, window)
    window.caseload.settings.update(
        organisation="Welzijn Zeewolde-Noord",
        phone="0612345678",
        email="privacy@welzijn-zwn.nl",
        retention_months=36,
    )
    window.privacy_action.trigger()
    [dialog] = [d for d in window.findChildren(PrivacyDialog) if d.isVisible()]
    qtbot.waitExposed(dialog)
    shown = dialog.text.toPlainText()
    for words in ("Welzijn Zeewolde-Noord", "0612345678", "privacy@welzijn-zwn.nl", "36 maanden"):
        assert words in shown
    for words in ("versleuteld", "toestemming", "Inzage", "Verbetering", "Verwijdering"):
        assert words in shown
    target = tmp_path / "verklaring.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    _click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: target.exists() and "Opgeslagen" in dialog.status.text(), timeout=LONG)
    text = _pdf_text(target)
    for words in ("Welzijn Zeewolde-Noord", "36 maanden", "0612345678", "privacy@welzijn-zwn.nl"):
        assert words in text
    row = window.caseload.audit.fetch(limit=1)[0]
    assert (row.action, row.entity, row.details["file"]) == (
        "export",
        "privacy_statement",
        "verklaring.pdf",
    )
    assert not list(tmp_path.glob(".verklaring.pdf.*"))  # no temp file left
    _click(qtbot, dialog.close_button)
    assert not dialog.isVisible()
