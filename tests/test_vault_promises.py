"""Issue 9: one writer, a database that went back in time, permissions, failed unlocks."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from brugdesk import logsetup
from brugdesk.app import vault_jobs
from brugdesk.app.caseload import Caseload
from brugdesk.errors import DatabaseOlder, VaultInUse
from brugdesk.paths import DB_NAME, HEADER_NAME
from brugdesk.storage import backup as backup_store
from brugdesk.storage import generation
from brugdesk.storage.header_file import parse
from brugdesk.storage.unlock_failures import FAILURES_NAME
from brugdesk.storage.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE

ROOT = Path(__file__).resolve().parent.parent
POSIX_MODES = pytest.mark.skipif(os.name == "nt", reason="Windows has no POSIX modes")
WAL = DB_NAME + "-wal"
SHM = DB_NAME + "-shm"

OPENER = """
import os, signal, sys
from pathlib import Path
from brugdesk.app.caseload import Caseload
from brugdesk.errors import BrugdeskError

try:
    cl = Caseload.open(Path(sys.argv[1]), sys.argv[2])
except BrugdeskError as exc:
    print("REFUSED", type(exc).__name__, exc.message, flush=True)
    sys.exit(3)
if sys.argv[3]:
    cl.clients.create(given_name=sys.argv[3], family_name="Proces")
if sys.argv[4] == "kill":
    os.kill(os.getpid(), signal.SIGKILL)
