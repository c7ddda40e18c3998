"""brat standoff: `article.txt` + `article.ann` + `article.meta.json` -> one native document.

ANNOTATION_FORMAT.md §3. `T` lines are spans (labels case-insensitive,
discontinuous spans `0 5;10 15` allowed); a `T` labelled `Sanction` is the
trigger an `E` line anchors a sanction event on (`Target`, `Authority`,
`Date`, `Role`, `Reason`, `Program`; a repeated `Target2:`/`Authority2:`
makes one event per target and authority); `A1<TAB>Action E1 Lifted` sets
the action; `#` notes are kept under `comments`. brat counts offsets in
code points of the `.txt` exactly as stored, so the text is read without
newline translation. The publication date and provenance come from the
sidecar `.meta.json`, which brat itself has no place for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from storage.articles.conversion import Converted
from storage.articles.model import ACTIONS, Origin, Rejection
from storage.articles.native import json_problem

TRIGGER = "sanction"
_EVENT_ROLES = ("target", "authority", "date", "role", "reason", "program")
_PROVENANCE = ("id", "source", "url", "title")
_IGNORED = re.compile(r"^(N\d+|\*)\t")  # normalisations and equivalences carry no sanction facts


def brat_files(path: Path) -> tuple[Path, Path, Path]:
    """(.ann, .txt, .meta.json) of the article any one of the three names."""
    name = path.name
    for suffix in (".meta.json", ".ann", ".txt"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    base = path.with_name(name)
    return base.with_name(name + ".ann"), base.with_name(name + ".txt"), base.with_name(name + ".meta.json")


def read_brat(path: Path, display: str) -> Iterator[Converted | Rejection]:
    """The one article of a brat document; `path` may name its .ann, .txt or .meta.json."""
    ann, txt, meta = brat_files(path)
    origin = Origin(str(Path(display).with_name(ann.name)))
    try:
        standoff = ann.read_text(encoding="utf-8-sig")
        with txt.open(encoding="utf-8", newline="") as handle:
            text = handle.read()
    except FileNotFoundError as error:
        missing = ann if not ann.exists() else txt
        yield Rejection(origin, (f"{missing.name} is missing beside it ({error.strerror})",))
        return
    except UnicodeDecodeError:
        yield Rejection(origin, ("the .ann or .txt file is not UTF-8",))
        return
    except OSError as error:
        yield Rejection(origin, (f"cannot be read: {error.strerror or error}",))
        return
    metadata = _metadata(meta)
    if isinstance(metadata, str):
        yield Rejection(origin, (metadata,))
        return
    yield convert_standoff(origin, standoff, text, metadata)


def _metadata(meta: Path) -> dict[str, Any] | str:
    """The sidecar's fields, or a sentence saying what is wrong with it."""
    try:
        data = json.loads(meta.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return f"{meta.name} is missing beside it: it gives the article's 'published' date"
    except UnicodeDecodeError:
        return f"{meta.name} is not UTF-8"
    except (ValueError, RecursionError) as error:
        return f"{meta.name}: {json_problem(error)}"
    except OSError as error:
        return f"{meta.name} cannot be read: {error.strerror or error}"
    if not isinstance(data, dict):
        return f"{meta.name} must be a JSON object with 'published'"
    return data


@dataclass
class _Standoff:
    """The .ann file parsed, before any meaning is given to it."""

    spans: dict[str, tuple[str, list[tuple[int, int]], str | None]] = field(default_factory=dict)
    events: list[tuple[str, str, str, list[tuple[str, str]]]] = field(default_factory=list)
    attributes: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    comments: list[dict[str, str]] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)


def convert_standoff(origin: Origin, standoff: str, text: str, metadata: dict[str, Any]) -> Converted | Rejection:
    parsed = _parse(standoff)
    triggers = {i for i, (label, _, _) in parsed.spans.items() if label.lower() == TRIGGER}
    actions = _actions(parsed, triggers)
    sanctions, records = _sanctions(parsed, triggers, actions)
    if parsed.problems:
        parsed.problems.sort(key=lambda problem: problem[0])
        line = parsed.problems[0][0]
        return Rejection(replace(origin, line=line), tuple(message for _, message in parsed.problems))
    document: dict[str, Any] = {"text": text, "published": metadata.get("published")}
    document.update({key: metadata[key] for key in _PROVENANCE if key in metadata})
    document["entities"] = [
        _entity(entity_id, label, fragments, written, text)
        for entity_id, (label, fragments, written) in parsed.spans.items()
        if entity_id not in triggers
    ]
    document["sanctions"] = sanctions
    if parsed.comments:
        document["comments"] = parsed.comments
    return Converted(origin, document, tuple(records), parsed.lines)


def _parse(standoff: str) -> _Standoff:
    parsed = _Standoff()
    for number, line in enumerate(standoff.splitlines(), start=1):
        if not line.strip() or _IGNORED.match(line):
            continue
        columns = line.split("\t")
        record_id, kind = columns[0].strip(), columns[0][:1]
        body = columns[1] if len(columns) > 1 else ""
        if kind == "#":
            _comment(parsed, columns)
        elif kind == "T" and len(columns) > 1:
            _span(parsed, number, record_id, body, columns[2] if len(columns) > 2 else None)
        elif kind == "E" and len(columns) > 1:
            _event(parsed, number, record_id, body)
        elif kind in ("A", "M") and len(columns) > 1:
            parts = body.split()
            name = f"attribute {record_id}"
            parsed.lines[name] = number
            if len(parts) not in (2, 3):
                parsed.problems.append((number, f"{name}: expected 'Action E1 Lifted', got {body!r}"))
                continue
            parsed.attributes.append((record_id, parts[0], parts[1], parts[2] if len(parts) == 3 else None))
        elif kind == "R":
            parsed.problems.append((number, f"relation {record_id}: brat relations are not read; "
                                            "mark a sanction as an E event on a Sanction trigger"))
        else:
            parsed.problems.append((number, f"not a brat annotation line: {line[:60]!r}"))
    return parsed


