"""Regenerate tests/data/schema-0001: a small vault as revision 0001 left it.

Run from the repository root: ``.venv/bin/python tests/data/make_schema_0001.py``.
It builds a vault, steps its schema back to 0001 and writes rows with plain
SQL as that schema knew them. Only needed if the fixture is ever lost.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import text

from brugdesk.storage import migrate
from brugdesk.storage.keyheader import Argon2Params
from brugdesk.storage.vault import Vault

PASSPHRASE = "schema nul nul nul een testkluis"
TARGET = Path(__file__).resolve().parent / "schema-0001"


def main() -> None:
    shutil.rmtree(TARGET, ignore_errors=True)
    vault, _ = Vault.create(TARGET, PASSPHRASE, kdf=Argon2Params())
    migrate.downgrade(vault.engine, "0001")
    with vault.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO client (id, given_name, family_name, address, postal_code, city, "
                "phone, email, preferred_language, referrer_kind, referrer_name, reason, status, "
                "closure_reason, created_at, updated_at) VALUES (1, 'Ayşe', 'Yılmaz', '', '', '', "
                "'', '', '', 'huisarts', '', 'Geldzorgen', 'actief', '', "
                "'2026-01-02 10:00:00', '2026-01-02 10:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO contact (id, client_id, occurred_at, kind, note, domains, created_at, "
                "updated_at) VALUES (1, 1, '2026-01-02 10:00:00', 'huisbezoek', "
                "'Gesprek over de energierekening en het café om de hoek.', '[]', "
                "'2026-01-02 10:00:00', '2026-01-02 10:00:00')"
            )
        )
    vault.lock()
    for leftover in TARGET.glob("caseload.db-*"):
        leftover.unlink()


if __name__ == "__main__":
    main()
