"""Issue 11 §5/§6: the app icon, Help → Over brugdesk, the licences, and text colours
that stay readable in a light and a dark theme."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from PIL import Image
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QDesktopServices, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QStyleFactory

import brugdesk
from brugdesk.ui.dialogs import about_dialog
from brugdesk.ui.dialogs.about_dialog import AboutDialog
from brugdesk.ui.dialogs.client_dialog import ClientDialog
from brugdesk.ui.kit import colours
from brugdesk.ui.main_window import MainWindow
from tests.ui.conftest import unlock
from tools import make_icons
from tools.screenshots import dark_palette

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "brugdesk" / "resources" / "icons"
Role = QPalette.ColorRole
COLOUR_FUNCTIONS = (
    colours.error_colour,
    colours.hint_colour,
    colours.muted_colour,
    colours.ok_colour,
    colours.warning_colour,
)


def light_palette() -> QPalette:
    style = QStyleFactory.create("Fusion")
    assert style is not None
    return style.standardPalette()


@pytest.fixture
def dark(qapp) -> Iterator[QPalette]:
    before = QApplication.palette()
    palette = dark_palette()
    QApplication.setPalette(palette)
    yield palette
    QApplication.setPalette(before)


# --- colours -----------------------------------------------------------------------------


def test_the_contrast_formula_matches_wcag() -> None:
    assert colours.contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert colours.contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert colours.contrast(QColor("#b00020"), QColor("#b00020")) == pytest.approx(1.0)


@pytest.mark.parametrize("make", [light_palette, dark_palette], ids=["licht", "donker"])
@pytest.mark.parametrize("colour", COLOUR_FUNCTIONS, ids=lambda f: f.__name__)
def test_every_text_colour_meets_wcag_aa_on_window_and_base(qapp, make, colour) -> None:
    palette = make()
    picked = colour(palette)
    for role in (Role.Window, Role.Base):
        ratio = colours.contrast(picked, palette.color(role))
        assert ratio >= 4.5, f"{colour.__name__} {picked.name()} on {role.name}: {ratio:.2f}"


def test_light_theme_keeps_the_familiar_colours(qapp) -> None:
    palette = light_palette()
    assert colours.error_colour(palette).name() == "#b00020"
    assert colours.hint_colour(palette).name() == "#555555"
    assert colours.ok_colour(palette).name() == "#1b5e20"


def test_dark_theme_gets_the_dark_variants(qapp) -> None:
    palette = dark_palette()
    assert colours.is_dark(palette)
    assert not colours.is_dark(light_palette())
    assert colours.error_colour(palette).name() == colours.ERROR[1]
    assert colours.hint_colour(palette).name() == colours.HINT[1]


def test_an_odd_palette_still_gets_a_readable_colour(qapp) -> None:
    """A mid-grey window where neither variant reaches 4.5:1: the colour moves towards
    the palette's own text colour until it does."""
    palette = QPalette()
    palette.setColor(Role.Window, QColor("#8c8c8c"))
    palette.setColor(Role.Base, QColor("#8c8c8c"))
    palette.setColor(Role.WindowText, QColor("#000000"))
    for colour in COLOUR_FUNCTIONS:
        picked = colour(palette)
        assert colours.contrast(picked, QColor("#8c8c8c")) >= 4.5, colour.__name__


def _stylesheet_colour(label: QLabel) -> QColor:
    match = re.search(r"color:\s*(#[0-9a-fA-F]{6})", label.styleSheet())
    assert match, label.styleSheet()
    return QColor(match.group(1))


def _drawn_colour(qtbot, label: QLabel) -> QColor:
    """The text colour as painted: the grabbed pixel that differs most from the background."""
    qtbot.waitUntil(label.isVisible)
    image = label.grab().toImage()
    background = label.palette().color(label.backgroundRole())
    best, best_ratio = background, 1.0
    for y in range(0, image.height()):
        for x in range(0, image.width()):
            pixel = image.pixelColor(x, y)
            ratio = colours.contrast(pixel, background)
            if ratio > best_ratio:
                best, best_ratio = pixel, ratio
    return best


