"""Sanction events from span-to-span relations (Label Studio, doccano).

Tools that draw relations between spans have no event object: the contract
(ANNOTATION_FORMAT.md §3) makes one event per `sanctioned_by` relation, from
a target to an authority, and gives it the target's `on` date, `role`,
`reason` and `program`; an `on` relation from an authority to a date gives
that authority's events their own date. Arrows drawn the other way round
are read the same: the labels of the two spans say which end is which.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from storage.articles.model import a_label

TARGETS = frozenset({"PERSON", "ORG"})
# relation label -> (labels its head may have, label of its tail, event field)
RELATIONS: dict[str, tuple[frozenset[str], str, str]] = {
    "sanctioned_by": (TARGETS, "AUTHORITY", "authority"),
    "on": (TARGETS | {"AUTHORITY"}, "DATE", "date"),
    "role": (TARGETS, "ROLE", "role"),
    "reason": (TARGETS, "REASON", "reason"),
    "program": (TARGETS, "PROGRAM", "program"),
}


@dataclass(frozen=True)
class Link:
    """One relation as the tool wrote it."""

    record: str  # how messages name it: "relation r3"
    source: str  # entity id at the start of the arrow
    destination: str  # entity id at its end
    label: str


@dataclass(frozen=True)
class Events:
    sanctions: list[dict[str, Any]]
    records: tuple[str, ...]  # the relation each sanction was made from
    problems: list[str]


def relation_label(label: Any) -> str:
    """`Sanctioned by`, `sanctioned-by` and `SANCTIONED_BY` are one label."""
    return "_".join(str(label).strip().lower().replace("-", " ").split())


def events_from_links(labels: Mapping[str, str], links: list[Link], actions: Mapping[str, str]) -> Events:
    """Native sanctions from relations; `labels` maps entity id -> its label.

    `actions` maps a target's entity id to `lifted` or `extended` where the
    annotator marked it so; every other target's events are impositions.
    """
    problems: list[str] = []
    authorities: list[tuple[str, str, Link]] = []  # (target, authority, link) per sanctioned_by
    details: dict[tuple[str, str], tuple[str, Link]] = {}  # (head, field) -> (tail, link)
    for link in links:
        oriented = _orient(link, labels, problems)
        if oriented is None:
            continue
        head, tail, field = oriented
        if field == "authority":
            authorities.append((head, tail, link))
            continue
        earlier = details.get((head, field))
        if earlier is not None and earlier[0] != tail:
            problems.append(
                f"{link.record}: {labels[head]} '{head}' already has a {field} ({earlier[1].record}); "
                f"an event takes one"
            )
            continue
        details[(head, field)] = (tail, link)

    sanctions: list[dict[str, Any]] = []
    records: list[str] = []
    for target, authority, link in authorities:
        event: dict[str, Any] = {"target": target, "authority": authority,
                                 "action": actions.get(target, "imposed")}
        for field in ("date", "role", "reason", "program"):
            own = details.get((authority, field)) if field == "date" else None
            chosen = own or details.get((target, field))
            if chosen is not None:
                event[field] = chosen[0]
        sanctions.append(event)
        records.append(link.record)
    return Events(sanctions, tuple(records), problems)


def _orient(link: Link, labels: Mapping[str, str], problems: list[str]) -> tuple[str, str, str] | None:
    """(head, tail, event field) of a relation, whichever way it was drawn."""
    label = relation_label(link.label)
    if label not in RELATIONS:
        problems.append(
            f"{link.record}: label {link.label!r} is not one of {', '.join(RELATIONS)}"
        )
        return None
    for end in (link.source, link.destination):
        if end not in labels:
            problems.append(f"{link.record}: '{end}' names no entity of this article")
            return None
    heads, tail_label, field = RELATIONS[label]
    source, destination = labels[link.source], labels[link.destination]
    if source in heads and destination == tail_label:
        return link.source, link.destination, field
    if destination in heads and source == tail_label:
        return link.destination, link.source, field
    expected = " or ".join(sorted(heads))
    problems.append(
        f"{link.record}: {label} links {a_label(source)} to {a_label(destination)}; "
        f"it must link {a_label(expected)} to {a_label(tail_label)}"
    )
    return None
