"""The error boundary: every failure after a click reaches the worker in Dutch.

Real window, real vault, real files; failures are injected by making one step
raise. Boundary messages are real message boxes, found among the top-level
widgets.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PIL import Image as PilImage
from pypdf import PdfReader
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QPushButton,
    QWidget,
)

from brugdesk import logsetup
from brugdesk.app import transfers
from brugdesk.documents import partner_csv
from brugdesk.ui.kit import error_boundary
from brugdesk.ui.main_window import MainWindow
from brugdesk.ui.tasks import Tasks
from brugdesk.ui.wizards import referral_pages
from tests.ui.conftest import unlock

CLIENT = ("Wilhelmina", "Zonnebloem")


def boundary_boxes() -> list[QMessageBox]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox)
        and w.objectName() == error_boundary.BOX_NAME
        and w.isVisible()
    ]


@pytest.fixture(autouse=True)
def no_boxes_left(qtbot):
    yield
    for box in boundary_boxes():
        box.close()
    qtbot.wait(1)


@pytest.fixture
def log_file(window: MainWindow):
    """Logging to the file in BRUGDESK_LOG_DIR, as brugdesk sets it up at start."""
    path = logsetup.setup()
    assert path is not None
    yield path
    logsetup.shutdown()


def button(parent: QWidget, text: str) -> QPushButton:
    return next(b for b in parent.findChildren(QPushButton) if b.text() == text)


def click(qtbot, widget: QPushButton) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def damaged_png(folder: Path) -> Path:
    good = folder / "goed.png"
    PilImage.new("RGB", (120, 40), (30, 90, 160)).save(good)
    bad = folder / "kapot-logo.png"
    bad.write_bytes(good.read_bytes()[:60])  # a PNG header, the pixels cut off
    return bad


# --- the sociale kaart's CSV buttons ---------------------------------------------------------


def test_csv_export_button_writes_the_partners(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cl.partners.add(organisation="Humanitas", domains=["financien"])
    cl.partners.add(organisation="Wijkteam; Noord", team="Jeugd", domains=["gezin", "wonen"])
    kaart = window.open_partners()
    out = tmp_path / "kaart-uit.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    click(qtbot, button(kaart, "CSV e&xporteren…"))
    plan = partner_csv.parse(out.read_bytes())  # the file reads back as the same partners
    assert not plan.problems
    assert sorted((p["organisation"], p["team"], p["domains"]) for p in plan.partners) == [
        ("Humanitas", "", ["financien"]),
        ("Wijkteam; Noord", "Jeugd", ["gezin", "wonen"]),
    ]
    assert kaart.error.text() == "2 partner(s) opgeslagen in kaart-uit.csv."
    assert not boundary_boxes()


def test_csv_import_button_adds_the_partners(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    unlock(qtbot, window)
    source = tmp_path / "kaart-in.csv"
    source.write_text(
        "organisatie;team;leefgebieden\nVoedselbank;Oost;Geld en schulden\nTaalhuis;;administratie\n",
        encoding="utf-8",
    )
    kaart = window.open_partners()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    click(qtbot, button(kaart, "CSV &importeren…"))
    assert kaart.error.text() == "2 partner(s) geïmporteerd."
    shown = sorted(kaart.table.item(r, 0).text() for r in range(kaart.table.rowCount()))
    assert shown == ["Taalhuis", "Voedselbank"]
    in_vault = {p.organisation: p for p in window.caseload.partners.fetch()}
    assert set(in_vault) == {"Taalhuis", "Voedselbank"}
    assert in_vault["Voedselbank"].team == "Oost"
    assert list(in_vault["Voedselbank"].domains) == ["financien"]
    # Cancelling the file dialog does nothing and says nothing.
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    click(qtbot, button(kaart, "CSV &importeren…"))
    assert len(window.caseload.partners.fetch()) == 2 and not boundary_boxes()


# --- a bad logo --------------------------------------------------------------------------------


def _gp_dialog(qtbot, window: MainWindow, logo: str):
    """A GP letter dialog opened after the logo setting is *logo* (the draft reads it once)."""
    if window.caseload is None:
        unlock(qtbot, window)
    cl = window.caseload
    cl.settings.update(logo_path=logo)
    cid = cl.clients.create(given_name=CLIENT[0], family_name=CLIENT[1])
    window.workspace.reload()
    window.workspace.select_client(cid)
    tab = window.workspace.dossier.referrals
    tab.gp_feedback()
    gp = window.workspace.dialogs[-1]
    gp.record_consent.setChecked(True)
    return gp


def _save_button(gp):
    box = gp.findChild(QDialogButtonBox)
    save = box.button(QDialogButtonBox.StandardButton.Save)
    assert save.text() == "Brief opslaan"
    return save


def test_bad_logo_makes_the_letter_save_name_the_logo(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    letters_dir = tmp_path / "brieven"
    letters_dir.mkdir()
    bad = damaged_png(tmp_path)
    gp = _gp_dialog(qtbot, window, str(bad))
    target = letters_dir / "huisarts.pdf"
    gp.path.setText(str(target))
    click(qtbot, _save_button(gp))
    assert gp.isVisible()
    message = gp.error.text()
    assert "kapot-logo.png" in message and "Instellingen" in message
    assert list(letters_dir.iterdir()) == []  # no letter, no temp file
    assert not boundary_boxes()
    gp.reject()
    # A logo that went missing is named just as clearly.
    gp = _gp_dialog(qtbot, window, str(tmp_path / "verhuisd.png"))
    gp.path.setText(str(target))
    click(qtbot, _save_button(gp))
    assert "verhuisd.png" in gp.error.text() and "niet gevonden" in gp.error.text()
    assert list(letters_dir.iterdir()) == []
    gp.reject()
    # Without a logo the same click saves the letter.
    gp = _gp_dialog(qtbot, window, "")
    gp.path.setText(str(target))
    click(qtbot, _save_button(gp))
    assert not gp.isVisible()
    reader = PdfReader(target)
    assert reader.decrypt(gp.password.text())  # protected by default
    assert f"{CLIENT[0]} {CLIENT[1]}" in reader.pages[0].extract_text()


def test_settings_refuses_a_bad_logo_next_to_the_field(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    unlock(qtbot, window)
    bad = damaged_png(tmp_path)
    settings = window.open_settings()
    chosen = {"path": str(bad)}
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (chosen["path"], ""))
    click(qtbot, button(settings, "Kiezen…"))
    assert settings.logo.text() == ""  # refused
    assert settings.logo_error.isVisibleTo(settings)
    assert "kapot-logo.png" in settings.logo_error.text()
    assert "Kies een ander bestand" in settings.logo_error.text()
    # A path typed by hand is checked on save; nothing is stored.
    settings.logo.setText(str(tmp_path / "bestaat-niet.png"))
    save = settings.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    click(qtbot, save)
    assert settings.isVisible() and "bestaat-niet.png" in settings.logo_error.text()
    assert window.caseload.settings.get().logo_path == ""
    # A good logo is taken, and saved.
    chosen["path"] = str(tmp_path / "goed.png")
    click(qtbot, button(settings, "Kiezen…"))
    assert settings.logo.text() == chosen["path"] and not settings.logo_error.isVisibleTo(settings)
    click(qtbot, save)
    assert not settings.isVisible()
    assert window.caseload.settings.get().logo_path == chosen["path"]
    assert not boundary_boxes()


def test_bad_logo_in_the_referral_preview_is_named(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name=CLIENT[0], family_name=CLIENT[1])
    cl.partners.add(organisation="Schuldhulp", domains=["financien"])
    cl.settings.update(logo_path=str(damaged_png(tmp_path)))
    wizard = window.workspace.start_referral(cid)
    wizard.next()
    wizard.share.reason.setPlainText("Huurachterstand")
    wizard.next()
    wizard.consent.record.setChecked(True)
    wizard.next()

    preview = wizard.preview.preview
    qtbot.waitUntil(lambda: "kapot-logo.png" in wizard.preview.error.text(), timeout=15000)
    assert not preview.pages
    assert not boundary_boxes()


# --- unexpected errors -------------------------------------------------------------------------


def test_unexpected_error_in_a_button_shows_the_boundary_and_logs_no_client_data(
    qtbot, window: MainWindow, monkeypatch, log_file: Path, expect_unexpected_errors
) -> None:
    unlock(qtbot, window)
    window.caseload.clients.create(given_name=CLIENT[0], family_name=CLIENT[1])
    kaart = window.open_partners()

    def broken_export(caseload, dest):
        raise RuntimeError(f"kapot bij {CLIENT[0]} {CLIENT[1]}")

    monkeypatch.setattr(transfers, "export_partners", broken_export)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("/tmp/x.csv", ""))
    click(qtbot, button(kaart, "CSV e&xporteren…"))
    boxes = boundary_boxes()
    assert len(boxes) == 1
    text = boxes[0].text()
    assert text.startswith("Er ging iets onverwachts mis bij ‘CSV exporteren’.")
    assert "blijft bewaard" in text and str(log_file) in text
    assert "Traceback" not in text and CLIENT[1] not in text
    logged = log_file.read_text(encoding="utf-8")
    assert "RuntimeError (message not logged)" in logged
    assert "in broken_export" in logged and "in export_csv" in logged  # the frames
    assert CLIENT[0] not in logged and CLIENT[1] not in logged
    # The same failure twice shows one box, not a pile.
    click(qtbot, button(kaart, "CSV e&xporteren…"))
    assert len(boundary_boxes()) == 1


def test_unexpected_error_in_a_menu_action_names_the_action(
    qtbot, window: MainWindow, monkeypatch, log_file: Path, expect_unexpected_errors
) -> None:
    unlock(qtbot, window)
    cid = window.caseload.clients.create(given_name=CLIENT[0], family_name=CLIENT[1])

    def broken_today(*a, **k):
        raise KeyError(f"{CLIENT[1]} {cid}")

    monkeypatch.setattr(window.caseload, "today", broken_today)
    window.today_action.trigger()
    [box] = boundary_boxes()
    assert box.text().startswith("Er ging iets onverwachts mis bij ‘Vandaag")
    logged = log_file.read_text(encoding="utf-8")
    assert "KeyError (message not logged)" in logged and CLIENT[1] not in logged


def test_brugdesk_error_in_a_guarded_slot_shows_its_own_message(qtbot) -> None:
    from brugdesk.errors import NotFound

    def gone() -> None:
        raise NotFound()

    error_boundary.guard(gone, "&Bewerken…")(False)  # as clicked(bool) calls it
    [box] = boundary_boxes()
    assert box.text() == NotFound.default_message


def test_installed_hooks_catch_unguarded_slots_and_threads(
    qtbot, log_file: Path, expect_unexpected_errors
) -> None:
    class Emitter(QObject):
        fired = Signal()

    def unguarded() -> None:
        raise ValueError(f"{CLIENT[1]} in een slot")

    def in_thread() -> None:
        raise ValueError(f"{CLIENT[1]} in een thread")

    emitter = Emitter()
    emitter.fired.connect(unguarded)
    old_hook, old_thread_hook = sys.excepthook, threading.excepthook
    try:
        error_boundary.install()
        emitter.fired.emit()
        qtbot.waitUntil(lambda: len(boundary_boxes()) == 1, timeout=15000)
        assert boundary_boxes()[0].text().startswith("Er ging iets onverwachts mis.")
        boundary_boxes()[0].close()
        qtbot.waitUntil(lambda: not boundary_boxes(), timeout=15000)
        worker = threading.Thread(target=in_thread)
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: len(boundary_boxes()) == 1, timeout=15000)
    finally:
        sys.excepthook, threading.excepthook = old_hook, old_thread_hook
    logged = log_file.read_text(encoding="utf-8")
    assert logged.count("ValueError (message not logged)") == 2
    assert "in unguarded" in logged and "in in_thread" in logged
    assert CLIENT[1] not in logged


def test_every_action_of_the_unlocked_window_runs_without_an_error(
    qtbot, window: MainWindow, monkeypatch
) -> None:
    unlock(qtbot, window)
    cid = window.caseload.clients.create(given_name=CLIENT[0], family_name=CLIENT[1])
    window.workspace.reload()
    window.workspace.select_client(cid)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    last = (window.lock_action, window.quit_action)
    actions = [a for a in window.actions() if a not in last]
    assert len(actions) >= 10
    for action in actions:
        assert action.isEnabled(), action.text()
        action.trigger()
        qtbot.wait(1)
        assert not boundary_boxes(), action.text()
        if window.workspace is not None:  # close what the action opened
            for dialog in list(window.workspace.dialogs):
                dialog.reject()
    window.lock_action.trigger()
    assert window.caseload is None and not boundary_boxes()


# --- background tasks and deleted widgets ------------------------------------------------------


def test_locking_while_the_referral_preview_renders(qtbot, window: MainWindow, monkeypatch) -> None:
    unlock(qtbot, window)
    cl = window.caseload
    cid = cl.clients.create(given_name=CLIENT[0], family_name=CLIENT[1])
    cl.partners.add(organisation="Schuldhulp", domains=["financien"])
    release = threading.Event()
    real_render_pages = referral_pages.render_pages

    def slow_render_pages(pdf: bytes, **kwargs):
        assert release.wait(30), "the test never released the preview"
        return real_render_pages(pdf, **kwargs)

    monkeypatch.setattr(referral_pages, "render_pages", slow_render_pages)
    wizard = window.workspace.start_referral(cid)
    wizard.next()
    wizard.share.reason.setPlainText("Huurachterstand")
    wizard.next()
    wizard.consent.record.setChecked(True)
    wizard.next()
    assert window.tasks.running("preview")
    window.lock_action.trigger()  # the lock does not wait: the preview finishes after it
    assert window.caseload is None and window.tasks.running("preview")
    release.set()
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=15000)
    qtbot.wait(10)
    assert not boundary_boxes()
    assert window.windowTitle() == "brugdesk — vergrendeld"


def test_task_results_go_to_living_owners_only(qtbot, expect_unexpected_errors) -> None:
    tasks = Tasks()
    delivered: list[str] = []
    gate = threading.Event()
    owner = QWidget()
    tasks.run("a", gate.wait, lambda _r: delivered.append("explicit"), print, owner=owner)
    label = QWidget()
    label.setObjectName("shown")
    tasks.run(
        "b", gate.wait, lambda _r: delivered.append(label.objectName()), print
    )  # owner inferred: the widget the callback uses
    survivor = QWidget()
    tasks.run("c", gate.wait, lambda _r: delivered.append(survivor.objectName() or "c"), print)
    owner.deleteLater()
    label.deleteLater()
    qtbot.wait(10)  # the deletions happen
    gate.set()
    qtbot.waitUntil(lambda: not tasks.busy, timeout=15000)
    assert delivered == ["c"]
    # A callback that fails still reaches the worker.
    tasks.run("d", lambda: 1, lambda _r: 1 / 0, print)
    qtbot.waitUntil(lambda: not tasks.busy, timeout=15000)
    qtbot.waitUntil(lambda: len(boundary_boxes()) == 1, timeout=15000)
