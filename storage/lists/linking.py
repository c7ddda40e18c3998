"""Linking list entries to targets: the press target a designation is about, else a target of its own.

An entry is linked to a target only when its full names (every alias, every
script) fold to the merge key of exactly one target of the same kind, and
nothing the two know contradicts: a birth date where both have one, another
designation of the same list already on that target. A lone surname never
links (persons need two words, as for ingest's merging); a name that two
entries of one snapshot share, or that two targets share, links nobody.

Every other entry becomes a target of its own, its names stored and indexed
as ingest stores and indexes names (storage.names.stored, storage.names.index),
so that the name search finds anyone on any list. A name that could not tell
two people apart is stored without a merge key, so that a later article
cannot merge them either.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.db.models import ListEntryRow, ListPresence, NameToken, NameTokenKey, Target, TargetName, TargetToken
from storage.db.sql_lists import in_list
from storage.lists.entries import ListEntry
from storage.names.folding import full_names
from storage.names.index import index_tokens, key_rows, reindex_targets, vocabulary_rows
from storage.names.stored import MAX_STORED, merge_keys, stored_tokens

OPENSANCTIONS = "opensanctions"  # the source whose entry ids name one person across lists
BATCH = 5000  # entries placed per round of statements: memory and statement size stay bounded
_KEYS_PER_QUERY = 5000
# The origins a list's names are stored with in target_names. "alias" is what
# search already shows beside the name it matched; the primary name has its own.
PRIMARY_ORIGIN = "listed"
ALIAS_ORIGIN = "alias"
# target_names.published picks a target's headline (storage.names.stored.canonical_of:
# the earliest full name). A list's name ("Junzheng WANG") never heads a card
# whose person the press has named, however old the list file: its names
# count as published last. An entry's own dates are kept on the entry.
LIST_NAME_PUBLISHED = date.max


@dataclass(frozen=True)
class Placement:
    """Where an entry went: its primary name row, its target, and whether that target was already there."""

    name_id: int
    target_id: int
    linked: bool


def target_kind(entry_kind: str) -> str:
    """Targets are persons or organisations; vessels and aircraft are held as organisations."""
    return "person" if entry_kind == "person" else "organization"


def entry_names(entry: ListEntry) -> list[str]:
    """The names an entry is found and linked by: the primary and every strong alias, once each."""
    names = [entry.name, *entry.aliases]
    return [name for name in dict.fromkeys(n.strip()[:MAX_STORED] for n in names) if name]


def identifying_keys_of(entry: ListEntry) -> set[str]:
    """The merge keys of an entry's full names: what may link it; never a lone surname."""
    kind = target_kind(entry.kind)
    return {key for key in merge_keys([(name, "value") for name in entry_names(entry)], kind).values() if key}


def shared_keys(entries: Iterable[ListEntry]) -> set[tuple[str, str]]:
    """(kind, key) pairs held by two entries or more of one snapshot: names that tell nobody apart."""
    counts: Counter[tuple[str, str]] = Counter()
    for entry in entries:
        kind = target_kind(entry.kind)
        counts.update((kind, key) for key in identifying_keys_of(entry))
    return {pair for pair, count in counts.items() if count > 1}


def birth_dates_agree(ours: Iterable[str], theirs: Iterable[str]) -> bool:
    """True unless both sides give birth dates and none fits another at the coarser precision.

    "1963" fits "1963-05-13"; "1963-05-13" and "1964" contradict.
    """
    mine, other = [d for d in ours if d], [d for d in theirs if d]
    if not mine or not other:
        return True
    return any(a.startswith(b) or b.startswith(a) for a in mine for b in other)


@dataclass
class _Known:
    """What the store knows of a candidate target: its kind and the designations already on it."""

    kind: str
    designations: set[tuple[str, str]]  # (list id, entry id)
    birth_dates: set[str]


def place_entries(
    session: Session,
    new_entries: Sequence[ListEntry],
    *,
    shared: set[tuple[str, str]],
    listed_now: set[str],
    same_entity: bool = False,
) -> dict[str, Placement]:
    """Link each new entry to a target or give it one of its own; entry id -> placement.

    `shared` are the (kind, key) pairs two entries of the snapshot hold (see
    `shared_keys`); `listed_now` the entry ids of the whole snapshot, so that
    a target already holding another entry of this list that is still on it
    is not given a second designation of the same name. With `same_entity`
    (OpenSanctions' ids, one per person across all lists), an entry whose id
    another list of that source already holds goes to that entry's target,
    whatever its name: OpenSanctions has already said they are one.
    """
    placed: dict[str, Placement] = {}
    for start in range(0, len(new_entries), BATCH):
        batch = new_entries[start: start + BATCH]
        known = _targets_of_same_entities(session, batch) if same_entity else {}
        placed.update(_place_batch(session, batch, shared, listed_now, known))
    return placed


