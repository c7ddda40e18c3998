"""doccano relation-project exports (JSONL): each line becomes one native document.

ANNOTATION_FORMAT.md §3: `text`, `entities` with `start_offset`/`end_offset`,
`relations` with `from_id`/`to_id`/`type` (the relation labels of Label
Studio), and `published`, `source`, `url`, `title` at top level. doccano's
own `id` is its database number, not the producer's id, and is not used:
two projects both have an example 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storage.articles.conversion import Converted, with_entity_problems
from storage.articles.model import RawArticle, Rejection
from storage.articles.native import read_native
from storage.articles.relations import Link, events_from_links

_PROVENANCE = ("source", "url", "title")


def read_doccano(path: Path, display: str) -> Iterator[Converted | Rejection]:
    """One converted document per line (or per element of a JSON array)."""
    for raw in read_native(path, display, record="example"):
        yield raw if isinstance(raw, Rejection) else convert_example(raw)


def convert_example(raw: RawArticle) -> Converted | Rejection:
    record = raw.document
    if not isinstance(record, dict):
        return Rejection(raw.origin, ("a doccano example must be a JSON object",))
    if "entities" not in record and isinstance(record.get("label"), list):
        return Rejection(raw.origin, (
            "this is a sequence-labelling export ('label'); export the relation project, "
            "whose lines have 'entities' and 'relations'",
        ))
    problems: list[str] = []
    entities = [_entity(item, position, problems) for position, item in enumerate(_list(record, "entities", problems))]
    known = [e for e in entities if e is not None]
    links = [_link(item, position, problems) for position, item in enumerate(_list(record, "relations", problems))]
    labels = {e["id"]: str(e["label"]).upper() for e in known}
    events = events_from_links(labels, [link for link in links if link is not None], {})
    problems.extend(events.problems)
    document: dict[str, Any] = {"text": record.get("text"), "published": record.get("published")}
    document.update({key: record[key] for key in _PROVENANCE if key in record})
    document["entities"] = known
    if problems:
        return with_entity_problems(raw.origin, problems, document)
    document["sanctions"] = events.sanctions
    return Converted(raw.origin, document, events.records)


def _list(record: dict[str, Any], field: str, problems: list[str]) -> list[Any]:
    value = record.get(field) or []
    if not isinstance(value, list):
        problems.append(f"field '{field}' must be a list")
        return []
    return value


def _entity(item: Any, position: int, problems: list[str]) -> dict[str, Any] | None:
    if not isinstance(item, dict) or item.get("id") in (None, ""):
        problems.append(f"entities[{position}]: an entity needs an 'id'")
        return None
    entity = {"id": str(item["id"]), "label": item.get("label"),
              "start": item.get("start_offset"), "end": item.get("end_offset")}
    return entity


def _link(item: Any, position: int, problems: list[str]) -> Link | None:
    if not isinstance(item, dict):
        problems.append(f"relations[{position}] must be an object")
        return None
    record = f"relation {item['id']}" if item.get("id") not in (None, "") else f"relations[{position}]"
    if item.get("type") in (None, ""):
        problems.append(f"{record}: field 'type' is missing")
        return None
    return Link(record, str(item.get("from_id")), str(item.get("to_id")), str(item["type"]))
