"""Which format a file is in, judged by what it holds rather than by its name.

Exports are saved under whatever name the tool or the person chose: a Label
Studio export and a native article are both `.json`, a doccano export is
JSONL whatever its suffix. So JSON is told apart by the shape of its first
record, and brat by its standoff lines (or by the `.ann` beside a `.txt`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from storage.articles.brat import brat_files

FORMATS = ("native", "brat", "labelstudio", "doccano")
_HEAD_BYTES = 64 * 1024
_STANDOFF = re.compile(r"^(?:[TEAMRN]\d+|#\d*|\*)\t", re.MULTILINE)


def detect_format(path: Path) -> str | None:
    """One of FORMATS, or None when the file is none of them."""
    ann, _, _ = brat_files(path)
    name = path.name.lower()
    if name.endswith((".txt", ".meta.json")) and ann.exists():
        return "brat"  # a part of a brat document: the article is read from its .ann
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES).decode("utf-8-sig", errors="replace")
    except OSError:
        return None
    start = head.lstrip(" \t\r\n")
    if start.startswith(("{", "[")):
        return classify(_first_record(path, start.startswith("[")))
    if _STANDOFF.search(head) or name.endswith(".ann"):
        return "brat"  # standoff lines, or an .ann that is not JSON (empty, or notes only)
    return None


def classify(record: Any) -> str:
    """The format a parsed JSON record is written in (native when nothing else fits)."""
    if not isinstance(record, dict):
        return "native"
    if isinstance(record.get("data"), dict):
        return "labelstudio"
    entities = record.get("entities")
    if isinstance(entities, list) and any(isinstance(e, dict) and "start_offset" in e for e in entities):
        return "doccano"
    if "relations" in record and "sanctions" not in record:
        return "doccano"
    if "entities" not in record and isinstance(record.get("label"), list):
        return "doccano"  # doccano's sequence-labelling export: its reader says what to do
    return "native"


def _first_record(path: Path, is_array: bool) -> Any:
    """The first JSON value of the file (the first element of an array), or None."""
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return _first_line(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    decoder = json.JSONDecoder()
    try:
        if is_array:
            body = text.lstrip()[1:].lstrip()
            return None if body.startswith("]") else decoder.raw_decode(body)[0]
        return decoder.raw_decode(text.lstrip())[0]
    except (ValueError, RecursionError):  # its reader says what is wrong with it
        return None


def _first_line(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8-sig") as handle:
            for line in handle:
                if line.strip():
                    return json.loads(line)
    except (OSError, ValueError, RecursionError):  # its reader says what is wrong with it
        return None
    return None
