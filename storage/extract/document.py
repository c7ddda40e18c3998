"""Drafted events assembled into a native-format document.

One event per action: "The Biden administration sanctioned..." and "...said
the Treasury" report one action, drafted once, as the Treasury's. Entity ids
follow the order of the text, so that a reviewer reading the JSON next to the
article finds them in reading order. Every event is marked `"draft": true`
and explains which rule drafted it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from storage.authorities import Authority, resolve_authority
from storage.extract.events import Draft
from storage.names.folding import merge_key

PROVENANCE_FIELDS = ("source", "url", "title")
# Authorities too general to stand beside a more specific one of the same country.
GENERAL_AUTHORITIES = frozenset({"United States Government"})


def assemble(text: str, drafts: list[Draft], published: str, meta: dict[str, Any]) -> dict[str, Any]:
    """The native document for the drafts of one article."""
    document = DraftDocument(text)
    for draft in one_per_action(text, drafts):
        document.add(draft)
    return document.native(published, meta)


def one_per_action(text: str, drafts: list[Draft]) -> list[Draft]:
    """One event per target, jurisdiction, action and date; the most specific authority wins."""
    chosen: dict[tuple, Draft] = {}
    for draft in drafts:
        authority = _authority(text, draft)
        day = draft.date.resolved if draft.date is not None else None
        key = (
            merge_key(draft.name or text[draft.target.start:draft.target.end]),
            authority.jurisdiction or authority.name,
            draft.action,
            (day.day, day.precision) if day is not None else None,
        )
        if key not in chosen or _general(text, chosen[key]) and not _general(text, draft):
            chosen[key] = draft
    return sorted(chosen.values(), key=lambda d: (d.target.start, d.authority.start))


def _general(text: str, draft: Draft) -> bool:
    return _authority(text, draft).name in GENERAL_AUTHORITIES


def _authority(text: str, draft: Draft) -> Authority:
    """The authority as ingest reads it: the span's value ("the council": the Security Council), else its words."""
    return resolve_authority(draft.authority.value or text[draft.authority.start:draft.authority.end])


@dataclass
class DraftDocument:
    text: str
    _spans: dict[tuple[str, int, int], dict[str, Any]] = field(default_factory=dict)
    _events: list[dict[str, Any]] = field(default_factory=list)

    def span(
        self, label: str, start: int, end: int, value: str | None = None, aliases: tuple[str, ...] = ()
    ) -> tuple[str, int, int]:
        """The key of an entity over text[start:end], made once; a full name or other spellings when known."""
        key = (label, start, end)
        if key not in self._spans:
            self._spans[key] = {"label": label, "start": start, "end": end, "text": self.text[start:end]}
        if value:
            self._spans[key]["value"] = value
        if aliases:
            self._spans[key]["aliases"] = list(aliases)
        return key

    def add(self, draft: Draft) -> None:
        date = draft.date
        fields: dict[str, Any] = {
            "target": self.span(draft.label, draft.target.start, draft.target.end, draft.name,
                                draft.target.aliases(self.text)),
            "authority": self.span("AUTHORITY", draft.authority.start, draft.authority.end, draft.authority.value),
            "date": self.span("DATE", date.start, date.end) if date is not None else None,
            "role": self.span("ROLE", *draft.role) if draft.role else None,
            "reason": self.span("REASON", *draft.reason) if draft.reason else None,
            "action": draft.action,
            "draft": True,
            "explain": {
                "trigger": draft.trigger,
                "authority": draft.authority.found_by,
                "date": f"{draft.date_found_by}: {date.phrase}" if date is not None else draft.date_found_by,
            },
        }
        if draft.reference:
            fields["explain"]["target"] = f"reference: {draft.reference}"
        event = {name: value for name, value in fields.items() if value is not None}
        same = next((e for e in self._events if (e["target"], e["authority"], e["action"]) ==
                     (event["target"], event["authority"], event["action"])), None)
        if same is None:
            self._events.append(event)
            return
        # One event per target, authority and action (the contract): two rules that drafted it make one
        # event, with every field either found; a date the text gives beats the publication's.
        for name in ("date", "role", "reason"):
            if name not in same and name in event:
                same[name] = event[name]
                if name == "date":
                    same["explain"]["date"] = event["explain"]["date"]

    def native(self, published: str, meta: dict[str, Any]) -> dict[str, Any]:
        ordered = sorted(self._spans, key=lambda key: (key[1], key[2], key[0]))
        ids = {key: f"T{number}" for number, key in enumerate(ordered, start=1)}
        entities = [{"id": ids[key], **self._spans[key]} for key in ordered]
        sanctions = []
        for event in self._events:
            drafted: dict[str, Any] = {}
            for name, value in event.items():
                drafted[name] = ids[value] if isinstance(value, tuple) else value
            sanctions.append(drafted)
        document: dict[str, Any] = {"id": meta.get("id") or _text_id(self.text), "published": published}
        for name in PROVENANCE_FIELDS:
            if isinstance(meta.get(name), str) and meta[name].strip():
                document[name] = meta[name]
        document.update({"text": self.text, "entities": entities, "sanctions": sanctions})
        return document


def _text_id(text: str) -> str:
    return "draft-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
