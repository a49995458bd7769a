"""The unlock read: every caseload line and the 'Vandaag' figures in one read,
equal to the separate reads (``clients.fetch`` and ``today_counts``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import event

from brugdesk.app import demo
from brugdesk.app.caseload import Caseload

ON = date(2026, 11, 22)


def _demo(caseload: Caseload, clients: int = 150) -> None:
    data = demo.generate(clients, 4, seed=11, today=ON)
    with caseload.transaction() as s:
        demo.write(s.connection(), data)


def test_overview_equals_the_separate_reads(caseload: Caseload) -> None:
    _demo(caseload)
    for weeks in (2, 6):
        overview = caseload.clients.overview(weeks_without_contact=weeks, on=ON)
        rows = caseload.clients.fetch(today=ON)
        assert sorted(overview.rows, key=lambda r: r.id) == sorted(rows, key=lambda r: r.id)
        assert overview.today == caseload.today_counts(weeks_without_contact=weeks, on=ON)
        # The demo caseload has some of each, so the comparison means something.
        assert overview.today.overdue_feedback and overview.today.actions_due
        assert overview.today.without_contact


def test_overview_is_one_read_of_four_statements(caseload: Caseload) -> None:
    _demo(caseload, 40)
    seen: list[str] = []

    def count(_conn, _cursor, sql, *_args) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append(sql)

    engine = caseload.vault.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        caseload.clients.overview(on=ON)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # The caseload lines (three) and the measurements due again (one small aggregate,
    # with the weeks setting read inside it).
    assert len(seen) == 4


def test_next_due_is_the_earliest_open_action_or_feedback(caseload: Caseload) -> None:
    cid = caseload.clients.create(
        given_name="Ada", family_name="Visser", started_on=ON - timedelta(weeks=8)
    )
    other = caseload.clients.create(given_name="Bo", family_name="Visser")
    caseload.actions.add(cid, description="Later", due_on=ON + timedelta(days=9))
    caseload.actions.add(cid, description="Eerst", due_on=ON + timedelta(days=2))
    done = caseload.actions.add(cid, description="Al gedaan", due_on=ON - timedelta(days=5))
    caseload.actions.update(done, status="gedaan")
    caseload.contacts.add(other, occurred_at=datetime(2026, 11, 20, 10, 0), note="Gesprek")
    caseload.contacts.add(other, occurred_at=datetime(2026, 10, 1, 10, 0), note="Eerder")
    rows = {r.id: r for r in caseload.clients.overview(on=ON).rows}
    assert (rows[cid].next_due, rows[cid].next_due_text) == (ON + timedelta(days=2), "Eerst")
    assert rows[cid].last_contact is None
    assert rows[other].last_contact == datetime(2026, 11, 20, 10, 0)
    assert rows[other].next_due is None and rows[other].open_referrals == 0
    counts = caseload.clients.overview(on=ON).today
    assert counts.without_contact == 1  # Ada: no contact in 8 weeks; Bo was seen this week
    assert counts.actions_due == 0  # the overdue one is done
