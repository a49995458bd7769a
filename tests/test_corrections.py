"""Every mistake can be corrected: the core jobs behind the window's corrections."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from brugdesk.app.caseload import Caseload
from brugdesk.app.conversation import Answer, Conversation, discard_conversation_draft
from brugdesk.app.transfers import existing_matches, import_clients, read_clients
from brugdesk.domain.draft_keys import conversation_draft_key
from brugdesk.domain.referral_rules import correction_targets
from brugdesk.errors import InvalidTransition, NotFound, ValidationError


def _audit(cl: Caseload) -> list[tuple[str, str, int | None]]:
    return [(a.action, a.entity, a.entity_id) for a in cl.audit.fetch()]


def _sent_referral(cl: Caseload, cid: int) -> int:
    pid = cl.partners.add(organisation="Schuldhulp Zwolle")
    rid = cl.referrals.create(cid, pid, reason="Schulden")
    cl.referrals.mark_sent(rid, override_reason="Spoed, mondeling akkoord")
    return rid


def test_correcting_a_referral_status_adds_an_event_and_keeps_history(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Ada", family_name="Arends")
    rid = _sent_referral(caseload, cid)
    caseload.referrals.set_status(rid, "geaccepteerd")
    caseload.referrals.set_status(rid, "gestart")
    before = caseload.referrals.get(rid)
    assert correction_targets([e.status for e in before.events]) == ("geaccepteerd", "verstuurd")
    # A reason is required, and only an earlier status (never concept) is allowed.
    with pytest.raises(ValidationError):
        caseload.referrals.correct_status(rid, "geaccepteerd", reason="  ")
    for wrong in ("concept", "afgerond", "gestart"):
        with pytest.raises(InvalidTransition):
            caseload.referrals.correct_status(rid, wrong, reason="Vergissing")
    after = caseload.referrals.correct_status(rid, "geaccepteerd", reason="Verkeerde regel")
    assert after.status == "geaccepteerd"
    assert [e.status for e in after.events] == [
        "concept",
        "verstuurd",
        "geaccepteerd",
        "gestart",
        "geaccepteerd",
    ]
    assert after.events[-1].note == "Correctie: gestart → geaccepteerd, reden: Verkeerde regel"
    assert [(e.status, e.note) for e in after.events[:4]] == [
        (e.status, e.note) for e in before.events
    ]
    row = caseload.audit.fetch()[0]
    assert (row.action, row.entity, row.entity_id) == ("change", "referral", rid)
    assert row.details == {"status": "geaccepteerd", "corrected_from": "gestart"}
    # The machine goes on from the corrected status.
    assert caseload.referrals.set_status(rid, "afgerond").status == "afgerond"


def test_contact_action_and_conversation_deletes_are_audited(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Bo", family_name="Bakker")
    kid = caseload.contacts.add(cid, occurred_at=datetime(2026, 1, 5, 10), note="Per ongeluk")
    aid = caseload.actions.add(cid, description="Bellen")
    conv = Conversation.start(caseload, cid)
    conv.choose(["financien"])
    conv.next()
    conv.set_answer(Answer(score=2, wish="Overzicht"))
    conv.next()
    asid = conv.finish([])
    caseload.contacts.delete(kid)
    caseload.actions.delete(aid)
    caseload.assessments.delete(asid)
    assert caseload.contacts.fetch(cid) == [] and caseload.assessments.fetch(cid) == []
    assert caseload.actions.fetch(cid) == []
    assert _audit(caseload)[:3] == [
        ("delete", "assessment", asid),
        ("delete", "action", aid),
        ("delete", "contact", kid),
    ]
    with pytest.raises(NotFound):
        caseload.contacts.delete(kid)


def test_action_edit_changes_text_who_and_due(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Cas", family_name="Claes")
    aid = caseload.actions.add(cid, description="Belen", who="ik")
    a = caseload.actions.fetch(cid)[0]
    changed = caseload.actions.update(
        aid, expected_version=a.version, description="Bellen", who="cliënt", due_on="01-06-2026"
    )
    assert (changed.description, changed.who, changed.due_on) == (
        "Bellen",
        "cliënt",
        date(2026, 6, 1),
    )
    row = caseload.audit.fetch()[0]
    assert row.action == "change" and sorted(row.details["fields"]) == [
        "description",
        "due_on",
        "who",
    ]


def test_actions_from_a_conversation_get_a_due_date(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Dirk", family_name="Dam")
    conv = Conversation.start(caseload, cid)
    conv.choose(["financien"])
    conv.next()
    conv.set_answer(Answer(score=2, wish="Overzicht over de post"))
    conv.next()
    asid = conv.finish(["financien"])
    assert [a.due_on for a in caseload.actions.fetch(cid)] == [date.today() + timedelta(14)]
    # Actions decided later from a stored conversation are dated too.
    caseload.assessments.create_actions(asid, ["financien"])
    assert [a.due_on for a in caseload.actions.fetch(cid)] == [date.today() + timedelta(14)] * 2


def test_discarding_a_conversation_draft_is_audited(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Eva", family_name="Eik")
    conv = Conversation.start(caseload, cid)
    conv.choose(["wonen"])
    conv.save_draft()
    seen = []
    caseload.changes.subscribe(seen.append)
    assert discard_conversation_draft(caseload, cid) is True
    assert caseload.drafts.get(conversation_draft_key(cid)) is None
    assert _audit(caseload)[0] == ("delete", "assessment", None)
    assert seen and seen[0].touches_client(cid)
    assert discard_conversation_draft(caseload, cid) is False  # nothing left: no row
    assert len(caseload.audit.fetch()) == 2


def test_same_name_and_birth_date_is_found(caseload: Caseload) -> None:
    cid = caseload.clients.create(
        given_name="Şükrü", family_name="Yılmaz", date_of_birth="12-03-1961"
    )
    caseload.clients.create(given_name="Şükrü", family_name="Yılmaz", date_of_birth="13-03-1961")
    same = caseload.clients.find_same(" şükrü ", "YILMAZ", "1961-03-12")
    assert [c.id for c in same] == [cid]
    assert caseload.clients.find_same("Şükrü", "Yılmaz", "") == []
    assert caseload.clients.find_same("Şükrü", "Yılmaz", "31-02-1961") == []


CSV = "voornaam;achternaam;geboortedatum\nAnna;Appel;01-02-1970\nBert;Boom;\n"


def test_importing_the_same_file_twice_does_not_double(caseload: Caseload, tmp_path: Path) -> None:
    path = tmp_path / "lijst.csv"
    path.write_text(CSV, encoding="utf-8")
    plan = read_clients(path)
    assert existing_matches(caseload, plan) == [None, None]
    assert import_clients(caseload, plan) == 2
    again = read_clients(path)
    matches = existing_matches(caseload, again)
    assert all(m is not None for m in matches)
    assert import_clients(caseload, again) == 0
    assert caseload.clients.count() == 2
    row = caseload.audit.fetch()[0]
    assert row.action == "import" and row.details == {"count": 0, "skipped": 2}
    # Asked for explicitly, the lines are written anyway.
    assert import_clients(caseload, again, skip_existing=False) == 2
    assert caseload.clients.count() == 4
