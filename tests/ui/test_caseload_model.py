"""The caseload table model (it sorts and filters itself), tested without any view."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt

from brugdesk.domain.records import MARK_END, MARK_START, ClientRow, SearchHit
from brugdesk.ui.models.caseload_model import CLIENT_ID_ROLE, CaseloadModel, Col
from brugdesk.ui.models.dossier_models import ActionsModel, ContactsModel


def row(cid: int, given: str, family: str, status: str = "actief", **extra) -> ClientRow:
    values = dict(
        id=cid,
        given_name=given,
        family_name=family,
        date_of_birth=None,
        age=None,
        status=status,
        referrer_kind="huisarts",
        referrer_name="De Linde",
        last_contact=None,
        next_due=None,
        next_due_text="",
        open_referrals=0,
    )
    values.update(extra)
    return ClientRow(**values)


ROWS = [
    row(
        1,
        "Şükrü",
        "Yılmaz",
        age=65,
        last_contact=datetime(2026, 11, 1, 10, 0),
        next_due=date(2020, 1, 1),
        next_due_text="Bellen",
        open_referrals=2,
    ),
    row(2, "Anna", "Bakker", "afgesloten", age=30),
    row(3, "Łukasz", "Wójcik", "aangemeld", age=41),
]


def test_model_shows_each_column(qapp) -> None:
    model = CaseloadModel()
    model.set_rows(ROWS)
    assert model.rowCount() == 3 and model.columnCount() == len(Col)
    # Rows are kept sorted by family name: Bakker, Wójcik, Yılmaz.
    assert [model.row_record(i).id for i in range(3)] == [2, 3, 1]
    first, closed, third = model.row_of(1), model.row_of(2), model.row_of(3)
    text = {c: model.index(first, c).data() for c in Col}
    assert text[Col.NAME] == "Şükrü Yılmaz"
    assert text[Col.AGE] == "65"
    assert text[Col.REFERRER] == "De Linde"
    assert text[Col.LAST_CONTACT] == "01-11-2026"
    assert text[Col.NEXT_DUE] == "01-01-2020 · Bellen"
    assert text[Col.OPEN_REFERRALS] == "2"
    assert model.index(closed, Col.LAST_CONTACT).data() == "nog geen"
    # An overdue item is red; a closed file is grey.
    red = model.index(first, Col.NEXT_DUE).data(Qt.ItemDataRole.ForegroundRole)
    assert red.name() == "#b00020"
    grey = model.index(closed, Col.NAME).data(Qt.ItemDataRole.ForegroundRole)
    assert grey.name() == "#6b6b6b"
    assert model.index(third, Col.NAME).data(CLIENT_ID_ROLE) == 3
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in Col]
    assert headers[:3] == ["Naam", "Leeftijd", "Status"]


def test_filter_by_status_and_search_and_sort(qapp) -> None:
    model = CaseloadModel()
    model.set_rows(ROWS)
    model.sort(Col.NAME)
    names = [model.index(i, Col.NAME).data() for i in range(model.rowCount())]
    assert names == ["Anna Bakker", "Łukasz Wójcik", "Şükrü Yılmaz"]  # by family name
    model.sort(Col.AGE, Qt.SortOrder.DescendingOrder)
    assert model.index(0, Col.NAME).data() == "Şükrü Yılmaz"
    model.set_status("afgesloten")
    assert model.rowCount() == 1 and model.total == 3
    assert model.row_of(1) is None and model.has(1)  # hidden, not gone
    model.set_status(None)
    hit = SearchHit(
        3,
        "Łukasz Wójcik",
        "notitie",
        9,
        datetime(2026, 1, 2),
        f"over de {MARK_START}huur{MARK_END}achterstand",
    )
    model.set_matches({3: hit})
    assert model.rowCount() == 1
    assert model.index(0, Col.MATCH).data() == "over de huurachterstand"
    assert "02-01-2026" in model.index(0, Col.MATCH).data(Qt.ItemDataRole.ToolTipRole)
    model.set_matches(None)
    assert model.rowCount() == 3


def test_a_filtered_model_keeps_the_selection_and_upserts_honour_the_filter(qapp) -> None:
    from PySide6.QtCore import QItemSelectionModel

    model = CaseloadModel()
    model.set_rows(ROWS)  # Bakker (afgesloten), Wójcik (aangemeld), Yılmaz (actief)
    selection = QItemSelectionModel(model)
    selection.select(
        model.index(model.row_of(3), 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    model.set_status("aangemeld")
    assert [model.row_record(i).id for i in range(model.rowCount())] == [3]
    assert [i.row() for i in selection.selectedRows()] == [0]  # still Wójcik
    # A change that makes a hidden client match shows it; one that stops matching hides it.
    model.upsert_rows([row(1, "Şükrü", "Yılmaz", "aangemeld", age=65)])
    assert [model.row_record(i).id for i in range(model.rowCount())] == [3, 1]
    model.upsert_rows([row(3, "Łukasz", "Wójcik", "actief", age=41)])
    assert [model.row_record(i).id for i in range(model.rowCount())] == [1]
    assert selection.selectedRows() == []
    model.set_status(None)
    assert [model.row_record(i).id for i in range(model.rowCount())] == [2, 3, 1]
    model.remove_ids([3])
    assert model.total == 2 and not model.has(3)


def test_dossier_models(qapp, caseload) -> None:
    cid = caseload.clients.create(given_name="A", family_name="B")
    caseload.contacts.add(
        cid,
        occurred_at=datetime(2026, 5, 4, 9, 30),
        kind="telefonisch",
        duration_min=15,
        domains=["financien"],
        note="Eerste regel\nTweede",
    )
    caseload.actions.add(
        cid, description="Bel de woningcorporatie", domain="wonen", due_on="2026-12-01"
    )
    contacts = ContactsModel()
    contacts.set_rows(caseload.contacts.fetch(cid))
    assert [contacts.index(0, c).data() for c in range(3)] == [
        "04-05-2026 09:30",
        "telefonisch",
        "Eerste regel",
    ]
    tip = contacts.index(0, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert "15 minuten" in tip and "Geld en schulden" in tip
    actions = ActionsModel()
    actions.set_rows(caseload.actions.fetch(cid))
    assert [actions.index(0, c).data() for c in range(5)] == [
        "Wonen",
        "Bel de woningcorporatie",
        "",
        "01-12-2026",
        "open",
    ]


def test_upsert_inserts_updates_and_moves_rows_without_a_reset(qapp) -> None:
    from PySide6.QtCore import QPersistentModelIndex

    model = CaseloadModel()
    model.set_rows(ROWS)  # Bakker, Wójcik, Yılmaz
    events: list[str] = []
    model.modelReset.connect(lambda: events.append("reset"))
    model.rowsInserted.connect(lambda *_: events.append("insert"))
    model.rowsRemoved.connect(lambda *_: events.append("remove"))
    model.layoutChanged.connect(lambda *_: events.append("layout"))
    model.dataChanged.connect(lambda *_: events.append("data"))
    followed = QPersistentModelIndex(model.index(model.row_of(1), Col.NAME))

    model.upsert_rows([row(4, "Mira", "Jansen")])  # between Bakker and Wójcik
    assert [model.row_record(i).id for i in range(4)] == [2, 4, 3, 1]
    assert events == ["insert"]

    events.clear()
    model.upsert_rows([row(3, "Łukasz", "Wójcik", "actief", age=41, open_referrals=1)])
    assert [model.row_record(i).id for i in range(4)] == [2, 4, 3, 1]  # stays put
    assert model.index(model.row_of(3), Col.OPEN_REFERRALS).data() == "1"
    assert events == ["data"]

    events.clear()
    model.upsert_rows([row(1, "Şükrü", "Aydın", age=65)])  # renamed: moves to the top
    assert [model.row_record(i).id for i in range(4)] == [1, 2, 4, 3]
    assert events == ["layout", "data"]
    assert followed.isValid() and followed.row() == 0  # the selection follows the client

    events.clear()
    model.remove_ids([4, 999])
    assert [model.row_record(i).id for i in range(3)] == [1, 2, 3]
    assert events == ["remove"]
    assert "reset" not in events


def test_upsert_keeps_a_descending_sort(qapp) -> None:
    model = CaseloadModel()
    model.set_rows(ROWS)
    model.sort(Col.AGE, Qt.SortOrder.DescendingOrder)
    assert [model.row_record(i).age for i in range(3)] == [65, 41, 30]
    model.upsert_rows([row(5, "Oud", "Er", age=80), row(6, "Jong", "Er", age=35)])
    assert [model.row_record(i).age for i in range(5)] == [80, 65, 41, 35, 30]
    model.upsert_rows([row(2, "Anna", "Bakker", "afgesloten", age=70)])
    assert [model.row_record(i).age for i in range(5)] == [80, 70, 65, 41, 35]
