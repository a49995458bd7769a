"""The conversation job without a window: choose, answer, skip, finish in one transaction."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from brugdesk.app.caseload import Caseload
from brugdesk.app.conversation import (
    DEFAULT_DUE_DAYS,
    Answer,
    Conversation,
    key_for_score,
    score_for_key,
)
from brugdesk.domain import instruments
from brugdesk.domain.draft_keys import conversation_draft_key
from brugdesk.errors import ValidationError
from brugdesk.services import actions as action_store
from brugdesk.services import assessments as assessment_store
from brugdesk.services import audit
from brugdesk.services import drafts as draft_store


class Boom(Exception):
    """The injected failure."""


def _client(caseload: Caseload) -> int:
    return caseload.clients.create(given_name="Gesprek", family_name="Kern")


def _talk(caseload: Caseload, cid: int) -> Conversation:
    """Three domains chosen, one skipped, two answered (one a priority); on the summary."""
    conv = Conversation.open(caseload, cid)
    assert not conv.restored and conv.on_choose
    conv.choose(["wonen", "financien", "netwerk"])
    assert conv.chosen == ["financien", "wonen", "netwerk"]  # the instrument's order
    conv.next()
    assert conv.current_part == "financien"
    conv.set_answer(
        Answer(score=2, signals=["huurachterstand"], wish="Overzicht over de post", priority=True)
    )
    conv.next()
    conv.skip()  # wonen
    assert conv.current_part == "netwerk"
    conv.set_answer(Answer(score=4, wish="Vaker onder de mensen", note="Buurthuis € 2 😟"))
    conv.next()
    assert conv.on_summary
    conv.save_draft()
    return conv


def _counts(caseload: Caseload, cid: int) -> tuple[int, int, bool]:
    draft = caseload.drafts.get(conversation_draft_key(cid))
    return len(caseload.assessments.fetch(cid)), len(caseload.actions.fetch(cid)), draft is not None


def test_a_whole_conversation_stores_once_with_only_what_was_discussed(
    caseload: Caseload,
) -> None:
    cid = _client(caseload)
    conv = _talk(caseload, cid)
    assert conv.discussed() == ["financien", "netwerk"]
    assert conv.proposed_actions() == ["financien"]  # the priorities
    rows = {r.part: r for r in conv.summary_rows()}
    assert rows["financien"].signal_labels == ("Huurachterstand",)
    assert rows["financien"].score_label and rows["netwerk"].score == 4
    published = []
    caseload.changes.subscribe(published.append)

    assessment_id = conv.finish(["financien", "netwerk"], due_on={"netwerk": date(2031, 3, 1)})

    [stored] = caseload.assessments.fetch(cid)
    assert stored.id == assessment_id and stored.held_on == date.today()
    items = {i.domain: i for i in stored.items}
    assert set(items) == {"financien", "netwerk"}  # not chosen and skipped: not stored
    assert items["financien"].signals == ("huurachterstand",) and items["financien"].priority
    assert items["netwerk"].note == "Buurthuis € 2 😟"
    plan = {a.domain: a for a in caseload.actions.fetch(cid)}
    assert plan["financien"].description == "Geld en schulden: Overzicht over de post"
    assert plan["financien"].due_on == date.today() + timedelta(days=DEFAULT_DUE_DAYS)
    assert plan["netwerk"].description == "Sociaal netwerk en eenzaamheid: Vaker onder de mensen"
    assert plan["netwerk"].due_on == date(2031, 3, 1) and plan["netwerk"].status == "open"
    assert caseload.drafts.get(conversation_draft_key(cid)) is None
    trail = [(e.action, e.entity) for e in caseload.audit.fetch(client_id=cid)]
    assert trail.count(("create", "assessment")) == 1 and trail.count(("create", "action")) == 2
    # One transaction: one announcement, naming the client and both kinds of data.
    assert len(published) == 1
    assert published[0].touches_client(cid) and published[0].touches("assessment", "action")


def test_finishing_twice_stores_once_and_returns_the_same_id(caseload: Caseload) -> None:
    cid = _client(caseload)
    conv = _talk(caseload, cid)
    first = conv.finish()
    conv.save_draft()  # a late autosave must not bring the draft back
    assert conv.finish() == first
    assert _counts(caseload, cid) == (1, 1, False)


def test_the_default_due_date_can_be_changed(caseload: Caseload) -> None:
    cid = _client(caseload)
    conv = _talk(caseload, cid)
    conv.due_days = 30
    conv.finish()
    [action] = caseload.actions.fetch(cid)
    assert action.due_on == date.today() + timedelta(days=30)


def test_resume_from_the_draft_restores_every_answer(caseload: Caseload) -> None:
    cid = _client(caseload)
    conv = _talk(caseload, cid)
    conv.back()  # on "netwerk" again
    conv.save_draft()
    again = Conversation.open(caseload, cid)
    assert again.restored and again.instrument.id == "leefgebieden"
    assert again.chosen == conv.chosen and again.index == conv.index == 3
    assert again.current_part == "netwerk"
    assert again.answers == conv.answers
    assert again.answer("wonen").skipped
    assert again.answer("netwerk").note == "Buurthuis € 2 😟"
    assert again.answer("financien") == Answer(
        score=2, signals=["huurachterstand"], wish="Overzicht over de post", priority=True
    )
    again.next()
    assert again.finish() and _counts(caseload, cid) == (1, 1, False)


def test_an_unreadable_draft_starts_afresh(caseload: Caseload) -> None:
    cid = _client(caseload)
    key = conversation_draft_key(cid)
    caseload.drafts.save(key, {"instrument_id": "bestaat-niet", "version": "9"}, client_id=cid)
    assert not Conversation.open(caseload, cid).restored
    bad = {"instrument_id": "leefgebieden", "version": "1", "chosen": ["netwerk", "onbekend"]}
    bad["answers"] = {"netwerk": {"score": "veel", "signals": "x", "priority": 1}, "onbekend": {}}
    bad["index"] = "zeven"
    caseload.drafts.save(key, bad, client_id=cid)
    conv = Conversation.open(caseload, cid)
    assert conv.restored and conv.chosen == ["netwerk"] and conv.index == 0
    assert conv.answers == {"netwerk": Answer()}


def test_nothing_chosen_or_everything_skipped_is_refused(caseload: Caseload) -> None:
    cid = _client(caseload)
    conv = Conversation.start(caseload, cid)
    with pytest.raises(ValidationError, match="minstens één onderwerp"):
        conv.next()
    conv.choose(["netwerk"])
    conv.next()
    conv.skip()
    assert conv.on_summary
    with pytest.raises(ValidationError, match="Alles is overgeslagen"):
        conv.finish()
    assert _counts(caseload, cid) == (0, 0, False)


def test_an_action_for_a_part_not_discussed_is_refused(caseload: Caseload) -> None:
    cid = _client(caseload)
    conv = _talk(caseload, cid)
    with pytest.raises(ValidationError, match="Wonen"):
        conv.finish(["wonen"])  # skipped
    assert _counts(caseload, cid) == (0, 0, True)


def _fail_on_call(monkeypatch, module, name: str, n: int) -> None:
    """Make the *n*-th call of module.name raise; the calls before it are real."""
    real = getattr(module, name)
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == n:
            raise Boom(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, failing)


@pytest.mark.parametrize(
    ("module", "name", "n"),
    [
        (assessment_store, "insert_assessment", 1),  # creating the assessment
        (action_store, "insert_action", 1),  # creating the first action
        (action_store, "insert_action", 2),  # creating the second action
        (draft_store, "delete_draft", 1),  # discarding the draft
        (audit, "record", 1),  # the assessment's audit row
        (audit, "record", 2),  # the first action's audit row
        (audit, "record", 3),  # the second action's audit row
    ],
    ids=lambda x: x if isinstance(x, str | int) else "",
)
def test_a_failure_at_any_step_leaves_the_vault_as_it_was_and_a_retry_stores_once(
    caseload: Caseload, monkeypatch: pytest.MonkeyPatch, module, name: str, n: int
) -> None:
    cid = _client(caseload)
    conv = _talk(caseload, cid)
    published = []
    caseload.changes.subscribe(published.append)
    with monkeypatch.context() as m:
        _fail_on_call(m, module, name, n)
        with pytest.raises(Boom):
            conv.finish(["financien", "netwerk"])
    assert _counts(caseload, cid) == (0, 0, True)  # no assessment, no action, draft kept
    assert published == [] and not conv.finished
    assert Conversation.open(caseload, cid).answers == conv.answers

    assessment_id = conv.finish(["financien", "netwerk"])
    assert _counts(caseload, cid) == (1, 2, False)
    assert [a.id for a in caseload.assessments.fetch(cid)] == [assessment_id]
    assert len(published) == 1


def test_a_failing_commit_leaves_nothing_and_a_retry_stores_once(caseload: Caseload) -> None:
    cid = _client(caseload)
    conv = _talk(caseload, cid)

    def refuse(_session) -> None:
        raise Boom("commit")

    event.listen(Session, "before_commit", refuse)
    try:
        with pytest.raises(Boom):
            conv.finish()
    finally:
        event.remove(Session, "before_commit", refuse)
    assert _counts(caseload, cid) == (0, 0, True)
    conv.finish()
    assert _counts(caseload, cid) == (1, 1, False)


def test_djg6_is_scored_through_the_conversation(caseload: Caseload) -> None:
    cid = _client(caseload)
    conv = Conversation.start(caseload, cid)
    conv.choose_instrument("eenzaamheid-djg6")
    inst = conv.instrument
    assert conv.chosen == list(inst.parts) and len(conv.chosen) == 6  # answered whole
    conv.choose(["leegte"])  # a scale cannot be cut down
    assert len(conv.chosen) == 6
    assert [o.key for o in conv.options()] == [1, 2, 3]
    conv.next()
    assert not conv.can_skip
    conv.skip()
    assert conv.index == 1  # skipping a validated scale does nothing
    for key in (3, 3, 2, 1, 1, 2):  # ja, ja, min of meer | nee, nee, min of meer
        conv.set_answer(Answer(score=score_for_key(inst, key)))
        conv.next()
    assert conv.on_summary and conv.proposed_actions() == []
    result = conv.scale_result()
    assert result is not None and result.complete
    assert "Totaal 6 van 6: (zeer) ernstig eenzaam" in result.describe(inst)
    assert [r.score_label for r in conv.summary_rows()][:3] == ["Ja", "Ja", "Min of meer"]
    assessment_id = conv.finish()
    assert caseload.assessments.scale_result(assessment_id).band == "(zeer) ernstig eenzaam"
    assert caseload.actions.fetch(cid) == []


def test_the_number_keys_map_to_the_stored_score() -> None:
    domains = instruments.get("leefgebieden")
    scale = instruments.get("eenzaamheid-djg6")
    assert score_for_key(domains, 3) == 3 and key_for_score(domains, 3) == 3
    assert score_for_key(scale, 1) == 0 and key_for_score(scale, 2) == 3
    assert score_for_key(scale, 4) is None and key_for_score(domains, None) is None


def test_an_incomplete_scale_has_no_total(caseload: Caseload) -> None:
    conv = Conversation.start(caseload, _client(caseload), "eenzaamheid-djg6")
    conv.next()
    conv.set_answer(Answer(score=0))
    result = conv.scale_result()
    assert result is not None and not result.complete and result.total is None
