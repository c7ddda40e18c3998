"""Articles in, validated Articles out: the input contract of ANNOTATION_FORMAT.md."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from storage.articles.model import Article, Origin, RawArticle, Rejection
from storage.articles.native import read_native
from storage.articles.validate import validate

__all__ = ["Article", "Origin", "RawArticle", "Rejection", "article_files", "read_articles", "validate"]

ARTICLE_SUFFIXES = (".json", ".jsonl")


def article_files(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """Files to read, folders walked recursively in a stable order.

    Yields (path, display name) where the display name is what messages show.
    """
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                wanted = child.suffix.lower() in ARTICLE_SUFFIXES and not child.name.endswith(".meta.json")
                if wanted and child.is_file():
                    yield child, str(child)
        else:
            yield path, str(path)


def read_articles(paths: Iterable[Path]) -> Iterator[Article | Rejection]:
    """Every article under the paths, validated; rejections in place of bad ones."""
    for path, display in article_files(paths):
        if not path.exists():
            yield Rejection(Origin(display), ("no such file or folder",))
            continue
        for item in read_native(path, display):
            yield item if isinstance(item, Rejection) else validate(item)
