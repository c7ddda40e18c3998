"""Storing list files as snapshots: each import of a list is the whole list as of one day.

An entry missing from the next snapshot of a source is delisted as of that
snapshot's date, and listed again when it comes back; the periods each source
held it are kept. An OpenSanctions export and the publisher's own file of
one list are two sources: each has its own run of snapshots, and an entry is
delisted only when no source holds it any more.

A file is read whole before anything is written: a file the reader refuses
(`ListFileError`) changes nothing. Each list is then stored in one
transaction of its own, so a refused list (a file under half the size of its
previous snapshot, a file older than the snapshot already loaded) leaves that
list exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from storage.db.generation import bump_generation
from storage.db.models import ListChange, ListEntryRow, ListPresence, ListSnapshot
from storage.db.store import Store
from storage.db.writer_lock import one_writer_at_a_time
from storage.lists.entries import LIST_NAMES, ListEntry, ListFile, ListFileError
from storage.lists.linking import OPENSANCTIONS, add_new_names, place_entries, shared_keys

log = logging.getLogger(__name__)

PUBLISHER = "publisher"
# A file with fewer entries than this share of its list's previous snapshot
# (same source) is taken for a truncated download and refused unless forced.
SMALLEST_SHARE = 0.5
_WRITE_BATCH = 5000


class SnapshotRefused(ValueError):
    """A list not stored, in one sentence naming the file and why."""


@dataclass(frozen=True)
class SnapshotOutcome:
    """What importing one list of a file did."""

    list_id: str
    source: str
    status: str  # stored | unchanged | refused
    as_of: date | None = None
    entries: int = 0
    added: int = 0
    delisted: int = 0
    relisted: int = 0
    linked: int = 0  # new entries linked to a target the store already had
    message: str | None = None  # why a list was refused


@dataclass
class ImportReport:
    """Every list of every file imported, and the files refused whole."""

    outcomes: list[SnapshotOutcome] = field(default_factory=list)
    refused_files: list[str] = field(default_factory=list)

    @property
    def refused(self) -> list[str]:
        """Every refusal as its one sentence: whole files, then single lists."""
        return [*self.refused_files, *(o.message for o in self.outcomes if o.status == "refused" and o.message)]

    @property
    def changed(self) -> bool:
        return any(o.status == "stored" for o in self.outcomes)


def source_of(format: str) -> str:
    """An OpenSanctions FtM export is one source of a list; the publisher's own file another."""
    return OPENSANCTIONS if format == "ftm" else PUBLISHER


def import_paths(
    store: Store,
    paths: Iterable[Path],
    *,
    as_of: date | None = None,
    format: str | None = None,
    force: bool = False,
    partial: bool = False,
    today: date | None = None,
) -> ImportReport:
    """Import each file as snapshots of the lists it holds (`sanctions lists import`)."""
    from storage.lists.reading import read_list  # the readers' package; imported where needed

    report = ImportReport()
    for path in paths:
        file_hash = _file_hash(path)
        # Forced, the file is read again: a list of it refused before may be wanted now.
        if not force and _unchanged_file(store, file_hash):
            report.outcomes.extend(_unchanged_outcomes(store, file_hash))
            continue
        try:
            list_file = read_list(path, format)
            grouped = _grouped(list_file.entries)
        except ListFileError as error:
            report.refused_files.append(f"{error}; nothing of it was stored.")
            continue
        report.outcomes.extend(
            import_list_file(
                store, list_file, as_of=as_of, force=force, partial=partial, today=today, file_hash=file_hash,
                grouped=grouped,
            )
        )
    return report


def import_list_file(
    store: Store,
    list_file: ListFile,
    *,
    as_of: date | None = None,
    force: bool = False,
    partial: bool = False,
    today: date | None = None,
    origin: str | None = None,
    file_hash: str | None = None,
    grouped: dict[str, list[ListEntry]] | None = None,
) -> list[SnapshotOutcome]:
    """Store each list of a read file as a snapshot, one transaction per list.

    The snapshot's date is the file's own publication date, else `as_of`,
    else `today`. `origin` names where the file came from (an address) when
    it is not its path. Raises ListFileError, before writing anything, when
    the reader finds the file bad midway.
    """
    if grouped is None:
        grouped = _grouped(list_file.entries)
    day = list_file.published or as_of or today or date.today()
    source = source_of(list_file.format)
    outcomes = []
    for list_id in sorted(grouped):
        snapshot = _Snapshot(
            list_id=list_id,
            source=source,
            format=list_file.format,
            origin=origin or str(list_file.path),
            file_hash=file_hash,
            published=list_file.published,
            day=day,
            entries=grouped[list_id],
            partial=partial,
        )
        try:
            with store.session() as session:
                outcome = store_snapshot(session, snapshot, force=force)
        except SnapshotRefused as refusal:
            outcome = SnapshotOutcome(list_id, source, "refused", day, len(snapshot.entries), message=str(refusal))
        outcomes.append(outcome)
    return outcomes


