"""A conversation with an instrument: choose what to discuss, step through, summarise.

Keyboard only: Space ticks, 1–5 (or 1–3) picks the scale answer, PageDown or
Alt+V goes on, PageUp or Alt+T goes back, Alt+O skips, Ctrl+Enter saves on the
summary. Everything is kept as a draft while it is typed, so a lock or a
crash mid-conversation loses nothing. Domains not chosen, or skipped, are not
stored (data minimisation).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.caseload import Caseload
from brugdesk.domain import instruments
from brugdesk.domain.instruments import Instrument
from brugdesk.domain.life_domains import DEFAULT_INSTRUMENT
from brugdesk.errors import BrugdeskError
from brugdesk.ui.kit.i18n import tr
from brugdesk.ui.kit.widgets import ErrorLabel, heading, hint, plain_text, user_message


def draft_key(client_id: int) -> str:
    return f"conversation:{client_id}"


def blank_answer() -> dict[str, Any]:
    return {
        "score": None,
        "signals": [],
        "wish": "",
        "note": "",
        "priority": False,
        "skipped": False,
    }


class ChoosePage(QWidget):
    def __init__(self, dialog: ConversationDialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.instrument = QComboBox()
        # The life-domain guide first: it is what most conversations use.
        ordered = sorted(instruments.latest_all(), key=lambda i: i.id != DEFAULT_INSTRUMENT)
        for inst in ordered:
            self.instrument.addItem(tr(inst.title), inst.id)
        self.instrument.currentIndexChanged.connect(self._instrument_changed)
        self.parts = QListWidget()
        self.parts.setAccessibleName(tr("Te bespreken onderdelen"))
        self.parts.itemChanged.connect(lambda _i: dialog.changed())
        self.explain = hint("")
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("Waarover gaat dit gesprek?"), 14))
        row = QHBoxLayout()
        label = QLabel(tr("&Instrument:"))
        label.setBuddy(self.instrument)
        row.addWidget(label)
        row.addWidget(self.instrument, 1)
        layout.addLayout(row)
        layout.addWidget(self.explain)
        layout.addWidget(self.parts, 1)
        layout.addWidget(
            hint(tr("Spatie vinkt aan of uit. Alleen wat u aanvinkt wordt besproken en bewaard."))
        )

    def _instrument_changed(self) -> None:
        inst = instruments.get(self.instrument.currentData())
        self.fill(inst, [])
        self.dialog.changed()

    def fill(self, inst: Instrument, chosen: list[str]) -> None:
        self.parts.blockSignals(True)
        self.parts.clear()
        if inst.kind == "domains":
            self.explain.setText(
                tr("Kies de leefgebieden die bij de hulpvraag horen; niets is verplicht.")
            )
            for d in inst.domains:
                item = QListWidgetItem(tr(d.name))
                item.setData(Qt.ItemDataRole.UserRole, d.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    Qt.CheckState.Checked if d.id in chosen else Qt.CheckState.Unchecked
                )
                self.parts.addItem(item)
        else:
            self.explain.setText(
                tr(
                    "Deze vragenlijst wordt helemaal afgenomen ({n} vragen); "
                    "alleen dan is er een score."
                ).format(n=len(inst.items))
            )
            for it in inst.items:
                item = QListWidgetItem(tr(it.text))
                item.setData(Qt.ItemDataRole.UserRole, it.id)
                self.parts.addItem(item)
        self.parts.blockSignals(False)
        if self.parts.count():
            self.parts.setCurrentRow(0)

    def chosen(self, inst: Instrument) -> list[str]:
        if inst.kind != "domains":
            return list(inst.parts)
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
        self.progress = hint("")
        self.title = heading("", 15)
        self.openers = QLabel()
        self.openers.setWordWrap(True)
        self.openers.setStyleSheet("font-style: italic; color: #333;")
        self.signals_box = QWidget()
        self.signals_grid = QGridLayout(self.signals_box)
        self.signals_grid.setContentsMargins(0, 0, 0, 0)
        self.signal_checks: list[QCheckBox] = []
        self.scale_box = QWidget()
        self.scale_row = QHBoxLayout(self.scale_box)
        self.scale_row.setContentsMargins(0, 0, 0, 0)
        self.scale_group = QButtonGroup(self)
        self.scale_group.setExclusive(True)
        self.scale_group.idToggled.connect(self._scale_toggled)
        self.level_text = hint("")
        self.wish = QLineEdit()
        self.wish.setPlaceholderText(tr("Wat wil de cliënt zelf bereiken?"))
        self.wish.textChanged.connect(lambda _t: dialog.changed())
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(tr("Notitie bij dit onderdeel"))
        self.note.setMaximumHeight(90)
        self.note.textChanged.connect(dialog.changed)
        self.priority = QCheckBox(tr("&Prioriteit — hier gaan we eerst mee aan de slag"))
        self.priority.toggled.connect(lambda _b: dialog.changed())
        self.wish_label = QLabel(tr("&Wens van de cliënt:"))
        self.wish_label.setBuddy(self.wish)
        self.note_label = QLabel(tr("&Notitie:"))
        self.note_label.setBuddy(self.note)
        self.signals_label = QLabel(tr("Signalen:"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.title)
        layout.addWidget(self.openers)
        layout.addSpacing(4)
        layout.addWidget(self.signals_label)
        layout.addWidget(self.signals_box)
        layout.addSpacing(4)
        layout.addWidget(self.scale_box)
        layout.addWidget(self.level_text)
        layout.addWidget(self.wish_label)
        layout.addWidget(self.wish)
        layout.addWidget(self.note_label)
        layout.addWidget(self.note)
        layout.addWidget(self.priority)
        layout.addStretch()
        for n in range(1, 10):
            shortcut = QShortcut(QKeySequence(str(n)), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda n=n: self.pick(n))

    def show_part(
        self, inst: Instrument, part: str, answer: dict, position: int, total: int
    ) -> None:
        self._loading = True
        self.inst = inst
        self.progress.setText(tr("Onderdeel {i} van {n}").format(i=position, n=total))
        for check in self.signal_checks:
            check.deleteLater()
        self.signal_checks = []
        for button in self.scale_group.buttons():
            self.scale_group.removeButton(button)
            button.deleteLater()
        if inst.kind == "domains":
            domain = inst.domain(part)
            assert domain is not None
            self.title.setText(tr(domain.name))
            self.openers.setText("\n".join(f"“{tr(o)}”" for o in domain.openers))
            for i, signal in enumerate(domain.signals):
                check = QCheckBox(tr(signal.label))
                check.setProperty("signal", signal.id)
                check.setChecked(signal.id in answer["signals"])
                check.toggled.connect(lambda _b: self.dialog.changed())
                self.signals_grid.addWidget(check, i // 2, i % 2)
                self.signal_checks.append(check)
            options = [(lv.value, f"&{lv.value} {tr(lv.label)}") for lv in inst.scale]
            selected = answer["score"]
        else:
            item = inst.item(part)
            assert item is not None
            self.title.setText(tr(item.text))
            self.openers.setText(tr("Lees de uitspraak voor. Past die bij hoe u zich nu voelt?"))
            options = [(i + 1, f"&{i + 1} {tr(a.label)}") for i, a in enumerate(inst.answers)]
            selected = None if answer["score"] is None else answer["score"] + 1
        for value, label in options:
            button = QPushButton(label)
            button.setCheckable(True)
            button.setMinimumHeight(34)
            self.scale_group.addButton(button, value)
            self.scale_row.addWidget(button)
            if value == selected:
                button.setChecked(True)
        domains = inst.kind == "domains"
        for widget in (
            self.signals_label,
            self.signals_box,
            self.wish_label,
            self.wish,
            self.priority,
        ):
            widget.setVisible(domains)
        self.signals_label.setVisible(domains and bool(self.signal_checks))
        self.wish.setText(answer["wish"])
        self.note.setPlainText(answer["note"])
        self.priority.setChecked(answer["priority"])
        self._describe(selected)
        self._loading = False
        first = self.scale_group.buttons()[0] if self.scale_group.buttons() else self
        target = self.signal_checks[0] if self.signal_checks else first
        # New child widgets are shown by the layout on the next turn of the event
        # loop; focus can only land on them after that.
        QTimer.singleShot(0, target.setFocus)

    def pick(self, value: int) -> None:
        button = self.scale_group.button(value)
        if button is not None:
            button.setChecked(True)

    def _scale_toggled(self, value: int, checked: bool) -> None:
        if checked:
            self._describe(value)
            if not getattr(self, "_loading", False):
                self.dialog.changed()

    def _describe(self, value: int | None) -> None:
        level = self.inst.level(value) if getattr(self, "inst", None) else None
        self.level_text.setText(tr(level.description) if level else "")

    def answer(self) -> dict[str, Any]:
        value = self.scale_group.checkedId()
        if self.inst.kind == "domains":
            score = value if value > 0 else None
        else:
            score = value - 1 if value > 0 else None
        return {
            "score": score,
            "signals": [c.property("signal") for c in self.signal_checks if c.isChecked()],
            "wish": self.wish.text(),
            "note": plain_text(self.note),
            "priority": self.priority.isChecked(),
            "skipped": False,
        }


class SummaryPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.table = QTableWidget(0, 5)
        # The action checkbox comes first: it is what this page is for.
        self.table.setHorizontalHeaderLabels(
            [tr("Actie maken"), tr("Onderdeel"), tr("Score"), tr("Signalen"), tr("Wens")]
        )
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setStyleSheet("font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("Samenvatting"), 14))
        layout.addWidget(self.result)
        layout.addWidget(self.table, 1)
        layout.addWidget(
            hint(
                tr(
                    "Vink aan voor welke onderdelen meteen een actie in het plan "
                    "komt (prioriteiten staan al aan). Ctrl+Enter slaat op."
                )
            )
        )

    def show_summary(self, inst: Instrument, chosen: list[str], answers: dict) -> None:
        rows = [p for p in chosen if not answers.get(p, {}).get("skipped")]
        self.table.setRowCount(len(rows))
        for r, part in enumerate(rows):
            a = answers.get(part, blank_answer())
            if inst.kind == "domains":
                level = inst.level(a["score"])
                score = f"{a['score']} {tr(level.label)}" if level else tr("geen score")
                domain = inst.domain(part)
                signals = (
                    ", ".join(tr(domain.signal_label(s)) for s in a["signals"]) if domain else ""
                )
            else:
                answer = instruments.answer_at(inst, a["score"])
                score = next(
                    (tr(x.label) for x in inst.answers if x.id == answer), tr("geen antwoord")
                )
                signals = ""
            name = tr(inst.part_name(part)) + (" ★" if a["priority"] else "")
            values = [name, score, signals, a["wish"]]
            for c, value in enumerate(values, start=1):
                self.table.setItem(r, c, QTableWidgetItem(value))
            action = QTableWidgetItem()
            action.setData(Qt.ItemDataRole.UserRole, part)
            if inst.kind == "domains":
                action.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                action.setCheckState(
                    Qt.CheckState.Checked if a["priority"] else Qt.CheckState.Unchecked
                )
            self.table.setItem(r, 0, action)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(3, min(self.table.columnWidth(3), 260))
        if inst.kind == "scale":
            given = {
                p: instruments.answer_at(inst, answers[p]["score"])
                for p in rows
                if p in answers and answers[p]["score"] is not None
            }
            result = instruments.score_scale(inst, given)
            self.result.setText(tr(result.describe(inst)))
        else:
            self.result.setText(tr("{n} leefgebied(en) besproken.").format(n=len(rows)))

    def actions_for(self) -> list[str]:
        out = []
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item and item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out


class ConversationDialog(QDialog):
    saved = Signal(int)

    def __init__(self, caseload: Caseload, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.client_id = client_id
        self.setWindowTitle(tr("Gesprek"))
        self.resize(860, 640)
        self.inst: Instrument = instruments.get(DEFAULT_INSTRUMENT)
        self.chosen: list[str] = []
        self.answers: dict[str, dict[str, Any]] = {}
        self.index = 0  # 0 = choose, 1..n = parts, n+1 = summary

        self.choose = ChoosePage(self)
        self.step = StepPage(self)
        self.summary = SummaryPage()
        self.pages = QStackedWidget()
        for page in (self.choose, self.step, self.summary):
            self.pages.addWidget(page)
        self.back = QPushButton(tr("&Terug"))
        self.skip = QPushButton(tr("&Overslaan"))
        self.next = QPushButton(tr("&Volgende"))
        self.save_button = QPushButton(tr("Op&slaan"))
        self.cancel = QPushButton(tr("Later verder"))
        self.cancel.setToolTip(tr("Sluiten; het gesprek blijft als concept bewaard."))
        self.back.clicked.connect(self.go_back)
        self.skip.clicked.connect(self.skip_part)
        self.next.clicked.connect(self.go_next)
        self.save_button.clicked.connect(self.save)
        self.cancel.clicked.connect(self.later)
        self.error = ErrorLabel()
        self.status = hint("")
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.status, 1)
        for b in (self.back, self.skip, self.next, self.save_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        for key, slot in (
            (QKeySequence.StandardKey.MoveToNextPage, self.go_next),
            (QKeySequence.StandardKey.MoveToPreviousPage, self.go_back),
            (QKeySequence("Ctrl+Return"), self.save),
        ):
            QShortcut(key, self).activated.connect(slot)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(800)
        self._autosave.timeout.connect(self.save_draft)
        self._restoring = True
        self._restore()
        self._restoring = False
        self._show()

    # --- state ---------------------------------------------------------------------

    def _restore(self) -> None:
        draft = self.caseload.drafts.get(draft_key(self.client_id))
        if draft is None:
            self.choose.fill(self.inst, [])
            return
        state = draft.payload
        try:
            self.inst = instruments.get(state["instrument_id"], state["version"])
        except (KeyError, instruments.InstrumentError):
            self.choose.fill(self.inst, [])
            return
        self.chosen = [p for p in state.get("chosen", []) if p in self.inst.parts]
        self.answers = {
            p: {**blank_answer(), **a}
            for p, a in state.get("answers", {}).items()
            if p in self.inst.parts
        }
        self.index = min(int(state.get("index", 0)), len(self.chosen) + 1)
        combo = self.choose.instrument
        combo.blockSignals(True)
        combo.setCurrentIndex(max(combo.findData(self.inst.id), 0))
        combo.blockSignals(False)
        self.choose.fill(self.inst, self.chosen)
        self.status.setText(tr("Concept teruggezet."))

    def state(self) -> dict[str, Any]:
        return {
            "instrument_id": self.inst.id,
            "version": self.inst.version,
            "chosen": self.chosen,
            "answers": self.answers,
            "index": self.index,
        }

    def changed(self) -> None:
        if self._restoring:
            return
        if self.index == 0:
            self.inst = instruments.get(self.choose.instrument.currentData())
            self.chosen = self.choose.chosen(self.inst)
        self._autosave.start()

    def _capture(self) -> None:
        if 1 <= self.index <= len(self.chosen):
            part = self.chosen[self.index - 1]
            self.answers[part] = self.step.answer()
        elif self.index == 0:
            self.inst = instruments.get(self.choose.instrument.currentData())
            self.chosen = self.choose.chosen(self.inst)

    def save_draft(self) -> None:
        """Kept in the vault; called while typing and before every lock."""
        self._autosave.stop()
        self._capture()
        try:
            self.caseload.drafts.save(
                draft_key(self.client_id), self.state(), client_id=self.client_id
            )
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return
        self.status.setText(tr("Concept bewaard."))

    # --- navigation -------------------------------------------------------------------

    def _show(self) -> None:
        n = len(self.chosen)
        if self.index == 0:
            self.pages.setCurrentWidget(self.choose)
            self.choose.parts.setFocus()
        elif self.index <= n:
            part = self.chosen[self.index - 1]
            self.pages.setCurrentWidget(self.step)
            self.step.show_part(
                self.inst, part, self.answers.get(part, blank_answer()), self.index, n
            )
        else:
            self.pages.setCurrentWidget(self.summary)
            self.summary.show_summary(self.inst, self.chosen, self.answers)
            self.summary.table.setFocus()
        on_summary = self.index > n and n > 0
        self.back.setEnabled(self.index > 0)
        self.skip.setVisible(1 <= self.index <= n and self.inst.kind == "domains")
        self.next.setVisible(not on_summary)
        self.save_button.setVisible(on_summary)
        self.next.setText(tr("Naar de samenvatting") if self.index == n else tr("&Volgende"))
        self.error.show_message("")

    def go_next(self) -> None:
        self._capture()
        if self.index == 0 and not self.chosen:
            self.error.show_message(tr("Kies eerst minstens één onderwerp om te bespreken."))
            return
        if self.index > len(self.chosen):
            return
        self.index += 1
        self._show()
        self.save_draft()

    def go_back(self) -> None:
        if self.index == 0:
            return
        self._capture()
        self.index -= 1
        self._show()
        self.save_draft()

    def skip_part(self) -> None:
        if not 1 <= self.index <= len(self.chosen):
            return
        part = self.chosen[self.index - 1]
        self.answers[part] = {**blank_answer(), "skipped": True}
        self.index += 1
        self._show()
        self.save_draft()

    def later(self) -> None:
        self.save_draft()
        self.reject()

    def save(self) -> None:
        if self.index <= len(self.chosen):
            return
        items = []
        for part in self.chosen:
            a = self.answers.get(part, blank_answer())
            if a.get("skipped"):
                continue
            items.append(
                {
                    "domain": part,
                    "score": a["score"],
                    "signals": a["signals"],
                    "wish": a["wish"],
                    "note": a["note"],
                    "priority": a["priority"],
                }
            )
        if not items:
            self.error.show_message(tr("Alles is overgeslagen; er valt niets te bewaren."))
            return
        try:
            assessment_id = self.caseload.assessments.add(
                self.client_id,
                instrument_id=self.inst.id,
                instrument_version=self.inst.version,
                items=items,
                held_on=date.today(),
            )
            actions = self.summary.actions_for()
            if actions:
                self.caseload.assessments.create_actions(assessment_id, actions)
            self.caseload.drafts.discard(draft_key(self.client_id))
        except BrugdeskError as exc:
            self.error.show_message(user_message(exc))
            return
        self.accept()
        self.saved.emit(assessment_id)
