"""Small building blocks shared by the windows."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import overload

from PySide6.QtCore import (
    QDate,
    QDateTime,
    QEvent,
    QObject,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTime,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from brugdesk.ui.kit.colours import css, error_colour, hint_colour
from brugdesk.ui.kit.error_boundary import guard, unexpected_message

log = logging.getLogger(__name__)


def user_message(exc: BaseException) -> str:
    """The Dutch sentence for an error; never a traceback."""
    message = getattr(exc, "message", None)
    if isinstance(message, str) and message:
        return message
    log.error("unexpected error shown to the user: %s", type(exc).__name__, exc_info=exc)
    return unexpected_message()


#: The main window's size on a roomy screen: it fits a 1366×768 laptop with a taskbar.
WINDOW_SIZE = QSize(1280, 720)
#: What the window system adds around a window (title bar, borders), at most.
FRAME_ALLOWANCE = QSize(16, 40)


def initial_size(available: QRect, preferred: QSize = WINDOW_SIZE) -> QSize:
    """*preferred*, made smaller where it would not fit *available* (a screen's
    available geometry) together with the window's frame."""
    room = available.size() - FRAME_ALLOWANCE
    return preferred.boundedTo(room).expandedTo(QSize(1, 1))


def eye_icon(crossed: bool = False) -> QIcon:
    """A small eye drawn with QPainter (no icon theme is needed)."""
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor("#444"), 2.4)
    painter.setPen(pen)
    path = QPainterPath(QPointF(3, 16))
    path.quadTo(QPointF(16, 2), QPointF(29, 16))
    path.quadTo(QPointF(16, 30), QPointF(3, 16))
    painter.drawPath(path)
    painter.setBrush(QColor("#444"))
    painter.drawEllipse(QRectF(11.5, 11.5, 9, 9))
    if crossed:
        painter.drawLine(QPointF(5, 27), QPointF(27, 5))
    painter.end()
    return QIcon(pixmap)


def plain(label: QLabel) -> QLabel:
    """*label* shows its text exactly as given: never as HTML (typed text can hold ``<``)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that shows *text* as typed (no rich text, no images, no links)."""
    return plain(QLabel(text, parent))


@overload
def plain_tooltip(text: str) -> str: ...
@overload
def plain_tooltip(text: None) -> None: ...
def plain_tooltip(text: str | None) -> str | None:
    """A tooltip that shows *text* as typed.

    Qt shows a tooltip as HTML when it merely looks like HTML; such text is
    escaped (line breaks and spaces kept), any other text is returned as is.
    """
    if not text or not GuiQt.mightBeRichText(text):
        return text
    body = html.escape(text, quote=False).replace("\n", "<br>")
    return f"<qt style='white-space:pre-wrap'>{body}</qt>"


class ElidedLabel(QLabel):
    """A one-line plain label that elides its text to the width it gets; the whole
    text is in the tooltip when it does not fit."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setMinimumWidth(1)
        self.full_text = ""
        self.setText(text)

    def setText(self, text: str) -> None:
        self.full_text = text
        self._elide()

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        hint.setWidth(1)
        return hint

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        hint.setWidth(QFontMetrics(self.font()).horizontalAdvance(self.full_text) + 4)
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._elide()

    def _elide(self) -> None:
        width = self.contentsRect().width()
        shown = QFontMetrics(self.font()).elidedText(
            self.full_text, Qt.TextElideMode.ElideRight, max(width, 1)
        )
        super().setText(shown)
        self.setToolTip(plain_tooltip(self.full_text) if shown != self.full_text else "")


class PassphraseField(QLineEdit):
    """A password field with a show/hide toggle (an eye action inside the field)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.toggle = QAction(eye_icon(), "Tonen", self)
        self.toggle.setCheckable(True)
        self.toggle.setToolTip("Wachtwoord tonen of verbergen")
        self.toggle.toggled.connect(self._toggled)
        self.addAction(self.toggle, QLineEdit.ActionPosition.TrailingPosition)
        self.setMinimumWidth(320)

    def _toggled(self, shown: bool) -> None:
        self.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.toggle.setText("Verbergen" if shown else "Tonen")
        self.toggle.setIcon(eye_icon(crossed=shown))


