"""argparse in Dutch: usage, help headings and errors, for both command lines."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

#: argparse's own English strings (its gettext message ids) in Dutch.
ARGPARSE_DUTCH = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "show this help message and exit": "toon deze hulp en stop",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "de volgende argumenten ontbreken: %s",
    "one of the arguments %s is required": "een van deze argumenten is verplicht: %s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "onbekende keuze %(value)r (kies uit %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "ongeldige waarde %(value)r (verwacht: %(type)s)",
    "expected one argument": "hier hoort één waarde achter",
    "expected at most one argument": "hier hoort hoogstens één waarde achter",
    "expected at least one argument": "hier hoort minstens één waarde achter",
    "not allowed with argument %s": "niet samen met %s",
    "ignored explicit argument %r": "waarde %r hoort hier niet",
    "ambiguous option: %(option)s could match %(matches)s": (
        "optie %(option)s is niet eenduidig: bedoelt u %(matches)s?"
    ),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "onbekende opdracht %(parser_name)r (kies uit %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "kan '%(filename)s' niet openen: %(error)s",
}


@contextmanager
def _argparse_in_dutch() -> Iterator[None]:
    """While argparse builds a parser, parses or writes help: its strings in Dutch.

    argparse looks its strings up through the module's gettext functions ``_``
    and ``ngettext`` at the moment it needs them; they are swapped only for the
    duration, so nothing else in the process changes language.
    """
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def plural(singular: str, plural_: str, n: int) -> str:
        if singular == "expected %s argument":
            return "hier horen %s waarden achter"
        return singular if n == 1 else plural_

    argparse._ = lambda text: ARGPARSE_DUTCH.get(text, text)  # type: ignore[attr-defined]
    argparse.ngettext = plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class DutchArgumentParser(argparse.ArgumentParser):
    """argparse with its usage, help headings and errors in Dutch (exit code 2 stays)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with _argparse_in_dutch():
            super().__init__(*args, **kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with _argparse_in_dutch():
            return super().parse_known_args(*args, **kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with _argparse_in_dutch():  # "unrecognized arguments" is worded here
            return super().parse_args(*args, **kwargs)

    def format_usage(self) -> str:
        with _argparse_in_dutch():
            return super().format_usage()

    def format_help(self) -> str:
        with _argparse_in_dutch():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        with _argparse_in_dutch():
            super().error(message)
