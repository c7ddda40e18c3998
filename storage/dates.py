"""Dates as news copy writes them, resolved against the publication date.

Every date keeps its precision: "last month" is a month, never its first day
pretending to be a day. python-dateutil does the absolute parsing; relative
words ("Monday", "last week") are resolved here because dateutil resolves a
bare weekday forwards, while news speaks of the past.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta

Precision = Literal["day", "week", "month", "year"]
# How long each precision's period lasts: a date known to a precision is the period [day, day + span).
PERIOD: dict[str, timedelta | relativedelta] = {
    "day": timedelta(days=1),
    "week": timedelta(days=7),
    "month": relativedelta(months=1),
    "year": relativedelta(years=1),
}


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}
_MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
]
# Words that soften a date without changing its period ("late last month").
_VAGUE = re.compile(r"^(?:(?:late|early|mid|earlier|later)(?:\s+|-)(?:in\s+|on\s+)?)")
_LEAD = re.compile(r"^(?:on|in|since|from|as of|during|at|by|the)\s+")
_TRAIL = re.compile(
    r"(?:'s|’s)?(?:\s+(?:morning|afternoon|evening|night|local time))?[\s.,;:]*$"
)


MAX_DATE_WORDS = 120  # characters: "late on the afternoon of Monday, March 22, 2021, local time" is half that


class DateError(ValueError):
    """A date that cannot be read without guessing."""


class AmbiguousDate(DateError):
    """Numbers that read as day/month and as month/day: refused, never guessed."""

    def __init__(self, message: str, readings: str) -> None:
        super().__init__(message)
        self.readings = readings  # both ISO dates, for the refusal to offer


@dataclass(frozen=True)
class ResolvedDate:
    day: date  # the first day of the period when less precise than a day
    precision: Precision
    words: str | None
    from_publication: bool = False

    def iso(self) -> str:
        return self.day.isoformat()


def describe_date(day: date, precision: str) -> str:
    """Write a date no more precisely than it is known."""
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return day.strftime("%B %Y")
    if precision == "week":
        return f"week of {day.day} {day.strftime('%B %Y')}"
    return f"{day.day} {day.strftime('%B %Y')}"


def parse_published(text: str) -> date:
    """The local calendar day an article was published."""
    cleaned = text.strip()
    if not cleaned:
        raise DateError("is empty")
    try:
        return datetime.fromisoformat(cleaned).date()
    except ValueError:
        pass
    missing = _no_such_day(cleaned)
    if missing is not None:
        raise DateError(f"'{_shown(text)}' {missing}")
    if _reads_both_ways(cleaned):
        readings = _both_readings(cleaned)
        raise AmbiguousDate(f"'{_shown(text)}' is ambiguous (day/month); use ISO 8601: {readings}", readings)
    parsed = _parse_absolute(cleaned)
    if parsed is None or parsed[1] != "day":
        raise DateError(f"'{_shown(text)}' is not a full date; use ISO 8601 such as 2024-02-27")
    return parsed[0]


def _reads_both_ways(text: str) -> bool:
    """03/04/2021 is 3 April in London and March 4 in Washington."""
    if not re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", text):
        return False
    first, second = (int(part) for part in re.split(r"[/.-]", text)[:2])
    return first <= 12 and second <= 12 and first != second


def _both_readings(text: str) -> str:
    """'03/04/2022' -> '2022-04-03 (day first) or 2022-03-04 (month first)', in the text's own year."""
    first, second, year_text = re.split(r"[/.-]", text)
    year = year_text if len(year_text) == 4 else "YYYY"  # '03/04/22': which century is the annotator's call
    day_first = f"{year}-{int(second):02d}-{int(first):02d}"
    month_first = f"{year}-{int(first):02d}-{int(second):02d}"
    return f"{day_first} (day first) or {month_first} (month first)"


def resolve_value(value: str) -> ResolvedDate:
    """An annotator's normalised DATE value: YYYY-MM-DD, YYYY-MM or YYYY."""
    cleaned = value.strip()
    try:
        if re.fullmatch(r"\d{4}", cleaned):
            return ResolvedDate(date(int(cleaned), 1, 1), "year", None)
        if re.fullmatch(r"\d{4}-\d{2}", cleaned):
            year, month = cleaned.split("-")
            return ResolvedDate(date(int(year), int(month), 1), "month", None)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
            return ResolvedDate(date.fromisoformat(cleaned), "day", None)
    except ValueError:
        pass
    missing = _no_such_day(cleaned)
    if missing is not None:
        raise DateError(f"value '{_shown(value)}' {missing}")
    raise DateError(f"value '{_shown(value)}' is not YYYY-MM-DD, YYYY-MM or YYYY")


def _no_such_day(text: str) -> str | None:
    """Why a well-formed YYYY-MM-DD names no day (2022-02-30), or None.

    Saying "is not YYYY-MM-DD" of such a value would send the annotator
    looking for a typo in the format instead of in the calendar.
    """
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return f"has no month {month}: months run from 01 to 12"
    if year < 1:
        return "is before year 1"
    try:
        date(year, month, day)
    except ValueError:
        return f"names a day that does not exist: {date(year, month, 1):%B %Y} has no day {day}"
    return None


def from_publication(published: date) -> ResolvedDate:
    """The date of an event whose article gives none: marked as such."""
    return ResolvedDate(published, "day", None, from_publication=True)


