"""The Windows paths, walked on any platform.

``windows_like`` makes this process look like Windows to brugdesk as far as
files go: the platform switch of ``storage.atomic`` (the one place that asks
which platform this is) says Windows, ``os.fchmod`` is gone (as before
Python 3.13), ``os.chmod`` accepts only the read-only toggle Windows has,
opening a folder fails as on Windows, and the POSIX-only ``os`` names are
removed. Then the real jobs run against a real encrypted vault: create,
unlock, letter (render + AES-256 + save), CSV export, recovery sheet, backup,
restore. Everything must work, and nothing may call ``os.chmod`` at all.

A file open in another program (a PDF reader) cannot be replaced on Windows:
``os.replace`` raises ``PermissionError``. That is simulated by making
``os.replace`` refuse to move the existing file, a few times or always.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from brugdesk.app import transfers, vault_jobs
from brugdesk.app.caseload import Caseload
from brugdesk.app.referral_letter import ReferralLetterDraft
from brugdesk.errors import FileInUse, NoPermission
from brugdesk.storage import atomic
from tests.conftest import FAST_KDF, PASSPHRASE

PASSWORD = "abcd-efgh-jkmn-pqrs-tuvw"

#: Names ``os`` lacks on Windows; brugdesk must not need any of them.
POSIX_ONLY = (
    "fchmod",
    "lchmod",
    "getuid",
    "geteuid",
    "sync",
    "O_NOFOLLOW",
    "O_DIRECTORY",
    "O_NONBLOCK",
)


@pytest.fixture
def windows_like(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Windows's file API on this machine; returns the ``os.chmod`` calls made."""
    chmods: list[tuple[str, int]] = []
    real_chmod = os.chmod
    real_open = os.open

    def chmod(path: object, mode: int, *args: object, **kwargs: object) -> None:
        chmods.append((str(path), mode))
        if mode & ~(stat.S_IREAD | stat.S_IWRITE):
            raise NotImplementedError(
                f"os.chmod({path!r}, {oct(mode)}): Windows only toggles the read-only flag"
            )
        if not mode & stat.S_IWRITE:  # Windows: the file becomes read-only
            real_chmod(path, stat.S_IMODE(os.stat(path).st_mode) & ~0o222)  # type: ignore[arg-type]

    def open_(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if os.path.isdir(path):  # type: ignore[arg-type]
            raise PermissionError(errno.EACCES, "Access is denied", str(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic, "WINDOWS", True)
    # shutil.rmtree walks folders by descriptor on POSIX only; Windows takes the path walk
    monkeypatch.setattr(shutil, "_use_fd_functions", False, raising=False)
    monkeypatch.setattr(os, "chmod", chmod)
    monkeypatch.setattr(os, "open", open_)
    for name in POSIX_ONLY:
        monkeypatch.delattr(os, name, raising=False)
    return chmods


def _client(cl: Caseload) -> tuple[int, int]:
    cl.settings.update(worker_name="Anouk de Wit", organisation="Welzijn Oost")
    cid = cl.clients.create(given_name="Şükrü", family_name="Yılmaz", date_of_birth="12-03-1961")
    pid = cl.partners.add(organisation="Schuldhulpverlening", contact_person="Jan Jansen")
    return cid, pid


def _draft(cl: Caseload, cid: int, pid: int) -> ReferralLetterDraft:
    draft = ReferralLetterDraft(cl, cid)
    draft.choose(
        partner_id=pid,
        reason="Huurachterstand",
        request="Graag een intake",
        consent_how="mondeling",
        password=PASSWORD,
    )
    return draft


def _actions(cl: Caseload) -> list[str]:
    return [a.action for a in cl.audit.fetch(limit=100_000) if a.action != "read"]


def test_every_file_job_works_with_windows_file_modes(
    tmp_path: Path, windows_like: list[tuple[str, int]]
) -> None:
    assert not hasattr(os, "fchmod")
    data_dir = tmp_path / "data"
    out = tmp_path / "out"
    out.mkdir()

    caseload, recovery_key = Caseload.create(data_dir, PASSPHRASE, kdf=FAST_KDF)
    caseload.lock()
    caseload = Caseload.open(data_dir, PASSPHRASE)
    try:
        assert caseload.vault.recovered == []  # the create left no staging folder behind
        cid, pid = _client(caseload)
        result = _draft(caseload, cid, pid).save(out / "brief.pdf")
        reader = PdfReader(io.BytesIO((out / "brief.pdf").read_bytes()))
        assert reader.is_encrypted and reader.decrypt(PASSWORD)
        assert "Şükrü Yılmaz" in "".join(page.extract_text() for page in reader.pages)
        assert result.password_protected

        assert transfers.export_partners(caseload, out / "kaart.csv") == 1
        assert "Schuldhulpverlening" in (out / "kaart.csv").read_text(encoding="utf-8-sig")

        vault_jobs.save_recovery_sheet(out / "herstelblad.pdf", recovery_key, caseload.vault_id)
        assert (out / "herstelblad.pdf").read_bytes().startswith(b"%PDF")

        caseload.write_backup(out / "kluis.brugdesk")
        assert {"backup", "export"} <= set(_actions(caseload))
    finally:
        caseload.lock()

    restored = tmp_path / "elders"
    restored.mkdir()
    vault_jobs.restore(restored, out / "kluis.brugdesk", PASSPHRASE)
    again = Caseload.open(restored, PASSPHRASE)
    try:
        assert [c.id for c in again.clients.fetch()] == [cid]
        assert "restore" in _actions(again)
    finally:
        again.lock()

    assert sorted(p.name for p in out.iterdir()) == [
        "brief.pdf",
        "herstelblad.pdf",
        "kaart.csv",
        "kluis.brugdesk",
    ]
    assert windows_like == []  # every mode went through private_mode, which leaves Windows be


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_posix_keeps_owner_only_modes(tmp_path: Path) -> None:
    """The same helper still does the POSIX thing where it can."""
    folder = tmp_path / "map"
    folder.mkdir(mode=0o755)
    (folder / "los.txt").write_bytes(b"x")
    os.chmod(folder / "los.txt", 0o644)
    atomic.secure_folder(folder)
    atomic.atomic_write_bytes(folder / "nieuw.txt", b"y")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "los.txt").stat().st_mode) == 0o600
    assert stat.S_IMODE((folder / "nieuw.txt").stat().st_mode) == 0o600


