"""How a target's names are stored: folded tokens, merge keys, the canonical name.

Ingest writes names with these functions and `storage.names.refold` rewrites stored
names with them, so a re-folded store holds what a fresh ingest would write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache

from storage.names.folding import merge_key, name_tokens

MAX_STORED = 300  # characters of target_names.tokens and .merge_key

# name_tokens is called here as merge_key calls it, (name, keep_titles) by
# position: its cache tells calls apart by how arguments are passed, and a
# re-fold of every stored name would otherwise fold each name three times.


def stored_tokens(name: str, kind: str) -> str:
    """The folded tokens in order ("wang junzheng"), titles kept for organisations."""
    return " ".join(name_tokens(name, kind == "organization"))[:MAX_STORED]


def merge_keys(names: Iterable[tuple[str, str]], kind: str) -> dict[str, str]:
    """Each name's stored merge key, "" for a name that takes no part in merging.

    `names` are one target's (name, origin) pairs from one article. A name
    shares the key of an identifying name ("Hlaing Min Aung" of "Min Aung
    Hlaing") even where it would not identify by itself.
    """
    pairs = list(names)
    keys = identifying_keys(pairs, kind)
    stored: dict[str, str] = {}
    for name, _origin in pairs:
        key = _merge_key(name, kind)
        stored[name] = key if key in keys else ""
    return stored


def identifying_keys(names: Sequence[tuple[str, str]], kind: str) -> set[str]:
    """Keys that may merge two targets: full names only, never a lone surname.

    Where the annotator gave a value, a mention that may be a short form of it
    ("President Lukashenko", "Wang Jun" of "Wang Junzheng") does not merge; a
    full spelling of the name does ("Alyaksandr Lukashenka").
    """
    keep_titles = kind == "organization"
    values = [name_tokens(name, keep_titles) for name, origin in names if origin == "value"]
    keys = set()
    for name, origin in names:
        tokens = name_tokens(name, keep_titles)
        if origin == "mention" and any(_shortens(tokens, value) for value in values):
            continue
        if kind == "person" and len(tokens) < 2:
            continue
        if tokens:
            keys.add(_merge_key(name, kind))
    return keys


def _shortens(mention: tuple[str, ...], value: tuple[str, ...]) -> bool:
    """Whether the mention may be a short form of the value: fewer words, or each the start of one."""
    if len(mention) < len(value):
        return True
    return mention != value and all(any(word.startswith(part) for word in value) for part in mention)


def _merge_key(name: str, kind: str) -> str:
    """merge_key, cut to the column's length (a long Han name spells out longer)."""
    return merge_key(name, keep_titles=kind == "organization")[:MAX_STORED]


def canonical_of(names: Iterable[tuple[str, str, date]]) -> str | None:
    """The annotator's value, else the earliest fully written form, in Latin
    letters where there is one; never ingest order.

    The desk writes in English: a wire story in Chinese that came first must
    not make 朱海仑 the headline over Zhu Hailun (it stays among the aliases).
    `names` are a target's (name, origin, published) rows.
    """

    def rank(row: tuple[str, str, date]) -> tuple:
        name, origin, published = row
        full = len(name_tokens(name, False)) >= 2
        return (origin != "value", origin == "alias", not full, not _in_latin_letters(name), published, name)

    rows = list(names)
    return min(rows, key=rank)[0] if rows else None


@lru_cache(maxsize=65536)  # ingest ranks every name of a target each time it meets it again
def _in_latin_letters(name: str) -> bool:
    """Every letter from the Latin blocks (accents included: Bütikofer, Đặng)."""
    return all(not char.isalpha() or ord(char) < 0x250 or 0x1E00 <= ord(char) <= 0x1EFF for char in name)
