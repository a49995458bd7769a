"""Regenerate the README's screenshots from a demo caseload (``make screenshots``).

Runs offscreen (no display needed): builds a throwaway demo vault, drives the
real windows and saves ``QWidget.grab()`` images into the given folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget, QWizard

from brugdesk.app.caseload import Caseload
from brugdesk.ui.app import DEMO_PASSPHRASE, build_demo_vault
from brugdesk.ui.main_window import MainWindow
from brugdesk.ui.menus import open_about

SIZE = (1280, 720)  # the main window on a 1366×768 laptop (kit.widgets.WINDOW_SIZE)


def wait(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        QApplication.processEvents()
        if time.monotonic() > deadline:
            raise TimeoutError("screen did not reach the expected state")
        time.sleep(0.01)


def settle(ms: int = 300) -> None:
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def shoot(widget: QWidget, folder: Path, name: str) -> Path:
    settle()
    path = folder / f"{name}.png"
    widget.grab().save(str(path))
    print(path)
    return path


def first_run(folder: Path, root: Path) -> None:
    window = MainWindow(root / "nieuw")
    window.resize(*SIZE)
    window.show()
    wizard = window.wizard
    assert wizard is not None
    shoot(window, folder, "01-eerste-start")  # with Back-up terugzetten… for a new laptop
    wizard.next()
    page = wizard.passphrase_page
    page.first.setText("mijn fiets staat altijd bij de bakker")
    page.second.setText("mijn fiets staat altijd bij de bakker")
    shoot(window, folder, "02-wachtwoord-kiezen")
    wizard.next()
    wait(lambda: wizard.currentPage() is wizard.recovery_page)
    shoot(window, folder, "03-herstelsleutel")
    wizard.recovery_page.confirm.setText(wizard.recovery_key or "")
    wizard.next()
    profile = wizard.profile_page
    profile.name.setText("Anouk de Wit")
    profile.organisation.setText("Welzijn Oost")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    wait(lambda: window.workspace is not None)
    shoot(window, folder, "04-lege-caseload")
    window.lock()
    window.close()


def main_screens(folder: Path, root: Path) -> None:
    data = root / "demo"
    build_demo_vault(data, clients=40)
    window = MainWindow(data, demo_passphrase=DEMO_PASSPHRASE)
    window.resize(*SIZE)
    window.show()
    window.unlock_page.passphrase.setText("verkeerd wachtwoord")
    window.unlock_page.try_unlock()
    wait(lambda: not window.tasks.busy)
    shoot(window, folder, "05-ontgrendelen")
    window.unlock_page.passphrase.setText(DEMO_PASSPHRASE)
    window.unlock_page.try_unlock()
    wait(lambda: window.workspace is not None)
    ws = window.workspace
    assert ws is not None
    shoot(window, folder, "06-caseload")
    caseload = window.caseload
    assert isinstance(caseload, Caseload)
    busiest = max(caseload.clients.fetch(), key=lambda r: (r.open_referrals, r.last_contact or 0))
    ws.select_client(busiest.id)
    shoot(window, folder, "07-dossier-overzicht")
    assert ws.dossier is not None
    ws.dossier.tabs.setCurrentIndex(1)
    ws.dossier.contacts.editor.text.setPlainText(
        "Huisbezoek. Samen de post doorgenomen; twee aanmaningen van de energieleverancier.\n"
        "Afgesproken: ik bel maandag met de schuldhulpverlening."
    )
    shoot(window, folder, "08-contactmomenten")
    ws.dossier.tabs.setCurrentIndex(2)
    shoot(window, folder, "09-plan")
    ws.search.setText("schuld")
    ws.run_search()
    shoot(window, folder, "10-zoeken")
    ws.search.clear()
    ws.run_search()
    dialog = ws.new_client()
    dialog.edits["given_name"].setText("Şükrü")
    dialog.edits["family_name"].setText("Yılmaz")
    dialog.edits["date_of_birth"].setText("31-02-1961")
    dialog.edits["postal_code"].setText("12345")
    dialog.validate()
    shoot(dialog, folder, "11-nieuwe-client")
    dialog.cancel()
    settings = window.open_settings()
    assert settings is not None
    shoot(settings, folder, "12-instellingen")
    settings.reject()
    bad = root / "caseload.csv"
    bad.write_text(
        "voornaam;achternaam;geboortedatum;postcode\nAyşe;Kaya;03-04-1970;1234ab\n"
        ";Jansen;;\nJan;de Vries;01-01-2090;99999\n",
        encoding="utf-8",
    )
    importer = window.import_clients()
    assert importer is not None
    importer.load(bad)
    wait(lambda: not window.tasks.busy)
    shoot(importer, folder, "13-importeren")
    importer.reject()
    conversation_screens(window, folder)
    referral_screens(window, folder, root)
    results_screens(window, folder)
    report_screen(window, folder, "36-resultaten")
    meldcode_screens(window, folder)
    retention_screens(window, folder)
    log_screen(window, folder)
    window.lock()
    shoot(window, folder, "14-vergrendeld")
    window.close()


def log_screen(window: MainWindow, folder: Path) -> None:
    """Bestand → Logboek after a day's work: reads, changes and exports in words."""
    log = window.open_log()
    assert log is not None
    settle()
    shoot(log, folder, "40-logboek")
    log.reject()


