"""The storage benchmark: the same caseload and workload, encrypted and plain.

Prints one JSON object. Targets (the README's benchmark section) on 2,000 clients and
60,000 notes: unlock (without the KDF) to caseload under 150 ms, full-text
search under 30 ms median, dossier with 200 notes under 50 ms, a two-page
referral letter under 250 ms (350 ms with AES-256), and encrypted at most
1.3x plain SQLite on the same queries. The window's own figures are in
tools.gui_bench; tools.bench_report prints the verdict lines.
"""

from __future__ import annotations

import gc
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from brugdesk.app import demo
from brugdesk.app.caseload import Caseload
from brugdesk.storage import header_file, migrate, rekey
from brugdesk.storage import keyheader as kh
from brugdesk.storage.db import make_plain_engine_for_benchmark
from brugdesk.storage.vault import Vault

BENCH_PASSPHRASE = "benchmark passphrase, not a secret"  # noqa: S105
SEARCH_WORDS = [
    "schuld", "huur", "eenza", "deurwaard", "energie", "werk", "vrijwill", "schimmel",
    "rugpijn", "piekert", "DigiD", "mantelzorg", "budget", "wandel", "dochter", "café",
    "aanmaning", "inbraak", "Belasting", "slaapt",
]  # fmt: skip


#: The RFC 9106 floor: benchmark vaults need no calibrated (slow) derivation.
FLOOR_KDF = kh.Argon2Params()


def kdf_ms_for(data_dir: Path) -> float:
    """How long one derivation with *data_dir*'s own Argon2 parameters takes."""
    header = header_file.parse((Path(data_dir) / "vault.json").read_bytes())
    params = header.slots[kh.SLOT_PASSPHRASE].argon2
    assert params is not None
    return kh.time_derivation(params) * 1000


@dataclass
class PlainStore:
    """Stands in for an unlocked Vault so the same services run on plain SQLite."""

    engine: Engine
    failed_unlocks: int = 0


def _timed(func: Callable[[], Any]) -> float:
    start = time.perf_counter()
    func()
    return (time.perf_counter() - start) * 1000


def _repeat(func: Callable[[], Any], n: int) -> list[float]:
    return [_timed(func) for _ in range(n)]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _interleaved(
    enc: Callable[[Any], Any], plain: Callable[[Any], Any], args: list[Any]
) -> tuple[list[float], list[float]]:
    """Time enc(arg) and plain(arg) alternately (order flips each round), so that
    drift on a shared machine affects both sides alike."""
    enc_ms: list[float] = []
    plain_ms: list[float] = []
    for i, arg in enumerate(args):
        if i % 2:
            plain_ms.append(_timed(lambda a=arg: plain(a)))
            enc_ms.append(_timed(lambda a=arg: enc(a)))
        else:
            enc_ms.append(_timed(lambda a=arg: enc(a)))
            plain_ms.append(_timed(lambda a=arg: plain(a)))
    return enc_ms, plain_ms


def _dossier(cl: Caseload) -> None:
    cl.clients.get(1)
    cl.contacts.fetch(1)
    cl.actions.fetch(1)
    cl.referrals.fetch(1)
    cl.assessments.fetch(1)


def workload(enc: Caseload, plain: Caseload, searches: int, seed: int) -> dict[str, dict]:
    """The same operations on both caseloads, interleaved; medians in ms."""
    rng = random.Random(seed)
    queries = [rng.choice(SEARCH_WORDS) for _ in range(searches)]
    figures: dict[str, dict[str, float]] = {"encrypted": {}, "plain": {}}

    def put(name: str, pair: tuple[list[float], list[float]], p95: bool = False) -> None:
        for side, values in zip(("encrypted", "plain"), pair, strict=True):
            figures[side][f"{name}_median_ms" if p95 else f"{name}_ms"] = round(
                statistics.median(values), 2
            )
            if p95:
                figures[side][f"{name}_p95_ms"] = round(_p95(values), 2)

    put(
        "caseload_list",
        _interleaved(
            lambda _: enc.clients.fetch(), lambda _: plain.clients.fetch(), list(range(9))
        ),
    )
    put("search", _interleaved(enc.search.notes, plain.search.notes, queries), p95=True)
    put("client_search", _interleaved(enc.search.clients, plain.search.clients, queries))
    put(
        "dossier_open",
        _interleaved(lambda _: _dossier(enc), lambda _: _dossier(plain), list(range(15))),
    )

    def add_note(cl: Caseload) -> None:
        cl.contacts.add(2, occurred_at=datetime.now(), kind="telefonisch", note="Benchmark.")

    put(
        "insert_note",
        _interleaved(lambda _: add_note(enc), lambda _: add_note(plain), list(range(20))),
    )
    return figures