def _place_batch(
    session: Session,
    entries: Sequence[ListEntry],
    shared: set[tuple[str, str]],
    listed_now: set[str],
    same_entity: dict[str, int],
) -> dict[str, Placement]:
    keyed = {entry.entry_id: identifying_keys_of(entry) for entry in entries}
    holders = _holders(session, {(target_kind(e.kind), key) for e in entries for key in keyed[e.entry_id]})
    known = _known_targets(session, {t for ids in holders.values() for t in ids})

    chosen: dict[str, int] = {}
    for entry in entries:
        target_id = _fitting_target(entry, keyed[entry.entry_id], shared, holders, known, listed_now)
        if target_id is not None:
            chosen[entry.entry_id] = target_id
    # Two designations of one list on one target are two people of one name:
    # neither is linked.
    per_target = Counter(chosen.values())
    chosen = {entry_id: t for entry_id, t in chosen.items() if per_target[t] == 1}
    chosen.update((e.entry_id, same_entity[e.entry_id]) for e in entries if e.entry_id in same_entity)

    own = [entry for entry in entries if entry.entry_id not in chosen]
    if own:
        rows = [{"kind": target_kind(e.kind), "name": entry_names(e)[0] if entry_names(e) else e.entry_id} for e in own]
        ids = session.execute(_NEW_TARGETS, rows).scalars().all()
        chosen.update((entry.entry_id, target_id) for entry, target_id in zip(own, ids, strict=True))
    own_ids = {entry.entry_id for entry in own}

    name_rows: list[dict] = []
    primary_at: dict[str, int] = {}
    for entry in entries:
        kind = target_kind(entry.kind)
        names = entry_names(entry) or [entry.entry_id]
        keys = merge_keys([(name, "value") for name in names], kind)
        ambiguous = any((kind, key) in shared for key in keyed[entry.entry_id]) or (
            entry.entry_id in own_ids and any(len(holders.get((kind, k), ())) > 0 for k in keyed[entry.entry_id])
        )
        primary_at[entry.entry_id] = len(name_rows)
        for position, name in enumerate(names):
            name_rows.append({
                "target_id": chosen[entry.entry_id],
                "article_id": None,
                "name": name,
                "origin": PRIMARY_ORIGIN if position == 0 else ALIAS_ORIGIN,
                "merge_key": "" if ambiguous else keys[name],
                "tokens": stored_tokens(name, kind),
                "published": LIST_NAME_PUBLISHED,
            })
    name_ids = _insert_names(session, name_rows)

    linked_targets = {chosen[e.entry_id]: target_kind(e.kind) for e in entries if e.entry_id not in own_ids}
    # Transient Targets: reindex_targets reads their id and kind only.
    reindex_targets(session, [Target(id=target_id, kind=kind) for target_id, kind in sorted(linked_targets.items())])
    index_new_targets(session, {
        chosen[e.entry_id]: (target_kind(e.kind), entry_names(e) or [e.entry_id]) for e in own
    })
    return {
        entry.entry_id: Placement(
            name_id=name_ids[primary_at[entry.entry_id]],
            target_id=chosen[entry.entry_id],
            linked=entry.entry_id not in own_ids,
        )
        for entry in entries
    }


# Core statements, not the ORM's bulk inserts: a list brings rows by the ten thousand.
_NEW_TARGETS = insert(Target.__table__).returning(Target.__table__.c.id, sort_by_parameter_order=True)


def _insert_names(session: Session, rows: list[dict]) -> list[int]:
    """Insert a list's name rows; their ids, in the order of `rows`.

    Not with RETURNING: on PostgreSQL that sends a statement of thousands of
    parameters per page, which the driver parses anew each time (most of an
    import's time). Plain rows go through the driver's prepared pipeline; the
    ids are then those above the largest before, in order. Nothing else writes
    names without an article meanwhile: list imports take turns on the writer
    lock (storage.db.writer_lock), and ingest and Slack items always name an article.
    """
    before = session.scalar(select(func.max(TargetName.id))) or 0
    session.execute(insert(TargetName.__table__), rows)
    ids = session.scalars(
        select(TargetName.id).where(TargetName.id > before, TargetName.article_id.is_(None)).order_by(TargetName.id)
    ).all()
    if len(ids) != len(rows):
        raise RuntimeError(f"{len(rows)} list names inserted but {len(ids)} found after them")
    return list(ids)


