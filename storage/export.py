"""The store's facts written out: FollowTheMoney, CSV, and native articles.

`ftm` is what the sanctions world reads (OpenSanctions, Aleph): one
Person/Organization per target, one Sanction per action. `csv` is one row
per action for a spreadsheet. `jsonl` gives back the articles themselves, as
canonical native documents, so that ingesting the export into an empty store
rebuilds the same facts. Facts come from `storage.answers.queries`, so an export
says exactly what `ask` says.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select

from storage.answers.model import ActionFact
from storage.answers.queries import facts_for_actions
from storage.db.models import Action, Article, Target, TargetName
from storage.db.store import Store
from storage.names.folding import aliases_of

EXPORT_FORMATS = ("ftm", "csv", "jsonl")
# What one record of each format is, for the summary line.
RECORD_NOUNS = {"ftm": "entities", "csv": "actions", "jsonl": "articles"}
CSV_COLUMNS = (
    "target", "target_type", "aliases", "action", "authority", "jurisdiction", "date", "precision",
    "date_text", "date_from_publication", "role", "reason", "program", "source_urls", "source_titles", "quote",
    # Added later, so at the end: existing readers of the columns above keep working.
    "source", "published",
)
_SEPARATOR = " | "
_BATCH = 500


@dataclass(frozen=True)
class TargetFacts:
    """A target with every name it is known by and every action against it."""

    kind: str  # person | organization
    name: str
    aliases: list[str]
    facts: list[ActionFact]


def export(store: Store, format: str, out: TextIO) -> int:
    """Write the whole store to `out` in `format`; returns how many records were written."""
    if format == "jsonl":
        return write_articles(store, out)
    if format == "csv":
        return write_csv(store, out)
    if format == "ftm":
        return write_ftm(store, out)
    raise ValueError(f"unknown export format {format!r}; one of {', '.join(EXPORT_FORMATS)}")


def export_file(store: Store, format: str, path: Path) -> int:
    """As `export`, into a file that appears only once it is complete."""
    descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with open(descriptor, "w", encoding="utf-8", newline="") as handle:
            count = export(store, format, handle)
        os.chmod(partial, 0o644)  # mkstemp's 0600 is for the half-written file only
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return count


def write_articles(store: Store, out: TextIO) -> int:
    """Every stored article as its canonical native JSON, one per line.

    In the order they were first stored: ingesting the export in that order
    gives actions the same relative order, so even ties (two authorities
    acting on one day) are listed as before.
    """
    count = 0
    with store.session() as session:
        documents = session.execute(
            select(Article.document).order_by(Article.id).execution_options(yield_per=200)
        ).scalars()
        for document in documents:
            out.write(document + "\n")
            count += 1
    return count


def write_csv(store: Store, out: TextIO) -> int:
    """One row per action; several sources of one action share its row."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for target in target_facts(store):
        for fact in target.facts:
            writer.writerow([
                target.name, target.kind, _SEPARATOR.join(target.aliases), fact.action, fact.authority,
                fact.jurisdiction or "", fact.date, fact.precision, fact.date_text or "",
                "yes" if fact.date_from_publication else "no", fact.role or "", fact.reason or "",
                fact.program or "", _joined(s.url for s in fact.sources),
                _joined(s.title for s in fact.sources),
                fact.sources[0].quote if fact.sources else "",
                _joined(s.source for s in fact.sources), _joined(s.published for s in fact.sources),
            ])
            count += 1
    return count


def _joined(values: Iterable[str | None]) -> str:
    """Several sources in one cell, each distinct value once."""
    return _SEPARATOR.join(dict.fromkeys(v for v in values if v))


def write_ftm(store: Store, out: TextIO) -> int:
    """FollowTheMoney entities as JSON lines: each target, then its Sanctions."""
    count = 0
    used: set[str] = set()
    for target in target_facts(store):
        for entity in ftm_entities(target, used):
            out.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count


