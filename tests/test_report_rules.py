"""The "Resultaten" figures over a synthetic caseload whose every figure is known by hand."""

from __future__ import annotations

import itertools
import math
import random
from datetime import date, datetime, timedelta

import pytest

from brugdesk.domain.report_rules import (
    OTHER_WIJKEN,
    ClientFacts,
    ContactFacts,
    DomainScoreFacts,
    GpLetterFacts,
    MeasureFacts,
    Period,
    ReferralFacts,
    Report,
    ReportInput,
    build_report,
    labels,
)
from brugdesk.errors import ValidationError

Q1 = Period.quarter(2026, 1)
ZON, OOST = 10, 20
ZON_NAME = "Huisartsenpraktijk Het Zonnetje"
OOST_NAME = "Wijkteam Oost"


def client(cid: int, **kw) -> ClientFacts:
    base = dict(
        client_id=cid,
        referrer_id=None,
        referrer="",
        referrer_kind="",
        referred_on=None,
        registered_on=date(2026, 2, 1),
        first_contact=None,
        status="actief",
        closed_on=None,
        closure_code="",
        date_of_birth=None,
        postal4="",
        themes=(),
        gp_before=None,
        gp_after=None,
        gp_after_months=None,
    )
    base.update(kw)
    return ClientFacts(**base)  # type: ignore[arg-type]


def at(d: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute)


def zon(cid: int, intake: date, wait: int | None, **kw) -> ClientFacts:
    return client(
        cid,
        referrer_id=ZON,
        referrer=ZON_NAME,
        referrer_kind="huisarts",
        referred_on=intake,
        registered_on=intake,
        first_contact=None if wait is None else at(intake + timedelta(wait)),
        date_of_birth=date(1955, 6, 1),
        postal4="3511",
        themes=("eenzaamheid",),
        **kw,
    )


def oost(cid: int, wait: int, **kw) -> ClientFacts:
    kw.setdefault("postal4", "3521")
    intake = date(2026, 2, 10)
    return client(
        cid,
        referrer_id=OOST,
        referrer=OOST_NAME,
        referrer_kind="wijkteam",
        referred_on=intake,
        registered_on=intake,
        first_contact=at(intake + timedelta(wait)),
        date_of_birth=date(1990, 3, 31),  # 36 exactly on the last day
        themes=("eenzaamheid", "geldzorgen", "eenzaamheid"),
        **kw,
    )


