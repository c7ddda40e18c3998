"""Drafting annotations from raw news text: `extract(text) -> native document`.

Rules only, offline and explainable: trigger phrases (`triggers.py`), names
(`names.py`), the authority gazetteer shared with ingest (`authorities.py`),
dates resolved as ingest resolves them (`dates.py`), lists of targets with
their roles (`targets.py`), reasons (`reasons.py`), read sentence by sentence
(`events.py`) and assembled into the native format (`document.py`). Every
drafted event is marked `"draft": true`, for a person to confirm.
"""

from __future__ import annotations

from typing import Any

from storage.dates import DateError, parse_published
from storage.extract.dates import dateline_place, find_dateline, place_end
from storage.extract.document import assemble
from storage.extract.events import ArticleReader
from storage.extract.text import quoted_spans, split_sentences

__all__ = ["ExtractError", "extract"]


class ExtractError(ValueError):
    """An article that cannot be drafted: no text, or no publication date."""


def extract(text: str, published: str | None = None, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """A native-format document with drafted entities and sanctions for text.

    The publication date is `published`, else meta["published"], else a first
    line that is a date (a dateline, which stays in the text). meta may give
    `id`, `source`, `url`, `title`.
    """
    meta = dict(meta or {})
    if not isinstance(text, str) or not text.strip():
        raise ExtractError("the article has no text")
    dateline = find_dateline(text)
    published_text = published or meta.get("published") or (dateline.words if dateline else None)
    if not published_text:
        raise ExtractError("no publication date: give one (--published) or start the text with a dateline line")
    try:
        anchor = parse_published(str(published_text))
    except DateError as error:
        raise ExtractError(f"publication date {error}") from error
    body = dateline.end if dateline else 0
    reader = ArticleReader(
        text=text,
        published=anchor,
        quotes=quoted_spans(text),
        place=dateline_place(text, body),
        skip_until=place_end(text, body),
    )
    for sentence in split_sentences(text, body):
        reader.read(sentence)
    return assemble(text, reader.drafts, str(published_text), meta)
