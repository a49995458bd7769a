"""Encrypted backups: one file holding the key header and the database.

The file is an uncompressed tar (the database is encrypted, so compression
would gain nothing) with three members::

    manifest.json   format, version, vault id, schema revision, SHA-256 of the db
    vault.json      the key header at backup time (its passphrase opens the backup)
    caseload.db     a consistent copy made with VACUUM INTO under the same key

A backup is verified by reopening the copy before it is packed, and by
re-reading the packed file afterwards. Restoring verifies the same way, with
the passphrase that was valid when the backup was made.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from brugdesk.errors import BackupError, UnsafeFile, VaultDamaged, VaultExists
from brugdesk.paths import BACKUP_DIR_NAME, DB_NAME, HEADER_NAME, vault_files
from brugdesk.storage import header_file, install, migrate
from brugdesk.storage.atomic import (
    PRIVATE_FILE,
    fsync_dir,
    open_regular,
    os_error_to_vault_error,
    private_mode,
    secure_folder,
)
from brugdesk.storage.db import connect, run_outside_transaction
from brugdesk.storage.export_journal import BACKUP_STAGING_PREFIX
from brugdesk.storage.rotation import crash_point
from brugdesk.storage.vault import Vault

FORMAT = "brugdesk-backup"
VERSION = 1
MANIFEST = "manifest.json"
ASIDE_PREFIX = "vervangen-"
_MEMBERS = {MANIFEST, HEADER_NAME, DB_NAME}


def write_backup(vault: Vault, dest: Path) -> Path:
    """Write an encrypted, verified backup of the unlocked *vault* to *dest*.

    A destination inside the data folder itself (``caseload.db``,
    ``vault.json``, … or any path that resolves there, via links too) is
    refused: a backup must never overwrite the vault. The ``backups``
    subfolder is the one exception.
    """
    dest = Path(dest)
    _refuse_inside_vault(vault.data_dir, dest)
    header_bytes = vault.header_path.read_bytes()
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=BACKUP_STAGING_PREFIX, dir=dest.parent))
    except OSError as exc:
        raise os_error_to_vault_error(exc) from exc
    try:
        copy = staging / DB_NAME
        run_outside_transaction(vault.engine, "VACUUM INTO ?", (str(copy),))
        crash_point("backup:copied")
        private_mode(copy)
        _verify_db(copy, vault.key_hex(), vault.vault_id)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": vault.vault_id,
            "created": datetime.now().astimezone().isoformat(timespec="seconds"),
            "schema_revision": migrate.current_revision(vault.engine),
            "db_sha256": _sha256(copy),
            "db_size": copy.stat().st_size,
        }
        packed = staging / "packed.tar"
        fd = os.open(packed, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as fh:
            with tarfile.open(fileobj=fh, mode="w", format=tarfile.PAX_FORMAT) as tar:
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
                _add_bytes(tar, HEADER_NAME, header_bytes)
                tar.add(copy, arcname=DB_NAME)
            fh.flush()
            os.fsync(fh.fileno())
        read_manifest(packed)  # re-read what we wrote before we call it a backup
        os.replace(packed, dest)
        fsync_dir(dest.parent)
    except OSError as exc:
        raise os_error_to_vault_error(exc) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return dest


def _refuse_inside_vault(data_dir: Path, dest: Path) -> None:
    data = Path(os.path.realpath(data_dir))
    target = Path(os.path.realpath(dest))
    own_backups = data / BACKUP_DIR_NAME
    if target == data or (
        target.is_relative_to(data) and not target.parent.is_relative_to(own_backups)
    ):
        raise BackupError(
            "Een back-up kan niet in de map van de kluis zelf worden opgeslagen: dan zou hij "
            "de kluis kunnen overschrijven. Er is niets opgeslagen. Kies een andere map, "
            "bij voorkeur op een usb-stick of netwerkschijf."
        )


def read_manifest(path: Path, *, verify: bool = True) -> dict:
    """Open a backup, check its members and checksum; return the manifest.

    With *verify* False the checksum of the database is not computed (a quick
    look at the manifest; restoring always verifies).
    """
    what = f"Het back-upbestand '{Path(path).name}'"
    try:
        with open_regular(Path(path), what) as fh, tarfile.open(fileobj=fh, mode="r:") as tar:
            members: dict[str, tarfile.TarInfo] = {}
            for member in tar:  # stop early: a hostile archive may hold millions of entries
                members[member.name] = member
                if len(members) > len(_MEMBERS):
                    break
            if set(members) != _MEMBERS or not all(m.isfile() for m in members.values()):
                raise BackupError("Dit is geen brugdesk-back-up (onverwachte inhoud).")
            try:
                manifest = header_file.load_json(_read_member(tar, members[MANIFEST], 64 * 1024))
            except header_file.JsonRefused as exc:
                raise BackupError(
                    f"De inhoudsopgave ({MANIFEST}) van de back-up is ongeldig: {exc}. "
                    "Gebruik een andere back-up; er is niets veranderd."
                ) from None
            if not isinstance(manifest, dict):
                raise BackupError("Dit is geen brugdesk-back-up (onverwachte inhoud).")
            if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
                raise BackupError("Dit is geen brugdesk-back-up of een onbekende versie ervan.")
            header_file.parse(_read_member(tar, members[HEADER_NAME], header_file.MAX_HEADER_BYTES))
            if not verify:
                return manifest
            digest = hashlib.sha256()
            src = tar.extractfile(members[DB_NAME])
            assert src is not None
            for chunk in iter(lambda: src.read(1 << 20), b""):
                digest.update(chunk)
            if digest.hexdigest() != manifest.get("db_sha256"):
                raise BackupError(
                    "Het back-upbestand is beschadigd (de controlesom klopt niet). "
                    "Gebruik een andere back-up."
                )
            return manifest
    except FileNotFoundError:
        raise BackupError(f"Het back-upbestand '{path}' bestaat niet.") from None
    except UnsafeFile as exc:
        raise BackupError(exc.message) from None
    except (tarfile.TarError, ValueError, EOFError):
        raise BackupError() from None
    except VaultDamaged as exc:
        raise BackupError(f"Het sleutelbestand in de back-up is beschadigd. {exc}") from None


def aside_folder_name(data_dir: Path, now: datetime | None = None) -> str:
    """A free name for the folder the current vault is put aside in: ``vervangen-<time>``."""
    base = f"{ASIDE_PREFIX}{(now or datetime.now()):%Y%m%d-%H%M%S}"
    name, n = base, 1
    while (Path(data_dir) / name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def _check_aside_name(data_dir: Path, name: str) -> Path:
    if (
        not name
        or name != Path(name).name
        or "/" in name
        or "\\" in name
        or name.startswith(".")
        or name in (BACKUP_DIR_NAME, *(p.name for p in vault_files(data_dir)))
    ):
        raise BackupError(f"'{name}' is geen geldige naam voor een map in de gegevensmap.")
    aside = data_dir / name
    if aside.exists():
        raise BackupError(
            f"De map {aside} bestaat al, dus de huidige kluis kan daar niet opzij worden "
            "gezet. Er is niets vervangen. Probeer het opnieuw."
        )
    return aside


def count_clients(source: Path, passphrase: str, work_dir: Path) -> int:
    """Check a backup with *passphrase* as a restore would; return how many clients it holds.

    The backup is unpacked into a temporary folder inside *work_dir* (the data
    folder: it never leaves the vault's place) and removed again; nothing else
    is touched.
    """
    read_manifest(source)
    try:
        work_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=work_dir))
    except OSError as exc:
        raise os_error_to_vault_error(exc) from exc
    try:
        return _unpack_and_verify(source, passphrase, staging)
    except OSError as exc:
        raise os_error_to_vault_error(exc) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def restore_backup(
    data_dir: Path,
    source: Path,
    passphrase: str,
    *,
    force: bool = False,
    aside_name: str | None = None,
) -> Path | None:
    """Restore *source* into *data_dir*; returns where an existing vault was put aside.

    Everything is unpacked and verified in a staging folder first (checksum,
    key header, unlock with *passphrase*, integrity check). Only then is an
    existing vault moved aside (never deleted) and the restored one moved in,
    as one step that a crash cannot leave half done (:mod:`.install`).

    The vault lock is held throughout: while the vault is open elsewhere (a
    window, a CLI command) the restore is refused with :class:`VaultInUse`,
    so no process can go on writing into the vault that is set aside.

    *aside_name* names the folder (inside *data_dir*) the current vault is put
    in, so a window can show it beforehand; it must not exist yet. By default
    a free ``vervangen-<date-time>`` name is chosen.
    """
    data_dir = Path(data_dir)
    read_manifest(source)
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        secure_folder(data_dir)
    except OSError as exc:
        raise os_error_to_vault_error(exc) from exc
    existing = Vault(data_dir)
    existing.hold_lock()
    try:
        return _restore_locked(existing, source, passphrase, force=force, aside_name=aside_name)
    finally:
        existing.release_lock()


def _restore_locked(
    existing: Vault,
    source: Path,
    passphrase: str,
    *,
    force: bool,
    aside_name: str | None = None,
) -> Path | None:
    data_dir = existing.data_dir
    had_vault = existing.exists()  # also finishes or undoes an interrupted restore
    if had_vault and not force:
        raise VaultExists(
            "In deze map staat al een kluis. Terugzetten overschrijft die niet; gebruik "
            "--force om de huidige kluis opzij te zetten en de back-up terug te zetten."
        )
    aside = None
    if had_vault:
        name = aside_folder_name(data_dir) if aside_name is None else aside_name
        aside = _check_aside_name(data_dir, name)
    try:
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir))
    except OSError as exc:
        raise os_error_to_vault_error(exc) from exc
    try:
        _unpack_and_verify(source, passphrase, staging)
        for leftover in (DB_NAME + "-wal", DB_NAME + "-shm"):
            (staging / leftover).unlink(missing_ok=True)
        crash_point("restore:verified")
        install.install(data_dir, staging, aside)
        return aside
    except OSError as exc:
        raise os_error_to_vault_error(exc) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _unpack_and_verify(source: Path, passphrase: str, staging: Path) -> int:
    """Unpack key header and database into *staging*, open them with *passphrase*
    and check them; returns the number of clients in the backup."""
    with tarfile.open(source, mode="r:") as tar:
        for name in (HEADER_NAME, DB_NAME):
            src = tar.extractfile(name)
            assert src is not None
            fd = os.open(staging / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
                out.flush()
                os.fsync(out.fileno())
    crash_point("restore:unpacked")
    header = header_file.parse((staging / HEADER_NAME).read_bytes())
    trial = Vault(staging)
    # Nothing is written into the staged copy: its header and database
    # belong together exactly as they were when the backup was made.
    trial.unlock(passphrase, run_migrations=False, advance_generation=False)
    try:
        _verify_db(trial.db_path, trial.key_hex(), header.vault_id)
        conn = connect(trial.db_path, trial.key_hex())
        try:
            return int(conn.execute("SELECT count(*) FROM client").fetchone()[0])
        finally:
            conn.close()
    finally:
        trial.lock()


def _verify_db(path: Path, key_hex: str, vault_id: str) -> None:
    conn = connect(path, key_hex)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA cipher_integrity_check")]
        quick = conn.execute("PRAGMA quick_check").fetchone()[0]
        stored_id = conn.execute("SELECT value FROM vault_meta WHERE key='vault_id'").fetchone()
    finally:
        conn.close()
    if problems or quick != "ok" or not stored_id or stored_id[0] != vault_id:
        raise BackupError("De kopie van de database is niet in orde; er is niets veranderd.")


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(datetime.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _read_member(tar: tarfile.TarFile, member: tarfile.TarInfo, limit: int) -> bytes:
    if member.size > limit:
        raise BackupError("Dit is geen brugdesk-back-up (een onderdeel is te groot).")
    src = tar.extractfile(member)
    assert src is not None
    return src.read()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
