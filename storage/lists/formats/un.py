"""The UN Security Council Consolidated List XML: `INDIVIDUAL` and `ENTITY` records, no namespace.

`LISTED_ON` is the UN's own listing date, a few written with a zone after the
day (`2001-10-17-04:00`): the day is what counts. Names come in the
committee's order (`FIRST_NAME`…`FOURTH_NAME`), the original script in
`NAME_ORIGINAL_SCRIPT`. One `ALIAS_NAME` may pack several names separated by
"; ", and an alias of "Low" quality is kept apart as weak; empty alias
elements are no names.
"""

from __future__ import annotations

from datetime import date
from typing import IO

from storage.lists.entries import ListEntry, ListFile, ListFileError
from storage.lists.formats import xmlstream as x
from storage.lists.formats.names import distinct, whole_name
from storage.lists.formats.written_dates import iso_day, iso_partial

LIST_ID = "un_sc_sanctions"
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
# A birth date the UN marks as approximate or a span is no date to compare with.
_EXACT_BIRTHS = ("", "EXACT")


def read(path: str, stream: IO[bytes]) -> ListFile:
    header: dict[str, date | None] = {}

    def on_root(root: x.Record) -> None:
        header["published"] = iso_day(root.get("dateGenerated"))

    found = x.records(
        path, stream, ("CONSOLIDATED_LIST",), frozenset({"INDIVIDUAL", "ENTITY"}), "the UN's <CONSOLIDATED_LIST>",
        on_root=on_root,
    )
    return x.dated_list(path, "un_xml", found, lambda: header.get("published"), _entry)


def _entry(path: str, element: x.Record) -> ListEntry:
    line = element.sourceline or 0
    person = x.local(element.tag) == "INDIVIDUAL"
    key = x.text(element, "REFERENCE_NUMBER") or x.text(element, "DATAID")
    name = whole_name(*(x.text(element, part) for part in _NAME_PARTS))
    if not key or not name:
        raise ListFileError(path, line, f"an <{x.local(element.tag)}> without a REFERENCE_NUMBER or a name")
    strong: list[str] = [x.text(original) for original in x.children(element, "NAME_ORIGINAL_SCRIPT")]
    weak: list[str] = []
    for alias in x.children(element, "INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"):
        packed = x.text(alias, "ALIAS_NAME")
        names = [part.strip() for part in packed.split(";")]
        (weak if x.text(alias, "QUALITY").lower() == "low" else strong).extend(names)
    births = (
        iso_partial(x.text(birth, "DATE") or x.text(birth, "YEAR"))
        for birth in x.children(element, "INDIVIDUAL_DATE_OF_BIRTH")
        if x.text(birth, "TYPE_OF_DATE").upper() in _EXACT_BIRTHS
    )
    return ListEntry(
        list_id=LIST_ID,
        entry_id=key,
        kind="person" if person else "organization",
        name=name,
        aliases=distinct(strong, exclude=(name,)),
        weak_aliases=distinct(weak, exclude=(name, *strong)),
        programs=distinct([x.text(element, "UN_LIST_TYPE")]),
        listed_on=iso_day(x.text(element, "LISTED_ON")),
        birth_dates=distinct(births),
        nationalities=distinct(x.text(value) for value in x.descendants(element, "NATIONALITY", "VALUE")),
        line=line,
    )
