"""Reading JSON and JSONL files, line by line in bounded memory.

Native articles come this way, and so do the records of Label Studio and
doccano exports, which are JSON too and are converted after reading.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from storage.articles.model import Article, Origin, RawArticle, Rejection
from storage.articles.validate import validate

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
        return f"not valid JSON: {syntax_error(error, f'column {error.colno}')}"
    if isinstance(error, RecursionError):
        return "not readable JSON: nested too deeply"
    if "digits" in str(error):  # Python refuses to read integers of more than 4300 digits
        return "not readable JSON: a number has too many digits"
    return f"not readable JSON: {error}"


def syntax_error(error: json.JSONDecodeError, place: str) -> str:
    """json's message with the place: some messages end in "at" already ("starting at")."""
    joint = " " if error.msg.endswith(" at") else " at "
    return f"{error.msg}{joint}{place}"


def validate_confirmed(raw: RawArticle) -> Article | Rejection:
    """`validate`, refusing events the extractor drafted and no person has confirmed yet.

    `sanctions extract` marks each drafted event `"draft": true`; the contract
    stores only what a person confirmed, and removing the flag is how they say
    so. The check is made here, on files, rather than in `validate`, so that
    the extractor's own measurements can still read its drafts in memory.
    """
    drafts = unconfirmed_drafts(raw.document)
    result = validate(raw)
    if not drafts:
        return result
    others = result.problems if isinstance(result, Rejection) else ()
    return Rejection(raw.origin, (*drafts, *others))


def unconfirmed_drafts(document: object) -> list[str]:
    """One sentence per event still marked as a draft."""
    if not isinstance(document, dict) or not isinstance(document.get("sanctions"), list):
        return []
    entities = document.get("entities")
    words = {str(e.get("id")): e.get("text") for e in entities if isinstance(e, dict)} if isinstance(
        entities, list) else {}
    problems = []
    for index, event in enumerate(document["sanctions"]):
        if not isinstance(event, dict) or event.get("draft") in (None, False):
            continue
        target = words.get(str(event.get("target")))
        named = f" ({target!r})" if isinstance(target, str) else ""
        problems.append(
            f"sanctions[{index}]{named}: drafted by `sanctions extract` and not yet confirmed; check it against "
            "the text, then remove its \"draft\": true (or delete the event)"
        )
    return problems
