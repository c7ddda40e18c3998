"""The sentence a span was marked in: the quote that cites a fact."""

from __future__ import annotations

import re

# Abbreviations after which a full stop does not end a sentence in news copy.
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen lt col maj capt cmdr adm sen rep gov st jr sr inc ltd co corp no
    vs etc jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u
    """.split()
)
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)")
_MAX_QUOTE = 600


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence containing text[start:end], trimmed and on one line."""
    begin = _sentence_start(text, start)
    finish = _sentence_end(text, end)
    sentence = " ".join(text[begin:finish].split())
    if len(sentence) > _MAX_QUOTE:
        # A run-on "sentence" (a list, a table): keep the part around the span.
        left = max(begin, start - _MAX_QUOTE // 2)
        right = min(finish, end + _MAX_QUOTE // 2)
        sentence = "…" + " ".join(text[left:right].split()) + "…"
    return sentence


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    word = re.search(r"([\w.]+)$", text[: match.start()])
    if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS and match.group().startswith("."):
        return False
    if word and len(word.group(1)) == 1 and word.group(1).isupper():
        return False  # an initial: "George W. Bush"
    following = text[match.end():].lstrip()
    return not following or not following[0].islower()


def _sentence_start(text: str, position: int) -> int:
    paragraph = text.rfind("\n", 0, position) + 1
    begin = paragraph
    for match in _END.finditer(text, paragraph, position):
        if _is_boundary(text, match):
            begin = match.end()
    return begin


def _sentence_end(text: str, position: int) -> int:
    newline = text.find("\n", position)
    limit = len(text) if newline == -1 else newline
    for match in _END.finditer(text, position, limit):
        if _is_boundary(text, match):
            return match.end()
    return limit
