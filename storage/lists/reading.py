"""Reading any official list file: plain or gzip, its format told from its content or forced.

`read_list(path)` opens the file, looks at its first bytes (the XML root's
name, the UK CSV's report line or header, an FtM entity line) and hands it to
that format's reader. A forced `format` skips the guess but not the checks:
each reader still refuses a root that is not its own. Whatever goes wrong, the
caller gets one `ListFileError` naming the file, the line and the problem,
also when the trouble (a gzip file cut short) is only found while the entries
stream.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from storage.lists.entries import ListEntry, ListFile, ListFileError
from storage.lists.formats import canada, eu, ftm, ofac, uk, un

# The bundled sample files, one or more per format (storage/samples/lists/FACTS.md says what each holds).
SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples" / "lists"
FORMATS: tuple[str, ...] = ("ofac_xml", "eu_xml", "uk_csv", "uk_xml", "un_xml", "ca_xml", "ftm")
_XML_ROOTS = {
    "sdnList": "ofac_xml",
    "export": "eu_xml",
    "Designations": "uk_xml",
    "CONSOLIDATED_LIST": "un_xml",
    "data-set": "ca_xml",
}
_STREAM_READERS: dict[str, Callable[[str, IO[bytes]], ListFile]] = {
    "ofac_xml": ofac.read,
    "eu_xml": eu.read,
    "uk_csv": uk.read_csv,
    "uk_xml": uk.read_xml,
    "un_xml": un.read,
    "ca_xml": canada.read,
}
_GZIP_MAGIC = b"\x1f\x8b"
_PEEK = 64 * 1024
# The first element after the prolog: skips the declaration, comments, processing instructions.
_FIRST_ELEMENT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_DECLARATIONS = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_BROKEN_GZIP = (EOFError, gzip.BadGzipFile, zlib.error)
WHAT_WE_READ = (
    "the XML of OFAC's SDN list, the EU's FSF, the UK Sanctions List, the UN's consolidated list or "
    "Canada's SEMA list, the UK Sanctions List CSV, or OpenSanctions FollowTheMoney JSON lines"
)


def open_list_file(path: str | Path) -> IO[bytes]:
    """The file's bytes, unpacked if it is gzip (told by its first two bytes, not its name)."""
    raw = open(path, "rb")  # noqa: SIM115 - handed to the caller, who closes it
    magic = raw.read(2)
    raw.seek(0)
    if magic == _GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    return raw


def read_list(path: str | Path, format: str | None = None) -> ListFile:
    """The list file at `path`: its format, its own date, its entries as a stream.

    Raises ListFileError for a file that is missing, of no format we read (or
    not of the forced one), malformed, a possible XML bomb, or a truncated
    gzip, before or while the entries stream.
    """
    shown = str(path)
    if format is not None and format not in FORMATS:
        raise ListFileError(shown, None, f"unknown list format {format!r}; one of {', '.join(FORMATS)}")
    if not Path(path).is_file():
        raise ListFileError(shown, None, "no such file")
    start = _peek(shown, path)
    _refuse_declarations(shown, start)
    chosen = format or detect_format(shown, start)

    def open_stream() -> IO[bytes]:
        return open_list_file(path)

    if chosen == "ftm":
        if format is not None and not start.lstrip().startswith(b"{"):
            raise ListFileError(shown, 1, "the file does not start with a JSON entity: not FollowTheMoney JSON lines")
        listing = _guarded(shown, lambda: ftm.read(shown, open_stream))
        listing.entries = _closing(shown, listing.entries, None)
    else:
        if chosen == "uk_csv" and format is not None and start.lstrip().startswith((b"<", b"{")):
            raise ListFileError(shown, 1, "the file is not CSV text: not the UK Sanctions List CSV")
        stream = open_stream()
        try:
            listing = _guarded(shown, lambda: _STREAM_READERS[chosen](shown, stream))
        except BaseException:
            stream.close()
            raise
        listing.entries = _closing(shown, listing.entries, stream)
    return listing


def detect_format(path: str, start: bytes) -> str:
    """The format of a file whose first bytes are `start`; ListFileError if it is none we read."""
    text = start.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        body = _after_prolog(text)
        found = _FIRST_ELEMENT.match(body)
        root = found[2].decode("ascii", "replace") if found else ""
        if root in _XML_ROOTS:
            return _XML_ROOTS[root]
        line = start[: len(start) - len(body)].count(b"\n") + 1
        raise ListFileError(path, line, f"an XML file with root <{root or '?'}> is not a list we read ({WHAT_WE_READ})")
    if text.startswith(b"{"):
        first = text.split(b"\n", 1)[0]
        if b"\n" not in text and b'"schema"' in first:  # an entity longer than the peek: the reader checks it
            return "ftm"
        try:
            entity = json.loads(first)
        except ValueError:
            entity = None
        if isinstance(entity, dict) and ("schema" in entity or ("op" in entity and "entity" in entity)):
            return "ftm"
        raise ListFileError(path, 1, f"the JSON is not a FollowTheMoney entity line ({WHAT_WE_READ})")
    lines = text.split(b"\n", 2)
    first = lines[0].strip().lower()
    header = first if not first.startswith(b"report date") or len(lines) < 2 else lines[1].strip().lower()
    if b"unique id" in header and b"name 6" in header:
        return "uk_csv"
    raise ListFileError(path, 1, f"the file is not a list we read ({WHAT_WE_READ})")


def _peek(shown: str, path: str | Path) -> bytes:
    try:
        with open_list_file(path) as stream:
            return stream.read(_PEEK)
    except _BROKEN_GZIP as error:
        raise ListFileError(shown, 1, f"the gzip file is truncated or corrupt ({error})") from None


def _refuse_declarations(shown: str, start: bytes) -> None:
    """No list file declares a DOCTYPE; entities in one are how an XML bomb starts."""
    if not start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return
    found = _DECLARATIONS.search(start)
    if found is not None:
        line = start[: found.start()].count(b"\n") + 1
        raise ListFileError(
            shown, line, "the XML declares a DOCTYPE (entities or an external DTD), which no list file has; "
            "refused as a possible XML bomb",
        )


def _after_prolog(text: bytes) -> bytes:
    """What follows the XML declaration, comments and processing instructions."""
    while True:
        text = text.lstrip()
        if text.startswith(b"<?"):
            end = text.find(b"?>")
        elif text.startswith(b"<!--"):
            end = text.find(b"-->")
        else:
            return text
        if end < 0:
            return b""
        text = text[end + 2 + (text.startswith(b"<!--")):]


def _guarded(shown: str, read: Callable[[], ListFile]) -> ListFile:
    try:
        return read()
    except _BROKEN_GZIP as error:
        raise ListFileError(shown, None, f"the gzip file is truncated or corrupt ({error})") from None


def _closing(shown: str, entries: Iterator[ListEntry], stream: IO[bytes] | None) -> Iterator[ListEntry]:
    """The entries, with the file closed at the end and a gzip cut short reported with the last good line."""
    line = 0
    try:
        for entry in entries:
            line = entry.line
            yield entry
    except _BROKEN_GZIP as error:
        raise ListFileError(
            shown, line or None, f"the gzip file is truncated or corrupt after this line ({error})") from None
    finally:
        if stream is not None:
            stream.close()
