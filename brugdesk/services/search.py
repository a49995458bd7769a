"""Full-text search over client names and everything the worker wrote (FTS5 in the vault).

User input is never passed to MATCH as syntax: it is split into words and
each word becomes a quoted prefix term, all of which must match. Names,
hulpvraag, address and city, contact notes, plan actions and a
conversation's notes and wishes are all folded by one function,
``storage.search_index.fold`` (case, diacritics, and ı ł ø ß æ œ …), and so
is the query: ``yilmaz`` finds ``Yılmaz``, ``strasse`` finds ``Straße``.
The snippet is cut from the text as typed, with the matched words marked.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, text

from brugdesk.domain.records import MARK_END, MARK_START, SearchHit, SearchResults
from brugdesk.services.base import Service
from brugdesk.storage.search_index import fold, source_of_rowid

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8
#: At most this many clients are shown for one search; more means "refine the search".
CLIENT_LIMIT = 200
SNIPPET_WORDS = 12


def match_expression(query: str) -> str | None:
    words = _WORD.findall(query or "")[:MAX_TERMS]
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


def query_terms(query: str) -> list[str]:
    """The folded words of *query*, as they are matched (each as a prefix)."""
    return _WORD.findall(fold(query or ""))[:MAX_TERMS]


def snippet(original: str, terms: list[str], width: int = SNIPPET_WORDS) -> str:
    """About *width* words of *original* around the first match, matched words marked."""
    words = list(_WORD.finditer(original))
    if not words:
        return ""

    def matches(word: str) -> bool:
        return any(tok.startswith(t) for tok in _WORD.findall(fold(word)) for t in terms)

    marked = [matches(m.group()) for m in words]
    first = marked.index(True) if True in marked else 0
    start = max(0, min(first - 3, len(words) - width))
    end = min(len(words), start + width)
    out = []
    pos = words[start].start()
    for m, hit in zip(words[start:end], marked[start:end], strict=True):
        out.append(original[pos : m.start()])
        out.append(f"{MARK_START}{m.group()}{MARK_END}" if hit else m.group())
        pos = m.end()
    body = " ".join("".join(out).split())
    return ("…" if start > 0 else "") + body + ("…" if end < len(words) else "")


class SearchService(Service):
    def texts(self, query: str, *, clients: int = CLIENT_LIMIT) -> list[SearchHit]:
        """The best-ranked text of each client whose writing matches, up to *clients* clients."""
        expr = match_expression(fold(query))
        if expr is None:
            return []
        terms = query_terms(query)
        found: dict[int, tuple[str, int, str]] = {}
        with self._tx() as s:
            rows = s.execute(
                text(
                    "SELECT rowid, client_id, original FROM text_fts "
                    "WHERE text_fts MATCH :q ORDER BY rank"
                ),
                {"q": expr},
            )
            for rowid, client_id, original in rows:
                if client_id not in found:
                    source, source_id = source_of_rowid(rowid)
                    found[client_id] = (source, source_id, original)
                    if len(found) >= clients:
                        break
            rows.close()
            if not found:
                return []
            names = self._lookup(
                s, "SELECT id, given_name || ' ' || family_name FROM client", found
            )
            notes = [sid for src, sid, _ in found.values() if src == "notitie"]
            talks = [sid for src, sid, _ in found.values() if src == "gesprek"]
            when = self._lookup(s, "SELECT id, occurred_at FROM contact", notes)
            held = self._lookup(s, "SELECT id, held_on FROM assessment", talks)
        hits = []
        for client_id, (source, source_id, original) in found.items():
            at = _dt(when.get(source_id) if source == "notitie" else None)
            if source == "gesprek":
                at = _dt(held.get(source_id))
            hits.append(
                SearchHit(
                    client_id,
                    names.get(client_id, ""),
                    source,
                    source_id if source == "notitie" else None,
                    at,
                    snippet(original, terms),
                )
            )
        return hits

    def notes(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        """Clients whose best-matching text is a contact note (one hit per client)."""
        return [h for h in self.texts(query, clients=limit) if h.matched == "notitie"]

    def find(self, query: str, *, limit: int = CLIENT_LIMIT) -> SearchResults:
        """Clients matching by name first, then by what was written (one hit per client);
        ``capped`` when more than *limit* clients match."""
        expr = match_expression(fold(query))
        if expr is None:
            return SearchResults((), False, limit)
        hits: dict[int, SearchHit] = {}
        with self._tx() as s:
            names = s.execute(
                text(
                    "SELECT cl.id, cl.given_name || ' ' || cl.family_name FROM client_fts "
                    "JOIN client cl ON cl.id = client_fts.rowid "
                    "WHERE client_fts MATCH :q ORDER BY rank LIMIT :n"
                ),
                {"q": expr, "n": limit + 1},
            )
            for cid, name in names:
                hits[cid] = SearchHit(cid, name, "naam")
        if len(hits) <= limit:
            for hit in self.texts(query, clients=limit + 1):
                hits.setdefault(hit.client_id, hit)
                if len(hits) > limit:
                    break
        capped = len(hits) > limit
        return SearchResults(tuple(hits.values())[:limit], capped, limit)

    def clients(self, query: str, *, limit: int = CLIENT_LIMIT) -> list[SearchHit]:
        """Clients matching by name first, then by what was written (one hit per client)."""
        return list(self.find(query, limit=limit).hits)

    @staticmethod
    def _lookup(session: Any, sql: str, ids: Any) -> dict[int, Any]:
        wanted = list(ids)
        if not wanted:
            return {}
        stmt = text(sql + " WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
        return dict(session.execute(stmt, {"ids": wanted}).all())


def _dt(value: object) -> datetime | None:
    """Raw SQL returns the stored ISO text; give the GUI a datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time())
    return None