def add_new_names(session: Session, entries: dict[int, ListEntry]) -> None:
    """Give the targets of entries the list now names anew the names they lack: name row id -> entry.

    A later snapshot may add an alias (another script, a new spelling): the
    person must be found by it. The new names take no part in merging (their
    merge key is empty): who the entry is was settled when it was linked.
    """
    targets = dict(session.execute(
        select(TargetName.id, TargetName.target_id).where(in_list(TargetName.id, "ids")), {"ids": sorted(entries)}
    ).all())
    if not targets:
        return
    held: dict[int, set[str]] = defaultdict(set)
    for target_id, name in session.execute(
        select(TargetName.target_id, TargetName.name).where(in_list(TargetName.target_id, "ids")),
        {"ids": sorted(set(targets.values()))},
    ):
        held[target_id].add(name)
    rows: list[dict] = []
    kinds: dict[int, str] = {}
    for name_id, entry in sorted(entries.items()):
        target_id = targets.get(name_id)
        if target_id is None:
            continue
        kind = target_kind(entry.kind)
        for name in entry_names(entry):
            if name not in held[target_id]:
                held[target_id].add(name)
                kinds[target_id] = kind
                rows.append({"target_id": target_id, "article_id": None, "name": name, "origin": ALIAS_ORIGIN,
                             "merge_key": "", "tokens": stored_tokens(name, kind), "published": LIST_NAME_PUBLISHED})
    if rows:
        session.execute(insert(TargetName.__table__), rows)
        reindex_targets(session, [Target(id=target_id, kind=kind) for target_id, kind in sorted(kinds.items())])


def _fitting_target(
    entry: ListEntry,
    keys: set[str],
    shared: set[tuple[str, str]],
    holders: dict[tuple[str, str], set[int]],
    known: dict[int, _Known],
    listed_now: set[str],
) -> int | None:
    """The one target the entry is about, or None when there is none or no telling which."""
    kind = target_kind(entry.kind)
    if not keys or any((kind, key) in shared for key in keys):
        return None
    targets = set().union(*(holders.get((kind, key), set()) for key in keys))
    if len(targets) != 1:
        return None
    (target_id,) = targets
    target = known.get(target_id)
    if target is None or target.kind != kind:
        return None
    if any(list_id == entry.list_id and other != entry.entry_id and other in listed_now
           for list_id, other in target.designations):
        return None
    if not birth_dates_agree(entry.birth_dates, target.birth_dates):
        return None
    return target_id


def _targets_of_same_entities(session: Session, entries: Sequence[ListEntry]) -> dict[str, int]:
    """Entry id -> the target another list's entry of that id is on, for ids of the OpenSanctions source.

    Three lookups by index rather than one join: the tables were just filled
    in this transaction, and PostgreSQL, planning without statistics for
    them, scanned them whole for the join.
    """
    if not entries:
        return {}
    kinds = {entry.entry_id: target_kind(entry.kind) for entry in entries}
    others = session.execute(_OTHER_LISTS, {"ids": sorted(kinds), "list_id": entries[0].list_id}).all()
    if not others:
        return {}
    of_source = set(session.scalars(_FROM_OPENSANCTIONS, {"pks": sorted(pk for pk, _, _ in others)}))
    name_ids = sorted({name_id for pk, _, name_id in others if pk in of_source and name_id is not None})
    targets = {
        name_id: (target_id, kind) for name_id, target_id, kind in session.execute(_NAME_TARGETS, {"ids": name_ids})
    }
    found: dict[str, int] = {}
    for pk, entry_id, name_id in sorted(others):
        if pk in of_source and name_id in targets and targets[name_id][1] == kinds[entry_id]:
            found.setdefault(entry_id, targets[name_id][0])
    return found


_OTHER_LISTS = select(ListEntryRow.id, ListEntryRow.entry_id, ListEntryRow.name_id).where(
    in_list(ListEntryRow.entry_id, "ids", of_text=True), ListEntryRow.list_id != bindparam("list_id")
)
_FROM_OPENSANCTIONS = select(ListPresence.entry_pk).where(
    in_list(ListPresence.entry_pk, "pks"), ListPresence.source == OPENSANCTIONS
)
_NAME_TARGETS = (
    select(TargetName.id, TargetName.target_id, Target.kind)
    .join(Target, Target.id == TargetName.target_id)
    .where(in_list(TargetName.id, "ids"))
)


