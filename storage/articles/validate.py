"""Validation of a native document, then resolution into an Article.

Every check names the field or entity at fault, so the annotator can fix the
file from the message alone. Nothing is resolved from an invalid document.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from functools import lru_cache
from typing import Any

from storage.articles.model import (
    ACTIONS,
    LABELS,
    TARGET_LABELS,
    Article,
    Event,
    RawArticle,
    Rejection,
    TargetRef,
    a_label,
)
from storage.articles.sentences import sentences_around
from storage.authorities import resolve_authority
from storage.dates import DateError, ResolvedDate, from_publication, parse_published, resolve_value, resolve_words

_OPTIONAL_TEXT_FIELDS = ("source", "url", "title")
_EVENT_ROLES = {"date": "DATE", "role": "ROLE", "reason": "REASON", "program": "PROGRAM"}
_MAX_NAME = 300  # characters of a name, an authority or a source the store keeps
_MAX_DATE_WORDS = 200
# What no database column can keep: NUL (PostgreSQL refuses it in text) and
# unpaired surrogates (JSON's "\ud800" escapes, which are no character in UTF-8).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _unstorable(document: dict[str, Any]) -> str | None:
    """A problem naming the first string the store could not keep, or None."""
    pending: list[tuple[Any, str]] = [(document, "")]
    while pending:  # a loop, not recursion: JSON may nest deeper than Python's stack
        value, where = pending.pop()
        if isinstance(value, str):
            found = _UNSTORABLE.search(value)
            if found is not None:
                what = "a NUL character" if found.group() == "\x00" else "an unpaired surrogate"
                shown = ascii(found.group())[1:-1]
                place = _UNSTORABLE.sub(lambda m: ascii(m.group())[1:-1], _clip(where))
                return f"field '{place}' holds {what} ({shown}), which cannot be stored; remove it"
        elif isinstance(value, dict):
            for key, item in value.items():
                pending.append((item, f"{where}.{key}" if where else str(key)))
                pending.append((key, where or str(key)))
        elif isinstance(value, list):
            pending.extend((item, f"{where}[{index}]") for index, item in enumerate(value))
    return None


def _clip_field(value: str | None) -> str | None:
    return value[:_MAX_NAME] if value is not None else None


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validate(raw: RawArticle) -> Article | Rejection:
    problems: list[str] = []
    document = raw.document
    if not isinstance(document, dict):
        return Rejection(raw.origin, ("an article must be a JSON object",))
    try:
        canonical: str | None = _canonical(document)
    except RecursionError:
        canonical = None  # reported below, after what the walk may find
    # The walk names the field at fault; the flat text only says whether there is one.
    if canonical is None or "\\u0000" in canonical or _UNSTORABLE.search(canonical):
        unstorable = _unstorable(document)
        if unstorable is not None:
            return Rejection(raw.origin, (unstorable,))

    text = document.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.append("field 'text' is missing or empty")
        text = None
    published = _published(document, problems)
    for field in _OPTIONAL_TEXT_FIELDS:
        if document.get(field) is not None and not isinstance(document[field], str):
            problems.append(f"field '{field}' must be a string")
    article_id = document.get("id")
    if article_id is not None and not isinstance(article_id, (str, int)) or isinstance(article_id, bool):
        problems.append("field 'id' must be a string")
    elif isinstance(article_id, str) and not article_id.strip():
        problems.append("field 'id' is empty")

    broken = _Faulty()  # entities with a problem of their own: references to them add none
    entities = _entities(document, text, problems, broken)
    events = _event_specs(document, entities, problems, broken)
    if problems or text is None or published is None:
        return Rejection(raw.origin, tuple(problems))

    resolved: list[Event] = []
    for index, spec in events:
        event = _resolve_event(index, spec, entities, text, published, problems)
        if event is not None:
            resolved.append(event)
    if problems:
        return Rejection(raw.origin, tuple(problems))

    if canonical is None:
        return Rejection(raw.origin, ("nested too deeply to be stored",))
    return Article(
        origin=raw.origin,
        key=_key(article_id, text),
        content_hash=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        title=_clean(document.get("title")),
        source=_clip_field(_clean(document.get("source"))),
        url=_clean(document.get("url")),
        published=published,
        published_text=str(document["published"]).strip()[:100],
        text=text,
        events=tuple(_merge_duplicates(resolved)),
        document=canonical,
    )


# An archive says "the Treasury" and "last month" thousands of times: each
# distinct phrase (and publication day) is resolved once per process.
resolved_words = lru_cache(maxsize=65536)(resolve_words)
_authority = lru_cache(maxsize=4096)(resolve_authority)


def _canonical(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _key(article_id: str | int | None, text: str) -> str:
    key = str(article_id).strip() if article_id is not None else (
        "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    )
    return key[:300]


def identity(document: Any) -> tuple[str, str] | None:
    """The key and content hash `validate` would give this document, or None.

    Computed without reading entities or events, so that ingest can tell an
    article it already holds, unchanged, from the bytes alone: re-ingesting an
    archive then costs a parse and a hash per article, not a validation.
    None where the document could not be an article at all (validation says why).
    """
    if not isinstance(document, dict):
        return None
    article_id, text = document.get("id"), document.get("text")
    if isinstance(article_id, bool) or not isinstance(article_id, (str, int, type(None))):
        return None
    if not isinstance(text, str) or (isinstance(article_id, str) and not article_id.strip()):
        return None
    try:
        canonical = _canonical(document).encode("utf-8")
        return _key(article_id, text), hashlib.sha256(canonical).hexdigest()
    except (RecursionError, ValueError):  # nesting, unpaired surrogates: validation's to report
        return None


def _published(document: dict[str, Any], problems: list[str]) -> date | None:
    value = document.get("published")
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append("field 'published' is missing")
        return None
    if not isinstance(value, str):
        problems.append("field 'published' must be a date string such as 2024-02-27")
        return None
    try:
        return parse_published(value)
    except DateError as error:
        problems.append(f"field 'published': {error}")
        return None


@dataclass
class _Faulty:
    """Entities with a problem of their own, so that references to them add none.

    `unnamed` is set when an entity is faulty before its id could be read (not
    an object, no id, or 'entities' not a list): a reference to an unknown id
    may then mean that entity, and saying it "names no entity" would only
    repeat the one problem in other words.
    """

    ids: set[str] = dataclass_field(default_factory=set)
    unnamed: bool = False

    def add(self, entity_id: str) -> None:
        self.ids.add(entity_id)


def _entities(
    document: dict[str, Any], text: str | None, problems: list[str], broken: _Faulty
) -> dict[str, dict[str, Any]]:
    entities = document.get("entities", [])
    if entities is None:
        return {}
    if not isinstance(entities, list):
        keyed = " keyed by id" if isinstance(entities, dict) else ""
        problems.append(
            f"field 'entities' must be a list of objects such as {{\"id\": \"T1\", \"label\": \"PERSON\", "
            f"\"start\": 0, \"end\": 5}}, not {_json_kind(entities)}{keyed}"
        )
        broken.unnamed = True
        return {}
    found: dict[str, dict[str, Any]] = {}
    for position, entity in enumerate(entities):
        if not isinstance(entity, dict):
            problems.append(f"entities[{position}] must be an object, not {_json_kind(entity)}")
            broken.unnamed = True
            continue
        entity_id = entity.get("id")
        name = f"entity {entity_id}" if isinstance(entity_id, (str, int)) else f"entities[{position}]"
        if not isinstance(entity_id, (str, int)) or isinstance(entity_id, bool) or str(entity_id) == "":
            problems.append(f"{name}: field 'id' is missing")
            broken.unnamed = True
            continue
        entity_id = str(entity_id)
        if entity_id in found:
            problems.append(f"{name}: id is used twice")
            continue
        label = entity.get("label")
        if not isinstance(label, str) or label.upper() not in LABELS:
            problems.append(
                f"{name}: label {label!r} is not one of {', '.join(sorted(LABELS))}"
            )
            broken.add(entity_id)
            continue
        start, end = entity.get("start"), entity.get("end")
        if not _is_int(start) or not _is_int(end):
            problems.append(f"{name}: 'start' and 'end' must be integers")
            broken.add(entity_id)
            continue
        fragments = _fragments(name, entity, start, end, problems)
        if fragments is None:
            broken.add(entity_id)
            continue
        if text is not None:
            if not 0 <= start < end <= len(text):
                where_wrong = "mark no text" if start >= end else f"are outside the text (length {len(text)})"
                problems.append(f"{name}: offsets {start}..{end} {where_wrong}")
                broken.add(entity_id)
                continue
            marked, where = entity.get("text"), _where(fragments)
            if marked is not None and marked != _joined(text, fragments):
                composed = unicodedata.normalize("NFC", str(marked)) == unicodedata.normalize(
                    "NFC", _joined(text, fragments)
                )
                problems.append(
                    f"{name}: text {_clip(str(marked))!r} does not match "
                    f"text[{where}] {_clip(_joined(text, fragments))!r}"
                    + (" (the same letters, composed differently: write both in Unicode NFC)" if composed else "")
                )
                broken.add(entity_id)
                continue
            if not _joined(text, fragments).strip():
                problems.append(f"{name}: span text[{where}] is blank")
                broken.add(entity_id)
                continue
        value = entity.get("value")
        if value is not None and (not isinstance(value, str) or not value.strip()):
            problems.append(f"{name}: 'value' must be a non-empty string")
            broken.add(entity_id)
            continue
        aliases = entity.get("aliases", [])
        if aliases is None:
            aliases = []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problems.append(f"{name}: 'aliases' must be a list of strings")
            broken.add(entity_id)
            continue
        if aliases and label.upper() not in TARGET_LABELS:
            problems.append(
                f"{name}: 'aliases' are for PERSON and ORG entities only, not {a_label(label.upper())}; "
                "remove them or correct the label"
            )
            broken.add(entity_id)
            continue
        found[entity_id] = {
            **entity,
            "id": entity_id,
            "label": label.upper(),
            "aliases": [a.strip() for a in aliases if a.strip()],
            "fragments": fragments,
        }
    return found


def _fragments(
    name: str, entity: dict[str, Any], start: int, end: int, problems: list[str]
) -> list[tuple[int, int]] | None:
    """The pieces of a discontinuous span (brat's `0 5;10 15`), else the one span.

    `fragments` is optional: [[start, end], ...] in text order, not overlapping,
    the first starting at `start` and the last ending at `end`. The words of
    such an entity are its pieces joined by a space, as brat writes them.
    """
    pieces = entity.get("fragments")
    if pieces is None:
        return [(start, end)]
    if (
        not isinstance(pieces, list)
        or not pieces
        or not all(isinstance(p, list | tuple) and len(p) == 2 and all(_is_int(n) for n in p) for p in pieces)
    ):
        problems.append(f"{name}: 'fragments' must be a list of [start, end] pairs")
        return None
    ordered = all(a < b for a, b in pieces) and all(
        pieces[i][1] <= pieces[i + 1][0] for i in range(len(pieces) - 1)
    )
    if not ordered or pieces[0][0] != start or pieces[-1][1] != end:
        problems.append(
            f"{name}: fragments {_where(pieces)} must be in order, apart, and run from 'start' to 'end'"
        )
        return None
    return [(a, b) for a, b in pieces]


def _where(fragments: list[tuple[int, int]] | list[list[int]]) -> str:
    return ";".join(f"{a}:{b}" for a, b in fragments)


def _joined(text: str, fragments: list[tuple[int, int]]) -> str:
    return " ".join(text[a:b] for a, b in fragments)


def _event_specs(
    document: dict[str, Any], entities: dict[str, dict[str, Any]], problems: list[str], broken: _Faulty
) -> list[tuple[int, dict[str, Any]]]:
    events = document.get("sanctions", [])
    if events is None:
        return []
    if not isinstance(events, list):
        problems.append("field 'sanctions' must be a list")
        return []
    specs: list[tuple[int, dict[str, Any]]] = []
    pairs: dict[tuple[str, str, str], int] = {}  # (target, authority, action) -> its first event
    for index, event in enumerate(events):
        where = f"sanctions[{index}]"
        if not isinstance(event, dict):
            problems.append(f"{where} must be an object")
            continue
        known = _References(entities, broken, problems)
        ok = known.check(where, event, "target", set(TARGET_LABELS), True)
        ok &= known.check(where, event, "authority", {"AUTHORITY"}, True)
        for field, label in _EVENT_ROLES.items():
            ok &= known.check(where, event, field, {label}, False)
        action = event.get("action", "imposed")
        if action is None:
            action = "imposed"
        if not isinstance(action, str) or action.strip().lower() not in ACTIONS:
            problems.append(f"{where}: action {action!r} is not imposed, lifted or extended")
            ok = False
        if ok:
            ok = _first_of_pair(index, event, pairs, problems)
        if ok:
            specs.append((index, event))
    return specs


def _first_of_pair(
    index: int, event: dict[str, Any], pairs: dict[tuple[str, str, str], int], problems: list[str]
) -> bool:
    """The contract's "one event per (target, authority) pair", for each action.

    Two events of one pair and action either repeat each other or disagree
    (on the date, the role), and which one the annotator meant is theirs to
    say. An imposition and a lifting of one pair are two measures, and an
    article that reports a lifting often recalls the imposition: both stay
    (the extractor drafts them so, and the store keeps actions per kind).
    """
    target, authority = str(event["target"]), str(event["authority"])
    action = str(event.get("action") or "imposed").strip().lower()
    first = pairs.setdefault((target, authority, action), index)
    if first == index:
        return True
    problems.append(
        f"sanctions[{index}]: links target '{target}' to authority '{authority}' with action '{action}' "
        f"as sanctions[{first}] does; an article has one such event per target and authority, so merge the two"
    )
    return False


@dataclass(frozen=True)
class _References:
    """Checks an event's references to the article's entities."""

    entities: dict[str, dict[str, Any]]
    broken: _Faulty
    problems: list[str]

    def check(self, where: str, event: dict[str, Any], field: str, labels: set[str], required: bool) -> bool:
        reference = event.get(field)
        if reference is None:
            if required:
                self.problems.append(f"{where}: field '{field}' is missing")
            return not required
        if str(reference) in self.broken.ids:
            return False  # the entity's own problem is reported already
        if str(reference) not in self.entities:
            if self.broken.unnamed:
                return False  # it may name the entity whose id could not be read, reported already
            self.problems.append(f"{where}: {field} '{reference}' names no entity of this article")
            return False
        label = self.entities[str(reference)]["label"]
        if label not in labels:
            expected = " or ".join(sorted(labels))
            self.problems.append(f"{where}: {field} '{reference}' is {a_label(label)}, not {a_label(expected)}")
            return False
        return True


def _resolve_event(
    index: int,
    spec: dict[str, Any],
    entities: dict[str, dict[str, Any]],
    text: str,
    published: date,
    problems: list[str],
) -> Event | None:
    target = entities[str(spec["target"])]
    authority_span = entities[str(spec["authority"])]
    date = _event_date(spec, entities, text, published, problems)
    if date is None:
        return None
    authority_text = (authority_span.get("value") or _span(text, authority_span))[:_MAX_NAME]
    return Event(
        target=_target_ref(target, text),
        authority=_authority(authority_text),
        authority_text=_span(text, authority_span)[:_MAX_NAME],
        action=str(spec.get("action") or "imposed").strip().lower(),
        date=date,
        role=_optional_span(spec, "role", entities, text),
        reason=_optional_span(spec, "reason", entities, text),
        program=_optional_span(spec, "program", entities, text),
        # Both the target's and the authority's sentence: the quote must say who acted.
        quote=sentences_around(
            text, [(target["start"], target["end"]), (authority_span["start"], authority_span["end"])]
        ),
    )


def _event_date(
    spec: dict[str, Any],
    entities: dict[str, dict[str, Any]],
    text: str,
    published: date,
    problems: list[str],
) -> ResolvedDate | None:
    reference = spec.get("date")
    if reference is None:
        return from_publication(published)
    entity = entities[str(reference)]
    words = _span(text, entity)
    try:
        if entity.get("value"):
            resolved = resolve_value(entity["value"])
            return ResolvedDate(resolved.day, resolved.precision, words[:_MAX_DATE_WORDS])
        return resolved_words(words, published)
    except DateError as error:
        problems.append(f"entity {entity['id']}: {error}")
        return None


# Characters that show as nothing: a name holding one looks like, yet is not, the name without it.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))  # soft hyphen, zero-width space, joiners


def _clean_name(name: str) -> str:
    """A name as shown and stored: composed (NFC), without invisible characters, on one line.

    "Bütikofer" typed with a combining umlaut, or "Lav\u00adrov" with a soft
    hyphen, would otherwise be listed as an alias identical to the name.
    """
    return " ".join(unicodedata.normalize("NFC", name).translate(_INVISIBLE).split())


def _target_ref(entity: dict[str, Any], text: str) -> TargetRef:
    written = _clean_name(_span(text, entity)) or _span(text, entity)  # a span of invisibles stays as marked
    value = _clean_name(entity.get("value") or "")
    names: list[tuple[str, str]] = []
    if value:
        names.append((value[:_MAX_NAME], "value"))
    names.append((written[:_MAX_NAME], "mention"))
    names.extend((_clean_name(alias)[:_MAX_NAME], "alias") for alias in entity["aliases"] if _clean_name(alias))
    return TargetRef(
        kind=TARGET_LABELS[entity["label"]],
        name=(value or written)[:_MAX_NAME],
        names=tuple(dict.fromkeys(names)),
    )


def _span(text: str, entity: dict[str, Any]) -> str:
    return " ".join(_joined(text, entity["fragments"]).split())


def _optional_span(
    spec: dict[str, Any], field: str, entities: dict[str, dict[str, Any]], text: str
) -> str | None:
    reference = spec.get(field)
    return None if reference is None else _span(text, entities[str(reference)])


def _json_kind(value: Any) -> str:
    """What a JSON value is, in JSON's words, for "must be an object, not a number"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _clean(value: Any) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _merge_duplicates(events: list[Event]) -> list[Event]:
    """One event per (target, authority, action, date): a repeated event is a no-op."""
    seen: dict[tuple, Event] = {}
    for event in events:
        key = (event.target.name, event.authority.name, event.action, event.date.day, event.date.precision)
        seen.setdefault(key, event)
    return list(seen.values())