def conversation_screens(window: MainWindow, folder: Path) -> None:
    ws = window.workspace
    caseload = window.caseload
    assert ws is not None and caseload is not None
    with_two = next(
        r.id
        for r in caseload.clients.fetch()
        if len(caseload.assessments.for_instrument(r.id, "leefgebieden")) >= 2
    )
    ws.select_client(with_two)
    assert ws.dossier is not None
    ws.dossier.tabs.setCurrentIndex(0)
    shoot(window, folder, "15-overzicht-wiel")
    view = ws.dossier.show_client_view()
    assert view is not None
    view.resize(*SIZE)
    shoot(view, folder, "16-clientweergave")
    view.done(0)
    dialog = ws.start_conversation()
    assert dialog is not None
    for row in (0, 3, 10):
        dialog.choose.parts.item(row).setCheckState(Qt.CheckState.Checked)
    shoot(dialog, folder, "17-gesprek-kiezen")
    dialog.go_next()
    dialog.step.signal_checks[0].setChecked(True)
    dialog.step.signal_checks[2].setChecked(True)
    dialog.step.pick(2)
    dialog.step.wish.setText("Weer overzicht over de post en de rekeningen")
    dialog.step.priority.setChecked(True)
    shoot(dialog, folder, "18-gesprek-leefgebied")
    dialog.go_next()
    dialog.step.pick(3)
    dialog.go_next()
    dialog.skip_part()
    shoot(dialog, folder, "19-gesprek-samenvatting")
    dialog.save()
    djg = ws.start_conversation()
    assert djg is not None
    djg.choose.instrument.setCurrentIndex(djg.choose.instrument.findData("eenzaamheid-djg6"))
    djg.go_next()
    for answer in (3, 2, 1, 1, 2, 3):
        djg.step.pick(answer)
        djg.go_next()
    shoot(djg, folder, "20-eenzaamheid-uitslag")
    djg.save()
    shoot(window, folder, "21-overzicht-na-gesprek")


def referral_screens(window: MainWindow, folder: Path, root: Path) -> None:
    from brugdesk.ui.kit.pdf_preview import render_pages

    ws = window.workspace
    caseload = window.caseload
    assert ws is not None and caseload is not None
    client_id = ws.current_client_id
    assert client_id is not None
    wizard = ws.start_referral(client_id)
    shoot(wizard, folder, "22-verwijzen-partner")
    wizard.next()
    wizard.share.reason.setPlainText(
        "Mevrouw heeft een huurachterstand van drie maanden en aanmaningen van de "
        "energieleverancier. Zij wil graag zelf weer overzicht krijgen."
    )
    wizard.share.request.setPlainText("Graag een intakegesprek; mevrouw is 's ochtends thuis.")
    shoot(wizard, folder, "23-verwijzen-delen")
    wizard.next()
    if wizard.consent.record.isVisible():
        wizard.consent.record.setChecked(True)
    wizard.next()
    wizard.preview.protect.setChecked(False)
    wait(wizard.preview.is_current)
    shoot(wizard, folder, "24-verwijzen-voorbeeld")
    pdf = wizard.pdf
    assert pdf is not None
    render_pages(pdf, scale=1.6)[0].save(str(folder / "25-verwijsbrief-pagina-1.png"))
    print(folder / "25-verwijsbrief-pagina-1.png")
    wizard.next()
    wizard.save_page.path.setText(str(root / "verwijzing.pdf"))
    wizard.button(QWizard.WizardButton.FinishButton).click()
    wait(lambda: not wizard.isVisible())
    assert ws.dossier is not None
    ws.dossier.tabs.setCurrentWidget(ws.dossier.referrals)
    ws.dossier.referrals.table.selectRow(0)
    shoot(window, folder, "26-verwijzingen")
    today = window.open_today()
    assert today is not None
    shoot(today, folder, "27-vandaag")
    today.reject()
    kaart = window.open_partners()
    assert kaart is not None
    shoot(kaart, folder, "28-sociale-kaart")
    kaart.reject()
    about = open_about(window)
    shoot(about, folder, "31-over-brugdesk")
    about.reject()
    verwijzers = window.open_referrers()
    assert verwijzers is not None
    shoot(verwijzers, folder, "33-verwijzers")
    verwijzers.reject()
    form = ws.edit_client(ws.current_client_id)
    assert form is not None
    form.tabs.setCurrentIndex(1)
    shoot(form, folder, "38-client-thema")
    form.reject()
    inzage = ws.open_inzage(client_id)
    assert inzage is not None
    shoot(inzage, folder, "41-inzage")
    inzage.reject()


