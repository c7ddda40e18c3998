"""Dates in a sentence, and the dateline, resolved exactly as ingest resolves them.

Each phrase found here is handed to `storage.dates.resolve_words` with the
publication date, the call ingest makes: a phrase ingest could not resolve is
never drafted. "The same day" names no date of its own; it means the date of
the action reported just before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from storage.dates import DateError, ResolvedDate, parse_published, resolve_words

_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"

# Named date phrases, tried in order; the case of month and day names matters
# ("May" is a month, "may" is not).
DATE_PHRASES: tuple[tuple[str, str], ...] = (
    ("month-day-year", rf"\b(?:on\s+)?{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b"),
    ("day-month-year", rf"\b(?:on\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?\b"),
    ("month-year", rf"\b(?:[Ii]n\s+)?(?:(?:early|late|mid)[\s-]+)?{_MONTH}\s+\d{{4}}\b"),
    ("weekday", rf"\b(?:(?:late|early)\s+)?(?:on\s+)?(?:(?:last|this\s+past)\s+)?{_WEEKDAY}{_PART}\b"),
    # "In July, the Treasury...": a sentence may open with it; "since 2014" says when a state began.
    ("in-month", rf"\b(?:[Ii]n|[Ss]ince)\s+(?:(?:early|late|mid)[\s-]+)?{_MONTH}\b(?!\s+\d)"),
    ("in-year", r"\b(?:[Ii]n|[Ss]ince)\s+(?:19|20)\d\d\b(?![-–]\d)"),
    ("today", r"(?i:\b(?:today|yesterday|tonight|this\s+morning|last\s+night)\b)"),
    ("period", r"(?i:\b(?:(?:earlier|later)\s+)?(?:this|last|past)\s+(?:week|month|year)\b)"),
    ("ago", r"(?i:\b(?:a|one|two|three|four|five|six|\d+)\s+(?:day|week|month|year)s?\s+ago\b)"),
    ("same-day", r"(?i:\b(?:on\s+)?the\s+same\s+day\b)"),
)
_COMPILED = [(name, re.compile(pattern)) for name, pattern in DATE_PHRASES]
_DATELINE_MAX = 40
_STAMP_MAX = 80  # characters of a first line such as "Published: Tuesday 15 March 2022 10.42 GMT"
# The date inside a longer first line: "15 March 2022", "March 15, 2022", "Mar. 15, 2022", "2022-03-15".
_STAMP_DATE = re.compile(
    r"\b\d{1,2}\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}\b|\b[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b"
    r"|\b\d{4}-\d{2}-\d{2}\b"
)
# What else a first line that carries the date may say: a label, a weekday, a place, a time.
_STAMP_REST = re.compile(
    r"(?:(?i:published|updated|posted|first|last|on|at)\b|[A-Z][a-z]+|[A-Z]{2,5}|\d{1,2}[:.]\d{2}|[ap]\.?m\.?|"
    r"[\s,:|/·•()\-–—]+)*"
)
# "WASHINGTON —", "UNITED NATIONS —", "BEIJING, July 13 —", "WASHINGTON (AP) —" at the head of the story.
_PLACE_LINE = re.compile(
    r"([A-Z][A-Z.'’]+(?:\s+[A-Z][A-Z.'’]+){0,3})(?:,[^—–\n]{0,30})?(?:\s+\([A-Za-z .]{1,20}\))?\s+(?:—|–|--?)\s+"
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    phrase: str  # the name of the phrase that found it
    resolved: ResolvedDate | None  # None for "the same day": the date reported before

    @property
    def same_day(self) -> bool:
        return self.resolved is None


def date_mentions(text: str, start: int, end: int, published: date) -> list[DateMention]:
    """Every resolvable date phrase in text[start:end], earliest first, none overlapping."""
    found: list[DateMention] = []
    for name, pattern in _COMPILED:
        for match in pattern.finditer(text, start, end):
            if any(match.start() < other.end and other.start < match.end() for other in found):
                continue
            if name == "same-day":
                found.append(DateMention(match.start(), match.end(), name, None))
                continue
            try:
                resolved = resolve_words(match.group(), published)
            except DateError:
                continue
            found.append(DateMention(match.start(), match.end(), name, resolved))
    return sorted(found, key=lambda mention: mention.start)


@dataclass(frozen=True)
class Dateline:
    words: str  # as written: the article's `published`
    end: int  # where the story after it begins


def find_dateline(text: str) -> Dateline | None:
    """A first line that is a full date ("February 27, 2024"), or carries one among a label, a place
    and a time ("Published: Tuesday 15 March 2022 10.42 GMT", "Brussels, 21 March 2022")."""
    match = re.match(r"\s*([^\n]+)", text)
    if match is None:
        return None
    line = match.group(1).strip()
    if not re.search(r"\d{4}", line):
        return None
    for words in (line, *_stamp_date(line)):
        if len(words) > _DATELINE_MAX:
            continue
        try:
            parse_published(words)
        except DateError:
            continue
        return Dateline(words, match.end())
    return None


def _stamp_date(line: str) -> list[str]:
    """The date of a short first line whose other words are only a label, a weekday, a place or a time."""
    found = _STAMP_DATE.search(line) if len(line) <= _STAMP_MAX else None
    if found is None:
        return []
    rest = line[:found.start()] + " " + line[found.end():]
    return [found.group()] if _STAMP_REST.fullmatch(rest) else []


def dateline_place(text: str, start: int) -> tuple[int, int] | None:
    """The place in capitals that opens the story ("WASHINGTON —"), as offsets of its words."""
    body = re.match(r"\s*", text[start:])
    begin = start + (body.end() if body else 0)
    match = _PLACE_LINE.match(text, begin)
    if match is None:
        return None
    return match.start(1), match.end(1)


def place_end(text: str, start: int) -> int:
    """Where the story proper begins, after the dateline place and its dash."""
    body = re.match(r"\s*", text[start:])
    begin = start + (body.end() if body else 0)
    match = _PLACE_LINE.match(text, begin)
    return match.end() if match else start
