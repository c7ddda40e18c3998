"""Words that point back to targets already named: "both men", "the bureau".

News copy names the targets once and then refers to them: "London would
sanction both men", "Ottawa listed the same four officials and the bureau",
"The company had been blacklisted in September", "His son Viktor ... were
listed with him". A table of named rules recognises such words where a
trigger's list expects a name; `resolve` then points them at the people and
organisations of the action just reported, or at an organisation named
before. Precision first: a reference that does not resolve to exactly what
it says (four officials, one company) drafts nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storage.extract.names import ORG_DESCRIPTORS, ORG_WORDS, Chunk, fold

NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12,
}
_NUMBER = r"(?P<count>two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"
_PEOPLE = (
    r"(?:men|women|people|persons|officials|individuals|officers|lawmakers|politicians|oligarchs|businessmen|"
    r"ministers|generals|commanders|leaders|executives)"
)
# Nouns that stand for an organisation: its own kind ("the bureau") or a company word ("the firm").
_ORG_NOUNS = "|".join(sorted((ORG_WORDS | ORG_DESCRIPTORS) - {"act", "republic", "co", "inc", "ltd", "llc", "plc"}))
# Nouns general enough to mean whichever organisation was just reported ("the company").
_GENERAL_ORG_NOUNS = frozenset("company firm business entity group organisation organization".split())
# Kin who share the family name in the copy we read: "his son Viktor" is Viktor Lukashenko.
SURNAME_KIN = frozenset("son sons brother brothers father nephew".split())


@dataclass(frozen=True)
class ReferenceRule:
    name: str
    pattern: str  # over the lower-case words of a list segment, joined by single spaces
    points_to: str  # person | people | targets | organisation
    count: int | None = None  # how many it names, when the words do not say


REFERENCE_RULES: tuple[ReferenceRule, ...] = (
    # "him", "her last month": the one person the sentence named before the trigger.
    ReferenceRule("object-pronoun", r"him(?: .*)?|her(?: (?:last|this|earlier|later|on|in|too|also|again)\b.*)?",
                  "person"),
    # "he" as the subject of a passive ("the Foreign Office said he faced an asset freeze").
    ReferenceRule("subject-pronoun", r"(?:he|she)", "person"),
    ReferenceRule("both-men", r"both (?:men|women|officials|of them)|the two (?:men|women)", "people", count=2),
    ReferenceRule("the-same-n-people", rf"the (?:same )?{_NUMBER} (?:other )?{_PEOPLE}", "people"),
    ReferenceRule("the-n", rf"the (?:same )?{_NUMBER}", "targets"),
    ReferenceRule("the-organisation", rf"the (?:same )?(?P<noun>{_ORG_NOUNS})", "organisation"),
)
_COMPILED = [(rule, re.compile(rule.pattern + r"$")) for rule in REFERENCE_RULES]
# The relative named by a given name only ("his son Viktor"): built by the list reader, not matched on words.
RELATIVE = ReferenceRule("relative-by-given-name", "", "relative")


@dataclass(frozen=True)
class Reference:
    rule: ReferenceRule
    start: int = 0  # offset of its first word: it points back from there
    count: int | None = None
    noun: str | None = None
    given_name: Chunk | None = None  # "Viktor" in "his son Viktor"


@dataclass(frozen=True)
class Antecedent:
    """A target of the action just reported, or an organisation named before."""

    chunk: Chunk
    label: str  # PERSON or ORG


@dataclass(frozen=True)
class Resolved:
    chunk: Chunk
    label: str
    value: str | None = None  # the full name, when the span holds only part of it ("Viktor")


def match_reference(words: list[str], start: int = 0) -> Reference | None:
    """The reference rule that these words of a list (starting at offset start) match, if any."""
    phrase = " ".join(words)
    for rule, pattern in _COMPILED:
        found = pattern.match(phrase)
        if found is None:
            continue
        groups = found.groupdict()
        count = rule.count
        if groups.get("count"):
            count = NUMBERS.get(groups["count"]) or int(groups["count"])
        return Reference(rule, start, count=count, noun=groups.get("noun"))
    return None


def relative(given_name: Chunk) -> Reference:
    return Reference(RELATIVE, given_name.start, given_name=given_name)


def resolve(
    reference: Reference, recent: list[Antecedent], organisations: list[Chunk], text: str
) -> list[Resolved]:
    """What a reference points to; nothing unless it points to exactly what it says.

    `recent` holds the targets of the action reported last, in order;
    `organisations` every organisation named so far, in order (those named
    after the reference are not looked at).
    """
    organisations = [chunk for chunk in organisations if chunk.end <= reference.start]
    points_to = reference.rule.points_to
    if points_to in ("people", "targets"):
        wanted = [a for a in _distinct(recent, text) if points_to == "targets" or a.label == "PERSON"]
        return [Resolved(a.chunk, a.label) for a in wanted] if len(wanted) == reference.count else []
    if points_to == "organisation" and reference.noun is not None:
        found = _organisation(reference.noun, recent, organisations, text)
        return [Resolved(found, "ORG")] if found is not None else []
    if points_to == "relative" and reference.given_name is not None:
        people = [a for a in _distinct(recent, text) if a.label == "PERSON"]
        if len(people) != 1:
            return []
        family = people[0].chunk.words(text)[-1]
        given = text[reference.given_name.start:reference.given_name.end]
        return [Resolved(reference.given_name, "PERSON", f"{given} {family}")]
    return []


def _organisation(noun: str, recent: list[Antecedent], organisations: list[Chunk], text: str) -> Chunk | None:
    """'the bureau': the latest organisation with Bureau in its name; 'the company': the one just reported."""
    singular = noun[:-1] if noun.endswith("s") and noun[:-1] in ORG_DESCRIPTORS else noun
    recent_orgs = [a.chunk for a in _distinct(recent, text) if a.label == "ORG"]
    named_before = [c for c in organisations if c not in recent_orgs]
    for chunk in list(reversed(recent_orgs)) + list(reversed(named_before)):
        if singular in {fold(word) for word in chunk.words(text)}:
            return chunk
    if singular in _GENERAL_ORG_NOUNS and len(recent_orgs) == 1:
        return recent_orgs[0]
    return None


def _distinct(antecedents: list[Antecedent], text: str) -> list[Antecedent]:
    seen: dict[str, Antecedent] = {}
    for antecedent in antecedents:
        key = " ".join(fold(w) for w in antecedent.chunk.words(text))
        seen.setdefault(key, antecedent)
    return list(seen.values())
