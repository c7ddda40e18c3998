"""Articles in, validated Articles out: the input contract of ANNOTATION_FORMAT.md.

Four readers (native, brat, Label Studio, doccano) turn files into native
documents; all of them go through the one `validate`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from storage.articles.brat import brat_files, read_brat
from storage.articles.conversion import Converted, finish
from storage.articles.detect import FORMATS, detect_format
from storage.articles.doccano import read_doccano
from storage.articles.labelstudio import read_labelstudio
from storage.articles.model import Article, Origin, RawArticle, Rejection
from storage.articles.native import read_native, validate_confirmed
from storage.articles.validate import identity, validate

__all__ = [
    "FORMATS", "Article", "Document", "Origin", "RawArticle", "Rejection", "article_files", "checked",
    "document_identity", "read_articles", "read_documents", "validate",
]

JSON_SUFFIXES = (".json", ".jsonl")
# What a folder walk picks up: every format's files, or only the forced format's.
_SUFFIXES: dict[str | None, tuple[str, ...]] = {
    None: (*JSON_SUFFIXES, ".ann"),
    "native": JSON_SUFFIXES,
    "labelstudio": JSON_SUFFIXES,
    "doccano": JSON_SUFFIXES,
    "brat": (".ann",),
}
_READERS: dict[str, Callable[[Path, str], Iterator[RawArticle | Converted | Rejection]]] = {
    "native": read_native,
    "brat": read_brat,
    "labelstudio": read_labelstudio,
    "doccano": read_doccano,
}


def article_files(paths: Iterable[Path], format: str | None = None) -> Iterator[tuple[Path, str]]:
    """Files to read, folders walked recursively in a stable order.

    Yields (path, display name) where the display name is what messages show.
    A brat document is walked to by its `.ann`; sidecar `.meta.json` files are
    never articles of their own.
    """
    suffixes = _SUFFIXES[format]
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                wanted = child.suffix.lower() in suffixes and not child.name.lower().endswith(".meta.json")
                if wanted and child.is_file():
                    yield child, str(child)
        else:
            yield path, str(path)


def read_articles(paths: Iterable[Path], format: str | None = None) -> Iterator[Article | Rejection]:
    """Every article under the paths, validated; rejections in place of bad ones.

    The format of each file is detected from its content unless `format`
    (one of FORMATS) forces it.
    """
    for item in read_documents(paths, format):
        yield checked(item)


Document = RawArticle | Converted | Rejection


def checked(item: Document) -> Article | Rejection:
    """A document read by `read_documents`, validated."""
    if isinstance(item, RawArticle):
        return validate_confirmed(item)
    return finish(item)


def document_identity(item: Document) -> tuple[str, str] | None:
    """The (key, content hash) a read document would be stored under, before validating it."""
    return None if isinstance(item, Rejection) else identity(item.document)


def read_documents(paths: Iterable[Path], format: str | None = None) -> Iterator[Document]:
    """Every document under the paths as read, not yet validated (see `checked`).

    JSON-lines files are read a line at a time, so a file of any size is
    never held in memory whole.
    """
    if format is not None and format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; one of {', '.join(FORMATS)}")
    brat_seen: set[Path] = set()
    for path, display in article_files(paths, format):
        if not path.exists():
            yield Rejection(Origin(display), ("no such file or folder",))
            continue
        chosen = format or detect_format(path)
        if chosen is None:
            yield Rejection(Origin(display), (
                f"not a format I know ({', '.join(FORMATS)}); name one with --format",
            ))
            continue
        if chosen == "brat":
            # article.txt, article.ann and article.meta.json are one article.
            ann = brat_files(path)[0].resolve()
            if ann in brat_seen:
                continue
            brat_seen.add(ann)
        yield from _READERS[chosen](path, display)
