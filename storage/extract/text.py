"""Sentences and tokens of raw news copy, every piece with its offsets.

Offsets index into the whole article text, so every span the extractor
drafts can be cut out of it again exactly (`text[start:end]`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations after which a full stop does not end a sentence in news copy.
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen lt col maj capt cmdr adm sen rep gov st jr sr inc ltd co corp no
    vs etc jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u
    """.split()
)
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
# Dotted initialisms (U.S., U.N.), numbers, words with inner apostrophes,
# hyphens or ampersands (O'Brien, Jaish-e-Mohammed, En+), single symbols.
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\d+(?:[.,]\d+)*|\w+(?:['’\-&]\w+)*\+*|[^\w\s]")
_POSSESSIVE = re.compile(r"^(.+?)(['’]s)$")
_QUOTE_PAIRS = {"“": "”", "«": "»", "„": "“"}


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower().replace("’", "'")


@dataclass(frozen=True)
class Sentence:
    index: int
    paragraph: int
    start: int
    end: int
    tokens: tuple[Token, ...]


def tokenize(text: str, start: int, end: int) -> tuple[Token, ...]:
    """Tokens of text[start:end]; a possessive 's is a token of its own."""
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text, start, end):
        word = match.group()
        possessive = _POSSESSIVE.match(word)
        if possessive and len(possessive.group(1)) > 1:
            split = match.start() + len(possessive.group(1))
            tokens.append(Token(possessive.group(1), match.start(), split))
            tokens.append(Token(possessive.group(2), split, match.end()))
        else:
            tokens.append(Token(word, match.start(), match.end()))
    return tuple(tokens)


def split_sentences(text: str, skip_until: int = 0) -> list[Sentence]:
    """The sentences of text after offset skip_until, paragraph by paragraph."""
    sentences: list[Sentence] = []
    paragraph = 0
    for line in re.finditer(r"[^\n]+", text[skip_until:]):
        line_start, line_end = skip_until + line.start(), skip_until + line.end()
        if not text[line_start:line_end].strip():
            continue
        paragraph += 1
        begin = line_start
        for end in _boundaries(text, line_start, line_end):
            _add(sentences, text, begin, end, paragraph)
            begin = end
        _add(sentences, text, begin, line_end, paragraph)
    return sentences


def _add(sentences: list[Sentence], text: str, begin: int, end: int, paragraph: int) -> None:
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    if begin < end:
        sentences.append(Sentence(len(sentences), paragraph, begin, end, tokenize(text, begin, end)))


def _boundaries(text: str, start: int, end: int) -> list[int]:
    found = []
    for match in _SENTENCE_END.finditer(text, start, end):
        if _is_boundary(text, match, end):
            found.append(match.end())
    return found


def _is_boundary(text: str, match: re.Match[str], limit: int) -> bool:
    word = re.search(r"([\w.]+)$", text[: match.start()])
    if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS and match.group().startswith("."):
        return False
    if word and len(word.group(1)) == 1 and word.group(1).isupper():
        return False  # an initial: "George W. Bush"
    following = text[match.end(): limit].lstrip()
    return not following or not following[0].islower()


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Stretches inside quotation marks: what someone said, not what was done."""
    spans: list[tuple[int, int]] = []
    for paragraph in re.finditer(r"[^\n]+", text):
        opened: int | None = None
        closing = ""
        for match in re.finditer(r"[“”«»„\"]", paragraph.group()):
            mark = match.group()
            offset = paragraph.start() + match.start()
            if opened is None:
                if mark in _QUOTE_PAIRS or mark == '"':
                    opened, closing = offset, _QUOTE_PAIRS.get(mark, '"')
            elif mark == closing or (mark == '"' and closing == '"'):
                spans.append((opened, offset + 1))
                opened = None
    return spans


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(begin <= start and end <= finish for begin, finish in spans)
