"""Full-text search over client names and contact notes (FTS5 in the vault).

User input is never passed to MATCH as syntax: it is split into words and
each word becomes a quoted prefix term, all of which must match. The index
folds case and diacritics, so ``cafe`` finds ``café``; names are folded further
(ı, ł, ø, ß …) by ``storage.search_index.fold`` so ``yilmaz`` finds ``Yılmaz``.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import text

from brugdesk.domain.records import MARK_END, MARK_START, SearchHit
from brugdesk.services.base import Service
from brugdesk.storage.search_index import fold

#: Snippet markers: control characters that validation keeps out of notes,
#: so the GUI can turn them into highlighting without ambiguity.
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8


def match_expression(query: str) -> str | None:
    words = _WORD.findall(query or "")[:MAX_TERMS]
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


class SearchService(Service):
    def notes(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        expr = match_expression(query)
        if expr is None:
            return []
        sql = text(
            "SELECT c.client_id, cl.given_name || ' ' || cl.family_name, c.id, c.occurred_at, "
            "snippet(contact_fts, 0, :a, :b, '…', 12) "
            "FROM contact_fts JOIN contact c ON c.id = contact_fts.rowid "
            "JOIN client cl ON cl.id = c.client_id "
            "WHERE contact_fts MATCH :q ORDER BY rank LIMIT :n"
        )
        with self._tx() as s:
            rows = s.execute(sql, {"q": expr, "n": limit, "a": MARK_START, "b": MARK_END})
            return [
                SearchHit(cid, name, "notitie", contact_id, _dt(when), snip)
                for cid, name, contact_id, when, snip in rows
            ]

    def clients(self, query: str, *, limit: int = 200) -> list[SearchHit]:
        """Clients matching by name first, then by a note (one hit per client)."""
        expr = match_expression(fold(query))
        if expr is None:
            return []
        hits: dict[int, SearchHit] = {}
        with self._tx() as s:
            names = s.execute(
                text(
                    "SELECT cl.id, cl.given_name || ' ' || cl.family_name FROM client_fts "
                    "JOIN client cl ON cl.id = client_fts.rowid "
                    "WHERE client_fts MATCH :q ORDER BY rank LIMIT :n"
                ),
                {"q": expr, "n": limit},
            )
            for cid, name in names:
                hits[cid] = SearchHit(cid, name, "naam")
        if len(hits) < limit:
            for hit in self.notes(query, limit=limit * 2):
                if hit.client_id not in hits:
                    hits[hit.client_id] = hit
                if len(hits) >= limit:
                    break
        return list(hits.values())


def _dt(value: object) -> datetime | None:
    """Raw SQL returns the stored ISO text; give the GUI a datetime."""
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value if isinstance(value, datetime) else None
