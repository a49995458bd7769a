"""Help → Over brugdesk: the version, the licence, the software brugdesk is built
with and its licences, and a button that opens the log folder."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from brugdesk import __version__, logsetup
from brugdesk.paths import resources
from brugdesk.ui.kit.widgets import ErrorLabel, heading, plain_label

log = logging.getLogger(__name__)

LICENCE = "EUPL-1.2"
LICENCE_URL = "https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _resource(*parts: str):
    # One part at a time: in a frozen app the package is a MultiplexedPath, whose
    # joinpath takes a single name on Python 3.11.
    target = resources()
    for part in parts:
        target = target / part
    return target


def icon_path(size: int) -> Path:
    """The PNG of the app icon at *size* pixels (one of :data:`ICON_SIZES`)."""
    return Path(str(_resource("icons", f"brugdesk-{size}.png")))


def app_icon() -> QIcon:
    """The app icon, every size: the window manager picks the one it needs."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(icon_path(size)))
    return icon


def third_party_notices() -> str:
    """The licences of the software brugdesk is built with (THIRD_PARTY_NOTICES)."""
    return _resource("THIRD_PARTY_NOTICES.txt").read_text(encoding="utf-8")


def log_folder() -> Path:
    """The folder of the log file in use, or of where it would be written."""
    return (logsetup.current_path() or logsetup.log_path()).parent


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Over brugdesk")
        self.setObjectName("aboutDialog")
        logo = self.logo = QLabel()
        # 64 points: 128 pixels on a screen with devicePixelRatio 2, from the icon's sizes.
        logo.setPixmap(app_icon().pixmap(QSize(64, 64), self.devicePixelRatioF()))
        logo.setFixedSize(64, 64)
        title = heading(f"brugdesk {__version__}")
        self.version_label = title
        self.licence_label = plain_label(
            f"Versleuteld caseloadbeheer voor de brugfunctie.\n"
            f"brugdesk is vrije software onder de Europese openbare licentie {LICENCE} "
            f"(European Union Public Licence 1.2): {LICENCE_URL}"
        )
        self.licence_label.setWordWrap(True)
        self.licence_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(self.licence_label)
        top.addLayout(text, 1)

        self.notices = QPlainTextEdit()
        self.notices.setReadOnly(True)
        self.notices.setPlainText(third_party_notices())
        self.notices.setMinimumSize(560, 280)

        self.log_button = QPushButton("Logmap openen")
        self.log_button.setToolTip(
            "Opent de map met het logbestand. Het log bevat geen cliëntgegevens."
        )
        self.log_button.clicked.connect(self.open_log_folder)
        self.error = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText("Sluiten")  # Dutch also where Qt's translation is missing
        buttons.addButton(self.log_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(plain_label("Gebruikte software en hun licenties:"))
        layout.addWidget(self.notices, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def open_log_folder(self) -> bool:
        folder = log_folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.warning("log folder cannot be made: %s", type(exc).__name__)
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.error.show_message("")
            return True
        self.error.show_message(f"De logmap kon niet worden geopend. U vindt hem hier: {folder}")
        return False
