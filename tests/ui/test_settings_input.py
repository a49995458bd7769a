"""Settings refuse a bad logo and a footer that would be cut, at once, next to the field."""

from __future__ import annotations

from pathlib import Path

from PIL import Image as PilImage
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QPushButton

from brugdesk.ui.main_window import MainWindow
from tests.ui.conftest import unlock


def _button(parent, text: str) -> QPushButton:
    return next(b for b in parent.findChildren(QPushButton) if b.text() == text)


def test_bad_logos_are_refused_and_the_old_one_kept(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    unlock(qtbot, window)
    good = tmp_path / "goed.png"
    PilImage.new("RGB", (120, 40), (30, 90, 160)).save(good)
    window.caseload.settings.update(logo_path=str(good))
    text = tmp_path / "tekst.png"
    text.write_text("dit is geen afbeelding", encoding="utf-8")
    cut = tmp_path / "afgekapt.png"
    cut.write_bytes(good.read_bytes()[:-30])
    huge = tmp_path / "reus.png"
    PilImage.new("1", (9000, 6000)).save(huge)
    settings = window.open_settings()
    chosen = {"path": ""}
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (chosen["path"], ""))
    for bad, words in ((text, "geen leesbare"), (cut, "geen leesbare"), (huge, "te groot")):
        chosen["path"] = str(bad)
        qtbot.mouseClick(_button(settings, "Kiezen…"), Qt.MouseButton.LeftButton)
        assert settings.logo.text() == str(good)  # the old logo is kept
        assert settings.logo_error.isVisibleTo(settings)
        assert bad.name in settings.logo_error.text() and words in settings.logo_error.text()
    save = settings.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert not settings.isVisible()
    assert window.caseload.settings.get().logo_path == str(good)


def test_a_footer_that_would_be_cut_is_refused(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    settings = window.open_settings()
    settings.footer.setFocus()
    qtbot.keyClicks(settings.footer, "Welzijn Oost, Postbus 12, Zwolle. " * 20)
    save = settings.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert settings.isVisible() and settings.footer_error.isVisibleTo(settings)
    assert "past niet" in settings.footer_error.text()
    assert window.caseload.settings.get().letter_footer == ""
    settings.footer.setPlainText("Welzijn Oost · 038-1234567")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert not settings.isVisible()
    assert window.caseload.settings.get().letter_footer == "Welzijn Oost · 038-1234567"
