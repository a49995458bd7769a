"""The service API as the GUI will use it: validation, audit, lists and search."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brugdesk.app.caseload import Caseload
from brugdesk.errors import InvalidTransition, NotFound, ValidationError, VaultError
from brugdesk.storage.models import AuditEntry


def _client(cl: Caseload, **extra) -> int:
    return cl.clients.create(given_name="Fatma", family_name="Öztürk", **extra)


def test_client_lifecycle_is_audited(caseload: Caseload) -> None:
    cid = _client(caseload, date_of_birth="31-12-1960", postal_code="8011ab", phone="06-12345678")
    c = caseload.clients.get(cid)
    assert c.postal_code == "8011 AB" and c.date_of_birth == date(1960, 12, 31)
    assert c.status == "aangemeld" and c.started_on == date.today()
    caseload.clients.update(cid, status="actief", city="Zwolle")
    with pytest.raises(ValidationError) as info:
        caseload.clients.close(cid, reason="  ")
    assert "reden" in info.value.message.lower()
    closed = caseload.clients.close(cid, reason="Doelen bereikt")
    assert closed.status == "afgesloten" and closed.closed_on == date.today()
    with pytest.raises(InvalidTransition):
        caseload.clients.close(cid, reason="nog eens")
    assert caseload.clients.reopen(cid).status == "actief"
    caseload.clients.delete(cid, reason="verzoek_client")
    with pytest.raises(NotFound):
        caseload.clients.get(cid)
    actions = [(a.action, a.entity, a.client_id) for a in caseload.audit.fetch()]
    assert actions[::-1] == [
        ("create", "client", cid),
        ("change", "client", cid),
        ("change", "client", cid),
        ("change", "client", cid),
        ("delete", "client", cid),
    ]


def test_audit_is_append_only(caseload: Caseload) -> None:
    _client(caseload)
    with pytest.raises(VaultError, match="auditlogboek"), caseload.transaction() as s:
        s.query(AuditEntry).delete()
    with pytest.raises(VaultError, match="auditlogboek"), caseload.transaction() as s:
        s.query(AuditEntry).update({"action": "change"})
    assert len(caseload.audit.fetch()) == 1


def test_failed_validation_writes_nothing(caseload: Caseload) -> None:
    with pytest.raises(ValidationError) as info:
        caseload.clients.create(
            given_name="",
            family_name="X",
            date_of_birth=date.today() + timedelta(days=1),
            email="geen-mail",
            postal_code="12345",
            phone="bel me",
        )
    assert set(info.value.errors) == {
        "given_name", "date_of_birth", "email", "postal_code", "phone",
    }  # fmt: skip
    assert "toekomst" in info.value.errors["date_of_birth"]
    assert caseload.clients.count() == 0
    assert caseload.audit.fetch() == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("given_name", "Nul\x00teken"),
        ("given_name", "twee\nregels"),
        ("given_name", "x" * 201),
        ("given_name", "\ud800"),
        ("reason", "stuur\x07teken"),
        ("date_of_birth", "31-02-1980"),
        ("date_of_birth", "1899-12-31"),
        ("referrer_id", "buurman"),
        ("referred_on", "01-01-2999"),
        ("themes", ["buurman"]),
        ("gp_before", "-1"),
    ],
)
def test_bad_input_gets_a_message(caseload: Caseload, field: str, value: str) -> None:
    fields = {"given_name": "A", "family_name": "B", field: value}
    with pytest.raises(ValidationError) as info:
        caseload.clients.create(**fields)
    assert info.value.errors[field]


def test_contact_rules_and_huge_notes(caseload: Caseload) -> None:
    cid = _client(caseload)
    with pytest.raises(ValidationError) as info:
        caseload.contacts.add(cid, occurred_at=datetime.now() + timedelta(days=2), note="x")
    assert "toekomst" in info.value.message
    # Later today and tomorrow morning are fine (a visit typed up in advance).
    caseload.contacts.add(cid, occurred_at=datetime.now() + timedelta(hours=20), note="ok")
    megabyte = ("Een lange notitie met café en ☕. " * 40_000)[:1_000_000]
    big = caseload.contacts.add(cid, occurred_at=datetime.now(), note=megabyte)
    assert caseload.contacts.get(big).note == megabyte
    with pytest.raises(ValidationError) as info:
        caseload.contacts.add(cid, occurred_at=datetime.now(), note="x" * 100_000_000)
    assert "te lang" in info.value.message
    with pytest.raises(ValidationError):
        caseload.contacts.add(cid, occurred_at=datetime.now(), kind="duivenpost", note="x")
    with pytest.raises(ValidationError):
        caseload.contacts.add(cid, occurred_at=datetime.now(), duration_min=-5, note="x")
    with pytest.raises(NotFound):
        caseload.contacts.add(9999, occurred_at=datetime.now(), note="x")


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=300,
).filter(lambda s: not any((ord(c) < 32 and c not in "\t\n\r") or c == "\x7f" for c in s))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(note=_TEXT)
def test_any_text_comes_back_exactly(caseload: Caseload, note: str) -> None:
    cid = caseload.clients.create(given_name="Tekst", family_name="Proef")
    contact = caseload.contacts.add(cid, occurred_at=datetime.now(), note=note)
    assert caseload.contacts.get(contact).note == note


@pytest.mark.parametrize(
    "text",
    [
        "<b>vet</b> & <img src='/etc/passwd'/> </para>",
        "עברית ومرحبا mixed RTL",
        "emoji 👩🏽‍⚕️🇳🇱 en ZWJ",
        "Robert'); DROP TABLE client;--",
        "tab\tregel\r\nregel",
    ],
)
def test_odd_text_roundtrips_in_names_and_notes(caseload: Caseload, text: str) -> None:
    single_line = text.replace("\t", " ").replace("\r\n", " ")
    cid = caseload.clients.create(given_name=single_line, family_name="X", reason=text)
    assert caseload.clients.get(cid).given_name == single_line
    assert caseload.clients.get(cid).reason == text
    nid = caseload.contacts.add(cid, occurred_at=datetime.now(), note=text)
    assert caseload.contacts.get(nid).note == text
    assert caseload.clients.count() == 1


def test_drafts_keep_anything_typed(caseload: Caseload) -> None:
    cid = _client(caseload)
    caseload.contacts.save_draft(
        cid, note="half getypt \x00 met datum 31-02", occurred_at="morgen?"
    )
    assert caseload.contacts.get_draft(cid) == {
        "note": "half getypt \x00 met datum 31-02", "occurred_at": "morgen?",
    }  # fmt: skip
    caseload.contacts.add(cid, occurred_at=datetime.now(), note="definitief")
    assert caseload.contacts.get_draft(cid) is None  # saving the note clears its draft
    caseload.drafts.save("form:client:new", {"given_name": "Ha"})
    assert [d.key for d in caseload.drafts.fetch()] == ["form:client:new"]
    caseload.drafts.discard("form:client:new")
    assert caseload.drafts.fetch() == []


def test_caseload_list_shows_last_contact_next_due_and_referrals(caseload: Caseload) -> None:
    a = caseload.clients.create(given_name="Anna", family_name="Bakker", date_of_birth="1950-06-01")
    b = caseload.clients.create(given_name="Bert", family_name="Aalders")
    when = datetime(2026, 1, 5, 10, 0)
    caseload.contacts.add(a, occurred_at=when, note="eerste")
    caseload.contacts.add(a, occurred_at=when + timedelta(days=3), note="tweede")
    soon = date.today() + timedelta(days=45)  # due dates may lie at most a year ahead
    caseload.actions.add(a, description="Later", due_on=soon + timedelta(days=45))
    caseload.actions.add(a, description="Eerst", due_on=soon + timedelta(days=15))
    caseload.actions.add(a, description="Klaar", due_on=date(2026, 1, 1), status="gedaan")
    pid = caseload.partners.add(organisation="Humanitas")
    caseload.referrals.create(a, pid, feedback_due=soon)
    rows = {r.id: r for r in caseload.clients.fetch(today=date(2026, 6, 1))}
    assert [r.id for r in caseload.clients.fetch()] == [b, a]  # sorted by family name
    assert rows[a].age == 76 and rows[a].last_contact == when + timedelta(days=3)
    assert (rows[a].next_due, rows[a].next_due_text) == (
        soon,
        "Terugkoppeling verwijzing",
    )
    assert rows[a].open_referrals == 1
    assert rows[b].last_contact is None and rows[b].next_due is None
    assert [r.id for r in caseload.clients.fetch(status="actief")] == []


def test_search_names_and_notes_with_diacritics_and_prefixes(caseload: Caseload) -> None:
    s = caseload.clients.create(given_name="Şükrü", family_name="Yılmaz")
    l = caseload.clients.create(given_name="Łukasz", family_name="Wójcik")  # noqa: E741
    n = caseload.clients.create(given_name="Thị Minh", family_name="Nguyễn")
    caseload.contacts.add(
        l, occurred_at=datetime.now(), note="Afspraak in het café over de huurachterstand."
    )
    assert [h.client_id for h in caseload.search.clients("yilmaz")] == [s]
    assert [h.client_id for h in caseload.search.clients("sukru yil")] == [s]
    assert [h.client_id for h in caseload.search.clients("lukasz")] == [l]
    assert [h.client_id for h in caseload.search.clients("nguyen")] == [n]
    hits = caseload.search.clients("cafe")
    assert [(h.client_id, h.matched) for h in hits] == [(l, "notitie")]
    assert "\x02café\x03" in hits[0].snippet
    assert [h.client_id for h in caseload.search.clients("huurachter")] == [l]  # prefix
    for hostile in ['"', "NEAR(", "*", "a OR", "-", ")(", "'; DROP", ""]:
        caseload.search.clients(hostile)  # never an FTS syntax error
    caseload.clients.update(n, family_name="Trần")
    assert caseload.search.clients("nguyen") == []
    assert [h.client_id for h in caseload.search.clients("tran")] == [n]


def test_assessments_store_only_discussed_domains(caseload: Caseload) -> None:
    cid = _client(caseload)
    aid = caseload.assessments.add(
        cid,
        instrument_id="leefgebieden",
        instrument_version="1",
        items=[
            {"domain": "financien", "score": 2, "signals": ["huurachterstand"], "priority": True},
            {"domain": "netwerk", "score": 4, "wish": "Meer mensen zien"},
        ],
    )
    record = caseload.assessments.get(aid)
    assert [i.domain for i in record.items] == ["financien", "netwerk"]
    assert record.items[0].signals == ("huurachterstand",) and record.items[0].priority
    with pytest.raises(ValidationError):
        caseload.assessments.add(
            cid, instrument_id="x", instrument_version="1", items=[{"domain": "a"}, {"domain": "a"}]
        )
    with pytest.raises(ValidationError):
        caseload.assessments.add(
            cid, instrument_id="x", instrument_version="1", items=[{"domain": "a", "score": "vijf"}]
        )


def test_actions(caseload: Caseload) -> None:
    cid = _client(caseload)
    aid = caseload.actions.add(
        cid,
        description="Bel de woningcorporatie",
        who="cliënt",
        due_on=(date.today() + timedelta(days=49)).isoformat(),
        domain="wonen",
    )
    done = caseload.actions.update(aid, status="gedaan")
    assert done.done_on == date.today()
    assert caseload.actions.fetch(cid, open_only=True) == []
    with pytest.raises(ValidationError):
        caseload.actions.add(cid, description="")


def test_referral_consent_and_status_machine(caseload: Caseload) -> None:
    cid = _client(caseload)
    pid = caseload.partners.add(organisation="Schuldhulp", domains=["financien"])
    rid = caseload.referrals.create(cid, pid, reason="Schulden", shared_fields=["naam"])
    with pytest.raises(ValidationError) as info:
        caseload.referrals.mark_sent(rid)
    assert "toestemming" in info.value.message
    consent = caseload.consents.record(
        cid, recipient="Schuldhulp", purpose="verwijzing", how="mondeling", partner_id=pid
    )
    caseload.consents.withdraw(consent)
    with pytest.raises(ValidationError):  # withdrawn consent is respected
        caseload.referrals.mark_sent(rid)
    sent = caseload.referrals.mark_sent(rid, override_reason="Crisis: woning wordt ontruimd")
    assert sent.status == "verstuurd" and sent.consent_id is None
    assert sent.feedback_due == date.today() + timedelta(days=14)
    assert any(a.action == "consent_override" for a in caseload.audit.fetch())
    with pytest.raises(InvalidTransition):
        caseload.referrals.set_status(rid, "afgerond")
    with pytest.raises(ValidationError):
        caseload.referrals.set_status(rid, "afgewezen")  # reason required
    caseload.referrals.set_status(rid, "geaccepteerd")
    caseload.referrals.set_status(rid, "gestart", note="Intake gepland")
    caseload.referrals.set_status(rid, "afgerond")
    final = caseload.referrals.set_status(rid, "teruggekoppeld")
    assert [e.status for e in final.events] == [
        "concept", "verstuurd", "geaccepteerd", "gestart", "afgerond", "teruggekoppeld",
    ]  # fmt: skip
    with pytest.raises(InvalidTransition):
        caseload.referrals.set_status(rid, "gestart")


def test_referral_with_consent(caseload: Caseload) -> None:
    cid = _client(caseload)
    pid = caseload.partners.add(organisation="Wijkteam")
    cons = caseload.consents.record(
        cid, recipient="Wijkteam", purpose="verwijzing", how="schriftelijk", partner_id=pid
    )
    assert caseload.consents.active_for(cid, pid).id == cons
    rid = caseload.referrals.create(cid, pid)
    due = date.today() + timedelta(days=40)
    sent = caseload.referrals.mark_sent(rid, letter_sha256="ab" * 32, feedback_due=due.isoformat())
    assert sent.consent_id == cons and sent.feedback_due == due
    with pytest.raises(ValidationError):
        caseload.consents.record(cid, recipient="X", purpose="Y", how="telepathisch")


def test_partners_search_and_validation(caseload: Caseload) -> None:
    caseload.partners.add(
        organisation="Humanitas", team="Thuisadministratie", domains=["financien", "administratie"]
    )
    caseload.partners.add(organisation="Bibliotheek", team="Taalhuis", domains=["administratie"])
    assert [p.organisation for p in caseload.partners.fetch(query="thuis")] == ["Humanitas"]
    assert len(caseload.partners.fetch(domain="administratie")) == 2
    with pytest.raises(ValidationError):
        caseload.partners.add(organisation="X", verified_on=date.today() + timedelta(days=3))


def test_settings(caseload: Caseload) -> None:
    assert caseload.settings.get().idle_lock_minutes == 5
    s = caseload.settings.update(
        worker_name="Anouk de Wit", worker_role="welzijnscoach", idle_lock_minutes="10"
    )
    assert s.idle_lock_minutes == 10 and s.worker_name == "Anouk de Wit"
    with pytest.raises(ValidationError):
        caseload.settings.update(idle_lock_minutes=0)
    with pytest.raises(ValidationError):
        caseload.settings.update(passphrase="nooit")


def test_partner_with_referrals_cannot_be_deleted(caseload: Caseload) -> None:
    cid = _client(caseload)
    used = caseload.partners.add(organisation="Wijkteam")
    unused = caseload.partners.add(organisation="Oud")
    caseload.referrals.create(cid, used)
    with pytest.raises(InvalidTransition, match="Wijkteam heeft 1 verwijzing"):
        caseload.partners.delete(used)
    caseload.partners.delete(unused)
    assert [p.organisation for p in caseload.partners.fetch()] == ["Wijkteam"]
