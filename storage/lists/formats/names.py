"""Names as the list files give them: parts joined, blanks and repeats dropped.

Every reader keeps each name exactly as the list writes it (case, script,
order of parts); only empty names and repeats of one already kept (ignoring
case) are dropped, so an alias never repeats the primary name.
"""

from __future__ import annotations

from collections.abc import Iterable


def whole_name(*parts: str | None) -> str:
    """Given names first, then the family name, as `Hailun ZHU`; spaces squashed."""
    return " ".join(" ".join(part.split()) for part in parts if part and part.strip())


def distinct(values: Iterable[str | None], exclude: Iterable[str] = ()) -> tuple[str, ...]:
    """The non-empty values in their order, each once (ignoring case), none of `exclude`."""
    seen = {value.casefold() for value in exclude}
    kept: list[str] = []
    for value in values:
        if not value:
            continue
        value = " ".join(value.split())
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            kept.append(value)
    return tuple(kept)
