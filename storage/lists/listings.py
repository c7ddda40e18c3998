"""The read side for answers: each target's official listings, and which jurisdictions have a list loaded.

Answers are on Slack's clock, so a card's listings come in one statement for
all its targets. A target holds at most one listing per list: where the
OpenSanctions export and the publisher's own file name one designation under
two ids, the card shows it once (see `_one_per_list`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from storage.dates import describe_date
from storage.db.models import ListEntryRow, ListSnapshot, TargetName
from storage.db.sql_lists import in_list
from storage.lists.entries import LIST_JURISDICTIONS, LIST_NAMES


@dataclass(frozen=True)
class Listing:
    """One designation of a target on one list, as of the list's latest snapshot (DESIGN.md §2, LISTING)."""

    list: str  # the list id, "us_ofac_sdn"
    list_name: str
    jurisdiction: str | None
    entry_id: str
    name: str
    programs: tuple[str, ...]
    listed_on: date | None  # the list's own date; None where it gives none (then: on it since at least first_seen)
    first_seen: date  # the earliest snapshot that held it
    delisted_on: date | None  # None while listed
    as_of: date  # the list's latest snapshot: what the status holds for
    url: str | None

    @property
    def listed(self) -> bool:
        return self.delisted_on is None


def listing_status(listing: Listing) -> str:
    """Listed or delisted, and since when, by the list's own word: never a date it does not give."""
    if listing.delisted_on is not None:
        return f"delisted by {describe_date(listing.delisted_on, 'day')}"
    if listing.listed_on is not None:
        return f"listed {describe_date(listing.listed_on, 'day')}"
    return f"on the list since at least {describe_date(listing.first_seen, 'day')}"  # OFAC gives no date


def list_name(list_id: str) -> str:
    return LIST_NAMES.get(list_id, list_id)


def jurisdiction_of(list_id: str) -> str | None:
    """The jurisdiction of a list; for a dataset we do not know, its OpenSanctions prefix ("ch_seco_…": CH)."""
    if list_id in LIST_JURISDICTIONS:
        return LIST_JURISDICTIONS[list_id]
    prefix = list_id.split("_", 1)[0]
    return prefix.upper() if len(prefix) == 2 and prefix.isalpha() else None


_LATEST = (
    select(ListSnapshot.list_id, func.max(ListSnapshot.as_of).label("as_of"))
    .group_by(ListSnapshot.list_id)
    .subquery("latest")
)
_LISTINGS = (
    select(
        TargetName.target_id, ListEntryRow.list_id, ListEntryRow.entry_id, ListEntryRow.name,
        ListEntryRow.programs, ListEntryRow.listed_on, ListEntryRow.first_seen, ListEntryRow.delisted_on,
        ListEntryRow.ended_on, ListEntryRow.url, _LATEST.c.as_of,
    )
    .join(ListEntryRow, ListEntryRow.name_id == TargetName.id)
    .join(_LATEST, _LATEST.c.list_id == ListEntryRow.list_id)
    .where(in_list(TargetName.target_id, "ids"))
    .order_by(TargetName.target_id, ListEntryRow.list_id, ListEntryRow.entry_id)
)


def listings_for_targets(connection: Connection | Session, target_ids: list[int]) -> dict[int, list[Listing]]:
    """Each target's listings, listed ones first then by list name; one statement for all targets."""
    if not target_ids:
        return {}
    by_list: dict[int, dict[str, list[Listing]]] = defaultdict(lambda: defaultdict(list))
    for row in connection.execute(_LISTINGS, {"ids": sorted(set(target_ids))}):
        listing = Listing(
            list=row.list_id,
            list_name=list_name(row.list_id),
            jurisdiction=jurisdiction_of(row.list_id),
            entry_id=row.entry_id,
            name=row.name,
            programs=tuple(json.loads(row.programs or "[]")),
            listed_on=row.listed_on,
            first_seen=row.first_seen,
            # The file's own end date where it gives one, else the snapshot that dropped the entry.
            delisted_on=row.ended_on or row.delisted_on,
            as_of=row.as_of,
            url=row.url,
        )
        by_list[row.target_id][row.list_id].append(listing)
    return {
        target_id: sorted(
            (_one_per_list(found) for found in lists.values()),
            key=lambda listing: (not listing.listed, listing.list_name, listing.entry_id),
        )
        for target_id, lists in by_list.items()
    }


def _one_per_list(listings: list[Listing]) -> Listing:
    """One listing of a list for a target, from entries the two sources may give under two ids.

    Listed while any of them is; first seen when the earliest was; the list's
    own date where any gives one (the earliest: an EU amendment is not the listing).
    """
    if len(listings) == 1:
        return listings[0]
    shown = min(listings, key=lambda listing: (not listing.listed, listing.listed_on is None, listing.entry_id))
    listed_on = [listing.listed_on for listing in listings if listing.listed_on is not None]
    delisted = [listing.delisted_on for listing in listings]
    programs = tuple(dict.fromkeys(p for listing in listings for p in listing.programs))
    return Listing(
        list=shown.list,
        list_name=shown.list_name,
        jurisdiction=shown.jurisdiction,
        entry_id=shown.entry_id,
        name=shown.name,
        programs=programs,
        listed_on=min(listed_on) if listed_on else None,
        first_seen=min(listing.first_seen for listing in listings),
        delisted_on=None if None in delisted else max(d for d in delisted if d is not None),
        as_of=shown.as_of,
        url=shown.url or next((listing.url for listing in listings if listing.url), None),
    )


@dataclass(frozen=True)
class LoadedLists:
    """Which lists the store holds: any at all (answers then read listings), and the whole ones.

    `whole` maps each jurisdiction with a whole list loaded to the date of its
    newest whole snapshot: only a whole list's silence about a name means
    something, an excerpt's (`lists import --partial`) never does.
    """

    any: bool
    whole: dict[str, date]


_WHOLE_LISTS = (
    select(ListSnapshot.list_id, func.max(ListSnapshot.as_of))
    .where(ListSnapshot.partial.is_(False))
    .group_by(ListSnapshot.list_id)
)
_ANY_LIST = select(ListSnapshot.id).limit(1)


def loaded_lists(connection: Connection | Session) -> LoadedLists:
    """What `LoadedLists` says, in two small statements (answers keep it until the facts change)."""
    whole = loaded_jurisdictions(connection)
    return LoadedLists(any=bool(whole) or connection.execute(_ANY_LIST).first() is not None, whole=whole)


def loaded_jurisdictions(connection: Connection | Session) -> dict[str, date]:
    """Jurisdictions with a whole list loaded, and the date of their newest whole snapshot."""
    loaded: dict[str, date] = {}
    for list_id, as_of in connection.execute(_WHOLE_LISTS):
        jurisdiction = jurisdiction_of(list_id)
        if jurisdiction is not None and (jurisdiction not in loaded or as_of > loaded[jurisdiction]):
            loaded[jurisdiction] = as_of
    return loaded