def synthetic(practice_id: int | None = None) -> ReportInput:
    feb1 = date(2026, 2, 1)
    gp = {1: (6, 3, 6), 2: (4, 4, 6), 3: (2, 1, 6), 4: (8, 2, 6), 5: (5, 5, None)}
    clients = [
        zon(1, date(2026, 1, 1), 2),  # first day of the period
        zon(2, date(2026, 3, 31), 20),  # last day; first contact after the period
        *(zon(c, feb1, w) for c, w in zip(range(3, 8), (0, 5, 10, 14, 15), strict=True)),
        zon(8, date(2025, 12, 31), 1, gp_before=10, gp_after=0),  # a day before: out
        zon(9, date(2026, 4, 1), 1),  # a day after: out
        oost(
            11, 1, status="afgesloten", closed_on=date(2026, 3, 15), closure_code="doelen-bereikt"
        ),
        oost(
            12, 2, status="afgesloten", closed_on=date(2026, 3, 15), closure_code="doelen-bereikt"
        ),
        oost(13, 3, status="afgesloten", closed_on=date(2026, 3, 31), closure_code="doorverwezen"),
        oost(
            14, 30, status="afgesloten", closed_on=date(2026, 4, 2), closure_code="client-gestopt"
        ),
        oost(15, 40),
        oost(16, 7, postal4=""),
        client(21, referrer_kind="zelf", referred_on=date(2026, 1, 15)),  # no contact yet
    ]
    clients = [
        c
        if c.client_id not in gp
        else ClientFacts(
            **{
                **c.__dict__,
                "gp_before": gp[c.client_id][0],
                "gp_after": gp[c.client_id][1],
                "gp_after_months": gp[c.client_id][2],
            }
        )
        for c in clients
    ]
    reached = [*range(1, 8), *range(11, 17)]
    contacts = [ContactFacts(c, at(date(2026, 2, 20)), "huisbezoek", 60, 15, 4.0) for c in reached]
    contacts += [
        ContactFacts(1, at(date(2026, 3, 31), 23, 30), "telefonisch", 30, None, None),
        ContactFacts(8, at(date(2026, 4, 1), 0, 0), "huisbezoek", 60, 15, 4.0),  # after
        ContactFacts(9, at(date(2025, 12, 31), 23, 59), "huisbezoek", 60, 15, 4.0),  # before
    ]
    sent = at(feb1)
    referrals = []
    for i in range(1, 7):
        events = [("concept", at(date(2026, 1, 31))), ("verstuurd", sent)]
        if i <= 5:
            events.append(("geaccepteerd", sent + timedelta(days=i)))
            events.append(("gestart", sent + timedelta(days=10)))
        else:
            events.append(("afgewezen", sent + timedelta(days=2)))
        if i <= 2:
            events.append(("afgerond", at(date(2026, 3, 1))))
        if i == 3:
            events.append(("afgerond", at(date(2026, 4, 5))))  # after the period
        fed = {1: date(2026, 3, 1), 2: date(2026, 3, 1), 3: date(2026, 3, 2), 4: date(2026, 3, 1)}
        if i == 6:
            fed[6] = date(2026, 2, 28)
        if i in fed:
            events.append(("teruggekoppeld", at(fed[i], 9)))
        referrals.append(
            ReferralFacts(
                i, 100, "Stichting Buurtkracht", ("netwerk",), tuple(events), date(2026, 3, 1)
            )
        )
    referrals += [
        ReferralFacts(
            7,
            101,
            "Sportclub",
            ("netwerk", "financien"),
            (("verstuurd", at(date(2026, 3, 31), 23)),),  # last day: in
            None,
        ),
        ReferralFacts(
            11,
            101,
            "Sportclub",
            ("netwerk",),
            (
                ("verstuurd", at(date(2025, 12, 31))),  # a day before: not sent in the period
                ("geaccepteerd", at(date(2026, 1, 2))),
                ("teruggekoppeld", at(date(2026, 1, 9))),
            ),
            date(2026, 1, 10),  # but its feedback moment is in the period, met
        ),
        ReferralFacts(12, 101, "Sportclub", ("netwerk",), (("concept", sent),), None),
    ]
    measures = [MeasureFacts(c, "welbevinden-who5", date(2025, 11, 1), 40) for c in range(1, 6)]
    measures += [
        MeasureFacts(c, "welbevinden-who5", date(2026, 2, 1), s)
        for c, s in zip(range(1, 6), (60, 48, 40, 36, 80), strict=True)
    ]
    measures += [
        MeasureFacts(6, "welbevinden-who5", date(2026, 2, 1), 10),  # one measurement only
        MeasureFacts(7, "welbevinden-who5", date(2026, 1, 10), 50),
        MeasureFacts(7, "welbevinden-who5", date(2026, 4, 5), 70),  # the latest is after the end
        MeasureFacts(11, "welbevinden-who5", date(2025, 3, 1), 10),
        MeasureFacts(
            11, "welbevinden-who5", date(2025, 6, 1), 90
        ),  # the latest is before the period
    ]
    measures += [MeasureFacts(c, "eenzaamheid-djg6", date(2026, 1, 5), 5) for c in range(1, 7)]
    measures += [
        MeasureFacts(c, "eenzaamheid-djg6", date(2026, 3, 5), s)
        for c, s in zip(range(1, 7), (2, 3, 5, 1, 1, 4), strict=True)
    ]
    scores = [DomainScoreFacts(c, date(2026, 1, 5), "netwerk", 2) for c in range(1, 6)]
    scores += [
        DomainScoreFacts(c, date(2026, 3, 5), "netwerk", s)
        for c, s in zip(range(1, 6), (3, 4, 2, 3, 1), strict=True)
    ]
    scores += [
        DomainScoreFacts(1, date(2026, 1, 5), "financien", 2),
        DomainScoreFacts(1, date(2026, 3, 5), "financien", 4),
    ]
    letters = [GpLetterFacts(c, at(date(2026, 3, 1))) for c in range(1, 6)]
    letters.append(GpLetterFacts(6, at(date(2026, 4, 10))))  # after the end
    return ReportInput(
        Q1,
        practice_id,
        clients,
        contacts,
        referrals,
        measures,
        scores,
        letters,
        in_words="Meneer (80) zat veel alleen.",
    )


