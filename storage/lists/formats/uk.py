"""The UK Sanctions List (FCDO), as CSV and as XML; both give the same entries.

Since 28 January 2026 it is the single official UK list. The CSV has one row
per name (and per address) of a designation, so rows are gathered by `Unique
ID`; its first line is `Report Date: …`, the file's date, and the header is
the second. `Name 6` is the surname or an entity's whole name, `Name 1`–`Name 5`
the other parts. Dates are day first (`22/03/2021`); an unknown part of a birth
date is written `dd` or `mm`. An alias of "Low quality" is kept apart as weak.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from storage.lists.entries import EntryKind, ListEntry, ListFile, ListFileError
from storage.lists.formats import xmlstream as x
from storage.lists.formats.names import distinct, whole_name
from storage.lists.formats.written_dates import report_day, uk_day, uk_partial

LIST_ID = "gb_fcdo_sanctions"
KINDS: dict[str, EntryKind] = {"individual": "person", "entity": "organization", "ship": "vessel"}


@dataclass
class _Designation:
    """One designation's parts as they are gathered, from one XML element or many CSV rows."""

    unique_id: str
    line: int
    kind_text: str = ""
    designated: str = ""
    primary: list[str] = field(default_factory=list)
    strong: list[str] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    regimes: list[str] = field(default_factory=list)
    births: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)

    def add_name(self, name: str, name_type: str, strength: str) -> None:
        kind = " ".join(name_type.lower().split())
        if "low" in strength.lower():
            self.weak.append(name)
        elif kind == "primary name" and not self.primary:
            self.primary.append(name)
        else:  # "Primary name variation", "Alias", good-quality or unmarked
            self.strong.append(name)

    def entry(self, path: str) -> ListEntry:
        names = self.primary or self.strong or self.weak
        if not names:
            raise ListFileError(path, self.line, f"designation {self.unique_id} has no name")
        primary = names[0]
        kind = KINDS.get(self.kind_text.strip().lower())
        if kind is None:
            raise ListFileError(
                path, self.line,
                f"designation {self.unique_id} is of type {self.kind_text!r}, not Individual, Entity or Ship",
            )
        return ListEntry(
            list_id=LIST_ID,
            entry_id=self.unique_id,
            kind=kind,
            name=primary,
            aliases=distinct(self.strong, exclude=(primary,)),
            weak_aliases=distinct(self.weak, exclude=(primary, *self.strong)),
            programs=distinct(self.regimes),
            listed_on=uk_day(self.designated),
            birth_dates=distinct(uk_partial(birth) for birth in self.births),
            nationalities=distinct(self._countries()),
            line=self.line,
        )

    def _countries(self) -> Iterator[str]:
        for written in self.nationalities:  # the CSV packs several: "(1) Russia (2) Cyprus" or "Russia, Cyprus"
            for part in written.replace("(", ",").replace(")", ",").split(","):
                part = part.strip()
                if part and not part.isdigit():
                    yield part


# --- CSV ---------------------------------------------------------------------------------

_CSV_COLUMNS = {
    "unique_id": "unique id",
    "type": "designation type",
    "name_type": "name type",
    "strength": "alias strength",
    "non_latin": "name non-latin script",
    "regime": "regime name",
    "designated": "date designated",
    "birth": "d.o.b",
    "nationality": "nationality(/ies)",
}
_NAME_COLUMNS = ("name 1", "name 2", "name 3", "name 4", "name 5", "name 6")


