"""The EU's Financial Sanctions Files (FSF) XML: one `sanctionEntity` per designation.

The listing date is the entity's own `designationDate`; where it is absent the
entry has none (`listed_on` None), because the `regulation` elements beside it
may be later amendments and their dates are not the day the EU listed anyone.
One `nameAlias` per language (`nameLanguage="ZH"`…) gives the other scripts;
`strong="false"` aliases are kept apart as weak.
"""

from __future__ import annotations

from datetime import date
from typing import IO

from storage.lists.entries import EntryKind, ListEntry, ListFile, ListFileError
from storage.lists.formats import xmlstream as x
from storage.lists.formats.names import distinct, whole_name
from storage.lists.formats.written_dates import iso_day, iso_partial

LIST_ID = "eu_fsf"
KINDS: dict[str, EntryKind] = {"person": "person", "enterprise": "organization", "vessel": "vessel"}


def read(path: str, stream: IO[bytes]) -> ListFile:
    """`generationDate` on the root is the file's date; it is known before the first entry."""
    header: dict[str, date | None] = {}

    def on_root(root: x.Record) -> None:
        header["published"] = iso_day(root.get("generationDate"))

    found = x.records(path, stream, ("export",), frozenset({"sanctionEntity"}), "the EU's <export>", on_root=on_root)
    return x.dated_list(path, "eu_xml", found, lambda: header.get("published"), _entry)


def _entry(path: str, element: x.Record) -> ListEntry:
    line = element.sourceline or 0
    key = (element.get("logicalId") or "").strip()
    strong: list[str] = []
    weak: list[str] = []
    latin_first: str | None = None
    for alias in x.children(element, "nameAlias"):
        name = (alias.get("wholeName") or "").strip() or whole_name(
            alias.get("firstName"), alias.get("middleName"), alias.get("lastName"))
        if not name:
            continue
        if (alias.get("strong") or "true").strip().lower() == "false":
            weak.append(name)
            continue
        strong.append(name)
        if latin_first is None and (alias.get("nameLanguage") or "").upper() in ("", "EN"):
            latin_first = name
    if not key or not (strong or weak):
        raise ListFileError(path, line, "a <sanctionEntity> without a logicalId or a name")
    primary = latin_first or (strong or weak)[0]
    subject = x.child(element, "subjectType")
    code = (subject.get("code") or "").strip().lower() if subject is not None else ""
    regulations = sorted(
        x.children(element, "regulation"), key=lambda regulation: regulation.get("publicationDate") or "9999")
    first_act = regulations[0] if regulations else None
    return ListEntry(
        list_id=LIST_ID,
        entry_id=key,
        kind=KINDS.get(code, "organization"),
        name=primary,
        aliases=distinct(strong, exclude=(primary,)),
        weak_aliases=distinct(weak, exclude=(primary, *strong)),
        programs=distinct(regulation.get("programme") for regulation in regulations),
        listed_on=iso_day(element.get("designationDate")),
        birth_dates=distinct(_birth_date(birth) for birth in x.children(element, "birthdate")),
        nationalities=distinct(
            citizenship.get("countryIso2Code") or citizenship.get("countryDescription")
            for citizenship in x.children(element, "citizenship")
        ),
        url=x.text(first_act, "publicationUrl") or None,
        line=line,
    )


def _birth_date(birth: x.Record) -> str | None:
    """`birthdate="1958-01-15"`, else `year` with `monthOfYear` and `dayOfMonth` where given."""
    if birth.get("circa", "").lower() == "true":
        return None
    written = iso_partial(birth.get("birthdate"))
    if written:
        return written
    year, month, day = birth.get("year"), birth.get("monthOfYear"), birth.get("dayOfMonth")
    if not year:
        return None
    parts = [year] + ([f"{int(month):02d}"] if month and month.isdigit() else [])
    if len(parts) == 2 and day and day.isdigit():
        parts.append(f"{int(day):02d}")
    return iso_partial("-".join(parts))