class ErrorLabel(QLabel):
    """A red message next to a field or under a form; empty means hidden."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)  # a message may quote typed text
        self.setWordWrap(True)
        self.setStyleSheet(css(error_colour))
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))


class BusyBar(QProgressBar):
    """An indeterminate progress bar for work whose length we cannot know."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, 0)
        self.setTextVisible(False)
        self.setMaximumHeight(8)
        self.hide()


def centered(widget: QWidget, max_width: int) -> QWidget:
    """*widget* in the middle of a container, no wider than *max_width*."""
    from PySide6.QtWidgets import QHBoxLayout

    widget.setMaximumWidth(max_width)
    box = QWidget()
    row = QHBoxLayout(box)
    row.addStretch(1)
    row.addWidget(widget, 100)
    row.addStretch(1)
    return box


def scrolled(page: QWidget) -> QScrollArea:
    """*page* in a frameless scroll area: text that wraps to more lines than the
    window has room for scrolls instead of being cut off."""
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


def roomy_labels(form: QFormLayout, extra: int = 4) -> None:
    """Give each label of *form* a few pixels more than Qt measures: the underlined
    mnemonic letter is drawn apart, without the kerning Qt measured with, so a
    label such as "&Telefoon" would otherwise lose the edge of its last letter."""
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        label = item.widget() if item is not None else None
        if isinstance(label, QLabel):
            label.setContentsMargins(0, 0, extra, 0)


def fit_placeholder(edit: QLineEdit) -> QLineEdit:
    """*edit* never narrower than its placeholder text (the example must be readable)."""
    frame = edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, edit)
    text = QFontMetrics(edit.font()).horizontalAdvance(edit.placeholderText())
    edit.setMinimumWidth(text + 2 * (frame + 2) + 4)  # 2: QLineEdit's own side margin
    return edit


def heading(text: str, size: int = 16, *, elide: bool = False) -> QLabel:
    """A bold title; *elide*: one line, cut short with "…" when it does not fit."""
    label = ElidedLabel(text) if elide else plain_label(text)
    font = QFont(label.font())
    font.setPointSize(size)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(not elide)
    return label


def hint(text: str) -> QLabel:
    label = plain_label(text)
    label.setWordWrap(True)
    label.setStyleSheet(css(hint_colour))
    return label


def plain_text(edit: QPlainTextEdit) -> str:
    """The text exactly as typed.

    ``toPlainText()`` silently turns non-breaking spaces into plain ones; the
    raw text keeps them, and only Qt's own block separators become newlines.
    """
    raw = edit.document().toRawText()
    return raw.replace("\u2029", "\n").replace("\u2028", "\n")


def button_box(ok_text: str, on_ok, on_cancel, *, save: bool = True) -> QDialogButtonBox:
    """The confirm/cancel row every dialog has, in Dutch."""
    ok = QDialogButtonBox.StandardButton.Save if save else QDialogButtonBox.StandardButton.Ok
    box = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(ok).setText(ok_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
    box.accepted.connect(guard(on_ok, ok_text))
    box.rejected.connect(guard(on_cancel, "Annuleren"))
    return box


def qdate(value: date) -> QDate:
    """A Python date as a QDate (the stubs of some PySide6 releases refuse a date)."""
    return QDate(value.year, value.month, value.day)


def qdatetime(value: datetime) -> QDateTime:
    """A naive Python datetime as a QDateTime, to the second."""
    return QDateTime(qdate(value.date()), QTime(value.hour, value.minute, value.second))


def to_date(value: QDate) -> date:
    """A QDate as a Python date (PySide6 types ``toPython()`` as a plain object)."""
    return date(value.year(), value.month(), value.day())


def to_datetime(value: QDateTime) -> datetime:
    """A QDateTime as a naive local Python datetime, to the second."""
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second())


