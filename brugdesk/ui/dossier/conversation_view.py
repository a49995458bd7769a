"""A stored conversation, read back: per domain the score, signals, wish and note.

Read-only. The list on the left names each conversation of the client
(newest first); the right side shows the chosen one in plain text, with
the labels of the instrument version that conversation used, and for a
scale (DJG-6) every answer and the result.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.caseload import Caseload
from brugdesk.domain import instruments
from brugdesk.domain.assessments import scale_result_of
from brugdesk.domain.records import AssessmentRecord


def conversation_text(a: AssessmentRecord) -> str:
    """Everything said in conversation *a*, as plain text, in the words of its own version."""
    inst = instruments.get(a.instrument_id, a.instrument_version)
    lines = [f"{inst.title} — {a.held_on:%d-%m-%Y}", ""]
    for item in a.items:
        domain = inst.domain(item.domain)
        lines.append(inst.part_name(item.domain) + (" ★ prioriteit" if item.priority else ""))
        if domain is not None:
            level = inst.level(item.score)
            lines.append(
                f"  Score: {item.score} — {level.label}" if level else "  Score: geen score"
            )
            signals = ", ".join(domain.signal_label(s) for s in item.signals)
            lines.append(f"  Signalen: {signals or 'geen'}")
            lines.append(f"  Wens: {item.wish or '—'}")
        else:
            picked = instruments.answer_at(inst, item.score)
            answer = next((x.label for x in inst.answers if x.id == picked), "")
            lines.append(f"  Antwoord: {answer or 'geen antwoord'}")
        if item.note or domain is not None:
            lines.append(f"  Notitie: {item.note or '—'}")
        lines.append("")
    if inst.kind == "scale":
        lines.append("Uitslag: " + scale_result_of(a).describe(inst))
    if a.note:
        lines.append(f"Notitie bij het gesprek: {a.note}")
    return "\n".join(lines).rstrip() + "\n"


class ConversationView(QDialog):
    """The client's conversations, read back (nothing here can be changed)."""

    def __init__(
        self,
        caseload: Caseload,
        client_id: int,
        assessment_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Gesprekken teruglezen")
        self.resize(820, 560)
        self.assessments = list(reversed(caseload.assessments.fetch(client_id)))
        self.list = QListWidget()
        self.list.setAccessibleName("Gesprekken")
        for a in self.assessments:
            inst = instruments.get(a.instrument_id, a.instrument_version)
            item = QListWidgetItem(f"{a.held_on:%d-%m-%Y} · {inst.title}")
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            self.list.addItem(item)
        self.detail = QPlainTextEdit()  # plain text: what was typed shows as typed
        self.detail.setReadOnly(True)
        self.detail.setAccessibleName("Wat er in het gesprek is gezegd")
        self.list.currentRowChanged.connect(self._show)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Sluiten")
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.list, 2)
        row.addWidget(self.detail, 5)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(buttons)
        ids = [a.id for a in self.assessments]
        start = ids.index(assessment_id) if assessment_id in ids else 0
        if ids:
            self.list.setCurrentRow(start)
        else:
            self.detail.setPlainText("Nog geen gesprekken.")

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.assessments):
            self.detail.setPlainText(conversation_text(self.assessments[row]))
