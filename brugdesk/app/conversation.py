"""The conversation job: choose what to discuss, step through it, summarise, finish.

A ``Conversation`` holds everything typed during one conversation with a
client along an instrument (life domains or a validated scale): the chosen
parts, an answer per part, skips and where the worker is. It is kept as a
draft while it is typed, so a lock or a crash loses nothing, and finishing
stores the assessment, the chosen plan actions and discards the draft in one
transaction. Parts not chosen, or skipped, are not stored (data minimisation).

::

    conv = Conversation.open(caseload, client_id)      # resumes its draft if any
    conv.choose(["financien", "wonen"])
    conv.next()
    conv.set_answer(Answer(score=2, wish="Overzicht over de post", priority=True))
    conv.next(); conv.skip()
    assessment_id = conv.finish(conv.proposed_actions())
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from brugdesk.domain import instruments
from brugdesk.domain.assessments import clean_assessment, plan_action_text
from brugdesk.domain.draft_keys import conversation_draft_key
from brugdesk.domain.instruments import Instrument, ScaleResult
from brugdesk.domain.life_domains import DEFAULT_INSTRUMENT
from brugdesk.errors import ValidationError
from brugdesk.services import actions as action_store
from brugdesk.services import assessments as assessment_store
from brugdesk.services import audit as audit_store
from brugdesk.services import drafts as draft_store
from brugdesk.storage.models import Draft

if TYPE_CHECKING:
    from brugdesk.app.caseload import Caseload

#: Plan actions agreed in a conversation are due this many days later, unless changed.
DEFAULT_DUE_DAYS = 14


@dataclass
class Answer:
    """What was said about one part: the scale answer, signals, wish, note, priority."""

    score: int | None = None
    signals: list[str] = field(default_factory=list)
    wish: str = ""
    note: str = ""
    priority: bool = False
    skipped: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: Any) -> Answer:
        """Whatever a draft holds; anything unreadable becomes blank, never an error."""
        if not isinstance(raw, dict):
            return cls()
        score = raw.get("score")
        signals = raw.get("signals")
        wish, note = raw.get("wish"), raw.get("note")
        return cls(
            score=score if isinstance(score, int) and not isinstance(score, bool) else None,
            signals=[s for s in signals if isinstance(s, str)] if isinstance(signals, list) else [],
            wish=wish if isinstance(wish, str) else "",
            note=note if isinstance(note, str) else "",
            priority=raw.get("priority") is True,
            skipped=raw.get("skipped") is True,
        )


@dataclass(frozen=True)
class Option:
    """One answer on the scale: the number key that picks it and the score it stores."""

    key: int
    score: int
    label: str


def options(inst: Instrument) -> list[Option]:
    """Life domains store their level (1–5); a scale stores the answer's position (0, 1, 2).

    A scale's answer is picked with its own key when the instrument names one
    (WHO-5: the key is the points, 5 … 0), else with its position + 1 (DJG-6: 1–3).
    """
    if inst.kind == "domains":
        return [Option(lv.value, lv.value, lv.label) for lv in inst.scale]
    return [
        Option(a.key if a.key is not None else i + 1, i, a.label)
        for i, a in enumerate(inst.answers)
    ]


def score_for_key(inst: Instrument, key: int | None) -> int | None:
    return next((o.score for o in options(inst) if o.key == key), None)


def key_for_score(inst: Instrument, score: int | None) -> int | None:
    return next((o.key for o in options(inst) if o.score == score), None)


@dataclass(frozen=True)
class SummaryRow:
    """One discussed part on the summary; labels are the instrument's own words."""

    part: str
    name: str
    score: int | None
    score_label: str  # the level or the answer; "" when nothing was picked
    signal_labels: tuple[str, ...]
    wish: str
    priority: bool
    can_become_action: bool