EXPECTED = {
    # Bereik
    ("Nieuwe aanmeldingen", "totaal"): "14",
    ("Nieuwe aanmeldingen naar soort verwijzer", "Huisartsenpraktijk"): "7",
    ("Nieuwe aanmeldingen naar soort verwijzer", "Praktijkondersteuner (POH)"): "0",
    ("Nieuwe aanmeldingen naar soort verwijzer", "Wijkteam"): "x",
    ("Nieuwe aanmeldingen naar soort verwijzer", "Cliënt zelf"): "<5",
    ("Nieuwe aanmeldingen naar soort verwijzer", "Anders"): "0",
    ("Nieuwe aanmeldingen naar soort verwijzer", "Onbekend"): "0",
    ("Nieuwe aanmeldingen naar verwijzer", ZON_NAME): "7",
    ("Nieuwe aanmeldingen naar verwijzer", OOST_NAME): "x",
    ("Nieuwe aanmeldingen naar verwijzer", "Geen verwijzer vastgelegd"): "<5",
    ("Unieke cliënten bereikt", "totaal"): "13",
    ("Actieve caseload op de einddatum", "totaal"): "12",
    ("Contacten", "totaal"): "14",
    ("Contacten naar soort", "Huisbezoek"): "x",
    ("Contacten naar soort", "Telefonisch"): "<5",
    ("Contacten naar soort", "Spreekuur"): "0",
    ("Contacten naar soort", "Overleg met partner"): "0",
    ("Contacten naar soort", "E-mail of bericht"): "0",
    ("Contacten naar soort", "Videogesprek"): "0",
    ("Contacten naar soort", "Anders"): "0",
    ("Uren contact", "totaal"): "13,5 uur",
    ("Uren reistijd", "totaal"): "3,3 uur",
    ("Kilometers", "totaal"): "52,0 km",
    # Toegang
    ("Dagen tot eerste contact", "mediaan"): "7 dagen",
    ("Eerste contact binnen 14 dagen", "aandeel"): "64%",
    ("Eerste contact binnen 14 dagen", "aantal cliënten (basis)"): "14",
    ("Nieuwe aanmeldingen met eerste contact", "totaal"): "x",
    # 64% of 14 is 9 within 14 days: with 0–7 shown, 8–14 (2) would follow.
    ("Wachttijd tot eerste contact", "0–7 dagen"): "x",
    ("Wachttijd tot eerste contact", "8–14 dagen"): "<5",
    ("Wachttijd tot eerste contact", "15–28 dagen"): "<5",
    ("Wachttijd tot eerste contact", "meer dan 28 dagen"): "<5",
    # Wie
    ("Cliënten bereikt", "totaal"): "13",
    ("Leeftijd", "0–17 jaar"): "0",
    ("Leeftijd", "18–26 jaar"): "0",
    ("Leeftijd", "27–44 jaar"): "6",
    ("Leeftijd", "45–64 jaar"): "0",
    ("Leeftijd", "65–74 jaar"): "7",
    ("Leeftijd", "75 jaar en ouder"): "0",
    ("Leeftijd", "onbekend"): "0",
    ("Wijk (postcode)", "3511"): "7",
    ("Wijk (postcode)", "3521"): "x",
    ("Wijk (postcode)", "onbekend"): "<5",
    **{("Thema's van de hulpvraag", label): "0" for label in labels().themes.values()},
    ("Thema's van de hulpvraag", "Eenzaamheid"): "13",
    ("Thema's van de hulpvraag", "Geldzorgen of schulden"): "6",
    # Routes
    ("Verwijzingen naar partners", "totaal"): "7",
    ("Verwijzingen naar partner", "Stichting Buurtkracht"): "x",
    ("Verwijzingen naar partner", "Sportclub"): "<5",
    ("Verwijzingen naar leefgebied", "Geld en schulden"): "<5",
    ("Verwijzingen naar leefgebied", "Sociaal netwerk en eenzaamheid"): "7",
    ("Geaccepteerd", "aandeel"): "<5",
    ("Gestart", "aandeel"): "<5",
    ("Afgerond", "aandeel"): "<5",
    ("Dagen tot reactie partner", "mediaan"): "2,5 dagen",
    ("Terugkoppelmomenten in de periode", "totaal"): "7",
    ("Terugkoppeling op tijd", "aandeel"): "<5",
    ("Terugkoppelbrief huisarts", "cliënten verwezen door huisarts of POH"): "7",
    ("Terugkoppelbrief huisarts", "cliënten met brief"): "5",
    ("Terugkoppelbrief huisarts", "aandeel"): "<5",
    # Uitkomsten
    ("WHO-5 welbevinden", "cliënten met eerste en laatste meting"): "5",
    ("WHO-5 welbevinden", "gemiddelde verandering"): "+12,8",
    ("WHO-5 welbevinden", "aandeel verbeterd"): "<5",
    ("Eenzaamheid (DJG-6)", "cliënten met eerste en laatste meting"): "6",
    ("Eenzaamheid (DJG-6)", "gemiddelde verandering"): "-2,3",
    ("Eenzaamheid (DJG-6)", "aandeel verbeterd"): "<5",
    ("Leefgebied: cliënten met eerste en laatste gesprek", "Geld en schulden"): "<5",
    ("Leefgebied: cliënten met eerste en laatste gesprek", "Sociaal netwerk en eenzaamheid"): "5",
    ("Leefgebied: gemiddelde verandering", "Geld en schulden"): "<5",
    ("Leefgebied: gemiddelde verandering", "Sociaal netwerk en eenzaamheid"): "+0,6",
    ("Leefgebied: aandeel verbeterd", "Geld en schulden"): "<5",
    ("Leefgebied: aandeel verbeterd", "Sociaal netwerk en eenzaamheid"): "<5",
    ("Afgesloten in de periode", "totaal"): "<5",
    **{("Afsluitreden", label): "0" for label in labels().closure.values()},
    ("Afsluitreden", "Doelen bereikt, eigen kracht of netwerk"): "<5",
    ("Afsluitreden", "Doorverwezen en gestart"): "<5",
    # Zorggebruik
    ("Huisartscontacten vastgelegd voor en na", "totaal"): "5",
    # After scaled to 12 months: 6, 8, 2, 4 and 5 (no period given: taken as 12).
    ("Huisartscontacten", "gemiddeld vóór (12 maanden)"): "5,0",
    ("Huisartscontacten", "gemiddeld na (omgerekend naar 12 maanden)"): "5,0",
    ("Minder huisartscontacten na", "aandeel"): "<5",
    ("Periode 'na' in maanden", "gemiddeld"): "<5",
}


