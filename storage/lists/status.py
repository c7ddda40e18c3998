"""What the store holds of each official list: `sanctions lists status`.

An operator asks whether the lists are current and where they came from
(opensanctions/yente#885: "is this data up to date?"): per list, how many
entries are listed and delisted, and per source its latest snapshot, its
date, when it was imported and from which file or address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from storage.db.models import ListEntryRow, ListPresence, ListSnapshot
from storage.db.store import Store
from storage.lists.listings import jurisdiction_of, list_name


@dataclass(frozen=True)
class SourceStatus:
    """The latest snapshot of a list from one source."""

    source: str  # opensanctions | publisher
    as_of: date
    entries: int  # in the latest snapshot
    listed: int  # entries this source holds now
    delisted: int  # entries this source held once and dropped since
    imported_at: datetime
    origin: str
    format: str


@dataclass(frozen=True)
class ListStatus:
    list_id: str
    list_name: str
    jurisdiction: str | None
    as_of: date  # the newest snapshot of any source
    sources: tuple[SourceStatus, ...]


def list_status(store: Store) -> list[ListStatus]:
    """Every list with a snapshot, by list id."""
    with store.session() as session:
        return _statuses(session)


def _statuses(session: Session) -> list[ListStatus]:
    latest: dict[tuple[str, str], ListSnapshot] = {}
    for snapshot in session.scalars(select(ListSnapshot).order_by(ListSnapshot.as_of, ListSnapshot.id)):
        latest[(snapshot.list_id, snapshot.source)] = snapshot
    held = (
        select(
            ListEntryRow.list_id,
            ListPresence.source,
            func.count(func.distinct(ListPresence.entry_pk)),
            func.sum(case((ListPresence.until_day.is_(None), 1), else_=0)),
        )
        .join(ListEntryRow, ListEntryRow.id == ListPresence.entry_pk)
        .group_by(ListEntryRow.list_id, ListPresence.source)
    )
    counts = {(list_id, source): (ever, now or 0) for list_id, source, ever, now in session.execute(held)}
    statuses = []
    for list_id in sorted({list_id for list_id, _ in latest}):
        sources = []
        for (held_list, source), snapshot in sorted(latest.items()):
            if held_list != list_id:
                continue
            ever, now = counts.get((list_id, source), (0, 0))
            sources.append(SourceStatus(
                source, snapshot.as_of, snapshot.entry_count, now, ever - now, _in_utc(snapshot.imported_at),
                snapshot.origin, snapshot.format,
            ))
        statuses.append(ListStatus(
            list_id, list_name(list_id), jurisdiction_of(list_id), max(s.as_of for s in sources), tuple(sources),
        ))
    return statuses


def _in_utc(moment: datetime) -> datetime:
    """SQLite hands back the stored UTC time without its zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
