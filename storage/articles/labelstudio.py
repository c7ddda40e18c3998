"""Label Studio JSON exports: each task becomes one native document.

ANNOTATION_FORMAT.md §3: `data` holds `text`, `published` and optionally
`source`, `url`, `title` (and `id`, the producer's stable id); `labels`
results are entities; `relation` results make the events; a `lifted` (or
`extended`) choice on a target's span marks the action. Label Studio counts
offsets in UTF-16 code units, as JavaScript does, so they are converted to
code points here, before validation checks them against the text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from storage.articles.conversion import Converted, with_entity_problems
from storage.articles.model import ACTIONS, Origin, RawArticle, Rejection, a_label
from storage.articles.native import read_native
from storage.articles.relations import TARGETS, Link, events_from_links
from storage.articles.utf16 import Utf16Offsets

_PROVENANCE = ("id", "source", "url", "title")


def read_labelstudio(path: Path, display: str) -> Iterator[Converted | Rejection]:
    """One converted document per task of an export (a JSON array, one task, or JSONL)."""
    for raw in read_native(path, display, record="task"):
        yield raw if isinstance(raw, Rejection) else convert_task(raw)


def convert_task(raw: RawArticle) -> Converted | Rejection:
    task = raw.document
    origin = _task_origin(raw.origin, task)
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        return Rejection(origin, ("a Label Studio task must be an object with 'data'",))
    data = task["data"]
    text = data.get("text")
    problems: list[str] = []
    results = _chosen_results(task, problems)
    offsets = Utf16Offsets(text) if isinstance(text, str) else None

    entities: list[dict[str, Any]] = []
    links: list[Link] = []
    choices: list[tuple[str, list[Any]]] = []
    for position, result in enumerate(results):
        if not isinstance(result, dict):
            problems.append(f"result {position} must be an object")
            continue
        kind = result.get("type")
        if kind == "labels":
            entity = _entity(result, position, offsets, problems)
            if entity is not None:
                entities.append(entity)
        elif kind == "relation":
            link = _link(result, problems)
            if link is not None:
                links.append(link)
        elif kind == "choices":
            value = result.get("value") if isinstance(result.get("value"), dict) else {}
            choices.append((str(result.get("id", "")), list(value.get("choices") or [])))

    labels = {e["id"]: str(e["label"]).upper() for e in entities}
    actions = _actions(choices, labels, problems)
    events = events_from_links(labels, links, actions)
    problems.extend(events.problems)
    document: dict[str, Any] = {"text": text, "published": data.get("published")}
    document.update({key: data[key] for key in _PROVENANCE if key in data})
    document["entities"] = entities
    if problems:
        return with_entity_problems(origin, problems, document)
    document["sanctions"] = events.sanctions
    return Converted(origin, document, events.records)


def _task_origin(origin: Origin, task: Any) -> Origin:
    """Tasks are named by Label Studio's id, which the annotator sees in the tool."""
    if isinstance(task, dict) and isinstance(task.get("id"), (str, int)) and not isinstance(task["id"], bool):
        return replace(origin, record=f"task {task['id']}")
    return origin


def _chosen_results(task: dict[str, Any], problems: list[str]) -> list[Any]:
    """The results of the annotation that counts.

    Predictions are the machine's drafts and never count. Of several
    annotations, a ground truth wins, else the most recently updated.
    """
    annotations = task.get("annotations", task.get("completions")) or []
    if not isinstance(annotations, list):
        problems.append("'annotations' must be a list")
        return []
    usable = [
        (index, a) for index, a in enumerate(annotations)
        if isinstance(a, dict) and not a.get("was_cancelled")
    ]
    if not usable:
        return []
    pool = [pair for pair in usable if pair[1].get("ground_truth")] or usable
    _, chosen = max(pool, key=lambda pair: (str(pair[1].get("updated_at") or pair[1].get("created_at") or ""),
                                            pair[0]))
    results = chosen.get("result") or []
    if not isinstance(results, list):
        problems.append("annotation 'result' must be a list")
        return []
    return results


def _entity(
    result: dict[str, Any], position: int, offsets: Utf16Offsets | None, problems: list[str]
) -> dict[str, Any] | None:
    region = result.get("id")
    name = f"entity {region}" if region not in (None, "") else f"result {position}"
    value = result.get("value")
    if region in (None, "") or not isinstance(value, dict):
        problems.append(f"{name}: a labels result needs an 'id' and a 'value'")
        return None
    labels = value.get("labels")
    if not isinstance(labels, list) or len(labels) != 1:
        problems.append(f"{name}: a span takes exactly one label, not {labels!r}")
        return None
    start, end = value.get("start"), value.get("end")
    entity: dict[str, Any] = {"id": str(region), "label": labels[0], "start": start, "end": end}
    if offsets is not None and _is_int(start) and _is_int(end):
        first, last = offsets.to_code_points(start), offsets.to_code_points(end)
        if first is None or last is None:
            problems.append(
                f"{name}: offsets {start}..{end} fall outside the text or inside a character "
                f"(length {offsets.length} in UTF-16 units)"
            )
            return None
        entity["start"], entity["end"] = first, last
    if isinstance(value.get("text"), str):
        entity["text"] = value["text"]
    return entity


def _link(result: dict[str, Any], problems: list[str]) -> Link | None:
    source, destination = result.get("from_id"), result.get("to_id")
    record = (
        f"relation {result['id']}" if result.get("id") not in (None, "")
        else f"relation {source}->{destination}"
    )
    labels = result.get("labels") or []
    if not isinstance(labels, list) or len(labels) != 1:
        problems.append(f"{record}: a relation takes exactly one label, not {labels!r}")
        return None
    return Link(record, str(source), str(destination), str(labels[0]))


def _actions(choices: list[tuple[str, list[Any]]], labels: dict[str, str], problems: list[str]) -> dict[str, str]:
    """Target id -> `lifted`/`extended`/`imposed` from choices on target spans."""
    actions: dict[str, str] = {}
    for region, values in choices:
        for value in values:
            action = str(value).strip().lower()
            if action not in ACTIONS:
                continue  # choices that classify something else are not ours to read
            if region not in labels:
                problems.append(f"choice '{value}': it is on no span; mark it on the target's span")
            elif labels[region] not in TARGETS:
                problems.append(
                    f"entity {region}: choice '{value}' is on {a_label(labels[region])}; "
                    f"mark it on the target (PERSON or ORG) span"
                )
            elif actions.setdefault(region, action) != action:
                problems.append(f"entity {region}: choices '{actions[region]}' and '{action}' contradict")
    return actions


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
