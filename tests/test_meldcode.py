"""The meldcode step log: rules, service, audit, migration, erasure and search."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from brugdesk.app.caseload import Caseload
from brugdesk.domain import meldcode_rules as rules
from brugdesk.errors import NotFound, StaleRecord, ValidationError
from brugdesk.storage import migrate
from tests.conftest import PASSPHRASE
from tests.vault_pages import all_plaintext

FACT = "Blauwplekkenonderarm"  # words that occur nowhere else
THOUGHT = "Vermoedelijkslaggevaar"
WHO = "Teamleiderhendrikje"


def _entry(cl: Caseload, client_id: int, step: int = 1, **extra: object) -> int:
    fields: dict[str, object] = {
        "step": step,
        "held_on": date(2025, 3, 4),
        "consulted": f"{WHO}, collega",
        "facts": f"Zag {FACT} bij het huisbezoek.",
        "interpretations": f"{THOUGHT} thuis.",
    }
    fields.update(extra)
    return cl.meldcode.add(client_id, **fields)


# --- rules ---------------------------------------------------------------------------------


def test_the_five_steps_in_our_own_words() -> None:
    assert sorted(rules.STEPS) == [1, 2, 3, 4, 5]
    assert "Veilig Thuis" in rules.STEPS[2]
    assert "afwegingskader" in rules.STEPS[4]
    assert rules.step_title(3) == "Stap 3: Gesprek met de cliënt"


@pytest.mark.parametrize("step", [0, 6, -1, "x", None, True, 2.5, ""])
def test_a_step_is_one_to_five(step: object) -> None:
    with pytest.raises(ValidationError) as info:
        rules.clean_entry({"step": step, "held_on": "01-02-2025", "facts": "iets"})
    assert set(info.value.errors) == {"step"}


def test_facts_are_required_and_every_problem_is_reported_at_once() -> None:
    today = date(2025, 6, 1)
    with pytest.raises(ValidationError) as info:
        rules.clean_entry(
            {"step": 9, "held_on": "02-06-2025", "facts": "   ", "interpretations": "x"},
            today=today,
        )
    assert set(info.value.errors) == {"step", "held_on", "facts"}
    assert "toekomst" in info.value.errors["held_on"]
    assert info.value.errors["facts"] == "Feiten is verplicht."


@pytest.mark.parametrize(
    ("value", "words"),
    [("", "verplicht"), ("31-12-1899", "1900"), ("morgen", "geen geldige datum")],
)
def test_the_date_is_required_and_sensible(value: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        rules.clean_entry({"step": 1, "held_on": value, "facts": "iets"})
    assert words in info.value.errors["held_on"]


def test_lengths_and_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError) as info:
        rules.clean_entry(
            {
                "step": 1,
                "held_on": date.today(),
                "facts": "x" * (rules.TEXT_MAX + 1),
                "interpretations": "y" * (rules.TEXT_MAX + 1),
                "consulted": "z" * (rules.CONSULTED_MAX + 1),
            }
        )
    assert set(info.value.errors) == {"facts", "interpretations", "consulted"}
    with pytest.raises(ValidationError) as info:
        rules.clean_entry({"step": 1, "held_on": date.today(), "facts": "x", "notes": "y"})
    assert set(info.value.errors) == {"notes"}


def test_today_is_allowed_and_texts_stay_as_typed() -> None:
    out = rules.clean_entry(
        {"step": "2", "held_on": date.today(), "facts": "  Zag het.\n", "consulted": "Veilig Thuis"}
    )
    assert out == {
        "step": 2,
        "held_on": date.today(),
        "consulted": "Veilig Thuis",
        "facts": "  Zag het.\n",
        "interpretations": "",
    }


def test_steps_done_text_names_only_the_steps() -> None:
    assert rules.steps_done_text([]) == "Meldcode: nog geen stappen vastgelegd."
    assert rules.steps_done_text([1]) == "Meldcode: stap 1 gedaan."
    assert rules.steps_done_text([2, 1, 2]) == "Meldcode: stap 1 en 2 gedaan."
    assert rules.steps_done_text([5, 1, 3]) == "Meldcode: stap 1, 3 en 5 gedaan."


# --- service -------------------------------------------------------------------------------


def test_facts_and_interpretations_are_stored_apart(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Mila", family_name="Smit")
    entry_id = _entry(caseload, cid)
    [entry] = caseload.meldcode.fetch(cid)
    assert entry.id == entry_id and entry.step == 1 and entry.held_on == date(2025, 3, 4)
    assert entry.facts == f"Zag {FACT} bij het huisbezoek."
    assert entry.interpretations == f"{THOUGHT} thuis."
    assert entry.consulted == f"{WHO}, collega"
    with caseload.vault.engine.connect() as conn:
        row = conn.execute(
            text("SELECT facts, interpretations FROM meldcode_entry WHERE id = :i"),
            {"i": entry_id},
        ).one()
    assert FACT in row[0] and THOUGHT not in row[0]
    assert THOUGHT in row[1] and FACT not in row[1]


def test_entries_are_listed_by_step_and_date_and_steps_done(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Mila", family_name="Smit")
    other = caseload.clients.create(given_name="Ander", family_name="Mens")
    _entry(caseload, other, step=4)
    assert caseload.meldcode.steps_done(cid) == ()
    late = _entry(caseload, cid, step=2, held_on=date(2025, 4, 1))
    early = _entry(caseload, cid, step=2, held_on=date(2025, 3, 1))
    first = _entry(caseload, cid, step=1, held_on=date(2025, 5, 1))
    assert [e.id for e in caseload.meldcode.fetch(cid)] == [first, early, late]
    assert caseload.meldcode.steps_done(cid) == (1, 2)
    assert caseload.meldcode.steps_done(other) == (4,)


def test_update_checks_the_row_version_and_delete_removes(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Mila", family_name="Smit")
    entry_id = _entry(caseload, cid)
    [entry] = caseload.meldcode.fetch(cid)
    saved = caseload.meldcode.update(
        entry_id, expected_version=entry.version, step=3, interpretations="Anders gezien."
    )
    assert saved.step == 3 and saved.interpretations == "Anders gezien."
    assert saved.facts == entry.facts and saved.version == entry.version + 1
    with pytest.raises(StaleRecord):
        caseload.meldcode.update(entry_id, expected_version=entry.version, step=4)
    with pytest.raises(ValidationError):
        caseload.meldcode.update(entry_id, facts="")
    assert caseload.meldcode.fetch(cid)[0].step == 3
    with pytest.raises(StaleRecord):
        caseload.meldcode.delete(entry_id, expected_version=entry.version)
    caseload.meldcode.delete(entry_id, expected_version=saved.version)
    assert caseload.meldcode.fetch(cid) == []
    with pytest.raises(NotFound):
        caseload.meldcode.delete(entry_id)
    with pytest.raises(NotFound):
        caseload.meldcode.add(987654, step=1, held_on=date.today(), facts="x")


def test_audit_entries_name_the_step_never_the_text(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Mila", family_name="Smit")
    entry_id = _entry(caseload, cid, step=2)
    caseload.meldcode.update(entry_id, facts=f"Nog meer {FACT}.")
    entries = caseload.meldcode.open_log(cid)
    assert [e.id for e in entries] == [entry_id]
    caseload.meldcode.delete(entry_id)
    trail = [a for a in caseload.audit.fetch(client_id=cid) if a.entity == "meldcode"]
    assert [(a.action, a.entity_id) for a in reversed(trail)] == [
        ("create", entry_id),
        ("change", entry_id),
        ("read", None),
        ("delete", entry_id),
    ]
    assert trail[-1].details == {"step": 2}
    assert trail[-2].details == {"step": 2, "fields": ["facts"]}
    assert trail[-3].details == {"entries": 1}
    assert trail[0].details == {"step": 2}
    for a in trail:
        said = repr(a.details)
        assert FACT not in said and THOUGHT not in said and WHO not in said


def test_fetch_writes_no_audit_but_opening_the_log_does(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Mila", family_name="Smit")
    before = len(caseload.audit.fetch())
    caseload.meldcode.fetch(cid)
    caseload.meldcode.steps_done(cid)
    assert len(caseload.audit.fetch()) == before
    caseload.meldcode.open_log(cid)
    [read] = caseload.audit.fetch(limit=1)
    assert (read.action, read.entity, read.client_id) == ("read", "meldcode", cid)


def test_a_change_is_announced_as_meldcode_for_the_client(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Mila", family_name="Smit")
    seen = []
    caseload.changes.subscribe(seen.append)
    _entry(caseload, cid)
    [changes] = seen
    assert changes.touches("meldcode") and changes.touches_client(cid)
    assert not changes.touches("client")


def test_a_failed_add_leaves_no_row_and_no_audit(
    caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brugdesk.services import meldcode as service

    cid = caseload.clients.create(given_name="Mila", family_name="Smit")
    before = len(caseload.audit.fetch())

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("disk weg")

    monkeypatch.setattr(service.audit, "record", broken)
    with pytest.raises(RuntimeError):
        _entry(caseload, cid)
    monkeypatch.undo()
    assert caseload.meldcode.fetch(cid) == []
    assert len(caseload.audit.fetch()) == before


# --- migration -----------------------------------------------------------------------------


def test_revision_0006_creates_and_drops_the_table(caseload: Caseload) -> None:
    engine = caseload.vault.engine
    cid = caseload.clients.create(given_name="Mila", family_name="Smit")
    _entry(caseload, cid)
    migrate.downgrade(engine, "0005_results")
    assert migrate.current_revision(engine) == "0005_results"
    assert "meldcode_entry" not in inspect(engine).get_table_names()
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    insp = inspect(engine)
    columns = {c["name"] for c in insp.get_columns("meldcode_entry")}
    assert columns == {
        "id",
        "client_id",
        "step",
        "held_on",
        "consulted",
        "facts",
        "interpretations",
        "created_at",
        "version",
    }
    [fk] = insp.get_foreign_keys("meldcode_entry")
    assert fk["referred_table"] == "client" and fk["options"].get("ondelete") == "CASCADE"
    assert ["client_id"] in [i["column_names"] for i in insp.get_indexes("meldcode_entry")]
    # The client's existing data came through; new entries work at once.
    assert caseload.meldcode.fetch(cid) == []
    _entry(caseload, cid)
    assert caseload.meldcode.steps_done(cid) == (1,)


# --- erasure and search --------------------------------------------------------------------


def _found(plain: bytes, words: list[str]) -> list[str]:
    return [w for w in words if w.encode() in plain or w.lower().encode() in plain]


def test_deleting_the_client_leaves_no_word_of_the_meldcode(vault_dir: Path) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    try:
        key = cl.vault.key_hex()
        cid = cl.clients.create(given_name="Mila", family_name="Smit")
        for step in range(1, 6):
            _entry(cl, cid, step=step)
        kept = cl.clients.create(given_name="Berendina", family_name="Botterweg")
        words = [FACT, THOUGHT, WHO]
        assert _found(all_plaintext(vault_dir, key), words) == words
        cl.clients.delete(cid, reason="verzoek_client")
        assert cl.meldcode.fetch(cid) == []
        assert _found(all_plaintext(vault_dir, key), words) == []
        assert cl.meldcode.steps_done(kept) == ()
        with cl.vault.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM meldcode_entry")).scalar() == 0
    finally:
        cl.lock()
    assert _found(all_plaintext(vault_dir, key), [FACT, THOUGHT, WHO]) == []


def test_search_never_finds_meldcode_text(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Mila", family_name="Smit")
    caseload.contacts.add(cid, occurred_at=datetime.now() - timedelta(days=1), note="Gewoon.")
    _entry(caseload, cid)
    for word in (FACT, THOUGHT, WHO, FACT.lower()[:8]):
        assert caseload.search.clients(word) == []
    assert [h.client_id for h in caseload.search.clients("Smit")] == [cid]
