"""Raw articles from files: plain text, or native JSON / JSONL not yet annotated."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage.articles.model import Rejection
from storage.articles.native import read_native, syntax_error
from storage.extract import ExtractError, extract

LINE_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(frozen=True)
class Drafted:
    """One article of a file, drafted, or the reason it could not be."""

    where: str  # "a.txt", or "articles.jsonl:14" for a line of a JSONL file
    document: dict[str, Any] | None
    error: str | None = None


def extract_articles(path: Path, published: str | None = None) -> Iterator[Drafted]:
    """Every article of a file drafted: one for text or `.json`, one a line for `.jsonl`.

    A bad line of a JSONL file is reported with its line number, as ingest
    reports it; the other lines are still drafted.
    """
    if path.suffix.lower() not in LINE_SUFFIXES:
        try:
            yield Drafted(str(path), extract_file(path, published))
        except ExtractError as error:
            yield Drafted(str(path), None, str(error))
        return
    for read in read_native(path, str(path)):
        if isinstance(read, Rejection):
            yield Drafted(str(read.origin), None, "; ".join(read.problems))
            continue
        try:
            yield Drafted(str(read.origin), _draft_native(read.document, published))
        except ExtractError as error:
            yield Drafted(str(read.origin), None, str(error))


def extract_file(path: Path, published: str | None = None) -> dict[str, Any]:
    """The drafted native document for one file.

    A `.json` file is a native article without annotations (its `published`,
    `id`, `source`, `url` and `title` are kept); anything else is plain text,
    identified by its file name and text (`text_file_id`), dated by
    `published` or its first line.
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ExtractError(f"cannot be read: {error.strerror or error}") from error
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExtractError("file is not UTF-8") from error
    if path.suffix.lower() != ".json":
        return extract(content, published=published, meta={"id": text_file_id(path, content)})
    try:
        document = json.loads(content)
    except json.JSONDecodeError as error:
        raise ExtractError(f"not valid JSON: {syntax_error(error, f'line {error.lineno}')}") from error
    return _draft_native(document, published)


def text_file_id(path: Path, text: str) -> str:
    """The id of a plain-text article: its file name and a short hash of its text (`raw-3f2a9c1b`).

    Ingest replaces an article's facts by the one with its id, so the name
    alone would make `a/raw.txt` and `b/raw.txt` one article; the text alone
    would lose the name a reviewer recognises. The same text drafted again
    gets the same id, so ingesting it twice changes nothing.
    """
    return f"{path.stem}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def _draft_native(document: Any, published: str | None) -> dict[str, Any]:
    if not isinstance(document, dict) or not isinstance(document.get("text"), str):
        raise ExtractError("a native article must be a JSON object with a 'text'")
    if document.get("entities") or document.get("sanctions"):
        raise ExtractError("already annotated: extract drafts annotations only for articles without them")
    return extract(document["text"], published=published or document.get("published"), meta=document)
