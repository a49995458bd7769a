"""'Vandaag' is right: closed dossiers are left out, a new client is not 'quiet',
and a double-click on an item opens that client without an error."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from brugdesk.ui.kit import error_boundary
from brugdesk.ui.main_window import MainWindow
from tests.ui.conftest import unlock


def _boundary_boxes() -> list[QMessageBox]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == error_boundary.BOX_NAME
    ]


def test_today_leaves_out_closed_dossiers_and_new_clients(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    today = date.today()
    pid = cl.partners.add(organisation="Wijkteam")
    # A client registered today, never seen yet: not "6 weeks without contact".
    new = cl.clients.create(given_name="Pas", family_name="Aangemeld")
    # A client registered long ago, never seen: quiet.
    old = cl.clients.create(
        given_name="Al", family_name="Lang", started_on=today - timedelta(weeks=10)
    )
    # A closed dossier with a late referral and a due action: not listed.
    closed = cl.clients.create(given_name="Klaar", family_name="Af")
    cl.contacts.add(closed, occurred_at=datetime.now() - timedelta(days=200), note="oud")
    cl.consents.record(closed, recipient="W", purpose="verwijzing", how="mondeling", partner_id=pid)
    late = cl.referrals.create(closed, pid)
    cl.referrals.mark_sent(late, feedback_due=today - timedelta(days=3))
    cl.actions.add(closed, description="Nog bellen", due_on=today)
    # Before closing, both are listed; after, neither.
    assert [r.id for r in cl.today().overdue_feedback] == [late]
    assert [a.description for a in cl.today().actions_due] == ["Nog bellen"]
    cl.clients.close(closed, "doelen bereikt")
    listed = cl.today()
    assert listed.overdue_feedback == () and listed.actions_due == ()
    assert [c.id for c in listed.without_contact] == [old]
    assert cl.today_counts().count == 1 and cl.clients.overview().today.count == 1
    qtbot.waitUntil(lambda: window.today_action.text() == "&Vandaag (1)", timeout=5000)
    dialog = window.open_today()
    names = [
        dialog.tree.topLevelItem(g).child(i).text(0)
        for g in range(3)
        for i in range(dialog.tree.topLevelItem(g).childCount())
    ]
    assert names == ["Al Lang"] and new


def test_double_click_in_today_opens_the_client(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    other = cl.clients.create(given_name="Be", family_name="Ander")
    busy = cl.clients.create(given_name="Cor", family_name="Bezig")
    cl.actions.add(busy, description="Vandaag bellen", due_on=date.today())
    window.workspace.select_client(other)
    dialog = window.open_today()
    qtbot.waitExposed(dialog)
    group = dialog.tree.topLevelItem(1)
    item = group.child(0)
    assert item.text(0) == "Cor Bezig"
    dialog.tree.scrollToItem(item)
    point = dialog.tree.visualItemRect(item).center()
    viewport = dialog.tree.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    qtbot.wait(50)
    assert window.workspace.current_client_id == busy
    dossier = window.workspace.dossier
    assert dossier is not None and dossier.isVisible()
    assert dossier.client_id == busy and dossier.title.text() == "Cor Bezig"
    assert dialog not in window.workspace.dialogs
    assert not _boundary_boxes()
