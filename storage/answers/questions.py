"""What a journalist asks, parsed into one of five questions.

The grammar is small on purpose: `NAME`, `by AUTHORITY [since DATE]`,
`on DATE`, `since DATE`, `recent`. Anything else is a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from storage.dates import AmbiguousDate, DateError, ResolvedDate, resolve_words

MAX_QUERY_LENGTH = 200


class QuestionError(ValueError):
    """A question that cannot be understood; str() is one sentence for the user."""


@dataclass(frozen=True)
class NameQuestion:
    text: str
    name: str


@dataclass(frozen=True)
class AuthorityQuestion:
    text: str
    authority: str
    since: ResolvedDate | None = None


@dataclass(frozen=True)
class DateQuestion:
    text: str
    on: ResolvedDate


@dataclass(frozen=True)
class SinceQuestion:
    text: str
    since: ResolvedDate


@dataclass(frozen=True)
class RecentQuestion:
    text: str


Question = NameQuestion | AuthorityQuestion | DateQuestion | SinceQuestion | RecentQuestion

_BY = re.compile(r"^by\s+(?P<authority>.+?)(?:\s+since\s+(?P<since>.+))?$", re.IGNORECASE)
_ON = re.compile(r"^on\s+(?P<date>.+)$", re.IGNORECASE)
_SINCE = re.compile(r"^since\s+(?P<date>.+)$", re.IGNORECASE)
_RECENT = re.compile(r"^(?:recent|latest|newest)$", re.IGNORECASE)
_BY_ON = re.compile(r"^by\s+.+\s+on\s+(?P<date>.+)$", re.IGNORECASE)
_KEYWORDS = {"by", "on", "since"}


# Control characters, unpaired surrogates and bidirectional overrides name
# nothing; PostgreSQL refuses NUL outright. They count as spaces.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def parse_question(text: str, today: date) -> Question:
    query = " ".join(_UNPRINTABLE.sub(" ", text).split())
    if not query:
        raise QuestionError("Ask about a name, `by AUTHORITY`, `on DATE`, `since DATE` or `recent`.")
    if len(query) > MAX_QUERY_LENGTH:
        raise QuestionError(f"That question is longer than {MAX_QUERY_LENGTH} characters; ask about one name.")
    if _RECENT.match(query):
        return RecentQuestion(query)
    if match := _BY.match(query):
        _refuse_by_on(query, today)
        since = match.group("since")
        return AuthorityQuestion(
            query,
            match.group("authority").strip(),
            _query_date(since, today) if since else None,
        )
    if match := _ON.match(query):
        return DateQuestion(query, _query_date(match.group("date"), today))
    if match := _SINCE.match(query):
        _refuse_since_by(match.group("date"))
        return SinceQuestion(query, _query_date(match.group("date"), today))
    if query.lower() in _KEYWORDS:
        raise QuestionError(f"`{query}` needs more: `by AUTHORITY`, `on DATE` or `since DATE`.")
    if not any(char.isalnum() for char in query):
        raise QuestionError(f"'{query}' is not a name; ask about a person or an organisation.")
    return NameQuestion(query, query)


def _refuse_by_on(query: str, today: date) -> None:
    """`by eu on 2021-03-22` is not in the grammar: say so rather than look for an authority "eu on 2021-03-22".

    Only when what follows the last "on" is a date: "Committee on Foreign Affairs" is an authority.
    """
    match = _BY_ON.match(query)
    if match is None:
        return
    try:
        resolve_words(match.group("date"), today)
    except DateError:
        return
    raise QuestionError(
        f"`by` takes `since DATE`; for one day ask `on {match.group('date')}` and look for the authority there."
    )


def _refuse_since_by(words: str) -> None:
    """`since 2021-03-22 by eu` has the parts in the other order: say which, rather than fail on the date."""
    date_words, by, authority = words.rpartition(" by ")
    if by and date_words.strip() and authority.strip():
        raise QuestionError(f"Put the authority first: `by {authority.strip()} since {date_words.strip()}`.")


def _query_date(words: str, today: date) -> ResolvedDate:
    try:
        return resolve_words(words, today)
    except AmbiguousDate as error:
        raise QuestionError(f"'{words.strip()}' could be day/month or month/day; write {error.readings}.") from None
    except DateError:
        raise QuestionError(
            f"I could not read the date '{words.strip()}'; try 2021-03-22, March 2021 or last week."
        ) from None
