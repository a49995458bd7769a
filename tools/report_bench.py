"""Time the yearly "Resultaten" report over a synthetic caseload (not a test).

``python -m tools.report_bench [--clients 2000] [--contacts 60000] [--pdf out.pdf]``
prints the seconds for build_report, the PDF and the CSV. Target: a year over 2,000
clients and 60,000 contacts in under 1 s, PDF included.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from brugdesk.documents import report_csv, report_pdf
from brugdesk.domain.contact_rules import KINDS
from brugdesk.domain.report_rules import (
    ClientFacts,
    ContactFacts,
    DomainScoreFacts,
    GpLetterFacts,
    MeasureFacts,
    Period,
    ReferralFacts,
    ReportInput,
    build_report,
    labels,
)

YEAR = 2025


def synthetic(clients: int, contacts: int, seed: int = 7) -> ReportInput:
    rnd = random.Random(seed)
    lab = labels()
    themes = list(lab.themes)
    closures = [c for c in lab.closure if c]
    kinds = [k for k in lab.referrer_kinds if k]
    domains = list(lab.domains)
    start = date(YEAR - 1, 1, 1)
    cl = []
    for i in range(clients):
        ref = rnd.randrange(12)
        registered = start + timedelta(rnd.randrange(700))
        closed = registered + timedelta(rnd.randrange(30, 400)) if rnd.random() < 0.5 else None
        cl.append(
            ClientFacts(
                client_id=i,
                referrer_id=ref,
                referrer=f"Huisartsenpraktijk De Linde {ref}",
                referrer_kind=kinds[ref % len(kinds)],
                referred_on=registered - timedelta(rnd.randrange(5)),
                registered_on=registered,
                first_contact=datetime.combine(registered, datetime.min.time())
                + timedelta(days=rnd.randrange(30), hours=10),
                status="afgesloten" if closed else "actief",
                closed_on=closed,
                closure_code=rnd.choice(closures) if closed else "",
                date_of_birth=date(1940 + rnd.randrange(65), 1 + rnd.randrange(12), 1),
                postal4=str(3500 + rnd.randrange(40)),
                themes=tuple(rnd.sample(themes, rnd.randrange(1, 3))),
                gp_before=rnd.randrange(12) if rnd.random() < 0.6 else None,
                gp_after=rnd.randrange(10) if rnd.random() < 0.6 else None,
                gp_after_months=6,
            )
        )
    co = [
        ContactFacts(
            client_id=rnd.randrange(clients),
            occurred_at=datetime(YEAR, 1, 1, 9) + timedelta(hours=rnd.randrange(365 * 24)),
            kind=rnd.choice(KINDS),
            duration_min=rnd.choice((15, 30, 45, 60, None)),
            travel_minutes=rnd.choice((0, 10, 20, None)),
            travel_km=rnd.choice((0.0, 3.5, 12.0, None)),
        )
        for _ in range(contacts)
    ]
    refs = []
    for i in range(clients // 2):
        sent = datetime(YEAR, 1, 1, 10) + timedelta(days=rnd.randrange(365))
        events = [("concept", sent - timedelta(days=1)), ("verstuurd", sent)]
        if rnd.random() < 0.7:
            events.append(("geaccepteerd", sent + timedelta(days=rnd.randrange(20))))
            if rnd.random() < 0.6:
                events.append(("afgerond", sent + timedelta(days=40)))
        refs.append(
            ReferralFacts(
                client_id=rnd.randrange(clients),
                partner_id=i % 20,
                partner=f"Stichting Welzijn en Participatie Regio Noordoost, team {i % 20}",
                domains=tuple(rnd.sample(domains, 2)),
                events=tuple(events),
                feedback_due=(sent + timedelta(days=30)).date(),
            )
        )
    ms = [
        MeasureFacts(i % clients, inst, date(YEAR, 1, 1) + timedelta(rnd.randrange(365)), score)
        for i in range(clients * 2)
        for inst, score in (
            (("who5", rnd.randrange(0, 101, 4)),)
            if i % 3
            else (("eenzaamheid-djg6", rnd.randrange(7)),)
        )
    ]
    ds = [
        DomainScoreFacts(
            i % clients,
            date(YEAR, 1, 1) + timedelta(rnd.randrange(365)),
            rnd.choice(domains),
            rnd.randrange(1, 6),
        )
        for i in range(clients * 4)
    ]
    gl = [GpLetterFacts(rnd.randrange(clients), datetime(YEAR, 6, 1)) for _ in range(clients // 4)]
    return ReportInput(
        Period.year(YEAR),
        None,
        cl,
        co,
        refs,
        ms,
        ds,
        gl,
        in_words="Mevrouw (78) kwam via de huisarts.\n\nNu gaat ze wekelijks naar de koffieochtend.",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--contacts", type=int, default=60000)
    parser.add_argument("--pdf", type=Path)
    args = parser.parse_args()
    inp = synthetic(args.clients, args.contacts)
    labels()  # the label file is read once per process; not part of the timing
    t0 = time.perf_counter()
    report = build_report(inp)
    t1 = time.perf_counter()
    pdf = report_pdf.render(report, "Welzijn Voorbeeldstad", "J. de Vries")
    t2 = time.perf_counter()
    report_csv.render(report)
    t3 = time.perf_counter()
    print(
        f"report {t1 - t0:.3f} s, pdf {t2 - t1:.3f} s ({len(pdf) // 1024} KiB), "
        f"csv {t3 - t2:.3f} s, total {t3 - t0:.3f} s (target < 1 s)"
    )
    if args.pdf:
        args.pdf.write_bytes(pdf)


if __name__ == "__main__":
    main()