@dataclass(frozen=True)
class _Snapshot:
    list_id: str
    source: str
    format: str
    origin: str
    file_hash: str | None
    published: date | None
    day: date
    entries: list[ListEntry]
    partial: bool = False  # an excerpt: what it lacks is not delisted


def _grouped(entries: Iterable[ListEntry]) -> dict[str, list[ListEntry]]:
    """Entries by list, the last of an entry id kept: one FtM file may carry several lists."""
    grouped: dict[str, dict[str, ListEntry]] = defaultdict(dict)
    for entry in entries:
        grouped[entry.list_id][entry.entry_id] = entry
    return {list_id: list(by_id.values()) for list_id, by_id in grouped.items()}


def store_snapshot(session: Session, snapshot: _Snapshot, *, force: bool = False) -> SnapshotOutcome:
    """Compare the snapshot with what the store holds of its list, and write the difference."""
    one_writer_at_a_time(session)
    list_id, source, day = snapshot.list_id, snapshot.source, snapshot.day
    fingerprints = {entry.entry_id: _fingerprint(entry) for entry in snapshot.entries}
    entries_hash = _entries_hash(fingerprints.values())
    previous = session.scalars(
        select(ListSnapshot)
        .where(ListSnapshot.list_id == list_id, ListSnapshot.source == source)
        .order_by(ListSnapshot.as_of.desc(), ListSnapshot.id.desc())
        .limit(1)
    ).first()
    where = snapshot.origin
    name = LIST_NAMES.get(list_id, list_id)
    if previous is not None:
        if day < previous.as_of:
            raise SnapshotRefused(
                f"{where}: the {name} in it is of {day.isoformat()}, older than the snapshot of "
                f"{previous.as_of.isoformat()} already loaded; it was not stored."
            )
        if previous.entries_hash == entries_hash and day == previous.as_of:
            return SnapshotOutcome(list_id, source, "unchanged", previous.as_of, previous.entry_count)
        if len(snapshot.entries) < previous.entry_count * SMALLEST_SHARE and not force and not snapshot.partial:
            raise SnapshotRefused(
                f"{where}: the {name} in it has {len(snapshot.entries)} entries, under half of the "
                f"{previous.entry_count} of the snapshot of {previous.as_of.isoformat()}; it looks truncated "
                "and was not stored (use --force if the list really shrank)."
            )
    first_of_list = session.scalar(select(ListSnapshot.id).where(ListSnapshot.list_id == list_id).limit(1)) is None
    row = ListSnapshot(
        list_id=list_id, source=source, format=snapshot.format, origin=snapshot.origin,
        file_hash=snapshot.file_hash, entries_hash=entries_hash, published=snapshot.published, as_of=day,
        entry_count=len(snapshot.entries), partial=snapshot.partial,
    )
    session.add(row)
    session.flush()
    if previous is not None and previous.entries_hash == entries_hash:
        # The same entries in a newer file: the snapshot's date moves on, nothing else does.
        bump_generation(session)
        return SnapshotOutcome(list_id, source, "stored", day, len(snapshot.entries))
    changes = _Changes(snapshot_id=row.id, list_id=list_id, day=day, quiet=first_of_list)
    linked = _apply(session, snapshot, fingerprints, changes)
    changes.write(session)
    bump_generation(session)
    log.info("%s (%s) as of %s: %d entries, %d added, %d delisted, %d listed again",
             list_id, source, day, len(snapshot.entries), changes.count("added"), changes.count("delisted"),
             changes.count("relisted"))
    return SnapshotOutcome(
        list_id, source, "stored", day, len(snapshot.entries),
        added=changes.count("added"), delisted=changes.count("delisted"), relisted=changes.count("relisted"),
        linked=linked,
    )


@dataclass
class _Stored:
    """An entry as the store holds it, with the periods each source holds it now."""

    pk: int
    first_seen: date
    delisted_on: date | None
    fingerprint: str
    name_id: int | None
    open_sources: set[str]


@dataclass
class _Changes:
    """The changes a snapshot makes, written together; none for a list's very first snapshot."""

    snapshot_id: int
    list_id: str
    day: date
    quiet: bool  # the list's first snapshot: every entry is new, and none is news
    rows: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, change: str, entry_id: str, name: str, programs: Sequence[str]) -> None:
        self.counts[change] += 1
        if self.quiet:
            return
        self.rows.append({
            "snapshot_id": self.snapshot_id, "list_id": self.list_id, "entry_id": entry_id, "change": change,
            "name": name, "programs": json.dumps(list(programs), ensure_ascii=False), "day": self.day,
        })

    def count(self, change: str) -> int:
        return self.counts[change]

    def write(self, session: Session) -> None:
        for start in range(0, len(self.rows), _WRITE_BATCH):
            session.execute(insert(ListChange.__table__), self.rows[start: start + _WRITE_BATCH])


