"""The domain wheel takes its colours from the palette: readable in a light and a dark theme."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from brugdesk.domain import instruments
from brugdesk.ui.dossier.wheel import DomainWheel, Series, wheel_colours
from brugdesk.ui.kit.colours import MINIMUM_CONTRAST, contrast
from tools.screenshots import dark_palette


def light_palette() -> QPalette:
    style = QStyleFactory.create("Fusion")
    assert style is not None
    return style.standardPalette()


@pytest.fixture(params=["licht", "donker"])
def palette(request, qapp) -> Iterator[QPalette]:
    before = QApplication.palette()
    chosen = light_palette() if request.param == "licht" else dark_palette()
    QApplication.setPalette(chosen)
    yield chosen
    QApplication.setPalette(before)


def _wheel(qtbot) -> DomainWheel:
    instrument = instruments.get("leefgebieden")
    ids = [d.id for d in instrument.domains]
    wheel = DomainWheel()
    qtbot.addWidget(wheel)
    wheel.resize(520, 460)
    wheel.set_data(
        instrument,
        [
            Series("Eerste gesprek", date(2024, 1, 8), {d: 2 for d in ids}),
            Series("Laatste gesprek", date(2024, 6, 3), {d: 4 for d in ids[:6]}),
        ],
    )
    return wheel


def _most_common(image: QImage) -> QColor:
    counts: Counter[int] = Counter(
        image.pixel(x, y) for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)
    )
    return QColor.fromRgb(counts.most_common(1)[0][0])


def test_the_chosen_colours_are_readable(qtbot, palette: QPalette) -> None:
    wheel = _wheel(qtbot)
    colours = wheel_colours(wheel.palette())
    assert colours.card == palette.color(QPalette.ColorRole.Base)
    for text in (colours.text, colours.quiet):
        assert contrast(text, colours.card) >= MINIMUM_CONTRAST
    for line in (colours.first, colours.latest):
        assert contrast(line, colours.card) >= 3.0  # graphics: WCAG 1.4.11


def test_the_painted_card_follows_the_theme(qtbot, palette: QPalette) -> None:
    wheel = _wheel(qtbot)
    wheel.show()
    image = wheel.grab().toImage()
    background = _most_common(image)
    assert background == palette.color(QPalette.ColorRole.Base)  # no white card in the dark
    text = palette.color(QPalette.ColorRole.Text)
    # The domain names are painted in the text colour, which is readable on that card.
    found = {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}
    assert text.rgb() in found
    assert contrast(text, background) >= MINIMUM_CONTRAST


def test_the_empty_wheel_says_so_readably(qtbot, palette: QPalette) -> None:
    wheel = DomainWheel()
    qtbot.addWidget(wheel)
    wheel.resize(400, 300)
    wheel.show()
    image = wheel.grab().toImage()
    colours = wheel_colours(wheel.palette())
    assert _most_common(image) == colours.card
    assert contrast(colours.quiet, colours.card) >= MINIMUM_CONTRAST