def ftm_entities(target: TargetFacts, used: set[str]) -> Iterator[dict[str, Any]]:
    """The target's entity and one Sanction per action; `used` keeps ids unique."""
    schema = "Person" if target.kind == "person" else "Organization"
    target_id = _unique(_entity_id("target", target.kind, target.name), used)
    properties: dict[str, list[str]] = {"name": [target.name]}
    if target.aliases:
        properties["alias"] = list(target.aliases)
    roles = list(dict.fromkeys(f.role for f in target.facts if f.role))
    if roles and schema == "Person":
        properties["position"] = roles
    yield {"id": target_id, "schema": schema, "properties": properties}
    for fact in target.facts:
        yield {
            "id": _unique(_entity_id("sanction", target_id, fact.authority, fact.action, fact.date, fact.precision),
                          used),
            "schema": "Sanction",
            "properties": _sanction_properties(target_id, fact),
        }


def _sanction_properties(target_id: str, fact: ActionFact) -> dict[str, list[str]]:
    properties: dict[str, list[str]] = {
        "entity": [target_id], "authority": [fact.authority], "status": [fact.action],
    }
    if fact.jurisdiction:
        properties["country"] = [fact.jurisdiction.lower()]
    written = None if fact.date_from_publication else ftm_date(fact.date, fact.precision)
    if written is not None:
        # A lifting ends a measure; an extension is dated but neither starts nor ends one.
        prop = {"imposed": "startDate", "lifted": "endDate"}.get(fact.action, "date")
        properties[prop] = [written]
    for prop, value in (("reason", fact.reason), ("program", fact.program)):
        if value:
            properties[prop] = [value]
    urls = list(dict.fromkeys(s.url for s in fact.sources if s.url))
    if urls:
        properties["sourceUrl"] = urls
    return properties


def ftm_date(day: str, precision: str) -> str | None:
    """A date prefix no more precise than the source: YYYY-MM-DD, YYYY-MM or YYYY.

    A week has no prefix of its own: it becomes its month, or its year when
    it straddles two months, and nothing when it straddles two years.
    """
    if precision == "day":
        return day
    if precision == "month":
        return day[:7]
    if precision == "year":
        return day[:4]
    first = date.fromisoformat(day)
    last = first + timedelta(days=6)
    if (first.year, first.month) == (last.year, last.month):
        return day[:7]
    return day[:4] if first.year == last.year else None


def target_facts(store: Store) -> list[TargetFacts]:
    """Every target with its names and actions, in an order that does not depend on ids."""
    with store.session() as session:
        targets = session.execute(select(Target.id, Target.kind, Target.name)).all()
        names: dict[int, set[str]] = defaultdict(set)
        for target_id, name in session.execute(select(TargetName.target_id, TargetName.name)):
            names[target_id].add(name)
        actions: dict[int, list[int]] = defaultdict(list)
        for action_id, target_id in session.execute(select(Action.id, Action.target_id).order_by(Action.id)):
            actions[target_id].append(action_id)
    all_ids = [i for ids in actions.values() for i in ids]
    facts: dict[int, ActionFact] = {}
    for start in range(0, len(all_ids), _BATCH):
        for fact in facts_for_actions(store, all_ids[start:start + _BATCH]):
            assert fact.action_id is not None
            facts[fact.action_id] = fact
    result = []
    for target_id, kind, name in targets:
        own = sorted((facts[i] for i in actions[target_id] if i in facts),
                     key=lambda f: (f.date, f.precision, f.authority, f.action))
        if own:
            result.append(TargetFacts(kind, name, aliases_of(name, names[target_id]), own))
    result.sort(key=lambda t: (t.name.casefold(), t.name, t.kind, [(f.date, f.authority) for f in t.facts]))
    return result


def _entity_id(*parts: str) -> str:
    """Ids from content, so two exports of the same facts name entities alike."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"sanctions-desk-{digest}"


def _unique(entity_id: str, used: set[str]) -> str:
    candidate, number = entity_id, 1
    while candidate in used:
        number += 1
        candidate = f"{entity_id}-{number}"
    used.add(candidate)
    return candidate