class StaleQuestion(QMessageBox):
    """'Changed elsewhere meanwhile: load the newest version?' — asked, never assumed."""

    def __init__(
        self,
        parent: QWidget,
        title: str,
        message: str,
        on_reload: Callable[[], None],
        on_cancel: Callable[[], None],
    ) -> None:
        super().__init__(
            QMessageBox.Icon.Question, title, message, QMessageBox.StandardButton.NoButton, parent
        )
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.reload_button = self.addButton(
            "Nieuwste versie laden", QMessageBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.addButton("Annuleren", QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.reload_button)

        def answered(_result: int) -> None:
            if self.clickedButton() is self.reload_button:
                on_reload()
            else:
                on_cancel()

        self.finished.connect(answered)


class BusyPage(QWidget):
    def __init__(self, text: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addStretch()
        layout.addWidget(heading(text, 14), 0, Qt.AlignmentFlag.AlignHCenter)
        bar = BusyBar()
        bar.show()
        bar.setMaximumWidth(320)
        layout.addWidget(bar, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch()


class ProgressSignal(QObject):
    """A progress callback for a job on a worker thread: ``report(fraction)`` there,
    ``moved`` arrives on the GUI thread (queued)."""

    moved = Signal(float)

    def report(self, fraction: float) -> None:
        self.moved.emit(fraction)


def show_fraction(bar: QProgressBar, fraction: float) -> None:
    """Turn a busy bar into a determinate one at *fraction* (0.0 … 1.0)."""
    bar.setRange(0, 100)
    bar.setValue(max(0, min(100, round(fraction * 100))))


# --- date fields: the date is what the worker typed ------------------------------------------
#
# QDateEdit edits section by section and "corrects" each digit as it arrives, so
# typing 15-10-2026 over a date could give 22-10. DateEdit is a line edit with a
# fixed mask (dd-mm-jjjj, or dd-mm-jjjj uu:mm): typing overwrites digit by digit,
# the separators are skipped, and the date is read only from the whole text. It
# keeps QDateEdit's names (date/setDate, dateTime/setDateTime, dateChanged,
# dateTimeChanged, setCalendarPopup, setDisplayFormat) so a dialog swaps one line.

_DATE_FORMAT = "dd-MM-yyyy"
_DATETIME_FORMAT = "dd-MM-yyyy HH:mm"


def calendar_icon() -> QIcon:
    """A small calendar drawn with QPainter (no icon theme is needed)."""
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#444"), 2.2))
    painter.drawRoundedRect(QRectF(4, 7, 24, 21), 2.5, 2.5)
    painter.drawLine(QPointF(4, 13), QPointF(28, 13))
    painter.drawLine(QPointF(10, 4), QPointF(10, 9))
    painter.drawLine(QPointF(22, 4), QPointF(22, 9))
    painter.setBrush(QColor("#444"))
    for x in (9, 15, 21):
        for y in (17, 22):
            painter.drawRect(QRectF(x, y, 2.5, 2.5))
    painter.end()
    return QIcon(pixmap)


class DateEdit(QLineEdit):
    """A date (or date and time) field that takes a typed date exactly as typed."""

    dateChanged = Signal(QDate)
    dateTimeChanged = Signal(QDateTime)

    def __init__(
        self, value: QDate | QDateTime | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._format = _DATE_FORMAT
        self._value = QDateTime(QDate.currentDate(), QTime(0, 0))
        self.calendar_action = QAction(calendar_icon(), "Kalender", self)
        self.calendar_action.setToolTip("Kies een datum in de kalender")
        self.calendar_action.triggered.connect(self.show_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.calendar_action.setVisible(False)
        self.calendar: QCalendarWidget | None = None
        self.textEdited.connect(self._typed)
        self._apply_format()
        if isinstance(value, QDateTime):
            self.setDateTime(value)
        elif isinstance(value, QDate):
            self.setDate(value)
        else:
            self._show(self._value)

    # --- QDateEdit's names ---------------------------------------------------------------

    def setDisplayFormat(self, fmt: str) -> None:
        if fmt not in (_DATE_FORMAT, _DATETIME_FORMAT):
            raise ValueError(f"unsupported date format {fmt!r}")
        self._format = fmt
        self._apply_format()
        self._show(self._value)

    def displayFormat(self) -> str:
        return self._format

    def setCalendarPopup(self, enable: bool) -> None:
        self.calendar_action.setVisible(enable)

    def date(self) -> QDate:
        return self._value.date()

    def dateTime(self) -> QDateTime:
        return QDateTime(self._value)

    def setDate(self, value: QDate) -> None:
        self.setDateTime(QDateTime(value, self._value.time() if self._has_time else QTime(0, 0)))

    def setDateTime(self, value: QDateTime) -> None:
        value = QDateTime(value.date(), QTime(value.time().hour(), value.time().minute()))
        if not self._has_time:
            value = QDateTime(value.date(), QTime(0, 0))
        self._show(value)
        self._set_value(value)

    # --- typing --------------------------------------------------------------------------

    @property
    def _has_time(self) -> bool:
        return self._format == _DATETIME_FORMAT

    def parse(self, text: str) -> QDateTime:
        """The date(time) in *text* (every digit typed), or an invalid QDateTime."""
        parts = [text[a:b] for a, b in self._sections()]
        if not all(len(p) == 4 if i == 2 else len(p) == 2 for i, p in enumerate(parts)):
            return QDateTime()
        if not all(p.isdigit() for p in parts):
            return QDateTime()
        day, month, year = int(parts[0]), int(parts[1]), int(parts[2])
        if year < 1900 or not QDate.isValid(year, month, day):
            return QDateTime()
        time = QTime(0, 0)
        if self._has_time:
            hour, minute = int(parts[3]), int(parts[4])
            if not QTime.isValid(hour, minute, 0):
                return QDateTime()
            time = QTime(hour, minute)
        return QDateTime(QDate(year, month, day), time)

    def _sections(self) -> list[tuple[int, int]]:
        """Where day, month, year (hour, minute) stand in the masked text."""
        date_parts = [(0, 2), (3, 5), (6, 10)]
        return [*date_parts, (11, 13), (14, 16)] if self._has_time else date_parts

    def problem(self) -> str:
        """A Dutch sentence when the text is not a whole, existing date; else ''."""
        if self.parse(self.displayText()).isValid():
            return ""
        example = "31-12-2026 14:30" if self._has_time else "31-12-2026"
        return (
            f"'{self.text()}' is geen bestaande datum. Typ de datum als {example}, "
            "of kies hem in de kalender."
        )

    def keyPressEvent(self, event) -> None:
        # "1-1-2030": a separator after one digit makes that section 01 and moves
        # on, so typing over a date never leaves an old digit behind.
        if event.text() in ("-", "/", ".", ":", " ") and not self.hasSelectedText():
            cursor = self.cursorPosition()
            text = self.displayText()
            for start, end in self._sections():
                if end - start == 2 and cursor == start + 1 and text[start].isdigit():
                    text = text[:start] + "0" + text[start] + text[end:]
                    self.setText(text)
                    self.setCursorPosition(min(end + 1, len(text)))
                    self._typed(self.text())
                    return
                if cursor in (start, end) and event.text() != text[cursor : cursor + 1]:
                    if cursor == end:
                        self.setCursorPosition(min(end + 1, len(text)))
                    return  # the separator is already there: skip it
        super().keyPressEvent(event)

    def _apply_format(self) -> None:
        self.setInputMask("00-00-0000 00:00;_" if self._has_time else "00-00-0000;_")
        self.setPlaceholderText("dd-mm-jjjj uu:mm" if self._has_time else "dd-mm-jjjj")

    def _show(self, value: QDateTime) -> None:
        self.setText(value.toString(self._format))
        self.setStyleSheet("")
        self.setToolTip("")

    def _set_value(self, value: QDateTime) -> None:
        if value == self._value:
            return
        old_date = self._value.date()
        self._value = value
        if value.date() != old_date:
            self.dateChanged.emit(value.date())
        self.dateTimeChanged.emit(QDateTime(value))

    def _typed(self, _text: str) -> None:
        value = self.parse(self.displayText())
        if value.isValid():
            self._set_value(value)
        # A text that is not a whole date is marked until it is one (or focus leaves).
        self.setStyleSheet("" if value.isValid() else css(error_colour))
        self.setToolTip(self.problem())

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        # Typing over a date replaces it: the whole text is selected on entry
        # (after the click that put the cursor somewhere has been handled).
        QTimer.singleShot(0, self.selectAll)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        if not self.parse(self.displayText()).isValid():
            self._show(self._value)  # an unfinished date goes back to the last whole one
            self._typed(self.text())

    # --- the calendar ----------------------------------------------------------------------

    def show_calendar(self) -> QCalendarWidget:
        calendar = QCalendarWidget(self)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setGridVisible(True)
        calendar.setSelectedDate(self.date())
        calendar.clicked.connect(self._picked)
        calendar.activated.connect(self._picked)
        calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        calendar.show()
        self.calendar = calendar
        return calendar

    def _picked(self, value: QDate) -> None:
        self.setDate(value)
        if self.calendar is not None:
            self.calendar.close()
            self.calendar.deleteLater()
            self.calendar = None