cl.lock()
print("OPENED", flush=True)
"""


def _run_opener(data_dir: Path, name: str = "", then: str = "lock") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", OPENER, str(data_dir), PASSPHRASE, name, then],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def _cli(*args: str, passphrase: str = PASSPHRASE) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "brugdesk.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "BRUGDESK_PASSPHRASE": passphrase},
        check=False,
    )


def _names(cl: Caseload) -> set[str]:
    return {row.given_name for row in cl.clients.fetch()}


# --- 10: one vault, one writer --------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_second_process_is_refused_while_open_and_opens_after_lock_or_kill(
    vault_dir: Path,
) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    refused = _run_opener(vault_dir, "Tweede")
    assert refused.returncode == 3, refused.stderr
    assert "VaultInUse" in refused.stdout
    assert "al geopend in een ander venster" in refused.stdout
    cl.clients.create(given_name="Eerste", family_name="Venster")  # the first writes on
    cl.lock()

    killed = _run_opener(vault_dir, "Gedood", then="kill")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # The dead process's lock went with it: the next opener gets the vault.
    cl = Caseload.open(vault_dir, PASSPHRASE)
    assert _names(cl) == {"Eerste", "Gedood"}
    cl.lock()


def test_a_second_vault_in_the_same_process_is_refused_too(vault_dir: Path) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    with pytest.raises(VaultInUse):
        Vault(vault_dir).unlock(PASSPHRASE)
    cl.lock()
    Caseload.open(vault_dir, PASSPHRASE).lock()


@pytest.mark.slow
def test_restore_is_refused_while_the_vault_is_open(tmp_path: Path, vault_dir: Path) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    backup = cl.write_backup(tmp_path / "kopie.brugdesk")
    proc = _cli("restore", "--force", str(backup), "--data-dir", str(vault_dir))
    assert proc.returncode == 1
    assert "al geopend" in proc.stderr
    assert not any(p.name.startswith("vervangen-") for p in vault_dir.iterdir())
    cl.clients.create(given_name="Nadien", family_name="Bewaard")  # still in the live vault
    cl.lock()
    cl = Caseload.open(vault_dir, PASSPHRASE)
    assert _names(cl) == {"Nadien"}
    cl.lock()
    # Once locked, the same restore goes ahead (and sets the vault aside).
    assert vault_jobs.restore(vault_dir, backup, PASSPHRASE, force=True) is not None


def test_start_up_clean_up_leaves_another_openers_staging_folder(vault_dir: Path) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    live = vault_dir / ".restore-live"
    live.mkdir()
    (live / DB_NAME).write_bytes(b"being unpacked")
    assert Vault(vault_dir).exists()
    assert live.is_dir(), "a staging folder of the process holding the lock was removed"
    cl.lock()
    assert Vault(vault_dir).exists()
    assert not live.exists()


# --- 3: a database that went back in time ---------------------------------------------


def _generation(data_dir: Path) -> int:
    return parse((data_dir / HEADER_NAME).read_bytes()).generation


def _snapshot(data_dir: Path, target: Path, names: tuple[str, ...]) -> None:
    target.mkdir()
    for name in names:
        if (data_dir / name).exists():
            shutil.copy2(data_dir / name, target / name)


def _put_back(snapshot: Path, data_dir: Path, names: tuple[str, ...]) -> None:
    for name in (WAL, SHM):
        (data_dir / name).unlink(missing_ok=True)
    for name in names:
        shutil.copy2(snapshot / name, data_dir / name)


def _assert_older_noticed(data_dir: Path, missing: str) -> None:
    with pytest.raises(DatabaseOlder) as info:
        Caseload.open(data_dir, PASSPHRASE)
    assert "ouder dan verwacht" in info.value.message
    assert "back-up terug" in info.value.message
    report = vault_jobs.check(data_dir, PASSPHRASE)
    assert not report.ok
    assert any(not ok and "ouder dan verwacht" in text for ok, text in report.findings)
    # The worker may choose to go on with what is there; that is audited, and
    # from then on the vault opens normally again.
    cl = Caseload.open(data_dir, PASSPHRASE, accept_older=True)
    assert missing not in _names(cl)
    assert any(e.details.get("accepted_older") for e in cl.audit.fetch())
    cl.lock()
    Caseload.open(data_dir, PASSPHRASE).lock()
    assert vault_jobs.check(data_dir, PASSPHRASE).ok


def test_each_unlock_advances_the_generation_and_lock_leaves_one_complete_file(
    vault_dir: Path,
) -> None:
    before = _generation(vault_dir)
    cl = Caseload.open(vault_dir, PASSPHRASE)
    assert _generation(vault_dir) == before + 1
    cl.clients.create(given_name="Compleet", family_name="Bestand")
    cl.lock()
    assert not (vault_dir / WAL).exists() or (vault_dir / WAL).stat().st_size == 0
    assert vault_jobs.check(vault_dir, PASSPHRASE).ok


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_wal_deleted_after_sigkill_is_noticed(vault_dir: Path) -> None:
    killed = _run_opener(vault_dir, "Verloren", then="kill")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (vault_dir / WAL).stat().st_size > 0
    (vault_dir / WAL).unlink()
    (vault_dir / SHM).unlink(missing_ok=True)
    _assert_older_noticed(vault_dir, "Verloren")


def test_an_older_wal_put_back_is_noticed(tmp_path: Path, vault_dir: Path) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    cl.clients.create(given_name="Eerder", family_name="Sessie")
    _snapshot(vault_dir, tmp_path / "old", (WAL,))  # the -wal as a crash would leave it
    cl.lock()
    cl = Caseload.open(vault_dir, PASSPHRASE)
    cl.clients.create(given_name="Later", family_name="Sessie")
    cl.lock()
    _put_back(tmp_path / "old", vault_dir, (WAL,))
    _assert_older_noticed(vault_dir, "Later")


def test_a_pre_checkpoint_wal_with_its_database_is_noticed(tmp_path: Path, vault_dir: Path) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    cl.clients.create(given_name="Voor", family_name="Checkpoint")
    # A copy of the open vault (a sync tool, a file-history snapshot) before the checkpoint.
    _snapshot(vault_dir, tmp_path / "old", (DB_NAME, WAL))
    cl.lock()
    cl = Caseload.open(vault_dir, PASSPHRASE)
    cl.clients.create(given_name="Na", family_name="Checkpoint")
    cl.lock()
    _put_back(tmp_path / "old", vault_dir, (DB_NAME, WAL))
    _assert_older_noticed(vault_dir, "Na")


def test_an_older_caseload_db_put_back_is_noticed(tmp_path: Path, vault_dir: Path) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    cl.clients.create(given_name="Oud", family_name="Bestand")
    cl.lock()
    _snapshot(vault_dir, tmp_path / "old", (DB_NAME,))
    cl = Caseload.open(vault_dir, PASSPHRASE)
    cl.clients.create(given_name="Nieuw", family_name="Bestand")
    cl.lock()
    _put_back(tmp_path / "old", vault_dir, (DB_NAME,))
    _assert_older_noticed(vault_dir, "Nieuw")


def test_crash_between_database_and_header_generation_is_accepted(
    vault_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def header_write_fails(*_args: object, **_kwargs: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(generation, "atomic_write_bytes", header_write_fails)
    with pytest.raises(OSError):
        Vault(vault_dir).unlock(PASSPHRASE)  # the database is now one ahead of the header
    monkeypatch.undo()
    cl = Caseload.open(vault_dir, PASSPHRASE)  # ahead is fine: nothing was lost
    cl.lock()
    assert vault_jobs.check(vault_dir, PASSPHRASE).ok


def test_a_restored_backup_is_not_older_than_expected(tmp_path: Path, vault_dir: Path) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    backup = cl.write_backup(tmp_path / "kopie.brugdesk")
    cl.clients.create(given_name="Na", family_name="Backup")
    cl.lock()
    vault_jobs.restore(vault_dir, backup, PASSPHRASE, force=True)
    cl = Caseload.open(vault_dir, PASSPHRASE)  # header and database came back together
    assert _names(cl) == set()
    cl.lock()


# --- 11: permissions hold ---------------------------------------------------------------


def _modes(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode)
        for p in [folder, *folder.rglob("*")]
        if not p.is_symlink()
    }


def _assert_private(modes: dict[str, int], folder: Path) -> None:
    for name, mode in modes.items():
        want = 0o700 if (folder / name).is_dir() else 0o600
        assert mode == want, f"{name}: {oct(mode)}"


@pytest.fixture
def umask_000():
    old = os.umask(0)
    yield
    os.umask(old)


@POSIX_MODES
def test_data_folder_and_files_are_private_under_umask_000(
    tmp_path: Path, umask_000: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o755)
    os.chmod(data_dir, 0o755)  # noqa: S103 - the wide folder under test
    cl, _key = Caseload.create(data_dir, PASSPHRASE, kdf=FAST_KDF)
    cl.clients.create(given_name="Privé", family_name="Map")
    _assert_private(_modes(data_dir), data_dir)  # open: -wal, -shm, vault.lock too

    seen: dict[str, dict[str, int]] = {}
    verify = backup_store._verify_db

    def spy_backup(path: Path, *args: object) -> None:
        seen["backup"] = _modes(path.parent)
        verify(path, *args)

    monkeypatch.setattr(backup_store, "_verify_db", spy_backup)
    backup = cl.write_backup(tmp_path / "out" / "kopie.brugdesk")
    cl.lock()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    _assert_private(_modes(data_dir), data_dir)

    def spy_restore(name: str) -> None:
        if name == "restore:verified":
            staging = next(p for p in data_dir.iterdir() if p.name.startswith(".restore-"))
            seen["restore"] = _modes(staging)

    monkeypatch.setattr(backup_store, "crash_point", spy_restore)
    os.chmod(data_dir, 0o755)  # noqa: S103 - widened by hand in between
    vault_jobs.restore(data_dir, backup, PASSPHRASE, force=True)
    for folder_modes in seen.values():
        for name, mode in folder_modes.items():
            assert mode in (0o600, 0o700), f"{name}: {oct(mode)}"
    assert set(seen) == {"backup", "restore"}
    _assert_private(_modes(data_dir), data_dir)


@POSIX_MODES
def test_log_folder_and_file_are_private_under_umask_000(
    tmp_path: Path, umask_000: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_dir = tmp_path / "logs"
    log_dir.mkdir(mode=0o755)
    os.chmod(log_dir, 0o755)  # noqa: S103 - the wide folder under test
    (log_dir / "brugdesk.log").write_text("oud\n")
    os.chmod(log_dir / "brugdesk.log", 0o644)
    monkeypatch.setenv("BRUGDESK_LOG_DIR", str(log_dir))
    try:
        path = logsetup.setup()
        assert path is not None
        logging.getLogger("brugdesk.test").warning("een regel")
    finally:
        logsetup.shutdown()
    assert _modes(log_dir) == {".": 0o700, "brugdesk.log": 0o600}


# --- 8: failed unlocks are counted -------------------------------------------------------


@pytest.mark.slow
def test_failed_cli_unlocks_in_separate_processes_reach_the_audit(vault_dir: Path) -> None:
    wrong = "dit is echt niet het wachtwoord"
    for _ in range(2):
        proc = _cli("check", "--data-dir", str(vault_dir), passphrase=wrong)
        assert proc.returncode == 1
        assert "wachtwoord klopt niet" in proc.stderr
    counter = (vault_dir / FAILURES_NAME).read_bytes()
    assert json.loads(counter) == {"count": 2}
    assert wrong.encode() not in counter and PASSPHRASE.encode() not in counter
    if os.name != "nt":
        assert stat.S_IMODE((vault_dir / FAILURES_NAME).stat().st_mode) == 0o600

    cl = Caseload.open(vault_dir, PASSPHRASE)
    failures = [e for e in cl.audit.fetch() if e.action == "unlock_failure"]
    assert [e.details["count"] for e in failures] == [2]
    cl.lock()
    assert not (vault_dir / FAILURES_NAME).exists()
    cl = Caseload.open(vault_dir, PASSPHRASE)  # recorded once, not again
    assert len([e for e in cl.audit.fetch() if e.action == "unlock_failure"]) == 1
    cl.lock()