def _derived_key(data_dir: Path) -> tuple[Vault, kh.Header, bytes]:
    """Do the deliberate Argon2 work up front, so timings show what remains."""
    vault = Vault(data_dir)
    header = vault.read_header()
    slot = header.slots[kh.SLOT_PASSPHRASE]
    assert slot.argon2 is not None
    kek = kh.derive_passphrase_kek(BENCH_PASSPHRASE, slot.salt, slot.argon2)
    db_key = kh.unwrap(header, kh.SLOT_PASSPHRASE, kek)
    assert db_key is not None
    return vault, header, db_key


def _unlocked_without_kdf(data_dir: Path) -> Vault:
    vault, header, db_key = _derived_key(data_dir)
    vault._open(header, db_key)
    return vault


def _open_encrypted(data_dir: Path) -> float:
    """Unlock (minus the KDF) until the caseload list is built, in ms.

    The same queries as the plain side: the generation that an unlock records
    (a durable write of the header and one row, see storage/generation.py) is
    bookkeeping, not encryption, and is left out of this comparison; the GUI
    figure "unlock → caseload painted" includes it.
    """
    vault, header, db_key = _derived_key(data_dir)
    start = time.perf_counter()
    vault._open(header, db_key, advance_generation=False)
    Caseload(vault).clients.fetch()
    elapsed = (time.perf_counter() - start) * 1000
    vault.lock()
    return elapsed


def _open_plain(path: Path) -> float:
    """The same steps on plain SQLite: engine, vault id, schema revision, caseload."""
    start = time.perf_counter()
    engine = make_plain_engine_for_benchmark(path)
    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT value FROM vault_meta").all()
    migrate.current_revision(engine)
    migrate.head_revision()
    Caseload(PlainStore(engine)).clients.fetch()  # type: ignore[arg-type]
    elapsed = (time.perf_counter() - start) * 1000
    engine.dispose()
    return elapsed


def letter_figures(repeats: int = 10) -> dict[str, float]:
    """A two-page referral letter, rendered in memory; plain and with AES-256."""
    import io

    from pypdf import PdfReader

    from brugdesk.app.letters import render_pdf
    from brugdesk.documents import letter_pdf as letters

    reason = " ".join(f"Zin {i} over schulden, huur en de buurt." for i in range(70))
    letter = letters.Letter(
        title="Verwijzing",
        author="Benchmark",
        sender=("Welzijn Oost", "Anouk de Wit"),
        place_date="22 november 2026",
        addressee=("Schuldhulpverlening", "t.a.v. Łukasz Wójcik"),
        subject="Verwijzing",
        salutation="Geachte collega,",
        blocks=(
            letters.Block("Over de cliënt", ("Naam: Şükrü Yılmaz", "Geboortedatum: 12-03-1961")),
            letters.Block("Reden van verwijzing", (reason,)),
        ),
        closing=("Met vriendelijke groet,", "Anouk de Wit"),
    )
    letters.render(letter)  # fonts are registered once per process
    plain_ms, aes_ms = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        pdf = render_pdf(letter)
        plain_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        render_pdf(letter, "benchmark-wachtwoord")  # what a letter draft does with a password
        aes_ms.append((time.perf_counter() - start) * 1000)
    return {
        "pages": len(PdfReader(io.BytesIO(pdf)).pages),
        "letter_ms": round(statistics.median(plain_ms), 1),
        "letter_aes256_ms": round(statistics.median(aes_ms), 1),
    }


