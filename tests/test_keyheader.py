"""Tampered or absurd key headers are rejected before any expensive work."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from brugdesk.errors import UnsupportedVaultVersion, VaultDamaged, WrongPassphrase
from brugdesk.storage import header_file, recovery
from brugdesk.storage import keyheader as kh
from brugdesk.storage.vault import Vault
from tests.conftest import PASSPHRASE


def _edit(vault_dir: Path, change) -> None:
    path = vault_dir / "vault.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def _slot(data: dict, name: str) -> dict:
    return next(s for s in data["slots"] if s["name"] == name)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("memory_kib", 64 * 1024 * 1024),  # 64 GiB
        ("memory_kib", 1024),  # below the floor
        ("iterations", 10_000),
        ("iterations", 1),
        ("lanes", 1),
        ("lanes", 1000),
        ("iterations", "3"),
        ("memory_kib", True),
    ],
)
def test_absurd_kdf_parameters_rejected_fast(vault_dir: Path, field: str, value) -> None:
    _edit(vault_dir, lambda d: _slot(d, "passphrase").__setitem__(field, value))
    start = time.perf_counter()
    with pytest.raises(VaultDamaged) as info:
        Vault(vault_dir).unlock(PASSPHRASE)
    assert time.perf_counter() - start < 0.1  # no derivation was attempted
    assert "vault.json" in info.value.message


@pytest.mark.parametrize(
    "change",
    [
        lambda d: _slot(d, "passphrase").__setitem__("salt", "AAAA"),
        lambda d: _slot(d, "passphrase").__setitem__("salt", "not base64!"),
        lambda d: d.__setitem__("vault_id", "xyz"),
        lambda d: d.__setitem__("format", "keepass"),
        lambda d: d.__setitem__("slots", []),
        lambda d: d.__setitem__("slots", [_slot(d, "passphrase")] * 2),
        lambda d: d.pop("mac"),
        lambda d: _slot(d, "passphrase").__setitem__("kdf", "pbkdf2"),
    ],
)
def test_malformed_headers_rejected(vault_dir: Path, change) -> None:
    _edit(vault_dir, change)
    with pytest.raises(VaultDamaged):
        Vault(vault_dir).unlock(PASSPHRASE)


def test_newer_version_is_named(vault_dir: Path) -> None:
    _edit(vault_dir, lambda d: d.__setitem__("version", 2))
    with pytest.raises(UnsupportedVaultVersion) as info:
        Vault(vault_dir).unlock(PASSPHRASE)
    assert "nieuwere versie" in info.value.message


def test_garbage_and_huge_headers(vault_dir: Path) -> None:
    path = vault_dir / "vault.json"
    for blob in [
        b"",
        b"\xff\xfe garbage",
        b"[]",
        b"{" * 10,
        b" " * (2 * header_file.MAX_HEADER_BYTES),
    ]:
        path.write_bytes(blob)
        with pytest.raises(VaultDamaged):
            Vault(vault_dir).unlock(PASSPHRASE)


def test_changed_parameters_within_bounds_do_not_open(vault_dir: Path) -> None:
    # Params are bound into the slot's associated data: an edit cannot pass.
    _edit(vault_dir, lambda d: _slot(d, "passphrase").__setitem__("iterations", 4))
    with pytest.raises(WrongPassphrase):
        Vault(vault_dir).unlock(PASSPHRASE)


def test_different_vault_id_does_not_open(vault_dir: Path) -> None:
    _edit(vault_dir, lambda d: d.__setitem__("vault_id", "0" * 32))
    with pytest.raises(WrongPassphrase):
        Vault(vault_dir).unlock(PASSPHRASE)


def test_swapped_slot_does_not_open(vault_dir: Path, recovery_key: str) -> None:
    def swap(d: dict) -> None:
        p, r = _slot(d, "passphrase"), _slot(d, "recovery")
        for key in ("salt", "nonce", "wrapped_key"):
            p[key], r[key] = r[key], p[key]

    _edit(vault_dir, swap)
    with pytest.raises(WrongPassphrase):
        Vault(vault_dir).unlock(PASSPHRASE)
    with pytest.raises(Exception):  # noqa: B017 - either wrong key or damaged, never open
        Vault(vault_dir).unlock_with_recovery(recovery_key, "een nieuw lang wachtwoord")


def test_edit_to_other_slot_is_caught_by_header_mac(vault_dir: Path) -> None:
    # The passphrase slot still opens, but the recovery slot was replaced:
    # the MAC over the whole header notices.
    other = recovery.format_key(recovery.generate())
    raw = recovery.parse_key(other)
    header = header_file.parse((vault_dir / "vault.json").read_bytes())
    fake = kh.make_recovery_slot(header.vault_id, b"\x00" * 32, raw)
    _edit(
        vault_dir,
        lambda d: d["slots"].__setitem__(d["slots"].index(_slot(d, "recovery")), fake.to_json()),
    )
    with pytest.raises(VaultDamaged) as info:
        Vault(vault_dir).unlock(PASSPHRASE)
    assert "gewijzigd" in info.value.message


def test_header_roundtrip(vault_dir: Path) -> None:
    raw = (vault_dir / "vault.json").read_bytes()
    assert header_file.parse(raw).to_bytes() == raw


def test_recovery_key_format() -> None:
    for _ in range(50):
        raw = recovery.generate()
        text = recovery.format_key(raw)
        groups = text.split("-")
        assert len(groups) == 8 and all(len(g) == 6 and int(g) % 11 == 0 for g in groups)
        assert recovery.parse_key(text) == raw
        assert recovery.parse_key(text.replace("-", " ")) == raw
    text = recovery.format_key(bytes(range(16)))
    typo = str((int(text[0]) + 1) % 10) + text[1:]
    from brugdesk.errors import WrongRecoveryKey

    with pytest.raises(WrongRecoveryKey) as info:
        recovery.parse_key(typo)
    assert "Groepje 1" in info.value.message


def test_calibration_never_goes_below_the_floor() -> None:
    params = kh.calibrate()
    params.validate()
    assert params.memory_kib >= 64 * 1024 and params.lanes >= 4 and params.iterations >= 3
