"""One entry of an official sanctions list, as every reader yields it, whatever the file's format.

Readers (`storage.lists.formats`) turn a publisher's file into these; the
snapshot store (`storage.lists.snapshots`) compares them with the list's
previous snapshot. Nothing here is guessed: a field the file does not give
is None or empty, never filled from elsewhere (a listing date above all).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal

EntryKind = Literal["person", "organization", "vessel", "aircraft"]

# List ids are OpenSanctions' dataset names (DESIGN.md §2).
LIST_NAMES: dict[str, str] = {
    "us_ofac_sdn": "OFAC SDN List",
    "eu_fsf": "EU Financial Sanctions Files",
    "gb_fcdo_sanctions": "UK Sanctions List",
    "un_sc_sanctions": "UN Security Council Consolidated List",
    "ca_dfatd_sema_sanctions": "Canada SEMA List",
}
LIST_JURISDICTIONS: dict[str, str] = {
    "us_ofac_sdn": "US",
    "eu_fsf": "EU",
    "gb_fcdo_sanctions": "GB",
    "un_sc_sanctions": "UN",
    "ca_dfatd_sema_sanctions": "CA",
}


class ListFileError(ValueError):
    """A file that cannot be read as a list: one sentence naming the file, the line and what is wrong."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {problem}")
        self.path, self.line, self.problem = path, line, problem


@dataclass(frozen=True)
class ListEntry:
    """A designation on one list: who, under which programmes, since when by the list's own word."""

    list_id: str  # "us_ofac_sdn"
    entry_id: str  # the list's own key: OFAC uid, EU logicalId, UK Unique ID, UN reference, Canada item
    kind: EntryKind
    name: str  # the primary name, as the list writes it
    aliases: tuple[str, ...] = ()  # every other name (strong a.k.a.s, other scripts), primary excluded
    weak_aliases: tuple[str, ...] = ()  # OFAC "weak" a.k.a.s, UN "Low" quality: shown, never used to link
    programs: tuple[str, ...] = ()
    listed_on: date | None = None  # the list's own listing date; None where the file gives none (OFAC)
    delisted_on: date | None = None  # only where the file itself says it ended (FtM endDate)
    birth_dates: tuple[str, ...] = ()  # ISO, at the precision given: "1963-05-13", "1963-05", "1963"
    nationalities: tuple[str, ...] = ()  # as written or ISO codes
    url: str | None = None  # the official entry, where one exists
    authority: str | None = None  # the body named by the list (FtM `authority`), else None
    line: int = 0  # where the entry starts in the file, for messages


@dataclass
class ListFile:
    """What a reader found at the top of a file, and its entries as they stream."""

    path: str
    format: str  # "ofac_xml", "eu_xml", "uk_csv", "uk_xml", "un_xml", "ca_xml", "ftm"
    published: date | None  # the file's own publication date, where it gives one
    entries: Iterator[ListEntry]  # streamed: a list file can hold hundreds of thousands
