"""JavaScript string offsets (UTF-16 code units) to Python's (code points).

Browser-based tools count a character outside the Basic Multilingual Plane
(an emoji, a rare Han character) as two; Python counts it as one. Every
offset after such a character is off by one per character, so a span would
silently cover the wrong words.
"""

from __future__ import annotations


class Utf16Offsets:
    """Converts UTF-16 offsets into one text to code point offsets."""

    def __init__(self, text: str) -> None:
        self.length = len(text.encode("utf-16-le")) // 2
        # Only texts with astral characters need a table; most have none.
        self._table: list[int | None] | None = None
        if self.length != len(text):
            table: list[int | None] = []
            for index, character in enumerate(text):
                table.append(index)
                if ord(character) > 0xFFFF:
                    table.append(None)  # between the two halves of a surrogate pair
            table.append(len(text))
            self._table = table

    def to_code_points(self, offset: int) -> int | None:
        """The code point offset, or None when it is outside the text or splits a character."""
        if not 0 <= offset <= self.length:
            return None
        return offset if self._table is None else self._table[offset]
