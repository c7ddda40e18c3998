"""Reading JSON and JSONL files, line by line in bounded memory.

Native articles come this way, and so do the records of Label Studio and
doccano exports, which are JSON too and are converted after reading.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from storage.articles.model import Origin, RawArticle, Rejection

MAX_LINE_BYTES = 20 * 1024 * 1024


def read_native(path: Path, display: str, record: str = "article") -> Iterator[RawArticle | Rejection]:
    """One RawArticle per record, or a Rejection for what cannot be parsed.

    `record` names the elements of a JSON array in messages ("article 3",
    "task 3"). A `.json` file that holds one JSON value per line is read as
    JSONL: exports are not always named after what they contain.
    """
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        yield from _read_jsonl(path, display)
        return
    origin = Origin(display)
    try:
        with path.open("rb") as handle:
            data = handle.read()
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        yield Rejection(origin, ("file is not UTF-8",))
        return
    except json.JSONDecodeError as error:
        if error.msg == "Extra data" and error.lineno > 1 and error.colno == 1:
            yield from _read_jsonl(path, display)
            return
        yield Rejection(Origin(display, error.lineno), (json_problem(error),))
        return
    except (ValueError, RecursionError) as error:
        yield Rejection(origin, (json_problem(error),))
        return
    except OSError as error:
        yield Rejection(origin, (f"cannot be read: {error.strerror or error}",))
        return
    if isinstance(document, list):
        # A JSON array of articles: each its own record, numbered from 1.
        for index, item in enumerate(document, start=1):
            yield RawArticle(Origin(display, record=f"{record} {index}"), item)
    else:
        yield RawArticle(origin, document)


def _read_jsonl(path: Path, display: str) -> Iterator[RawArticle | Rejection]:
    try:
        handle = path.open("rb")
    except OSError as error:
        yield Rejection(Origin(display), (f"cannot be read: {error.strerror or error}",))
        return
    with handle:
        for number, raw_line in enumerate(handle, start=1):
            origin = Origin(display, number)
            if len(raw_line) > MAX_LINE_BYTES:
                yield Rejection(origin, (f"line is longer than {MAX_LINE_BYTES // 1024 // 1024} MB",))
                continue
            try:
                line = raw_line.decode("utf-8-sig" if number == 1 else "utf-8").strip()
            except UnicodeDecodeError:
                yield Rejection(origin, ("line is not UTF-8",))
                continue
            if not line:
                continue
            try:
                document = json.loads(line)
            except (ValueError, RecursionError) as error:
                yield Rejection(origin, (json_problem(error),))
                continue
            yield RawArticle(origin, document)


def json_problem(error: ValueError | RecursionError) -> str:
    """What is wrong with JSON that cannot be read, in the annotator's terms."""
    if isinstance(error, json.JSONDecodeError):
        return f"not valid JSON: {error.msg} at column {error.colno}"
    if isinstance(error, RecursionError):
        return "not readable JSON: nested too deeply"
    if "digits" in str(error):  # Python refuses to read integers of more than 4300 digits
        return "not readable JSON: a number has too many digits"
    return f"not readable JSON: {error}"
