"""Conversation instruments: TOML files in ``brugdesk/resources/instruments/``.

Two kinds:

- ``domains`` — life domains with openers, signals to tick and a 1–5
  self-sufficiency scale (``leefgebieden``);
- ``scale`` — a validated questionnaire with fixed answers, per-answer points,
  subscales and bands (``eenzaamheid-djg6``, ``welbevinden-who5``). Scoring is
  evaluated from the file's data, never hard-coded: the points are summed and,
  with ``multiplier = 4`` (WHO-5), multiplied into the score the bands use
  (raw 0–25 becomes 0–100). An answer may name its own ``key`` (0–9), the
  number key that picks it; without keys the answers are picked with 1, 2, 3 ….

Every instrument has an id and a version. An assessment stores both, so an old
one keeps rendering with the version it was made with: older versions live in
``brugdesk/resources/instruments/archive/`` and stay loadable. They are read
through ``importlib.resources`` (:func:`brugdesk.paths.resources`), so an
installed wheel or a frozen app finds them as well.

A bad file is rejected with a message naming the file, the key and the problem.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from brugdesk.errors import BrugdeskError
from brugdesk.paths import resources

_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,60}")
KINDS = ("domains", "scale")


class InstrumentError(BrugdeskError):
    """A broken instrument file; the message names file, key and problem."""


@dataclass(frozen=True)
class Level:
    value: int
    label: str
    description: str


@dataclass(frozen=True)
class Signal:
    id: str
    label: str


@dataclass(frozen=True)
class Domain:
    id: str
    name: str
    openers: tuple[str, ...]
    signals: tuple[Signal, ...]

    def signal_label(self, signal_id: str) -> str:
        return next((s.label for s in self.signals if s.id == signal_id), signal_id)


@dataclass(frozen=True)
class Answer:
    id: str
    label: str
    key: int | None = None  # the number key that picks it; None: its position + 1


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    subscale: str
    points: dict[str, int]


@dataclass(frozen=True)
class Subscale:
    id: str
    label: str


@dataclass(frozen=True)
class Band:
    min: int
    max: int
    label: str


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    title: str
    kind: str
    description: str
    source: str
    scale: tuple[Level, ...] = ()
    domains: tuple[Domain, ...] = ()
    answers: tuple[Answer, ...] = ()
    items: tuple[Item, ...] = ()
    subscales: tuple[Subscale, ...] = ()
    bands: tuple[Band, ...] = ()
    multiplier: int = 1  # the summed points times this is the score the bands use
    prompt: str = ""  # what the worker reads out before each statement of a scale

    @property
    def raw_maximum(self) -> int:
        return sum(max(it.points.values()) for it in self.items)

    @property
    def maximum(self) -> int:
        return self.raw_maximum * self.multiplier

    def domain(self, domain_id: str) -> Domain | None:
        return next((d for d in self.domains if d.id == domain_id), None)

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    def level(self, value: int | None) -> Level | None:
        return next((lv for lv in self.scale if lv.value == value), None)

    @property
    def parts(self) -> tuple[str, ...]:
        """The ids an assessment row may carry: domain ids or item ids."""
        return tuple(d.id for d in self.domains) or tuple(i.id for i in self.items)

    def part_name(self, part_id: str) -> str:
        domain = self.domain(part_id)
        if domain is not None:
            return domain.name
        item = self.item(part_id)
        return item.text if item is not None else part_id


@dataclass(frozen=True)
class ScaleResult:
    """The outcome of a ``scale`` instrument, computed from its rules."""

    complete: bool
    total: int | None  # the score the bands use (the points times the multiplier)
    maximum: int
    subscales: dict[str, int | None]
    band: str
    raw_total: int | None = None  # the summed points, before the multiplier
    raw_maximum: int = 0

    def describe(self, instrument: Instrument) -> str:
        if not self.complete:
            return "Niet alle vragen zijn beantwoord; er is geen totaalscore."
        if instrument.multiplier != 1:
            parts = [
                f"Score {self.total} van {self.maximum} "
                f"(ruwe score {self.raw_total} van {self.raw_maximum} × "
                f"{instrument.multiplier}): {self.band}."
            ]
        else:
            parts = [f"Totaal {self.total} van {self.maximum}: {self.band}."]
        for sub in instrument.subscales:
            parts.append(f"{sub.label}: {self.subscales[sub.id]}.")
        return " ".join(parts)


# --- loading -------------------------------------------------------------------


class _Reader:
    """Typed access to parsed TOML that reports the file and key of a problem."""

    def __init__(self, path: Path | Traversable) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> InstrumentError:
        return InstrumentError(f"Instrumentbestand {self.path.name}: '{key}' {problem}.")

    def text(self, data: dict, key: str, where: str = "", *, optional: bool = False) -> str:
        full = f"{where}.{key}" if where else key
        value = data.get(key)
        if value is None and optional:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(full, "ontbreekt of is geen tekst")
        return value.strip()

    def ident(self, data: dict, key: str, where: str = "") -> str:
        value = self.text(data, key, where)
        if not _ID.fullmatch(value):
            full = f"{where}.{key}" if where else key
            raise self.fail(full, "mag alleen kleine letters, cijfers en streepjes bevatten")
        return value

    def table_list(self, data: dict, key: str, *, minimum: int = 1) -> list[dict]:
        value = data.get(key)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, "ontbreekt of is geen lijst van tabellen")
        if len(value) < minimum:
            raise self.fail(key, f"moet minstens {minimum} onderdeel/onderdelen hebben")
        return value

    def unique(self, ids: list[str], key: str) -> None:
        seen = set()
        for i in ids:
            if i in seen:
                raise self.fail(key, f"bevat '{i}' twee keer")
            seen.add(i)


def load_file(path: Path | Traversable) -> Instrument:
    r = _Reader(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InstrumentError(f"Instrumentbestand {path.name} bestaat niet.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InstrumentError(
            f"Instrumentbestand {path.name} is geen geldige TOML: {exc}."
        ) from None
    kind = r.text(data, "kind")
    if kind not in KINDS:
        raise r.fail("kind", f"moet een van {', '.join(KINDS)} zijn")
    version = data.get("version")
    if not isinstance(version, str) or not re.fullmatch(r"\d+(\.\d+)*", version):
        raise r.fail("version", 'moet een versienummer als tekst zijn, bijvoorbeeld "1"')
    common: dict[str, Any] = dict(
        id=r.ident(data, "id"),
        version=version,
        title=r.text(data, "title"),
        kind=kind,
        description=r.text(data, "description", optional=True),
        source=r.text(data, "source", optional=True),
    )
    if kind == "domains":
        return Instrument(**common, scale=_scale(r, data), domains=_domains(r, data))
    multiplier = data.get("multiplier", 1)
    if not isinstance(multiplier, int) or isinstance(multiplier, bool) or multiplier < 1:
        raise r.fail("multiplier", "moet een geheel getal van 1 of meer zijn")
    answers, items, subscales, bands = _scale_parts(r, data, multiplier)
    return Instrument(
        **common,
        answers=answers,
        items=items,
        subscales=subscales,
        bands=bands,
        multiplier=multiplier,
        prompt=r.text(data, "prompt", optional=True),
    )


def _scale(r: _Reader, data: dict) -> tuple[Level, ...]:
    levels = []
    for i, raw in enumerate(r.table_list(data, "scale", minimum=2)):
        value = raw.get("value")
        if not isinstance(value, int) or isinstance(value, bool):
            raise r.fail(f"scale[{i}].value", "moet een geheel getal zijn")
        levels.append(
            Level(
                value,
                r.text(raw, "label", f"scale[{i}]"),
                r.text(raw, "description", f"scale[{i}]"),
            )
        )
    values = [lv.value for lv in levels]
    if values != list(range(values[0], values[0] + len(values))):
        raise r.fail("scale", "moet oplopende, aaneensluitende waarden hebben (1, 2, 3 …)")
    return tuple(levels)


def _domains(r: _Reader, data: dict) -> tuple[Domain, ...]:
    domains = []
    for i, raw in enumerate(r.table_list(data, "domains")):
        where = f"domains[{i}]"
        openers = raw.get("openers")
        if (
            not isinstance(openers, list)
            or not openers
            or not all(isinstance(o, str) and o.strip() for o in openers)
        ):
            raise r.fail(f"{where}.openers", "moet een lijst met minstens één vraag zijn")
        signals = []
        for j, s in enumerate(raw.get("signals", [])):
            if not isinstance(s, dict):
                raise r.fail(f"{where}.signals[{j}]", "moet een tabel met id en label zijn")
            signals.append(
                Signal(
                    r.ident(s, "id", f"{where}.signals[{j}]"),
                    r.text(s, "label", f"{where}.signals[{j}]"),
                )
            )
        r.unique([s.id for s in signals], f"{where}.signals")
        domains.append(
            Domain(
                r.ident(raw, "id", where),
                r.text(raw, "name", where),
                tuple(o.strip() for o in openers),
                tuple(signals),
            )
        )
    r.unique([d.id for d in domains], "domains")
    return tuple(domains)


def _answer_key(r: _Reader, raw: dict, where: str) -> int | None:
    key = raw.get("key")
    if key is None:
        return None
    if not isinstance(key, int) or isinstance(key, bool) or not 0 <= key <= 9:
        raise r.fail(f"{where}.key", "moet een cijfertoets van 0 tot en met 9 zijn")
    return key


def _scale_parts(r: _Reader, data: dict, multiplier: int = 1):
    answers = [
        Answer(
            r.ident(a, "id", f"answers[{i}]"),
            r.text(a, "label", f"answers[{i}]"),
            _answer_key(r, a, f"answers[{i}]"),
        )
        for i, a in enumerate(r.table_list(data, "answers", minimum=2))
    ]
    r.unique([a.id for a in answers], "answers")
    keys = [a.key for a in answers]
    if any(k is not None for k in keys):
        if None in keys:
            raise r.fail("answers", "moeten allemaal of geen van alle een 'key' hebben")
        r.unique([str(k) for k in keys], "answers.key")
    subscales = [
        Subscale(r.ident(s, "id", f"subscales[{i}]"), r.text(s, "label", f"subscales[{i}]"))
        for i, s in enumerate(data.get("subscales", []))
    ]
    answer_ids = {a.id for a in answers}
    sub_ids = {s.id for s in subscales}
    items = []
    for i, raw in enumerate(r.table_list(data, "items")):
        where = f"items[{i}]"
        points = raw.get("points")
        if not isinstance(points, dict) or set(points) != answer_ids:
            raise r.fail(
                f"{where}.points", f"moet precies de antwoorden {sorted(answer_ids)} scoren"
            )
        if not all(
            isinstance(p, int) and not isinstance(p, bool) and p >= 0 for p in points.values()
        ):
            raise r.fail(f"{where}.points", "moeten gehele getallen van 0 of meer zijn")
        subscale = raw.get("subscale", "")
        if subscale and subscale not in sub_ids:
            raise r.fail(f"{where}.subscale", f"'{subscale}' staat niet bij subscales")
        items.append(
            Item(r.ident(raw, "id", where), r.text(raw, "text", where), subscale, dict(points))
        )
    r.unique([it.id for it in items], "items")
    maximum = sum(max(it.points.values()) for it in items) * multiplier
    bands = []
    for i, raw in enumerate(r.table_list(data, "bands")):
        low, high = raw.get("min"), raw.get("max")
        if not (
            isinstance(low, int)
            and isinstance(high, int)
            and not isinstance(low, bool)
            and not isinstance(high, bool)
            and low <= high
        ):
            raise r.fail(f"bands[{i}]", "moet gehele getallen min ≤ max hebben")
        bands.append(Band(low, high, r.text(raw, "label", f"bands[{i}]")))
    covered = sorted(v for b in bands for v in range(b.min, b.max + 1))
    if covered != list(range(0, maximum + 1)):
        raise r.fail("bands", f"moeten elke score van 0 tot {maximum} precies één keer dekken")
    return tuple(answers), tuple(items), tuple(subscales), tuple(bands)


# --- the registry --------------------------------------------------------------


def _tomls(folder: Traversable) -> list[Traversable]:
    if not folder.is_dir():
        return []
    found = [f for f in folder.iterdir() if f.name.endswith(".toml") and f.is_file()]
    return sorted(found, key=lambda f: f.name)


def instrument_files(root: Path | None = None) -> list[Traversable]:
    """The shipped instrument files (or those under *root*), current ones first."""
    base = (root if root is not None else resources()) / "instruments"
    return _tomls(base) + _tomls(base / "archive")


@cache
def _load_all(root: Path | None = None) -> dict[tuple[str, str], Instrument]:
    found: dict[tuple[str, str], Instrument] = {}
    for path in instrument_files(root):
        inst = load_file(path)
        key = (inst.id, inst.version)
        if key in found:
            raise InstrumentError(
                f"Instrumentbestand {path.name}: '{inst.id}' versie {inst.version} bestaat al."
            )
        found[key] = inst
    return found


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def get(instrument_id: str, version: str | None = None) -> Instrument:
    """A specific version (for rendering old assessments) or the newest one."""
    found = _load_all()
    if version is not None:
        try:
            return found[(instrument_id, version)]
        except KeyError:
            raise InstrumentError(
                f"Instrument '{instrument_id}' versie {version} is niet (meer) beschikbaar."
            ) from None
    versions = [v for (i, v) in found if i == instrument_id]
    if not versions:
        raise InstrumentError(f"Onbekend instrument '{instrument_id}'.")
    return found[(instrument_id, max(versions, key=_version_key))]


def latest_all() -> list[Instrument]:
    ids = sorted({i for (i, _v) in _load_all()})
    return [get(i) for i in ids]


# --- scoring -------------------------------------------------------------------


def score_scale(instrument: Instrument, answers: dict[str, str]) -> ScaleResult:
    """Apply the instrument's own rules to answers (item id -> answer id)."""
    if instrument.kind != "scale":
        raise ValueError("only scale instruments have a score")
    points: dict[str, int] = {}
    for item in instrument.items:
        answer = answers.get(item.id)
        if answer is not None:
            if answer not in item.points:
                raise InstrumentError(f"'{answer}' is geen antwoord op '{item.text}'.")
            points[item.id] = item.points[answer]
    complete = len(points) == len(instrument.items)
    subscales: dict[str, int | None] = {}
    for sub in instrument.subscales:
        members = [it.id for it in instrument.items if it.subscale == sub.id]
        subscales[sub.id] = (
            sum(points[m] for m in members) if all(m in points for m in members) else None
        )
    raw = sum(points.values()) if complete else None
    total = raw * instrument.multiplier if raw is not None else None
    band = next(
        (b.label for b in instrument.bands if total is not None and b.min <= total <= b.max), ""
    )
    return ScaleResult(
        complete, total, instrument.maximum, subscales, band, raw, instrument.raw_maximum
    )


def answer_index(instrument: Instrument, answer_id: str) -> int:
    """Answers are stored as their position (0, 1, 2 …) in the instrument's list."""
    return [a.id for a in instrument.answers].index(answer_id)


def answer_at(instrument: Instrument, index: int | None) -> str | None:
    if index is None or not 0 <= index < len(instrument.answers):
        return None
    return instrument.answers[index].id
