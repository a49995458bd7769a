"""The "Resultaten" report: figures over a period, computed from plain input records.

Pure: the query layer fills a :class:`ReportInput` from the vault; :func:`build_report`
turns it into a :class:`Report` (sections of figures and chart data) that the window
shows and ``documents.report_pdf`` / ``documents.report_csv`` export. No names, dates of
birth, addresses or dossier text ever reach a figure: the inputs carry none except the
date of birth (used only for the age band) and the referrer's name (an organisation).

Definitions (what a funder reads; every date is inclusive, ``start ≤ d ≤ end``):

Scope
    ``practice_id`` set: only clients whose ``referrer_id`` is that id, and only their
    contacts, referrals, measurements, domain scores and letters. Events after the end
    of the period never count (a report over a past period stays the same later), with
    one exception named under Toegang.
Intake date
    ``referred_on``, or ``registered_on`` when that is empty.

Bereik
    *Nieuwe aanmeldingen*: clients whose intake date falls in the period; broken down by
    referrer (list entry; "Geen verwijzer vastgelegd" when none) and by referrer kind.
    *Unieke cliënten bereikt*: clients with at least one contact in the period.
    *Actieve caseload op de einddatum*: registered on or before the end and not closed
    on or before the end (a closed client without a closing date counts as closed).
    *Contacten*: contacts in the period, by kind. *Uren contact* / *Uren reistijd* /
    *Kilometers*: sums over those contacts (empty values count as 0). Sums are not counts
    of people and are not suppressed.
Toegang
    Base: the new clients of the period. *Dagen tot eerste contact* (median, and bands)
    over those with a first contact, whenever it took place (the waiting time belongs to
    the referral); days = first contact date − intake date, never below 0.
    *Eerste contact binnen 14 dagen* (the Welzijn op Recept norm): share of those with a
    first contact within 14 days, over those with a first contact plus those still
    without one whose 14 days had passed by the end of the period (they are late for
    certain); clients still inside their 14 days without contact are left out.
Wie
    Over the clients reached (a contact in the period). Age band at the end of the period
    (date of birth never leaves this module); wijk = the four digits of the postcode;
    help-question themes (a client may have several, so themes do not add up).
Routes
    A referral counts when it was sent in the period (its first ``verstuurd`` event, or
    else its first event after ``concept``). Status as at the end of the period:
    *geaccepteerd* = reached geaccepteerd, gestart or afgerond; *gestart* = gestart or
    afgerond; *afgerond* = afgerond; shares over the referrals sent in the period.
    *Dagen tot reactie partner*: median days from sending to the first geaccepteerd or
    afgewezen. *Terugkoppeling op tijd*: of the referrals whose ``feedback_due`` falls in
    the period, the share with a ``teruggekoppeld`` event on or before that date.
    *Terugkoppelbrief huisarts*: of the clients reached whose referrer kind is huisarts
    or POH, how many have a GP letter saved on or before the end of the period.
Uitkomsten
    WHO-5 (0–100, higher is better) and DJG-6 (0–6, LOWER is better): per client the
    first measurement ever against the latest one on or before the end, counted when the
    latest falls in the period and there are at least two. n, mean change (latest −
    first), share improved (WHO-5 went up, DJG-6 went down). Life domains (scale 1–5,
    higher is more self-reliant): the same per client and domain, per domain.
    *Afsluitredenen*: clients closed in the period, by closure code.
Zorggebruik
    Clients reached or closed in the period with both ``gp_before`` and ``gp_after``
    recorded: n, mean GP contacts in the 12 months before, mean after scaled to 12
    months (``gp_after`` × 12 / ``gp_after_months``; a missing period counts as 12),
    share with fewer after (scaled), mean months of the "after" window.

Small-cell suppression
    Every count from 1 to 4 is shown as "<5" (``suppressed``, ``value`` None); 0 is
    shown as 0. A share, mean or median over fewer than 5 clients (or referrals) is shown
    as "<5" too, and so is a share whose numerator is 1–4 (it and the base would give the
    count away). Secondary suppression: breakdowns that add up to a shown total form
    groups (also nested: referrers within their kind); when a suppressed cell could be
    worked out from the totals and the other cells (bounds propagated over every group
    of the section), the next-smallest non-zero cell of that group is hidden as well and
    shown as "x" (or the total, when no such cell is left). A suppressed figure never
    carries its value, so nothing downstream can leak it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from statistics import median
from typing import NamedTuple

from brugdesk.domain import instruments, pick_lists
from brugdesk.domain.contact_rules import KINDS as CONTACT_KINDS
from brugdesk.errors import ValidationError

SMALL = 5  # counts 1..SMALL-1 are suppressed
NORM_DAYS = 14
TOTAL = "totaal"
SHOWN_SMALL = "<5"
SHOWN_SECONDARY = "x"
NO_DATA = "geen gegevens"
OTHER_WIJKEN = "Overige wijken (elk minder dan 5 cliënten)"

_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def _long_date(d: date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


# --- inputs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValidationError(
                {
                    "period": "De begindatum ligt na de einddatum. Kies een einddatum op of "
                    "na de begindatum."
                }
            )

    @staticmethod
    def _check_year(year: int) -> None:
        if not 1900 <= year <= 9998:
            raise ValidationError({"period": "Kies een jaar tussen 1900 en 9998."})

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        cls._check_year(year)
        if quarter not in (1, 2, 3, 4):
            raise ValidationError({"period": "Kies kwartaal 1, 2, 3 of 4."})
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
        return cls(start, end, f"{quarter}e kwartaal {year}")

    @classmethod
    def half_year(cls, year: int, half: int) -> Period:
        cls._check_year(year)
        if half not in (1, 2):
            raise ValidationError({"period": "Kies halfjaar 1 of 2."})
        if half == 1:
            return cls(date(year, 1, 1), date(year, 6, 30), f"1e halfjaar {year}")
        return cls(date(year, 7, 1), date(year, 12, 31), f"2e halfjaar {year}")

    @classmethod
    def year(cls, year: int) -> Period:
        cls._check_year(year)
        return cls(date(year, 1, 1), date(year, 12, 31), f"{year}")

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        if start > end:
            cls(start, end, "")  # raises the Dutch message
        return cls(start, end, f"{_long_date(start)} t/m {_long_date(end)}")

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    @property
    def dates(self) -> str:
        """ISO form for the CSV: ``2026-01-01 t/m 2026-03-31``."""
        return f"{self.start.isoformat()} t/m {self.end.isoformat()}"


@dataclass(frozen=True)
class ClientFacts:
    client_id: int
    referrer_id: int | None
    referrer: str
    referrer_kind: str
    referred_on: date | None
    registered_on: date
    first_contact: datetime | None
    status: str
    closed_on: date | None
    closure_code: str
    date_of_birth: date | None
    postal4: str
    themes: tuple[str, ...]
    gp_before: int | None
    gp_after: int | None
    gp_after_months: int | None

    @property
    def intake(self) -> date:
        return self.referred_on or self.registered_on


class ContactFacts(NamedTuple):
    """One contact (a named tuple: a year holds tens of thousands, built 3× faster)."""

    client_id: int
    occurred_at: datetime
    kind: str
    duration_min: int | None
    travel_minutes: int | None
    travel_km: float | None


@dataclass(frozen=True)
class ReferralFacts:
    client_id: int
    partner_id: int
    partner: str
    domains: tuple[str, ...]
    events: tuple[tuple[str, datetime], ...]
    feedback_due: date | None


@dataclass(frozen=True)
class MeasureFacts:
    client_id: int
    instrument_id: str
    held_on: date
    total: int


@dataclass(frozen=True)
class DomainScoreFacts:
    client_id: int
    held_on: date
    domain: str
    score: int


@dataclass(frozen=True)
class GpLetterFacts:
    client_id: int
    at: datetime


@dataclass(frozen=True)
class ReportInput:
    period: Period
    practice_id: int | None
    clients: Sequence[ClientFacts]
    contacts: Sequence[ContactFacts] = ()
    referrals: Sequence[ReferralFacts] = ()
    measures: Sequence[MeasureFacts] = ()
    domain_scores: Sequence[DomainScoreFacts] = ()
    gp_letters: Sequence[GpLetterFacts] = ()
    in_words: str = ""
    #: The referrer list entry's name for ``practice_id`` (added: a narrowed report
    #: over a practice without clients in the input still has a name to print).
    practice_name: str = ""


# --- outputs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    section: str
    figure: str
    breakdown: str
    value: int | float | None
    shown: str
    suppressed: bool


@dataclass(frozen=True)
class Chart:
    """One bar chart: the breakdown cells of one figure, in table order.

    ``values`` is None for a suppressed cell (draw no bar of real length); ``shown`` is the
    text to print beside each bar.
    """

    title: str
    figure: str
    labels: tuple[str, ...]
    values: tuple[float | None, ...]
    shown: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: tuple[Figure, ...]
    charts: tuple[Chart, ...]

    @property
    def has_data(self) -> bool:
        return any(f.suppressed or f.value not in (None, 0, 0.0) for f in self.figures)


@dataclass(frozen=True)
class Report:
    period: Period
    practice: str
    sections: tuple[Section, ...]
    in_words: str

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(f for s in self.sections for f in s.figures)

    def figure(self, figure: str, breakdown: str = TOTAL) -> Figure:
        """The one figure with this name and breakdown (KeyError when absent)."""
        for f in self.figures:
            if f.figure == figure and f.breakdown == breakdown:
                return f
        raise KeyError((figure, breakdown))


# --- labels -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Labels:
    themes: dict[str, str]
    closure: dict[str, str]
    referrer_kinds: dict[str, str]
    domains: dict[str, str]


@cache
def labels() -> Labels:
    """The Dutch labels of the codes, from the same pick lists the window offers."""
    domains = {d.id: d.name for d in instruments.get("leefgebieden").domains}
    return Labels(
        themes={c.id: c.label for c in pick_lists.themes()},
        closure={
            **{c.id: c.label for c in pick_lists.closure_reasons()},
            "": "Niet gecodeerd (oude afsluiting)",
        },
        referrer_kinds={**{c.id: c.label for c in pick_lists.referrer_kinds()}, "": "Onbekend"},
        domains=domains,
    )


# --- formatting -------------------------------------------------------------------------


def _decimal(x: float, decimals: int) -> str:
    q = Decimal(1).scaleb(-decimals)
    text = str(Decimal(repr(x)).quantize(q, rounding=ROUND_HALF_UP))
    if text.startswith("-") and not any(c not in "-0." for c in text):
        text = text[1:]  # no "-0,0"
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-')):,}".replace(",", ".")
    return sign + whole + ("," + frac if frac else "")


def count_text(n: int) -> str:
    return f"{n:,}".replace(",", ".")


# --- the collector: figures, groups, suppression ----------------------------------------


@dataclass
class _Cell:
    figure: str
    breakdown: str
    value: int | float | None
    shown: str
    kind: str  # "count", "stat", "sum"
    suppress: str = ""  # "", "primary", "secondary"
    #: An unprinted count a reader can work out from a shown share and its base (the
    #: share's cell index): it takes part in the groups, and hiding it hides the share.
    derived_from: int | None = None
    #: False for a count that only takes part in the groups (see ``unprinted``).
    printed: bool = True
    #: An unprinted count of 5 or more: working it out reveals nothing small.
    free: bool = False


@dataclass
class _Builder:
    key: str
    title: str
    cells: list[_Cell] = field(default_factory=list)
    groups: list[tuple[int, list[int]]] = field(default_factory=list)
    chart_specs: list[tuple[str, str]] = field(default_factory=list)

    def _add(self, cell: _Cell) -> int:
        self.cells.append(cell)
        return len(self.cells) - 1

    def count(self, figure: str, breakdown: str, n: int) -> int:
        cell = _Cell(figure, breakdown, n, count_text(n), "count")
        if 0 < n < SMALL:
            cell.suppress = "primary"
        return self._add(cell)

    def breakdown(
        self, figure: str, items: Iterable[tuple[str, int]], total: int | None = None
    ) -> list[int]:
        """Count cells of one breakdown; with *total* (a cell index) they form a group."""
        idx = [self.count(figure, label, n) for label, n in items]
        if total is not None:
            self.groups.append((total, idx))
        return idx

    def numerator(self, share: int, n: int) -> int:
        """The count behind a shown share (share × base gives it back): an unprinted cell.

        Put it in a group with the breakdown cells it is the sum of, so that the share
        cannot be used to work out a hidden cell of that breakdown.
        """
        cell = _Cell("", "", n, count_text(n), "count", derived_from=share)
        if 0 < n < SMALL:
            cell.suppress = "primary"
        elif self.cells[share].suppress:
            cell.suppress = "secondary"
        return self._add(cell)

    def unprinted(self, n: int) -> int:
        """A count a reader can work out from shown ones, never printed itself: 1-4 must
        stay hidden (so the groups it is in hide one of the shown ones); 0 is known; 5
        or more needs no protection and is left open (it never counts as exposed)."""
        if n == 0:
            return self._add(_Cell("", "", 0, "0", "count", printed=False))
        if n < SMALL:
            return self._add(_Cell("", "", n, count_text(n), "count", "primary", printed=False))
        return self._add(
            _Cell("", "", n, count_text(n), "count", "secondary", printed=False, free=True)
        )

    def known(self, n: int) -> int:
        """A count printed in another section: known to the reader, never hidden here."""
        return self._add(_Cell("", "", n, count_text(n), "count", printed=False))

    def _stat(self, figure: str, breakdown: str, value: float | None, shown: str, base: int) -> int:
        if base == 0 or value is None:
            return self._add(_Cell(figure, breakdown, None, NO_DATA, "stat"))
        cell = _Cell(figure, breakdown, value, shown, "stat")
        if base < SMALL:
            cell.suppress = "primary"
        return self._add(cell)

    def share(self, figure: str, breakdown: str, num: int, base: int) -> int:
        value = round(100 * num / base, 1) if base else None
        shown = f"{_decimal(100 * num / base, 0)}%" if base else NO_DATA
        i = self._stat(figure, breakdown, value, shown, base)
        # 90% of 10 says that 1 was not: the rest is a count as well.
        if base and (0 < num < SMALL or 0 < base - num < SMALL):
            self.cells[i].suppress = "primary"
        return i

    def mean(
        self, figure: str, breakdown: str, values: Sequence[float], *, signed: bool = False
    ) -> int:
        if not values:
            return self._stat(figure, breakdown, None, NO_DATA, 0)
        m = sum(values) / len(values)
        text = _decimal(m, 1)
        if signed and not text.startswith("-") and text.strip("0,") != "":
            text = "+" + text
        return self._stat(figure, breakdown, round(m, 2), text, len(values))

    def median_days(self, figure: str, breakdown: str, values: Sequence[int]) -> int:
        if not values:
            return self._stat(figure, breakdown, None, NO_DATA, 0)
        m = float(median(values))
        shown = f"{_decimal(m, 1 if m % 1 else 0)} dag" + ("" if m == 1 else "en")
        return self._stat(figure, breakdown, m, shown, len(values))

    def amount(self, figure: str, value: float, unit: str, decimals: int) -> int:
        shown = _decimal(value, decimals)
        exact = float(shown.replace(".", "").replace(",", "."))  # the shown rounding (half up)
        return self._add(_Cell(figure, TOTAL, exact, f"{shown} {unit}", "sum"))

    def chart(self, title: str, figure: str) -> None:
        self.chart_specs.append((title, figure))

    # -- secondary suppression --

    def _bounds(self) -> dict[int, tuple[float, float]]:
        """What a reader can work out about each hidden cell, by propagating the group sums."""
        hidden = [i for i, c in enumerate(self.cells) if c.suppress]
        bounds: dict[int, tuple[float, float]] = {
            i: ((1, SMALL - 1) if self.cells[i].suppress == "primary" else (0, math.inf))
            for i in hidden
        }

        def lo(i: int) -> float:
            return bounds[i][0] if i in bounds else float(self.cells[i].value or 0)

        def hi(i: int) -> float:
            return bounds[i][1] if i in bounds else float(self.cells[i].value or 0)

        for _ in range(50):
            changed = False
            for total, parts in self.groups:
                members = [(total, +1), *((p, -1) for p in parts)]
                for i, _sign in members:
                    if i not in bounds:
                        continue
                    if i == total:  # total = sum(parts)
                        new_lo = sum(lo(p) for p in parts)
                        new_hi = sum(hi(p) for p in parts)
                    else:  # part = total - sum(other parts)
                        others = [p for p in parts if p != i]
                        new_lo = lo(total) - sum(hi(p) for p in others)
                        new_hi = hi(total) - sum(lo(p) for p in others)
                    cur_lo, cur_hi = bounds[i]
                    nl, nh = max(cur_lo, new_lo), min(cur_hi, new_hi)
                    if (nl, nh) != (cur_lo, cur_hi):
                        bounds[i] = (nl, nh)
                        changed = True
            if not changed:
                break
        return bounds

    def _exposed(self) -> list[int]:
        return [
            i
            for i, (lo, hi) in sorted(self._bounds().items())
            if lo == hi and not self.cells[i].free
        ]

    def _candidates(self, target: int) -> set[int]:
        """The cells that could be hidden to stop *target* from being worked out."""
        out: set[int] = set()
        for total, parts in self.groups:
            if target == total or target in parts:
                out.update(
                    p
                    for p in (total, *parts)
                    if not self.cells[p].suppress
                    and (self.cells[p].value or 0) > 0
                    and self.cells[p].printed  # hiding what is not printed hides nothing
                )
        if not out:
            # Every cell around it is hidden already, and "<5" (1-4) on all of them
            # pins them down (four categories of "<5" under a total "<5" are 1 each):
            # show one of those as "x" (no bounds) instead.
            for total, parts in self.groups:
                if target == total or target in parts:
                    out.update(
                        p
                        for p in (total, *parts)
                        if self.cells[p].suppress == "primary" and self.cells[p].printed
                    )
        return out

    def _suppress_secondary(self) -> None:
        """Hide more cells until no hidden cell can be worked out.

        Greedy: for the first exposed cell, try each shown non-zero cell of a group it is
        in; prefer a breakdown cell over a total (the headline figure stays), then the
        choice that leaves the fewest exposed cells, then the smallest value.
        """
        for _ in range(len(self.cells) + 1):
            exposed = self._exposed()
            if not exposed:
                return
            # The first exposed cell that something can still be done about (an exposed
            # cell whose groups are all hidden already may be freed by another's fix).
            candidates: set[int] = set()
            for target in exposed:
                candidates = self._candidates(target)
                if candidates:
                    break
            if not candidates:
                return
            parts_anywhere = {p for _, parts in self.groups for p in parts}
            headline = {t for t, _ in self.groups} - parts_anywhere
            scored = []
            for c in candidates:
                before = self.cells[c].suppress
                self.cells[c].suppress = "secondary"
                scored.append(
                    (
                        self.cells[c].derived_from is not None or not self.cells[c].printed,
                        c in headline,
                        len(self._exposed()),
                        self.cells[c].value or 0,
                        c,
                    )
                )
                self.cells[c].suppress = before
            chosen = min(scored)[-1]
            self.cells[chosen].suppress = "secondary"
            share = self.cells[chosen].derived_from
            if share is not None and not self.cells[share].suppress:
                self.cells[share].suppress = "secondary"

    def build(self) -> Section:
        self._suppress_secondary()
        figures = []
        for c in self.cells:
            if c.derived_from is not None or not c.printed:
                continue  # never printed
            if c.suppress:
                shown = SHOWN_SMALL if c.suppress == "primary" else SHOWN_SECONDARY
                figures.append(Figure(self.title, c.figure, c.breakdown, None, shown, True))
            else:
                figures.append(Figure(self.title, c.figure, c.breakdown, c.value, c.shown, False))
        charts = []
        for title, name in self.chart_specs:
            parts = [f for f in figures if f.figure == name and f.breakdown != TOTAL]
            if parts:
                charts.append(
                    Chart(
                        title,
                        name,
                        tuple(f.breakdown for f in parts),
                        tuple(None if f.value is None else float(f.value) for f in parts),
                        tuple(f.shown for f in parts),
                    )
                )
        return Section(self.key, self.title, tuple(figures), tuple(charts))


# --- the computation --------------------------------------------------------------------

AGE_BANDS = (
    ("0–17 jaar", 0, 17),
    ("18–26 jaar", 18, 26),
    ("27–44 jaar", 27, 44),
    ("45–64 jaar", 45, 64),
    ("65–74 jaar", 65, 74),
    ("75 jaar en ouder", 75, 999),
)
UNKNOWN = "onbekend"
WAIT_BANDS = (("0–7 dagen", 0, 7), ("8–14 dagen", 8, 14), ("15–28 dagen", 15, 28))
WAIT_LONG = "meer dan 28 dagen"
GP_KINDS = ("huisarts", "poh")
INSTRUMENTS = (
    ("welbevinden-who5", "WHO-5 welbevinden", +1),
    ("eenzaamheid-djg6", "Eenzaamheid (DJG-6)", -1),
)


def age_band(born: date | None, on: date) -> str:
    if born is None or born > on:
        return UNKNOWN
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return next(label for label, lo, hi in AGE_BANDS if lo <= age <= hi)


def _wait_band(days: int) -> str:
    return next((label for label, lo, hi in WAIT_BANDS if lo <= days <= hi), WAIT_LONG)


def _sent_at(events: Sequence[tuple[str, datetime]]) -> datetime | None:
    sent = next((at for status, at in events if status == "verstuurd"), None)
    if sent is None:
        sent = next((at for status, at in events if status != "concept"), None)
    return sent


def _unique_labels(keys: Sequence[tuple[object, str, str]]) -> dict[object, str]:
    """Labels for (key, name, qualifier): the name, qualified when names repeat."""
    names = Counter(name for _, name, _ in keys)
    out = {key: (name if names[name] == 1 else f"{name} ({qual})") for key, name, qual in keys}
    taken = Counter(out.values())
    for key, _name, _ in keys:
        if taken[out[key]] > 1:
            out[key] = f"{out[key]} #{key}"
    return out


def _first_latest(
    rows: Iterable[tuple[object, date, int]], period: Period
) -> list[tuple[int, int]]:
    """(first, latest) per key, where the latest on or before the end lies in the period."""
    series: dict[object, list[tuple[date, int]]] = defaultdict(list)
    for key, held_on, value in rows:
        if held_on <= period.end:
            series[key].append((held_on, value))
    out = []
    for points in series.values():
        if len(points) < 2:
            continue
        points.sort(key=lambda p: p[0])  # stable: same-day points keep their order
        if period.contains(points[-1][0]):
            out.append((points[0][1], points[-1][1]))
    return out


def build_report(inp: ReportInput) -> Report:
    period = inp.period
    lab = labels()
    if inp.practice_id is None:
        clients = list(inp.clients)
        practice = "Alle verwijzers"
    else:
        clients = [c for c in inp.clients if c.referrer_id == inp.practice_id]
        practice = inp.practice_name or next(
            (c.referrer for c in clients if c.referrer), f"Verwijzer {inp.practice_id}"
        )
    by_id = {c.client_id: c for c in clients}
    end_dt = datetime.combine(period.end, datetime.max.time())
    start_dt = datetime.combine(period.start, datetime.min.time())
    contacts = [
        c for c in inp.contacts if c.client_id in by_id and start_dt <= c.occurred_at <= end_dt
    ]
    new = [c for c in clients if period.contains(c.intake)]
    reached_ids = {c.client_id for c in contacts}
    reached = [c for c in clients if c.client_id in reached_ids]
    closed = [c for c in clients if c.closed_on is not None and period.contains(c.closed_on)]

    sections = (
        _reach(period, new, clients, contacts, reached, lab),
        _access(period, new),
        _who(period, reached, lab),
        _routes(period, inp, by_id, reached, end_dt, lab),
        _outcomes(period, inp, by_id, closed, lab),
        _care(reached, closed),
    )
    return Report(period, practice, sections, inp.in_words)


def _reach(
    period: Period,
    new: list[ClientFacts],
    clients: list[ClientFacts],
    contacts: list[ContactFacts],
    reached: list[ClientFacts],
    lab: Labels,
) -> Section:
    b = _Builder("bereik", "Bereik")
    total = b.count("Nieuwe aanmeldingen", TOTAL, len(new))
    new = [
        c if c.referrer_kind in lab.referrer_kinds else replace(c, referrer_kind="") for c in new
    ]
    kinds = Counter(c.referrer_kind for c in new)
    kind_order = [k for k in lab.referrer_kinds if k] + [""]
    kind_cells = b.breakdown(
        "Nieuwe aanmeldingen naar soort verwijzer",
        ((lab.referrer_kinds[k], kinds[k]) for k in kind_order),
        total,
    )
    per_ref = Counter((c.referrer_id, c.referrer_kind) for c in new)
    names = {(c.referrer_id, c.referrer_kind): c.referrer for c in new}
    keys = sorted(per_ref, key=lambda k: (-per_ref[k], names[k] or "~", str(k)))
    ref_labels = _unique_labels(
        [
            (
                k,
                names[k] if k[0] is not None and names[k] else "Geen verwijzer vastgelegd",
                lab.referrer_kinds.get(k[1], k[1]),
            )
            for k in keys
        ]
    )
    ref_cells = b.breakdown(
        "Nieuwe aanmeldingen naar verwijzer", ((ref_labels[k], per_ref[k]) for k in keys), total
    )
    # Nested: each kind is the total of its referrers.
    for kind, kcell in zip(kind_order, kind_cells, strict=True):
        inner = [cell for k, cell in zip(keys, ref_cells, strict=True) if k[1] == kind]
        if inner:
            b.groups.append((kcell, inner))
    b.count("Unieke cliënten bereikt", TOTAL, len(reached))
    active = sum(
        1
        for c in clients
        if c.registered_on <= period.end
        and not (c.closed_on is not None and c.closed_on <= period.end)
        and not (c.status == "afgesloten" and c.closed_on is None)
    )
    b.count("Actieve caseload op de einddatum", TOTAL, active)
    ctotal = b.count("Contacten", TOTAL, len(contacts))
    ckinds = Counter(c.kind if c.kind in CONTACT_KINDS else "anders" for c in contacts)
    order = list(CONTACT_KINDS)
    b.breakdown("Contacten naar soort", ((k[:1].upper() + k[1:], ckinds[k]) for k in order), ctotal)
    b.amount("Uren contact", sum(c.duration_min or 0 for c in contacts) / 60, "uur", 1)
    b.amount("Uren reistijd", sum(c.travel_minutes or 0 for c in contacts) / 60, "uur", 1)
    b.amount("Kilometers", sum(c.travel_km or 0.0 for c in contacts), "km", 1)
    b.chart("Nieuwe aanmeldingen naar soort verwijzer", "Nieuwe aanmeldingen naar soort verwijzer")
    b.chart("Nieuwe aanmeldingen naar verwijzer", "Nieuwe aanmeldingen naar verwijzer")
    b.chart("Contacten naar soort", "Contacten naar soort")
    return b.build()


def _access(period: Period, new: list[ClientFacts]) -> Section:
    b = _Builder("toegang", "Toegang")
    waits = [max(0, (c.first_contact.date() - c.intake).days) for c in new if c.first_contact]
    late_without = sum(
        1 for c in new if c.first_contact is None and c.intake + timedelta(NORM_DAYS) <= period.end
    )
    b.median_days("Dagen tot eerste contact", "mediaan", waits)
    within = sum(1 for w in waits if w <= NORM_DAYS)
    share = b.share("Eerste contact binnen 14 dagen", "aandeel", within, len(waits) + late_without)
    # The share times its (shown) base gives the number within 14 days back, which is the
    # sum of the first two wait bands: a group, or a hidden band could be worked out.
    within_cell = b.numerator(share, within)
    base = b.count(
        "Eerste contact binnen 14 dagen", "aantal cliënten (basis)", len(waits) + late_without
    )
    total = b.count("Nieuwe aanmeldingen met eerste contact", TOTAL, len(waits))
    # The base minus those with a first contact gives the late ones without one, and
    # the new referrals (shown under Bereik) minus the base those still inside their 14
    # days: counts a reader can work out, so they take part in the groups.
    late = b.unprinted(late_without)
    waiting = b.unprinted(len(new) - len(waits) - late_without)
    b.groups.append((base, [total, late]))
    b.groups.append((b.known(len(new)), [total, late, waiting]))
    bands = Counter(_wait_band(w) for w in waits)
    order = [label for label, _, _ in WAIT_BANDS] + [WAIT_LONG]
    band_cells = b.breakdown("Wachttijd tot eerste contact", ((k, bands[k]) for k in order), total)
    b.groups.append((within_cell, band_cells[:2]))
    b.chart("Wachttijd tot eerste contact", "Wachttijd tot eerste contact")
    return b.build()


def _who(period: Period, reached: list[ClientFacts], lab: Labels) -> Section:
    b = _Builder("wie", "Wie")
    total = b.count("Cliënten bereikt", TOTAL, len(reached))
    ages = Counter(age_band(c.date_of_birth, period.end) for c in reached)
    order = [label for label, _, _ in AGE_BANDS] + [UNKNOWN]
    b.breakdown("Leeftijd", ((k, ages[k]) for k in order), total)
    wijk = Counter(
        c.postal4 if len(c.postal4) == 4 and c.postal4.isdigit() else "" for c in reached
    )
    # A wijk with fewer than 5 clients is not named at all (naming it, even as "<5",
    # says that a client lives there): those are counted together.
    wkeys = sorted((k for k in wijk if k and wijk[k] >= SMALL), key=lambda k: (-wijk[k], k))
    few = sum(n for k, n in wijk.items() if k and n < SMALL)
    cells = [(k, wijk[k]) for k in wkeys]
    if few:
        cells.append((OTHER_WIJKEN, few))
    if wijk[""]:
        cells.append((UNKNOWN, wijk[""]))
    b.breakdown("Wijk (postcode)", cells, total)
    # An unknown code counts as "overig" and never prints as typed text.
    themes = Counter(
        t for c in reached for t in {x if x in lab.themes else "overig" for x in c.themes}
    )
    b.breakdown("Thema's van de hulpvraag", ((lab.themes[t], themes[t]) for t in lab.themes))
    b.chart("Leeftijd", "Leeftijd")
    b.chart("Wijk (postcode)", "Wijk (postcode)")
    b.chart("Thema's van de hulpvraag", "Thema's van de hulpvraag")
    return b.build()


def _routes(
    period: Period,
    inp: ReportInput,
    by_id: dict[int, ClientFacts],
    reached: list[ClientFacts],
    end_dt: datetime,
    lab: Labels,
) -> Section:
    b = _Builder("routes", "Routes naar partners")
    sent: list[tuple[ReferralFacts, datetime, list[tuple[str, datetime]]]] = []
    feedback_base = feedback_met = 0
    for r in inp.referrals:
        if r.client_id not in by_id:
            continue
        events = [(s, at) for s, at in r.events if at <= end_dt]
        if r.feedback_due is not None and period.contains(r.feedback_due):
            feedback_base += 1
            if any(s == "teruggekoppeld" and at.date() <= r.feedback_due for s, at in events):
                feedback_met += 1
        at = _sent_at(events)
        if at is not None and period.contains(at.date()):
            sent.append((r, at, events))
    total = b.count("Verwijzingen naar partners", TOTAL, len(sent))
    partners = Counter(r.partner_id for r, _, _ in sent)
    pnames = {r.partner_id: r.partner for r, _, _ in sent}
    pkeys = sorted(partners, key=lambda k: (-partners[k], pnames[k], k))
    plabels = _unique_labels([(k, pnames[k] or "Onbekende partner", str(k)) for k in pkeys])
    b.breakdown("Verwijzingen naar partner", ((plabels[k], partners[k]) for k in pkeys), total)
    domains = Counter(d for r, _, _ in sent for d in set(r.domains))
    dorder = [d for d in lab.domains if domains[d]] + sorted(
        d for d in domains if d not in lab.domains
    )
    b.breakdown(
        "Verwijzingen naar leefgebied", ((lab.domains.get(d, d), domains[d]) for d in dorder)
    )
    reached_states = [{s for s, _ in events} for _, _, events in sent]
    n = len(sent)
    b.share(
        "Geaccepteerd",
        "aandeel",
        sum(1 for s in reached_states if s & {"geaccepteerd", "gestart", "afgerond"}),
        n,
    )
    b.share("Gestart", "aandeel", sum(1 for s in reached_states if s & {"gestart", "afgerond"}), n)
    b.share("Afgerond", "aandeel", sum(1 for s in reached_states if "afgerond" in s), n)
    replies = []
    for _, at, events in sent:
        reply = next((t for s, t in events if s in ("geaccepteerd", "afgewezen")), None)
        if reply is not None:
            replies.append(max(0, (reply.date() - at.date()).days))
    b.median_days("Dagen tot reactie partner", "mediaan", replies)
    b.count("Terugkoppelmomenten in de periode", TOTAL, feedback_base)
    b.share("Terugkoppeling op tijd", "aandeel", feedback_met, feedback_base)
    letters = {g.client_id for g in inp.gp_letters if g.at <= end_dt}
    gp_clients = [c for c in reached if c.referrer_kind in GP_KINDS]
    with_letter = sum(1 for c in gp_clients if c.client_id in letters)
    b.count("Terugkoppelbrief huisarts", "cliënten verwezen door huisarts of POH", len(gp_clients))
    b.count("Terugkoppelbrief huisarts", "cliënten met brief", with_letter)
    b.share("Terugkoppelbrief huisarts", "aandeel", with_letter, len(gp_clients))
    b.chart("Verwijzingen naar partner", "Verwijzingen naar partner")
    b.chart("Verwijzingen naar leefgebied", "Verwijzingen naar leefgebied")
    return b.build()


def _outcomes(
    period: Period,
    inp: ReportInput,
    by_id: dict[int, ClientFacts],
    closed: list[ClientFacts],
    lab: Labels,
) -> Section:
    b = _Builder("uitkomsten", "Uitkomsten")
    for instrument_id, name, better in INSTRUMENTS:
        pairs = _first_latest(
            (
                (m.client_id, m.held_on, m.total)
                for m in inp.measures
                if m.instrument_id == instrument_id and m.client_id in by_id
            ),
            period,
        )
        changes = [latest - first for first, latest in pairs]
        b.count(name, "cliënten met eerste en laatste meting", len(pairs))
        b.mean(name, "gemiddelde verandering", changes, signed=True)
        b.share(name, "aandeel verbeterd", sum(1 for d in changes if d * better > 0), len(pairs))
    per_domain: dict[str, list[int]] = defaultdict(list)
    pairs_by_key = _first_latest_by_domain(inp, by_id, period)
    for domain, change in pairs_by_key:
        per_domain[domain].append(change)
    dorder = [d for d in lab.domains if d in per_domain] + sorted(
        d for d in per_domain if d not in lab.domains
    )
    names = [(d, lab.domains.get(d, d)) for d in dorder]
    for d, name in names:
        b.count("Leefgebied: cliënten met eerste en laatste gesprek", name, len(per_domain[d]))
    for d, name in names:
        b.mean("Leefgebied: gemiddelde verandering", name, per_domain[d], signed=True)
    for d, name in names:
        changes = per_domain[d]
        improved = sum(1 for c in changes if c > 0)
        b.share("Leefgebied: aandeel verbeterd", name, improved, len(changes))
    total = b.count("Afgesloten in de periode", TOTAL, len(closed))
    codes = Counter(c.closure_code if c.closure_code in lab.closure else "anders" for c in closed)
    b.breakdown("Afsluitreden", ((lab.closure[k], codes[k]) for k in lab.closure), total)
    b.chart("Leefgebieden: gemiddelde verandering", "Leefgebied: gemiddelde verandering")
    b.chart("Afsluitreden", "Afsluitreden")
    return b.build()


def _first_latest_by_domain(
    inp: ReportInput, by_id: dict[int, ClientFacts], period: Period
) -> list[tuple[str, int]]:
    rows = [
        ((s.client_id, s.domain), s.held_on, s.score)
        for s in inp.domain_scores
        if s.client_id in by_id
    ]
    series: dict[str, list[tuple[object, date, int]]] = defaultdict(list)
    for key, held_on, score in rows:
        series[key[1]].append((key, held_on, score))
    out = []
    for domain, domain_rows in series.items():
        out += [(domain, latest - first) for first, latest in _first_latest(domain_rows, period)]
    return out


GP_BEFORE = "gemiddeld vóór (12 maanden)"
GP_AFTER = "gemiddeld na (omgerekend naar 12 maanden)"


def _per_year(count: int, months: int | None) -> float:
    """A count over *months* as a count over 12 (a missing period is taken as 12)."""
    return count * 12 / months if months else float(count)


def _care(reached: list[ClientFacts], closed: list[ClientFacts]) -> Section:
    b = _Builder("zorggebruik", "Zorggebruik")
    base = {c.client_id: c for c in [*reached, *closed]}
    recorded = [c for c in base.values() if c.gp_before is not None and c.gp_after is not None]
    b.count("Huisartscontacten vastgelegd voor en na", TOTAL, len(recorded))
    # "Before" covers the 12 months before the referral; "after" a period of its own
    # length, so it is scaled to 12 months before anything is compared.
    after = {c.client_id: _per_year(c.gp_after or 0, c.gp_after_months) for c in recorded}
    b.mean("Huisartscontacten", GP_BEFORE, [c.gp_before or 0 for c in recorded])
    b.mean("Huisartscontacten", GP_AFTER, [after[c.client_id] for c in recorded])
    b.share(
        "Minder huisartscontacten na",
        "aandeel",
        sum(1 for c in recorded if after[c.client_id] < (c.gp_before or 0)),
        len(recorded),
    )
    months = [c.gp_after_months for c in recorded if c.gp_after_months is not None]
    b.mean("Periode 'na' in maanden", "gemiddeld", months)
    b.chart("Huisartscontacten (gemiddeld)", "Huisartscontacten")
    return b.build()
