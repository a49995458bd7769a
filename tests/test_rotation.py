"""A changed secret is revoked: the database key rotates, crash-safely."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from brugdesk.app.caseload import Caseload
from brugdesk.errors import VaultDamaged, VaultError, WrongPassphrase, WrongRecoveryKey
from brugdesk.storage import db, header_file, recovery, rotation
from brugdesk.storage import keyheader as kh
from brugdesk.storage.backup import restore_backup, write_backup
from brugdesk.storage.check import check_vault
from brugdesk.storage.vault import Vault
from tests.conftest import PASSPHRASE

NEW = "een heel ander wachtwoord nu"
ROOT = Path(__file__).resolve().parent.parent


def _key(header_bytes: bytes, *, passphrase: str | None = None, recovery_key: str = "") -> bytes:
    """The database key an old header yields for an old secret (what an attacker gets)."""
    header = header_file.parse(header_bytes)
    if passphrase is not None:
        slot = header.slots[kh.SLOT_PASSPHRASE]
        assert slot.argon2 is not None
        kek = kh.derive_passphrase_kek(passphrase, slot.salt, slot.argon2)
        key = kh.unwrap(header, kh.SLOT_PASSPHRASE, kek)
    else:
        slot = header.slots[kh.SLOT_RECOVERY]
        kek = kh.recovery_kek(slot, recovery.parse_key(recovery_key))
        key = kh.unwrap(header, kh.SLOT_RECOVERY, kek)
    assert key is not None
    return key


def _assert_key_opens_nothing_new(data_dir: Path, key: bytes) -> None:
    with pytest.raises(VaultDamaged):
        db.connect(data_dir / "caseload.db", key.hex())


def _names(data_dir: Path, passphrase: str) -> set[str]:
    cl = Caseload.open(data_dir, passphrase)
    try:
        return {c.family_name for c in cl.clients.fetch()}
    finally:
        cl.lock()


def test_changed_passphrase_is_revoked(tmp_path: Path, vault_dir: Path, recovery_key: str) -> None:
    old_header = (vault_dir / "vault.json").read_bytes()
    cl = Caseload.open(vault_dir, PASSPHRASE)
    cl.clients.create(given_name="Voor", family_name="Voordien")
    backup = write_backup(cl.vault, tmp_path / "oud.brugdesk")
    steps: list[float] = []
    cl.change_passphrase(PASSPHRASE, NEW, progress=steps.append)
    cl.clients.create(given_name="Na", family_name="Nadien")  # data written after the change
    cl.lock()
    assert steps[0] == 0.0 and steps[-1] == 1.0 and steps == sorted(steps)

    # Old passphrase + any header brugdesk kept: the old key, which opens nothing new.
    bak = header_file.parse((vault_dir / "vault.json.bak").read_bytes())
    slot = bak.slots[kh.SLOT_PASSPHRASE]
    assert slot.argon2 is not None
    kek = kh.derive_passphrase_kek(PASSPHRASE, slot.salt, slot.argon2)
    assert kh.unwrap(bak, kh.SLOT_PASSPHRASE, kek) is None  # .bak holds only current slots
    _assert_key_opens_nothing_new(vault_dir, _key(old_header, passphrase=PASSPHRASE))
    _assert_key_opens_nothing_new(vault_dir, _key(old_header, recovery_key=recovery_key))
    assert (vault_dir / "vault.json.bak").read_bytes() == (vault_dir / "vault.json").read_bytes()
    with pytest.raises(WrongPassphrase):
        Vault(vault_dir).unlock(PASSPHRASE)
    # The old header put back next to the new database does not open it either.
    swapped = tmp_path / "swapped"
    shutil.copytree(vault_dir, swapped)
    (swapped / "vault.json").write_bytes(old_header)
    with pytest.raises(VaultError):
        Vault(swapped).unlock(PASSPHRASE)

    assert _names(vault_dir, NEW) == {"Voordien", "Nadien"}
    # The recovery key was not changed: it still opens the current vault.
    Caseload.open_with_recovery(vault_dir, recovery_key, "weer een nieuw wachtwoord").lock()
    # The backup made before keeps opening with the passphrase valid back then.
    restore_backup(tmp_path / "terug", backup, PASSPHRASE)
    assert _names(tmp_path / "terug", PASSPHRASE) == {"Voordien"}
    assert check_vault(vault_dir, "weer een nieuw wachtwoord").ok


def test_new_recovery_key_revokes_the_old_one(vault_dir: Path, recovery_key: str) -> None:
    old_header = (vault_dir / "vault.json").read_bytes()
    cl = Caseload.open(vault_dir, PASSPHRASE)
    new_key = cl.replace_recovery_key(PASSPHRASE, progress=lambda _f: None)
    cl.clients.create(given_name="Na", family_name="Nadien")
    cl.lock()
    _assert_key_opens_nothing_new(vault_dir, _key(old_header, recovery_key=recovery_key))
    _assert_key_opens_nothing_new(vault_dir, _key(old_header, passphrase=PASSPHRASE))
    for header in ("vault.json", "vault.json.bak"):
        with pytest.raises(WrongRecoveryKey):
            Vault._unwrap_recovery(
                header_file.parse((vault_dir / header).read_bytes()),
                recovery.parse_key(recovery_key),
            )
    Vault(vault_dir).verify_recovery_key(new_key)
    assert _names(vault_dir, PASSPHRASE) == {"Nadien"}


def test_reset_with_recovery_key_revokes_the_old_passphrase(
    vault_dir: Path, recovery_key: str
) -> None:
    old_header = (vault_dir / "vault.json").read_bytes()
    cl = Caseload.open_with_recovery(vault_dir, recovery_key, NEW)
    cl.clients.create(given_name="Na", family_name="Nadien")
    cl.lock()
    _assert_key_opens_nothing_new(vault_dir, _key(old_header, passphrase=PASSPHRASE))
    assert _names(vault_dir, NEW) == {"Nadien"}
    Vault(vault_dir).verify_recovery_key(recovery_key)  # the recovery key itself stays


def test_failed_export_changes_nothing(vault_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    cl.clients.create(given_name="A", family_name="Blijft")

    def broken(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rotation, "_verify", broken)
    with pytest.raises(VaultError):
        cl.change_passphrase(PASSPHRASE, NEW)
    cl.clients.create(given_name="B", family_name="Daarna")  # still usable with the old key
    cl.lock()
    assert sorted(p.name for p in vault_dir.iterdir() if "rotating" in p.name) == []
    assert _names(vault_dir, PASSPHRASE) == {"Blijft", "Daarna"}


ROTATOR = """
import sys
from datetime import datetime
from pathlib import Path
from brugdesk.app.caseload import Caseload

