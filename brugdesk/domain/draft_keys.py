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


def close_dossier_draft_key(client_id: int) -> str:
    """The reason typed for closing a client's dossier."""
    return f"close:{client_id}"


def referral_draft_key(client_id: int) -> str:
    """A referral letter being put together in the wizard for a client."""
    return f"referral:new:{client_id}"


def gp_letter_draft_key(client_id: int) -> str:
    """A feedback letter to a client's GP being written."""
    return f"gp-letter:{client_id}"


def referral_status_draft_key(referral_id: int) -> str:
    """A new status (and its note) being given to a referral."""
    return f"referral-status:{referral_id}"


def new_action_draft_key(client_id: int) -> str:
    """A new plan action being typed in a client's plan tab."""
    return f"action:new:{client_id}"


def partner_form_draft_key(partner_id: int | None) -> str:
    """The partner form: a new partner, or an existing one being edited."""
    return f"form:partner:{partner_id}" if partner_id else "form:partner:new"


def settings_draft_key() -> str:
    """The settings form (never the passphrases typed there)."""
    return "form:settings"


def import_draft_key() -> str:
    """The spreadsheet chosen for a client import that has not run yet."""
    return "import:clients"


def action_edit_draft_key(action_id: int) -> str:
    """A plan action being corrected (what, who, by when)."""
    return f"action-edit:{action_id}"


def referral_correction_draft_key(referral_id: int) -> str:
    """A referral status being corrected, with its reason."""
    return f"referral-correction:{referral_id}"


def referrer_form_draft_key(referrer_id: int | None) -> str:
    """The referrer form (Verwijzers): a new entry, or an existing one being edited."""
    return f"form:referrer:{referrer_id}" if referrer_id else "form:referrer:new"


def client_referrer_draft_key(client_id: int | None) -> str:
    """A new referrer typed from the client form ('Nieuwe verwijzer…') of a client."""
    return f"form:client-referrer:{client_id}" if client_id else "form:client-referrer:new"


def report_draft_key() -> str:
    """The "in woorden" text (and the period chosen) of the Resultaten report."""
    return "report:in-words"


def meldcode_draft_key(client_id: int) -> str:
    """A step of the meldcode being written (new or corrected) in a client's meldcode log."""
    return f"meldcode:{client_id}"