def results_screens(window: MainWindow, folder: Path) -> None:
    """Closing a dossier with a reason from the list, and the sociale kaart's scorecard."""
    from PySide6.QtWidgets import QDialog

    ws = window.workspace
    caseload = window.caseload
    assert ws is not None and caseload is not None
    client_id = ws.current_client_id
    assert client_id is not None
    closing = ws.close_client(client_id)
    assert closing is not None
    closing.choices["anders"].setChecked(True)
    closing.submit()  # "anders" without words: the message next to the field
    shoot(closing, folder, "34-afsluiten")
    closing.discard_draft()
    closing.done(QDialog.DialogCode.Rejected)
    kaart = window.open_partners()
    assert kaart is not None
    scores = caseload.partners.scorecard()
    sent = [getattr(scores.get(p.id), "sent", 0) for p in kaart.rows]
    kaart.table.selectRow(sent.index(max(sent)))
    shoot(kaart, folder, "35-sociale-kaart-scores")
    kaart.reject()


def report_screen(window: MainWindow, folder: Path, name: str) -> None:
    """Resultaten over the demo year, on the tab with the most charts."""
    from datetime import date

    from brugdesk.ui.dialogs.report_dialog import YEAR

    report = window.open_report()
    assert report is not None
    report.kind.setCurrentIndex(YEAR)
    report.year.setValue(date.today().year)
    report.resize(1180, 660)  # as on a 1366×768 laptop (the offscreen screen is smaller)
    report.rebuild()
    wait(lambda: report.job is not None and not window.tasks.busy)
    report.tabs.setCurrentIndex(0)
    shoot(report, folder, name)
    report.reject()


def meldcode_screens(window: MainWindow, folder: Path) -> None:
    """The meldcode log of a demo client, opened on purpose, with two steps and a third typed."""
    from datetime import date, timedelta

    ws = window.workspace
    caseload = window.caseload
    assert ws is not None and caseload is not None and ws.current_client_id is not None
    client_id = ws.current_client_id
    today = date.today()
    caseload.meldcode.add(
        client_id,
        step=1,
        held_on=today - timedelta(days=9),
        consulted="",
        facts="Bij het huisbezoek had mevrouw een blauwe plek op haar onderarm. "
        "Zij zei: 'Ik ben tegen de deur gelopen.' Haar partner beantwoordde mijn vragen voor haar.",
        interpretations="Het verhaal past niet goed bij de plek. Mogelijk voelt zij zich "
        "niet vrij om te praten als haar partner erbij is.",
    )
    caseload.meldcode.add(
        client_id,
        step=2,
        held_on=today - timedelta(days=7),
        consulted="Aandachtsfunctionaris (Petra), telefonisch Veilig Thuis (anoniem advies)",
        facts="Signalen besproken. Advies: een gesprek met mevrouw alleen, zonder partner.",
        interpretations="We schatten in dat er nu geen acuut gevaar is.",
    )
    assert ws.dossier is not None
    dialog = ws.dossier.open_meldcode()
    dialog.step.setCurrentIndex(dialog.step.findData(3))
    dialog.consulted.setText("Mevrouw, alleen, op het spreekuur")
    dialog.facts.setPlainText(
        "Mevrouw vertelde dat haar partner soms hard duwt als hij gedronken heeft."
    )
    dialog.interpretations.setPlainText("Zij lijkt opgelucht dat ze het kon vertellen.")
    shoot(dialog, folder, "44-meldcode")
    dialog.done(0)  # closed without saving and without a question (nothing kept)