def shown(report: Report) -> dict[tuple[str, str], str]:
    out = {(f.figure, f.breakdown): f.shown for f in report.figures}
    assert len(out) == len(report.figures), "a figure and breakdown appear twice"
    return out


def test_every_figure_of_the_synthetic_caseload_is_exact() -> None:
    report = build_report(synthetic())
    assert shown(report) == EXPECTED
    assert report.practice == "Alle verwijzers"
    assert report.in_words == "Meneer (80) zat veel alleen."
    assert [s.title for s in report.sections] == [
        "Bereik",
        "Toegang",
        "Wie",
        "Routes naar partners",
        "Uitkomsten",
        "Zorggebruik",
    ]


def test_values_behind_the_shown_figures() -> None:
    report = build_report(synthetic())
    assert report.figure("Eerste contact binnen 14 dagen", "aandeel").value == 64.3  # 9 of 14
    assert report.figure("Dagen tot reactie partner", "mediaan").value == 2.5
    assert report.figure("WHO-5 welbevinden", "gemiddelde verandering").value == 12.8
    assert report.figure("Eenzaamheid (DJG-6)", "gemiddelde verandering").value == -2.33
    assert report.figure("Uren reistijd").value == 3.3  # 3.25 rounded half up, like its text
    assert report.figure("Nieuwe aanmeldingen").value == 14
    for f in report.figures:
        assert f.suppressed == (f.shown in ("<5", "x"))
        if f.suppressed:
            assert f.value is None  # the real value never leaves build_report


