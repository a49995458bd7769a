"""brugdesk-cli retention: --list shows the closed files past the period, --erase needs --yes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from brugdesk.app.caseload import Caseload
from brugdesk.cli import main
from brugdesk.domain.retention_rules import add_months
from tests.conftest import PASSPHRASE


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRUGDESK_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("BRUGDESK_PASSPHRASE", PASSPHRASE)


def _files(vault_dir: Path) -> tuple[int, int, int]:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    try:
        ids = []
        for given, family, months in (
            ("Bas", "Oud", 25),
            ("Ada", "Jong", 23),
            ("Dirk", "Ouder", 30),
        ):
            cid = cl.clients.create(given_name=given, family_name=family)
            cl.clients.close(cid, reason="klaar", closed_on=add_months(date.today(), -months))
            ids.append(cid)
        return ids[0], ids[1], ids[2]
    finally:
        cl.lock()


def _ids(vault_dir: Path) -> list[int]:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    try:
        return sorted(c.id for c in cl.clients.fetch())
    finally:
        cl.lock()


def test_list_prints_id_name_closing_date_and_months_past(vault_dir: Path, capsys) -> None:
    old, young, older = _files(vault_dir)
    assert main(["retention", "--list", "--data-dir", str(vault_dir)]) == 0
    out = capsys.readouterr().out
    assert "bewaartermijn van 24 maanden (2)" in out
    lines = [line.split("\t") for line in out.splitlines()[1:]]
    closed = add_months(date.today(), -30).isoformat()
    assert lines[0] == [
        f"  {older}",
        "Dirk Ouder",
        f"afgesloten {closed}",
        "6 maanden over de termijn",
    ]
    assert lines[1][:2] == [f"  {old}", "Bas Oud"] and lines[1][3] == "1 maand over de termijn"
    assert "Jong" not in out
    assert _ids(vault_dir) == sorted([old, young, older])  # listing erases nothing


def test_erase_without_yes_refuses_and_says_what_it_would_erase(vault_dir: Path, capsys) -> None:
    old, young, older = _files(vault_dir)
    assert main(["retention", "--erase", "--data-dir", str(vault_dir)]) == 2
    captured = capsys.readouterr()
    assert "Bas Oud" in captured.out and "Dirk Ouder" in captured.out
    assert "niets verwijderd" in captured.err and "--erase --yes" in captured.err
    assert _ids(vault_dir) == sorted([old, young, older])


def test_erase_with_yes_erases_the_expired_only(vault_dir: Path, capsys) -> None:
    old, young, older = _files(vault_dir)
    assert main(["retention", "--erase", "--yes", "--data-dir", str(vault_dir)]) == 0
    assert "2 dossiers definitief verwijderd" in capsys.readouterr().out
    assert _ids(vault_dir) == [young]
    cl = Caseload.open(vault_dir, PASSPHRASE)
    try:
        rows = [r for r in cl.audit.fetch() if r.action == "delete"]
    finally:
        cl.lock()
    assert sorted(r.client_id for r in rows) == sorted([old, older])
    assert all(r.details == {"reason": "bewaartermijn"} for r in rows)
    assert main(["retention", "--list", "--data-dir", str(vault_dir)]) == 0
    assert "Geen afgesloten dossiers" in capsys.readouterr().out


def test_neither_list_nor_erase_is_a_usage_error(vault_dir: Path, capsys) -> None:
    assert main(["retention", "--data-dir", str(vault_dir)]) == 2
    assert "--list" in capsys.readouterr().err
