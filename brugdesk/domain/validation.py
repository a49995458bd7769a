"""Field validation shared by every service and by the imports.

Validators return the cleaned value or raise ``FieldError`` with a Dutch
message; :class:`Checker` collects them per field so a form (or a CSV line)
gets every problem at once.

Text policy: long texts (notes, reasons) are stored exactly as typed.
Single-line fields lose leading/trailing spaces. Text that cannot be stored
faithfully (NUL and other control characters, broken Unicode) is refused
with a message instead of being silently altered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar, cast

from brugdesk.errors import ValidationError

T = TypeVar("T")

SHORT_MAX = 200
MEDIUM_MAX = 2_000
#: A 1 MB note is fine; 100 MB is refused. Counted in characters.
LONG_MAX = 5_000_000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f]")
_POSTCODE = re.compile(r"([1-9][0-9]{3})\s?([A-Za-z]{2})")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]{2,}")
_PHONE = re.compile(r"\+?[0-9 ()\-.]+")
_WHOLE = re.compile(r"-?[0-9]+")  # as typed: no "1_000", "1e3" or "½"
_DECIMAL = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")

EARLIEST_DATE = date(1900, 1, 1)


class FieldError(ValueError):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class Checker:
    """Collects field errors; ``done()`` raises one ValidationError with all of them."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def check(self, name: str, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """The checked value; on a field error, note it and return None in its place.

        The placeholder is never used: every caller calls ``done()``, which raises
        as soon as one field failed, before any checked value is stored.
        """
        try:
            return func(*args, **kwargs)
        except FieldError as exc:
            self.errors[name] = exc.message
            return cast(T, None)

    def fail(self, name: str, message: str) -> None:
        # The field's first error says what is really wrong (a rule that reads the
        # field's checked value sees None after its own check failed).
        self.errors.setdefault(name, message)

    def done(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _storable(value: str, label: str, pattern: re.Pattern[str]) -> None:
    if pattern.search(value):
        raise FieldError(
            f"{label} bevat een onzichtbaar stuurteken dat niet kan worden bewaard. "
            "Verwijder het (vaak ontstaan door kopiëren en plakken)."
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise FieldError(
            f"{label} bevat een beschadigd teken dat niet kan worden bewaard. Typ de tekst opnieuw."
        ) from None


def line(value: Any, label: str, *, required: bool = False, max_len: int = SHORT_MAX) -> str:
    """A single-line text: trimmed, no line breaks or control characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise FieldError(f"{label} moet tekst zijn.")
    value = value.strip()
    if required and not value:
        raise FieldError(f"{label} is verplicht.")
    if len(value) > max_len:
        raise FieldError(f"{label} is te lang ({len(value)} tekens; maximaal {max_len}).")
    _storable(value, label, _CONTROL_SINGLE_LINE)
    return value


def text(value: Any, label: str, *, required: bool = False, max_len: int = LONG_MAX) -> str:
    """A multi-line text, stored exactly as typed."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise FieldError(f"{label} moet tekst zijn.")
    if required and not value.strip():
        raise FieldError(f"{label} is verplicht.")
    if len(value) > max_len:
        raise FieldError(
            f"{label} is te lang ({len(value):,} tekens; maximaal {max_len:,}). "
            "Verdeel de tekst over meer notities of bewaar grote stukken buiten brugdesk.".replace(
                ",", "."
            )
        )
    _storable(value, label, _CONTROL)
    return value


def choice(value: Any, label: str, options: tuple[str, ...]) -> str:
    if value not in options:
        raise FieldError(f"{label} moet een van deze zijn: {', '.join(options)}.")
    return value


def postal_code(value: Any) -> str:
    value = line(value, "Postcode", max_len=16)
    if not value:
        return ""
    m = _POSTCODE.fullmatch(value)
    if not m:
        raise FieldError("Postcode moet de vorm 1234 AB hebben.")
    return f"{m.group(1)} {m.group(2).upper()}"


def email(value: Any) -> str:
    value = line(value, "E-mailadres")
    if value and not _EMAIL.fullmatch(value):
        raise FieldError("E-mailadres lijkt niet te kloppen; verwacht iets als naam@voorbeeld.nl.")
    return value


def phone(value: Any) -> str:
    value = line(value, "Telefoonnummer", max_len=40)
    if not value:
        return ""
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE.fullmatch(value) or not 6 <= digits <= 15:
        raise FieldError(
            "Telefoonnummer lijkt niet te kloppen; gebruik cijfers, eventueel met +, spaties "
            "of streepjes (bijvoorbeeld 06-12345678)."
        )
    return value


def parse_date(value: Any, label: str) -> date | None:
    """A date from a ``date``, ``YYYY-MM-DD`` or ``DD-MM-YYYY`` (also with / or .)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        s = value.strip()
        for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"):
            try:
                return datetime.strptime(s, fmt).date()
            except ValueError:
                continue
    raise FieldError(f"{label} is geen geldige datum; gebruik bijvoorbeeld 31-12-1960.")


def birth_date(value: Any, today: date | None = None) -> date | None:
    d = parse_date(value, "Geboortedatum")
    if d is None:
        return None
    today = today or date.today()
    if d > today:
        raise FieldError("Geboortedatum ligt in de toekomst.")
    if d < EARLIEST_DATE:
        raise FieldError("Geboortedatum ligt vóór 1900; controleer het jaartal.")
    return d