def test_a_practice_report_counts_only_that_practice() -> None:
    report = build_report(synthetic(practice_id=OOST))
    got = shown(report)
    assert report.practice == OOST_NAME
    assert got[("Nieuwe aanmeldingen", "totaal")] == "6"
    assert got[("Nieuwe aanmeldingen naar verwijzer", OOST_NAME)] == "6"
    assert ("Nieuwe aanmeldingen naar verwijzer", ZON_NAME) not in got
    assert got[("Contacten", "totaal")] == "6"
    assert got[("Unieke cliënten bereikt", "totaal")] == "6"
    assert got[("Actieve caseload op de einddatum", "totaal")] == "<5"  # 14, 15, 16
    assert got[("Verwijzingen naar partners", "totaal")] == "0"
    assert got[("Terugkoppelmomenten in de periode", "totaal")] == "<5"  # client 11's
    assert got[("WHO-5 welbevinden", "cliënten met eerste en laatste meting")] == "0"
    assert got[("WHO-5 welbevinden", "gemiddelde verandering")] == "geen gegevens"
    assert got[("Dagen tot eerste contact", "mediaan")] == "5 dagen"  # 1 2 3 7 30 40
    # A practice without clients in the input still has its name.
    empty = ReportInput(Q1, 99, synthetic().clients, practice_name="Praktijk Zuid")
    assert build_report(empty).practice == "Praktijk Zuid"


def _one_referrer(n: int, day: date = date(2026, 2, 1)) -> ReportInput:
    clients = [
        client(i, referrer_id=1, referrer="P", referrer_kind="huisarts", referred_on=day)
        for i in range(n)
    ]
    return ReportInput(Q1, None, clients)


@pytest.mark.parametrize(
    ("n", "text", "suppressed"),
    [(0, "0", False), (1, "<5", True), (4, "<5", True), (5, "5", False)],
)
def test_suppression_at_0_1_4_and_5(n: int, text: str, suppressed: bool) -> None:
    f = build_report(_one_referrer(n)).figure("Nieuwe aanmeldingen")
    assert (f.shown, f.suppressed) == (text, suppressed)
    assert f.value == (None if suppressed else n)


def test_period_boundaries_first_and_last_day_in_a_day_outside_out() -> None:
    days = [date(2025, 12, 31), date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 1)]
    clients = [
        client(i * 10 + k, referrer_id=1, referrer="P", referrer_kind="huisarts", referred_on=d)
        for i, d in enumerate(days)
        for k in range(5)  # five each, so nothing is suppressed
    ]
    report = build_report(ReportInput(Q1, None, clients))
    assert report.figure("Nieuwe aanmeldingen").value == 10
    # registered_on stands in when referred_on is empty
    late = [client(100 + k, registered_on=date(2026, 3, 31)) for k in range(5)]
    assert build_report(ReportInput(Q1, None, late)).figure("Nieuwe aanmeldingen").value == 5


def test_shares_and_means_over_fewer_than_five_are_suppressed() -> None:
    measures = [
        MeasureFacts(c, "welbevinden-who5", d, s)
        for c in range(4)
        for d, s in ((date(2026, 1, 2), 20), (date(2026, 2, 2), 60))
    ]
    report = build_report(ReportInput(Q1, None, _one_referrer(4).clients, measures=measures))
    assert report.figure("WHO-5 welbevinden", "gemiddelde verandering").shown == "<5"
    measures += [
        MeasureFacts(9, "welbevinden-who5", date(2026, 1, 2), 50),
        MeasureFacts(9, "welbevinden-who5", date(2026, 2, 2), 50),
    ]
    clients = [*_one_referrer(4).clients, client(9)]
    report = build_report(ReportInput(Q1, None, clients, measures=measures))
    assert report.figure("WHO-5 welbevinden", "gemiddelde verandering").shown == "+32,0"
    assert report.figure("WHO-5 welbevinden", "aandeel verbeterd").shown == "<5"  # 4 of 5


# --- no suppressed cell can be worked out -------------------------------------------------

