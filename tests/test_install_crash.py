"""A killed first run or restore leaves a folder that opens or can be set up again."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from brugdesk.app.caseload import Caseload
from brugdesk.storage import install
from brugdesk.storage.backup import write_backup
from brugdesk.storage.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.crashes import killed_at

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
]

INIT = """
import sys
from pathlib import Path
from brugdesk.storage.vault import Vault
from brugdesk.storage.keyheader import Argon2Params
Vault.create(Path(sys.argv[1]), sys.argv[2], kdf=Argon2Params())
"""

RESTORE = """
import sys
from pathlib import Path
from brugdesk.storage.backup import restore_backup
restore_backup(Path(sys.argv[1]), Path(sys.argv[3]), sys.argv[2], force=True)
"""


def _names(data_dir: Path) -> set[str]:
    cl = Caseload.open(data_dir, PASSPHRASE)
    try:
        return {c.family_name for c in cl.clients.fetch()}
    finally:
        cl.lock()


def _no_leftovers(data_dir: Path) -> None:
    names = [p.name for p in data_dir.iterdir()]
    assert not [n for n in names if n.startswith((".init-", ".restore-", ".vault.json"))], names
    assert install.JOURNAL_NAME not in names


@pytest.mark.parametrize(
    "step",
    ["init:calibrated", "init:staged", "install:journal", "install:db-in", "install:header-in"],
)
def test_killed_first_run(tmp_path: Path, step: str) -> None:
    data_dir = tmp_path / "data"
    killed_at(step, INIT, str(data_dir), PASSPHRASE)
    vault = Vault(data_dir)
    if step.startswith("init:"):
        assert not vault.exists()  # nothing half made: the folder can be set up again
        vault, _ = Vault.create(data_dir, PASSPHRASE, kdf=FAST_KDF)
        vault.lock()
    else:
        assert vault.exists()
        assert any("afgemaakt" in m for m in vault.recovered), vault.recovered
    _no_leftovers(data_dir)
    Vault(data_dir).unlock(PASSPHRASE)


@pytest.mark.parametrize(
    "step",
    [
        "restore:unpacked",
        "restore:verified",
        "install:journal",
        "install:aside",
        "install:db-in",
        "install:header-in",
    ],
)
def test_killed_restore(tmp_path: Path, vault_dir: Path, step: str) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    cl.clients.create(given_name="A", family_name="Oud")
    backup = write_backup(cl.vault, tmp_path / "kopie.brugdesk")
    cl.clients.create(given_name="B", family_name="Nieuw")
    cl.lock()
    killed_at(step, RESTORE, str(vault_dir), PASSPHRASE, str(backup))
    vault = Vault(vault_dir)
    assert vault.exists()
    assert vault.recovered, step  # a message says what happened
    _no_leftovers(vault_dir)
    if step.startswith("restore:"):
        assert _names(vault_dir) == {"Oud", "Nieuw"}  # undone: the current vault stays
    else:
        assert _names(vault_dir) == {"Oud"}  # finished: the backup is in place
        (aside,) = [p for p in vault_dir.iterdir() if p.name.startswith("vervangen-")]
        assert _names(aside) == {"Oud", "Nieuw"}  # the replaced vault was kept
