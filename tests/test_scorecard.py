"""The partner scorecard: the arithmetic on its own, and the one query over a real vault."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import event, text

from brugdesk.app.caseload import Caseload
from brugdesk.domain.records import PartnerScore
from brugdesk.domain.scorecard import describe, effective_history, middle, score, share

D0 = datetime(2026, 3, 2, 9, 30)


def day(n: int, hour: int = 10) -> datetime:
    return (D0 + timedelta(days=n)).replace(hour=hour)


def test_share_and_median_with_nothing_to_compute() -> None:
    assert share(0, 0) is None
    assert share(3, 4) == 0.75
    assert middle([]) is None
    assert middle([7]) == 7
    assert middle([2, 9, 4]) == 4
    assert middle([1, 2, 4, 10]) == 3.0


def test_a_correction_undoes_the_steps_it_corrects() -> None:
    events = [
        ("concept", day(0), ""),
        ("verstuurd", day(1), ""),
        ("geaccepteerd", day(2), ""),
        ("verstuurd", day(3), "Correctie: geaccepteerd → verstuurd, reden: verkeerde regel"),
        ("afgewezen", day(8), "Wachtlijst"),
    ]
    assert effective_history(events) == [
        ("concept", day(0)),
        ("verstuurd", day(1)),
        ("afgewezen", day(8)),
    ]
    got = score([events])
    assert (got.sent, got.answered, got.accepted) == (1, 1, 0)
    assert got.median_response_days == 7  # from the first verstuurd, not the correction
    assert got.completed_share is None  # nothing accepted


def test_a_corrected_completion_does_not_count() -> None:
    events = [
        ("verstuurd", day(0), ""),
        ("geaccepteerd", day(2), ""),
        ("gestart", day(3), ""),
        ("afgerond", day(4), ""),
        ("gestart", day(5), "Correctie: afgerond → gestart, reden: te vroeg"),
    ]
    got = score([events])
    assert (got.accepted, got.completed, got.completed_share) == (1, 0, 0.0)
    assert got.median_response_days == 2


def test_score_counts_each_definition() -> None:
    histories = [
        [("concept", day(0), "")],  # never sent: not counted at all
        [("concept", day(0), ""), ("verstuurd", day(1), "")],  # sent, no answer yet
        [  # accepted after 4 days, completed
            ("concept", day(0), ""),
            ("verstuurd", day(1, 16), ""),
            ("geaccepteerd", day(5, 8), ""),
            ("gestart", day(6), ""),
            ("afgerond", day(30), ""),
            ("teruggekoppeld", day(31), ""),
        ],
        [  # accepted after 2 days, still running
            ("concept", day(0), ""),
            ("verstuurd", day(2), ""),
            ("geaccepteerd", day(4), ""),
        ],
        [  # refused after 10 days
            ("concept", day(0), ""),
            ("verstuurd", day(0), ""),
            ("afgewezen", day(10), "Valt buiten de doelgroep"),
        ],
    ]
    assert score(histories) == PartnerScore(
        sent=4,
        answered=3,
        accepted=2,
        completed=1,
        accepted_share=2 / 3,
        median_response_days=4,
        completed_share=0.5,
    )


def test_describe_reads_as_one_line() -> None:
    assert describe(None) == "Nog geen verwijzingen."
    assert describe(score([[("concept", day(0), "")]])) == "Nog geen verwijzingen."
    waiting = score([[("verstuurd", day(0), "")]])
    assert describe(waiting) == "Verwezen: 1 · nog geen antwoord"
    full = PartnerScore(12, 8, 6, 3, 0.75, 6.5, 0.5)
    assert describe(full) == (
        "Verwezen: 12 · geaccepteerd 75% · reactie na 6,5 dagen (mediaan) · afgerond 50%"
    )
    one = PartnerScore(1, 1, 1, 0, 1.0, 1.0, 0.0)
    assert (
        describe(one)
        == "Verwezen: 1 · geaccepteerd 100% · reactie na 1 dag (mediaan) · afgerond 0%"
    )


def backdate(caseload: Caseload, referral_id: int, moments: list[datetime]) -> None:
    """Put the referral's events (in order) at *moments*: plain SQL on this test's own vault,
    since the service API stamps every event with the current time and has no way to change it."""
    with caseload.transaction() as s:
        ids = s.execute(
            text("SELECT id FROM referral_event WHERE referral_id = :r ORDER BY id"),
            {"r": referral_id},
        ).scalars()
        ids = list(ids)
        assert len(ids) == len(moments)
        for event_id, moment in zip(ids, moments, strict=True):
            s.execute(
                text("UPDATE referral_event SET at = :at WHERE id = :id"),
                {"at": moment.isoformat(sep=" "), "id": event_id},
            )


def make_referral(caseload: Caseload, cid: int, pid: int, steps: list[str]) -> int:
    rid = caseload.referrals.create(cid, pid, reason="Hulp bij formulieren")
    for step in steps:
        if step == "verstuurd":
            caseload.referrals.mark_sent(rid, override_reason="Mondeling toegestemd")
        elif step.startswith("correctie:"):
            caseload.referrals.correct_status(rid, step.split(":")[1], reason="Verkeerd geklikt")
        else:
            note = "Vol" if step == "afgewezen" else ""
            caseload.referrals.set_status(rid, step, note=note)
    return rid


def hand_made_referrals(caseload: Caseload) -> tuple[int, int, int]:
    """Three partners: one with five referrals of known dates, one with a concept, one with none."""
    cid = caseload.clients.create(given_name="Anna", family_name="Voorbeeld")
    busy = caseload.partners.add(organisation="Schuldhulp Noord")
    quiet = caseload.partners.add(organisation="Taalhuis")
    caseload.partners.add(organisation="Buurtsport")
    r1 = make_referral(caseload, cid, busy, ["verstuurd", "geaccepteerd", "gestart", "afgerond"])
    backdate(caseload, r1, [day(0), day(1), day(4), day(6), day(40)])  # 3 days
    r2 = make_referral(caseload, cid, busy, ["verstuurd", "geaccepteerd"])
    backdate(caseload, r2, [day(0), day(2), day(12)])  # 10 days
    r3 = make_referral(caseload, cid, busy, ["verstuurd", "afgewezen"])
    backdate(caseload, r3, [day(0), day(3), day(8)])  # 5 days
    r4 = make_referral(
        caseload, cid, busy, ["verstuurd", "geaccepteerd", "correctie:verstuurd", "afgewezen"]
    )
    backdate(caseload, r4, [day(0), day(5), day(6), day(7), day(11)])  # 6 days, refused
    r5 = make_referral(caseload, cid, busy, ["verstuurd"])
    backdate(caseload, r5, [day(0), day(9)])  # no answer yet
    make_referral(caseload, cid, quiet, [])  # a concept only
    return busy, quiet, cid


def test_scorecard_over_a_real_vault(caseload: Caseload) -> None:
    busy, quiet, _cid = hand_made_referrals(caseload)
    cards = caseload.partners.scorecard()
    assert cards[busy] == PartnerScore(
        sent=5,
        answered=4,
        accepted=2,
        completed=1,
        accepted_share=0.5,
        median_response_days=5.5,  # 3, 5, 6, 10
        completed_share=0.5,
    )
    assert cards[quiet].sent == 0
    assert describe(cards[quiet]) == "Nog geen verwijzingen."
    assert set(cards) == {busy, quiet}


def test_scorecard_of_an_empty_vault(caseload: Caseload) -> None:
    assert caseload.partners.scorecard() == {}


def test_scorecard_is_one_select_however_many_partners(caseload: Caseload) -> None:
    hand_made_referrals(caseload)
    seen: list[str] = []

    def count(_conn, _cursor, sql, *_args) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append(sql)

    engine = caseload.vault.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        caseload.partners.scorecard()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(seen) == 1


def test_an_answer_stamped_before_the_sending_counts_as_zero_days() -> None:
    """A computer clock set wrong for a while must not give 'reactie na -2 dagen'."""
    result = score([[("verstuurd", day(3), ""), ("geaccepteerd", day(1), "")]])
    assert result.median_response_days == 0
    assert "-" not in describe(result)
