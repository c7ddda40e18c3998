"""Canada's SEMA list (`sema-lmes.xml`): flat `data-set/record`, in either element-name form.

On 25 August 2026 the element names became bilingual (`LastName` became
`LastName-NomDeFamille`, `Item` `Item-NumeroDarticle`…): the English part
before the first hyphen is the field, so both forms give the same entries.
`Item` restarts in each part of each schedule, so an entry's key is country,
schedule and item together. `DateOfListing` is the list's own date (the day
the regulations were registered, which can be a day before the announcement).
The file carries no date of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import IO

from storage.lists.entries import EntryKind, ListEntry, ListFile, ListFileError
from storage.lists.formats import xmlstream as x
from storage.lists.formats.names import distinct, whole_name
from storage.lists.formats.written_dates import iso_day, iso_partial

LIST_ID = "ca_dfatd_sema_sanctions"
_ALIAS_SEPARATORS = re.compile(r"\s*[;,]\s*")


def read(path: str, stream: IO[bytes]) -> ListFile:
    found = x.records(path, stream, ("data-set",), frozenset({"record"}), "Canada's <data-set>")
    return ListFile(path=path, format="ca_xml", published=None, entries=_entries(path, found))


def field_name(tag: object) -> str:
    """`LastName-NomDeFamille` and `LastName` are both `LastName`."""
    return x.local(tag).split("-", 1)[0]


def _entries(path: str, found: Iterable[x.Record]) -> Iterator[ListEntry]:
    for element in found:
        fields: dict[str, str] = {}
        for child in element:
            value = x.text(child)
            if value:
                fields.setdefault(field_name(child.tag), value)
        yield _entry(path, element.sourceline or 0, fields)


def _entry(path: str, line: int, fields: dict[str, str]) -> ListEntry:
    country, schedule, item = fields.get("Country", ""), fields.get("Schedule", ""), fields.get("Item", "")
    organisation = fields.get("EntityOrShip", "")
    name = organisation or whole_name(fields.get("GivenName"), fields.get("LastName"))
    if not name or not item:
        raise ListFileError(path, line, "a <record> without a name or an Item")
    kind: EntryKind
    if fields.get("ShipIMONumber"):
        kind = "vessel"
    elif organisation:
        kind = "organization"
    else:
        kind = "person"
    aliases = _ALIAS_SEPARATORS.split(fields.get("Aliases", ""))
    birth = fields.get("DateOfBirthOrShipBuildDate") if kind == "person" else None
    return ListEntry(
        list_id=LIST_ID,
        entry_id="|".join((country, schedule, item)),
        kind=kind,
        name=name,
        aliases=distinct(aliases, exclude=(name,)),
        programs=distinct([country]),
        listed_on=iso_day(fields.get("DateOfListing")),
        birth_dates=distinct([iso_partial(birth)]),
        line=line,
    )