PARTITIONS = (
    ("Nieuwe aanmeldingen", "Nieuwe aanmeldingen naar soort verwijzer"),
    ("Nieuwe aanmeldingen", "Nieuwe aanmeldingen naar verwijzer"),
    ("Contacten", "Contacten naar soort"),
    ("Nieuwe aanmeldingen met eerste contact", "Wachttijd tot eerste contact"),
    ("Cliënten bereikt", "Leeftijd"),
    ("Cliënten bereikt", "Wijk (postcode)"),
    ("Verwijzingen naar partners", "Verwijzingen naar partner"),
    ("Afgesloten in de periode", "Afsluitreden"),
)


def _range(shown_text: str, cap: int) -> range:
    if shown_text == "<5":
        return range(1, 5)
    if shown_text == "x":
        return range(0, cap + 1)
    return range(int(shown_text.replace(".", "")), int(shown_text.replace(".", "")) + 1)


def _solutions(cells: dict[str, str], cap: int, constraints) -> list[dict[str, int]]:
    names = list(cells)
    ranges = [_range(cells[n], cap) for n in names]
    out = []
    for combo in itertools.product(*ranges):
        values = dict(zip(names, combo, strict=True))
        if all(check(values) for check in constraints):
            out.append(values)
    return out


def assert_nothing_recoverable(report: Report, kind_of: dict[str, str] | None = None) -> None:
    """Brute force: every value a reader could fill in for a hidden cell, from the shown ones."""
    figures = report.figures
    for total_name, part_name in PARTITIONS:
        total = report.figure(total_name)
        parts = {f.breakdown: f.shown for f in figures if f.figure == part_name}
        cap = {"<5": 4, "x": 25}.get(total.shown) or int(total.shown.replace(".", ""))
        cells = {"__total__": total.shown, **parts}
        if math.prod(len(_range(v, cap)) for v in cells.values()) > 300_000:
            continue  # too many to enumerate; covered by the smaller cases
        sols = _solutions(
            cells,
            cap,
            [lambda v: v["__total__"] == sum(x for k, x in v.items() if k != "__total__")],
        )
        assert sols, (total_name, cells)
        for name, text in cells.items():
            if text in ("<5", "x"):
                assert len({s[name] for s in sols}) > 1, (part_name, name, cells)
    if kind_of is None:
        return
    # Jointly: kinds and referrers of the same new clients (a kind is the sum of its referrers).
    kinds = {
        "k:" + f.breakdown: f.shown
        for f in figures
        if f.figure == "Nieuwe aanmeldingen naar soort verwijzer"
    }
    refs = {
        "r:" + f.breakdown: f.shown
        for f in figures
        if f.figure == "Nieuwe aanmeldingen naar verwijzer"
    }
    total = report.figure("Nieuwe aanmeldingen")
    cap = {"<5": 4, "x": 25}.get(total.shown) or int(total.shown)
    cells = {"t": total.shown, **kinds, **refs}
    if math.prod(len(_range(v, cap)) for v in cells.values()) > 300_000:
        return
    constraints = [
        lambda v: v["t"] == sum(v[k] for k in kinds),
        lambda v: v["t"] == sum(v[r] for r in refs),
        *(
            (lambda v, k=k: v[k] == sum(v[r] for r in refs if "k:" + kind_of[r[2:]] == k))
            for k in kinds
        ),
    ]
    sols = _solutions(cells, cap, constraints)
    assert sols
    for name, text in cells.items():
        if text in ("<5", "x"):
            assert len({s[name] for s in sols}) > 1, (name, cells)


def test_no_suppressed_value_of_the_synthetic_caseload_can_be_recovered() -> None:
    report = build_report(synthetic())
    kind_of = {
        ZON_NAME: "Huisartsenpraktijk",
        OOST_NAME: "Wijkteam",
        "Geen verwijzer vastgelegd": "Cliënt zelf",
    }
    assert_nothing_recoverable(report, kind_of)


