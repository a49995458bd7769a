"""A process killed mid-write leaves a vault that opens and holds every commit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from brugdesk.app.caseload import Caseload
from brugdesk.storage.check import check_vault
from tests.conftest import PASSPHRASE

WRITER = """
import sys
from datetime import datetime
from pathlib import Path
from brugdesk.app.caseload import Caseload

cl = Caseload.open(Path(sys.argv[1]), sys.argv[2])
cid = cl.clients.create(given_name="Crash", family_name="Test")
print(f"client {cid}", flush=True)
i = 0
while True:
    i += 1
    nid = cl.contacts.add(cid, occurred_at=datetime.now(), note=f"notitie-{i} " + "x" * 3000)
    print(f"note {nid} notitie-{i}", flush=True)
"""


@pytest.mark.slow
def test_sigkill_while_writing_loses_no_committed_note(vault_dir: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(vault_dir), PASSPHRASE],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    committed: dict[int, str] = {}
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while len(committed) < 150 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("note"):
            _, nid, marker = line.split()
            committed[int(nid)] = marker
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # Anything printed after the kill signal was sent may also have committed.
    for line in proc.stdout:
        if line.startswith("note"):
            _, nid, marker = line.split()
            committed[int(nid)] = marker
    assert len(committed) >= 150, "the writer did not get going"

    report = check_vault(vault_dir, PASSPHRASE)
    assert report.ok, report.findings
    cl = Caseload.open(vault_dir, PASSPHRASE)
    try:
        client_id = cl.search.clients("Crash")[0].client_id
        stored = {c.id: c.note.split()[0] for c in cl.contacts.fetch(client_id)}
    finally:
        cl.lock()
    for nid, marker in committed.items():
        assert stored.get(nid) == marker
