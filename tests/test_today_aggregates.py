"""'Vandaag' from aggregates: the same figures as the rules over every record,
in a handful of SQL statements (so a lazy-load regression shows)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from sqlalchemy import event

from brugdesk.app import demo
from brugdesk.app.caseload import Caseload
from brugdesk.domain import today_rules as rules

ON = date(2026, 11, 22)


@contextmanager
def statements(caseload: Caseload) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn, _cursor, sql, *_args) -> None:
        seen.append(sql)

    engine = caseload.vault.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _demo(caseload: Caseload, clients: int = 120) -> None:
    data = demo.generate(clients, 4, seed=3, today=ON)
    with caseload.transaction() as s:
        demo.write(s.connection(), data)


def test_aggregates_equal_the_rules_over_every_record(caseload: Caseload) -> None:
    _demo(caseload)
    weeks = 6
    referrals = caseload.referrals.fetch()
    actions = caseload.actions.fetch()
    rows = caseload.clients.fetch(today=ON)
    status = {c.id: c.status for c in rows}
    expect_overdue = {
        r.id
        for r in referrals
        if rules.feedback_overdue(r.status, r.feedback_due, ON, status[r.client_id])
    }
    expect_due = {
        a.id for a in actions if rules.action_due(a.status, a.due_on, ON, status[a.client_id])
    }
    expect_quiet = {
        c.id
        for c in rows
        if rules.without_contact(c.status, c.last_contact, ON, weeks, c.started_on)
    }
    # The demo caseload has some of each, so the comparison means something.
    assert expect_overdue and expect_due and expect_quiet
    # ... and closed dossiers with late referrals and due actions, which are left out.
    closed = {c.id for c in rows if c.status == rules.CLOSED_CLIENT_STATUS}
    assert any(
        rules.feedback_overdue(r.status, r.feedback_due, ON)
        for r in referrals
        if r.client_id in closed
    )

    counts = caseload.today_counts(weeks_without_contact=weeks, on=ON)
    today = caseload.today(weeks_without_contact=weeks, on=ON)
    assert {r.id for r in today.overdue_feedback} == expect_overdue
    assert {a.id for a in today.actions_due} == expect_due
    assert {c.id for c in today.without_contact} == expect_quiet
    assert (counts.overdue_feedback, counts.actions_due, counts.without_contact) == (
        len(expect_overdue),
        len(expect_due),
        len(expect_quiet),
    )
    assert counts.count == today.count
    names = {c.id: c.full_name for c in rows}
    assert all(r.client_name == names[r.client_id] for r in today.overdue_feedback)
    assert all(c.full_name == names[c.id] for c in today.without_contact)


def test_quiet_boundary_is_the_limit_day(caseload: Caseload) -> None:
    limit = rules.contact_limit(ON, 6)
    on_limit = caseload.clients.create(given_name="Op", family_name="Grens")
    caseload.contacts.add(on_limit, occurred_at=datetime.combine(limit, datetime.min.time()))
    before = caseload.clients.create(given_name="Net", family_name="Ervoor")
    caseload.contacts.add(
        before, occurred_at=datetime.combine(limit, datetime.min.time()) - timedelta(minutes=1)
    )
    never = caseload.clients.create(
        given_name="Nooit", family_name="Gezien", started_on=limit - timedelta(days=1)
    )
    # Never a contact: the weeks count from the registration date.
    new = caseload.clients.create(given_name="Pas", family_name="Aangemeld", started_on=ON)
    on_limit_new = caseload.clients.create(
        given_name="Grens", family_name="Nieuw", started_on=limit
    )
    today = caseload.today(on=ON)
    assert {c.id for c in today.without_contact} == {before, never}
    assert caseload.today_counts(on=ON).without_contact == 2
    assert caseload.clients.overview(on=ON).today.without_contact == 2
    assert new not in {c.id for c in today.without_contact} and on_limit_new


def test_today_count_and_lists_take_a_few_statements(caseload: Caseload) -> None:
    _demo(caseload, clients=300)
    with statements(caseload) as seen:
        caseload.today_counts(on=ON)
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) <= 2, seen
    with statements(caseload) as seen:
        caseload.today(on=ON)
    # Five lists (re-measurements, closed files past retention) and the settings they use.
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) <= 6, seen


def test_rows_for_some_ids_match_the_full_list(caseload: Caseload) -> None:
    _demo(caseload, clients=60)
    full = {r.id: r for r in caseload.clients.fetch(today=ON)}
    some = caseload.clients.rows([3, 7, 7, 42, 9999], today=ON)
    assert sorted(r.id for r in some) == [3, 7, 42]
    assert all(r == full[r.id] for r in some)
    assert caseload.clients.rows([]) == []
