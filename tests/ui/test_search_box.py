"""Typing in the real search box finds what the worker wrote (issue 10, point 13)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt

from brugdesk.domain import instruments
from brugdesk.services.search import CLIENT_LIMIT
from brugdesk.ui.main_window import MainWindow
from brugdesk.ui.models.caseload_model import Col
from tests.ui.conftest import type_text, unlock


def _search(qtbot, window: MainWindow, query: str) -> list[tuple[str, str]]:
    ws = window.workspace
    ws.search.clear()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, ws.search, query)
    qtbot.waitUntil(lambda: ws.model.matches is not None and not ws._search_timer.isActive())
    ws.run_search()  # idempotent; makes sure the last keystroke's search ran
    return [
        (ws.model.index(r, Col.NAME).data(), ws.model.index(r, Col.MATCH).data())
        for r in range(ws.model.rowCount())
    ]


def test_typing_folded_words_finds_notes_hulpvraag_address_actions_and_talks(
    qtbot, window: MainWindow
) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    a = cl.clients.create(given_name="Anna", family_name="Bakker", reason="Schuld bij Søstrene")
    b = cl.clients.create(given_name="Bert", family_name="Aalders", city="Łódź")
    c = cl.clients.create(given_name="Cor", family_name="Dekker")
    cl.contacts.add(c, occurred_at=datetime(2024, 5, 6, 9), note="Gebeld met Łukasz van de bank")
    cl.actions.add(a, description="Afspraak in de Lange Straße")
    inst = instruments.get("leefgebieden")
    cl.assessments.add(
        b,
        instrument_id=inst.id,
        instrument_version=inst.version,
        items=[{"domain": "netwerk", "score": 3, "wish": "Koffie met zijn sœur"}],
    )
    window.workspace.reload()

    assert _search(qtbot, window, "lukasz") == [("Cor Dekker", "Gebeld met Łukasz van de bank")]
    assert _search(qtbot, window, "sostrene") == [("Anna Bakker", "Hulpvraag: Schuld bij Søstrene")]
    assert _search(qtbot, window, "lodz") == [("Bert Aalders", "Adres: Łódź")]
    assert _search(qtbot, window, "strasse") == [
        ("Anna Bakker", "Actie: Afspraak in de Lange Straße")
    ]
    assert _search(qtbot, window, "soeur") == [("Bert Aalders", "Gesprek: Koffie met zijn sœur")]
    assert window.workspace.count.text() == "1 van 3 cliënten"

    # A new action is found at once: the change record runs the search again.
    cl.actions.add(c, description="Sœur-fonds aanschrijven")
    qtbot.waitUntil(lambda: window.workspace.model.rowCount() == 2)


def test_a_capped_search_says_so(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    for n in range(CLIENT_LIMIT + 1):
        cl.clients.create(given_name=f"Klant{n}", family_name="Breed", reason="Gedeelde hulpvraag")
    cl.clients.create(given_name="Smal", family_name="Anders", reason="Gedeelde zorg")
    window.workspace.reload()
    rows = _search(qtbot, window, "gedeelde")
    assert len(rows) == CLIENT_LIMIT
    assert window.workspace.count.text() == (
        f"Meer dan {CLIENT_LIMIT} treffers — verfijn de zoekterm"
    )
    assert _search(qtbot, window, "gedeelde zorg") == [("Smal Anders", "Hulpvraag: Gedeelde zorg")]
    assert window.workspace.count.text() == f"1 van {CLIENT_LIMIT + 2} cliënten"