def _apply(session: Session, snapshot: _Snapshot, fingerprints: dict[str, str], changes: _Changes) -> int:
    """Write the entries, their periods and the changes; the number of new entries linked."""
    list_id, source, day = snapshot.list_id, snapshot.source, snapshot.day
    stored = _stored_entries(session, list_id)
    present: set[str] = set()
    new: list[ListEntry] = []
    rewritten: list[dict] = []
    renamed: dict[int, ListEntry] = {}  # entries described anew, by their name row: names to add
    opened: list[dict] = []
    reopened_ids: list[int] = []
    for entry in snapshot.entries:
        present.add(entry.entry_id)
        fingerprint = fingerprints[entry.entry_id]
        held = stored.get(entry.entry_id)
        if held is None:
            new.append(entry)
            changes.add("added", entry.entry_id, entry.name, entry.programs)
            continue
        values: dict = {}
        if held.fingerprint != fingerprint:
            values.update(_described(entry), fingerprint=fingerprint)
            if held.name_id is not None:
                renamed[held.name_id] = entry
        if day < held.first_seen:
            values["first_seen"] = day
        if source not in held.open_sources:
            opened.append({"entry_pk": held.pk, "source": source, "from_day": day, "until_day": None})
            if not held.open_sources:
                # No source held it: it was delisted, and is listed again.
                values["delisted_on"] = None
                reopened_ids.append(held.pk)
                changes.add("relisted", entry.entry_id, entry.name, entry.programs)
        if values:
            rewritten.append({"id": held.pk, **values})

    # An excerpt says nothing of what it lacks: only a whole list's silence delists.
    gone = [] if snapshot.partial else [(entry_id, held) for entry_id, held in stored.items()
                                        if entry_id not in present and source in held.open_sources]
    closing = [held.pk for _, held in gone]
    delisted_rows = []
    if gone:
        names = _names_and_programs(session, [held.pk for _, held in gone])
        for entry_id, held in gone:
            if held.open_sources == {source}:
                delisted_rows.append({"id": held.pk, "delisted_on": day})
                name, programs = names[held.pk]
                changes.add("delisted", entry_id, name, programs)

    linked = 0
    if new:
        placements = place_entries(
            session, new, shared=shared_keys(snapshot.entries), listed_now=present, same_entity=source == OPENSANCTIONS
        )
        linked = sum(1 for p in placements.values() if p.linked)
        entry_rows = [
            {**_described(entry), "list_id": list_id, "entry_id": entry.entry_id, "first_seen": day,
             "delisted_on": None, "fingerprint": fingerprints[entry.entry_id],
             "name_id": placements[entry.entry_id].name_id}
            for entry in new
        ]
        for start in range(0, len(entry_rows), _WRITE_BATCH):
            session.execute(insert(ListEntryRow.__table__), entry_rows[start: start + _WRITE_BATCH])
        pks = _entry_pks(session, list_id, [entry.entry_id for entry in new])
        opened.extend({"entry_pk": pk, "source": source, "from_day": day, "until_day": None} for pk in pks)

    for start in range(0, len(rewritten), _WRITE_BATCH):
        session.execute(update(ListEntryRow), rewritten[start: start + _WRITE_BATCH])
    if renamed:
        add_new_names(session, renamed)
    if delisted_rows:
        session.execute(update(ListEntryRow), delisted_rows)
    if closing:
        table = ListPresence.__table__
        for start in range(0, len(closing), _WRITE_BATCH):
            session.execute(
                update(table)
                .where(table.c.entry_pk.in_(closing[start: start + _WRITE_BATCH]), table.c.source == source,
                       table.c.until_day.is_(None))
                .values(until_day=day)
            )
    for start in range(0, len(opened), _WRITE_BATCH):
        session.execute(insert(ListPresence.__table__), opened[start: start + _WRITE_BATCH])
    return linked


def _entry_pks(session: Session, list_id: str, entry_ids: list[str]) -> list[int]:
    """The row ids of entries just inserted, in the order given.

    Read back by the list's unique key rather than returned by the insert: on
    PostgreSQL an INSERT … RETURNING of thousands of rows is sent as one huge
    statement per page, which the driver parses anew each time.
    """
    pks = dict(session.execute(
        select(ListEntryRow.entry_id, ListEntryRow.id).where(ListEntryRow.list_id == list_id)
    ).all())
    return [pks[entry_id] for entry_id in entry_ids]


