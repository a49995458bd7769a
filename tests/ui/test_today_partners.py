"""'Vandaag' with its count, and the sociale kaart dialog."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from brugdesk.ui.dialogs.partners_dialog import PartnerDialog, PartnersDialog
from brugdesk.ui.main_window import MainWindow
from tests.ui.conftest import unlock


def test_today_count_and_list_open_the_dossier(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    quiet = cl.clients.create(given_name="Al", family_name="Langstil")
    cl.contacts.add(quiet, occurred_at=datetime.now() - timedelta(days=100), note="oud")
    busy = cl.clients.create(given_name="Be", family_name="Zig")
    cl.contacts.add(busy, occurred_at=datetime.now(), note="net")
    cl.actions.add(busy, description="Vandaag bellen", due_on=date.today())
    window.workspace.reload()
    assert window.today_action.text() == "&Vandaag (2)"
    dialog = window.open_today()
    groups = [dialog.tree.topLevelItem(i) for i in range(3)]
    assert "(0)" in groups[0].text(0) and "(1)" in groups[1].text(0) and "(1)" in groups[2].text(0)
    assert groups[2].child(0).text(0) == "Al Langstil"
    dialog._activate(groups[2].child(0))
    assert window.workspace.current_client_id == quiet
    window.lock()
    assert window.today_action.text() == "&Vandaag"  # no numbers while locked


def test_sociale_kaart_add_search_import_export(qtbot, window: MainWindow, tmp_path: Path) -> None:
    unlock(qtbot, window)
    kaart = window.open_partners()
    assert isinstance(kaart, PartnersDialog) and kaart.empty.isVisibleTo(kaart)
    add = PartnerDialog(window.caseload, None, kaart)
    add.submit()
    assert "Organisatie is verplicht" in add.error.text()
    add.edits["organisation"].setText("Humanitas")
    add.edits["verified_on"].setText("01-02-2026")
    add.domains.item(0).setCheckState(add.domains.item(0).checkState().Checked)
    add.submit()
    kaart.reload()
    assert kaart.table.rowCount() == 1 and kaart.table.item(0, 3).text() == "Geld en schulden"
    csv_file = tmp_path / "kaart.csv"
    csv_file.write_text(
        "organisatie;leefgebieden\nWijkteam Noord;gezin|wonen\n;wonen\n", encoding="utf-8"
    )
    kaart.import_csv(csv_file)
    assert "niets geïmporteerd" in kaart.error.text() and kaart.table.rowCount() == 1
    assert "regel 3: Organisatie is verplicht." in kaart.problems.toPlainText()
    csv_file.write_text("organisatie;leefgebieden\nWijkteam Noord;gezin|wonen\n", encoding="utf-8")
    kaart.import_csv(csv_file)
    assert kaart.table.rowCount() == 2
    kaart.domain.setCurrentIndex(kaart.domain.findData("wonen"))
    assert [kaart.table.item(r, 0).text() for r in range(kaart.table.rowCount())] == [
        "Wijkteam Noord"
    ]
    assert "controleren" in kaart.table.item(0, 4).text()  # never verified
    kaart.search.setText("huma")
    assert kaart.table.rowCount() == 0  # Humanitas serves money, not housing
    kaart.domain.setCurrentIndex(0)
    assert kaart.table.rowCount() == 1
    out = tmp_path / "uit.csv"
    kaart.export_csv(out)
    assert "Humanitas" in out.read_text(encoding="utf-8-sig")
