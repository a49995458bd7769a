"""The package carries everything it reads: resources, fonts, migrations, one version.

``make dist-check`` proves it with a real wheel in a fresh venv (slow, not in
``make test``); these tests keep the same smoke job and the package-data list
from rotting in between.
"""

from __future__ import annotations

import importlib.metadata
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import brugdesk
from brugdesk.app.letters import render_pdf
from brugdesk.documents import letter_pdf
from brugdesk.domain import instruments
from brugdesk.errors import BrugdeskError
from brugdesk.paths import resource_file, resources
from brugdesk.storage import migrate
from tools import smoke

REPO = Path(__file__).resolve().parent.parent
PACKAGE = Path(brugdesk.__file__).resolve().parent


def _package_data() -> dict[str, list[str]]:
    with (REPO / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["tool"]["setuptools"]["package-data"]


def _shipped(package: str) -> set[Path]:
    """Files a wheel gets for *package*: its modules plus the package-data globs."""
    root = PACKAGE.parent / package.replace(".", "/")
    found = {p for pattern in _package_data().get(package, []) for p in root.glob(pattern)}
    for init in root.rglob("__init__.py"):
        found |= set(init.parent.glob("*.py"))
    return {p for p in found if p.is_file()}


@pytest.mark.parametrize("package", ["brugdesk.resources", "brugdesk.storage.migrations"])
def test_every_data_file_is_declared_in_package_data(package: str) -> None:
    # A font, instrument or revision added without a matching pattern would be
    # missing from the wheel: the app then has no instruments or cannot write letters.
    root = PACKAGE.parent / package.replace(".", "/")
    on_disk = {p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    shipped = _shipped(package) | _shipped("brugdesk.storage")
    missing = sorted(str(p.relative_to(root)) for p in on_disk - shipped)
    assert missing == []
    assert len(on_disk) >= 4


def test_the_patterns_name_the_fonts_instruments_and_revisions() -> None:
    shipped = {p.relative_to(PACKAGE).as_posix() for p in _shipped("brugdesk.resources")}
    assert {
        "resources/dutch_words.txt",
        "resources/fonts/DejaVuSans.ttf",
        "resources/fonts/DejaVuSans-Bold.ttf",
        "resources/fonts/LICENSE-DejaVu.txt",
        "resources/instruments/leefgebieden.toml",
        "resources/instruments/eenzaamheid-djg6.toml",
    } <= shipped
    revisions = {p.name for p in _shipped("brugdesk.storage") if p.parent.name == "versions"}
    assert {p.name for p in (migrate.migrations_dir() / "versions").glob("*.py")} == revisions


def test_resources_live_inside_the_package_not_the_checkout() -> None:
    assert not [p for p in (REPO / "resources").rglob("*") if p.is_file()]
    root = Path(str(resources()))
    assert root.is_relative_to(PACKAGE)
    assert {f.name for f in instruments.instrument_files()} >= {
        "leefgebieden.toml",
        "eenzaamheid-djg6.toml",
    }
    with resource_file("fonts", "DejaVuSans.ttf") as font:
        assert font.is_file() and font.read_bytes()[:4] == b"\x00\x01\x00\x00"
    assert migrate.migrations_dir().is_relative_to(PACKAGE)
    assert (migrate.migrations_dir() / "env.py").is_file()


def test_version_is_kept_in_one_place() -> None:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'version = { attr = "brugdesk.__version__" }' in text
    assert "\nversion =" not in text.split("[tool.setuptools.dynamic]")[0]
    assert importlib.metadata.version("brugdesk") == brugdesk.__version__


def test_smoke_job_runs_in_process(tmp_path: Path) -> None:
    said: list[str] = []
    smoke.run(tmp_path, say=said.append)
    assert said[0].startswith("instruments: ") and "leefgebieden v1" in said[0]
    assert said[1] == f"vault created, schema {migrate.head_revision()}"
    assert said[2].startswith("letter: ") and "AES-encrypted" in said[2]
    assert said[3].startswith("preview: 1 page(s)")
    assert said[-1] == "vault locked and reopened"
    assert (tmp_path / "verwijzing.pdf").is_file()


def test_smoke_job_fails_without_instruments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a wheel without its instruments would do: the smoke job says so.
    empty = tmp_path / "leeg"
    (empty / "instruments").mkdir(parents=True)
    monkeypatch.setattr(instruments, "resources", lambda: empty)
    with pytest.raises(AssertionError, match="instruments missing"):
        smoke.run(tmp_path)


def test_a_missing_font_is_named_not_blamed_on_the_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An installation without its fonts: the worker is told to reinstall, nothing is written.
    @contextmanager
    def missing(*parts: str) -> Iterator[Path]:
        yield tmp_path / parts[-1]

    monkeypatch.setattr(letter_pdf.pdfmetrics, "getRegisteredFontNames", lambda: [])
    monkeypatch.setattr(letter_pdf, "resource_file", missing)
    letter = letter_pdf.Letter(
        title="Verwijzing",
        author="Anouk de Wit",
        sender=("Welzijn Oost",),
        place_date="Utrecht, 1 maart 2026",
        addressee=("Schuldhulpverlening",),
        subject="Verwijzing",
        salutation="Beste collega,",
        blocks=(),
        closing=("Met vriendelijke groet,",),
    )
    with pytest.raises(BrugdeskError) as caught:
        render_pdf(letter)
    assert caught.value.message == (
        "Het lettertype voor brieven (DejaVuSans.ttf) ontbreekt in deze installatie van "
        "brugdesk. Er is niets opgeslagen. Installeer brugdesk opnieuw."
    )


def test_smoke_refuses_a_package_from_the_checkout() -> None:
    # Run from the checkout (editable install), --expect-installed must fail.
    with pytest.raises(SystemExit, match="not from"):
        smoke.check_installed()
