"""Vandaag lists the WHO-5/DJG-6 due again; the weeks are set in Instellingen."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QTreeWidgetItem

from brugdesk.domain import instruments
from brugdesk.ui.main_window import MainWindow
from tests.ui.conftest import unlock

TODAY = date.today()


def _measure(window: MainWindow, name: str, instrument_id: str, *held: date) -> int:
    cl = window.caseload
    cid = cl.clients.create(given_name=name, family_name="Meting")
    inst = instruments.get(instrument_id)
    for day in held:
        cl.assessments.add(
            cid,
            instrument_id=instrument_id,
            instrument_version=inst.version,
            held_on=day,
            items=[{"domain": p, "score": 2} for p in inst.parts],
        )
    return cid


def _group(dialog) -> QTreeWidgetItem:
    tree = dialog.tree
    [top] = [
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(0).startswith("Hermeting WHO-5 / DJG-6")
    ]
    return top


def _rows(dialog) -> list[tuple[str, str, str]]:
    top = _group(dialog)
    return [
        (top.child(i).text(0), top.child(i).text(1), top.child(i).text(2))
        for i in range(top.childCount())
    ]


def _save_button(settings):
    return settings.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)


def test_remeasure_list_boundary_count_and_double_click(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    twelve = TODAY - timedelta(weeks=12)
    due = _measure(window, "Twaalf", "welbevinden-who5", twelve)
    _measure(window, "Elf", "welbevinden-who5", TODAY - timedelta(weeks=11, days=6))
    _measure(window, "Twee", "welbevinden-who5", twelve, TODAY - timedelta(days=3))
    closed = _measure(window, "Dicht", "eenzaamheid-djg6", TODAY - timedelta(weeks=30))
    window.caseload.clients.close(closed, "doelen bereikt")
    # The count follows the new conversations (the window hears of them).
    qtbot.waitUntil(lambda: window.today_action.text() == "&Vandaag (1)", timeout=5000)
    dialog = window.open_today()
    qtbot.waitExposed(dialog)
    assert _group(dialog).text(0) == (
        "Hermeting WHO-5 / DJG-6: eerste meting 12 weken of langer geleden (1)"
    )
    assert _rows(dialog) == [
        (
            "Twaalf Meting",
            "Welbevinden (WHO-5): nog geen hermeting (eerste meting op deze datum)",
            f"{twelve:%d-%m-%Y}",
        )
    ]
    assert dialog.count == 1
    item = _group(dialog).child(0)
    tree = dialog.tree
    tree.scrollToItem(item)
    point = tree.visualItemRect(item).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert window.workspace.current_client_id == due
    assert window.workspace.dossier.client_id == due and window.workspace.dossier.isVisible()


def test_the_weeks_are_set_in_settings_with_the_check_next_to_the_field(
    qtbot, window: MainWindow
) -> None:
    unlock(qtbot, window)
    _measure(window, "Elf", "welbevinden-who5", TODAY - timedelta(weeks=11, days=6))
    _measure(window, "Vijf", "eenzaamheid-djg6", TODAY - timedelta(weeks=5))
    qtbot.waitUntil(lambda: window.today_action.text() == "&Vandaag", timeout=5000)
    settings = window.open_settings()
    qtbot.waitExposed(settings)
    assert settings.remeasure.value() == 12
    settings.remeasure.setValue(3)
    qtbot.mouseClick(_save_button(settings), Qt.MouseButton.LeftButton)
    assert settings.isVisible()  # refused, and said next to the field
    assert settings.remeasure_error.isVisibleTo(settings)
    message = settings.remeasure_error.text()
    assert "tussen 4 en 104" in message and "Kies een aantal weken" in message
    assert window.caseload.settings.get().remeasure_weeks == 12
    settings.remeasure.setValue(11)
    assert not settings.remeasure_error.isVisibleTo(settings)  # typing clears the message
    qtbot.mouseClick(_save_button(settings), Qt.MouseButton.LeftButton)
    assert not settings.isVisible()
    assert window.caseload.settings.get().remeasure_weeks == 11
    # The count follows the setting; the list says the weeks and has the client.
    qtbot.waitUntil(lambda: window.today_action.text() == "&Vandaag (1)", timeout=5000)
    dialog = window.open_today()
    assert _group(dialog).text(0).startswith("Hermeting WHO-5 / DJG-6: eerste meting 11 weken")
    assert [r[0] for r in _rows(dialog)] == ["Elf Meting"]
    qtbot.mouseClick(
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close),
        Qt.MouseButton.LeftButton,
    )
    settings = window.open_settings()
    settings.remeasure.setValue(4)
    qtbot.mouseClick(_save_button(settings), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.today_action.text() == "&Vandaag (2)", timeout=5000)
    assert {m.client_name for m in window.caseload.today().remeasure} == {
        "Elf Meting",
        "Vijf Meting",
    }
