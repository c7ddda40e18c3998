"""Dates as the list files write them, read to a `date` or to an ISO string at the precision given.

Each publisher writes dates its own way (OFAC `13 May 1957`, the UK `dd/05/1963`
with unknown parts spelt out, the UN `2001-10-17-04:00` with a zone). A date that
does not fit the publisher's notation is never guessed at: the readers get None
and leave the field empty.
"""

from __future__ import annotations

import re
from datetime import date, datetime

_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for name in names
}
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def iso_day(text: str | None) -> date | None:
    """`2021-03-22`, also with a time or a zone after it (`2001-10-17-04:00`, `2026-12-07T19:02:14`)."""
    if not text:
        return None
    found = _ISO_DAY.match(text.strip())
    if found is None:
        return None
    return _day(int(found[1]), int(found[2]), int(found[3]))


def iso_partial(text: str | None) -> str | None:
    """`1963-05-13`, `1963-05` or `1963` kept at its precision; anything else is None."""
    if not text:
        return None
    found = _ISO_PARTIAL.fullmatch(text.strip()[:10])
    if found is None:
        return None
    year, month, day = found[1], found[2], found[3]
    if month and not 1 <= int(month) <= 12:
        return None
    if day and _day(int(year), int(month), int(day)) is None:
        return None
    return "-".join(part for part in (year, month, day) if part)


def us_day(text: str | None) -> date | None:
    """OFAC's `Publish_Date`: `03/22/2021` (month first)."""
    return _strptime(text, "%m/%d/%Y")


def uk_day(text: str | None) -> date | None:
    """The UK's `22/03/2021` (day first)."""
    return _strptime(text, "%d/%m/%Y")


def uk_partial(text: str | None) -> str | None:
    """The UK's birth dates: `dd/05/1963` is May 1963, `dd/mm/1945` is 1945, `13/05/1963` the day."""
    if not text:
        return None
    parts = text.strip().split("/")
    if len(parts) != 3 or not re.fullmatch(r"\d{4}", parts[2]):
        return None
    day, month, year = (part.strip().lower() for part in parts)
    if month in ("mm", ""):
        return year
    if not month.isdigit() or not 1 <= int(month) <= 12:
        return None
    if day in ("dd", ""):
        return f"{year}-{int(month):02d}"
    if not day.isdigit() or _day(int(year), int(month), int(day)) is None:
        return None
    return f"{year}-{int(month):02d}-{int(day):02d}"


def spelt_partial(text: str | None) -> str | None:
    """OFAC's birth dates: `13 May 1957`, `May 1963`, `1955`; `circa` and ranges are None."""
    if not text:
        return None
    words = text.strip().replace(",", " ").split()
    if len(words) == 1 and re.fullmatch(r"\d{4}", words[0]):
        return words[0]
    if len(words) == 2 and words[0].lower() in _MONTHS and re.fullmatch(r"\d{4}", words[1]):
        return f"{words[1]}-{_MONTHS[words[0].lower()]:02d}"
    if len(words) == 3 and words[0].isdigit() and words[1].lower() in _MONTHS and re.fullmatch(r"\d{4}", words[2]):
        day = _day(int(words[2]), _MONTHS[words[1].lower()], int(words[0]))
        return day.isoformat() if day else None
    return None


def report_day(text: str | None) -> date | None:
    """The UK CSV's `Report Date: 08-Dec-2026` (also `08/12/2026`)."""
    if not text:
        return None
    value = text.split(":", 1)[-1].strip()
    for pattern in ("%d-%b-%Y", "%d/%m/%Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d"):
        parsed = _strptime(value, pattern)
        if parsed is not None:
            return parsed
    return None


def _strptime(text: str | None, pattern: str) -> date | None:
    if not text:
        return None
    try:
        return datetime.strptime(text.strip(), pattern).date()
    except ValueError:
        return None


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
