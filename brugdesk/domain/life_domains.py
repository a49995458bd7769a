"""The life domains (leefgebieden) used to tag contacts, actions and assessments.

They come from the newest ``leefgebieden`` instrument, so the conversation
guide, the note editor and the plan all speak of the same domains. Ids are
stable keys stored in the vault; names are what the worker sees.
"""

from __future__ import annotations

from brugdesk.domain import instruments

DEFAULT_INSTRUMENT = "leefgebieden"

DOMAINS: dict[str, str] = {d.id: d.name for d in instruments.get(DEFAULT_INSTRUMENT).domains}