def _hold_open(monkeypatch: pytest.MonkeyPatch, held: Path, times: int | None) -> list[str]:
    """``os.replace`` refuses to move *held* away (or over it) *times* times (None: always),
    as Windows does while a PDF reader has it open."""
    real = os.replace
    refused: list[str] = []

    def replace(src: object, dst: object, *args: object, **kwargs: object) -> None:
        in_the_way = held in (Path(str(src)), Path(str(dst))) and held.exists()
        if in_the_way and (times is None or len(refused) < times):
            refused.append(str(src))
            raise PermissionError(errno.EACCES, "Access is denied", str(src))
        real(src, dst, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    return refused


def test_a_letter_over_a_briefly_open_file_is_saved_after_a_retry(
    caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid, pid = _client(caseload)
    dest = tmp_path / "brief.pdf"
    dest.write_bytes(b"de oude brief")
    refused = _hold_open(monkeypatch, dest, times=2)
    result = _draft(caseload, cid, pid).save(dest)
    assert len(refused) == 2
    assert dest.read_bytes().startswith(b"%PDF")
    assert PdfReader(io.BytesIO(dest.read_bytes())).decrypt(PASSWORD)
    assert [p.name for p in tmp_path.iterdir() if p.name != "data"] == ["brief.pdf"]
    assert len(caseload.referrals.fetch(cid)) == 1
    assert result.path == dest


def test_a_letter_over_a_file_that_stays_open_says_close_it_and_leaves_nothing(
    caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid, pid = _client(caseload)
    before = _actions(caseload)
    dest = tmp_path / "brief.pdf"
    dest.write_bytes(b"de oude brief")
    refused = _hold_open(monkeypatch, dest, times=None)
    with pytest.raises(FileInUse) as caught:
        _draft(caseload, cid, pid).save(dest)
    assert len(refused) == len(atomic.RENAME_RETRY_DELAYS) + 1
    message = caught.value.message
    assert "'brief.pdf' is geopend in een ander programma" in message
    assert "Sluit het bestand daar en probeer het opnieuw" in message
    monkeypatch.undo()
    assert dest.read_bytes() == b"de oude brief"  # the open file is untouched
    assert [p.name for p in tmp_path.iterdir() if p.name != "data"] == ["brief.pdf"]
    assert caseload.referrals.fetch(cid) == []
    assert _actions(caseload) == before  # read back: no audit row


def test_a_backup_and_a_csv_over_an_open_file_leave_no_row(
    caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    caseload.partners.add(organisation="Humanitas")
    before = _actions(caseload)
    out = tmp_path / "out"
    out.mkdir()
    for name in ("kaart.csv", "kluis.brugdesk"):
        (out / name).write_bytes(b"oud")
    _hold_open(monkeypatch, out / "kaart.csv", times=None)
    with pytest.raises(FileInUse, match=r"'kaart\.csv'"):
        transfers.export_partners(caseload, out / "kaart.csv")
    monkeypatch.undo()
    _hold_open(monkeypatch, out / "kluis.brugdesk", times=None)
    with pytest.raises(FileInUse, match=r"'kluis\.brugdesk'"):
        caseload.write_backup(out / "kluis.brugdesk")
    monkeypatch.undo()
    assert sorted(p.name for p in out.iterdir()) == ["kaart.csv", "kluis.brugdesk"]
    assert all(p.read_bytes() == b"oud" for p in out.iterdir())
    assert _actions(caseload) == before


def test_an_atomic_write_over_an_open_file_keeps_it_and_removes_the_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "herstelblad.pdf"
    dest.write_bytes(b"oud")
    _hold_open(monkeypatch, dest, times=None)
    with pytest.raises(FileInUse, match=r"'herstelblad\.pdf'"):
        atomic.atomic_write_bytes(dest, b"nieuw")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == [dest]
    assert dest.read_bytes() == b"oud"
    _hold_open(monkeypatch, dest, times=3)
    atomic.atomic_write_bytes(dest, b"nieuw")
    assert dest.read_bytes() == b"nieuw"


def test_a_refused_rename_to_a_new_name_is_a_permission_problem_not_an_open_file(
    caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No file of that name exists, so no program can have it open: say what it is."""
    real = os.replace
    dest = tmp_path / "kaart.csv"

    def refuse(src: object, dst: object, *args: object, **kwargs: object) -> None:
        if Path(str(dst)) == dest:
            raise PermissionError(errno.EACCES, "Access is denied", str(dst))
        real(src, dst, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(NoPermission):
        transfers.export_partners(caseload, dest)
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir() if p.name != "data"] == []
    assert "export" not in _actions(caseload)
