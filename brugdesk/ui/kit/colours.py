"""Text colours that stay readable in a light and a dark theme.

Every colour here is picked for the palette it is shown on: a light variant on a
light window, a dark-theme variant on a dark one, and then checked against the
palette's window and base colours with the WCAG 2 contrast formula. When a palette
is so unusual that the variant still falls short of :data:`MINIMUM_CONTRAST`
(WCAG AA for normal text), the colour is moved towards the palette's own text
colour until it reaches it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor, QGuiApplication, QPalette

MINIMUM_CONTRAST = 4.5

# (on a light window, on a dark window)
ERROR = ("#b00020", "#ff8a80")
HINT = ("#555555", "#b4b4b4")
MUTED = ("#6b6b6b", "#a8a8a8")
OK = ("#1b5e20", "#81c784")
WARNING = ("#8a4b00", "#ffb74d")

Role = QPalette.ColorRole


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0 black … 1 white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio between two colours (1 … 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def is_dark(palette: QPalette) -> bool:
    """True when the palette's window background is dark."""
    return luminance(palette.color(Role.Window)) < 0.18


def _backgrounds(palette: QPalette) -> tuple[QColor, QColor]:
    return palette.color(Role.Window), palette.color(Role.Base)


def _readable(colour: QColor, palette: QPalette) -> QColor:
    """*colour*, or the first step towards the palette's text colour that meets the minimum."""
    text = palette.color(Role.WindowText)
    for step in range(11):
        t = step / 10
        mixed = QColor.fromRgbF(
            colour.redF() + (text.redF() - colour.redF()) * t,
            colour.greenF() + (text.greenF() - colour.greenF()) * t,
            colour.blueF() + (text.blueF() - colour.blueF()) * t,
        )
        if all(contrast(mixed, bg) >= MINIMUM_CONTRAST for bg in _backgrounds(palette)):
            return mixed
    return QColor(text)


def pick(variants: tuple[str, str], palette: QPalette | None = None) -> QColor:
    """The light or dark variant for *palette* (the application's by default), made readable."""
    palette = palette if palette is not None else QGuiApplication.palette()
    return _readable(QColor(variants[1] if is_dark(palette) else variants[0]), palette)


def error_colour(palette: QPalette | None = None) -> QColor:
    """For what went wrong or needs attention now (an error, an overdue date)."""
    return pick(ERROR, palette)


def hint_colour(palette: QPalette | None = None) -> QColor:
    """For a quiet explanation under a field."""
    return pick(HINT, palette)


def muted_colour(palette: QPalette | None = None) -> QColor:
    """For what is no longer current (a closed dossier, a withdrawn consent)."""
    return pick(MUTED, palette)


def ok_colour(palette: QPalette | None = None) -> QColor:
    """For a success message."""
    return pick(OK, palette)


def warning_colour(palette: QPalette | None = None) -> QColor:
    """For a caution that is not an error (a possible duplicate)."""
    return pick(WARNING, palette)


def css(colour: Callable[[QPalette | None], QColor], palette: QPalette | None = None) -> str:
    """A style sheet rule setting the text colour, e.g. ``css(error_colour)``."""
    return f"color: {colour(palette).name()};"
