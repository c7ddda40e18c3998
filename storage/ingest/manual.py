"""Items added by hand (from Slack): fields in, a native article out, then ingest.

An item is written as a one-sentence article composed from its fields, with
spans at the offsets where each field landed, and goes through the same
validation and ingest as any article: it is merged with what the store knows,
and announced like any new action. Problems come back per field, one sentence
each, so that a form can show them next to the field at fault.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

from storage.articles import Origin, RawArticle, Rejection, validate
from storage.authorities import resolve_authority
from storage.dates import AmbiguousDate, DateError, ResolvedDate, describe_date, resolve_value, resolve_words
from storage.db.models import SLACK_ITEM_PREFIX
from storage.db.store import Store
from storage.ingest.writer import ingest_article

KINDS = {"person": "PERSON", "organization": "ORG"}
ACTIONS = {"imposed": "imposed sanctions on", "lifted": "lifted sanctions on", "extended": "extended sanctions on"}
FIELDS = ("target", "kind", "authority", "date", "action", "role", "reason", "source_url")
MAX_NAME = 300
MAX_AHEAD = timedelta(days=366)
MAX_TEXT = 500
# Emoji and other symbols, private-use and unpaired surrogate code points.
_NOT_IN_NAMES = frozenset({"So", "Co", "Cs"})
_URL = re.compile(r"^https?://[^\s<>|\"]+$", re.IGNORECASE)


@dataclass(frozen=True)
class ItemFields:
    """What an editor fills in; every field is text as typed (None when left empty)."""

    target: str | None = None
    kind: str | None = "person"
    authority: str | None = None
    date: str | None = None
    action: str | None = "imposed"
    role: str | None = None
    reason: str | None = None
    source_url: str | None = None

    def cleaned(self) -> ItemFields:
        values = {name: " ".join((getattr(self, name) or "").split()) or None for name in FIELDS}
        return ItemFields(**values)


@dataclass(frozen=True)
class AddOutcome:
    """Stored (status new/unchanged/replaced) or refused with errors per field."""

    errors: dict[str, str] = field(default_factory=dict)
    status: str | None = None
    new_action_ids: tuple[int, ...] = ()
    summary: str = ""  # "Ivan Petrov: Council of the European Union imposed sanctions, 4 March 2024"

    @property
    def stored(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Draft:
    """Fields drafted from a message's text, and how many items it seemed to hold."""

    fields: ItemFields
    found: int


def add_item(store: Store, fields: ItemFields, *, added_by: str | None = None, today: date | None = None) -> AddOutcome:
    """Validate and store one item; nothing is stored when any field is wrong."""
    document, errors, summary = build_document(fields, today=today, added_by=added_by)
    if document is None:
        return AddOutcome(errors)
    checked = validate(RawArticle(Origin("slack"), document))
    if isinstance(checked, Rejection):
        return AddOutcome(_errors_of(checked))
    outcome = ingest_article(store, checked)
    return AddOutcome(status=outcome.status, new_action_ids=outcome.new_action_ids, summary=summary)


def build_document(
    fields: ItemFields, *, today: date | None = None, added_by: str | None = None
) -> tuple[dict[str, Any] | None, dict[str, str], str]:
    """(native document, {}, summary) or (None, errors per field, "")."""
    today = today or datetime.now(UTC).date()
    item = fields.cleaned()
    errors: dict[str, str] = {}
    if not item.target:
        errors["target"] = "Give the name of the person or organisation sanctioned."
    elif len(item.target) > MAX_NAME:
        errors["target"] = f"A name is at most {MAX_NAME} characters."
    elif not _is_written_name(item.target):
        errors["target"] = "Write the name in letters, without emoji, mentions or links."
    if item.kind not in KINDS:
        errors["kind"] = "Choose person or organisation."
    if not item.authority:
        errors["authority"] = "Say who took the measure: the EU, OFAC, the UK…"
    elif len(item.authority) > MAX_NAME:
        errors["authority"] = f"An authority is at most {MAX_NAME} characters."
    elif not _is_written_name(item.authority):
        errors["authority"] = "Write the authority in letters, without emoji, mentions or links."
    if item.action not in ACTIONS:
        errors["action"] = "Choose imposed, lifted or extended."
    for name in ("role", "reason"):
        if len(getattr(item, name) or "") > MAX_TEXT:
            errors[name] = f"At most {MAX_TEXT} characters."
    if not item.source_url:
        errors["source_url"] = "Give a link to the article or message that reports it."
    elif not _URL.match(item.source_url):
        errors["source_url"] = "The source must be a web link starting with https://."
    when = None
    if item.date:
        try:
            when = parse_item_date(item.date, today)
        except DateError as error:
            errors["date"] = str(error)
    if errors:
        return None, errors, ""
    return _compose(item, when, today, added_by)


def _is_written_name(text: str) -> bool:
    """Letters, and none of Slack's markup or emoji: the item is posted to every subscribed channel.

    Names keep their digits and punctuation ("En+ Group", "AT&T", "Unit 61398").
    """
    return (any(char.isalpha() for char in text) and "<" not in text and ">" not in text
            and not any(unicodedata.category(char) in _NOT_IN_NAMES for char in text))


def parse_item_date(text: str, today: date) -> ResolvedDate:
    """2024-03-04, 2024-03, 2024, '4 March 2024', 'March 2024', 'Monday'…

    Words without a year never point forward; a date written with its year
    may (a measure announced to take effect next month), up to a year ahead:
    further is more likely a slip of the year.
    """
    try:
        resolved = resolve_value(text)
    except DateError:
        try:
            resolved = resolve_words(text, today)
        except AmbiguousDate:
            raise
        except DateError:
            raise DateError(f"'{text}' is not a date I can read; write 2024-03-04, March 2024 or 2024.") from None
    if resolved.day > today + MAX_AHEAD:
        raise DateError(f"{describe_date(resolved.day, resolved.precision)} is more than a year ahead; check the year.")
    return resolved


