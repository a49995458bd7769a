"""Assessments: one conversation with an instrument, stored with its discussed parts."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from brugdesk.domain import instruments
from brugdesk.domain.assessments import (
    CleanAssessment,
    DomainChange,
    clean_assessment,
    domain_changes,
    plan_action_text,
    scale_result_of,
    wheel_pair,
)
from brugdesk.domain.records import AssessmentItemRecord, AssessmentRecord, from_orm
from brugdesk.errors import ValidationError
from brugdesk.services import audit
from brugdesk.services.actions import clean_action, insert_action
from brugdesk.services.base import Service, get_or_404
from brugdesk.storage.models import Assessment, AssessmentItem, Client

#: Plan actions are due this many days after they are agreed, unless chosen otherwise.
DEFAULT_DUE_DAYS = 14


def insert_assessment(session: Session, client_id: int, clean: CleanAssessment) -> int:
    """Add one checked assessment (see ``clean_assessment``) with its audit row, in *session*."""
    get_or_404(session, Client, client_id, "Deze cliënt")
    assessment = Assessment(
        client_id=client_id,
        instrument_id=clean.instrument_id,
        instrument_version=clean.instrument_version,
        held_on=clean.held_on,
        note=clean.note,
        created_at=datetime.now(),
        items=[AssessmentItem(**item) for item in clean.items],
    )
    session.add(assessment)
    session.flush()
    audit.record(session, "create", "assessment", assessment.id, client_id, domains=clean.domains)
    return assessment.id


class AssessmentService(Service):
    def add(
        self,
        client_id: int,
        *,
        instrument_id: str,
        instrument_version: str,
        items: list[dict[str, Any]],
        held_on: Any = None,
        note: str = "",
    ) -> int:
        """Store one conversation. Only discussed domains are passed — and stored."""
        clean = clean_assessment(
            instrument_id=instrument_id,
            instrument_version=instrument_version,
            items=items,
            held_on=held_on,
            note=note,
        )
        with self._tx() as s:
            return insert_assessment(s, client_id, clean)

    def fetch(self, client_id: int) -> list[AssessmentRecord]:
        with self._tx() as s:
            q = (
                select(Assessment)
                .options(selectinload(Assessment.items))  # one query for all items
                .where(Assessment.client_id == client_id)
                .order_by(Assessment.held_on, Assessment.id)
            )
            return [self._record(a) for a in s.scalars(q)]

    def get(self, assessment_id: int) -> AssessmentRecord:
        with self._tx() as s:
            return self._record(get_or_404(s, Assessment, assessment_id, "Dit gesprek"))

    def delete(self, assessment_id: int) -> None:
        with self._tx() as s:
            a = get_or_404(s, Assessment, assessment_id, "Dit gesprek")
            client_id = a.client_id
            s.delete(a)
            audit.record(s, "delete", "assessment", assessment_id, client_id)

    def for_instrument(self, client_id: int, instrument_id: str) -> list[AssessmentRecord]:
        return [a for a in self.fetch(client_id) if a.instrument_id == instrument_id]

    def wheel(self, client_id: int, instrument_id: str = "leefgebieden"):
        """(first, latest) assessments with that instrument, or None where absent."""
        return wheel_pair(self.fetch(client_id), instrument_id)

    def changes(self, client_id: int, instrument_id: str = "leefgebieden") -> list[DomainChange]:
        """Per domain: the first and the latest score, for ↑ ↓ = in the history."""
        return domain_changes(self.fetch(client_id), instrument_id)

    def scale_result(self, assessment_id: int) -> instruments.ScaleResult:
        """Total, subscales and band of a scale assessment, by its own version's rules."""
        return scale_result_of(self.get(assessment_id))

    def create_actions(
        self, assessment_id: int, domains: list[str], *, due_on: Any = None
    ) -> list[int]:
        """One plan action per chosen domain of a stored assessment, worded from the wish,
        due on *due_on* (default: two weeks from today, like a conversation's actions).

        A conversation being finished creates its actions in its own transaction
        instead (``app.conversation``); this is for actions decided on later.
        """
        a = self.get(assessment_id)
        inst = instruments.get(a.instrument_id, a.instrument_version)
        by_domain = {i.domain: i for i in a.items}
        data = []
        for domain in domains:
            item = by_domain.get(domain)
            if item is None:
                raise ValidationError({"domains": f"'{domain}' is niet besproken."})
            text = plan_action_text(inst, domain, item.wish)
            due = due_on or date.today() + timedelta(days=DEFAULT_DUE_DAYS)
            data.append(clean_action({"description": text, "domain": domain, "due_on": due}))
        with self._tx() as s:
            return [insert_action(s, a.client_id, d, from_assessment=a.id) for d in data]

    @staticmethod
    def _record(a: Assessment) -> AssessmentRecord:
        items = tuple(from_orm(AssessmentItemRecord, i) for i in a.items)
        return from_orm(AssessmentRecord, a, items=items)
