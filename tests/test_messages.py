"""Messages say what really happened: never 'beschadigd' for a healthy vault.

A full or read-only disk, missing permissions, a data folder that is a file
and a symlink loop each get their own Dutch sentence; SQLCipher's log lines
and SQLAlchemy's English never reach the terminal.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import sqlcipher3

from brugdesk.app.caseload import Caseload
from brugdesk.errors import (
    DataDirNotFolder,
    DiskFull,
    NoPermission,
    ReadOnlyDisk,
    SymlinkLoop,
    VaultDamaged,
    VaultError,
)
from brugdesk.storage import db as db_mod
from brugdesk.storage.check import check_vault
from brugdesk.storage.vault import Vault
from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parent.parent
RAW_NOISE = ("ERROR CORE", "sqlalchemy", "sqlalche.me", "Traceback", "sqlcipher3")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRUGDESK_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.delenv("BRUGDESK_PASSPHRASE", raising=False)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "brugdesk.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "BRUGDESK_PASSPHRASE": PASSPHRASE},
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def assert_one_dutch_line(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("brugdesk: ") and result.stderr.count("\n") == 1
    for text in expected:
        assert text in result.stderr, result.stderr
    assert "beschadigd" not in result.stderr
    for noise in RAW_NOISE:
        assert noise not in result.stderr + result.stdout


# --- through the CLI -----------------------------------------------------------


def test_data_dir_that_is_a_file_says_so(tmp_path: Path) -> None:
    a_file = tmp_path / "gegevens.txt"
    a_file.write_text("geen kluis")
    for command in ("check", "backup"):
        extra = [str(tmp_path / "b.brugdesk")] if command == "backup" else []
        result = cli(command, *extra, "--data-dir", str(a_file))
        assert_one_dutch_line(result, "is een bestand, geen map")
    result = cli("check", "--data-dir", str(a_file / "kluis"))
    assert_one_dutch_line(result, "gegevens.txt", "is een bestand, geen map")
    assert a_file.read_text() == "geen kluis"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_symlink_loop_says_so(tmp_path: Path) -> None:
    loop = tmp_path / "rondje"
    try:
        os.symlink(loop, loop)
    except OSError:
        pytest.skip("creating symlinks is not allowed here")
    result = cli("check", "--data-dir", str(loop))
    assert_one_dutch_line(result, "naar zichzelf")
    with pytest.raises(SymlinkLoop):
        Vault(loop).read_header()


def _damage_middle(vault_dir: Path) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    for i in range(40):
        cid = cl.clients.create(given_name=f"Naam{i}", family_name="Test")
        cl.contacts.add(cid, occurred_at=datetime.now(), note=f"Notitie {i} " * 300)
    cl.lock()
    db = vault_dir / "caseload.db"
    size = db.stat().st_size
    with open(db, "r+b") as fh:
        fh.seek(size // 2)
        fh.write(os.urandom(3 * 4096))


def test_check_on_damaged_database_prints_short_verdict_and_next_step(vault_dir: Path) -> None:
    _damage_middle(vault_dir)
    result = cli("check", "--data-dir", str(vault_dir))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) <= 5, result.stdout
    assert lines[-1].startswith("Oordeel:") and "beschadigd" in lines[-1]
    assert "brugdesk-cli restore" in lines[-1]
    assert all(len(line) < 300 for line in lines)
    for noise in RAW_NOISE:
        assert noise not in result.stdout + result.stderr
    assert result.stderr == ""


# --- through the core ------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "error", "words"),
    [
        (errno.EROFS, ReadOnlyDisk, "alleen-lezen"),
        (errno.EACCES, NoPermission, "geen toestemming"),
        (errno.EPERM, NoPermission, "geen toestemming"),
        (errno.ENOSPC, DiskFull, "schijf is vol"),
    ],
)
def test_write_step_errors_get_their_own_message(
    vault_dir: Path, monkeypatch: pytest.MonkeyPatch, code: int, error: type, words: str
) -> None:
    vault = Vault(vault_dir)
    vault.unlock(PASSPHRASE)
    before = (vault_dir / "vault.json").read_bytes()  # unlock advanced the generation

    def refuse(_fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", refuse)
    try:
        with pytest.raises(error) as info:
            vault.change_passphrase(PASSPHRASE, "een nieuw en lang wachtwoord")
    finally:
        monkeypatch.undo()
        vault.lock()
    assert words in info.value.message
    assert "beschadigd" not in info.value.message
    assert (vault_dir / "vault.json").read_bytes() == before
    Vault(vault_dir).unlock(PASSPHRASE)


def test_read_only_disk_at_open_is_not_damage(
    vault_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite itself refuses to write (the read-only mode a write-protected stick gives)."""
    real_connect = sqlcipher3.dbapi2.connect

    def read_only(path: str, **kwargs: object) -> object:
        return real_connect(f"file:{path}?mode=ro", uri=True, **kwargs)

    monkeypatch.setattr(sqlcipher3.dbapi2, "connect", read_only)
    # Unlocking records a new generation in the database, so a read-only disk is
    # refused at unlock — as read-only, never as damage — and `check` (which
    # writes nothing) still finds the vault healthy.
    with pytest.raises(ReadOnlyDisk) as info:
        Caseload.open(vault_dir, PASSPHRASE)
    assert "alleen-lezen" in info.value.message and "beschadigd" not in info.value.message
    assert check_vault(vault_dir, PASSPHRASE).ok


