"""The one internal article model every reader feeds and ingest consumes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from storage.authorities import Authority
from storage.dates import ResolvedDate

TARGET_LABELS = {"PERSON": "person", "ORG": "organization"}
LABELS = frozenset({"PERSON", "ORG", "AUTHORITY", "DATE", "ROLE", "REASON", "PROGRAM"})
ACTIONS = frozenset({"imposed", "lifted", "extended"})


def a_label(label: str) -> str:
    """A label with its article, as a sentence reads it: "a PERSON", "an AUTHORITY", "an ORG"."""
    return f"{'an' if label[:1].upper() in 'AEIOU' else 'a'} {label}"


@dataclass(frozen=True)
class Origin:
    """Where an article came from, for messages that name file and line."""

    path: str
    line: int | None = None
    record: str | None = None  # a task or record id inside the file, when useful

    def __str__(self) -> str:
        place = self.path
        if self.line is not None:
            place += f":{self.line}"
        if self.record:
            place += f": {self.record}"
        return place


@dataclass(frozen=True)
class RawArticle:
    """A native-format document as read, not yet validated."""

    origin: Origin
    document: Any


@dataclass(frozen=True)
class TargetRef:
    kind: str  # person | organization
    name: str  # the annotator's value, else the span as written
    names: tuple[tuple[str, str], ...]  # (name, origin: value|mention|alias)


@dataclass(frozen=True)
class Event:
    target: TargetRef
    authority: Authority
    authority_text: str
    action: str
    date: ResolvedDate
    role: str | None
    reason: str | None
    program: str | None
    quote: str


@dataclass(frozen=True)
class Article:
    """A validated article with every date, authority and name resolved."""

    origin: Origin
    key: str
    content_hash: str
    title: str | None
    source: str | None
    url: str | None
    published: date
    published_text: str
    text: str
    events: tuple[Event, ...]
    document: str  # canonical JSON of the native document


@dataclass(frozen=True)
class Rejection:
    origin: Origin
    problems: tuple[str, ...]

    def message(self) -> str:
        """One line: where, what; and how many more problems there are.

        Problems quote what the file holds (ids, labels, words), which may hold
        line breaks or be megabytes long: the line is flattened and clipped, so
        that one bad record can never flood or forge lines of the report.
        """
        first = _one_line(f"{self.origin}: {self.problems[0] if self.problems else 'rejected'}")
        extra = len(self.problems) - 1
        return first if extra < 1 else f"{first} (and {extra} more problem{'s' * (extra > 1)})"

    def lines(self) -> list[str]:
        """Every problem on a line of its own, each naming where (at most MAX_PROBLEM_LINES)."""
        if len(self.problems) <= 1:
            return [self.message()]
        shown = [_one_line(f"{self.origin}: {problem}") for problem in self.problems[:MAX_PROBLEM_LINES]]
        hidden = len(self.problems) - len(shown)
        return shown + ([f"{self.origin}: … and {hidden} more problems"] if hidden else [])


MAX_MESSAGE = 400  # characters of a rejection's line before "(and N more problems)"
MAX_PROBLEM_LINES = 20  # problems listed one per line; a file with more has a systematic fault


# Control characters (a terminal's escape sequences) and bidirectional overrides
# could make a line read as something else, and unpaired surrogates cannot even
# be printed: they are shown as escapes.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _one_line(text: str) -> str:
    flat = _INVISIBLE.sub(lambda m: ascii(m.group())[1:-1], " ".join(text.split()))
    return flat if len(flat) <= MAX_MESSAGE else flat[: MAX_MESSAGE - 1] + "…"
