"""Smoke job for an installed brugdesk: does the package carry everything it reads?

``make dist-check`` copies this file into a temporary directory and runs it with
the Python of a fresh virtual environment that has only the built wheel (and
its dependencies) installed, so nothing from the checkout can be picked up.
``tests/test_package.py`` runs :func:`run` in-process, so it does not rot.

Through the app's own jobs: create a vault (which runs every migration), load
every instrument, render and save a password-protected referral letter (fonts),
read it back with pypdf and render it with pdfium, lock, open again and lock. Prints one line per step and ``OK``.

    python smoke.py [--expect-installed]
"""

from __future__ import annotations

import argparse
import io
import sys
import sysconfig
import tempfile
from datetime import date
from pathlib import Path

PASSPHRASE = "rooktest voor een schone installatie van brugdesk"  # noqa: S105 - a throwaway vault
PASSWORD = "abcd-efgh-jkmn-pqrs-tuvw"  # noqa: S105 - a throwaway letter
NAME = "Şükrü Yılmaz"


def check_installed() -> Path:
    """The package must come from site-packages, not from a checkout."""
    import brugdesk

    where = Path(brugdesk.__file__).resolve().parent
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    if not where.is_relative_to(site):
        raise SystemExit(f"brugdesk comes from {where}, not from {site}")
    return where


def run(workdir: Path, say=print) -> None:
    """The whole smoke job inside *workdir*; raises on the first thing that fails."""
    import pypdfium2 as pdfium
    from pypdf import PdfReader

    from brugdesk.app.caseload import Caseload
    from brugdesk.app.referral_letter import ReferralLetterDraft
    from brugdesk.domain import instruments
    from brugdesk.storage import migrate
    from brugdesk.storage.keyheader import Argon2Params

    files = instruments.instrument_files()
    loaded = [instruments.load_file(f) for f in files]
    names = {f.name for f in files}
    if not {"leefgebieden.toml", "eenzaamheid-djg6.toml", "welbevinden-who5.toml"} <= names:
        raise AssertionError(f"instruments missing: found only {sorted(names)}")
    say(f"instruments: {', '.join(f'{i.id} v{i.version}' for i in loaded)}")

    data_dir = workdir / "data"
    caseload, _recovery = Caseload.create(data_dir, PASSPHRASE, kdf=Argon2Params())
    try:
        say(f"vault created, schema {migrate.head_revision()}")
        caseload.settings.update(worker_name="Anouk de Wit", organisation="Welzijn Oost")
        cid = caseload.clients.create(
            given_name="Şükrü", family_name="Yılmaz", date_of_birth="12-03-1961"
        )
        pid = caseload.partners.add(organisation="Schuldhulpverlening")
        draft = ReferralLetterDraft(caseload, cid)
        draft.choose(
            partner_id=pid,
            reason="Huurachterstand",
            request="Graag een intake",
            consent_how="mondeling",
            password=PASSWORD,
        )
        dest = workdir / "verwijzing.pdf"
        result = draft.save(dest)
        reader = PdfReader(io.BytesIO(dest.read_bytes()))
        if not reader.is_encrypted or not reader.decrypt(PASSWORD):
            raise AssertionError("the letter is not encrypted with its password")
        if reader.trailer["/Encrypt"].get_object().get("/V") != 5:  # AES-256
            raise AssertionError("the letter is not encrypted with AES-256")
        text = "\n".join(p.extract_text() for p in reader.pages)
        if NAME not in text:
            raise AssertionError(f"the letter does not say {NAME}")
        fonts = {
            str(f.get_object().get("/BaseFont", ""))
            for page in reader.pages
            for f in page["/Resources"]["/Font"].values()
        }
        if not any("DejaVuSans" in f for f in fonts):
            raise AssertionError(f"the bundled font is not embedded: {sorted(fonts)}")
        say(f"letter: {dest.stat().st_size} bytes, AES-encrypted, sha256 {result.sha256[:12]}…")
        # The preview's renderer (pdfium, a native library) opens it with the password.
        document = pdfium.PdfDocument(dest.read_bytes(), password=PASSWORD)
        try:
            bitmap = document[0].render(scale=0.5)
            say(f"preview: {len(document)} page(s), first {bitmap.width}×{bitmap.height} px")
        finally:
            document.close()
        # The pick lists ship too, and the Resultaten report renders from them.
        from brugdesk.app.report import ReportJob
        from brugdesk.domain import pick_lists
        from brugdesk.domain.report_rules import Period

        say(f"pick lists: {len(pick_lists.themes())} themes, {len(pick_lists.channels())} channels")
        job = ReportJob(caseload, Period.year(date.today().year))
        report_pdf = job.pdf()
        if "Bereik" not in PdfReader(io.BytesIO(report_pdf)).pages[0].extract_text():
            raise AssertionError("the Resultaten report does not render")
        say(f"report: {len(report_pdf)} bytes")
    finally:
        caseload.lock()
    again = Caseload.open(data_dir, PASSPHRASE)
    try:
        if [c.id for c in again.clients.fetch()] != [cid]:
            raise AssertionError("the client is not there after reopening")
    finally:
        again.lock()
    say("vault locked and reopened")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--expect-installed",
        action="store_true",
        help="fail unless brugdesk is imported from site-packages",
    )
    args = parser.parse_args(argv)
    if args.expect_installed:
        print(f"brugdesk from {check_installed()}")
    with tempfile.TemporaryDirectory(prefix="brugdesk-smoke-") as tmp:
        run(Path(tmp))
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