def resolve_words(words: str, anchor: date) -> ResolvedDate:
    """Resolve a DATE span's words against the day the article appeared.

    Words without a year never resolve after the anchor (news reports what
    has happened); numbers that read either way (03/04/2021) are refused.
    """
    if len(words) > MAX_DATE_WORDS:
        # A date is a few words; a longer span is a slip of the annotator's mouse
        # (and would cost the trailing-word patterns time quadratic in its length).
        raise DateError(f"'{_shown(words)}' is {len(words)} characters long, too long for a date; add a value")
    phrase = _simplify(words)
    if not phrase:
        raise DateError(f"'{_shown(words)}' is empty")
    if _reads_both_ways(phrase):
        readings = _both_readings(phrase)
        raise AmbiguousDate(f"'{_shown(words)}' is ambiguous (day/month); add a value: {readings}", readings)
    try:
        resolved = _relative(phrase, anchor) or _absolute(phrase, anchor)
    except (OverflowError, ValueError):  # counted back past year 1
        raise DateError(
            f"'{_shown(words)}' falls before year 1 counted from {anchor.isoformat()}; add a value"
        ) from None
    if resolved is None:
        raise DateError(f"cannot resolve '{_shown(words)}' against {anchor.isoformat()}; add a value")
    day, precision = resolved
    return ResolvedDate(day, precision, words.strip())


def _shown(words: str, limit: int = 60) -> str:
    """Words quoted in a message: on one line, and not a whole article."""
    flat = " ".join(words.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _simplify(words: str) -> str:
    phrase = " ".join(words.lower().replace("’", "'").split())
    previous = None
    while previous != phrase:
        previous = phrase
        phrase = _LEAD.sub("", phrase)
        phrase = _VAGUE.sub("", phrase)
        phrase = _TRAIL.sub("", phrase)
    return phrase.strip()


def _relative(phrase: str, anchor: date) -> tuple[date, Precision] | None:
    if phrase in {"today", "this morning", "tonight", "this afternoon", "this evening"}:
        return anchor, "day"
    if phrase in {"yesterday", "last night"}:
        return anchor - timedelta(days=1), "day"
    if phrase in _WEEKDAYS:
        return _weekday_on_or_before(anchor, _WEEKDAYS.index(phrase)), "day"
    match = re.fullmatch(r"(?:last|this past|past) (\w+)", phrase)
    if match and match.group(1) in _WEEKDAYS:
        return _weekday_on_or_before(anchor - timedelta(days=1), _WEEKDAYS.index(match.group(1))), "day"
    match = re.fullmatch(r"(\w+) (day|week|month|year)s? ago", phrase)
    if match and (match.group(1).isdigit() or match.group(1) in _NUMBER_WORDS):
        count = int(match.group(1)) if match.group(1).isdigit() else _NUMBER_WORDS[match.group(1)]
        unit = match.group(2)
        moved = anchor - relativedelta(**{f"{unit}s": count})
        return _period_start(moved, unit), _precision_of(unit)
    match = re.fullmatch(r"(this|last|previous|past|the past) (week|month|year)", phrase)
    if match:
        unit = match.group(2)
        moved = anchor if match.group(1) == "this" else anchor - relativedelta(**{f"{unit}s": 1})
        return _period_start(moved, unit), _precision_of(unit)
    if phrase in {"weekend", "last weekend", "this weekend", "this past weekend"}:
        saturday = _weekday_on_or_before(anchor, 5)
        return _period_start(saturday, "week"), "week"
    return None


_WEEK_OF = re.compile(r"^(?:the\s+)?week\s+(?:of|beginning|starting)\s+(.+)$")


def _absolute(phrase: str, anchor: date) -> tuple[date, Precision] | None:
    week = _WEEK_OF.match(phrase)
    if week is not None:
        # "week of 22 March 2021", as answers write a date known to the week:
        # the week's Monday, to the week.
        inner = _absolute(week.group(1), anchor)
        if inner is None or inner[1] != "day":
            return None
        return inner[0] - timedelta(days=inner[0].weekday()), "week"
    parsed = _parse_absolute(phrase, anchor)
    if parsed is None:
        return None
    day, precision, year_given = parsed
    if not year_given and day > anchor:
        day = day.replace(year=day.year - 1)
    # A day after publication stands only with its year written out: measures
    # are announced to take effect later ("on March 1, 2024"), but digits
    # dateutil reads as a date ("010101") are a guess.
    if day > anchor and precision == "day" and not _WRITTEN_YEAR.search(phrase):
        return None
    return day, precision


_WRITTEN_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def _parse_absolute(text: str, anchor: date | None = None):
    """Parse with two different defaults: what changes was not written."""
    if not re.search(r"\d", text) and not any(m[:3] in text.lower() for m in _MONTHS):
        return None
    base_year = anchor.year if anchor else 2000
    try:
        first = date_parser.parse(text, default=datetime(base_year, 1, 1))
        second = date_parser.parse(text, default=datetime(base_year - 1, 12, 28))
    except (ValueError, OverflowError, date_parser.ParserError):
        return None
    year_given = first.year == second.year
    month_given = first.month == second.month
    day_given = first.day == second.day
    if not month_given and day_given:
        return None  # "the 22nd" alone names no month
    if not year_given and anchor is None:
        return None
    if day_given and month_given:
        result: tuple = (first.date(), "day")
    elif month_given:
        result = (first.date().replace(day=1), "month")
    else:
        result = (date(first.year, 1, 1), "year")
    if anchor is None:
        return result
    return (*result, year_given)


def _weekday_on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _period_start(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "year":
        return date(day.year, 1, 1)
    return day


def _precision_of(unit: str) -> Precision:
    return {"day": "day", "week": "week", "month": "month", "year": "year"}[unit]  # type: ignore[return-value]
