"""The meldcode huiselijk geweld en kindermishandeling: its five steps and a valid entry.

The steps are written in our own words. An entry records one step taken: when,
who was consulted, what the worker saw or heard (facts) and, apart from that,
what the worker thinks it means (interpretations) — the meldcode asks to keep
the two apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from brugdesk.domain import validation as v
from brugdesk.errors import ValidationError

#: The five steps, by number.
STEPS: dict[int, str] = {
    1: "Signalen in kaart brengen",
    2: "Collegiale consultatie, en zo nodig Veilig Thuis raadplegen",
    3: "Gesprek met de cliënt",
    4: "Wegen aan de hand van het afwegingskader",
    5: "Beslissen: hulp organiseren en/of melden",
}

FIELDS = ("step", "held_on", "consulted", "facts", "interpretations")
#: Who was consulted: a line or two, not a report.
CONSULTED_MAX = v.MEDIUM_MAX
#: Facts and interpretations: generous, but a step log entry, not a file store.
TEXT_MAX = 20_000

#: The hint on the difference between the two text fields.
FACTS_HINT = (
    "Feiten: wat je zelf zag of hoorde, of wat iemand letterlijk zei (met wie en wanneer). "
    "Interpretaties: wat je denkt dat het betekent. Houd ze gescheiden."
)


def step_title(step: int) -> str:
    return f"Stap {step}: {STEPS[step]}"


def step_number(value: Any) -> int:
    """A step of the meldcode, 1 to 5."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value not in STEPS:
        raise v.FieldError("Kies een stap van 1 tot en met 5.")
    return value


def step_date(value: Any, today: date | None = None) -> date:
    """The day the step was taken: required, not in the future, not before 1900."""
    d = v.parse_date(value, "Datum")
    if d is None:
        raise v.FieldError("Datum is verplicht.")
    if d > (today or date.today()):
        raise v.FieldError("Datum ligt in de toekomst; vul de dag in waarop de stap is gezet.")
    if d < v.EARLIEST_DATE:
        raise v.FieldError("Datum ligt vóór 1900; controleer het jaartal.")
    return d


def clean_entry(
    data: dict[str, Any], *, partial: bool = False, today: date | None = None
) -> dict[str, Any]:
    """Validate meldcode entry fields; raises ValidationError listing every bad field."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationError({k: f"Onbekend veld '{k}'." for k in sorted(unknown)})
    c = v.Checker()
    out: dict[str, Any] = {}

    def want(name: str) -> bool:
        return not partial or name in data

    if want("step"):
        out["step"] = c.check("step", step_number, data.get("step"))
    if want("held_on"):
        out["held_on"] = c.check("held_on", step_date, data.get("held_on"), today)
    if want("consulted"):
        out["consulted"] = c.check(
            "consulted", v.text, data.get("consulted"), "Geraadpleegd", max_len=CONSULTED_MAX
        )
    if want("facts"):
        out["facts"] = c.check(
            "facts", v.text, data.get("facts"), "Feiten", required=True, max_len=TEXT_MAX
        )
    if want("interpretations"):
        out["interpretations"] = c.check(
            "interpretations",
            v.text,
            data.get("interpretations"),
            "Interpretaties",
            max_len=TEXT_MAX,
        )
    c.done()
    return out


def steps_done_text(steps: Iterable[int]) -> str:
    """The dossier's one line: which steps are done, without any text of the entries."""
    done = sorted(set(steps))
    if not done:
        return "Meldcode: nog geen stappen vastgelegd."
    numbers = [str(s) for s in done]
    listed = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " en " + numbers[-1]
    return f"Meldcode: stap {listed} gedaan."
