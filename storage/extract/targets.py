"""The people and organisations a trigger names, read as a list.

A list is cut into segments at commas, semicolons, colons and "and". A
segment whose head ends in a name is a target ("the Dutch lawmaker Sjoerd
Sjoerdsma"); a segment without one describes the target before it ("director
of the Xinjiang Public Security Bureau"): that is its role. A segment that
opens a reason, a time or someone speaking ("for", "after", "said") ends the
list, so that people in the rest of the sentence are never taken as targets;
the list resumes only where the copy plainly goes on with it (RESUMPTIONS).
A segment with no name may point back to targets named before ("both men",
"the bureau"): it is a reference, resolved by the reader (`references.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.extract.names import KINSHIP, ORG_DESCRIPTORS, ORG_WORDS, Chunk
from storage.extract.references import SURNAME_KIN, Reference, match_reference, relative
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
# Words after which the rest of a segment qualifies its head: "head of", "in Berlin", "who runs", "last month".
_HEAD_ENDS = frozenset(
    """
    of in at from to with for over under by as on who whom whose which that known since during after before
    accused it he she they we its his her their is are was were has have had will would can could hold holds
    held own owns owned controls control came come comes took takes entered enters went remain remains remained
    last this earlier later yesterday today tonight pursuant a an may might must should within into through
    across amid
    """.split()
)
_RELATIVES = frozenset("who whom whose which that".split())
# Verbs after which a name is the subject of a clause: "the officers Magnitsky had accused".
_CLAUSE_VERBS = frozenset(
    "is are was were has have had will would can could holds held own owns owned controls".split()
)
_POSSESSIVES = frozenset("his her their its".split())
_REFLEXIVES = frozenset("himself herself itself themselves".split())
_DETERMINERS = frozenset("the a an".split())


@dataclass
class Segment:
    first: int  # token indices, inclusive
    last: int
    kind: str = "description"  # target | description | reference | stop
    chunk: Chunk | None = None
    descriptors: list[str] = field(default_factory=list)
    joined_by: str = ","  # the separator before it: "," or "and"
    comma_and: bool = False  # joined by ", and": the last item of a list
    continued: bool = False  # opened by "alongside", "as well as", "along with"...
    reference: Reference | None = None  # "both men", "the bureau", "his son Viktor"
    prepositional: bool = False  # opened by the trigger's preposition again: "..., and on Alfa-Bank"


@dataclass(frozen=True)
class ListedTarget:
    chunk: Chunk
    label: str
    role: tuple[int, int] | None  # offsets of the role, when the list gives one


def read_list(
    tokens: tuple[Token, ...], first: int, last: int, chunks: list[Chunk], subject: bool = False,
    tail: bool = False,
) -> tuple[list[ListedTarget], list[Reference]]:
    """Targets in tokens[first..last]; also the references ("him", "both men") standing as ones.

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
    references: list[Reference] = []
    position = 0
    while position < len(segments):
        segment = segments[position]
        position += 1
        if segment.kind == "stop":
            if subject:
                listed, references = [], []
                continue
            resumed = _resumption(tokens, segments, position - 1)
            if resumed is None:
                break
            position = resumed
            continue
        if segment.reference is not None:
            references.append(segment.reference)
        if segment.kind == "target":
            listed.append((segment, _role(tokens, segments, position - 1)))
        if _speaks(tokens, segment):
            if subject:
                listed, references = [], []
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
    return result, references


# Where a list goes on after a stop word, each with its name. A resumption gives the index of the
# segment where the list resumes, or None.
_REASON_OPENERS = frozenset("for over citing".split())


def _parallel_reason(tokens: tuple[Token, ...], segments: list[Segment], stop: int) -> int | None:
    """'X, head of Y, over the death of Z, and W, adviser to V, over the murder of U': W is listed too.

    The item after ", and" must have a reason of its own opened by the same word, so that
    "over the jailing of Navalny, and Yashin" (one reason naming two people) is not read as a list.
    """
    opener = tokens[segments[stop].first].lower
    if opener not in _REASON_OPENERS:
        return None
    for later in range(stop + 1, len(segments)):
        candidate = segments[later]
        if candidate.kind == "stop":
            return None
        if candidate.kind != "target" or not candidate.comma_and:
            continue
        for following in segments[later + 1:]:
            if following.kind == "stop":
                return later if tokens[following.first].lower == opener else None
            if following.kind != "description":
                return None
        return None
    return None


