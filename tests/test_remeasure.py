"""Re-measurement reminders in 'Vandaag': WHO-5 and DJG-6, each on its own,
a configurable number of weeks after the first measurement."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from brugdesk.app.caseload import Caseload
from brugdesk.domain import instruments
from brugdesk.domain.records import WorkerSettings
from brugdesk.domain.today_rules import DEFAULT_REMEASURE_WEEKS, remeasure_due
from brugdesk.errors import ValidationError

TODAY = date.today()
WHO5, DJG6 = "welbevinden-who5", "eenzaamheid-djg6"


def measure(caseload: Caseload, cid: int, instrument_id: str, held_on: date) -> int:
    inst = instruments.get(instrument_id)
    return caseload.assessments.add(
        cid,
        instrument_id=instrument_id,
        instrument_version=inst.version,
        held_on=held_on,
        items=[{"domain": p, "score": 1} for p in inst.parts],
    )


def client(caseload: Caseload, name: str) -> int:
    return caseload.clients.create(given_name=name, family_name="Meting")


def due(caseload: Caseload, **kwargs) -> set[tuple[str, str]]:
    """(given name, instrument) of every listed re-measurement, checked against the count."""
    today = caseload.today(**kwargs)
    listed = {(m.client_name.split()[0], m.instrument_id) for m in today.remeasure}
    assert caseload.today_counts(**kwargs).remeasure == len(listed)
    if not kwargs:  # the unlock read uses the stored setting as well
        assert caseload.clients.overview().today.remeasure == len(listed)
    return listed


def test_the_default_is_twelve_weeks() -> None:
    assert DEFAULT_REMEASURE_WEEKS == 12 == WorkerSettings().remeasure_weeks


def test_listed_from_exactly_twelve_weeks_after_the_first_measurement(
    caseload: Caseload,
) -> None:
    on_limit = client(caseload, "Precies")
    measure(caseload, on_limit, WHO5, TODAY - timedelta(weeks=12))
    a_day_short = client(caseload, "Bijna")
    measure(caseload, a_day_short, WHO5, TODAY - timedelta(weeks=11, days=6))
    long_ago = client(caseload, "Lang")
    measure(caseload, long_ago, DJG6, TODAY - timedelta(weeks=40))
    assert due(caseload) == {("Precies", WHO5), ("Lang", DJG6)}
    today = caseload.today()
    assert today.remeasure_weeks == 12
    assert [m.first_on for m in today.remeasure] == [
        TODAY - timedelta(weeks=40),
        TODAY - timedelta(weeks=12),
    ]  # the longest waiting first
    assert caseload.today_counts().count == caseload.today().count


def test_a_second_measurement_ends_the_reminder_per_instrument(caseload: Caseload) -> None:
    both = client(caseload, "Beide")
    measure(caseload, both, WHO5, TODAY - timedelta(weeks=20))
    measure(caseload, both, DJG6, TODAY - timedelta(weeks=20))
    assert due(caseload) == {("Beide", WHO5), ("Beide", DJG6)}
    measure(caseload, both, WHO5, TODAY - timedelta(days=1))  # the WHO-5 is re-measured
    assert due(caseload) == {("Beide", DJG6)}  # the DJG-6 is still due, on its own
    measure(caseload, both, DJG6, TODAY)
    assert due(caseload) == set()


def test_a_life_domain_conversation_is_no_measurement(caseload: Caseload) -> None:
    cid = client(caseload, "Wiel")
    caseload.assessments.add(
        cid,
        instrument_id="leefgebieden",
        instrument_version="1",
        held_on=TODAY - timedelta(weeks=30),
        items=[{"domain": "financien", "score": 2}],
    )
    assert due(caseload) == set()


def test_a_closed_client_is_not_listed_and_reopening_lists_again(caseload: Caseload) -> None:
    cid = client(caseload, "Dicht")
    measure(caseload, cid, WHO5, TODAY - timedelta(weeks=13))
    assert due(caseload) == {("Dicht", WHO5)}
    caseload.clients.close(cid, "doelen bereikt")
    assert due(caseload) == set()


def test_the_weeks_setting_moves_the_boundary(caseload: Caseload) -> None:
    cid = client(caseload, "Acht")
    measure(caseload, cid, WHO5, TODAY - timedelta(weeks=8))
    assert due(caseload) == set()
    caseload.settings.update(remeasure_weeks=8)
    assert due(caseload) == {("Acht", WHO5)}
    assert caseload.today().remeasure_weeks == 8
    caseload.settings.update(remeasure_weeks=9)
    assert due(caseload) == set()
    assert due(caseload, remeasure_weeks=4) == {("Acht", WHO5)}  # an explicit number wins


@pytest.mark.parametrize("bad", [3, 105, "twaalf", None])
def test_the_weeks_setting_is_checked(caseload: Caseload, bad: object) -> None:
    with pytest.raises(ValidationError) as info:
        caseload.settings.update(remeasure_weeks=bad)
    assert "remeasure_weeks" in info.value.errors
    assert caseload.settings.get().remeasure_weeks == 12


def test_a_stored_weeks_value_out_of_range_falls_back_to_the_default(caseload: Caseload) -> None:
    """A value written outside the service (an old or damaged vault) is not trusted."""
    from brugdesk.storage.models import Setting

    cid = client(caseload, "Oud")
    measure(caseload, cid, WHO5, TODAY - timedelta(weeks=12))
    with caseload.transaction() as s:
        s.add(Setting(key="remeasure_weeks", value=1000))
    assert due(caseload) == {("Oud", WHO5)}
    assert caseload.today().remeasure_weeks == 12


@pytest.mark.parametrize(
    ("status", "first", "count", "listed"),
    [
        ("actief", TODAY - timedelta(weeks=12), 1, True),
        ("actief", TODAY - timedelta(weeks=12) + timedelta(days=1), 1, False),
        ("actief", TODAY - timedelta(weeks=12), 2, False),
        ("afgesloten", TODAY - timedelta(weeks=12), 1, False),
        ("actief", None, 0, False),
    ],
)
def test_the_rule(status: str, first: date | None, count: int, listed: bool) -> None:
    assert remeasure_due(status, first, count, TODAY, 12) is listed


def test_the_demo_caseload_has_first_and_later_who5_measurements(caseload: Caseload) -> None:
    from brugdesk.app import demo
    from brugdesk.storage.models import Assessment

    data = demo.generate(60, 3, seed=5, today=TODAY)
    again = demo.generate(60, 3, seed=5, today=TODAY)
    assert data.rows(Assessment) == again.rows(Assessment)  # the same seed, the same caseload
    with caseload.transaction() as s:
        demo.write(s.connection(), data)
    per_client: dict[int, list] = {}
    for row in data.rows(Assessment):
        if row["instrument_id"] == WHO5:
            per_client.setdefault(row["client_id"], []).append(row["held_on"])
    counts = sorted(len(v) for v in per_client.values())
    assert counts.count(1) >= 3 and counts.count(2) >= 3  # some measured once, some twice
    for cid in per_client:
        for assessment in caseload.assessments.fetch(cid):
            if assessment.instrument_id == WHO5:
                result = caseload.assessments.scale_result(assessment.id)
                assert result.complete and result.total is not None and result.total % 4 == 0
    listed = {m.client_id for m in caseload.today().remeasure}
    status = {c.id: c.status for c in caseload.clients.fetch()}
    expected = {
        cid
        for cid, days in per_client.items()
        if len(days) == 1 and days[0] <= TODAY - timedelta(weeks=12) and status[cid] != "afgesloten"
    }
    assert listed == expected and expected  # the demo shows reminders in Vandaag
