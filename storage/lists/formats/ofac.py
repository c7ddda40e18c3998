"""OFAC's SDN list (`SDN.XML`): one `sdnEntry` per designation, matched by local name whatever the namespace.

The file carries no listing date at all, only the header's `Publish_Date`
(MM/DD/YYYY, in the header OFAC spells `publshInformation`): every entry's
`listed_on` stays None, and the card says "on the list since at least" the
first snapshot that held it. Weak a.k.a.s are kept apart: OFAC itself says they
are too broad to screen on.
"""

from __future__ import annotations

from datetime import date
from typing import IO

from storage.lists.entries import EntryKind, ListEntry, ListFile, ListFileError
from storage.lists.formats import xmlstream as x
from storage.lists.formats.names import distinct, whole_name
from storage.lists.formats.written_dates import spelt_partial, us_day

LIST_ID = "us_ofac_sdn"
ENTRY_URL = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={uid}"
KINDS: dict[str, EntryKind] = {
    "individual": "person",
    "entity": "organization",
    "vessel": "vessel",
    "aircraft": "aircraft",
}


def read(path: str, stream: IO[bytes]) -> ListFile:
    """The header's date now (it comes before the first entry); the entries as they stream."""
    header: dict[str, date | None] = {}

    def on_header(element: x.Record) -> None:
        if x.local(element.tag) == "publshInformation":
            header["published"] = us_day(x.text(element, "Publish_Date"))

    found = x.records(path, stream, ("sdnList",), frozenset({"sdnEntry"}), "OFAC's <sdnList>", on_header=on_header)
    return x.dated_list(path, "ofac_xml", found, lambda: header.get("published"), _entry)


def _entry(path: str, element: x.Record) -> ListEntry:
    uid = x.text(element, "uid")
    line = element.sourceline or 0
    name = whole_name(x.text(element, "firstName"), x.text(element, "lastName"))
    if not uid or not name:
        raise ListFileError(path, line, "an <sdnEntry> without a uid or a lastName")
    sdn_type = x.text(element, "sdnType").lower()
    strong: list[str] = []
    weak: list[str] = []
    for aka in x.descendants(element, "akaList", "aka"):
        alias = whole_name(x.text(aka, "firstName"), x.text(aka, "lastName"))
        if alias:
            (weak if x.text(aka, "category").lower() == "weak" else strong).append(alias)
    births = (spelt_partial(x.text(item, "dateOfBirth")) for item in x.descendants(
        element, "dateOfBirthList", "dateOfBirthItem"))
    countries = [x.text(item, "country") for item in x.descendants(element, "nationalityList", "nationality")]
    countries += [x.text(item, "country") for item in x.descendants(element, "citizenshipList", "citizenship")]
    return ListEntry(
        list_id=LIST_ID,
        entry_id=uid,
        kind=KINDS.get(sdn_type, "person" if x.child(element, "firstName") is not None else "organization"),
        name=name,
        aliases=distinct(strong, exclude=(name,)),
        weak_aliases=distinct(weak, exclude=(name, *strong)),
        programs=distinct(x.text(program) for program in x.descendants(element, "programList", "program")),
        listed_on=None,  # SDN.XML gives none; never borrowed from elsewhere
        birth_dates=distinct(births),
        nationalities=distinct(countries),
        url=ENTRY_URL.format(uid=uid),
        line=line,
    )
