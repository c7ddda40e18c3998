"""Why a measure was taken, in the article's words: the "for / over / citing" clause."""

from __future__ import annotations

import re

# Named openings of a reason, tried together; the earliest wins.
REASON_OPENINGS: tuple[tuple[str, str], ...] = (
    ("for", r"for"),
    ("over", r"over"),
    ("citing", r"citing"),
    ("accusing-of", r"accusing\s+(?:him|her|them|it|the\s+\w+)\s+of"),
    ("holding-responsible", r"holding\s+(?:him|her|them|it)\s+responsible\s+for"),
    ("in-retaliation", r"in\s+(?:retaliation|response)\s+(?:for|to)"),
    ("because-of", r"because\s+of"),
)
_OPENING = re.compile(r"\b(?:" + "|".join(p for _, p in REASON_OPENINGS) + r")\s+", re.IGNORECASE)
# Phrases after "for"/"over" that are not reasons.
_NOT_A_REASON = re.compile(
    r"(?:the\s+first\s+time|the\s+(?:past|last)\b|years\b|decades\b|months\b|weeks\b|now\b|life\b|a\s+decade\b|"
    r"\d|the\s+same\b|its\s+part\b)",
    re.IGNORECASE,
)
# Where a reason ends: a speaker, another clause, a dash.
_END = re.compile(
    r"(?:,\s*[”\"’]?\s*|[”\"]\s*,?\s*|\s+)(?=(?:said|says|told|according|added|wrote)\b)"
    r"|,\s*(?=(?:as|after|which|who|while|saying|making|days|hours|weeks|in\s+a|in\s+its|and\s+(?:said|added))\b)"
    r"|,\s*(?=(?:[\w’'.-]+\s+){1,5}(?:said|says|told|added|wrote)\b)"
    r"|;|\s[—–]\s",
    re.IGNORECASE,
)
_TRIM = " \t.,;:\"“”‘’'"
_MIN_WORDS = 2


def find_reason(text: str, start: int, end: int, names: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Offsets of the reason given in text[start:end], if one is given."""
    for opening in _OPENING.finditer(text, start, end):
        if any(begin <= opening.start() < finish for begin, finish in names):
            continue  # "Mercator Institute for China Studies"
        if _NOT_A_REASON.match(text, opening.end()):
            continue
        finish = _END.search(text, opening.end(), end)
        stop = finish.start() if finish else end
        begin = opening.end()
        while begin < stop and text[begin] in _TRIM:
            begin += 1
        while stop > begin and text[stop - 1] in _TRIM:
            stop -= 1
        if len(text[begin:stop].split()) >= _MIN_WORDS:
            return begin, stop
    return None