def report_figures(cl: Caseload, repeats: int = 5) -> dict[str, float]:
    """The yearly Resultaten report: facts read, figures built, PDF and CSV rendered."""
    from brugdesk.app.report import ReportJob
    from brugdesk.domain.report_rules import Period

    today = date.today()
    period = Period.between(today - timedelta(days=364), today)

    def once() -> None:
        job = ReportJob(cl, period)
        job.pdf()
        job.csv()

    once()  # warm: fonts registered, instruments loaded
    return {"report_year_ms": round(statistics.median(_repeat(once, repeats)), 1)}


def rotation_figures(clients: int = 2000, notes_per_client: int = 30, seed: int = 7) -> dict:
    """Re-encrypting the vault under a new key (a passphrase change minus the KDF), in ms."""
    data = demo.generate(clients, notes_per_client, seed=seed)
    with tempfile.TemporaryDirectory(prefix="brugdesk-rotation-") as tmp:
        vault, _ = Vault.create(Path(tmp) / "v", BENCH_PASSPHRASE, kdf=FLOOR_KDF)
        with vault.engine.begin() as conn:
            demo.write(conn, data)
        header = vault.read_header()
        kek = kh.derive_passphrase_kek(
            BENCH_PASSPHRASE, header.slots[kh.SLOT_PASSPHRASE].salt, FLOOR_KDF
        )

        def build(new_key: bytes) -> kh.Header:
            slot = kh.rewrap(header.vault_id, new_key, kek, header.slots[kh.SLOT_PASSPHRASE])
            return rekey.new_header(vault, header, new_key, slot)

        start = time.perf_counter()
        rekey.rotate(vault, build, None)
        elapsed = (time.perf_counter() - start) * 1000
        size = vault.db_path.stat().st_size
        vault.lock()
    return {"key_rotation_ms": round(elapsed, 1), "key_rotation_db_mb": round(size / 1e6, 1)}


