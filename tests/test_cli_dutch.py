"""brugdesk-cli speaks Dutch in argparse's own parts: usage, help and usage errors."""

from __future__ import annotations

import argparse

import pytest

from brugdesk import cli

ENGLISH = (
    "usage:",
    "positional arguments",
    "options:",
    "show this help",
    "error:",
    "required",
    "invalid choice",
    "unrecognized",
    "expected one argument",
    "invalid int value",
)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        cli.main(list(argv))
    out, err = capsys.readouterr()
    for english in ENGLISH:
        assert english not in out + err, (english, out + err)
    return int(info.value.code or 0), out, err


def test_help_is_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--help")
    assert code == 0
    assert out.startswith("gebruik: brugdesk-cli")
    assert "\nopties:\n" in out and "toon deze hulp en stop" in out
    assert "toon het versienummer en stop" in out and "OPDRACHT" in out
    code, out, _ = _run(capsys, "backup", "--help")
    assert code == 0
    assert "gebruik: brugdesk-cli backup" in out and "\nargumenten:\n  BESTAND" in out
    code, out, _ = _run(capsys, "demo", "--help")
    assert "--clients AANTAL" in out and "--data-dir MAP" in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], "brugdesk-cli: fout: de volgende argumenten ontbreken: OPDRACHT"),
        (["back-up"], "OPDRACHT: onbekende keuze 'back-up' (kies uit 'init',"),
        (["check", "--extra", "x"], "brugdesk-cli: fout: onbekende argumenten: --extra x"),
        (["backup"], "brugdesk-cli backup: fout: de volgende argumenten ontbreken: BESTAND"),
        (["check", "--passphrase-file"], "--passphrase-file: hier hoort één waarde achter"),
        (["demo", "--clients", "veel"], "--clients: 'veel' is geen geheel getal"),
        (["demo", "--clients", "0"], "--clients: moet minstens 1 zijn"),
        (["demo", "--seed", "x"], "--seed: 'x' is geen geheel getal"),
    ],
)
def test_usage_errors_are_dutch_with_exit_code_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("gebruik: brugdesk-cli")
    assert expected in err, err


def test_argparse_is_english_again_outside_the_cli() -> None:
    cli.build_parser().format_help()
    parser = argparse.ArgumentParser(prog="ander")
    assert parser.format_usage().startswith("usage: ander")
    assert "show this help message and exit" in parser.format_help()


def test_weak_new_passphrase_is_refused_with_a_reason(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("BRUGDESK_PASSPHRASE", "Welkom01Welkom01")
    monkeypatch.setenv("BRUGDESK_LOG_DIR", str(tmp_path / "logs"))
    code = cli.main(["init", "--data-dir", str(tmp_path / "kluis")])
    err = capsys.readouterr().err
    assert code == 1
    assert "te zwak" in err and "vier of meer losse woorden" in err
    assert not (tmp_path / "kluis" / "vault.json").exists()


def test_passphrase_change_knows_the_workers_own_name(vault_dir, tmp_path, monkeypatch, capsys):
    from brugdesk.app.caseload import Caseload
    from tests.conftest import PASSPHRASE

    cl = Caseload.open(vault_dir, PASSPHRASE)
    cl.settings.update(worker_name="Anouk de Wit", organisation="Welzijn Oost")
    cl.lock()
    new = tmp_path / "nieuw.txt"
    new.write_text("welzijnoostanouk\n", encoding="utf-8")  # strong for a stranger
    monkeypatch.setenv("BRUGDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("BRUGDESK_LOG_DIR", str(tmp_path / "logs"))
    argv = ["passphrase", "--data-dir", str(vault_dir), "--new-passphrase-file", str(new)]
    assert cli.main(argv) == 1
    assert "Uw eigen naam of organisatie" in capsys.readouterr().err
    Caseload.open(vault_dir, PASSPHRASE).lock()  # unchanged


def test_import_names_the_dutch_column(tmp_path, monkeypatch, capsys) -> None:
    bad = tmp_path / "caseload.csv"
    bad.write_text("voornaam;achternaam;geboortedatum\nAyşe;Kaya;31-02-1961\n", encoding="utf-8")
    monkeypatch.setenv("BRUGDESK_LOG_DIR", str(tmp_path / "logs"))
    assert cli.main(["import-clients", "--data-dir", str(tmp_path / "kluis"), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "regel 2: Geboortedatum is geen geldige datum" in err
    assert "(kolom 'geboortedatum')" in err and "date_of_birth" not in err
