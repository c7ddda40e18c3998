"""Raw articles from files: plain text, or native JSON not yet annotated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from storage.extract import ExtractError, extract


def extract_file(path: Path, published: str | None = None) -> dict[str, Any]:
    """The drafted native document for one file.

    A `.json` file is a native article without annotations (its `published`,
    `id`, `source`, `url` and `title` are kept); anything else is plain text,
    identified by its file name, dated by `published` or its first line.
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
        return extract(content, published=published, meta={"id": path.stem})
    try:
        document = json.loads(content)
    except json.JSONDecodeError as error:
        raise ExtractError(f"not valid JSON: {error.msg} at line {error.lineno}") from error
    if not isinstance(document, dict) or not isinstance(document.get("text"), str):
        raise ExtractError("a native article must be a JSON object with a 'text'")
    if document.get("entities") or document.get("sanctions"):
        raise ExtractError("already annotated: extract drafts annotations only for articles without them")
    return extract(document["text"], published=published or document.get("published"), meta=document)
