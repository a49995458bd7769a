"""Search finds what the worker wrote, folded like names (issue 10, point 13).

Every searchable field, every letter without a Unicode decomposition, the
index following edits and deletes in the same transaction, the one-time
rebuild of an older vault at unlock, and the cap.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from brugdesk.app.caseload import Caseload
from brugdesk.domain import instruments
from brugdesk.services.search import snippet
from brugdesk.storage import migrate
from brugdesk.storage.search_index import fold
from tests.conftest import PASSPHRASE


def found(cl: Caseload, query: str) -> list[tuple[int, str]]:
    return [(h.client_id, h.matched) for h in cl.search.clients(query)]


def _talk(cl: Caseload, cid: int, **item: str) -> int:
    inst = instruments.get("leefgebieden")
    return cl.assessments.add(
        cid,
        instrument_id=inst.id,
        instrument_version=inst.version,
        items=[{"domain": "financien", "score": 2, **item}],
    )


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("Gesprek met Łukasz over de huur", "lukasz"),
        ("Woont aan de Hauptstraße", "hauptstrasse"),
        ("Zoon Søren helpt soms", "soren"),
        ("Zijn sœur komt langs", "soeur"),
        ("Appel heet æble in het Deens", "aeble"),
        ("Buurvrouw Yıldız brengt eten", "yildiz"),
        ("Afspraak in het café", "cafe"),
    ],
)
def test_every_folded_letter_is_found_in_a_note(caseload: Caseload, typed: str, query: str) -> None:
    cid = caseload.clients.create(given_name="Anna", family_name="Jansen")
    caseload.contacts.add(cid, occurred_at=datetime(2024, 3, 1, 10), note=typed)
    [hit] = caseload.search.clients(query)
    assert (hit.client_id, hit.matched) == (cid, "notitie")
    assert hit.occurred_at == datetime(2024, 3, 1, 10)
    # The snippet shows the words as typed, the matched one marked.
    marked = hit.snippet.split("\x02")[1].split("\x03")[0]
    assert fold(marked).startswith(query) and marked in typed
    # The query may itself carry the letters: ``Łukasz`` finds ``lukasz`` too.
    assert [h.client_id for h in caseload.search.clients(typed.split()[-1])] == [cid]


def test_hulpvraag_address_city_actions_and_conversations_are_found(caseload: Caseload) -> None:
    a = caseload.clients.create(
        given_name="Piet", family_name="Bakker", reason="Schulden en eenzaamheid sinds Æbeltoft"
    )
    b = caseload.clients.create(
        given_name="Kees", family_name="Visser", address="Große Allee 3", city="Łódź"
    )
    c = caseload.clients.create(given_name="Mien", family_name="Smit")
    d = caseload.clients.create(given_name="Joop", family_name="Mol")
    caseload.actions.add(c, description="Aanvraag bijzondere bijstand bij Sœurs-fonds")
    _talk(caseload, d, wish="Weer fietsen met Bjørn", note="Voelt zich alleen sinds de verhuizing")

    assert found(caseload, "aebeltoft") == [(a, "hulpvraag")]
    assert found(caseload, "schulden eenzaam") == [(a, "hulpvraag")]
    assert found(caseload, "grosse allee") == [(b, "adres")]
    assert found(caseload, "lodz") == [(b, "adres")]
    assert found(caseload, "soeurs") == [(c, "actie")]
    assert found(caseload, "bijzondere bijstand") == [(c, "actie")]
    assert found(caseload, "bjorn") == [(d, "gesprek")]
    [hit] = caseload.search.clients("verhuiz")
    assert (hit.client_id, hit.matched) == (d, "gesprek")
    assert "\x02verhuizing\x03" in hit.snippet and hit.occurred_at is not None


def test_the_index_follows_every_edit_and_delete(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="Els", family_name="Kok", reason="Huurschuld")
    note = caseload.contacts.add(cid, occurred_at=datetime.now(), note="Belt met Straße-bank")
    action = caseload.actions.add(cid, description="Budgetcoach zoeken")
    talk = _talk(caseload, cid, note="Wil naar de Ærø-club")
    assert found(caseload, "huurschuld") == [(cid, "hulpvraag")]

    version = caseload.clients.get(cid).version
    caseload.clients.update(cid, expected_version=version, reason="Eenzaamheid", city="Zwolle")
    assert found(caseload, "huurschuld") == []
    assert found(caseload, "eenzaamheid") == [(cid, "hulpvraag")]
    assert found(caseload, "zwolle") == [(cid, "adres")]

    contact = caseload.contacts.get(note)
    caseload.contacts.update(note, expected_version=contact.version, note="Nu de Fjørd-bank")
    assert found(caseload, "strasse") == [] and found(caseload, "fjord") == [(cid, "notitie")]
    rec = caseload.actions.fetch(cid)[0]
    caseload.actions.update(action, expected_version=rec.version, description="Schuldhulp")
    assert found(caseload, "budgetcoach") == [] and found(caseload, "schuldhulp") == [
        (cid, "actie")
    ]

    caseload.contacts.delete(note)
    caseload.actions.delete(action)
    caseload.assessments.delete(talk)
    assert (
        found(caseload, "fjord") == found(caseload, "schuldhulp") == found(caseload, "aero") == []
    )
    with caseload.vault.engine.connect() as conn:
        rows = conn.execute(text("SELECT original FROM text_fts")).scalars().all()
    assert sorted(rows) == ["Eenzaamheid", "Zwolle"]


def test_erasing_a_client_leaves_none_of_its_texts_in_the_index(caseload: Caseload) -> None:
    kept = caseload.clients.create(given_name="Blijft", family_name="Hier", reason="Xylofoonles")
    gone = caseload.clients.create(given_name="Gaat", family_name="Weg", reason="Xylofoonschuld")
    caseload.contacts.add(gone, occurred_at=datetime.now(), note="Xylofoonnotitie")
    caseload.actions.add(gone, description="Xylofoonactie")
    _talk(caseload, gone, wish="Xylofoonwens")
    caseload.clients.delete(gone, reason="verzoek_client")
    assert found(caseload, "xylofoon") == [(kept, "hulpvraag")]
    with caseload.vault.engine.connect() as conn:
        rows = conn.execute(text("SELECT client_id FROM text_fts")).scalars().all()
    assert rows == [kept]


def test_an_older_vault_is_indexed_once_at_unlock(vault_dir: Path) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    cid = cl.clients.create(given_name="Oud", family_name="Archief", reason="Pre-Łódź hulpvraag")
    cl.contacts.add(cid, occurred_at=datetime.now(), note="Geschreven vóór de upgrade")
    migrate.downgrade(cl.vault.engine, "0003")
    with cl.vault.engine.begin() as conn:  # written by the older version: no text_fts yet
        conn.execute(text("UPDATE contact SET note = 'Ging naar Straße 5'"))
        conn.execute(
            text(
                "INSERT INTO action (client_id, domain, description, who, status, created_at,"
                " version) VALUES (:c, '', 'Bel Ørsted', '', 'open', :t, 1)"
            ),
            {"c": cid, "t": datetime.now()},
        )
    cl.lock()
    again = Caseload.open(vault_dir, PASSPHRASE)
    try:
        assert migrate.current_revision(again.vault.engine) == migrate.head_revision()
        assert again.vault.pre_migration_backup is not None
        assert found(again, "lodz") == [(cid, "hulpvraag")]
        assert found(again, "strasse") == [(cid, "notitie")]
        assert found(again, "orsted") == [(cid, "actie")]
    finally:
        again.lock()


def test_the_cap_is_reported(caseload: Caseload) -> None:
    for n in range(5):
        caseload.clients.create(given_name=f"Klant{n}", family_name="Test", reason="Gedeeld")
    result = caseload.search.find("gedeeld", limit=3)
    assert len(result.hits) == 3 and result.capped and result.limit == 3
    exact = caseload.search.find("gedeeld", limit=5)
    assert len(exact.hits) == 5 and not exact.capped
    assert not caseload.search.find("", limit=3).capped


def test_snippet_cuts_around_the_match_and_marks_it() -> None:
    typed = " ".join(f"woord{n}" for n in range(30)) + " Łukasz belt\nterug"
    cut = snippet(typed, ["lukasz"], width=8)
    assert cut.startswith("…") and "\x02Łukasz\x03" in cut and "\n" not in cut
    assert snippet("Geen treffer hier", ["xyz"]) == "Geen treffer hier"