def _prepositional_item(tokens: tuple[Token, ...], segments: list[Segment], stop: int) -> int | None:
    """'on Sberbank, which holds a third of the market, and on Alfa-Bank', 'on X over the war, and on Y':
    the trigger's preposition again, after ", and", resumes the list."""
    if tokens[segments[stop].first].lower not in _RELATIVES | _REASON_OPENERS:
        return None
    for later in range(stop + 1, len(segments)):
        candidate = segments[later]
        if candidate.kind == "target" and candidate.comma_and and candidate.prepositional:
            return later
        if candidate.kind == "stop" and later > stop + 1:
            return None
    return None


RESUMPTIONS = (("parallel-reason", _parallel_reason), ("prepositional-item", _prepositional_item))


def _resumption(tokens: tuple[Token, ...], segments: list[Segment], stop: int) -> int | None:
    for _, rule in RESUMPTIONS:
        resumed = rule(tokens, segments, stop)
        if resumed is not None:
            return resumed
    return None


def _segments(tokens: tuple[Token, ...], first: int, last: int, chunks: list[Chunk]) -> list[Segment]:
    in_chunk = {i for chunk in chunks for i in range(chunk.first, chunk.last + 1)}
    segments: list[Segment] = []
    begin = first
    joined_by = ","
    comma_and = False
    index = first
    while index <= last:
        word = tokens[index].lower
        separator = index not in in_chunk and word in (",", ";", ":", "and", "or", "(", ")", "—", "–")
        if separator:
            if begin < index:
                segments.append(Segment(begin, index - 1, joined_by=joined_by, comma_and=comma_and))
            comma_and = word == "and" and index > first and tokens[index - 1].text in (",", ";")
            joined_by = "and" if word in ("and", "or") else ","
            begin = index + 1
        index += 1
    if begin <= last:
        segments.append(Segment(begin, last, joined_by=joined_by, comma_and=comma_and))
    for segment in segments:
        _classify(tokens, segment, chunks, in_chunk)
    for before, segment in zip(segments, segments[1:], strict=False):
        if segment.kind == "target" and before.kind == "description" and any(
            rule(tokens, before, segment) for _, rule in NOT_LISTED
        ):
            segment.kind = "description"
        if segment.kind == "target" and before.kind == "target" and _acronym_of_the_name(tokens, segment):
            segment.kind = "description"
    return [segment for segment in segments if segment.first <= segment.last]


def _acronym_of_the_name(tokens: tuple[Token, ...], segment: Segment) -> bool:
    """'the Islamic Revolutionary Guard Corps (IRGC)': the name again, in brackets, not another target."""
    word = tokens[segment.first].text
    return (
        segment.first == segment.last and segment.first > 0 and segment.last + 1 < len(tokens)
        and tokens[segment.first - 1].text == "(" and tokens[segment.last + 1].text == ")"
        and word.isupper() and len(word) <= 8
    )


# Names that stand in a list without being listed: each rule looks at a named segment and the
# description before it.
def _names_the_relative(tokens: tuple[Token, ...], before: Segment, segment: Segment) -> bool:
    """'adviser to her husband, President Daniel Ortega': the name says who the husband is."""
    words = [t.lower for t in tokens[before.first:before.last + 1]]
    return (
        segment.joined_by == "," and len(words) >= 3 and words[-1] in KINSHIP
        and words[-2] in _POSSESSIVES and words[-3] in ("to", "of", "for", "with")
    )


def _inside_a_clause(tokens: tuple[Token, ...], before: Segment, segment: Segment) -> bool:
    """'X, who directs the Organisation and Guidance Department': "and" goes on with the clause."""
    return (
        segment.joined_by == "and" and not segment.comma_and
        and any(t.lower in _RELATIVES for t in tokens[before.first:before.last + 1])
    )


def _names_the_complement(tokens: tuple[Token, ...], before: Segment, segment: Segment) -> bool:
    """'two executives of Turkey's state oil company, TPAO': the name says which company, it is not listed.

    Only an organisation after people "of" an organisation; "three officials of the ministry, X, Y and Z"
    lists the officials.
    """
    words = [t.lower for t in tokens[before.first:before.last + 1]]
    if segment.joined_by != "," or "of" not in words[1:] or segment.chunk is None or segment.chunk.label != "ORG":
        return False
    of = words.index("of", 1)
    return words[of - 1].endswith("s") and words[-1] in ORG_DESCRIPTORS | ORG_WORDS


NOT_LISTED = (
    ("names-the-relative", _names_the_relative), ("inside-a-clause", _inside_a_clause),
    ("names-the-complement", _names_the_complement),
)


