"""Shared plumbing for the sub-services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.orm import Session

from brugdesk.errors import NotFound, StaleRecord

if TYPE_CHECKING:
    from brugdesk.app.caseload import Caseload

M = TypeVar("M")


class Service:
    def __init__(self, caseload: Caseload) -> None:
        self._cl = caseload

    def _tx(self) -> Any:
        return self._cl.transaction()


def get_or_404(session: Session, model: type[M], key: Any, what: str) -> M:
    obj = session.get(model, key)
    if obj is None:
        raise NotFound(f"{what} bestaat niet (meer). Misschien is het net verwijderd.")
    return obj


def apply_changes(obj: Any, data: dict[str, Any]) -> list[str]:
    """Set the fields of *data* that differ on *obj*; return their names (for the audit)."""
    changed = [k for k, value in data.items() if getattr(obj, k) != value]
    for key in changed:
        setattr(obj, key, data[key])
    return changed


def check_version(obj: Any, expected_version: int | None) -> None:
    """Refuse to save over a row that changed since the window loaded *expected_version*.

    ``None`` means the caller did not load the row in a form (a job, the CLI):
    no check. Inside one transaction the row cannot change under us
    (``BEGIN IMMEDIATE``); SQLAlchemy's ``version_id_col`` raises the version
    on every update, so this comparison is all that is needed.
    """
    if expected_version is not None and obj.version != expected_version:
        raise StaleRecord(current_version=obj.version)