def audit_figures(entries: int = 50_000, reads: int = 50, seed: int = 7) -> dict[str, Any]:
    """The log (NEN 7513): a read logged, and a year of *entries* listed by the index on ``at``.

    Reads are written as one short insert of their own with ``synchronous=NORMAL``
    (services.audit.AuditService.read); an ordinary flushed write is timed beside it.
    """
    from datetime import date, timedelta

    from sqlalchemy import insert

    from brugdesk.services import audit
    from brugdesk.storage.models import AuditEntry

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="brugdesk-audit-") as tmp:
        vault, _ = Vault.create(Path(tmp) / "v", BENCH_PASSPHRASE, kdf=FLOOR_KDF)
        cl = Caseload(vault)
        end = datetime.now().replace(microsecond=0)
        start = end - timedelta(days=365)
        kinds = (("read", "client"), ("change", "contact"), ("create", "contact"))
        rows = []
        for i in range(entries):
            action, entity = rng.choice(kinds)
            cid = rng.randrange(1, 2001)
            at = start + timedelta(seconds=i * 365 * 86400 // entries)
            details = {"view": "dossier"} if action == "read" else {"fields": ["note"]}
            rows.append(
                {"at": at, "action": action, "entity": entity, "entity_id": cid,
                 "client_id": cid, "details": details}
            )  # fmt: skip
        with vault.engine.begin() as conn:
            conn.execute(insert(AuditEntry), rows)
        del rows
        cl.audit.read("client", 1, 1, view="dossier")  # warm up
        read_ms = _repeat(lambda: cl.audit.read("client", 1, 1, view="dossier"), reads)

        def flushed() -> None:
            with cl.transaction() as s:
                audit.record(s, "change", "vault", fields=["bench"])

        flushed_ms = _repeat(flushed, min(reads, 20))
        year = (date.today() - timedelta(days=365), date.today())
        listed = len(cl.audit.entries(*year))
        list_ms = _repeat(lambda: cl.audit.entries(*year), 5)
        client_ms = _repeat(lambda: cl.audit.entries(*year, client_id=7), 5)
        vault.lock()
    return {
        "entries": listed,
        "read_logged_median_ms": round(statistics.median(read_ms), 2),
        "read_logged_p95_ms": round(_p95(read_ms), 2),
        "flushed_write_median_ms": round(statistics.median(flushed_ms), 2),
        "year_listed_ms": round(statistics.median(list_ms), 1),
        "year_one_client_ms": round(statistics.median(client_ms), 1),
    }


def run(
    clients: int = 2000,
    notes: int = 60_000,
    searches: int = 50,
    seed: int = 7,
    workdir: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    say = progress or (lambda _msg: None)
    per_client = max(1, notes // max(clients, 1))
    data = demo.generate(clients, per_client, seed=seed, dossier_notes=min(200, notes))
    with tempfile.TemporaryDirectory(prefix="brugdesk-bench-", dir=workdir) as tmp:
        root = Path(tmp)
        say("sleutelafleiding meten (Argon2id, gekalibreerd)…")
        params = kh.calibrate()
        kdf_ms = kh.time_derivation(params) * 1000

        say(f"versleutelde kluis vullen ({clients} cliënten, {per_client * clients} notities)…")
        vault, _ = Vault.create(root / "encrypted", BENCH_PASSPHRASE, kdf=kh.Argon2Params())
        with vault.engine.begin() as conn:
            demo.write(conn, data)
        vault.lock()

        say("gewone SQLite-database vullen…")
        plain_path = root / "plain.db"
        engine = make_plain_engine_for_benchmark(plain_path)
        migrate.upgrade(engine)
        with engine.begin() as conn:
            demo.write(conn, data)
        engine.dispose()
        del data
        gc.collect()

        say("opwarmen (Python-caches, zodat de eerste meting niet oneerlijk is)…")
        _open_plain(plain_path)
        _open_encrypted(root / "encrypted")

        say("openen tot en met de caseloadlijst, afwisselend versleuteld en gewoon…")
        # These helpers time themselves (the KDF is excluded), so no _timed().
        open_enc: list[float] = []
        open_plain: list[float] = []
        for _ in range(9):
            open_enc.append(_open_encrypted(root / "encrypted"))
            open_plain.append(_open_plain(plain_path))

        say("dezelfde werklast op beide, afwisselend…")
        vault = _unlocked_without_kdf(root / "encrypted")
        engine = make_plain_engine_for_benchmark(plain_path)
        plain_cl = Caseload(PlainStore(engine))  # type: ignore[arg-type]
        figures = workload(Caseload(vault), plain_cl, searches, seed)
        say("jaarrapport Resultaten (lezen, cijfers, PDF en CSV)…")
        report = report_figures(Caseload(vault))
        vault.lock()
        engine.dispose()

    encrypted = {"open_ms": round(statistics.median(open_enc), 2), **figures["encrypted"]}
    plain = {"open_ms": round(statistics.median(open_plain), 2), **figures["plain"]}
    ratio = {k: round(encrypted[k] / plain[k], 2) if plain[k] else None for k in encrypted}
    return {
        "clients": clients,
        "notes": per_client * clients,
        "searches": searches,
        "kdf": {
            "memory_kib": params.memory_kib,
            "iterations": params.iterations,
            "lanes": params.lanes,
            "ms": round(kdf_ms, 1),
        },
        "encrypted": encrypted,
        "plain": plain,
        "ratio_encrypted_over_plain": ratio,
        "referral_letter": letter_figures(),
        "key_rotation": rotation_figures(clients, per_client, seed),
        "report": report,
        "audit_log": audit_figures(seed=seed),
        "targets_ms": {
            "read_logged": 5,
            "year_of_log_listed": 200,
            "letter_2_pages": 250,
            "letter_2_pages_aes256": 350,
            "unlock_to_caseload": 150,
            "search_median": 30,
            "dossier_open": 50,
            "ratio_max": 1.3,
        },
    }


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json
    import sys

    parser = argparse.ArgumentParser(description="Opslag-benchmark van brugdesk")
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--notes", type=int, default=60_000)
    parser.add_argument("--searches", type=int, default=50)
    parser.add_argument("--out", metavar="BESTAND", help="schrijf de JSON ook naar BESTAND")
    args = parser.parse_args(argv)

    def say(message: str) -> None:
        print(message, file=sys.stderr)

    result = run(clients=args.clients, notes=args.notes, searches=args.searches, progress=say)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
