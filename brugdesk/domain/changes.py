"""Change records: what a job changed, so the window refreshes only that.

Every job that changes data writes an audit row in its transaction; the
audit writer also notes the change on the session (``note_change``). When
the transaction commits, :class:`ChangeHub` turns those notes into one
:class:`Changes` record and hands it to every subscriber (the window, in the
GUI). A transaction that rolls back announces nothing. This is the one
Qt-free notification point, modelled on Anki's ``OpChanges`` and its
``operation_did_execute`` hook.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

#: The kinds of data a change can touch (what a view may show).
CLIENT = "client"  # the client's own fields, status, or existence
CONTACT = "contact"
ACTION = "action"
ASSESSMENT = "assessment"
REFERRAL = "referral"
CONSENT = "consent"
PARTNER = "partner"
SETTINGS = "settings"
MELDCODE = "meldcode"  # the meldcode step log (only its steps-done line shows)
VAULT = "vault"  # passphrase, recovery key, backup: nothing a view shows
KINDS = frozenset(
    {CLIENT, CONTACT, ACTION, ASSESSMENT, REFERRAL, CONSENT, PARTNER, SETTINGS, MELDCODE, VAULT}
)

#: Audit entities that are not a kind of their own.
#: A referrer list entry shows as the referrer of every client it referred; a
#: report is a file that leaves the vault, nothing a view shows.
#: The log (its CSV export) and a search are nothing a view shows either.
_ENTITY_KIND = {
    "audit": VAULT,
    "gp_feedback": CLIENT,
    "inzage": VAULT,
    "privacy_statement": VAULT,
    "referrer": CLIENT,
    "report": VAULT,
    "search": VAULT,
}
#: Audit actions that change nothing a view shows: a failed unlock, a read (NEN 7513).
_SILENT_ACTIONS = frozenset({"unlock_failure", "read"})

_SESSION_KEY = "brugdesk.changes"


@dataclass(frozen=True)
class Changes:
    """Which clients and which kinds of data one job changed.

    ``all_clients`` is set when a job changed clients without naming each
    one (an import of many rows): views showing every client reload then.
    """

    clients: frozenset[int] = frozenset()
    kinds: frozenset[str] = frozenset()
    all_clients: bool = False
    created: frozenset[int] = field(default=frozenset())  # clients that are new
    deleted: frozenset[int] = field(default=frozenset())  # clients that are gone

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def touches(self, *kinds: str) -> bool:
        return any(k in self.kinds for k in kinds)

    def touches_client(self, client_id: int | None) -> bool:
        return client_id is not None and (self.all_clients or client_id in self.clients)

    def merge(self, other: Changes) -> Changes:
        return Changes(
            self.clients | other.clients,
            self.kinds | other.kinds,
            self.all_clients or other.all_clients,
            self.created | other.created,
            self.deleted | other.deleted,
        )


NOTHING = Changes()


def note_change(
    info: dict[str, Any], entity: str, action: str, client_id: int | None, entity_id: int | None
) -> None:
    """Remember on a session's ``info`` that *entity* of *client_id* changed."""
    info.setdefault(_SESSION_KEY, []).append((entity, action, client_id, entity_id))


def collect(info: dict[str, Any]) -> Changes:
    """The change record of everything noted on one session (and forget the notes)."""
    notes = info.pop(_SESSION_KEY, [])
    clients: set[int] = set()
    kinds: set[str] = set()
    created: set[int] = set()
    deleted: set[int] = set()
    all_clients = False
    for entity, action, client_id, entity_id in notes:
        if action in _SILENT_ACTIONS:
            continue
        kind = _ENTITY_KIND.get(entity, entity)
        if kind not in KINDS:
            log.warning("change of unknown kind %r", kind)
            continue
        kinds.add(kind)
        if client_id is not None:
            clients.add(client_id)
        elif kind == CLIENT:
            all_clients = True
        if kind == CLIENT and client_id is not None and client_id == entity_id:
            if action == "create":
                created.add(client_id)
            elif action == "delete":
                deleted.add(client_id)
    return Changes(
        frozenset(clients), frozenset(kinds), all_clients, frozenset(created), frozenset(deleted)
    )


Subscriber = Callable[[Changes], None]


class ChangeHub:
    """Hands every committed change record to its subscribers, in order."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        self._subscribers.append(callback)
        return lambda: self.unsubscribe(callback)

    def unsubscribe(self, callback: Subscriber) -> None:
        if callback in self._subscribers:
            self._subscribers.remove(callback)

    def publish(self, changes: Changes) -> None:
        if not changes:
            return
        for callback in list(self._subscribers):
            try:
                callback(changes)
            except Exception:  # a broken view must not undo a committed job
                log.exception("a subscriber failed on a change record")

    def publish_all(self, batches: Iterable[Changes]) -> None:
        for changes in batches:
            self.publish(changes)