def read_csv(path: str, stream: IO[bytes]) -> ListFile:
    """The report date from line 1; the designations once every row is read (a few thousand of them)."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    first = _first_line(path, text)
    published = report_day(first) if first.lower().startswith("report date") else None
    return ListFile(path=path, format="uk_csv", published=published, entries=_csv_entries(path, text, first))


def _first_line(path: str, text: io.TextIOWrapper) -> str:
    try:
        return text.readline().strip()
    except UnicodeDecodeError:
        raise ListFileError(path, 1, "the CSV is not UTF-8 text") from None


def _csv_entries(path: str, text: io.TextIOWrapper, first_line: str) -> Iterator[ListEntry]:
    rows = csv.reader(text)
    line = 1
    if first_line.lower().startswith("report date"):
        header_row, line = _next_row(path, rows, line)
    else:  # no report line: the first line was the header
        header_row = next(csv.reader([first_line]), [])
    header = [" ".join(column.strip().lower().split()) for column in header_row or []]
    where = {key: header.index(column) for key, column in _CSV_COLUMNS.items() if column in header}
    names = [header.index(column) for column in _NAME_COLUMNS if column in header]
    if "unique_id" not in where or "name 6" not in header:
        raise ListFileError(
            path, line, "the header has no 'Unique ID' or 'Name 6' column: not the UK Sanctions List CSV")
    # Rows of one designation usually follow each other, but nothing in the format promises it.
    gathered: dict[str, _Designation] = {}
    while True:
        row, line = _next_row(path, rows, line)
        if row is None:
            break
        if not any(cell.strip() for cell in row):
            continue
        row = row + [""] * (len(header) - len(row))

        def cell(key: str, row: list[str] = row) -> str:
            return row[where[key]].strip() if key in where else ""

        unique_id = cell("unique_id")
        if not unique_id:
            raise ListFileError(path, line, "a row without a Unique ID")
        designation = gathered.get(unique_id)
        if designation is None:
            designation = gathered[unique_id] = _Designation(unique_id, line)
        designation.kind_text = designation.kind_text or cell("type")
        designation.designated = designation.designated or cell("designated")
        name = whole_name(*(row[index] for index in names))
        if name:
            designation.add_name(name, cell("name_type"), cell("strength"))
        if cell("non_latin"):
            designation.strong.append(cell("non_latin"))
        _add(designation.regimes, cell("regime"))
        _add(designation.births, cell("birth"))
        _add(designation.nationalities, cell("nationality"))
    for designation in gathered.values():
        yield designation.entry(path)


def _next_row(path: str, rows: Iterator[list[str]], line: int) -> tuple[list[str] | None, int]:
    """The next row and the line it ends on (the report line was read before the reader began)."""
    try:
        row = next(rows, None)
    except (csv.Error, UnicodeDecodeError) as error:
        raise ListFileError(path, line + 1, f"the CSV cannot be read here ({error})") from None
    return row, getattr(rows, "line_num", line) + 1


def _add(values: list[str], value: str) -> None:
    if value and value not in values:
        values.append(value)


# --- XML ---------------------------------------------------------------------------------

def read_xml(path: str, stream: IO[bytes]) -> ListFile:
    """The XML gives no report date of its own: `published` is None."""
    found = x.records(path, stream, ("Designations",), frozenset({"Designation"}), "the UK's <Designations>")
    return ListFile(path=path, format="uk_xml", published=None, entries=_xml_entries(path, found))


def _xml_entries(path: str, found: Iterable[x.Record]) -> Iterator[ListEntry]:
    for element in found:
        line = element.sourceline or 0
        unique_id = x.text(element, "UniqueID")
        if not unique_id:
            raise ListFileError(path, line, "a <Designation> without a <UniqueID>")
        designation = _Designation(
            unique_id, line, kind_text=x.text(element, "IndividualEntityShip"),
            designated=x.text(element, "DateDesignated"),
        )
        for name in x.descendants(element, "Names", "Name"):
            written = whole_name(*(x.text(name, f"Name{part}") for part in range(1, 7)))
            if written:
                designation.add_name(written, x.text(name, "NameType"), x.text(name, "AliasStrength"))
        for names in x.children(element, "NonLatinNames"):  # one group per name, or all in one: read any depth
            for non_latin in names.iter():
                if x.local(non_latin.tag) == "NameNonLatinScript":
                    _add(designation.strong, x.text(non_latin))
        _add(designation.regimes, x.text(element, "RegimeName"))
        for person in x.descendants(element, "IndividualDetails", "Individual"):
            for birth in x.descendants(person, "DOBs", "DOB"):
                _add(designation.births, x.text(birth))
            for nationality in x.descendants(person, "Nationalities", "Nationality"):
                _add(designation.nationalities, x.text(nationality))
        yield designation.entry(path)