@pytest.mark.parametrize("seed", range(40))
def test_no_suppressed_value_can_be_recovered_in_random_caseloads(seed: int) -> None:
    rnd = random.Random(seed)
    lab = labels()
    kinds = [k for k in lab.referrer_kinds if k]
    referrers = [(i, f"Verwijzer {i}", rnd.choice(kinds)) for i in range(rnd.randint(1, 4))]
    clients = []
    for cid in range(rnd.randint(0, 22)):
        ref = rnd.choice(referrers)
        closed = rnd.random() < 0.3
        clients.append(
            client(
                cid,
                referrer_id=ref[0],
                referrer=ref[1],
                referrer_kind=ref[2],
                referred_on=date(2026, 1, 1) + timedelta(rnd.randrange(90)),
                first_contact=at(date(2026, 1, 1) + timedelta(rnd.randrange(120))),
                postal4=rnd.choice(["3511", "3512", "3513", ""]),
                date_of_birth=date(rnd.randint(1930, 2010), 1, 1),
                status="afgesloten" if closed else "actief",
                closed_on=date(2026, 3, 1) if closed else None,
                closure_code=rnd.choice(list(lab.closure)) if closed else "",
            )
        )
    contacts = [
        ContactFacts(
            c.client_id,
            at(date(2026, 2, 1) + timedelta(rnd.randrange(40))),
            rnd.choice(["huisbezoek", "telefonisch", "spreekuur"]),
            30,
            None,
            None,
        )
        for c in clients
        if rnd.random() < 0.8
    ]
    report = build_report(ReportInput(Q1, None, clients, contacts))
    kind_of = {name: lab.referrer_kinds[kind] for _, name, kind in referrers}
    assert_nothing_recoverable(report, kind_of)


# --- periods ----------------------------------------------------------------------------


def test_period_constructors() -> None:
    assert (Q1.start, Q1.end, Q1.label) == (date(2026, 1, 1), date(2026, 3, 31), "1e kwartaal 2026")
    q4 = Period.quarter(2025, 4)
    assert (q4.start, q4.end) == (date(2025, 10, 1), date(2025, 12, 31))
    h2 = Period.half_year(2026, 2)
    assert (h2.start, h2.end, h2.label) == (
        date(2026, 7, 1),
        date(2026, 12, 31),
        "2e halfjaar 2026",
    )
    y = Period.year(2024)
    assert (y.start, y.end, y.label) == (date(2024, 1, 1), date(2024, 12, 31), "2024")
    b = Period.between(date(2026, 3, 3), date(2026, 5, 15))
    assert b.label == "3 maart 2026 t/m 15 mei 2026"
    assert b.dates == "2026-03-03 t/m 2026-05-15"
    assert Period.between(date(2026, 1, 1), date(2026, 1, 1)).contains(date(2026, 1, 1))


@pytest.mark.parametrize(
    "make",
    [
        lambda: Period.between(date(2026, 2, 1), date(2026, 1, 31)),
        lambda: Period.quarter(2026, 5),
        lambda: Period.half_year(2026, 0),
        lambda: Period.year(1800),
    ],
)
def test_period_validation_speaks_dutch(make) -> None:
    with pytest.raises(ValidationError) as exc:
        make()
    assert "period" in exc.value.errors
    assert any(word in exc.value.message for word in ("Kies", "begindatum"))


def test_labels_come_from_the_list_file_and_the_instrument() -> None:
    lab = labels()
    assert lab.referrer_kinds["huisarts"] == "Huisartsenpraktijk"
    assert set(lab.themes) == {
        "eenzaamheid",
        "geldzorgen",
        "psychisch",
        "werk",
        "wonen",
        "mantelzorg",
        "zingeving",
        "leefstijl",
        "taal-digitaal",
        "overig",
    }
    assert set(lab.closure) == {
        "doelen-bereikt",
        "doorverwezen",
        "client-gestopt",
        "niet-bereikt",
        "verhuisd-overleden",
        "anders",
        "",
    }
    assert lab.domains["netwerk"] == "Sociaal netwerk en eenzaamheid"


def test_a_wijk_with_fewer_than_five_clients_is_never_named() -> None:
    """Even "<5" next to a postcode says someone there is a client: small wijken are pooled."""
    day = date(2026, 2, 1)
    clients = [client(i, postal4="1234") for i in range(1, 6)]  # five in 1234: named
    clients += [client(10 + i, postal4=f"90{i:02d}") for i in range(3)]  # one each: pooled
    contacts = [ContactFacts(c.client_id, at(day), "huisbezoek", 30, None, None) for c in clients]
    report = build_report(ReportInput(Period.year(2026), None, clients, contacts))
    wijken = {f.breakdown: f for f in report.figures if f.figure == "Wijk (postcode)"}
    assert set(wijken) == {"1234", OTHER_WIJKEN}
    # The pooled cell is small, so the named one is hidden too (else 8 - 5 gives it away).
    assert wijken["1234"].shown == "x" and wijken[OTHER_WIJKEN].shown == "<5"
    assert not any(f"90{i:02d}" in f.breakdown for f in report.figures for i in range(3))