@pytest.mark.parametrize(
    ("driver_message", "error"),
    [
        ("database or disk is full", DiskFull),
        ("attempt to write a readonly database", ReadOnlyDisk),
    ],
)
def test_driver_errors_at_open_are_not_damage(
    vault_dir: Path, monkeypatch: pytest.MonkeyPatch, driver_message: str, error: type
) -> None:
    def fail(_conn: object) -> None:
        raise sqlcipher3.dbapi2.OperationalError(driver_message)

    monkeypatch.setattr(db_mod, "_apply_pragmas", fail)
    with pytest.raises(error) as info:
        Caseload.open(vault_dir, PASSPHRASE)
    assert "beschadigd" not in info.value.message


def test_read_only_while_saving_is_not_damage(caseload: Caseload) -> None:
    from sqlalchemy import event

    caseload.vault.engine.dispose()

    @event.listens_for(caseload.vault.engine, "connect")
    def _query_only(dbapi_conn: object, _record: object) -> None:
        dbapi_conn.execute("PRAGMA query_only = ON")  # type: ignore[attr-defined]

    with pytest.raises(ReadOnlyDisk) as info:
        caseload.clients.create(given_name="Alleen", family_name="Lezen")
    assert "alleen-lezen" in info.value.message


def test_data_dir_file_in_the_core(tmp_path: Path) -> None:
    a_file = tmp_path / "bestand"
    a_file.write_text("x")
    with pytest.raises(DataDirNotFolder) as info:
        Vault(a_file).read_header()
    assert "bestand" in info.value.message and "beschadigd" not in info.value.message
    with pytest.raises(DataDirNotFolder):
        Caseload.create(a_file / "kluis", PASSPHRASE)
    with pytest.raises(DataDirNotFolder):
        check_vault(a_file, PASSPHRASE)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores folder permissions"
)
def test_read_only_folder_for_real(vault_dir: Path) -> None:
    os.chmod(vault_dir, 0o500)
    try:
        vault = Vault(vault_dir)
        with pytest.raises(VaultError) as info:
            vault.unlock(PASSPHRASE)
            vault.change_passphrase(PASSPHRASE, "een nieuw en lang wachtwoord")
        assert not isinstance(info.value, VaultDamaged)
        vault.lock()
    finally:
        os.chmod(vault_dir, 0o700)
