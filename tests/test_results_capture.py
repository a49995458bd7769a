"""Issue 12, point 1: the structured facts the results report needs, captured once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from brugdesk.app.caseload import Caseload
from brugdesk.domain import pick_lists
from brugdesk.errors import ValidationError


def test_pick_lists_are_data_with_the_issue_entries() -> None:
    assert len(pick_lists.themes()) == 10
    assert pick_lists.ids(pick_lists.closure_reasons())[-1] == "anders"
    assert [r.id for r in pick_lists.closure_reasons() if r.needs_text] == ["anders"]
    assert {"huisarts", "poh", "wijkteam", "zelf", "anders"} == set(
        pick_lists.ids(pick_lists.referrer_kinds())
    )
    assert {"ZorgDomein", "Zorgmail", "Siilo", "VIPLive", "Post"} <= {
        c.label for c in pick_lists.channels()
    }


def test_referrer_list_add_change_delete(caseload: Caseload) -> None:
    rid = caseload.referrers.add(
        name="Huisartsenpraktijk De Linde", channel="zorgdomein", agb_code="0112 3456"
    )
    entry = caseload.referrers.get(rid)
    assert (entry.kind, entry.channel, entry.agb_code) == ("huisarts", "zorgdomein", "01123456")
    with pytest.raises(ValidationError) as info:
        caseload.referrers.add(name="X", agb_code="123")
    assert "8 cijfers" in info.value.errors["agb_code"]
    with pytest.raises(ValidationError):
        caseload.referrers.add(name="X", kind="buurman")
    cid = caseload.clients.create(given_name="A", family_name="B", referrer_id=rid)
    assert caseload.clients.get(cid).referrer_name == "Huisartsenpraktijk De Linde"
    assert caseload.referrers.usage() == {rid: 1}
    changed = caseload.referrers.update(rid, expected_version=entry.version, name="De Linde")
    assert caseload.clients.fetch()[0].referrer_name == "De Linde" and changed.version == 2
    assert caseload.referrers.delete(rid) == 1
    client = caseload.clients.get(cid)
    assert client.referrer_id is None and client.referrer_name == ""
    actions = [(a.action, a.entity) for a in caseload.audit.fetch()]
    assert ("delete", "referrer") in actions and ("change", "referrer") in actions


def test_a_client_cannot_point_to_a_missing_referrer(caseload: Caseload) -> None:
    with pytest.raises(ValidationError) as info:
        caseload.clients.create(given_name="A", family_name="B", referrer_id=999)
    assert "niet (meer) in de lijst" in info.value.errors["referrer_id"]


def test_themes_referral_date_and_gp_contacts(caseload: Caseload) -> None:
    cid = caseload.clients.create(
        given_name="A",
        family_name="B",
        referred_on="01-03-2026",
        themes=["wonen", "eenzaamheid", "wonen"],
        gp_before="8",
        gp_after=3,
        gp_after_months=6,
        gp_source="praktijk",
    )
    c = caseload.clients.get(cid)
    assert c.referred_on == date(2026, 3, 1)
    assert c.themes == ("eenzaamheid", "wonen")  # each once, in the list's order
    assert (c.gp_before, c.gp_after, c.gp_after_months, c.gp_source) == (8, 3, 6, "praktijk")
    with pytest.raises(ValidationError) as info:
        caseload.clients.create(given_name="A", family_name="C", gp_after=3)
    assert "maanden" in info.value.errors["gp_after_months"]
    with pytest.raises(ValidationError) as info:
        caseload.clients.create(
            given_name="A", family_name="C", referred_on=date.today() + timedelta(days=1)
        )
    assert "toekomst" in info.value.errors["referred_on"]


def test_closure_reason_from_the_list(caseload: Caseload) -> None:
    a = caseload.clients.create(given_name="A", family_name="B")
    closed = caseload.clients.close(a, code="doelen-bereikt")
    assert (closed.closure_code, closed.closure_reason) == ("doelen-bereikt", "")
    assert pick_lists.closure_text(closed.closure_code, closed.closure_reason).startswith(
        "Doelen bereikt"
    )
    b = caseload.clients.create(given_name="C", family_name="D")
    with pytest.raises(ValidationError) as info:
        caseload.clients.close(b, code="anders")  # "anders" needs words
    assert info.value.errors["closure_reason"]
    with pytest.raises(ValidationError):
        caseload.clients.close(b)  # no code and no words
    with pytest.raises(ValidationError):
        caseload.clients.close(b, "tekst", code="verzonnen")
    closed = caseload.clients.close(b, "Verhuisd naar Spanje", code="anders")
    assert closed.closure_code == "anders"
    reopened = caseload.clients.reopen(b)
    assert (reopened.closure_code, reopened.closure_reason) == ("", "")
    old_style = caseload.clients.create(given_name="E", family_name="F")
    assert caseload.clients.close(old_style, "Gewoon klaar").closure_code == ""


def test_travel_on_a_contact(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="A", family_name="B")
    when = datetime.now().replace(microsecond=0) - timedelta(hours=1)
    nid = caseload.contacts.add(cid, occurred_at=when, travel_minutes="25", travel_km="12,46")
    note = caseload.contacts.get(nid)
    assert (note.travel_minutes, note.travel_km) == (25, 12.5)
    for bad in ("-1", "veel", "1e9", "nan"):
        with pytest.raises(ValidationError) as info:
            caseload.contacts.add(cid, occurred_at=when, travel_km=bad)
        assert info.value.errors["travel_km"]


@pytest.mark.parametrize("typed", ["1_0", "1e3", "½", "12,5,5", "0x10", " ", "1.5"])
def test_numbers_are_taken_only_as_typed_digits(caseload: Caseload, typed: str) -> None:
    cid = caseload.clients.create(given_name="A", family_name="B")
    when = datetime.now().replace(microsecond=0) - timedelta(hours=1)
    with pytest.raises(ValidationError):
        if typed == "1.5":
            caseload.contacts.add(cid, occurred_at=when, travel_minutes=typed)
        else:
            caseload.contacts.add(cid, occurred_at=when, travel_km=typed, travel_minutes=typed)
    with pytest.raises(ValidationError):
        caseload.clients.update(cid, gp_before=typed)