def test_a_hidden_wait_band_cannot_be_worked_out_from_the_14_day_share() -> None:
    """The share within 14 days × its base gives the sum of the first two wait bands."""
    intake = date(2026, 2, 2)
    waits = [1] * 3 + [10] * 7 + [20] * 6
    report = build_report(ReportInput(Q1, None, [zon(i, intake, w) for i, w in enumerate(waits)]))
    base = report.figure("Eerste contact binnen 14 dagen", "aantal cliënten (basis)").value
    share = report.figure("Eerste contact binnen 14 dagen", "aandeel").shown
    total = report.figure("Nieuwe aanmeldingen met eerste contact").value
    bands = [f.shown for f in report.figures if f.figure == "Wachttijd tot eerste contact"]
    assert bands[0] == "<5"

    def fits(shown: str, n: int) -> bool:
        if shown == "<5":
            return 1 <= n <= 4
        return shown == "x" or int(shown) == n

    assert isinstance(base, int) and isinstance(total, int)
    possible = set()
    for cells in itertools.product(range(total + 1), repeat=len(bands)):
        if sum(cells) != total or not all(map(fits, bands, cells)):
            continue
        pct = f"{math.floor(100 * (cells[0] + cells[1]) / base + 0.5)}%"
        if share in ("<5", "x") or pct == share:
            possible.add(cells[0])
    assert len(possible) > 1, possible


def test_a_share_whose_rest_is_small_is_hidden_too() -> None:
    """9 of 10 within 14 days says that 1 was not: that share is a small count as well."""
    feb1 = date(2026, 2, 1)
    clients = [
        client(i, referred_on=feb1, first_contact=at(feb1 + timedelta(3 if i else 20)))
        for i in range(10)
    ]
    contacts = [ContactFacts(c.client_id, c.first_contact, "huisbezoek", 30, None, None)
                for c in clients]  # fmt: skip
    report = build_report(ReportInput(Q1, None, clients, contacts))
    share = report.figure("Eerste contact binnen 14 dagen", "aandeel")
    assert share.suppressed and share.shown == "<5" and share.value is None


def test_late_clients_without_contact_cannot_be_worked_out_from_the_base() -> None:
    """Base (with contact + late without) minus those with contact would give the late ones."""
    jan5 = date(2026, 1, 5)
    with_contact = [
        client(i, referred_on=jan5, first_contact=at(jan5 + timedelta(2))) for i in range(8)
    ]
    late = [client(100 + i, referred_on=jan5) for i in range(2)]  # no contact, weeks ago
    report = build_report(ReportInput(Q1, None, [*with_contact, *late]))
    base = report.figure("Eerste contact binnen 14 dagen", "aantal cliënten (basis)")
    total = report.figure("Nieuwe aanmeldingen met eerste contact")
    assert base.suppressed or total.suppressed


def test_clients_still_waiting_cannot_be_worked_out_across_sections() -> None:
    """New referrals (Bereik) minus those with a first contact (Toegang) are the ones
    still waiting inside their 14 days: 2 here, so it must not follow from the figures."""
    jan5, mar29 = date(2026, 1, 5), date(2026, 3, 29)
    seen = [client(i, referred_on=jan5, first_contact=at(jan5 + timedelta(2))) for i in range(8)]
    waiting = [client(100 + i, referred_on=mar29) for i in range(2)]
    report = build_report(ReportInput(Q1, None, [*seen, *waiting]))
    new = report.figure("Nieuwe aanmeldingen")
    with_contact = report.figure("Nieuwe aanmeldingen met eerste contact")
    base = report.figure("Eerste contact binnen 14 dagen", "aantal cliënten (basis)")
    assert new.shown == "10"
    assert with_contact.suppressed and base.suppressed
