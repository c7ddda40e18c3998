"""A tool's record rewritten as a native document, then the one validation.

Readers of brat, Label Studio and doccano never validate or resolve anything
themselves beyond their own syntax: they build the native document and hand
it to `validate`, so every format gets the same checks, the same resolution
of dates, authorities and names, and the same wording of problems. What this
module adds is the naming: validation speaks of `sanctions[2]`, which the
annotator never saw, so that becomes the record the event was made from
(`event E1`, `relation r3`); and for brat, the line of the `.ann` file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from storage.articles.model import Article, Origin, RawArticle, Rejection
from storage.articles.validate import validate

_EVENT_INDEX = re.compile(r"\bsanctions\[(\d+)\]")
_RECORD = re.compile(r"^((?:entity|event|attribute) \S+?):")


@dataclass(frozen=True)
class Converted:
    """A native document made from one tool record, and how to name its parts."""

    origin: Origin
    document: dict[str, Any]
    # event_records[i] names the record that sanctions[i] was made from.
    event_records: tuple[str, ...] = ()
    # Lines of records in the source file ("entity T3" -> 4), where there are lines.
    record_lines: Mapping[str, int] = field(default_factory=dict)


def finish(item: Converted | Rejection) -> Article | Rejection:
    """Validate a converted record; problems named as the annotator wrote them."""
    if isinstance(item, Rejection):
        return item
    result = validate(RawArticle(item.origin, item.document))
    if isinstance(result, Article):
        return result
    problems = tuple(_rename(problem, item.event_records) for problem in result.problems)
    return rejection(item.origin, problems, item.record_lines)


def with_entity_problems(origin: Origin, problems: list[str], document: dict[str, Any]) -> Rejection:
    """A record's own problems, and those the one validation finds in its entities and fields.

    The events cannot be validated when a relation is broken, but a misspelt
    span or a bad date can: the annotator then fixes everything in one round.
    """
    checked = validate(RawArticle(origin, {**document, "sanctions": []}))
    found = () if isinstance(checked, Article) else checked.problems
    extra = [p for p in found if "sanctions" not in p and p not in problems]
    return Rejection(origin, (*problems, *extra))


def rejection(origin: Origin, problems: tuple[str, ...], lines: Mapping[str, int]) -> Rejection:
    """A Rejection whose origin carries the line of the first problem's record, if known."""
    if lines and problems:
        match = _RECORD.match(problems[0])
        line = lines.get(match.group(1)) if match else None
        if line is not None:
            origin = replace(origin, line=line)
    return Rejection(origin, problems)


def _rename(problem: str, records: tuple[str, ...]) -> str:
    """Every `sanctions[i]` of a problem as its record: one problem may name two events."""

    def record(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return records[index] if index < len(records) else match.group()

    return _EVENT_INDEX.sub(record, problem)
