"""Streaming a list's XML one record at a time, safely, whatever its namespace.

Every XML reader goes through `records`: lxml's `iterparse` with no entity
resolution, no network and no huge-tree mode, each record cleared once read so
that a list of hundreds of thousands of entries never sits in memory. Tags are
matched by local name only, because publishers change namespaces (OFAC did when
the Sanctions List Service took over). A DOCTYPE that declares anything is
refused: no list file has one, and it is how an XML bomb or an external-entity
read starts.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterator
from datetime import date
from typing import IO

from lxml import etree

from storage.lists.entries import ListEntry, ListFile, ListFileError

Record = etree._Element


def local(tag: object) -> str:
    """`{http://tempuri.org/sdnList.xsd}sdnEntry` -> `sdnEntry`; comments and entities -> ``."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def records(
    path: str,
    stream: IO[bytes],
    roots: tuple[str, ...],
    record_names: frozenset[str],
    what: str,
    on_root: Callable[[Record], None] | None = None,
    on_header: Callable[[Record], None] | None = None,
) -> Iterator[Record]:
    """Each element named in `record_names`, complete, then cleared; the root checked against `roots`.

    `on_root` sees the root's start tag (its attributes: EU and UN dates);
    `on_header` sees each other complete element outside any record before the
    first record (OFAC's `publshInformation`). `what` names the format for the
    sentence that refuses a file of another kind.
    """
    context = etree.iterparse(
        stream,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )
    depth_in_record = 0
    line = 1
    root_seen = False
    try:
        for event, element in context:
            name = local(element.tag)
            if not root_seen:
                root_seen = True
                line = element.sourceline or 1
                _refuse_declarations(path, element, line)
                if name not in roots:
                    raise ListFileError(path, line, f"the root element is <{name}>, not {what}")
                if on_root is not None:
                    on_root(element)
                continue
            if event == "start":
                if name in record_names:
                    depth_in_record += 1
                continue
            line = element.sourceline or line
            if name in record_names:
                depth_in_record -= 1
                if depth_in_record == 0:
                    yield element
                    _forget(element)
            elif depth_in_record == 0 and on_header is not None and _is_header(element):
                on_header(element)
                _forget(element)
    except etree.XMLSyntaxError as error:
        raise ListFileError(path, error.lineno or line, f"the XML is malformed ({error.msg})") from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise ListFileError(path, line, f"the gzip file is truncated or corrupt after this line ({error})") from None
    if not root_seen:
        raise ListFileError(path, line, f"the file holds no XML element, not {what}")


def _is_header(element: Record) -> bool:
    """A child of the root that is not a record: OFAC's `publshInformation`."""
    parent = element.getparent()
    return parent is not None and parent.getparent() is None


def _refuse_declarations(path: str, root: Record, line: int) -> None:
    doctype = root.getroottree().docinfo
    if doctype.internalDTD is not None or doctype.system_url or doctype.public_id:
        raise ListFileError(
            path, line, "the XML declares a DOCTYPE (entities or an external DTD), which no list file has; "
            "refused as a possible XML bomb",
        )


def _forget(element: Record) -> None:
    """Drop what was read so far: the element's content and the siblings before it."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def children(element: Record, name: str) -> Iterator[Record]:
    """The direct children of that local name."""
    for child in element:
        if local(child.tag) == name:
            yield child


def child(element: Record, name: str) -> Record | None:
    return next(children(element, name), None)


def descendants(element: Record, *path: str) -> Iterator[Record]:
    """`descendants(entry, "akaList", "aka")`: children along a path of local names."""
    level: list[Record] = [element]
    for name in path:
        level = [found for parent in level for found in children(parent, name)]
    yield from level


def text(element: Record | None, name: str | None = None) -> str:
    """The stripped text of the element (or of its first child of that name); "" when absent or empty."""
    if element is not None and name is not None:
        element = child(element, name)
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def dated_list(
    path: str, format: str, found: Iterator[Record], published: Callable[[], date | None],
    entry: Callable[[str, Record], ListEntry],
) -> ListFile:
    """A list whose date comes before its first record: read up to that record now, stream the rest.

    `published` reads what the root or header callbacks of `records` kept;
    they have all run once the first record is complete.
    """
    first = next(found, None)

    def entries() -> Iterator[ListEntry]:
        if first is not None:
            yield entry(path, first)
        for element in found:
            yield entry(path, element)

    return ListFile(path=path, format=format, published=published(), entries=entries())
