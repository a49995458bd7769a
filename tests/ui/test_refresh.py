"""The window follows change records: only what changed is refreshed.

Saving a note updates that client's line, the timeline and the Vandaag
count without resetting the caseload model; a referral status change
updates the referrals tab, the line and the count; a job on a worker
thread reaches the window through the queued bridge."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from sqlalchemy import event

from brugdesk.ui.main_window import MainWindow
from brugdesk.ui.models.caseload_model import Col, format_date
from tests.ui.conftest import type_text, unlock


@contextmanager
def statements(window: MainWindow) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn, _cursor, sql, *_args) -> None:
        seen.append(sql)

    engine = window.caseload.vault.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _cell(window: MainWindow, client_id: int, column: Col) -> str:
    model = window.workspace.model
    return model.index(model.row_of(client_id), column).data()


def _resets(window: MainWindow) -> list[int]:
    resets: list[int] = []
    window.workspace.model.modelReset.connect(lambda: resets.append(1))
    return resets


def test_saving_a_note_updates_row_timeline_and_count_without_a_reset(
    qtbot, window: MainWindow
) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    registered = date.today() - timedelta(weeks=8)  # never a contact since then: quiet
    quiet = cl.clients.create(given_name="Stil", family_name="Aan", started_on=registered)
    other = cl.clients.create(given_name="Ander", family_name="Bezig")
    cl.contacts.add(other, occurred_at=datetime.now(), note="gisteren gesproken")
    # Both clients arrived through change records: inserted, not reloaded.
    assert window.workspace.model.row_of(quiet) is not None
    assert _cell(window, quiet, Col.LAST_CONTACT) == "nog geen"
    assert window.today_action.text() == "&Vandaag (1)"  # the quiet client

    ws = window.workspace
    ws.select_client(quiet)
    ws.dossier.tabs.setCurrentWidget(ws.dossier.contacts)
    resets = _resets(window)
    editor = ws.dossier.contacts.editor
    type_text(qtbot, editor.text, "Huisbezoek: de brief van de woningcorporatie samen gelezen.")
    with statements(window) as seen:
        editor.save_button.click()

    assert resets == []  # no caseload reload
    assert _cell(window, quiet, Col.LAST_CONTACT) == format_date(date.today())
    timeline = ws.dossier.contacts.model
    assert timeline.rowCount() == 1
    assert "woningcorporatie" in timeline.record(0).note
    assert not ws.dossier.contacts.empty.isVisibleTo(ws.dossier.contacts)
    assert "woningcorporatie" in ws.dossier.overview.contacts.text()
    assert window.today_action.text() == "&Vandaag"  # nobody is quiet any more
    assert ws.current_client_id == quiet  # the selection stayed
    # Save and every refresh together: a few statements, never one per client.
    assert len(seen) <= 30, len(seen)


def test_referral_status_change_updates_tab_row_and_count(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Rosa", family_name="Verwezen")
    cl.contacts.add(cid, occurred_at=datetime.now(), note="intake")
    pid = cl.partners.add(organisation="Wijkteam Oost")
    cl.consents.record(
        cid, recipient="Wijkteam Oost", purpose="verwijzing", how="mondeling", partner_id=pid
    )
    ref = cl.referrals.create(cid, pid)
    cl.referrals.mark_sent(ref, feedback_due=date.today() - timedelta(days=2))
    assert _cell(window, cid, Col.OPEN_REFERRALS) == "1"
    assert window.today_action.text() == "&Vandaag (1)"  # feedback is late

    ws = window.workspace
    ws.select_client(cid)
    tab = ws.dossier.referrals
    assert tab.model.index(0, 1).data() == "verstuurd"
    resets = _resets(window)
    with statements(window) as seen:
        cl.referrals.set_status(ref, "afgewezen", note="Geen plek.")

    assert resets == []
    assert tab.model.index(0, 1).data() == "afgewezen"
    assert _cell(window, cid, Col.OPEN_REFERRALS) == ""
    assert window.today_action.text() == "&Vandaag"
    assert len(seen) <= 30, len(seen)


def test_a_job_on_a_worker_thread_reaches_the_window(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name="Wim", family_name="Werker")
    window.workspace.select_client(cid)
    contacts = window.workspace.dossier.contacts  # built now: the change record must refresh it
    resets = _resets(window)
    done: list[object] = []
    window.tasks.run(
        "note-in-background",
        lambda: cl.contacts.add(cid, occurred_at=datetime.now(), note="via de achtergrond"),
        done.append,
        done.append,
    )
    qtbot.waitUntil(lambda: contacts.model.rowCount() == 1, timeout=15000)
    assert _cell(window, cid, Col.LAST_CONTACT) == format_date(date.today())
    assert resets == [] and len(done) == 1


def test_new_deleted_and_renamed_clients_without_reloading(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    ws = window.workspace
    a = cl.clients.create(given_name="Anna", family_name="Aalbers")
    z = cl.clients.create(given_name="Zeno", family_name="Zwart")
    resets = _resets(window)
    ws.select_client(z)
    # A rename that moves the line to the top keeps it selected.
    cl.clients.update(z, family_name="Aagje")
    assert ws.model.row_record(0).id == z
    assert ws.table.selectionModel().selectedRows()[0].row() == 0
    assert ws.dossier.title.text() == "Zeno Aagje"
    # Deleting the open client removes its line and closes its dossier.
    cl.clients.delete(z, reason="ten_onrechte")
    assert ws.model.row_of(z) is None and ws.dossier is None
    assert ws.count.text() == "1 van 1 cliënten"
    assert ws.model.row_of(a) is not None
    assert resets == []
    # A locked window ignores late change records (they arrive after the key is gone).
    window.lock()
    from brugdesk.domain.changes import CLIENT, Changes

    window.operation_did_execute(Changes(frozenset({a}), frozenset({CLIENT})))
    assert window.workspace is None
