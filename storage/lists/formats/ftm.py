"""OpenSanctions' FollowTheMoney entities (JSON lines): one file, many lists.

A `Sanction` entity points at its target (`entity`) and belongs to the
datasets of the list that made it; each (dataset, target) pair is one entry,
its list id the dataset's name. Only people, organisations, companies, legal
entities and vessels that a Sanction points at are entries: addresses,
identifications and the rest are other entities of the graph.

Sanctions may come before or after their target, so the file is read twice:
first only the Sanction lines, kept as small tuples per target id (a few
hundred bytes each, whatever the size of the targets), then every target in
file order, each completed by its sanctions. `first_seen` is a crawl time and
never a listing date: `listed_on` is the earliest of `listingDate` and
`startDate` (for the EU, `listingDate` can be a later amendment's), and
`endDate` is `delisted_on`. Partial dates (`2021-03`) are no listing day.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from datetime import date
from typing import IO, NamedTuple

from followthemoney import model
from followthemoney.schema import Schema

from storage.lists.entries import EntryKind, ListEntry, ListFile, ListFileError
from storage.lists.formats.names import distinct
from storage.lists.formats.written_dates import iso_day, iso_partial

_OTHER_NAMES = ("alias", "previousName")


class _Sanction(NamedTuple):
    """What one Sanction entity says, kept until its target is read."""

    datasets: tuple[str, ...]
    programs: tuple[str, ...]
    started: date | None  # the earliest of listingDate and startDate
    ended: date | None
    authority: str | None
    url: str | None


def read(path: str, open_stream: Callable[[], IO[bytes]]) -> ListFile:
    """Reads the Sanction lines now (a first pass), the targets as `entries` is iterated."""
    with open_stream() as stream:
        sanctions = _sanctions_by_target(path, stream)
    return ListFile(path=path, format="ftm", published=None, entries=_entries(path, open_stream, sanctions))


def _lines(path: str, stream: IO[bytes]) -> Iterator[tuple[int, dict]]:
    for number, raw in enumerate(stream, start=1):
        entity = _parse(path, number, raw)
        if entity is not None:
            yield number, entity


def _parse(path: str, number: int, raw: bytes) -> dict | None:
    """One line's entity; None for a blank line."""
    if not raw.strip():
        return None
    try:
        entity = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise ListFileError(path, number, f"the line is not a JSON entity ({error})") from None
    if not isinstance(entity, dict):
        raise ListFileError(path, number, "the line is not a JSON object")
    return entity


_schemas: dict[str, Schema | None] = {}


def _schema(path: str, number: int, entity: dict) -> Schema:
    if "op" in entity and "entity" in entity:
        raise ListFileError(path, number, "this is an OpenSanctions delta line, not an entity: import the full export")
    name = entity.get("schema")
    if not isinstance(name, str) or not isinstance(entity.get("id"), str):
        raise ListFileError(path, number, "an entity without an id or a schema: not FollowTheMoney JSON")
    if name not in _schemas:
        _schemas[name] = model.get(name)
    schema = _schemas[name]
    if schema is None:
        raise ListFileError(path, number, f"unknown FollowTheMoney schema {name!r}")
    return schema


def _values(entity: dict, prop: str) -> list[str]:
    values = (entity.get("properties") or {}).get(prop) or []
    return [value for value in values if isinstance(value, str) and value.strip()]


def _sanctions_by_target(path: str, stream: IO[bytes]) -> dict[str, list[_Sanction]]:
    """Every Sanction, by the id of the entity it points at; repeated strings shared, not copied."""
    found: dict[str, list[_Sanction]] = {}
    shared: dict[str, str] = {}

    def one(value: str) -> str:
        return shared.setdefault(value, value)

    for number, raw in enumerate(stream, start=1):
        if b'"Sanction"' not in raw:  # most lines are targets, addresses, identifications: not parsed twice
            continue
        entity = _parse(path, number, raw)
        if entity is None or _schema(path, number, entity).name != "Sanction":
            continue
        starts = [iso_day(value) for value in _values(entity, "listingDate") + _values(entity, "startDate")]
        ends = [iso_day(value) for value in _values(entity, "endDate")]
        sanction = _Sanction(
            datasets=tuple(one(dataset) for dataset in entity.get("datasets") or ()),
            programs=tuple(one(program) for program in _values(entity, "program")),
            started=min((day for day in starts if day), default=None),
            ended=max((day for day in ends if day), default=None),
            authority=one(_values(entity, "authority")[0]) if _values(entity, "authority") else None,
            url=one(_values(entity, "sourceUrl")[0]) if _values(entity, "sourceUrl") else None,
        )
        for target in _values(entity, "entity"):
            found.setdefault(sys.intern(target), []).append(sanction)
    return found


def _kind(schema: Schema) -> EntryKind | None:
    if schema.is_a("Person"):
        return "person"
    if schema.is_a("Vessel"):
        return "vessel"
    if schema.is_a("LegalEntity"):  # Organization, Company, PublicBody, LegalEntity itself
        return "organization"
    return None


def _entries(
    path: str, open_stream: Callable[[], IO[bytes]], sanctions: dict[str, list[_Sanction]]
) -> Iterator[ListEntry]:
    with open_stream() as stream:
        for number, entity in _lines(path, stream):
            kind = _kind(_schema(path, number, entity))
            if kind is None:
                continue
            own = sanctions.pop(entity["id"], [])
            for referent in entity.get("referents") or ():  # a Sanction may name a merged-away id
                own += sanctions.pop(referent, [])
            if own:
                yield from _target_entries(number, entity, kind, own)


def _target_entries(number: int, entity: dict, kind: EntryKind, sanctions: list[_Sanction]) -> Iterator[ListEntry]:
    names = _values(entity, "name")
    primary = names[0] if names else (entity.get("caption") or entity["id"])
    aliases = distinct(names[1:] + [value for prop in _OTHER_NAMES for value in _values(entity, prop)],
                       exclude=(primary,))
    weak = distinct(_values(entity, "weakAlias"), exclude=(primary, *aliases))
    births = distinct(iso_partial(value) for value in _values(entity, "birthDate"))
    nationalities = distinct(_values(entity, "nationality") + _values(entity, "citizenship"))
    by_list: dict[str, list[_Sanction]] = {}
    for sanction in sanctions:
        for dataset in sanction.datasets:
            by_list.setdefault(dataset, []).append(sanction)
    for list_id, own in by_list.items():
        ends = [sanction.ended for sanction in own]
        yield ListEntry(
            list_id=list_id,
            entry_id=entity["id"],
            kind=kind,
            name=primary,
            aliases=aliases,
            weak_aliases=weak,
            programs=distinct(program for sanction in own for program in sanction.programs),
            listed_on=min((sanction.started for sanction in own if sanction.started), default=None),
            # Still listed while any of its sanctions on this list has no end.
            delisted_on=None if None in ends else max(day for day in ends if day is not None),
            birth_dates=births,
            nationalities=nationalities,
            url=next((sanction.url for sanction in own if sanction.url), None),
            authority=next((sanction.authority for sanction in own if sanction.authority), None),
            line=number,
        )
