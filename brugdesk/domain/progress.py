"""Progress over conversations: first and latest wheel, change per life domain, scale results."""

from __future__ import annotations

from dataclasses import dataclass

from brugdesk.domain import instruments
from brugdesk.domain.records import AssessmentRecord


@dataclass(frozen=True)
class DomainChange:
    domain: str
    first: int | None
    latest: int | None

    @property
    def arrow(self) -> str:
        if self.first is None or self.latest is None:
            return ""
        return "↑" if self.latest > self.first else "↓" if self.latest < self.first else "="


def wheel_pair(assessments: list[AssessmentRecord], instrument_id: str):
    """(first, latest) of *assessments* with that instrument; None where absent."""
    found = [a for a in assessments if a.instrument_id == instrument_id]
    if not found:
        return None, None
    return found[0], (found[-1] if len(found) > 1 else None)


def domain_changes(assessments: list[AssessmentRecord], instrument_id: str) -> list[DomainChange]:
    scores: dict[str, list[int]] = {}
    for a in assessments:
        if a.instrument_id != instrument_id:
            continue
        for item in a.items:
            if item.score is not None:
                scores.setdefault(item.domain, []).append(item.score)
    order = instruments.get(instrument_id).parts
    # One measurement is no change: ``first`` stays None and there is no arrow.
    return [
        DomainChange(d, scores[d][0] if len(scores[d]) > 1 else None, scores[d][-1])
        for d in order
        if d in scores
    ]


def scale_result_of(a: AssessmentRecord) -> instruments.ScaleResult:
    inst = instruments.get(a.instrument_id, a.instrument_version)
    answers = {}
    for item in a.items:
        answer = instruments.answer_at(inst, item.score)
        if answer is not None:
            answers[item.domain] = answer
    return instruments.score_scale(inst, answers)