def _classify(tokens: tuple[Token, ...], segment: Segment, chunks: list[Chunk], in_chunk: set[int]) -> None:
    opened_at = segment.first
    index = _skip_continuations(tokens, segment.first, segment.last)
    segment.continued = any(
        tuple(t.lower for t in tokens[segment.first:segment.first + len(words)]) == words for words in _ADDING
    )
    segment.prepositional = any(t.lower in ("on", "against") for t in tokens[opened_at:index])
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
    titled = _titled_name(tokens, chunks, index, segment.last)
    head_end = titled.last if titled is not None else _head_end(tokens, index, segment.last, in_chunk)
    chunk = next((c for c in chunks if c.last == head_end and c.first >= index), None)
    if chunk is None or chunk.possessive:
        segment.descriptors = [tokens[i].lower for i in range(index, head_end + 1) if i not in in_chunk]
        segment.reference = match_reference([tokens[i].lower for i in range(index, head_end + 1)], tokens[index].start)
        if segment.reference is None and index > opened_at and tokens[index - 1].lower == "both":
            # "both" opens a list ("both X and Y") but also counts: "both men"
            segment.reference = match_reference(
                [tokens[i].lower for i in range(index - 1, head_end + 1)], tokens[index - 1].start
            )
        if segment.reference is not None:
            segment.kind = "reference"  # "him", "him last month", "both men", "the bureau"
        return
    if _subject_of_a_clause(tokens, chunk, index, head_end, segment.last):
        segment.descriptors = [tokens[i].lower for i in range(index, head_end + 1) if i not in in_chunk]
        return
    segment.kind = "target"
    segment.chunk = chunk
    segment.descriptors = [tokens[i].lower for i in range(index, chunk.first) if i not in in_chunk]
    if chunk.first == chunk.last and _POSSESSIVES & set(segment.descriptors) and SURNAME_KIN & set(segment.descriptors):
        segment.kind = "reference"  # "his son Viktor": Viktor and the family name of the one just named
        segment.reference = relative(chunk)


def _head_end(tokens: tuple[Token, ...], index: int, last: int, in_chunk: set[int]) -> int:
    """Where the head of a segment ends: before "of", "in", "who", "last month"... outside a name."""
    for position in range(index + 1, last + 1):
        if position not in in_chunk and tokens[position].lower in _HEAD_ENDS:
            return position - 1
    return last


_TITLE_LINKS = frozenset("of the and for".split())


def _titled_name(tokens: tuple[Token, ...], chunks: list[Chunk], index: int, last: int) -> Chunk | None:
    """'Secretary of State Antony Blinken': a title written with "of" in front of a name, all capitalised."""
    following = [c for c in chunks if index < c.first and c.last <= last]
    if not following or not tokens[index].text[:1].isupper():
        return None
    chunk = following[0]
    title = tokens[index:chunk.first]
    if any(c.first < chunk.first and c.last >= index for c in chunks if c is not chunk):
        return None  # "Miriam Lexmann of Slovakia": a name, then where she is from
    if not any(t.lower == "of" for t in title) or not all(
        t.text[:1].isupper() or t.lower in _TITLE_LINKS for t in title
    ):
        return None
    return chunk if chunk.last == last or tokens[chunk.last + 1].lower in _HEAD_ENDS else None


def _subject_of_a_clause(tokens: tuple[Token, ...], chunk: Chunk, index: int, head_end: int, last: int) -> bool:
    """'two officers Magnitsky had accused', 'companies Deripaska owns': the name does, it is not listed."""
    return (
        chunk.first > index and tokens[chunk.first - 1].text.isalpha() and tokens[chunk.first - 1].text.islower()
        and head_end < last and tokens[head_end + 1].lower in _CLAUSE_VERBS
    )


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
    """The apposition after a target ("X, director of Y,"), else the words before its name.

    Not what someone said ("X, it said in a statement") nor what the measure does ("X, banning
    them from travel").
    """
    if position + 1 < len(segments):
        following = segments[position + 1]
        speaks = any(t.lower in _SPEECH for t in tokens[following.first:following.last + 1])
        opener = tokens[following.first].text
        acts = opener.islower() and opener.endswith("ing")
        if following.kind == "description" and following.joined_by == "," and not (speaks or acts):
            first = following.first
            while first <= following.last and tokens[first].lower in _DETERMINERS | _RELATIVES:
                first += 1
            if first <= following.last:
                return tokens[first].start, tokens[following.last].end
    segment = segments[position]
    assert segment.chunk is not None
    first = segment.first
    while first < segment.chunk.first and tokens[first].lower in _DETERMINERS:
        first += 1
    if first < segment.chunk.first and tokens[segment.chunk.first - 1].lower not in ("'s", "'"):
        return tokens[first].start, tokens[segment.chunk.first - 1].end  # not "Egypt's" in "Egypt's Hosni Mubarak"
    if segment.chunk.title_start is not None:
        return segment.chunk.title_start, tokens[segment.chunk.first - 1].end
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