def retention_screens(window: MainWindow, folder: Path) -> None:
    """Vandaag → Bewaartermijn verlopen → Verwijderen…, and Help → Privacyverklaring."""
    from datetime import date

    from brugdesk.domain.retention_rules import add_months

    caseload = window.caseload
    assert caseload is not None
    open_files = [r for r in caseload.clients.fetch() if r.status != "afgesloten"]
    for row, months in zip(open_files[-3:], (25, 31, 40), strict=False):
        caseload.clients.close(
            row.id, "Doelen bereikt.", add_months(date.today(), -months), code=""
        )
    today = window.open_today()
    assert today is not None
    retention = today.open_retention()
    tree = retention.tree
    first = tree.topLevelItem(0)
    if first is not None:
        first.setCheckState(0, Qt.CheckState.Checked)
    shoot(retention, folder, "42-bewaartermijn")
    retention.reject()
    today.reject()
    statement = window.open_privacy()
    assert statement is not None
    shoot(statement, folder, "43-privacyverklaring")
    statement.reject()


def dark_palette() -> QPalette:
    """A dark theme as a desktop would set it (the colours of common dark Fusion setups)."""
    role = QPalette.ColorRole
    palette = QPalette()
    window, base, text = QColor("#2b2b2b"), QColor("#1e1e1e"), QColor("#e6e6e6")
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for r, colour in (
            (role.Window, window),
            (role.WindowText, text),
            (role.Base, base),
            (role.AlternateBase, QColor("#262626")),
            (role.Text, text),
            (role.Button, QColor("#353535")),
            (role.ButtonText, text),
            (role.Highlight, QColor("#2f65ca")),
            (role.HighlightedText, QColor("#ffffff")),
            (role.ToolTipBase, base),
            (role.ToolTipText, text),
            (role.PlaceholderText, QColor("#9a9a9a")),
        ):
            palette.setColor(group, r, colour)
    for r, colour in (
        (role.Window, window),
        (role.Base, base),
        (role.WindowText, QColor("#7f7f7f")),
        (role.Text, QColor("#7f7f7f")),
        (role.ButtonText, QColor("#7f7f7f")),
        (role.Button, QColor("#353535")),
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, r, colour)
    return palette


def dark_screens(folder: Path, root: Path) -> None:
    """The caseload and the client form with errors, in a dark theme."""
    before = QApplication.palette()
    QApplication.setPalette(dark_palette())
    try:
        window = MainWindow(root / "demo")
        window.resize(*SIZE)
        window.show()
        window.unlock_page.passphrase.setText(DEMO_PASSPHRASE)
        window.unlock_page.try_unlock()
        wait(lambda: window.workspace is not None)
        ws = window.workspace
        assert ws is not None and isinstance(window.caseload, Caseload)
        caseload = window.caseload
        # A client with two conversations: the domain wheel shows its dark card too.
        with_two = next(
            r.id
            for r in caseload.clients.fetch()
            if len(caseload.assessments.for_instrument(r.id, "leefgebieden")) >= 2
        )
        ws.select_client(with_two)
        shoot(window, folder, "29-donker")
        dialog = ws.new_client()
        dialog.edits["given_name"].setText("Şükrü")
        dialog.edits["postal_code"].setText("12345")
        dialog.validate()
        shoot(dialog, folder, "30-donker-nieuwe-client")
        dialog.cancel()
        about = open_about(window)
        shoot(about, folder, "32-donker-over-brugdesk")
        about.reject()
        report_screen(window, folder, "37-donker-resultaten")
        window.lock()
        window.close()
    finally:
        QApplication.setPalette(before)


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    folder = Path(args[0] if args else "docs/screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("brugdesk")
    with tempfile.TemporaryDirectory(prefix="brugdesk-shots-") as tmp:
        first_run(folder, Path(tmp))
        main_screens(folder, Path(tmp))
        dark_screens(folder, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