def _stored_entries(session: Session, list_id: str) -> dict[str, _Stored]:
    """Every entry the store holds of the list, with the sources holding it now: two statements."""
    stored = {
        entry_id: _Stored(pk, first_seen, delisted_on, fingerprint, name_id, set())
        for pk, entry_id, first_seen, delisted_on, fingerprint, name_id in session.execute(
            select(ListEntryRow.id, ListEntryRow.entry_id, ListEntryRow.first_seen, ListEntryRow.delisted_on,
                   ListEntryRow.fingerprint, ListEntryRow.name_id).where(ListEntryRow.list_id == list_id)
        )
    }
    by_pk = {held.pk: held for held in stored.values()}
    for entry_pk, source in session.execute(
        select(ListPresence.entry_pk, ListPresence.source)
        .join(ListEntryRow, ListEntryRow.id == ListPresence.entry_pk)
        .where(ListEntryRow.list_id == list_id, ListPresence.until_day.is_(None))
    ):
        by_pk[entry_pk].open_sources.add(source)
    return stored


def _names_and_programs(session: Session, pks: list[int]) -> dict[int, tuple[str, list[str]]]:
    found: dict[int, tuple[str, list[str]]] = {}
    for start in range(0, len(pks), _WRITE_BATCH):
        rows = session.execute(
            select(ListEntryRow.id, ListEntryRow.name, ListEntryRow.programs)
            .where(ListEntryRow.id.in_(pks[start: start + _WRITE_BATCH]))
        )
        found.update((pk, (name, json.loads(programs))) for pk, name, programs in rows)
    return found


def _described(entry: ListEntry) -> dict:
    """The columns that say what the file says of an entry."""
    return {
        "kind": entry.kind,
        "name": entry.name,
        "aliases": _json(entry.aliases),
        "weak_aliases": _json(entry.weak_aliases),
        "programs": _json(entry.programs),
        "birth_dates": _json(entry.birth_dates),
        "nationalities": _json(entry.nationalities),
        "listed_on": entry.listed_on,
        "ended_on": entry.delisted_on,
        "url": entry.url,
        "authority": entry.authority[:300] if entry.authority else None,
    }


def _json(values: Sequence[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _fingerprint(entry: ListEntry) -> str:
    """A hash of what the file says of the entry, its position in the file left out."""
    said = (
        entry.entry_id, entry.kind, entry.name, entry.aliases, entry.weak_aliases, entry.programs, entry.listed_on,
        entry.delisted_on, entry.birth_dates, entry.nationalities, entry.url, entry.authority,
    )
    return hashlib.sha1(repr(said).encode("utf-8")).hexdigest()


def _entries_hash(fingerprints: Iterable[str]) -> str:
    """A hash of a list's entries, in no particular order: the same list read twice hashes alike."""
    digest = hashlib.sha256()
    for fingerprint in sorted(fingerprints):
        digest.update(fingerprint.encode("ascii"))
    return digest.hexdigest()


def _file_hash(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None  # the reader says what is wrong with it, in its one sentence
    return digest.hexdigest()


def _unchanged_file(store: Store, file_hash: str | None) -> bool:
    """Whether every list this very file gave is still at the snapshot it gave: nothing to read again."""
    if file_hash is None:
        return False
    with store.session() as session:
        given = {
            (list_id, source) for list_id, source in session.execute(
                select(ListSnapshot.list_id, ListSnapshot.source).where(ListSnapshot.file_hash == file_hash)
            )
        }
        return bool(given) and all(
            _latest(session, list_id, source).file_hash == file_hash for list_id, source in given
        )


def _latest(session: Session, list_id: str, source: str) -> ListSnapshot:
    latest = session.scalars(
        select(ListSnapshot)
        .where(ListSnapshot.list_id == list_id, ListSnapshot.source == source)
        .order_by(ListSnapshot.as_of.desc(), ListSnapshot.id.desc())
        .limit(1)
    ).first()
    assert latest is not None
    return latest


def _unchanged_outcomes(store: Store, file_hash: str | None) -> list[SnapshotOutcome]:
    with store.session() as session:
        rows = session.execute(
            select(ListSnapshot.list_id, ListSnapshot.source, ListSnapshot.as_of, ListSnapshot.entry_count)
            .where(ListSnapshot.file_hash == file_hash)
            .order_by(ListSnapshot.list_id, ListSnapshot.id)
        ).all()
    latest = {(list_id, source): (as_of, count) for list_id, source, as_of, count in rows}
    return [
        SnapshotOutcome(list_id, source, "unchanged", as_of, count)
        for (list_id, source), (as_of, count) in sorted(latest.items())
    ]
