"""Shared fixtures: real encrypted vaults in tmp_path, never mocks.

Creating a vault costs one Argon2 derivation, so one template vault is made
per session (at the RFC 9106 floor, not calibrated) and copied per test.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from brugdesk.app.caseload import Caseload
from brugdesk.storage.keyheader import Argon2Params

PASSPHRASE = "mijn fiets staat altijd bij de bakker"
FAST_KDF = Argon2Params()  # the floor: 64 MiB, t=3, p=4


@pytest.fixture(scope="session")
def template_vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data_dir = tmp_path_factory.mktemp("template") / "data"
    caseload, recovery_key = Caseload.create(data_dir, PASSPHRASE, kdf=FAST_KDF)
    caseload.lock()
    return data_dir, recovery_key


@pytest.fixture
def vault_dir(tmp_path: Path, template_vault: tuple[Path, str]) -> Path:
    target = tmp_path / "data"
    shutil.copytree(template_vault[0], target)
    return target


@pytest.fixture
def recovery_key(template_vault: tuple[Path, str]) -> str:
    return template_vault[1]


@pytest.fixture
def caseload(vault_dir: Path):
    cl = Caseload.open(vault_dir, PASSPHRASE)
    yield cl
    cl.lock()
