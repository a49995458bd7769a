"""Bestand → Back-up maken suggests a file name that carries the date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from brugdesk.ui.main_window import MainWindow
from tests.ui.conftest import unlock


def test_backup_name_carries_the_date(qtbot, window: MainWindow, tmp_path: Path, monkeypatch):
    unlock(qtbot, window)
    offered: list[str] = []

    def save_as(_parent, _title, suggested, _filter):
        offered.append(suggested)
        return str(tmp_path / Path(suggested).name), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    window.backup_action.trigger()
    name = f"brugdesk-back-up-{date.today():%Y-%m-%d}.brugdesk"
    assert Path(offered[0]).name == name
    qtbot.waitUntil(lambda: (tmp_path / name).exists(), timeout=15000)
    qtbot.waitUntil(lambda: "Back-up gemaakt" in window.statusBar().currentMessage(), timeout=15000)
