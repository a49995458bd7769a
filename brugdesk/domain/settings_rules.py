"""What valid worker settings are."""

from __future__ import annotations

import dataclasses
from typing import Any

from brugdesk.domain import validation as v
from brugdesk.domain.records import WorkerSettings
from brugdesk.domain.today_rules import REMEASURE_WEEKS_MAX, REMEASURE_WEEKS_MIN

_KEYS = tuple(f.name for f in dataclasses.fields(WorkerSettings))


def clean_settings(changes: dict[str, Any]) -> dict[str, Any]:
    c = v.Checker()
    out: dict[str, Any] = {}
    labels = {
        "worker_name": "Naam",
        "worker_role": "Functie",
        "organisation": "Organisatie",
        "place": "Plaats",
        "logo_path": "Logo",
    }
    for key, value in changes.items():
        if key not in _KEYS:
            c.fail(key, f"Onbekende instelling '{key}'.")
        elif key in labels:
            out[key] = c.check(key, v.line, value, labels[key], max_len=v.MEDIUM_MAX)
        elif key == "phone":
            out[key] = c.check(key, v.phone, value)
        elif key == "email":
            out[key] = c.check(key, v.email, value)
        elif key == "letter_footer":
            out[key] = c.check(key, v.text, value, "Voettekst brief", max_len=v.MEDIUM_MAX)
        elif key == "idle_lock_minutes":
            out[key] = c.check(key, _bounded_int, value, "Vergrendelen na", 1, 240)
        elif key == "retention_months":
            out[key] = c.check(key, _bounded_int, value, "Bewaartermijn", 1, 240)
        elif key == "remeasure_weeks":
            out[key] = c.check(
                key,
                _bounded_int,
                value,
                "Het aantal weken tot de hermeting",
                REMEASURE_WEEKS_MIN,
                REMEASURE_WEEKS_MAX,
            )
    c.done()
    return out


def _bounded_int(value: Any, label: str, low: int, high: int) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise v.FieldError(f"{label} moet een heel getal zijn.") from None
    if not low <= n <= high:
        raise v.FieldError(f"{label} moet tussen {low} en {high} liggen.")
    return n