def draft_fields(text: str, published: date, source_url: str | None = None) -> Draft:
    """The first item the extractor finds in text, as fields (empty ones when none)."""
    from storage.extract import ExtractError, extract

    try:
        document = extract(text, published=published.isoformat())
    except ExtractError:
        return Draft(ItemFields(source_url=source_url), 0)
    events = document.get("sanctions") or []
    if not events:
        return Draft(ItemFields(source_url=source_url), 0)
    entities = {entity["id"]: entity for entity in document.get("entities", [])}
    first = events[0]

    def words(role: str) -> str | None:
        entity = entities.get(first.get(role))
        return " ".join(text[entity["start"]:entity["end"]].split()) if entity else None

    target = entities[first["target"]]
    # The extractor puts what a reference means ("the council's committee" is the
    # Security Council) in the span's value: the form shows that, not the words.
    authority = (entities.get(first.get("authority")) or {}).get("value") or words("authority")
    when = None
    if words("date"):
        try:
            resolved = resolve_words(words("date") or "", published)
            when = _value_of(resolved) or describe_date(resolved.day, resolved.precision)
        except DateError:
            when = words("date")
    drafted = ItemFields(
        target=target.get("value") or words("target"),
        kind="organization" if target["label"] == "ORG" else "person",
        authority=resolve_authority(authority).name if authority else None,
        date=when,
        action=first.get("action") or "imposed",
        role=words("role"),
        reason=words("reason"),
        source_url=source_url,
    )
    return Draft(drafted, len(events))


# --- composing the one-sentence article --------------------------------------


class _Sentence:
    """Text built piece by piece, remembering where each marked piece landed."""

    def __init__(self) -> None:
        self.text = ""
        self.entities: list[dict[str, Any]] = []

    def add(self, piece: str, label: str | None = None, entity_id: str | None = None, **extra: Any) -> None:
        if label is not None:
            start = len(self.text)
            self.entities.append({"id": entity_id or label, "label": label, "start": start,
                                  "end": start + len(piece), "text": piece, **extra})
        self.text += piece


def _compose(
    item: ItemFields, when: ResolvedDate | None, today: date, added_by: str | None
) -> tuple[dict[str, Any], dict[str, str], str]:
    assert item.target and item.authority and item.kind and item.action and item.source_url
    sentence = _Sentence()
    event: dict[str, Any] = {"target": "TARGET", "authority": "AUTHORITY", "action": item.action}
    if when is not None:
        value = _value_of(when)
        written = describe_date(when.day, when.precision) if value else (when.words or when.day.isoformat())
        sentence.add(written[:1].upper() + written[1:], "DATE", **({"value": value} if value else {}))
        sentence.add(": ")
        event["date"] = "DATE"
    sentence.add(item.authority, "AUTHORITY")
    sentence.add(f" {ACTIONS[item.action]} ")
    sentence.add(item.target, KINDS[item.kind], "TARGET")
    if item.role:
        sentence.add(", ")
        sentence.add(item.role, "ROLE")
        event["role"] = "ROLE"
    sentence.add(".")
    if item.reason:
        sentence.add(" Reason given: ")
        sentence.add(item.reason, "REASON")
        event["reason"] = "REASON"
        sentence.add("" if item.reason.endswith((".", "!", "?")) else ".")
    verb = ACTIONS[item.action].removesuffix(" on")
    authority = resolve_authority(item.authority).name
    summary = f"{item.target}: {authority} {verb}" + (
        f", {describe_date(when.day, when.precision)}" if when is not None else ""
    )
    fingerprint = json.dumps([getattr(item, name) for name in FIELDS], ensure_ascii=False)
    document: dict[str, Any] = {
        "id": SLACK_ITEM_PREFIX + hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:20],
        "source": _source_name(item.source_url),
        "url": item.source_url,
        "title": summary,
        "published": today.isoformat(),
        "text": sentence.text,
        "entities": sentence.entities,
        "sanctions": [event],
    }
    if added_by:
        document["comments"] = [f"added in Slack by {added_by}"]
    return document, {}, summary


def _value_of(when: ResolvedDate) -> str | None:
    """The annotator's value for a resolved date; None for a week (no value form)."""
    return {"day": when.day.isoformat(), "month": when.day.isoformat()[:7], "year": str(when.day.year)}.get(
        when.precision
    )


def _source_name(url: str) -> str:
    host = (urlparse(url).hostname or "").removeprefix("www.")
    return "Slack message" if host == "slack.com" or host.endswith(".slack.com") else host or "link"


_ENTITY_FIELDS = {"TARGET": "target", "AUTHORITY": "authority", "DATE": "date", "ROLE": "role", "REASON": "reason"}


def _errors_of(rejection: Rejection) -> dict[str, str]:
    """Validation problems put next to the field they concern (the target when unclear)."""
    errors: dict[str, str] = {}
    for problem in rejection.problems:
        match = re.search(r"entity (\w+)", problem)
        name = _ENTITY_FIELDS.get(match.group(1), "target") if match else "target"
        message = re.sub(r"^entity \w+: ", "", problem)
        errors.setdefault(name, message[:1].upper() + message[1:] + ("" if message.endswith(".") else "."))
    return errors
