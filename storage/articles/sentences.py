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
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_LOOKBEHIND = 32  # longer than any abbreviation or initial; a longer word is neither
_NEXT_CHARACTER = re.compile(r"\s*(\S?)")
_STEP = 512  # characters of the first backward window


def sentences_around(text: str, spans: list[tuple[int, int]]) -> str:
    """The sentences holding all the spans, in text order, trimmed and on one line.

    The quote of a fact whose parts (target, authority) were marked in
    different sentences must show both. Neighbouring sentences are quoted as
    they stand; "…" marks what lies between sentences further apart.
    """
    parts: list[list[int]] = []  # [sentence begin, sentence end, first span start, last span end]
    for start, end in sorted(spans):
        begin, finish = _sentence_start(text, start), _sentence_end(text, end)
        last = parts[-1] if parts else None
        if last and not text[last[1]:begin].strip() and end - last[2] <= _MAX_QUOTE:
            last[1], last[3] = max(last[1], finish), max(last[3], end)
        else:
            parts.append([begin, finish, start, end])
    return " … ".join(_quoted(text, *part) for part in parts)


def _quoted(text: str, begin: int, finish: int, start: int, end: int) -> str:
    sentence = " ".join(text[begin:finish].split())
    if len(sentence) > _MAX_QUOTE:
        # A run-on "sentence" (a list, a table): keep the part around the span,
        # with "…" only where something was cut.
        left = max(begin, start - _MAX_QUOTE // 2)
        right = min(finish, end + _MAX_QUOTE // 2)
        cut_before = "…" if text[begin:left].strip() else ""
        cut_after = "…" if text[right:finish].strip() else ""
        sentence = cut_before + " ".join(text[left:right].split()) + cut_after
    return sentence


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    # Only the word before and the character after matter: look at no more, or
    # every candidate full stop would copy the text and a long article would
    # take minutes (quadratic) instead of milliseconds.
    word = _WORD_BEFORE.search(text, max(0, match.start() - _LOOKBEHIND), match.start())
    if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS and match.group().startswith("."):
        return False
    if word and len(word.group(1)) == 1 and word.group(1).isupper():
        return False  # an initial: "George W. Bush"
    following = _NEXT_CHARACTER.match(text, match.end()).group(1)  # type: ignore[union-attr]
    return not following or not following.islower()


def _sentence_start(text: str, position: int) -> int:
    """The end of the last sentence boundary before `position` in its paragraph.

    Searched backwards in growing windows, so that the cost is the length of
    the sentence, not of everything before it (a 1 MB article in one paragraph).
    """
    paragraph = text.rfind("\n", 0, position) + 1
    low, step = position, _STEP
    while True:
        low = max(paragraph, low - step)
        # Start on a word's first character: a run like "?!" is never cut in two,
        # so the window sees exactly the boundaries a scan from the paragraph sees.
        while low > paragraph and not text[low - 1].isspace():
            low -= 1
        begin = None
        for match in _END.finditer(text, low, position):
            if _is_boundary(text, match):
                begin = match.end()
        if begin is not None:
            return begin
        if low == paragraph:
            return paragraph
        step *= 2


def _sentence_end(text: str, position: int) -> int:
    newline = text.find("\n", position)
    limit = len(text) if newline == -1 else newline
    for match in _END.finditer(text, position, limit):
        if _is_boundary(text, match):
            return match.end()
    return limit
