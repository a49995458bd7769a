"""Clocks and dates: editing an old note is never refused by the future rule;
a referral's feedback date stays within a year either way."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from brugdesk.app.caseload import Caseload
from brugdesk.errors import ValidationError
from brugdesk.services.referrals import check_referral
from brugdesk.storage.models import Contact


def _note_saved_while_clock_ran_ahead(caseload: Caseload, cid: int, when: datetime) -> int:
    """A note saved while the laptop's clock ran days ahead (since corrected)."""
    with caseload.transaction() as s:
        contact = Contact(
            client_id=cid,
            occurred_at=when,
            kind="huisbezoek",
            note="eerst",
            domains=[],
            created_at=when,
            updated_at=when,
        )
        s.add(contact)
        s.flush()
        return contact.id


def test_editing_a_note_after_the_clock_was_corrected(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Klok", family_name="Terug")
    stored = datetime.now().replace(microsecond=0) + timedelta(days=3)
    nid = _note_saved_while_clock_ran_ahead(caseload, cid, stored)
    # The editor sends every field back, the unchanged moment included (also to the minute).
    changed = caseload.contacts.update(nid, occurred_at=stored, note="aangevuld")
    assert changed.note == "aangevuld" and changed.occurred_at == stored
    caseload.contacts.update(nid, occurred_at=stored.replace(second=0).isoformat(), note="weer")
    assert caseload.contacts.get(nid).note == "weer"
    # A *changed* moment is still held to the rule.
    with pytest.raises(ValidationError) as info:
        caseload.contacts.update(nid, occurred_at=stored + timedelta(hours=2))
    assert "toekomst" in info.value.errors["occurred_at"]
    assert caseload.contacts.get(nid).occurred_at.replace(second=0) == stored.replace(second=0)


def test_editing_a_note_after_a_time_zone_change(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Zone", family_name="Wissel")
    stored = datetime.now().replace(microsecond=0) + timedelta(hours=23)
    nid = caseload.contacts.add(cid, occurred_at=stored, note="eerst")
    # The same moment as an aware time in another zone (the laptop travelled).
    aware = stored.astimezone().astimezone(timezone(timedelta(hours=-10)))
    assert caseload.contacts.update(nid, occurred_at=aware, note="later").note == "later"


def test_new_notes_keep_the_future_rule(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Nieuw", family_name="Moment")
    with pytest.raises(ValidationError):
        caseload.contacts.add(cid, occurred_at=datetime.now() + timedelta(days=2), note="x")


@pytest.mark.parametrize("offset", [-400, 400, 365 * 100])
def test_feedback_date_out_of_range_is_refused_in_dutch(offset: int) -> None:
    when = date.today() + timedelta(days=offset)
    with pytest.raises(ValidationError) as info:
        check_referral(feedback_due=when.isoformat())
    message = info.value.errors["feedback_due"]
    assert "terugkoppeldatum moet tussen" in message and "een jaar" in message


@pytest.mark.parametrize("offset", [-300, 0, 14, 360])
def test_feedback_date_in_range_is_kept(offset: int) -> None:
    when = date.today() + timedelta(days=offset)
    assert check_referral(feedback_due=when)["feedback_due"] == when


def test_mark_sent_refuses_a_feedback_date_years_ahead(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Ver", family_name="Weg")
    pid = caseload.partners.add(organisation="Wijkteam")
    rid = caseload.referrals.create(cid, pid)
    with pytest.raises(ValidationError) as info:
        caseload.referrals.mark_sent(rid, override_reason="Spoed", feedback_due="2099-01-01")
    assert "terugkoppeldatum" in info.value.message.lower()
    assert caseload.referrals.get(rid).status == "concept"
