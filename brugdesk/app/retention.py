"""Retention: the closed files past the period the worker set, and erasing the chosen ones.

``erase_expired`` is one job: every chosen client is deleted in one transaction,
each with its own audit row ("delete", reason "bewaartermijn verlopen"), the
search indexes are merged once, and after the commit the database is scrubbed
once (no word of the files left in any page). A client that is not (or no
longer) past the period refuses the whole job: nothing is erased.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from brugdesk.app.caseload import Caseload
from brugdesk.domain.retention_rules import ERASE_RETENTION, ExpiredFile
from brugdesk.errors import ValidationError
from brugdesk.services.clients import erase_in, scrub
from brugdesk.services.today import expired_in, retention_months_in
from brugdesk.storage.search_index import purge_deleted_terms


def expired(caseload: Caseload, on: date | None = None) -> tuple[ExpiredFile, ...]:
    """The closed files past the retention period set in Instellingen → Privacy."""
    with caseload.transaction() as s:
        return expired_in(s, on or date.today())


def retention_months(caseload: Caseload) -> int:
    with caseload.transaction() as s:
        return retention_months_in(s)


def erase_expired(caseload: Caseload, ids: Iterable[int], on: date | None = None) -> int:
    """Erase these closed files (each past the retention period); returns how many."""
    wanted = sorted(set(ids))
    if not wanted:
        raise ValidationError({"ids": "Vink eerst de dossiers aan die weg mogen."})
    with caseload.transaction() as s:
        past = {e.client_id for e in expired_in(s, on or date.today())}
        refused = [cid for cid in wanted if cid not in past]
        if refused:
            raise ValidationError(
                {
                    "ids": f"{len(refused)} van de gekozen dossiers is niet (meer) over de "
                    "bewaartermijn. Er is niets verwijderd; open het overzicht opnieuw."
                }
            )
        for cid in wanted:
            erase_in(s, cid, ERASE_RETENTION)
        purge_deleted_terms(s.connection())
    scrub(caseload.vault.engine)
    return len(wanted)
