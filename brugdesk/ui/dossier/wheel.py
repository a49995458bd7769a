"""The domain wheel: a radar chart of self-sufficiency scores per life domain.

The first and the latest conversation are overlaid (dashed blue and solid
orange) with a legend that names their dates. Only domains that were
discussed get a point; the axes show every domain of the instrument so the
picture keeps its shape from one conversation to the next.

Every colour comes from the widget's palette (see :func:`wheel_colours`), so the
card is light in a light theme and dark in a dark one, with text that meets
WCAG AA on it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from brugdesk.domain.instruments import Instrument
from brugdesk.ui.kit.colours import hint_colour, is_dark

# (on a light card, on a dark card): the first conversation dashed blue, the latest
# orange. Lines, not text: each has at least 3:1 contrast to its card (WCAG 1.4.11).
FIRST = ("#1f5fa8", "#7fb2f0")
LATEST = ("#d9731a", "#ffa552")


@dataclass(frozen=True)
class WheelColours:
    card: QColor  #: the background
    text: QColor  #: domain names, legend, the empty-state sentence
    quiet: QColor  #: the scale numbers
    grid: QColor  #: rings and spokes
    first: QColor
    latest: QColor


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


def wheel_colours(palette: QPalette) -> WheelColours:
    """The wheel's colours for *palette*: its base as the card, its text on it."""
    role = QPalette.ColorRole
    card = palette.color(role.Base)
    text = palette.color(role.Text)
    dark = int(is_dark(palette))
    return WheelColours(
        card=QColor(card),
        text=QColor(text),
        quiet=hint_colour(palette),
        grid=_mix(card, text, 0.25),
        first=QColor(FIRST[dark]),
        latest=QColor(LATEST[dark]),
    )


@dataclass(frozen=True)
class Series:
    label: str
    held_on: date
    scores: dict[str, int]


@dataclass(frozen=True)
class Outline:
    """How one conversation is drawn: runs of neighbouring scored domains.

    Each run is a list of (domain position, score) in drawing order. A domain
    without a score breaks the line (a gap, never a line across it); only
    when every domain is scored is the outline ``closed`` (a filled polygon).
    """

    runs: tuple[tuple[tuple[int, int], ...], ...]
    closed: bool


def outline(domain_ids: Sequence[str], scores: Mapping[str, int]) -> Outline:
    n = len(domain_ids)
    scored = [i for i, d in enumerate(domain_ids) if d in scores]
    if n and len(scored) == n:
        return Outline((tuple((i, scores[d]) for i, d in enumerate(domain_ids)),), True)
    runs: list[list[int]] = []
    for i in scored:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    # The wheel is round: a run ending at the last domain goes on into one at the first.
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == n - 1:
        runs[0] = runs.pop() + runs[0]
    return Outline(tuple(tuple((i, scores[domain_ids[i]]) for i in run) for run in runs), False)