def _holders(session: Session, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], set[int]]:
    """(kind, merge key) -> the targets of that kind holding a name with that key."""
    holders: dict[tuple[str, str], set[int]] = defaultdict(set)
    keys = sorted({key for _, key in wanted})
    for start in range(0, len(keys), _KEYS_PER_QUERY):
        rows = session.execute(
            _HOLDERS, {"keys": keys[start: start + _KEYS_PER_QUERY]}
        ).all()
        for key, target_id, kind in rows:
            if (kind, key) in wanted:
                holders[(kind, key)].add(target_id)
    return holders


_HOLDERS = (
    select(TargetName.merge_key, TargetName.target_id, Target.kind)
    .join(Target, Target.id == TargetName.target_id)
    .where(in_list(TargetName.merge_key, "keys", of_text=True))
)


def _known_targets(session: Session, target_ids: set[int]) -> dict[int, _Known]:
    """Each candidate's kind, and the designations (with birth dates) already linked to it."""
    if not target_ids:
        return {}
    ids = sorted(target_ids)
    known = {
        target_id: _Known(kind, set(), set())
        for target_id, kind in session.execute(select(Target.id, Target.kind).where(in_list(Target.id, "ids")),
                                               {"ids": ids})
    }
    rows = session.execute(
        select(TargetName.target_id, ListEntryRow.list_id, ListEntryRow.entry_id, ListEntryRow.birth_dates)
        .join(ListEntryRow, ListEntryRow.name_id == TargetName.id)
        .where(in_list(TargetName.target_id, "ids")),
        {"ids": ids},
    )
    for target_id, list_id, entry_id, birth_dates in rows:
        if target_id in known:
            known[target_id].designations.add((list_id, entry_id))
            known[target_id].birth_dates.update(json.loads(birth_dates or "[]"))
    return known


# --- the name index for targets made here ----------------------------------


def index_new_targets(session: Session, names: dict[int, tuple[str, list[str]]]) -> None:
    """Index targets that have just been made, with all their names: target id -> (kind, names).

    The same tokens, vocabulary rows, typo keys and counts as
    `storage.names.index.reindex_targets` writes (the same functions make
    them), written with one compiled statement each: a new target has no
    postings to compare with, and a list brings thousands of targets at once.
    """
    wanted = {target_id: index_tokens(full_names(own, kind), kind) for target_id, (kind, own) in names.items()}
    token_ids = _vocabulary_ids(session, set().union(*wanted.values()) if wanted else set())
    postings = [
        {"target_id": target_id, "token_id": token_ids[token]}
        for target_id, tokens in sorted(wanted.items())
        for token in sorted(tokens)
    ]
    if not postings:
        return
    session.execute(insert(TargetToken.__table__), postings)
    holders = Counter(row["token_id"] for row in postings)
    by_count: dict[int, list[int]] = defaultdict(list)
    for token_id, count in holders.items():
        by_count[count].append(token_id)
    for count, ids in sorted(by_count.items()):
        session.execute(
            update(NameToken).where(in_list(NameToken.id, "ids")).values(df=NameToken.df + count),
            {"ids": sorted(ids)},
        )


def _vocabulary_ids(session: Session, tokens: set[str]) -> dict[str, int]:
    """Ids of the tokens, adding the missing ones and their typo keys to the vocabulary."""
    ordered = sorted(tokens)
    known = _token_ids(session, ordered)
    missing = [token for token in ordered if token not in known]
    if missing:
        insert_ignoring = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        session.execute(insert_ignoring(NameToken.__table__).on_conflict_do_nothing(), vocabulary_rows(missing))
        added = _token_ids(session, missing)
        session.execute(insert_ignoring(NameTokenKey.__table__).on_conflict_do_nothing(), key_rows(added))
        known.update(added)
    return known


def _token_ids(session: Session, tokens: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(tokens), _KEYS_PER_QUERY):
        found.update(session.execute(_TOKEN_IDS, {"tokens": tokens[start: start + _KEYS_PER_QUERY]}).all())
    return found


_TOKEN_IDS = select(NameToken.token, NameToken.id).where(in_list(NameToken.token, "tokens", of_text=True))
