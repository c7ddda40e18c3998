"""JavaScript string offsets (UTF-16 code units) to Python's (code points).

Browser-based tools count a character outside the Basic Multilingual Plane
(an emoji, a rare Han character) as two; Python counts it as one. Every
offset after such a character is off by one per character, so a span would
silently cover the wrong words.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Offsets:
    """Converts UTF-16 offsets into one text to code point offsets.

    Only the positions of astral characters are kept (none in most texts), not
    a table per character: a 1 MB article with one emoji costs a few bytes.
    """

    def __init__(self, text: str) -> None:
        # The UTF-16 offset of each astral character: its code point offset plus
        # one for every astral character before it.
        self._units = [match.start() + count for count, match in enumerate(_ASTRAL.finditer(text))]
        self.length = len(text) + len(self._units)

    def to_code_points(self, offset: int) -> int | None:
        """The code point offset, or None when it is outside the text or splits a character."""
        if not 0 <= offset <= self.length:
            return None
        before = bisect_left(self._units, offset)  # astral characters starting before the offset
        if before and self._units[before - 1] + 1 == offset:
            return None  # between the two halves of a surrogate pair
        return offset - before