cl = Caseload.open(Path(sys.argv[1]), sys.argv[2])
cl.change_passphrase(sys.argv[2], sys.argv[3])
print("done", flush=True)
"""

STEPS = [
    "rotate:checkpointed",
    "rotate:exported",
    "rotate:verified",
    "rotate:pending",
    "rotate:db-swapped",
    "rotate:backup-header",
]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_at_every_step_of_a_rotation(tmp_path: Path, vault_dir: Path) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    for i in range(10):
        cid = cl.clients.create(given_name=f"N{i}", family_name=f"Familie{i}")
        cl.contacts.add(cid, occurred_at=datetime.now(), note="notitie " * 300)
    cl.lock()
    expected = _names(vault_dir, PASSPHRASE)
    for step in STEPS:
        work = tmp_path / step.replace(":", "-")
        shutil.copytree(vault_dir, work)
        proc = subprocess.run(
            [sys.executable, "-c", ROTATOR, str(work), PASSPHRASE, NEW],
            env={**os.environ, rotation.CRASH_ENV: step},
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        assert proc.returncode == -9, (step, proc.stderr)
        vault = Vault(work)
        assert vault.exists()
        committed = STEPS.index(step) >= STEPS.index("rotate:pending")
        if committed:
            assert vault.recovered == [rotation.FINISHED], step
        elif step != "rotate:checkpointed":  # before the export began there is nothing to undo
            assert vault.recovered == [rotation.UNDONE], step
        assert not any(p.name.endswith((".rotating", ".next")) for p in work.iterdir()), step
        opens, refused = (NEW, PASSPHRASE) if committed else (PASSPHRASE, NEW)
        assert _names(work, opens) == expected, step
        with pytest.raises(WrongPassphrase):
            Vault(work).unlock(refused)
        if step == STEPS[-1]:
            assert check_vault(work, opens).ok, step
