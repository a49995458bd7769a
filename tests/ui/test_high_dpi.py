"""High DPI: the PDF preview and the icons are sharp at devicePixelRatio 2.

The screen check runs in a fresh process with QT_SCALE_FACTOR=2 (Qt reads it at
start-up only); the rendering itself is also checked in this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from reportlab.pdfgen import canvas

from brugdesk.ui.kit.pdf_preview import render_pages

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication
app = QApplication([])
from brugdesk.ui.dialogs.about_dialog import AboutDialog, app_icon
from brugdesk.ui.kit.pdf_preview import PdfPreview, render_pages
pdf = open(sys.argv[1], "rb").read()
preview = PdfPreview()
preview.resize(700, 900)
preview.show()
app.processEvents()
ratio = preview.devicePixelRatioF()
preview.show_pages(render_pages(pdf, scale=1.0, device_pixel_ratio=ratio))
app.processEvents()
page = preview.pages[0]
pixmap = page.pixmap()
about = AboutDialog()
about.show()
app.processEvents()
logo = about.logo.pixmap()
icon = app_icon()
print(json.dumps({
    "ratio": ratio,
    "pixels": [pixmap.width(), pixmap.height()],
    "pixmap_ratio": pixmap.devicePixelRatio(),
    "label": [page.sizeHint().width(), page.sizeHint().height()],
    "logo_pixels": logo.width(),
    "logo_ratio": logo.devicePixelRatio(),
    "icon_sizes": sorted(s.width() for s in icon.availableSizes()),
    "icon_at_2": icon.pixmap(QSize(32, 32), 2.0).width(),
}))
"""


def _pdf(path: Path) -> Path:
    page = canvas.Canvas(str(path), pagesize=(300, 400))
    page.drawString(40, 350, "Verwijsbrief")
    page.save()
    return path


def test_render_pages_uses_the_device_pixel_ratio(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "brief.pdf").read_bytes()
    (one,) = render_pages(pdf, scale=1.0)
    (two,) = render_pages(pdf, scale=1.0, device_pixel_ratio=2.0)
    assert (one.width(), one.height()) == (300, 400) and one.devicePixelRatio() == 1.0
    assert (two.width(), two.height()) == (600, 800) and two.devicePixelRatio() == 2.0
    # Same size on screen, twice the pixels.
    assert two.deviceIndependentSize().toSize() == one.size()


def test_preview_and_icons_are_sharp_at_scale_factor_2(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "brief.pdf")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR="2")
    env["BRUGDESK_LOG_DIR"] = str(tmp_path / "logs")
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(pdf)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["ratio"] == 2.0
    # The page has 2× the pixels, says so, and keeps its logical size (300×400 points).
    assert seen["pixels"] == [600, 800] and seen["pixmap_ratio"] == 2.0
    assert seen["label"][0] < 400 and seen["label"][1] < 500
    # The About logo is drawn from the 128-pixel icon, the window icon has every size.
    assert seen["logo_pixels"] == 128 and seen["logo_ratio"] == 2.0
    assert {16, 32, 64, 128, 256, 512} <= set(seen["icon_sizes"])
    assert seen["icon_at_2"] == 64
