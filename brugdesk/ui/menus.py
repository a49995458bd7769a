"""The main window's menus and toolbar, laid out from its actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar, QWidget

if TYPE_CHECKING:
    from brugdesk.ui.dialogs.about_dialog import AboutDialog
    from brugdesk.ui.main_window import MainWindow


def open_about(window: MainWindow) -> AboutDialog:
    """Help → Over brugdesk: shows no client data, so it may be opened while locked."""
    from brugdesk.ui.dialogs.about_dialog import AboutDialog

    dialog = AboutDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def build_menus(window: MainWindow) -> QToolBar:
    """Bestand, Cliënt and Help menus, and the toolbar (shown only while unlocked)."""
    menu = window.menuBar()
    file_menu = menu.addMenu("&Bestand")
    for action in (
        window.partners_action,
        window.referrers_action,
        window.report_action,
        window.log_action,
        window.import_action,
        window.backup_action,
        window.restore_action,
        window.settings_action,
    ):
        file_menu.addAction(action)
    file_menu.addSeparator()
    file_menu.addAction(window.lock_action)
    file_menu.addAction(window.quit_action)
    client_menu = menu.addMenu("&Cliënt")
    for action in (
        window.new_action,
        window.edit_action,
        window.talk_action,
        window.close_action,
        window.search_action,
    ):
        client_menu.addAction(action)
    client_menu.addSeparator()
    client_menu.addAction(window.inzage_action)
    help_menu = menu.addMenu("&Help")
    help_menu.addAction(window.privacy_action)
    help_menu.addAction(window.about_action)
    toolbar = window.addToolBar("Werkbalk")
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    for action in (
        window.today_action,
        window.new_action,
        window.search_action,
        window.partners_action,
        window.report_action,
    ):
        toolbar.addAction(action)
    spacer = QWidget()
    spacer.setSizePolicy(
        spacer.sizePolicy().horizontalPolicy().Expanding,
        spacer.sizePolicy().verticalPolicy().Preferred,
    )
    toolbar.addWidget(spacer)
    toolbar.addAction(window.settings_action)
    toolbar.addAction(window.lock_action)
    window.lock_action.setToolTip("Vergrendelen (Ctrl+L)")
    return toolbar
