"""brugdesk-cli: the non-visual jobs, through the same core API as the app.

Exit codes: 0 success, 1 a problem the message explains, 2 wrong usage,
130 interrupted. Messages are one Dutch line on stderr; never a traceback
for something a user did.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import stat
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from brugdesk import __version__, logsetup
from brugdesk.app import audit_log, retention, transfers, vault_jobs
from brugdesk.app.caseload import Caseload
from brugdesk.app.inzage import InzageDraft
from brugdesk.app.passphrase_policy import check_passphrase
from brugdesk.app.report import IN_WORDS_MAX, ReportJob
from brugdesk.domain.report_rules import Period
from brugdesk.domain.retention_rules import months_words
from brugdesk.dutch_args import DutchArgumentParser
from brugdesk.errors import BrugdeskError, VaultExists
from brugdesk.paths import default_data_dir

log = logging.getLogger("brugdesk.cli")

ENV_PASSPHRASE = "BRUGDESK_PASSPHRASE"  # noqa: S105 - a variable name
ENV_NEW_PASSPHRASE = "BRUGDESK_NEW_PASSPHRASE"  # noqa: S105


class UsageError(BrugdeskError):
    pass


# --- secrets -------------------------------------------------------------------


MAX_SECRET_FILE_BYTES = 4096  # a passphrase or recovery key is one short line


def _read_secret_file(path: str, what: str) -> str:
    """The first line of a small regular file; never blocks on a FIFO, never reads much.

    Only ``MAX_SECRET_FILE_BYTES + 1`` bytes are ever read, the file must be
    a regular file (``fstat``), and it is opened with ``O_NONBLOCK`` where
    that exists, so a FIFO or a device such as ``/dev/zero`` is refused at once.
    """
    label = f"Het bestand met het {what} ('{path}')"
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        raise UsageError(f"{label} kan niet worden gelezen.") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(f"{label} is geen gewoon bestand; er is niets gelezen.")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        raw = os.read(fd, MAX_SECRET_FILE_BYTES + 1)
    except OSError:
        raise UsageError(f"{label} kan niet worden gelezen.") from None
    finally:
        os.close(fd)
    first, newline, _rest = raw.partition(b"\n")
    if not newline and len(raw) > MAX_SECRET_FILE_BYTES:
        raise UsageError(
            f"{label} is te groot: de eerste regel moet het {what} zijn "
            f"(hoogstens {MAX_SECRET_FILE_BYTES} tekens)."
        )
    try:
        return first.decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        raise UsageError(f"Het bestand met het {what} is geen UTF-8-tekst.") from None


def _prompt(label: str) -> str:
    if not sys.stdin.isatty():
        raise UsageError(
            "Geen wachtwoord opgegeven. Gebruik --passphrase-file BESTAND of de "
            f"omgevingsvariabele {ENV_PASSPHRASE} (bedoeld voor automatisering)."
        )
    return getpass.getpass(label)


def passphrase(args: argparse.Namespace) -> str:
    if args.passphrase_file:
        return _read_secret_file(args.passphrase_file, "wachtwoord")
    if os.environ.get(ENV_PASSPHRASE):
        return os.environ[ENV_PASSPHRASE]
    return _prompt("Wachtwoord: ")


def new_passphrase(
    args: argparse.Namespace, *, file_attr: str, env: str, known: Sequence[str] = ()
) -> str:
    """A new passphrase: from a file, the environment, or typed twice.

    *known* (the worker's name, organisation) is what an attacker tries first."""
    path = getattr(args, file_attr, None)
    if path:
        value = _read_secret_file(path, "nieuwe wachtwoord")
    elif os.environ.get(env):
        value = os.environ[env]
    else:
        value = _prompt("Nieuw wachtwoord (minstens 12 tekens, een zin mag): ")
        check_passphrase(value, known)
        if _prompt("Herhaal het nieuwe wachtwoord: ") != value:
            raise UsageError("De twee wachtwoorden zijn niet gelijk; er is niets veranderd.")
    check_passphrase(value, known)
    return value


# --- commands ------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    if vault_jobs.vault_exists(args.data_dir):
        raise VaultExists()
    secret = new_passphrase(args, file_attr="passphrase_file", env=ENV_PASSPHRASE)
    print("Kluis aanmaken; de sleutelafleiding wordt op deze computer afgesteld…", file=sys.stderr)
    cl, recovery_key = Caseload.create(args.data_dir, secret)
    cl.lock()
    _show_recovery_key(recovery_key, args.data_dir)
    return 0


def _show_recovery_key(recovery_key: str, data_dir: Path) -> None:
    print(f"Kluis aangemaakt in {data_dir}")
    print()
    print("HERSTELSLEUTEL (wordt maar één keer getoond):")
    print()
    print(f"    {recovery_key}")
    print()
    print("Schrijf of print deze sleutel en bewaar hem op een veilige plek, niet bij de laptop.")
    print("Bent u uw wachtwoord kwijt, dan opent alleen deze sleutel de kluis nog.")


def cmd_import(args: argparse.Namespace) -> int:
    plan = transfers.read_clients(Path(args.file))
    if plan.problems:
        print(
            f"Er is niets geïmporteerd: {len(plan.problems)} fout(en) in '{args.file}'. "
            "Verbeter ze en probeer het opnieuw:",
            file=sys.stderr,
        )
        for problem in plan.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    cl = Caseload.open(args.data_dir, passphrase(args))
    try:
        count = transfers.import_clients(cl, plan)
    finally:
        cl.lock()
    print(f"{count} cliënt(en) geïmporteerd.")
    if count < len(plan.clients):
        print(
            f"{len(plan.clients) - count} regel(s) overgeslagen: die cliënt bestaat al "
            "(zelfde naam en geboortedatum)."
        )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    report = vault_jobs.check(args.data_dir, passphrase(args))
    for ok, text in report.findings:
        print(f"[{'ok' if ok else 'FOUT'}] {text}")
    print(report.verdict())
    return 0 if report.ok else 1


def cmd_accept_older(args: argparse.Namespace) -> int:
    cl = Caseload.open(args.data_dir, passphrase(args), accept_older=True)
    older = cl.vault.older_than_expected is not None
    cl.lock()
    if older:
        print(
            "De kluis is geopend met de oudere database; dat staat in het auditlogboek. "
            "Recente wijzigingen die ontbraken, zijn niet teruggekomen. Vanaf nu opent de "
            "kluis weer gewoon."
        )
    else:
        print("De database was niet ouder dan verwacht; er is niets veranderd.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    dest = Path(args.file)
    if dest.exists() and not args.force:
        raise UsageError(f"'{dest}' bestaat al. Kies een andere naam of gebruik --force.")
    cl = Caseload.open(args.data_dir, passphrase(args))
    try:
        cl.write_backup(dest)
    finally:
        cl.lock()
    print(f"Versleutelde back-up geschreven en gecontroleerd: {dest}")
    print("Het wachtwoord van nu opent deze back-up; bewaar hem op een veilige plek.")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    if args.pdf is None and args.csv is None:
        raise UsageError("Geef --pdf BESTAND en/of --csv BESTAND: waar moet het rapport komen?")
    for dest in (args.pdf, args.csv):
        if dest is not None and dest.exists() and not args.force:
            raise UsageError(f"'{dest}' bestaat al. Kies een andere naam of gebruik --force.")
    period = Period.between(args.start, args.end)
    words = ""
    if args.in_words is not None:
        words = _read_text_file(args.in_words, "tekst 'In woorden'")
    cl = Caseload.open(args.data_dir, passphrase(args))
    try:
        job = ReportJob(cl, period, args.referrer)
        job.set_in_words(words)
        job.save(pdf=args.pdf, csv=args.csv)
        report = job.report
    finally:
        cl.lock()
    print(f"Resultaten {report.period.label} ({report.practice}):")
    for dest in (args.pdf, args.csv):
        if dest is not None:
            print(f"  {dest}")
    print("Aantallen van 1 tot 4 staan er als '<5' in; namen en adressen staan er niet in.")
    return 0


def cmd_inzage(args: argparse.Namespace) -> int:
    if args.json is not None and args.json.resolve() == args.pdf.resolve():
        raise UsageError("Geef voor --json een andere bestandsnaam dan voor --pdf.")
    for dest in (args.pdf, args.json):
        if dest is not None and dest.exists() and not args.force:
            raise UsageError(f"'{dest}' bestaat al. Kies een andere naam of gebruik --force.")
    cl = Caseload.open(args.data_dir, passphrase(args))
    try:
        draft = InzageDraft(cl, args.client)
        draft.save(args.pdf, args.json)
    finally:
        cl.lock()
    print("Inzage en afschrift voor de cliënt geschreven:")
    for dest in (args.pdf, args.json):
        if dest is not None:
            print(f"  {dest}")
    print(
        "De bestanden zijn niet met een wachtwoord beveiligd: geef ze alleen aan de cliënt "
        "zelf, bijvoorbeeld op papier of op een eigen USB-stick."
    )
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    if args.csv.exists() and not args.force:
        raise UsageError(f"'{args.csv}' bestaat al. Kies een andere naam of gebruik --force.")
    period = audit_log.LogFilter(args.start, args.end)
    period.check()
    cl = Caseload.open(args.data_dir, passphrase(args))
    try:
        count = audit_log.export_csv(cl, args.csv, period, with_names=False)
    finally:
        cl.lock()
    print(
        f"Logboek van {args.start:%d-%m-%Y} t/m {args.end:%d-%m-%Y}: {count} regels in "
        f"{args.csv} (cliënten als nummer, zonder namen)."
    )
    return 0


def _read_text_file(path: Path, what: str) -> str:
    try:
        with open(path, "rb") as f:
            raw = f.read(IN_WORDS_MAX * 4 + 1)
    except OSError as exc:
        raise UsageError(f"De {what} in '{path}' is niet te lezen ({exc.strerror}).") from None
    if len(raw) > IN_WORDS_MAX * 4:
        raise UsageError(f"De {what} in '{path}' is te lang.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"De {what} in '{path}' is geen UTF-8-tekst.") from None


def cmd_restore(args: argparse.Namespace) -> int:
    aside = vault_jobs.restore(args.data_dir, Path(args.file), passphrase(args), force=args.force)
    print(f"Back-up teruggezet in {args.data_dir}.")
    if aside:
        print(f"De vorige kluis staat ongewijzigd in {aside}.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    if vault_jobs.vault_exists(args.data_dir):
        cl = Caseload.open(args.data_dir, passphrase(args))
        recovery_key = None
    else:
        secret = new_passphrase(args, file_attr="passphrase_file", env=ENV_PASSPHRASE)
        cl, recovery_key = Caseload.create(args.data_dir, secret)
    try:
        count = vault_jobs.fill_with_demo(
            cl, args.clients, args.notes_per_client, seed=args.seed, progress=_progress
        )
        if sys.stderr.isatty():
            print(file=sys.stderr)
    except vault_jobs.VaultNotEmpty as exc:
        raise UsageError(f"{exc.message} Kies een andere map met --data-dir.") from None
    finally:
        cl.lock()
    if recovery_key:
        _show_recovery_key(recovery_key, args.data_dir)
    print(f"Demo-caseload met {count} verzonnen cliënten klaar.")
    return 0


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\rBezig… {100 * done // max(total, 1)}%", end="", file=sys.stderr)


def cmd_passphrase(args: argparse.Namespace) -> int:
    current = passphrase(args)
    cl = Caseload.open(args.data_dir, current)  # a wrong passphrase stops here
    try:
        me = cl.settings.get()
        new = new_passphrase(
            args,
            file_attr="new_passphrase_file",
            env=ENV_NEW_PASSPHRASE,
            known=(me.worker_name, me.organisation),
        )
        cl.change_passphrase(current, new)
    finally:
        cl.lock()
    print(
        "Wachtwoord gewijzigd. De kluis is opnieuw versleuteld: het oude wachtwoord opent "
        "niets meer. Een back-up van vóór deze wijziging opent nog met het oude wachtwoord."
    )
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    if args.recovery_key_file:
        key = _read_secret_file(args.recovery_key_file, "herstelsleutel")
    else:
        key = _prompt("Herstelsleutel (8 groepjes van 6 cijfers): ")
    vault_jobs.verify_recovery_key(args.data_dir, key)
    new = new_passphrase(args, file_attr="new_passphrase_file", env=ENV_NEW_PASSPHRASE)
    vault_jobs.recover(args.data_dir, key, new).lock()
    print("Kluis geopend met de herstelsleutel; het nieuwe wachtwoord is ingesteld.")
    return 0


# --- parser --------------------------------------------------------------------


def cmd_retention(args: argparse.Namespace) -> int:
    if not (args.list or args.erase):
        raise UsageError("Geef --list (laat zien) of --erase --yes (verwijder).")
    cl = Caseload.open(args.data_dir, passphrase(args))
    try:
        months = retention.retention_months(cl)
        files = retention.expired(cl)
        if not files:
            print(f"Geen afgesloten dossiers over de bewaartermijn van {months_words(months)}.")
            return 0
        print(
            f"Afgesloten dossiers over de bewaartermijn van {months_words(months)} ({len(files)}):"
        )
        for f in files:
            print(
                f"  {f.client_id}\t{f.full_name}\tafgesloten {f.closed_on.isoformat()}"
                f"\t{months_words(f.months_past)} over de termijn"
            )
        if not args.erase:
            return 0
        if not args.yes:
            raise UsageError(
                f"Er is niets verwijderd. Deze {len(files)} dossiers zouden definitief worden "
                "verwijderd; herhaal met --erase --yes om dat te doen."
            )
        count = retention.erase_expired(cl, [f.client_id for f in files])
    finally:
        cl.lock()
    files_word = "1 dossier" if count == 1 else f"{count} dossiers"
    print(f"{files_word} definitief verwijderd (reden: bewaartermijn verlopen).")
    return 0


def _integer(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is geen geheel getal") from None


def _positive(value: str) -> int:
    n = _integer(value)
    if n < 1:
        raise argparse.ArgumentTypeError("moet minstens 1 zijn")
    return n


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{value}' is geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2026-01-31"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    parser = DutchArgumentParser(
        prog="brugdesk-cli",
        description="brugdesk zonder venster: kluis aanmaken, importeren, controleren, "
        "back-ups, resultaten en demogegevens.",
    )
    parser.add_argument(
        "--version", action="version", version=f"brugdesk {__version__}",
        help="toon het versienummer en stop",
    )  # fmt: skip
    common = DutchArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", type=Path, default=None, metavar="MAP",
        help=f"map met de kluis (standaard: {default_data_dir()})",
    )  # fmt: skip
    common.add_argument(
        "--passphrase-file", metavar="BESTAND",
        help=f"lees het wachtwoord uit de eerste regel van BESTAND (of zet {ENV_PASSPHRASE})",
    )  # fmt: skip
    sub = parser.add_subparsers(dest="command", required=True, metavar="OPDRACHT")

    def add(name: str, func: Callable[[argparse.Namespace], int], help_: str):
        p = sub.add_parser(name, parents=[common], help=help_, description=help_)
        p.set_defaults(func=func)
        return p

    add("init", cmd_init, "maak een nieuwe versleutelde kluis en toon de herstelsleutel")
    p = add("import-clients", cmd_import, "importeer cliënten uit een CSV-bestand (alles of niets)")
    p.add_argument("file", metavar="BESTAND.csv")
    add("check", cmd_check, "controleer sleutelbestand, versleuteling, database en schema")
    add(
        "accept-older",
        cmd_accept_older,
        "open een database die ouder is dan verwacht toch, met de gegevens die er zijn",
    )
    p = add("backup", cmd_backup, "schrijf een versleutelde, gecontroleerde back-up")
    p.add_argument("file", metavar="BESTAND")
    p.add_argument("--force", action="store_true", help="overschrijf een bestaand bestand")
    p = add(
        "restore",
        cmd_restore,
        "zet een back-up terug (een bestaande kluis alleen met --force, en die gaat opzij)",
    )
    p.add_argument("file", metavar="BESTAND")
    p.add_argument("--force", action="store_true", help="zet een bestaande kluis opzij")
    p = add("demo", cmd_demo, "vul een lege of nieuwe kluis met een verzonnen caseload")
    p.add_argument(
        "--clients", type=_positive, default=40, metavar="AANTAL",
        help="aantal verzonnen cliënten (standaard 40)",
    )  # fmt: skip
    p.add_argument(
        "--notes-per-client", type=_positive, default=8, metavar="AANTAL",
        help="aantal notities per cliënt (standaard 8)",
    )  # fmt: skip
    p.add_argument(
        "--seed", type=_integer, default=1, metavar="GETAL",
        help="startgetal voor het toeval; hetzelfde getal geeft dezelfde caseload",
    )  # fmt: skip
    p = add(
        "report",
        cmd_report,
        "schrijf de Resultaten over een periode als PDF en/of CSV (zonder namen)",
    )
    p.add_argument("--from", dest="start", type=_day, required=True, metavar="JJJJ-MM-DD")
    p.add_argument("--to", dest="end", type=_day, required=True, metavar="JJJJ-MM-DD")
    p.add_argument("--pdf", type=Path, metavar="BESTAND", help="het rapport als PDF")
    p.add_argument("--csv", type=Path, metavar="BESTAND", help="één regel per cijfer, als CSV")
    p.add_argument(
        "--referrer", type=_positive, metavar="ID",
        help="alleen de cliënten van deze verwijzer (het nummer uit de verwijzerslijst)",
    )  # fmt: skip
    p.add_argument(
        "--in-words", type=Path, metavar="BESTAND",
        help="tekst voor 'In woorden' (UTF-8); komt alleen in de PDF",
    )  # fmt: skip
    p.add_argument("--force", action="store_true", help="overschrijf bestaande bestanden")
    p = add(
        "inzage",
        cmd_inzage,
        "schrijf alles wat over één cliënt is vastgelegd als PDF (en JSON) voor de cliënt",
    )
    p.add_argument("--client", type=_positive, required=True, metavar="ID",
                   help="het nummer van de cliënt")  # fmt: skip
    p.add_argument(
        "--pdf", type=Path, required=True, metavar="BESTAND", help="het overzicht als PDF"
    )
    p.add_argument("--json", type=Path, metavar="BESTAND", help="dezelfde gegevens als JSON")
    p.add_argument("--force", action="store_true", help="overschrijf bestaande bestanden")
    p = add(
        "passphrase", cmd_passphrase, "wijzig het wachtwoord (de kluis wordt opnieuw versleuteld)"
    )
    p.add_argument("--new-passphrase-file", metavar="BESTAND")
    p = add("recover", cmd_recover, "open met de herstelsleutel en kies een nieuw wachtwoord")
    p.add_argument("--recovery-key-file", metavar="BESTAND")
    p.add_argument("--new-passphrase-file", metavar="BESTAND")
    p = add(
        "retention",
        cmd_retention,
        "toon of verwijder de afgesloten dossiers die over de bewaartermijn zijn",
    )
    what = p.add_mutually_exclusive_group()
    what.add_argument("--list", action="store_true", help="toon de dossiers (nummer, naam, datum)")
    what.add_argument(
        "--erase", action="store_true", help="verwijder ze definitief (alleen samen met --yes)"
    )
    p.add_argument("--yes", action="store_true", help="bevestig het verwijderen")
    p = add(
        "audit",
        cmd_audit,
        "schrijf het logboek over een periode als CSV voor de privacyfunctionaris "
        "(cliënten als nummer, zonder namen)",
    )
    p.add_argument("--from", dest="start", type=_day, required=True, metavar="JJJJ-MM-DD")
    p.add_argument("--to", dest="end", type=_day, required=True, metavar="JJJJ-MM-DD")
    p.add_argument("--csv", type=Path, required=True, metavar="BESTAND", help="het logboek als CSV")
    p.add_argument("--force", action="store_true", help="overschrijf een bestaand bestand")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.data_dir = (args.data_dir or default_data_dir()).expanduser()
    logsetup.setup()
    try:
        for message in vault_jobs.finish_interrupted_work(args.data_dir):
            print(f"brugdesk: {message}", file=sys.stderr)
        return args.func(args)
    except BrugdeskError as exc:
        print(f"brugdesk: {exc.message}", file=sys.stderr)
        return 2 if isinstance(exc, UsageError) else 1
    except KeyboardInterrupt:
        print("\nbrugdesk: afgebroken; er is niets half opgeslagen.", file=sys.stderr)
        return 130
    except Exception:
        log.exception("unexpected error in %s", args.command)
        print(
            "brugdesk: er ging iets onverwachts mis; er is niets half opgeslagen. "
            f"Details (zonder cliëntgegevens) staan in {logsetup.log_path()}.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
