"""Opening a dossier builds and reads only the overview; the other tabs are
built when first shown (or first used), and then follow change records."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import event

from brugdesk.ui.dossier.dossier_panel import CONTACTS_TAB, PLAN_TAB, REFERRALS_TAB
from brugdesk.ui.main_window import MainWindow
from tests.ui.conftest import unlock


@contextmanager
def selects(window: MainWindow) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn, _cursor, sql, *_args) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append(sql)

    engine = window.caseload.vault.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_dossier_opens_on_the_overview_and_reads_nothing_else(qtbot, window) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Nora", family_name="Noord")
    cl.contacts.add(cid, occurred_at=datetime(2026, 5, 4, 9, 30), note="Eerste gesprek")
    ws = window.workspace
    with selects(window) as seen:
        ws.select_client(cid)
    dossier = ws.dossier
    assert dossier.tabs.currentIndex() == 0
    assert "Eerste gesprek" in dossier.overview.contacts.text()  # the overview is complete
    assert not any("FROM referral" in sql or "FROM consent" in sql for sql in seen)
    assert not any("FROM draft" in sql for sql in seen)
    # Clicking a tab builds it, in its own place, with its data.
    dossier.tabs.setCurrentIndex(CONTACTS_TAB)
    contacts = dossier.contacts
    assert dossier.tabs.widget(CONTACTS_TAB) is contacts
    assert dossier.tabs.currentWidget() is contacts
    assert contacts.model.rowCount() == 1
    assert [dossier.tabs.tabText(i) for i in range(4)] == [
        "&Overzicht",
        "&Contactmomenten",
        "&Plan",
        "&Verwijzingen",
    ]


def test_tabs_built_later_show_what_changed_before(qtbot, window) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Olaf", family_name="Oost")
    ws = window.workspace
    ws.select_client(cid)
    dossier = ws.dossier
    cl.contacts.add(cid, occurred_at=datetime(2026, 5, 4, 9, 30), note="Later gezien")
    cl.actions.add(cid, description="Bellen met de woningcorporatie")
    # Used (not shown) from code: built on first use, current tab unchanged.
    assert dossier.plan.model.rowCount() == 1
    assert dossier.tabs.currentIndex() == 0 and dossier.tabs.widget(PLAN_TAB) is dossier.plan
    dossier.tabs.setCurrentWidget(dossier.contacts)
    assert dossier.tabs.currentIndex() == CONTACTS_TAB
    assert dossier.contacts.model.rowCount() == 1
    # Once built, a tab follows the change records.
    cl.contacts.add(cid, occurred_at=datetime(2026, 5, 5, 9, 30), note="Nog een keer")
    assert dossier.contacts.model.rowCount() == 2
    referrals = dossier.referrals
    assert dossier.tabs.widget(REFERRALS_TAB) is referrals and dossier.tabs.currentIndex() == 1


def test_locking_with_unbuilt_tabs_and_resuming_on_one(qtbot, window) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Pim", family_name="Pol")
    ws = window.workspace
    ws.select_client(cid)
    window.lock("button")  # no tab but the overview was ever built: nothing to save
    assert cl.drafts is not None and window.workspace is None
    unlock(qtbot, window)
    ws = window.workspace
    ws.dossier.tabs.setCurrentIndex(CONTACTS_TAB)
    ws.dossier.contacts.editor.text.setPlainText("Half getypt")
    window.lock("button")
    unlock(qtbot, window)
    dossier = window.workspace.dossier
    assert dossier.client_id == cid and dossier.tabs.currentIndex() == CONTACTS_TAB
    assert dossier.tabs.currentWidget() is dossier.contacts
    assert dossier.contacts.editor.text.toPlainText() == "Half getypt"