def contact_moment(
    value: Any, now: datetime | None = None, *, stored: datetime | None = None
) -> datetime:
    """A contact's date/time: not more than a day ahead (planning is what actions are for).

    The rule applies to new and changed moments only: when *stored* (the
    value already saved) is given and the value is the same moment (to the
    minute, as an editor shows it), it is accepted as it is, so editing an old
    note after a time-zone change or a corrected clock is never refused.
    """
    if isinstance(value, datetime):
        when = value.replace(tzinfo=None) if value.tzinfo is None else value
    elif isinstance(value, str) and value.strip():
        try:
            when = datetime.fromisoformat(value.strip())
        except ValueError:
            raise FieldError("Datum/tijd van het contact is ongeldig.") from None
    else:
        raise FieldError("Datum/tijd van het contact is verplicht.")
    if when.tzinfo is not None:
        when = when.astimezone().replace(tzinfo=None)
    if stored is not None and _same_minute(when, stored):
        return when
    now = now or datetime.now()
    if when > now + timedelta(days=1):
        raise FieldError(
            "Een contactmoment kan niet meer dan een dag in de toekomst liggen. "
            "Plan toekomstige afspraken als actie in het plan."
        )
    if when.date() < EARLIEST_DATE:
        raise FieldError("Datum van het contact ligt vóór 1900; controleer het jaartal.")
    return when


def _same_minute(a: datetime, b: datetime) -> bool:
    if b.tzinfo is not None:
        b = b.astimezone().replace(tzinfo=None)
    return a.replace(second=0, microsecond=0) == b.replace(second=0, microsecond=0)


#: How far a referral's feedback date may lie from today, either way.
FEEDBACK_RANGE = timedelta(days=366)


def feedback_date(value: Any, today: date | None = None) -> date | None:
    """A referral's feedback date: at most a year back and a year ahead of *today*."""
    d = parse_date(value, "Terugkoppeldatum")
    if d is None:
        return None
    today = today or date.today()
    first, last = today - FEEDBACK_RANGE, today + FEEDBACK_RANGE
    if not first <= d <= last:
        raise FieldError(
            f"De terugkoppeldatum moet tussen {first:%d-%m-%Y} en {last:%d-%m-%Y} liggen "
            "(hoogstens een jaar vooruit of terug). Controleer het jaartal."
        )
    return d


def minutes(value: Any, label: str = "Duur") -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and not _WHOLE.fullmatch(value.strip()):
        raise FieldError(f"{label} moet een aantal minuten zijn.")  # not "1_0" or "1e3"
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise FieldError(f"{label} moet een aantal minuten zijn.") from None
    if not 0 <= n <= 24 * 60:
        raise FieldError(f"{label} moet tussen 0 en 1440 minuten liggen.")
    return n


def labels(value: Any, label: str, *, max_items: int = 50) -> list[str]:
    """A list of short labels (domains, shared fields)."""
    if value is None:
        return []
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise FieldError(f"{label} moet een lijst van namen zijn.")
    items = [line(v, label, required=True, max_len=80) for v in value]
    if len(items) > max_items:
        raise FieldError(f"{label}: te veel onderdelen (maximaal {max_items}).")
    return list(dict.fromkeys(items))


def count(value: Any, label: str, *, low: int = 0, high: int = 1000) -> int | None:
    """A whole number in [low, high], or None when left empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise FieldError(f"{label} moet een heel getal zijn.")
    if isinstance(value, str) and not _WHOLE.fullmatch(value.strip()):
        raise FieldError(f"{label} moet een heel getal zijn.")  # not "1_0" or "1e3"
    try:
        n = int(str(value).strip()) if isinstance(value, str) else int(value)
    except (TypeError, ValueError):
        raise FieldError(f"{label} moet een heel getal zijn.") from None
    if isinstance(value, float) and value != n:
        raise FieldError(f"{label} moet een heel getal zijn.")
    if not low <= n <= high:
        raise FieldError(f"{label} moet tussen {low} en {high} liggen.")
    return n


def kilometres(value: Any, label: str = "Kilometers") -> float | None:
    """A distance in km with at most one decimal ('12,5' or '12.5'), or None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise FieldError(f"{label} moet een getal zijn, bijvoorbeeld 12,5.")
    if isinstance(value, str) and not _DECIMAL.fullmatch(value.strip()):
        raise FieldError(f"{label} moet een getal zijn, bijvoorbeeld 12,5.")
    try:
        km = float(value.strip().replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise FieldError(f"{label} moet een getal zijn, bijvoorbeeld 12,5.") from None
    if not 0 <= km <= 1000:  # also refuses nan and inf
        raise FieldError(f"{label} moet tussen 0 en 1000 liggen.")
    return round(km, 1)


def codes(value: Any, label: str, options: tuple[str, ...]) -> list[str]:
    """Several codes from a pick list, each once, in the list's order."""
    if value is None or value == "":
        return []
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise FieldError(f"{label} moet een lijst van keuzes zijn.")
    unknown = [v for v in value if v not in options]
    if unknown:
        raise FieldError(f"{label}: onbekende keuze '{unknown[0][:40]}'.")
    chosen = set(value)
    return [o for o in options if o in chosen]
