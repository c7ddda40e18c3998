"""Writing native articles in tests by phrase, so offsets are never hand-counted."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def span(text: str, entity_id: str, label: str, phrase: str, nth: int = 1, **extra: Any) -> dict:
    """An entity for the nth occurrence of phrase in text."""
    start = -1
    for _ in range(nth):
        start = text.index(phrase, start + 1)
    return {"id": entity_id, "label": label, "start": start, "end": start + len(phrase),
            "text": phrase, **extra}


def article(
    text: str,
    published: str,
    entities: list[dict],
    sanctions: list[dict],
    article_id: str | None = None,
    **fields: Any,
) -> dict:
    document: dict[str, Any] = {"published": published, "text": text,
                                "entities": entities, "sanctions": sanctions, **fields}
    if article_id is not None:
        document["id"] = article_id
    return document


def simple_article(
    article_id: str,
    person: str,
    authority: str,
    date_words: str | None,
    published: str = "2021-03-23",
    action: str = "imposed",
    aliases: list[str] | None = None,
    value: str | None = None,
    reason: str | None = "human rights abuses",
    role: str | None = None,
    title: str | None = None,
) -> dict:
    """One sentence, one event: '<authority> <action> sanctions on <person> ...'."""
    verb = {"imposed": "sanctioned", "lifted": "lifted sanctions on", "extended": "extended sanctions on"}[action]
    when = f" {date_words}" if date_words else ""
    role_part = f", {role}," if role else ""
    reason_part = f" over {reason}" if reason else ""
    text = f"{authority}{when} {verb} {person}{role_part}{reason_part}. Officials gave no further details."
    entities = [span(text, "A", "AUTHORITY", authority),
                span(text, "P", "PERSON", person, **({"aliases": aliases} if aliases else {}),
                     **({"value": value} if value else {}))]
    event: dict[str, Any] = {"target": "P", "authority": "A", "action": action}
    if date_words:
        entities.append(span(text, "D", "DATE", date_words))
        event["date"] = "D"
    if reason:
        entities.append(span(text, "R", "REASON", reason))
        event["reason"] = "R"
    if role:
        entities.append(span(text, "O", "ROLE", role))
        event["role"] = "O"
    return article(text, published, entities, [event], article_id,
                   source="Test Wire", url=f"https://example.org/{article_id}",
                   title=title or f"{authority} acts on {person}")


def confirmed(document: dict) -> dict:
    """A drafted article as a reviewer leaves it after accepting every event: no `draft` flags."""
    events = [{k: v for k, v in event.items() if k != "draft"} for event in document["sanctions"]]
    return {**document, "sanctions": events}


def write_json(path: Path, document: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def write_jsonl(path: Path, documents: list[dict | str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [d if isinstance(d, str) else json.dumps(d, ensure_ascii=False) for d in documents]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def seed_article(seed_text: str, fixture_path: Path) -> dict:
    """The seed story with our annotations (the text itself stays in shared/)."""
    annotations = json.loads(fixture_path.read_text(encoding="utf-8"))
    document = {k: v for k, v in annotations.items() if not k.startswith("_") and k != "seed"}
    document["text"] = seed_text
    return document


def wait_until(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll until condition() is truthy and return it; fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        assert time.monotonic() < deadline, f"timed out after {timeout} s waiting for {what}"
        time.sleep(0.1)
