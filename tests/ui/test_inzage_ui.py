"""Cliënt → Inzage en afschrift…: the preview shows the saved bytes; files and rows land."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog, QMessageBox

from brugdesk.ui.dialogs.inzage_dialog import InzageDialog
from tests.ui.conftest import unlock


def _client(window, qtbot, name: str = "Zwaluwstaart") -> int:
    cl = window.caseload
    cid = cl.clients.create(given_name="Fatma", family_name=name, city="Zwolle")
    cl.contacts.add(
        cid, occurred_at=datetime.now() - timedelta(days=1), kind="huisbezoek", note="Kraanwater"
    )
    qtbot.waitUntil(lambda: window.workspace.select_client(cid), timeout=5000)
    qtbot.waitUntil(lambda: window.workspace.current_client_id == cid, timeout=5000)
    return cid


def _open(window) -> InzageDialog:
    window.inzage_action.trigger()
    dialog = next(d for d in window.workspace.dialogs if isinstance(d, InzageDialog))
    return dialog


def _text(data: bytes, password: str | None) -> str:
    reader = PdfReader(io.BytesIO(data))
    if password:
        assert reader.decrypt(password)
    return " ".join(p.extract_text() for p in reader.pages)


def test_preview_then_save_pdf_and_json(window, qtbot, tmp_path: Path, monkeypatch) -> None:
    unlock(qtbot, window)
    cid = _client(window, qtbot)
    other = window.caseload.clients.create(given_name="Bram", family_name="Anderman")
    dialog = _open(window)
    # Protected by default; the preview shows the pages of exactly those bytes.
    assert dialog.protect.isChecked() and dialog.password.isVisible()
    assert dialog.preview.pages and dialog.shown_pdf is not None
    assert not dialog.meldcode.isVisible()  # no meldcode steps for this client
    dialog.with_json.click()
    assert dialog.with_json.isChecked()
    answers = iter([str(tmp_path / "inzage.pdf"), str(tmp_path / "inzage.json")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (next(answers), ""))
    shown = dialog.shown_pdf
    password = dialog.password.text()
    dialog.save_button.click()
    assert (tmp_path / "inzage.pdf").read_bytes() == shown
    text = _text(shown, password)
    assert "Zwaluwstaart" in text and "Kraanwater" in text and "Anderman" not in text
    data = json.loads((tmp_path / "inzage.json").read_text("utf-8"))
    assert data["client"]["family_name"] == "Zwaluwstaart"
    assert other not in [e.client_id for e in window.caseload.audit.fetch() if e.entity == "inzage"]
    rows = [e for e in window.caseload.audit.fetch(client_id=cid) if e.entity == "inzage"]
    assert sorted(e.details["kind"] for e in rows) == ["json", "pdf"]
    # The status bar and the dialog say where the files went; the password stays visible.
    assert str(tmp_path / "inzage.pdf") in window.statusBar().currentMessage()
    assert str(tmp_path / "inzage.json") in dialog.done_label.text()
    assert dialog.isVisible() and dialog.password.isVisible()


def test_without_password_and_cancelled_choice(window, qtbot, tmp_path: Path, monkeypatch) -> None:
    unlock(qtbot, window)
    cid = _client(window, qtbot)
    dialog = _open(window)
    dialog.protect.click()
    assert not dialog.protect.isChecked() and not dialog.password.isVisible()
    assert not PdfReader(io.BytesIO(dialog.shown_pdf)).is_encrypted
    # Cancelling the file choice writes nothing.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    dialog.save_button.click()
    assert not [e for e in window.caseload.audit.fetch(client_id=cid) if e.entity == "inzage"]
    # A folder that does not exist: a Dutch message, no file, no row.
    bad = tmp_path / "nergens" / "inzage.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(bad), ""))
    dialog.save_button.click()
    assert dialog.error.text() and not bad.exists()
    assert not [e for e in window.caseload.audit.fetch(client_id=cid) if e.entity == "inzage"]
    target = tmp_path / "open.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.save_button.click()
    assert target.read_bytes() == dialog.shown_pdf
    assert "Zwaluwstaart" in _text(target.read_bytes(), None)
    closers = [b for b in dialog.findChildren(type(dialog.save_button)) if b.text() == "Sluiten"]
    closers[0].click()
    assert not dialog.isVisible()


def test_lock_closes_the_dialog(window, qtbot) -> None:
    unlock(qtbot, window)
    _client(window, qtbot)
    dialog = _open(window)
    assert dialog.isVisible()
    window.lock_action.trigger()
    qtbot.waitUntil(lambda: window.workspace is None, timeout=5000)
    assert not dialog.isVisible()


def test_no_client_chosen_says_so(window, qtbot) -> None:
    unlock(qtbot, window)
    assert window.workspace.current_client_id is None
    assert window.open_inzage() is None
    assert "Kies eerst een cliënt" in window.statusBar().currentMessage()


def test_meldcode_needs_the_warning(window, qtbot, monkeypatch) -> None:
    unlock(qtbot, window)
    cid = _client(window, qtbot)
    window.caseload.meldcode.add(
        cid, step=1, held_on=date.today(), consulted="", facts="Gezien", interpretations=""
    )
    dialog = _open(window)
    assert dialog.meldcode.isVisible()
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.No)
    dialog.meldcode.click()
    assert not dialog.meldcode.isChecked() and not dialog.draft.choices.include_meldcode
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Yes)
    dialog.meldcode.click()
    assert dialog.meldcode.isChecked() and dialog.draft.choices.include_meldcode
