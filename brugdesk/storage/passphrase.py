"""The passphrase policy the vault enforces when a passphrase is set."""

from __future__ import annotations

from brugdesk.errors import WeakPassphrase

MIN_PASSPHRASE_CHARS = 12
MAX_PASSPHRASE_CHARS = 1024


def check_passphrase(passphrase: str) -> None:
    """The passphrase policy: at least 12 characters; a sentence is encouraged."""
    if not passphrase or not passphrase.strip():
        raise WeakPassphrase(
            "Vul een wachtwoord in. Een korte zin die u kunt onthouden werkt het best, "
            "bijvoorbeeld 'mijn fiets staat altijd bij de bakker'."
        )
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise WeakPassphrase(
            f"Dit wachtwoord is te kort ({len(passphrase)} tekens). Gebruik er minstens "
            f"{MIN_PASSPHRASE_CHARS}; een korte zin van een paar woorden is sterk en "
            "makkelijk te onthouden."
        )
    if len(passphrase) > MAX_PASSPHRASE_CHARS:
        raise WeakPassphrase(f"Dit wachtwoord is te lang (meer dan {MAX_PASSPHRASE_CHARS} tekens).")