class Conversation:
    """One conversation with one client, from choosing parts to the stored assessment."""

    def __init__(self, caseload: Caseload, client_id: int, instrument: Instrument) -> None:
        self._cl = caseload
        self.client_id = client_id
        self.instrument = instrument
        self.chosen: list[str] = self._default_choice()
        self.answers: dict[str, Answer] = {}
        self.index = 0  # 0 = choose, 1..n = parts, n+1 = summary
        self.restored = False
        self.due_days = DEFAULT_DUE_DAYS
        self.assessment_id: int | None = None

    # --- starting ----------------------------------------------------------------------

    @classmethod
    def start(
        cls, caseload: Caseload, client_id: int, instrument_id: str = DEFAULT_INSTRUMENT
    ) -> Conversation:
        """A fresh conversation (its draft, if any, is overwritten at the first save)."""
        return cls(caseload, client_id, instruments.get(instrument_id))

    @classmethod
    def resume(cls, caseload: Caseload, client_id: int) -> Conversation | None:
        """The conversation kept in the client's draft, or None when there is none."""
        draft = caseload.drafts.get(conversation_draft_key(client_id))
        if draft is None:
            return None
        return cls.from_draft(caseload, client_id, draft.payload)

    @classmethod
    def open(cls, caseload: Caseload, client_id: int) -> Conversation:
        """Resume the client's draft, or start afresh."""
        return cls.resume(caseload, client_id) or cls.start(caseload, client_id)

    # --- the draft -----------------------------------------------------------------------

    @property
    def draft_key(self) -> str:
        return conversation_draft_key(self.client_id)

    def to_draft(self) -> dict[str, Any]:
        return {
            "instrument_id": self.instrument.id,
            "version": self.instrument.version,
            "chosen": list(self.chosen),
            "answers": {p: a.to_dict() for p, a in self.answers.items()},
            "index": self.index,
        }

    @classmethod
    def from_draft(cls, caseload: Caseload, client_id: int, payload: Any) -> Conversation | None:
        """Rebuild from a draft; None when its instrument (version) is no longer known."""
        if not isinstance(payload, dict):
            return None
        try:
            inst = instruments.get(payload["instrument_id"], payload["version"])
        except (KeyError, TypeError, instruments.InstrumentError):
            return None
        conv = cls(caseload, client_id, inst)
        chosen = payload.get("chosen")
        conv.chosen = [p for p in chosen if p in inst.parts] if isinstance(chosen, list) else []
        answers = payload.get("answers")
        if isinstance(answers, dict):
            conv.answers = {p: Answer.from_dict(a) for p, a in answers.items() if p in inst.parts}
        try:
            index = int(payload.get("index", 0))
        except (TypeError, ValueError):
            index = 0
        conv.index = min(max(index, 0), len(conv.chosen) + 1) if conv.chosen else 0
        conv.restored = True
        return conv

    def save_draft(self) -> None:
        """Keep everything typed so far; nothing happens once the conversation is stored."""
        if self.finished:
            return
        self._cl.drafts.save(self.draft_key, self.to_draft(), client_id=self.client_id)

    def discard(self) -> None:
        """Throw the draft away (the worker's choice): see ``discard_conversation_draft``."""
        discard_conversation_draft(self._cl, self.client_id)

    # --- choosing ------------------------------------------------------------------------

    def _default_choice(self) -> list[str]:
        # A validated scale is answered whole; life domains are chosen one by one.
        return [] if self.instrument.kind == "domains" else list(self.instrument.parts)

    def choose_instrument(self, instrument_id: str) -> None:
        if instrument_id == self.instrument.id:
            return
        self.instrument = instruments.get(instrument_id)
        self.chosen = self._default_choice()
        self.answers = {}
        self.index = 0

    def choose(self, parts: Iterable[str]) -> None:
        """The parts to discuss, in the instrument's order; a scale keeps all of them."""
        if self.instrument.kind != "domains":
            return
        wanted = set(parts)
        self.chosen = [p for p in self.instrument.parts if p in wanted]

    # --- stepping through ------------------------------------------------------------------

    @property
    def step_count(self) -> int:
        return len(self.chosen)

    @property
    def on_choose(self) -> bool:
        return self.index == 0

    @property
    def on_summary(self) -> bool:
        return self.index > self.step_count and self.step_count > 0

    @property
    def current_part(self) -> str | None:
        return self.chosen[self.index - 1] if 1 <= self.index <= self.step_count else None

    @property
    def can_skip(self) -> bool:
        return self.current_part is not None and self.instrument.kind == "domains"

    def next(self) -> None:
        if self.on_choose and not self.chosen:
            raise ValidationError({"chosen": "Kies eerst minstens één onderwerp om te bespreken."})
        if self.index <= self.step_count:
            self.index += 1

    def back(self) -> None:
        if self.index > 0:
            self.index -= 1

    def skip(self) -> None:
        """Leave the current part out: nothing of it is stored."""
        part = self.current_part
        if part is None or not self.can_skip:
            return
        self.answers[part] = Answer(skipped=True)
        self.index += 1

    def answer(self, part: str | None = None) -> Answer:
        part = part or self.current_part
        return self.answers.get(part, Answer()) if part else Answer()

    def set_answer(self, answer: Answer, part: str | None = None) -> None:
        part = part or self.current_part
        if part is None or part not in self.instrument.parts:
            raise ValueError(f"no part to answer: {part!r}")
        self.answers[part] = answer

    def options(self) -> list[Option]:
        return options(self.instrument)

    # --- the summary ---------------------------------------------------------------------

    def discussed(self) -> list[str]:
        """The chosen parts that were not skipped: all that will be stored."""
        return [p for p in self.chosen if not self.answer(p).skipped]

    def items(self) -> list[dict[str, Any]]:
        out = []
        for part in self.discussed():
            item = self.answer(part).to_dict()
            del item["skipped"]
            out.append({"domain": part, **item})
        return out

    def scale_result(self) -> ScaleResult | None:
        """Total, subscales and band of a scale (DJG-6, WHO-5) by its own rules; None for domains."""
        inst = self.instrument
        if inst.kind != "scale":
            return None
        given = {}
        for part in self.discussed():
            answer = instruments.answer_at(inst, self.answer(part).score)
            if answer is not None:
                given[part] = answer
        return instruments.score_scale(inst, given)

    def summary_rows(self) -> list[SummaryRow]:
        inst = self.instrument
        rows = []
        for part in self.discussed():
            a = self.answer(part)
            domain = inst.domain(part)
            if domain is not None:
                level = inst.level(a.score)
                score_label = level.label if level else ""
                signals = tuple(domain.signal_label(s) for s in a.signals)
            else:
                picked = instruments.answer_at(inst, a.score)
                score_label = next((x.label for x in inst.answers if x.id == picked), "")
                signals = ()
            rows.append(
                SummaryRow(
                    part,
                    inst.part_name(part),
                    a.score,
                    score_label,
                    signals,
                    a.wish,
                    a.priority,
                    can_become_action=domain is not None,
                )
            )
        return rows

    def proposed_actions(self) -> list[str]:
        """Parts proposed for a plan action: the priorities of a life-domain conversation."""
        return [r.part for r in self.summary_rows() if r.can_become_action and r.priority]

    def default_due_on(self) -> date:
        return date.today() + timedelta(days=self.due_days)

    # --- finishing -------------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self.assessment_id is not None

    def finish(
        self,
        actions: Iterable[str] | None = None,
        *,
        due_on: date | Mapping[str, date] | None = None,
        held_on: Any = None,
        note: str = "",
    ) -> int:
        """Store the assessment and the chosen plan actions, discard the draft: one transaction.

        *actions* are parts to make a plan action for (default: the proposed
        ones); each is due on *due_on* (one date, or one per part) or else
        ``default_due_on()``. Finishing twice stores once: the second call
        returns the same assessment id and touches nothing.
        """
        if self.assessment_id is not None:
            return self.assessment_id
        items = self.items()
        if not items:
            raise ValidationError({"items": "Alles is overgeslagen; er valt niets te bewaren."})
        clean = clean_assessment(
            instrument_id=self.instrument.id,
            instrument_version=self.instrument.version,
            items=items,
            held_on=held_on,
            note=note,
        )
        plan = self._plan(self.proposed_actions() if actions is None else list(actions), due_on)
        with self._cl.transaction() as s:
            assessment_id = assessment_store.insert_assessment(s, self.client_id, clean)
            for data in plan:
                action_store.insert_action(s, self.client_id, data, from_assessment=assessment_id)
            draft_store.delete_draft(s, self.draft_key)
        self.assessment_id = assessment_id
        return assessment_id

    def _plan(
        self, parts: list[str], due_on: date | Mapping[str, date] | None
    ) -> list[dict[str, Any]]:
        allowed = {r.part for r in self.summary_rows() if r.can_become_action}
        plan = []
        for part in dict.fromkeys(parts):  # each part once, in the order given
            if part not in allowed:
                name = self.instrument.part_name(part)
                message = f"'{name}' is niet besproken; daar kan nog geen actie voor komen."
                raise ValidationError({"actions": message})
            if isinstance(due_on, Mapping):
                due = due_on.get(part) or self.default_due_on()
            else:
                due = due_on or self.default_due_on()
            text = plan_action_text(self.instrument, part, self.answer(part).wish)
            plan.append(
                action_store.clean_action({"description": text, "domain": part, "due_on": due})
            )
        return plan


def discard_conversation_draft(caseload: Caseload, client_id: int) -> bool:
    """Throw away the client's unfinished conversation, with an audit row (ids only).

    One transaction; False (and no row) when there was no draft to throw away.
    """
    with caseload.transaction() as s:
        if s.get(Draft, conversation_draft_key(client_id)) is None:
            return False
        draft_store.delete_draft(s, conversation_draft_key(client_id))
        audit_store.record(s, "delete", "assessment", None, client_id, draft=True)
    return True
