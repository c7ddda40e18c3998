"""The people and organisations a trigger names, read as a list.

A list is cut into segments at commas, semicolons, colons and "and". A
segment whose head ends in a name is a target ("the Dutch lawmaker Sjoerd
Sjoerdsma"); a segment without one describes the target before it ("director
of the Xinjiang Public Security Bureau"): that is its role. A segment that
opens a reason, a time or someone speaking ("for", "after", "said") ends the
list, so that people in the rest of the sentence are never taken as targets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.extract.names import KINSHIP, ORG_DESCRIPTORS, Chunk
from storage.extract.text import Token

# Words that join a segment to the list without being part of the name.
_CONTINUATIONS: tuple[tuple[str, ...], ...] = (
    ("as", "well", "as"), ("along", "with"), ("together", "with"), ("among", "them"), ("among", "whom"),
    ("alongside",), ("including",), ("plus",), ("also",), ("and",), ("or",), ("on",), ("of",), ("against",),
    ("both",), ("namely",),
)
# Words that open what is no longer the list: a reason, a time, a speaker.
STOP_WORDS = frozenset(
    """
    for over citing accusing saying said says told according after because amid following when while in
    since during before making calling describing adding which wrote as who's under until days hours weeks
    months years but although though whereas
    """.split()
)
_SPEECH = frozenset("said says told wrote added announced".split())
# Words after which the rest of a segment qualifies its head: "head of", "in Berlin", "who runs".
_HEAD_ENDS = frozenset(
    """
    of in at from to with for over under by as on who whom whose which that known since during after before
    accused it he she they we its his her their is are was were has have had will would can could hold holds
    held own owns owned controls control came come comes took takes entered enters went remain remains remained
    """.split()
)
_RELATIVES = frozenset("who whom whose which that".split())
_PRONOUNS = frozenset("him her them".split())
_REFLEXIVES = frozenset("himself herself itself themselves".split())
_DETERMINERS = frozenset("the a an".split())


@dataclass
class Segment:
    first: int  # token indices, inclusive
    last: int
    kind: str = "description"  # target | description | pronoun | stop
    chunk: Chunk | None = None
    descriptors: list[str] = field(default_factory=list)
    joined_by: str = ","  # the separator before it: "," or "and"
    continued: bool = False  # opened by "alongside", "as well as", "along with"...


@dataclass(frozen=True)
class ListedTarget:
    chunk: Chunk
    label: str
    role: tuple[int, int] | None  # offsets of the role, when the list gives one


def read_list(
    tokens: tuple[Token, ...], first: int, last: int, chunks: list[Chunk], subject: bool = False,
    tail: bool = False,
) -> tuple[list[ListedTarget], list[str]]:
    """Targets in tokens[first..last]; also any pronoun ("him") standing as one.

    With subject=True the list is the subject of a passive ("X and Y were
    sanctioned"): a stop word then starts the list afresh instead of ending it.
    With tail=True the tokens follow a finished phrase ("...barred them from
    entering the country, alongside Y"): only what "alongside", "along with"
    or "as well as" adds to the list counts.
    """
    segments = _segments(tokens, first, last, chunks)
    if tail:
        opening = next((i for i, s in enumerate(segments) if s.continued), None)
        segments = segments[opening:] if opening is not None else []
    listed: list[tuple[Segment, tuple[int, int] | None]] = []
    pronouns: list[str] = []
    for position, segment in enumerate(segments):
        if segment.kind == "stop":
            if subject:
                listed, pronouns = [], []
                continue
            break
        if segment.kind == "pronoun":
            pronouns.append(tokens[segment.first].lower)
        if segment.kind == "target":
            listed.append((segment, _role(tokens, segments, position)))
        if _speaks(tokens, segment):
            if subject:
                listed, pronouns = [], []
                continue
            break
    org_list = _org_list(listed, segments)
    result = []
    for segment, role in listed:
        assert segment.chunk is not None
        label = _label(segment, org_list)
        if label is None:
            continue
        result.append(ListedTarget(segment.chunk, label, role if label == "PERSON" else None))
    return result, pronouns


def _segments(tokens: tuple[Token, ...], first: int, last: int, chunks: list[Chunk]) -> list[Segment]:
    in_chunk = {i for chunk in chunks for i in range(chunk.first, chunk.last + 1)}
    segments: list[Segment] = []
    begin = first
    joined_by = ","
    index = first
    while index <= last:
        word = tokens[index].lower
        separator = index not in in_chunk and word in (",", ";", ":", "and", "or", "(", ")", "—", "–")
        if separator:
            if begin < index:
                segments.append(Segment(begin, index - 1, joined_by=joined_by))
            joined_by = "and" if word in ("and", "or") else ","
            begin = index + 1
        index += 1
    if begin <= last:
        segments.append(Segment(begin, last, joined_by=joined_by))
    for segment in segments:
        _classify(tokens, segment, chunks, in_chunk)
    return [segment for segment in segments if segment.first <= segment.last]


def _classify(tokens: tuple[Token, ...], segment: Segment, chunks: list[Chunk], in_chunk: set[int]) -> None:
    index = _skip_continuations(tokens, segment.first, segment.last)
    segment.continued = any(
        tuple(t.lower for t in tokens[segment.first:segment.first + len(words)]) == words for words in _ADDING
    )
    segment.first = index
    while segment.last >= index and segment.last not in in_chunk and (
        not tokens[segment.last].text[:1].isalnum() or tokens[segment.last].lower in _REFLEXIVES
    ):
        segment.last -= 1  # "... and Miriam Lexmann." / "Khamenei himself"
    if index > segment.last:
        segment.kind = "empty"
        return
    opener = tokens[index].lower
    lower_case = tokens[index].text.islower()  # "For" in "Opposition Platform — For Life" is a name
    if index not in in_chunk and lower_case and (opener in STOP_WORDS or opener in _SPEECH):
        segment.kind = "stop"
        return
    if opener in _RELATIVES:
        return  # "who chairs the committee": a description
    head_end = segment.last
    for position in range(index, segment.last + 1):
        if position not in in_chunk and tokens[position].lower in _HEAD_ENDS and position > index:
            head_end = position - 1
            break
    if tokens[index].lower in _PRONOUNS:
        segment.kind = "pronoun"  # "him", "him last month"
        return
    chunk = next((c for c in chunks if c.last == head_end and c.first >= index), None)
    if chunk is None or chunk.possessive:
        segment.descriptors = [tokens[i].lower for i in range(index, head_end + 1) if i not in in_chunk]
        return
    segment.kind = "target"
    segment.chunk = chunk
    segment.descriptors = [tokens[i].lower for i in range(index, chunk.first) if i not in in_chunk]


_ADDING = (("as", "well", "as"), ("along", "with"), ("together", "with"), ("alongside",), ("plus",))


def _skip_continuations(tokens: tuple[Token, ...], index: int, last: int) -> int:
    moved = True
    while moved and index <= last:
        moved = False
        for words in _CONTINUATIONS:
            end = index + len(words)
            if end - 1 <= last and tuple(t.lower for t in tokens[index:end]) == words:
                index = end
                moved = True
                break
    return index


def _speaks(tokens: tuple[Token, ...], segment: Segment) -> bool:
    """"..., Canada's foreign minister said": someone speaking closes the list ("it says" inside does not)."""
    return segment.last >= segment.first and tokens[segment.last].lower in _SPEECH


def _role(tokens: tuple[Token, ...], segments: list[Segment], position: int) -> tuple[int, int] | None:
    """The apposition after a target ("X, director of Y,"), else the words before its name."""
    if position + 1 < len(segments):
        following = segments[position + 1]
        if following.kind == "description" and following.joined_by == ",":
            first = following.first
            while first <= following.last and tokens[first].lower in _DETERMINERS | _RELATIVES:
                first += 1
            if first <= following.last:
                return tokens[first].start, tokens[following.last].end
    segment = segments[position]
    assert segment.chunk is not None
    if segment.chunk.title_start is not None:
        return segment.chunk.title_start, tokens[segment.chunk.first - 1].end
    first = segment.first
    while first < segment.chunk.first and tokens[first].lower in _DETERMINERS:
        first += 1
    if first < segment.chunk.first:
        return tokens[first].start, tokens[segment.chunk.first - 1].end
    return None


def _org_list(listed: list[tuple[Segment, tuple[int, int] | None]], segments: list[Segment]) -> bool:
    """A list introduced as companies, or whose named members are all organisations."""
    if any(word in ORG_DESCRIPTORS for segment in segments for word in segment.descriptors):
        return True
    multiword = [s.chunk for s, _ in listed if s.chunk is not None and s.chunk.last > s.chunk.first]
    return bool(multiword) and all(chunk.label == "ORG" for chunk in multiword)


def _label(segment: Segment, org_list: bool) -> str | None:
    chunk = segment.chunk
    assert chunk is not None
    if any(word in KINSHIP for word in segment.descriptors):
        return "PERSON" if chunk.last > chunk.first else None  # "his son Viktor": not enough of a name
    if any(word in ORG_DESCRIPTORS for word in segment.descriptors):
        return "ORG"
    if chunk.label == "PERSON" and chunk.last == chunk.first:
        return "ORG" if org_list else "SINGLE"
    return chunk.label
