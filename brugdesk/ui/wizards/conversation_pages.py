"""The three pages of the conversation dialog: choose, one step, the summary.

They only show a ``Conversation`` (app.conversation) and read back what was
typed; every rule (order, skipping, scoring, what becomes an action) is there.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.conversation import Answer, Conversation, key_for_score, options, score_for_key
from brugdesk.domain import instruments
from brugdesk.domain.instruments import Instrument
from brugdesk.domain.life_domains import DEFAULT_INSTRUMENT
from brugdesk.ui.kit.widgets import DateEdit, heading, hint, plain_text, qdate, to_date

if TYPE_CHECKING:
    from brugdesk.ui.wizards.conversation import ConversationDialog


class ChoosePage(QWidget):
    def __init__(self, dialog: ConversationDialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.instrument = QComboBox()
        # The life-domain guide first: it is what most conversations use.
        ordered = sorted(instruments.latest_all(), key=lambda i: i.id != DEFAULT_INSTRUMENT)
        for inst in ordered:
            self.instrument.addItem(inst.title, inst.id)
        self.instrument.currentIndexChanged.connect(self._instrument_changed)
        self.parts = QListWidget()
        self.parts.setAccessibleName("Te bespreken onderdelen")
        self.parts.itemChanged.connect(lambda _i: dialog.changed())
        self.explain = hint("")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Waarover gaat dit gesprek?", 14))
        row = QHBoxLayout()
        label = QLabel("&Instrument:")
        label.setBuddy(self.instrument)
        row.addWidget(label)
        row.addWidget(self.instrument, 1)
        layout.addLayout(row)
        layout.addWidget(self.explain)
        layout.addWidget(self.parts, 1)
        self.keys = hint("")  # what the keys do here, for what this instrument shows
        layout.addWidget(self.keys)

    def _instrument_changed(self) -> None:
        inst = instruments.get(self.instrument.currentData())
        self.fill(inst, [])
        self.dialog.changed()

    def show_instrument(self, inst: Instrument, chosen: list[str]) -> None:
        """Select *inst* in the list without it counting as a change."""
        self.instrument.blockSignals(True)
        self.instrument.setCurrentIndex(max(self.instrument.findData(inst.id), 0))
        self.instrument.blockSignals(False)
        self.fill(inst, chosen)

    def fill(self, inst: Instrument, chosen: list[str]) -> None:
        self.parts.blockSignals(True)
        self.parts.clear()
        if inst.kind == "domains":
            self.explain.setText(
                "Kies de leefgebieden die bij de hulpvraag horen; niets is verplicht."
            )
            for d in inst.domains:
                item = QListWidgetItem(d.name)
                item.setData(Qt.ItemDataRole.UserRole, d.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    Qt.CheckState.Checked if d.id in chosen else Qt.CheckState.Unchecked
                )
                self.parts.addItem(item)
            self.keys.setText(
                "Spatie vinkt aan of uit. Alleen wat u aanvinkt wordt besproken en bewaard."
            )
        else:
            self.keys.setText("Alle vragen worden gesteld. PageDown of Alt+V begint.")
            self.explain.setText(
                f"Deze vragenlijst wordt helemaal afgenomen ({len(inst.items)} vragen); "
                "alleen dan is er een score."
            )
            for it in inst.items:
                item = QListWidgetItem(it.text)
                item.setData(Qt.ItemDataRole.UserRole, it.id)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)  # asked whole
                self.parts.addItem(item)
        self.parts.blockSignals(False)
        if self.parts.count():
            self.parts.setCurrentRow(0)

    def instrument_id(self) -> str:
        return self.instrument.currentData()

    def checked(self) -> list[str]:
        return [
            self.parts.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.parts.count())
            if self.parts.item(i).checkState() == Qt.CheckState.Checked
        ]


class StepPage(QWidget):
    """One domain (or one question): openers, signals, the scale, wish, note, priority."""

    def __init__(self, dialog: ConversationDialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.inst: Instrument | None = None
        self._loading = False
        self.progress = hint("")
        self.title = heading("", 15)
        self.openers = QLabel()
        self.openers.setWordWrap(True)
        self.openers.setStyleSheet("font-style: italic;")
        self.signals_box = QWidget()
        self.signals_grid = QGridLayout(self.signals_box)
        self.signals_grid.setContentsMargins(0, 0, 0, 0)
        self.signal_checks: list[QCheckBox] = []
        self.scale_box = QWidget()
        self.scale_row = QGridLayout(self.scale_box)  # one row; six answers take two
        self.scale_row.setContentsMargins(0, 0, 0, 0)
        self.scale_group = QButtonGroup(self)
        self.scale_group.setExclusive(True)
        self.scale_group.idToggled.connect(self._scale_toggled)
        self.level_text = hint("")
        self.wish = QLineEdit()
        self.wish.setPlaceholderText("Wat wil de cliënt zelf bereiken?")
        self.wish.textChanged.connect(lambda _t: dialog.changed())
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText("Notitie bij dit onderdeel")
        self.note.setMaximumHeight(90)
        self.note.textChanged.connect(dialog.changed)
        self.priority = QCheckBox("&Prioriteit — hier gaan we eerst mee aan de slag")
        self.priority.toggled.connect(lambda _b: dialog.changed())
        self.wish_label = QLabel("&Wens van de cliënt:")
        self.wish_label.setBuddy(self.wish)
        self.note_label = QLabel("&Notitie:")
        self.note_label.setBuddy(self.note)
        self.signals_label = QLabel("Signalen:")
        self.keys = hint("")  # what the keys do on this step, for what it shows
        layout = QVBoxLayout(self)
        for header in (self.progress, self.title, self.openers):
            layout.addWidget(header)
        layout.addSpacing(4)
        layout.addWidget(self.signals_label)
        layout.addWidget(self.signals_box)
        layout.addSpacing(4)
        fields: tuple[QWidget, ...] = (
            self.scale_box,
            self.level_text,
            self.wish_label,
            self.wish,
            self.note_label,
            self.note,
            self.priority,
        )
        for widget in fields:
            layout.addWidget(widget)
        layout.addStretch()
        layout.addWidget(self.keys)
        for n in range(10):
            shortcut = QShortcut(QKeySequence(str(n)), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda n=n: self.pick(n))

    def show_part(
        self, inst: Instrument, part: str, answer: Answer, position: int, total: int
    ) -> None:
        self._loading = True
        self.inst = inst
        self.progress.setText(f"Onderdeel {position} van {total}")
        for check in self.signal_checks:
            check.deleteLater()
        self.signal_checks = []
        for button in self.scale_group.buttons():
            self.scale_group.removeButton(button)
            button.deleteLater()
        domain = inst.domain(part)
        if domain is not None:
            self.title.setText(domain.name)
            self.openers.setText("\n".join(f"“{o}”" for o in domain.openers))
            for i, signal in enumerate(domain.signals):
                check = QCheckBox(signal.label)
                check.setProperty("signal", signal.id)
                check.setChecked(signal.id in answer.signals)
                check.toggled.connect(lambda _b: self.dialog.changed())
                self.signals_grid.addWidget(check, i // 2, i % 2)
                self.signal_checks.append(check)
        else:
            self.title.setText(inst.part_name(part))
            self.openers.setText(
                inst.prompt or "Lees de uitspraak voor. Past die bij hoe u zich nu voelt?"
            )
        selected = key_for_score(inst, answer.score)
        choices = options(inst)
        columns = len(choices) if len(choices) <= 5 else (len(choices) + 1) // 2
        for i, option in enumerate(choices):
            button = AnswerButton(option.key, option.label)
            self.scale_group.addButton(button, option.key)
            self.scale_row.addWidget(button, i // columns, i % columns)
            if option.key == selected:
                button.setChecked(True)
        domains = domain is not None
        for widget in (self.signals_box, self.wish_label, self.wish, self.priority):
            widget.setVisible(domains)
        self.signals_label.setVisible(domains and bool(self.signal_checks))
        self.keys.setText(step_keys([o.key for o in choices], bool(self.signal_checks)))
        self.wish.setText(answer.wish)
        self.note.setPlainText(answer.note)
        self.priority.setChecked(answer.priority)
        self._describe(selected)
        self._loading = False
        first = self.scale_group.buttons()[0] if self.scale_group.buttons() else self
        target = self.signal_checks[0] if self.signal_checks else first
        # New child widgets are shown by the layout on the next turn of the event
        # loop; focus can only land on them after that.
        QTimer.singleShot(0, target.setFocus)

    def pick(self, key: int) -> None:
        button = self.scale_group.button(key)
        if button is not None:
            button.setChecked(True)

    def _scale_toggled(self, key: int, checked: bool) -> None:
        button = self.scale_group.button(key)
        if isinstance(button, AnswerButton):
            button.show_checked(checked)
        if checked:
            self._describe(key)
            if not self._loading:
                self.dialog.changed()

    def _describe(self, key: int | None) -> None:
        level = self.inst.level(score_for_key(self.inst, key)) if self.inst else None
        self.level_text.setText(level.description if level else "")

    def answer(self) -> Answer:
        assert self.inst is not None
        return Answer(
            score=score_for_key(self.inst, self.scale_group.checkedId()),
            signals=[c.property("signal") for c in self.signal_checks if c.isChecked()],
            wish=self.wish.text(),
            note=plain_text(self.note),
            priority=self.priority.isChecked(),
        )


class SummaryPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.table = QTableWidget(0, 5)
        # The action checkbox comes first: it is what this page is for.
        self.table.setHorizontalHeaderLabels(
            ["Actie maken", "Onderdeel", "Score", "Signalen", "Wens"]
        )
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.scale_label = QLabel()
        self.scale_label.setWordWrap(True)
        self.scale_label.setStyleSheet("font-weight: bold;")
        self.due = DateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("dd-MM-yyyy")
        self.due.setAccessibleName("Acties uiterlijk klaar op")
        self.due_label = QLabel("Acties &uiterlijk klaar op:")
        self.due_label.setBuddy(self.due)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due_label)
        due_row.addWidget(self.due)
        due_row.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Samenvatting", 14))
        layout.addWidget(self.scale_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(due_row)
        layout.addWidget(
            hint(
                "Vink aan voor welke onderdelen meteen een actie in het plan "
                "komt (prioriteiten staan al aan). Ctrl+Enter slaat op."
            )
        )

    def show_summary(self, conv: Conversation) -> None:
        inst = conv.instrument
        rows = conv.summary_rows()
        proposed = set(conv.proposed_actions())
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            if inst.kind == "domains":
                score = f"{row.score} {row.score_label}" if row.score_label else "geen score"
            else:
                score = row.score_label if row.score_label else "geen antwoord"
            signals = ", ".join(label for label in row.signal_labels)
            name = row.name + (" ★" if row.priority else "")
            for c, value in enumerate([name, score, signals, row.wish], start=1):
                self.table.setItem(r, c, QTableWidgetItem(value))
            action = QTableWidgetItem()
            action.setData(Qt.ItemDataRole.UserRole, row.part)
            if row.can_become_action:
                action.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                action.setCheckState(
                    Qt.CheckState.Checked if row.part in proposed else Qt.CheckState.Unchecked
                )
            self.table.setItem(r, 0, action)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(3, min(self.table.columnWidth(3), 260))
        # A column no row has anything in (signals and wishes of a scale) is not shown.
        for c in range(self.table.columnCount()):
            items = [self.table.item(r, c) for r in range(len(rows))]
            empty = all(
                i is None or (not i.text() and i.data(Qt.ItemDataRole.CheckStateRole) is None)
                for i in items
            )
            self.table.setColumnHidden(c, empty)
        result = conv.scale_result()
        if result is not None:
            self.scale_label.setText(result.describe(inst))
        else:
            self.scale_label.setText(f"{len(rows)} leefgebied(en) besproken.")
        can_act = any(row.can_become_action for row in rows)
        self.due.setDate(qdate(conv.default_due_on()))
        self.due_label.setVisible(can_act)
        self.due.setVisible(can_act)

    def actions_for(self) -> list[str]:
        out = []
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item and item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def due_on(self) -> date:
        return to_date(self.due.date())


def step_keys(answers: list[int], signals: bool) -> str:
    """The keys of a step, as far as the step has what they work on."""
    low, high = min(answers), max(answers)
    keys = [f"{low}–{high} kiest een antwoord"]
    if answers[0] > answers[-1]:  # WHO-5: the key is the points, highest first
        keys[0] += " (het cijfer is het aantal punten)"
    if signals:
        keys.append("Spatie vinkt een signaal aan of uit")
    keys.append("Tab en de pijltjes verplaatsen alleen de focus")
    keys.append("PageDown gaat verder, PageUp terug")
    return ". ".join(keys) + "."


class AnswerButton(QPushButton):
    """One answer on the scale. Checked looks filled with a check mark; focus only
    draws a dashed outline, so an answer the focus passes over never looks chosen.
    Arrow keys move the focus between answers without choosing (unlike an exclusive
    button group's default); Space or the number key chooses."""

    STYLE = (
        "QPushButton { background: #f4f4f4; color: #222; border: 1px solid #999;"
        " border-radius: 4px; padding: 4px 10px; }"
        "QPushButton:checked { background: #1f5fa8; color: white; font-weight: bold;"
        " border: 2px solid #0d3a6e; }"
        "QPushButton:focus { border: 2px dashed #d9731a; }"
    )

    def __init__(self, key: int, label: str) -> None:
        super().__init__()
        self.key = key
        self.label = label
        self.setCheckable(True)
        self.setAutoDefault(False)  # Enter must not choose the focused answer
        self.setMinimumHeight(34)
        self.setStyleSheet(self.STYLE)
        self.show_checked(False)

    def show_checked(self, checked: bool) -> None:
        self.setText(("✓ " if checked else "") + f"&{self.key} {self.label.replace('&', '&&')}")
        self.updateGeometry()

    def _chosen_width(self) -> int:
        """Room for the chosen look (bold, with ✓), so choosing never clips the label."""
        font = QFont(self.font())
        font.setBold(True)
        text = f"✓ {self.key} {self.label}"
        return QFontMetrics(font).horizontalAdvance(text) + 2 * 10 + 2 * 2 + 4

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(hint.width(), self._chosen_width()), hint.height())

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), self._chosen_width()), hint.height())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1}
        move = step.get(Qt.Key(event.key()))
        group = self.group()
        if move is None or group is None:
            super().keyPressEvent(event)
            return
        buttons = group.buttons()
        target = buttons[(buttons.index(self) + move) % len(buttons)]
        target.setFocus(Qt.FocusReason.TabFocusReason)
        event.accept()
