"""The keys under which drafts (unsaved typing) are kept — written once, here.

A draft key names what is being typed. Every form that autosaves asks this
module for its key, so the service that later stores the record discards
exactly the draft that form wrote.
"""

from __future__ import annotations


def conversation_draft_key(client_id: int) -> str:
    """The conversation (assessment) being held with a client."""
    return f"conversation:{client_id}"


def new_contact_draft_key(client_id: int) -> str:
    """A new contact moment being written for a client."""
    return f"contact:new:{client_id}"


def contact_draft_key(client_id: int, contact_id: int | None = None) -> str:
    """An existing contact moment being edited, or a new one when *contact_id* is None."""
    return f"contact:{contact_id}" if contact_id else new_contact_draft_key(client_id)


def client_form_draft_key(client_id: int | None) -> str:
    """The client form: a new client, or an existing one being edited."""
    return f"form:client:{client_id}" if client_id else "form:client:new"