def _comment(parsed: _Standoff, columns: list[str]) -> None:
    """`#1<TAB>AnnotatorNotes T3<TAB>note`, kept as the annotator wrote it."""
    if len(columns) >= 3:
        head = columns[1].split()
        parsed.comments.append({
            "id": columns[0].strip(),
            "type": head[0] if head else "",
            "on": head[1] if len(head) > 1 else "",
            "text": "\t".join(columns[2:]),
        })
    else:
        parsed.comments.append({"text": "\t".join(columns).lstrip("#").strip()})


def _span(parsed: _Standoff, number: int, span_id: str, body: str, written: str | None) -> None:
    name = f"entity {span_id}"
    parsed.lines[name] = number
    label, _, offsets = body.partition(" ")
    try:
        fragments = [(int(a), int(b)) for a, b in (piece.split() for piece in offsets.split(";"))]
    except ValueError:
        parsed.problems.append((number, f"{name}: offsets {offsets!r} are not 'start end' pairs"))
        return
    if span_id in parsed.spans:
        parsed.problems.append((number, f"{name}: id is used twice"))
        return
    parsed.spans[span_id] = (label, fragments, written)


def _event(parsed: _Standoff, number: int, event_id: str, body: str) -> None:
    name = f"event {event_id}"
    parsed.lines[name] = number
    pairs = [part.partition(":") for part in body.split()]
    if not pairs or any(not sep or not role or not ref for role, sep, ref in pairs):
        parsed.problems.append((number, f"{name}: expected 'Sanction:T9 Target:T3 Authority:T1 ...', got {body!r}"))
        return
    (kind, _, trigger), arguments = pairs[0], [(role, ref) for role, _, ref in pairs[1:]]
    parsed.events.append((event_id, kind, trigger, arguments))


def _actions(parsed: _Standoff, triggers: set[str]) -> dict[str, str]:
    """Event or trigger id -> action, from `Action` attributes."""
    events = {event_id for event_id, *_ in parsed.events}
    actions: dict[str, str] = {}
    for attribute_id, name, target, value in parsed.attributes:
        where = f"attribute {attribute_id}"
        line = parsed.lines[where]
        if name.lower() != "action":
            parsed.problems.append((line, f"{where}: {name!r} is not read; only Action (Imposed, Lifted, Extended)"))
        elif value is None or value.lower() not in ACTIONS:
            parsed.problems.append((line, f"{where}: action {value!r} is not Imposed, Lifted or Extended"))
        elif target not in events and target not in triggers:
            parsed.problems.append((line, f"{where}: '{target}' is no event (E) or Sanction trigger"))
        elif actions.setdefault(target, value.lower()) != value.lower():
            parsed.problems.append((line, f"{where}: contradicts the action already set on {target}"))
    return actions


def _sanctions(
    parsed: _Standoff, triggers: set[str], actions: dict[str, str]
) -> tuple[list[dict[str, Any]], list[str]]:
    """One native event per target and authority of each E line."""
    sanctions: list[dict[str, Any]] = []
    records: list[str] = []
    for event_id, kind, trigger, arguments in parsed.events:
        name = f"event {event_id}"
        line = parsed.lines[name]
        if kind.lower() != TRIGGER or trigger not in triggers:
            parsed.problems.append((line, f"{name}: must be anchored on a Sanction trigger (Sanction:T9), "
                                          f"not {kind}:{trigger}"))
            continue
        roles: dict[str, list[str]] = {role: [] for role in _EVENT_ROLES}
        for role, reference in arguments:
            base = re.sub(r"\d+$", "", role).lower()
            if base not in roles:
                parsed.problems.append((line, f"{name}: role {role!r} is not one of "
                                              f"{', '.join(r.title() for r in _EVENT_ROLES)}"))
                continue
            roles[base].append(reference)
        for single in _EVENT_ROLES[2:]:
            if len(roles[single]) > 1:
                parsed.problems.append((line, f"{name}: an event takes one {single.title()}; "
                                              f"give each its own E line"))
        for required in ("target", "authority"):
            if not roles[required]:
                parsed.problems.append((line, f"{name}: has no {required.title()}"))
        action = actions.get(event_id) or actions.get(trigger) or "imposed"
        for target in roles["target"]:
            for authority in roles["authority"]:
                event = {"target": target, "authority": authority, "action": action}
                event.update({role: roles[role][0] for role in _EVENT_ROLES[2:] if roles[role]})
                sanctions.append(event)
                records.append(name)
    return sanctions, records


def _entity(
    entity_id: str, label: str, fragments: list[tuple[int, int]], written: str | None, text: str
) -> dict[str, Any]:
    entity: dict[str, Any] = {"id": entity_id, "label": label, "start": fragments[0][0], "end": fragments[-1][1]}
    if len(fragments) > 1:
        entity["fragments"] = [list(piece) for piece in fragments]
    if written is not None:
        marked = " ".join(text[a:b] for a, b in fragments)
        # brat writes a span that crosses a line break with a space in the .ann.
        entity["text"] = marked if written == re.sub(r"\r\n|\r|\n", " ", marked) else written
    return entity
