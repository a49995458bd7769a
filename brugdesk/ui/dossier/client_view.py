"""Cliëntweergave: the wheel alone, full screen, to turn the laptop to the client.

Only the wheel and the domain names — no notes, no other clients. Esc closes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from brugdesk.domain.instruments import Instrument
from brugdesk.ui.dossier.wheel import DomainWheel, Series


class ClientView(QDialog):
    def __init__(
        self, instrument: Instrument, series: list[Series], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cliëntweergave")
        self.setStyleSheet("background: #ffffff;")
        self.wheel = DomainWheel(large=True)
        self.wheel.set_data(instrument, series)
        note = QLabel("Esc om terug te gaan")
        note.setStyleSheet("color: #595959;")  # on the white above: 7:1
        layout = QVBoxLayout(self)
        layout.addWidget(self.wheel, 1)
        layout.addWidget(note, 0, Qt.AlignmentFlag.AlignRight)

    def present(self) -> None:
        self.showFullScreen()
        self.wheel.setFocus()
