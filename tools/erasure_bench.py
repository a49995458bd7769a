"""How long erasing one client takes at 2,000 clients (index merge + VACUUM + checkpoint).

Not shipped; run with ``python -m tools.erasure_bench``.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from brugdesk.app import demo
from brugdesk.app.caseload import Caseload
from brugdesk.storage.keyheader import Argon2Params
from brugdesk.storage.search_index import purge_deleted_terms, scrub_free_space

PASSPHRASE = "een lange zin alleen voor de meting"  # noqa: S105


def erasure_figures(clients: int = 2000, notes_per_client: int = 30, seed: int = 7) -> dict:
    data = demo.generate(clients, notes_per_client, seed=seed)
    with tempfile.TemporaryDirectory(prefix="brugdesk-erasure-") as tmp:
        cl, _ = Caseload.create(Path(tmp) / "v", PASSPHRASE, kdf=Argon2Params())
        with cl.vault.engine.begin() as conn:
            demo.write(conn, data)
        size = cl.vault.db_path.stat().st_size
        parts: dict[str, float] = {}
        start = time.perf_counter()
        with cl.vault.engine.begin() as conn:
            conn.execute(text("DELETE FROM client WHERE id = 2"))
        parts["delete_ms"] = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        with cl.vault.engine.begin() as conn:
            purge_deleted_terms(conn)
        parts["fts_optimize_ms"] = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        scrub_free_space(cl.vault.engine)
        parts["vacuum_checkpoint_ms"] = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        cl.clients.delete(3, reason="verzoek_client")
        parts["clients_delete_total_ms"] = (time.perf_counter() - start) * 1000
        cl.lock()
    return {k: round(v, 1) for k, v in parts.items()} | {"db_mb": round(size / 1e6, 1)}


if __name__ == "__main__":
    print(erasure_figures())