class DomainWheel(QWidget):
    def __init__(self, parent: QWidget | None = None, *, large: bool = False) -> None:
        super().__init__(parent)
        self.large = large
        self.instrument: Instrument | None = None
        self.series: list[Series] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(QSize(320, 300))
        self.setAccessibleName("Leefgebiedenwiel")

    def set_data(self, instrument: Instrument | None, series: list[Series]) -> None:
        self.instrument = instrument
        self.series = series
        self.setAccessibleDescription(self.describe())
        self.update()

    def describe(self) -> str:
        """The chart in words, for screen readers and tooltips."""
        if not self.instrument or not self.series:
            return "Nog geen gesprek over de leefgebieden."
        lines = []
        for s in self.series:
            parts = [f"{self.instrument.part_name(d)} {v}" for d, v in s.scores.items()]
            lines.append(f"{s.label} ({s.held_on:%d-%m-%Y}): " + ", ".join(parts))
        return "\n".join(lines)

    # --- painting --------------------------------------------------------------------------

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colours = wheel_colours(self.palette())
        painter.fillRect(self.rect(), colours.card)
        if not self.instrument or not self.series:
            painter.setPen(colours.quiet)
            painter.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                "Nog geen gesprek over de leefgebieden.\nStart er een met ‘Gesprek starten…’.",
            )
            return
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * (1.6 if self.large else 0.9))
        painter.setFont(font)
        metrics = QFontMetrics(font)
        legend_height = metrics.height() * (len(self.series) + 0.5)
        area = QRectF(self.rect()).adjusted(8, 8 + metrics.height(), -8, -8 - legend_height)
        sample = "Sociaal netwerk en" if self.large else "Sociaal netwerk"
        label_room = metrics.horizontalAdvance(sample) + 8
        radius = max(
            40.0, min(area.width() / 2 - label_room, area.height() / 2 - metrics.height() * 1.6)
        )
        center = area.center()
        domains = list(self.instrument.domains)
        low = self.instrument.scale[0].value
        high = self.instrument.scale[-1].value
        n = len(domains)

        def point(i: int, value: float) -> QPointF:
            angle = -math.pi / 2 + 2 * math.pi * i / n
            r = radius * (value - low + 1) / (high - low + 1)
            return QPointF(center.x() + r * math.cos(angle), center.y() + r * math.sin(angle))

        # Rings for each scale value, spokes for each domain.
        painter.setPen(QPen(colours.grid, 1))
        for value in range(low, high + 1):
            painter.drawPolygon(QPolygonF([point(i, value) for i in range(n)]))
        for i in range(n):
            painter.drawLine(center, point(i, high))
        painter.setPen(colours.quiet)
        for value in range(low, high + 1):
            p = point(0, value)
            text = str(value)
            x = p.x() - metrics.horizontalAdvance(text) - 6  # left of the spoke, clear of points
            painter.drawText(QPointF(x, p.y() + metrics.ascent() / 2), text)

        # Domain names around the wheel.
        painter.setPen(colours.text)
        for i, domain in enumerate(domains):
            p = point(i, high + 0.55)
            # Labels near the top and bottom sit on the axis: move them clear of
            # their neighbours' labels.
            vertical = math.cos(2 * math.pi * i / n)
            if abs(vertical) > 0.85:
                p.setY(p.y() - math.copysign(metrics.height() * 0.7, vertical))
            self._label(painter, metrics, p, domain.name, label_room)

        styles = [
            (colours.first, Qt.PenStyle.DashLine),
            (colours.latest, Qt.PenStyle.SolidLine),
        ]
        for s, (color, style) in zip(self.series, styles[-len(self.series) :], strict=False):
            shape = outline([d.id for d in domains], s.scores)
            pen = QPen(color, 3.0 if self.large else 2.2, style)
            painter.setPen(pen)
            fill = QColor(color)
            fill.setAlpha(40)
            painter.setBrush(fill)
            runs = [[point(i, v) for i, v in run] for run in shape.runs]
            pts = [p for run in runs for p in run]
            if shape.closed and len(pts) >= 3:
                painter.drawPolygon(QPolygonF(pts))
            else:
                for run in runs:
                    if len(run) >= 2:
                        painter.drawPolyline(QPolygonF(run))
            painter.setBrush(color)
            for p in pts:
                painter.drawEllipse(p, 4.5 if self.large else 3.5, 4.5 if self.large else 3.5)
            painter.setBrush(Qt.BrushStyle.NoBrush)

        # Legend with dates.
        y = self.height() - legend_height
        for s, (color, style) in zip(self.series, styles[-len(self.series) :], strict=False):
            painter.setPen(QPen(color, 3, style))
            painter.drawLine(
                QPointF(16, y + metrics.height() / 2), QPointF(46, y + metrics.height() / 2)
            )
            painter.setPen(colours.text)
            painter.drawText(QPointF(54, y + metrics.ascent()), f"{s.label} — {s.held_on:%d-%m-%Y}")
            y += metrics.height()

    @staticmethod
    def _label(
        painter: QPainter, metrics: QFontMetrics, p: QPointF, text: str, width: float
    ) -> None:
        flags = Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
        rect = QRectF(0, 0, width, metrics.height() * 3)
        if abs(p.x() - painter.device().width() / 2) < 10:
            flags |= Qt.AlignmentFlag.AlignHCenter
            rect.moveCenter(p)
        elif p.x() < painter.device().width() / 2:
            flags |= Qt.AlignmentFlag.AlignRight
            rect.moveCenter(QPointF(p.x() - width / 2, p.y()))
        else:
            flags |= Qt.AlignmentFlag.AlignLeft
            rect.moveCenter(QPointF(p.x() + width / 2, p.y()))
        painter.drawText(rect, int(flags), text)
