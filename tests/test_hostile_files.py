"""Odd and hostile files are refused fast, with bounded memory, and named.

The FIFO cases run in a subprocess with a timeout: that timeout is only the
guard against a hang (a FIFO with no writer blocks a plain ``open``), not a
timed assertion.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from brugdesk.errors import BackupError, VaultDamaged
from brugdesk.storage.backup import read_manifest
from brugdesk.storage.vault import Vault
from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parent.parent
posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev/zero are POSIX")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRUGDESK_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.delenv("BRUGDESK_PASSPHRASE", raising=False)


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "brugdesk.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=60,  # hang guard only
    )


def _replace_header(vault_dir: Path, make: str) -> None:
    header = vault_dir / "vault.json"
    header.unlink()
    if make == "fifo":
        os.mkfifo(header)
    elif make == "dir":
        header.mkdir()
    elif make == "dev-zero":
        os.symlink("/dev/zero", header)


# --- vault.json --------------------------------------------------------------------


@posix_only
@pytest.mark.parametrize("make", ["fifo", "dir", "dev-zero"])
def test_odd_vault_json_is_refused_by_the_cli(vault_dir: Path, make: str) -> None:
    _replace_header(vault_dir, make)
    result = cli("check", "--data-dir", str(vault_dir), env={"BRUGDESK_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 1
    assert "vault.json" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


@posix_only
@pytest.mark.parametrize("make", ["fifo", "dir", "dev-zero"])
def test_odd_vault_json_is_refused_by_the_core(vault_dir: Path, make: str) -> None:
    _replace_header(vault_dir, make)
    with pytest.raises(VaultDamaged) as info:
        Vault(vault_dir).read_header()
    assert "vault.json" in info.value.message


def test_directory_vault_json_is_refused_everywhere(vault_dir: Path) -> None:
    (vault_dir / "vault.json").unlink()
    (vault_dir / "vault.json").mkdir()
    with pytest.raises(VaultDamaged) as info:
        Vault(vault_dir).read_header()
    assert "vault.json" in info.value.message and "map" in info.value.message


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"[" * 30_000 + b"]" * 30_000, "diep genest"),
        (b'{"format": "brugdesk-vault", "version": ' + b"9" * 5_000 + b"}", "te lang getal"),
        (b'{"format": "brugdesk-vault", "version": NaN}', "ongeldig getal"),
        (b" " * (70 * 1024) + b"{}", "te groot"),
    ],
)
def test_hostile_vault_json_content(vault_dir: Path, content: bytes, reason: str) -> None:
    (vault_dir / "vault.json").write_bytes(content)
    with pytest.raises(VaultDamaged) as info:
        Vault(vault_dir).read_header()
    assert "vault.json" in info.value.message and reason in info.value.message


# --- backups -----------------------------------------------------------------------


def _backup_with_manifest(path: Path, manifest: bytes) -> None:
    with tarfile.open(path, mode="w") as tar:
        for name, data in (
            ("manifest.json", manifest),
            ("vault.json", b"{}"),
            ("caseload.db", b""),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize(
    ("manifest", "reason"),
    [
        (b"[" * 30_000 + b"]" * 30_000, "diep genest"),
        (b'{"format": "brugdesk-backup", "version": ' + b"1" * 5_000 + b"}", "te lang getal"),
    ],
)
def test_hostile_backup_manifest(tmp_path: Path, manifest: bytes, reason: str) -> None:
    path = tmp_path / "vreemd.brugdesk"
    _backup_with_manifest(path, manifest)
    with pytest.raises(BackupError) as info:
        read_manifest(path)
    assert "manifest.json" in info.value.message and reason in info.value.message


def test_oversized_backup_member_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "groot.brugdesk"
    _backup_with_manifest(path, json.dumps({"x": "y" * 70_000}).encode())
    with pytest.raises(BackupError) as info:
        read_manifest(path)
    assert "te groot" in info.value.message


@posix_only
@pytest.mark.parametrize("make", ["fifo", "dev-zero", "dir"])
def test_odd_backup_file_is_refused(tmp_path: Path, make: str) -> None:
    path = tmp_path / "kopie.brugdesk"
    if make == "fifo":
        os.mkfifo(path)
    elif make == "dir":
        path.mkdir()
    else:
        os.symlink("/dev/zero", path)
    result = cli(
        "restore",
        str(path),
        "--data-dir",
        str(tmp_path / "nieuw"),
        env={"BRUGDESK_PASSPHRASE": PASSPHRASE},
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "kopie.brugdesk" in result.stderr
    assert not (tmp_path / "nieuw").exists()


# --- --passphrase-file ---------------------------------------------------------------


@posix_only
@pytest.mark.parametrize("make", ["fifo", "dev-zero", "dir"])
def test_odd_passphrase_file_is_refused(vault_dir: Path, tmp_path: Path, make: str) -> None:
    path = tmp_path / "wachtwoord.txt"
    if make == "fifo":
        os.mkfifo(path)
    elif make == "dir":
        path.mkdir()
    else:
        os.symlink("/dev/zero", path)
    result = cli("check", "--data-dir", str(vault_dir), "--passphrase-file", str(path))
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "wachtwoord.txt" in result.stderr


def test_huge_passphrase_file_is_refused_without_reading_it(
    vault_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "groot.txt"
    with open(path, "wb") as fh:
        fh.truncate(1 << 30)  # a sparse 1 GiB file without a newline
    result = cli("check", "--data-dir", str(vault_dir), "--passphrase-file", str(path))
    assert result.returncode == 2
    assert "te groot" in result.stderr and "groot.txt" in result.stderr


def test_passphrase_file_first_line_still_works(vault_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "pw.txt"
    path.write_bytes(PASSPHRASE.encode() + b"\r\nrest\n" + b"x" * 10_000)
    result = cli("check", "--data-dir", str(vault_dir), "--passphrase-file", str(path))
    assert result.returncode == 0, result.stderr
