"""Where an article names an authority, found with ingest's own gazetteer.

Only some mentions can be the subject that imposes a measure: "U.S. senators"
and "EU sanctions" use the name as an adjective, "Beijing's measures" as a
possessive, and "China" in "Mercator Institute for China Studies" is part of
another name. News copy names an authority once and then says "the council"
or "the department" (`anaphoric_mentions`): such a mention stands for the
authority named before, whose canonical name it carries as its value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from storage.authorities import Authority, news_names, normalise_authority, resolve_authority
from storage.extract.names import Chunk
from storage.extract.text import Sentence

# Gazetteer words written in capitals, matched case-sensitively ("US", not "us").
_ACRONYMS = frozenset("us usa uk eu un unsc prc ofac ofsi fcdo seco dfat mofcom hm gb".split())
# Nouns after which a name is an adjective, not a subject.
MODIFIED_NOUNS = frozenset(
    """
    sanctions sanction measures measure officials official senators senator lawmakers lawmaker embassy
    embassies ambassador envoy diplomats diplomat forces troops citizens citizen companies company banks
    bank allegations jurisdiction financial elections election law laws dollars dollar military
    intelligence leaders leader authorities regulators prosecutors courts court investigators markets
    market economy policy policies relations ties officers soldiers nationals residents firms envoys
    counterparts counterpart partners allies ally interests assets property soil territory jets drone
    warships spy spies blacklist list lists regime rules restrictions export exports imports trade
    """.split()
)
# "X's ..." phrases that are themselves the authority ("Ukraine's National Security and Defence Council").
_AUTHORITY_HEADS = frozenset(
    "council committee ministry office department government cabinet treasury commission parliament minister".split()
)
_HEAD_MODIFIERS = frozenset("foreign sanctions finance national security and defence defense economy trade".split())


@dataclass(frozen=True)
class AuthorityMention:
    start: int
    end: int
    authority: Authority
    possessive: bool = False  # "Beijing's list": the owner of something
    modifier: bool = False  # "U.S. senators"
    embedded: bool = False  # inside another name
    value: str | None = None  # the canonical name, when the words do not say it ("the council")

    @property
    def can_be_subject(self) -> bool:
        return not (self.possessive or self.modifier or self.embedded)


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    alternatives = []
    for name in news_names():
        words = []
        for word in name.split():
            if word in _ACRONYMS:
                dotted = r"\.?".join(re.escape(letter.upper()) for letter in word) + r"\.?"
                words.append(f"(?-i:{dotted})")
            else:
                words.append(re.escape(word).replace("'", "['’]"))
        # "China's foreign ministry" is the gazetteer's "china foreign ministry".
        alternatives.append(r"(?:['’]s)?\s+".join(words))
    return re.compile(r"(?<![\w.])(?:" + "|".join(alternatives) + r")(?![\w])", re.IGNORECASE)


def authority_mentions(
    text: str, sentence: Sentence, chunks: list[Chunk], skip_until: int = 0
) -> list[AuthorityMention]:
    """The authorities a sentence names, with what each mention can be."""
    mentions: list[AuthorityMention] = []
    for match in _pattern().finditer(text, max(sentence.start, skip_until), sentence.end):
        start, end = match.start(), match.end()
        following = text[end:sentence.end]
        possessive = bool(re.match(r"['’]s?\b", following))
        if possessive:
            extended = _extend_possessive(text, end, sentence.end)
            if extended is not None:
                mentions.append(AuthorityMention(start, extended, resolve_authority(text[start:extended])))
                continue
        next_word = re.match(r"(?:['’]s)?\s+([a-z]+)", following)
        modifier = bool(next_word and next_word.group(1) in MODIFIED_NOUNS)
        embedded = _embedded(text, start, end, chunks)
        mentions.append(
            AuthorityMention(start, end, resolve_authority(text[start:end]), possessive, modifier, embedded)
        )
    return mentions + _unlisted_bodies(text, sentence, mentions, skip_until)


# "Lithuania's parliament", "Latvia's foreign ministry": a body outside the gazetteer, kept as written
# so that it, not the authority of the sentence before, is the subject of what it does.
_UNLISTED_BODY = re.compile(
    r"\b[A-Z][\w’'-]+['’]s?\s+(?:(?:foreign|finance|economy|interior|justice|defen[cs]e)\s+)?"
    r"(?:parliament|government|ministry|cabinet|legislature)\b"
)


def _unlisted_bodies(
    text: str, sentence: Sentence, found: list[AuthorityMention], skip_until: int
) -> list[AuthorityMention]:
    """The bodies of _UNLISTED_BODY that no gazetteer mention covers, each as written."""
    bodies = []
    for match in _UNLISTED_BODY.finditer(text, max(sentence.start, skip_until), sentence.end):
        if any(m.start < match.end() and match.start() < m.end for m in found):
            continue
        bodies.append(AuthorityMention(match.start(), match.end(), resolve_authority(match.group())))
    return bodies


def _extend_possessive(text: str, end: int, limit: int) -> int | None:
    """The end of "X's sanctions committee" when the phrase is itself an authority."""
    words = list(re.finditer(r"\w[\w'’-]*", text[end:limit]))[1:8]
    for index, word in enumerate(words):
        lower = word.group().lower()
        if lower in _AUTHORITY_HEADS:
            return end + word.end()
        capitalised = word.group()[:1].isupper() or word.group().isdigit() or re.match(r"(?:al|el)-[A-Z]", word.group())
        if not (capitalised or lower in _HEAD_MODIFIERS) or index >= 6:
            return None
    return None


# "the council", "the department": an authority named before, by the head of its name.
_ANAPHOR = re.compile(
    r"\b[Tt]he\s+(?:(?i:foreign|finance|commerce|trade|economy)\s+)?"
    r"((?i:council|committee|department|ministry|commission|administration|government))\b(?!\s+(?:of|in)\b)"
)
# Heads that stand for whichever government was named last, not for a body with that word in its name.
_GOVERNMENT_HEADS = frozenset(("administration", "government"))
# "the foreign ministry" after "China": a ministry of the government named last.
_MINISTRY_OF = re.compile(r"^(?:government of|.* government$)")


def anaphoric_mentions(
    text: str, sentence: Sentence, found: list[AuthorityMention], earlier: list[AuthorityMention]
) -> list[AuthorityMention]:
    """'The council's sanctions committee', 'the department': the authority named before, by its head word.

    `found` are the sentence's gazetteer mentions (an anaphor inside one is part of it), `earlier`
    every authority mentioned before, in order. An anaphor that fits none of them is no mention.
    """
    mentions: list[AuthorityMention] = []
    for match in _ANAPHOR.finditer(text, sentence.start, sentence.end):
        start, end = match.start(), match.end()
        if any(m.start < end and start < m.end for m in found):
            continue
        antecedent = _antecedent(text, match.group(1).lower(), [m for m in earlier if m.end <= start])
        if antecedent is None:
            continue
        following = text[end:sentence.end]
        possessive = bool(re.match(r"['’]s?\b", following))
        if possessive:
            extended = _extend_possessive(text, end, sentence.end)
            if extended is None:
                mentions.append(AuthorityMention(start, end, antecedent, possessive=True, value=antecedent.name))
                continue
            end = extended
        next_word = re.match(r"\s+([a-z]+)", text[end:sentence.end])
        modifier = bool(next_word and next_word.group(1) in MODIFIED_NOUNS)
        mentions.append(AuthorityMention(start, end, antecedent, modifier=modifier, value=antecedent.name))
    return mentions


def _antecedent(text: str, head: str, earlier: list[AuthorityMention]) -> Authority | None:
    """The latest known authority whose name, as written or canonical, has the head word."""
    for mention in reversed(earlier):
        if not mention.authority.known:
            continue
        written = text[mention.start:mention.end].lower()
        canonical = mention.authority.name.lower()
        if head in _GOVERNMENT_HEADS or head in written or head in canonical:
            return mention.authority
        if head == "ministry" and _MINISTRY_OF.match(canonical):
            return mention.authority
    return None


def _embedded(text: str, start: int, end: int, chunks: list[Chunk]) -> bool:
    """Inside a longer name that is not itself a name of the gazetteer."""
    return any(
        chunk.start <= start and end <= chunk.end and (chunk.start, chunk.end) != (start, end)
        and normalise_authority(text[chunk.start:chunk.end]) not in gazetteer_keys()
        for chunk in chunks
    )


@lru_cache(maxsize=1)
def gazetteer_keys() -> frozenset[str]:
    """The gazetteer's names as lookup keys: a name that is one of them is an authority, not a target."""
    return frozenset(news_names())


def subject_chain(text: str, mentions: list[AuthorityMention], first: AuthorityMention) -> list[AuthorityMention]:
    """The first mention and those coordinated with it: "the EU and Britain", "the US, Britain and Canada"."""
    chain = [first]
    ordered = sorted(mentions, key=lambda mention: mention.start)
    position = ordered.index(first)
    for following in ordered[position + 1:]:
        gap = text[chain[-1].end:following.start]
        if not re.fullmatch(r"\s*(?:,|,?\s*and|,?\s*as\s+well\s+as|,?\s*along\s+with|,?\s*together\s+with)"
                            r"\s*(?:the\s+)?", gap, re.IGNORECASE):
            break
        if following.can_be_subject:
            chain.append(following)
    return chain
