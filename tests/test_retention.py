"""Retention: which closed files are past the period, and erasing the chosen ones.

The rule is pure (retention_rules); the job (app.retention.erase_expired) runs on a
real encrypted vault, and the pages are read back decrypted (tests/vault_pages.py).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from brugdesk.app import retention
from brugdesk.app.caseload import Caseload
from brugdesk.domain.retention_rules import (
    ERASE_RETENTION,
    add_months,
    check_erasure_reason,
    months_past,
    past_retention,
    retention_ends,
)
from brugdesk.errors import ValidationError
from tests.conftest import PASSPHRASE
from tests.vault_pages import all_plaintext

TODAY = date(2026, 3, 15)


def test_add_months_keeps_the_day_or_takes_the_last_of_a_shorter_month() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)  # leap year
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2024, 2, 29), 48) == date(2028, 2, 29)
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)  # over the year end
    assert add_months(date(2025, 3, 15), 0) == date(2025, 3, 15)
    assert add_months(date(2000, 1, 1), 240) == date(2020, 1, 1)


def test_23_months_ago_is_kept_25_months_ago_is_past_24() -> None:
    assert not past_retention(add_months(TODAY, -23), TODAY, 24)
    assert past_retention(add_months(TODAY, -25), TODAY, 24)
    assert not past_retention(None, TODAY, 24)  # an open file is never past


def test_the_boundary_day_is_still_kept_the_next_day_is_past() -> None:
    closed = date(2024, 3, 15)
    assert retention_ends(closed, 24) == TODAY
    assert not past_retention(closed, TODAY, 24)  # the period's last day
    assert past_retention(date(2024, 3, 14), TODAY, 24)  # one day longer ago
    assert months_past(date(2024, 3, 14), TODAY, 24) == 0  # past, not yet a whole month
    # 31 August + 24 months ends on 31 August; 29 February + 12 ends on 28 February.
    assert not past_retention(date(2024, 2, 29), date(2025, 2, 28), 12)
    assert past_retention(date(2024, 2, 29), date(2025, 3, 1), 12)


def test_months_past_counts_whole_months_after_the_end() -> None:
    assert months_past(add_months(TODAY, -25), TODAY, 24) == 1
    assert months_past(add_months(TODAY, -23), TODAY, 24) == 0
    assert months_past(date(2024, 2, 15), TODAY, 24) == 1  # ended 15 Feb 2026
    assert months_past(date(2024, 2, 16), TODAY, 24) == 0  # ended 16 Feb 2026
    assert months_past(date(2023, 1, 16), TODAY, 24) == 13  # ended 16 Jan 2025
    # Ended 31 Jan 2022: 28 Feb 2026 is 49 months on, 31 Mar 2026 is not reached yet.
    assert months_past(date(2021, 12, 31), TODAY, 1) == 49


def test_only_reasons_from_the_list_are_accepted() -> None:
    assert check_erasure_reason(ERASE_RETENTION) == ERASE_RETENTION
    for bad in ("", None, "zomaar", "bewaartermijn verlopen"):
        with pytest.raises(ValidationError) as err:
            check_erasure_reason(bad)
        assert "verzoek van de cliënt" in err.value.errors["reason"]


def _closed(cl: Caseload, given: str, family: str, note: str, months_ago: int) -> int:
    cid = cl.clients.create(given_name=given, family_name=family, address=f"{family}laan 1")
    cl.contacts.add(cid, occurred_at=datetime(2023, 1, 2, 10, 0), note=note)
    cl.clients.close(
        cid, reason=f"Afgesloten na {note}", closed_on=add_months(date.today(), -months_ago)
    )
    return cid


def test_the_setting_decides_who_is_listed(caseload: Caseload) -> None:
    young = _closed(caseload, "Ada", "Jong", "kort", 23)
    old = _closed(caseload, "Bas", "Oud", "lang", 25)
    caseload.clients.create(given_name="Cor", family_name="Open")  # open: never listed
    assert retention.retention_months(caseload) == 24  # the default
    listed = retention.expired(caseload)
    assert [(e.client_id, e.full_name, e.months_past) for e in listed] == [(old, "Bas Oud", 1)]
    assert [e.client_id for e in caseload.today().expired] == [old]
    caseload.settings.update(retention_months=12)
    assert [e.client_id for e in retention.expired(caseload)] == [old, young]
    caseload.settings.update(retention_months=240)
    assert retention.expired(caseload) == ()


def test_erase_expired_erases_the_chosen_only_with_the_reason_and_scrubs(
    vault_dir: Path,
) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    try:
        key = cl.vault.key_hex()
        gone = _closed(cl, "Zwaantje", "Quirijnsma", "xylofoonschuld", 30)
        stays = _closed(cl, "Berendina", "Botterweg", "kolibriehuur", 40)  # past, not chosen
        young = _closed(cl, "Hendrika", "Jongsma", "trampolinehuur", 23)
        before = all_plaintext(vault_dir, key)
        assert b"xylofoonschuld" in before and b"Quirijnsma" in before
        seen = []
        cl.changes.subscribe(seen.append)
        assert retention.erase_expired(cl, [gone]) == 1
        assert [c.id for c in cl.clients.fetch()] == sorted([stays, young])
        row = cl.audit.fetch(limit=1)[0]
        assert (row.action, row.entity, row.client_id) == ("delete", "client", gone)
        assert row.details == {"reason": ERASE_RETENTION}  # nothing else about the client
        assert len(seen) == 1 and seen[0].deleted == frozenset({gone})  # one job, one change
        after = all_plaintext(vault_dir, key)
        for word in ("Zwaantje", "Quirijnsma", "xylofoonschuld", "zwaantje", "quirijnsma"):
            assert word.encode() not in after, word
        assert b"Botterweg" in after and b"kolibriehuur" in after
        # The older audit rows about the erased client hold ids and field names only.
        for old in cl.audit.fetch(client_id=gone):
            assert "Zwaantje" not in repr(old.details) and "xylofoon" not in repr(old.details)
    finally:
        cl.lock()


def test_a_file_not_past_the_period_refuses_the_whole_job(caseload: Caseload) -> None:
    old = _closed(caseload, "Bas", "Oud", "lang", 25)
    young = _closed(caseload, "Ada", "Jong", "kort", 23)
    open_one = caseload.clients.create(given_name="Cor", family_name="Open")
    for ids in ([old, young], [open_one], [old, 999], []):
        with pytest.raises(ValidationError):
            retention.erase_expired(caseload, ids)
        assert caseload.clients.count() == 3
    assert [r.action for r in caseload.audit.fetch(limit=1)] != ["delete"]


def test_several_files_scrub_once(caseload: Caseload, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = [_closed(caseload, f"Naam{i}", f"Familie{i}", "notitie", 26 + i) for i in range(3)]
    from brugdesk.app import retention as job

    calls = []
    real = job.scrub
    monkeypatch.setattr(job, "scrub", lambda engine: (calls.append(1), real(engine)))
    assert job.erase_expired(caseload, ids) == 3
    assert calls == [1] and caseload.clients.count() == 0
    deleted = [r for r in caseload.audit.fetch() if r.action == "delete"]
    assert sorted(r.client_id for r in deleted) == ids
    assert all(r.details == {"reason": ERASE_RETENTION} for r in deleted)


def test_a_failing_delete_erases_nothing(caseload: Caseload, monkeypatch) -> None:
    a = _closed(caseload, "Bas", "Oud", "lang", 25)
    b = _closed(caseload, "Dirk", "Ouder", "langer", 26)
    from brugdesk.app import retention as job

    real = job.erase_in
    calls = []

    def second_fails(s, cid, reason):
        calls.append(cid)
        if len(calls) == 2:
            raise OSError("schijf vol")
        real(s, cid, reason)

    monkeypatch.setattr(job, "erase_in", second_fails)
    with pytest.raises(OSError):
        job.erase_expired(caseload, [a, b])
    assert caseload.clients.count() == 2
    assert not [r for r in caseload.audit.fetch() if r.action == "delete"]
