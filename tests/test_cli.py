"""brugdesk-cli as a new user meets it: exit codes and one-line Dutch messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from brugdesk.app.caseload import Caseload
from brugdesk.cli import main
from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def pwfile(tmp_path: Path) -> Path:
    path = tmp_path / "pw.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRUGDESK_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.delenv("BRUGDESK_PASSPHRASE", raising=False)


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "brugdesk.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_init_prints_recovery_key_once(tmp_path: Path, pwfile: Path) -> None:
    data = tmp_path / "kluis"
    result = run("init", "--data-dir", str(data), "--passphrase-file", str(pwfile))
    assert result.returncode == 0, result.stderr
    key = result.stdout.split("HERSTELSLEUTEL")[1].split()[5]
    assert len(key.split("-")) == 8
    again = run("init", "--data-dir", str(data), "--passphrase-file", str(pwfile))
    assert again.returncode == 1
    assert again.stderr.count("\n") == 1 and "al een brugdesk-kluis" in again.stderr
    check = run("check", "--data-dir", str(data), env={"BRUGDESK_PASSPHRASE": PASSPHRASE})
    assert check.returncode == 0 and "Oordeel: de kluis is in orde." in check.stdout


def test_user_errors_are_one_line_without_traceback(vault_dir: Path, tmp_path: Path) -> None:
    cases = [
        (["check", "--data-dir", str(vault_dir)], {"BRUGDESK_PASSPHRASE": "fout wachtwoord!"}, 1),
        (["check", "--data-dir", str(vault_dir)], {}, 2),  # no tty, no passphrase
        (["check", "--data-dir", str(tmp_path / "niets")], {"BRUGDESK_PASSPHRASE": "x"}, 1),
        (["init", "--data-dir", str(tmp_path / "n")], {"BRUGDESK_PASSPHRASE": "kort"}, 1),
        (["check", "--data-dir", str(vault_dir), "--passphrase-file", "/weg"], {}, 2),
    ]
    for args, env, code in cases:
        result = run(*args, env=env)
        assert result.returncode == code, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("brugdesk: ") and result.stderr.count("\n") == 1


def test_import_backup_restore_demo_in_process(
    vault_dir: Path, tmp_path: Path, pwfile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--data-dir", str(vault_dir), "--passphrase-file", str(pwfile)]
    bad = tmp_path / "fout.csv"
    bad.write_text("voornaam;achternaam\n;Leeg\nGoed;Mens\n", encoding="utf-8")
    assert main(["import-clients", str(bad), *common]) == 1
    err = capsys.readouterr().err
    assert "niets geïmporteerd" in err and "regel 2" in err
    good = tmp_path / "goed.csv"
    good.write_text("voornaam;achternaam\nAyşe;Kaya\nGoed;Mens\n", encoding="utf-8")
    assert main(["import-clients", str(good), *common]) == 0
    assert "2 cliënt(en)" in capsys.readouterr().out

    backup = tmp_path / "b.brugdesk"
    assert main(["backup", str(backup), *common]) == 0
    assert main(["backup", str(backup), *common]) == 2  # refuses to overwrite
    cl = Caseload.open(vault_dir, PASSPHRASE)
    assert "backup" in [a.action for a in cl.audit.fetch()]
    cl.lock()
    assert main(["restore", str(backup), *common]) == 1  # refuses an existing vault
    capsys.readouterr()
    assert main(["restore", str(backup), *common, "--force"]) == 0
    assert "De vorige kluis staat ongewijzigd in" in capsys.readouterr().out
    assert main(["demo", *common]) == 2  # not into a vault with clients

    demo_dir = tmp_path / "demo"
    demo = ["demo", "--data-dir", str(demo_dir), "--passphrase-file", str(pwfile)]
    assert main([*demo, "--clients", "12", "--notes-per-client", "3", "--seed", "4"]) == 0
    cl = Caseload.open(demo_dir, PASSPHRASE)
    try:
        rows = cl.clients.fetch()
        assert len(rows) == 12
        assert sum(len(cl.contacts.fetch(r.id)) for r in rows) == 36
        assert cl.partners.fetch()
    finally:
        cl.lock()
    cl = Caseload.open(vault_dir, PASSPHRASE)
    actions = [a.action for a in cl.audit.fetch()]
    cl.lock()
    assert "restore" in actions and "import" in actions


def test_passphrase_change_and_recover(
    tmp_path: Path, pwfile: Path, recovery_key: str, vault_dir: Path
) -> None:
    new = tmp_path / "nieuw.txt"
    new.write_text("een nieuw wachtwoord voor de kluis\n", encoding="utf-8")
    common = ["--data-dir", str(vault_dir)]
    assert (
        main(
            [
                "passphrase",
                *common,
                "--passphrase-file",
                str(pwfile),
                "--new-passphrase-file",
                str(new),
            ]
        )
        == 0
    )
    assert main(["check", *common, "--passphrase-file", str(new)]) == 0
    keyfile = tmp_path / "key.txt"
    keyfile.write_text(recovery_key, encoding="utf-8")
    assert (
        main(
            [
                "recover",
                *common,
                "--recovery-key-file",
                str(keyfile),
                "--new-passphrase-file",
                str(pwfile),
            ]
        )
        == 0
    )
    assert main(["check", *common, "--passphrase-file", str(pwfile)]) == 0
    keyfile.write_text("111111-222222", encoding="utf-8")
    assert (
        main(
            [
                "recover",
                *common,
                "--recovery-key-file",
                str(keyfile),
                "--new-passphrase-file",
                str(new),
            ]
        )
        == 1
    )


def _vault_audit(data_dir: Path, secret: str) -> list[tuple[str, str, dict]]:
    cl = Caseload.open(data_dir, secret)
    try:
        return [(a.action, a.entity, dict(a.details or {})) for a in cl.audit.fetch()]
    finally:
        cl.lock()


def test_cli_passphrase_change_goes_through_the_facade_and_is_audited(
    tmp_path: Path, pwfile: Path, recovery_key: str, vault_dir: Path
) -> None:
    new_secret = "een nieuw wachtwoord voor de kluis"
    new = tmp_path / "nieuw.txt"
    new.write_text(new_secret + "\n", encoding="utf-8")
    wrong = tmp_path / "fout.txt"
    wrong.write_text("dit is niet het wachtwoord\n", encoding="utf-8")
    common = ["--data-dir", str(vault_dir), "--new-passphrase-file", str(new)]

    # A wrong current passphrase changes nothing and writes no change row.
    assert main(["passphrase", *common, "--passphrase-file", str(wrong)]) == 1
    assert ("change", "vault", {"fields": ["passphrase"]}) not in _vault_audit(
        vault_dir, PASSPHRASE
    )

    assert main(["passphrase", *common, "--passphrase-file", str(pwfile)]) == 0
    trail = _vault_audit(vault_dir, new_secret)
    assert ("change", "vault", {"fields": ["passphrase"]}) in trail

    # Recovery with the key sets a passphrase too, and says so in the trail.
    keyfile = tmp_path / "key.txt"
    keyfile.write_text(recovery_key, encoding="utf-8")
    assert (
        main(
            [
                "recover",
                "--data-dir",
                str(vault_dir),
                "--recovery-key-file",
                str(keyfile),
                "--new-passphrase-file",
                str(pwfile),
            ]
        )
        == 0
    )
    trail = _vault_audit(vault_dir, PASSPHRASE)
    assert ("change", "vault", {"fields": ["passphrase"], "via": "recovery_key"}) in trail


def test_cli_demo_and_restore_are_audited(tmp_path: Path, pwfile: Path, vault_dir: Path) -> None:
    demo_dir = tmp_path / "demo"
    args = ["demo", "--data-dir", str(demo_dir), "--passphrase-file", str(pwfile)]
    assert main([*args, "--clients", "5", "--notes-per-client", "2"]) == 0
    trail = _vault_audit(demo_dir, PASSPHRASE)
    assert ("import", "client", {"source": "demo", "count": 5}) in trail
    assert any(a == "import" and e == "partner" for a, e, _ in trail)

    backup = tmp_path / "b.brugdesk"
    common = ["--data-dir", str(vault_dir), "--passphrase-file", str(pwfile)]
    assert main(["backup", str(backup), *common]) == 0
    assert main(["restore", str(backup), *common, "--force"]) == 0
    trail = _vault_audit(vault_dir, PASSPHRASE)
    assert ("restore", "vault", {"file": "b.brugdesk"}) in trail
