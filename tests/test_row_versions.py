"""No lost update: a save over a record that changed since it was loaded is refused."""

from __future__ import annotations

from datetime import datetime

import pytest

from brugdesk.app.caseload import Caseload
from brugdesk.domain.records import merge_typing
from brugdesk.errors import StaleRecord


def test_two_forms_on_one_record_cannot_overwrite_each_other(caseload: Caseload) -> None:
    """Two forms opened on the same client (another dialog, a job in between)."""
    cid = caseload.clients.create(given_name="Fatma", family_name="Öztürk")
    in_first = caseload.clients.get(cid)
    in_second = caseload.clients.get(cid)
    assert in_first.version == in_second.version == 1

    saved = caseload.clients.update(cid, expected_version=in_second.version, city="Zwolle")
    assert saved.version == 2  # the returned record carries the raised version

    with pytest.raises(StaleRecord) as info:
        caseload.clients.update(cid, expected_version=in_first.version, city="Deventer")
    assert info.value.message.startswith("Deze gegevens zijn intussen gewijzigd")
    assert "niet opgeslagen" in info.value.message
    assert info.value.current_version == 2
    # Nothing was written by the refused save: no field, no audit row.
    assert caseload.clients.get(cid).city == "Zwolle"
    assert [a.action for a in caseload.audit.fetch()] == ["change", "create"]

    # Saving against the newest version works and raises it again.
    newest = caseload.clients.get(cid)
    assert caseload.clients.update(cid, expected_version=newest.version, city="Kampen").version == 3


def test_every_form_record_carries_and_checks_its_version(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Jan", family_name="Jansen")
    nid = caseload.contacts.add(cid, occurred_at=datetime(2025, 3, 1, 10, 0), note="eerste")
    aid = caseload.actions.add(cid, description="Bellen met de woningcorporatie")
    pid = caseload.partners.add(organisation="Humanitas")
    rid = caseload.referrals.create(cid, pid, reason="Thuisadministratie")

    cases = [
        (caseload.contacts.get, caseload.contacts.update, nid, {"note": "tweede"}),
        (lambda i: caseload.actions.fetch(cid)[0], caseload.actions.update, aid, {"who": "Jan"}),
        (caseload.partners.get, caseload.partners.update, pid, {"team": "Wijkteam Oost"}),
        (
            caseload.referrals.get,
            caseload.referrals.update_concept,
            rid,
            {"reason": "Schulden"},
        ),
    ]
    for get, update, key, fields in cases:
        loaded = get(key)
        assert loaded.version == 1
        # A change through another path (a job, the CLI: no expected version) ...
        changed = update(key, **fields)
        assert changed.version == 2
        # ... makes a save from the form that loaded version 1 fail, without writing.
        with pytest.raises(StaleRecord):
            update(key, expected_version=loaded.version, **fields)
        assert get(key).version == 2
        # Saving the same values against the newest version is accepted (nothing to write).
        assert update(key, expected_version=2, **fields).version == 2


def test_status_changes_raise_the_version_too(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Jan", family_name="Jansen")
    loaded = caseload.clients.get(cid)
    caseload.clients.close(cid, reason="Doelen bereikt")
    caseload.clients.reopen(cid)
    assert caseload.clients.get(cid).version == 3
    with pytest.raises(StaleRecord):
        caseload.clients.update(cid, expected_version=loaded.version, city="Zwolle")


def test_merge_keeps_typing_and_takes_the_rest_from_the_newest_version() -> None:
    loaded = {"city": "Zwolle", "phone": "", "reason": "Post"}
    typed = {"city": "Zwolle", "phone": "06-1", "reason": "Post en schulden"}
    newest = {"city": "Deventer", "phone": "", "reason": "Alleen post"}
    merged, both = merge_typing(loaded, typed, newest)
    assert merged == {"city": "Deventer", "phone": "06-1", "reason": "Post en schulden"}
    assert both == ["reason"]
