"""The pick lists behind the results report, kept as data (resources/lists).

Help-question themes, closure reasons, referrer kinds and the secure
channels of GP practices. An organisation can change the labels or add
entries in ``keuzelijsten.toml``; the ids are what the vault stores.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from brugdesk.errors import BrugdeskError
from brugdesk.paths import resources

LISTS = ("themes", "closure_reasons", "referrer_kinds", "channels")


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    #: The choice asks for an explanation (closure reason "anders").
    needs_text: bool = False


class PickListError(BrugdeskError):
    """The shipped list file is damaged: the installation is broken."""


@cache
def _all() -> dict[str, tuple[Choice, ...]]:
    source = resources() / "lists" / "keuzelijsten.toml"
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PickListError(
            f"De keuzelijsten van brugdesk zijn niet te lezen ({exc}). Installeer brugdesk opnieuw."
        ) from exc
    out: dict[str, tuple[Choice, ...]] = {}
    for name in LISTS:
        rows = data.get(name)
        if not isinstance(rows, list) or not rows:
            raise PickListError(
                f"De keuzelijst '{name}' ontbreekt in keuzelijsten.toml. Installeer brugdesk opnieuw."
            )
        choices = []
        for row in rows:
            ident, label = row.get("id"), row.get("label")
            if not isinstance(ident, str) or not ident or not isinstance(label, str) or not label:
                raise PickListError(
                    f"Een regel in de keuzelijst '{name}' mist een id of label. "
                    "Installeer brugdesk opnieuw."
                )
            choices.append(Choice(ident, label, bool(row.get("needs_text", False))))
        if len({c.id for c in choices}) != len(choices):
            raise PickListError(f"De keuzelijst '{name}' noemt een id twee keer.")
        out[name] = tuple(choices)
    return out


def themes() -> tuple[Choice, ...]:
    return _all()["themes"]


def closure_reasons() -> tuple[Choice, ...]:
    return _all()["closure_reasons"]


def referrer_kinds() -> tuple[Choice, ...]:
    return _all()["referrer_kinds"]


def channels() -> tuple[Choice, ...]:
    return _all()["channels"]


def label(choices: tuple[Choice, ...], ident: str) -> str:
    """The label of *ident*, or *ident* itself when the list no longer has it."""
    for choice in choices:
        if choice.id == ident:
            return choice.label
    return ident


def ids(choices: tuple[Choice, ...]) -> tuple[str, ...]:
    return tuple(c.id for c in choices)


def closure_text(code: str, reason: str) -> str:
    """A closure as read back: the list's reason, with the worker's words if any."""
    if not code:
        return reason
    said = label(closure_reasons(), code)
    return f"{said}: {reason}" if reason else said