def test_client_form_error_and_hint_are_readable_in_a_dark_theme(
    qtbot, window: MainWindow, dark: QPalette
) -> None:
    unlock(qtbot, window)
    window.new_action.trigger()
    dialog = window.findChild(ClientDialog)
    assert dialog is not None
    dialog.edits["postal_code"].setText("12")
    assert not dialog.validate()
    error = dialog.errors["postal_code"]
    qtbot.waitUntil(error.isVisible)
    hint = next(
        label
        for label in dialog.findChildren(QLabel)
        if label.text().startswith("Velden met * zijn verplicht")
    )
    background = dark.color(Role.Window)
    for label, expected in ((error, colours.error_colour(dark)), (hint, colours.hint_colour(dark))):
        assert _stylesheet_colour(label) == expected
        assert colours.contrast(expected, background) >= 4.5
        assert colours.contrast(expected, dark.color(Role.Base)) >= 4.5
        # What is painted is the dark-theme colour, not the light one.
        drawn = _drawn_colour(qtbot, label)
        assert colours.contrast(drawn, background) >= 4.5, (label.text(), drawn.name())
    assert _stylesheet_colour(error).name() != "#b00020"
    dialog.cancel()


# --- icons -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", make_icons.PNG_SIZES)
def test_icon_png_loads_at_its_size(qapp, size: int) -> None:
    image = QImage(str(ICONS / f"brugdesk-{size}.png"))
    assert not image.isNull()
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()
    # Drawn, not empty: the centre is covered by the house.
    assert image.pixelColor(size // 2, size * 3 // 4).alpha() == 255


def test_ico_parses_and_holds_every_size() -> None:
    data = (ICONS / "brugdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, len(make_icons.ICO_SIZES))
    sizes = []
    for i in range(count):
        w, h, _c, _r, planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i
        )
        assert (planes, bits) == (1, 32)
        png = data[offset : offset + length]
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        image = QImage.fromData(png)
        side = w or 256
        assert (image.width(), image.height()) == (side, h or 256)
        sizes.append(side)
    assert sizes == sorted(make_icons.ICO_SIZES)
    # An independent reader agrees.
    with Image.open(ICONS / "brugdesk.ico") as ico:
        assert ico.format == "ICO"
        assert {s for s, _ in ico.info["sizes"]} == set(make_icons.ICO_SIZES)


def test_icns_parses_and_holds_every_size() -> None:
    data = (ICONS / "brugdesk.icns").read_bytes()
    magic, total = struct.unpack_from(">4sI", data)
    assert magic == b"icns"
    assert total == len(data)
    offset, seen = 8, {}
    while offset < total:
        kind, length = struct.unpack_from(">4sI", data, offset)
        png = data[offset + 8 : offset + length]
        image = QImage.fromData(png)
        seen[kind.decode()] = (image.width(), image.height())
        offset += length
    assert offset == total
    assert seen == {k: (s, s) for k, s in make_icons.ICNS_TYPES.items()}
    with Image.open(ICONS / "brugdesk.icns") as icns:
        assert icns.format == "ICNS"
        assert icns.size == (1024, 1024)


def test_make_icons_writes_the_same_set_of_files(qapp, tmp_path: Path) -> None:
    written = make_icons.make_icons(tmp_path)
    shipped = {p.name for p in ICONS.iterdir()} - {"brugdesk.svg"}
    assert {p.name for p in written} == shipped
    for path in written:
        assert path.stat().st_size > 0


def test_the_window_icon_has_every_size(qapp) -> None:
    icon = about_dialog.app_icon()
    assert not icon.isNull()
    assert {s.width() for s in icon.availableSizes()} == set(about_dialog.ICON_SIZES)


def test_app_main_sets_the_window_icon(tmp_path: Path) -> None:
    """The real main() in its own process: the app icon, every size, is the window icon."""
    probe = (
        "import json\n"
        "from brugdesk.ui import app\n"
        f"code = app.main(['--data-dir', {str(tmp_path / 'leeg')!r}])\n"
        "from PySide6.QtWidgets import QApplication\n"
        "print(json.dumps({'code': code, 'desktop': QApplication.desktopFileName(),\n"
        "  'sizes': sorted(s.width() for s in QApplication.windowIcon().availableSizes())}))\n"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "BRUGDESK_LOG_DIR": str(tmp_path / "logs"),
        "BRUGDESK_STARTUP_PROBE": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown == {"code": 0, "desktop": "brugdesk", "sizes": list(about_dialog.ICON_SIZES)}


def test_desktop_file_names_the_app_and_its_icon() -> None:
    lines = (ROOT / "packaging" / "linux" / "brugdesk.desktop").read_text("utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    entries = dict(line.split("=", 1) for line in lines[1:] if "=" in line)
    assert entries["Type"] == "Application"
    assert entries["Name"] == "brugdesk"
    assert entries["Exec"] == "brugdesk"
    assert entries["Icon"] == "brugdesk"
    assert entries["Categories"] == "Office;"
    assert "caseloadbeheer" in entries["Comment"].lower()


# --- licences ----------------------------------------------------------------------------


def test_license_file_is_the_eupl_1_2() -> None:
    text = (ROOT / "LICENSE").read_text("utf-8")
    assert text.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    assert "Appendix" in text
    assert 'license = "EUPL-1.2"' in (ROOT / "pyproject.toml").read_text("utf-8")  # SPDX


def test_notices_in_the_repo_and_the_package_are_the_same() -> None:
    shipped = ROOT / "brugdesk" / "resources" / "THIRD_PARTY_NOTICES.txt"
    assert (ROOT / "THIRD_PARTY_NOTICES").read_text("utf-8") == shipped.read_text("utf-8")
    assert about_dialog.third_party_notices() == shipped.read_text("utf-8")


def _runtime_distributions() -> set[str]:
    """brugdesk's installed runtime dependencies, their dependencies, and so on."""
    seen: set[str] = set()
    todo = ["brugdesk"]
    while todo:
        name = todo.pop()
        for spec in importlib.metadata.requires(name) or []:
            req = Requirement(spec)
            if req.marker is not None and not req.marker.evaluate({"extra": ""}):
                continue
            key = req.name.lower().replace("_", "-")
            if key not in seen:
                seen.add(key)
                todo.append(req.name)
    return seen


def test_notices_name_every_runtime_dependency_with_its_licence() -> None:
    notices = about_dialog.third_party_notices()
    lowered = notices.lower().replace("_", "-")
    for name in sorted(_runtime_distributions()):
        assert name in lowered, f"{name} is missing from THIRD_PARTY_NOTICES"
        meta = importlib.metadata.metadata(name)
        expression = meta.get("License-Expression") or ""
        if expression:
            assert expression in notices, f"{name}: {expression}"
    assert "LGPL-3.0" in notices
    assert "https://download.qt.io/official_releases/QtForPython/" in notices
    assert "https://download.qt.io/" in notices
    for other in ("SQLCipher", "Zetetic", "OpenSSL", "PDFium", "DejaVu"):
        assert other in notices


# --- Help → Over brugdesk ----------------------------------------------------------------


def _open_about(qtbot, window: MainWindow) -> AboutDialog:
    help_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text() == "&Help" and a.menu()
    )
    assert window.about_action in help_menu.actions()
    window.about_action.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_help_menu_opens_about_with_version_licence_and_third_parties(
    qtbot, window: MainWindow
) -> None:
    dialog = _open_about(qtbot, window)  # also on the lock screen: no client data in it
    assert brugdesk.__version__ in dialog.version_label.text()
    assert "EUPL-1.2" in dialog.licence_label.text()
    shown = dialog.notices.toPlainText()
    for name in (
        "PySide6",
        "Qt",
        "LGPL-3.0",
        "SQLCipher",
        "OpenSSL",
        "SQLAlchemy",
        "Alembic",
        "reportlab",
        "pypdf",
        "pypdfium2",
        "PDFium",
        "cryptography",
        "zxcvbn",
        "DejaVu",
    ):
        assert name in shown, name
    assert dialog.close_button.text() == "Sluiten"
    dialog.close_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_log_folder_button_opens_the_log_folder(
    qtbot, window: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    opened: list[QUrl] = []

    def fake_open(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(fake_open))
    dialog = _open_about(qtbot, window)
    dialog.log_button.click()
    assert opened == [QUrl.fromLocalFile(str(tmp_path / "logs"))]
    assert opened[0].isLocalFile()
    assert (tmp_path / "logs").is_dir()
    assert not dialog.error.isVisible()


def test_log_folder_that_cannot_be_opened_says_where_it_is(
    qtbot, window: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))
    dialog = _open_about(qtbot, window)
    dialog.log_button.click()
    assert dialog.error.isVisible()
    assert str(tmp_path / "logs") in dialog.error.text()
    assert "kon niet worden geopend" in dialog.error.text()
