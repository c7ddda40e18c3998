"""Reading an article sentence by sentence into drafted sanction events.

For each trigger: its targets (from the list where its form says they are),
its authority (the subject, the "by" agent, the speaker of the statement, or
the authority of the sanctions just reported), its date (in the sentence, or
that of the sanctions just reported), a reason and roles. What the article
reported last is the context that later sentences lean on: "The six include
X and Y", "Z was also sanctioned".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from storage.authorities import normalise_authority, resolve_authority
from storage.extract import triggers as tr
from storage.extract.authorities import AuthorityMention, authority_mentions, gazetteer_keys, subject_chain
from storage.extract.dates import DateMention, date_mentions
from storage.extract.names import Chunk, fold, is_place, name_chunks
from storage.extract.reasons import find_reason
from storage.extract.references import RELATIVE, Antecedent, Reference, Resolved, resolve
from storage.extract.targets import ListedTarget, read_list
from storage.extract.text import Sentence, inside

# Tokens that open a clause of their own before a trigger: the subject of
# "Raab said the UK had frozen..." is the UK.
_CLAUSE_OPENERS = frozenset("said says told that after when while because but ; — –".split())
_PRONOUN_SUBJECTS = frozenset("it they".split())
_CONTEXT_WINDOW = 2  # sentences after a trigger in which "The six include..." still continues it
_BY_AGENT = re.compile(r"\bby\s+(?:the\s+)?$", re.IGNORECASE)
_SPEAKER_BEFORE = re.compile(r"\b(?:said|says|wrote|according\s+to)\s+(?:the\s+)?$", re.IGNORECASE)
_SPEAKER_AFTER = re.compile(r"^\s+(?:said|says|wrote|announced)\b", re.IGNORECASE)
_OWNER_GAP = 60  # characters between "Canberra's" and the measures it owns
# Between a trigger and a later date, words that mean the date is not the trigger's own.
_DETACHING_WORDS = r"\b(?:for|over|after|since|who|which|that|when|while|citing|accusing)\b"
_DATE_DETACHED = re.compile(r"[,;:(]|" + _DETACHING_WORDS, re.I)
# "sanctioned Putin and his foreign minister, Sergei Lavrov, in February.": a date set off by a comma
# after the list, closing the sentence or followed by another comma, is still the trigger's.
_SET_OFF_DATE = re.compile(r"^[^;:(]*,\s*$")
_DETACHING = re.compile(_DETACHING_WORDS, re.I)


@dataclass(frozen=True)
class AuthoritySource:
    """An authority span, and how it was found (for the explanation)."""

    start: int
    end: int
    found_by: str  # subject | by-agent | speaker | list-owner | context | dateline


@dataclass(frozen=True)
class Draft:
    target: Chunk
    label: str
    authority: AuthoritySource
    action: str
    date: DateMention | None
    date_found_by: str  # sentence | context | publication
    role: tuple[int, int] | None
    reason: tuple[int, int] | None
    trigger: str
    name: str | None = None  # the full name, when the target span holds only part of it
    reference: str | None = None  # the reference rule that found the target ("both-men")


@dataclass(frozen=True)
class FoundTarget:
    chunk: Chunk
    label: str
    role: tuple[int, int] | None = None
    value: str | None = None  # the full name, when the span holds only part of it
    reference: str | None = None  # the reference rule that found it


def _found(resolved: Resolved, reference: Reference) -> FoundTarget:
    return FoundTarget(resolved.chunk, resolved.label, value=resolved.value, reference=reference.rule.name)


@dataclass
class ArticleReader:
    text: str
    published: date
    quotes: list[tuple[int, int]]
    place: tuple[int, int] | None  # the dateline place, e.g. WASHINGTON
    skip_until: int  # where the story proper begins
    drafts: list[Draft] = field(default_factory=list)
    _people: list[Chunk] = field(default_factory=list)
    _context_authorities: list[AuthoritySource] = field(default_factory=list)
    _context_date: DateMention | None = None
    _context_sentence: int | None = None
    _context_action: str | None = None  # what the last trigger did: "as was Renova" does it again
    _recent: list[Antecedent] = field(default_factory=list)  # the targets of the last sentence that had any
    _recent_sentence: int | None = None
    _organisations: list[Chunk] = field(default_factory=list)  # every organisation named so far

    def read(self, sentence: Sentence) -> None:
        chunks = [c for c in name_chunks(self.text, sentence.tokens) if c.start >= self.skip_until]
        self._people.extend(c for c in chunks if c.label == "PERSON" and c.last > c.first)
        mentions = [
            m for m in authority_mentions(self.text, sentence, chunks, self.skip_until)
            if not inside(self.quotes, m.start, m.end)
        ]
        dates = [
            d for d in date_mentions(self.text, sentence.start, sentence.end, self.published)
            if not inside(self.quotes, d.start, d.end)
        ]
        hits = tr.find_triggers(self.text, sentence)
        in_sanctions_context = self._context_sentence is not None or "sanction" in self._sentence_text(sentence)
        fired = False
        for position, hit in enumerate(hits):
            following = hits[position + 1].start if position + 1 < len(hits) else sentence.end
            if not self._fires(sentence, hit, in_sanctions_context):
                continue
            if hit.trigger.form == tr.ELLIPSIS and not fired:
                continue  # "as was Renova" repeats a trigger of the same sentence
            self._read_hit(sentence, hit, following, chunks, mentions, dates)
            fired = True
        self._organisations.extend(self._named_orgs(chunks))

    def _sentence_text(self, sentence: Sentence) -> str:
        return self.text[sentence.start:sentence.end].lower()

    def _fires(self, sentence: Sentence, hit: tr.Hit, in_context: bool) -> bool:
        if inside(self.quotes, hit.start, hit.end):
            return False  # what someone says, not what was done
        if hit.trigger.needs_context and not in_context:
            return False
        if hit.trigger.form == tr.LIST and not self._continues_list(sentence):
            return False
        return not (tr.is_hedged(sentence, hit) or tr.is_adjectival(sentence, hit))

    def _continues_list(self, sentence: Sentence) -> bool:
        return self._context_sentence is not None and sentence.index - self._context_sentence <= _CONTEXT_WINDOW

    def _read_hit(
        self,
        sentence: Sentence,
        hit: tr.Hit,
        following: int,
        chunks: list[Chunk],
        mentions: list[AuthorityMention],
        dates: list[DateMention],
    ) -> None:
        clause = self._clause_start(sentence, hit)
        listed, references = self._listed(sentence, hit, following, clause, chunks)
        authorities = self._authorities(sentence, hit, clause, mentions)
        if authorities is None:
            return  # a trigger that needs an authority or "It" as its subject, without one
        date_mention, date_found_by = self._date(sentence, hit, dates)
        targets = self._targets(sentence, hit, listed, references, chunks)
        reason = find_reason(
            self.text, hit.span_end, sentence.end, [(c.start, c.end) for c in chunks]
        )
        action = hit.trigger.action
        if hit.trigger.form == tr.ELLIPSIS and self._context_action is not None:
            action = self._context_action  # "as was Renova" lifts what the trigger before lifted
        for target in targets:
            for authority in authorities:
                self.drafts.append(Draft(target.chunk, target.label, authority, action, date_mention,
                                         date_found_by, target.role, reason, hit.trigger.name,
                                         target.value, target.reference))
        if targets:
            if self._recent_sentence != sentence.index:
                self._recent, self._recent_sentence = [], sentence.index
            self._recent.extend(Antecedent(target.chunk, target.label) for target in targets)
        self._context_action = action
        if authorities:
            self._context_authorities = [
                AuthoritySource(a.start, a.end, "context") for a in authorities
            ]
        if date_mention is not None:
            self._context_date = date_mention
        self._context_sentence = sentence.index

    # -- where the list is -------------------------------------------------

    def _listed(
        self, sentence: Sentence, hit: tr.Hit, following: int, clause: int, chunks: list[Chunk]
    ) -> tuple[list[ListedTarget], list[Reference]]:
        """The trigger's list, where its form says it is."""
        form = hit.trigger.form
        if form == tr.PASSIVE:
            listed, pronouns = self._list(sentence, clause, hit.start, chunks, subject=True)
            after = self.text[hit.span_end:following]
            if not listed and after.lstrip().startswith(":"):  # "...are on Beijing's list: X, Y and Z"
                colon = hit.span_end + after.index(":") + 1
                return self._list(sentence, colon, following, chunks)
            return listed, pronouns
        region_end = (hit.close_start or following) if form == tr.BETWEEN else following
        listed, pronouns = self._list(sentence, hit.end, region_end, chunks)
        if form == tr.BETWEEN and hit.close_end is not None:
            added, _ = self._list(sentence, hit.close_end, following, chunks, tail=True)
            listed = listed + added
        return listed, pronouns

    def _list(
        self, sentence: Sentence, start: int, end: int, chunks: list[Chunk], subject: bool = False,
        tail: bool = False,
    ) -> tuple[list[ListedTarget], list[Reference]]:
        tokens = sentence.tokens
        first = next((i for i, t in enumerate(tokens) if t.start >= start), len(tokens))
        last = max((i for i, t in enumerate(tokens) if t.end <= end), default=-1)
        if first > last:
            return [], []
        return read_list(tokens, first, last, chunks, subject=subject, tail=tail)

    def _clause_start(self, sentence: Sentence, hit: tr.Hit) -> int:
        start = sentence.start
        for token in sentence.tokens:
            if token.end > hit.start:
                break
            if token.lower in _CLAUSE_OPENERS and not inside(self.quotes, token.start, token.end):
                start = token.end
        return start

    # -- who imposed it ----------------------------------------------------

    def _authorities(
        self, sentence: Sentence, hit: tr.Hit, clause: int, mentions: list[AuthorityMention]
    ) -> list[AuthoritySource] | None:
        """Who imposed it, by the trigger's form; None when a trigger that needs a subject has none."""
        form = hit.trigger.form
        if form == tr.PASSIVE:
            found = self._passive_authorities(sentence, hit, clause, mentions)
        elif form in (tr.LIST, tr.INVERTED, tr.ELLIPSIS):
            found = self._context_authorities or self._subject(sentence, hit, clause, mentions)
        else:
            found = self._subject(sentence, hit, clause, mentions)
            if hit.trigger.needs_subject and not (found or self._pronoun_subject(sentence, clause)):
                return None
            found = found or self._owner(hit, mentions) or self._context_authorities
        return found or self._dateline_authority()

    def _subject(
        self, sentence: Sentence, hit: tr.Hit, clause: int, mentions: list[AuthorityMention]
    ) -> list[AuthoritySource]:
        before = [m for m in mentions if m.end <= hit.start and m.can_be_subject]
        in_clause = [m for m in before if m.start >= clause]
        candidates = in_clause or before
        if not candidates:
            # "Canberra's financial sanctions on...": the owner of the measures just before them.
            owners = [m for m in mentions if m.possessive and m.end <= hit.start and hit.start - m.end <= _OWNER_GAP]
            return [AuthoritySource(m.start, m.end, "subject") for m in owners[-1:]]
        chain = subject_chain(self.text, mentions, candidates[0])
        return [AuthoritySource(m.start, m.end, "subject") for m in chain if m.end <= hit.start]

    def _pronoun_subject(self, sentence: Sentence, clause: int) -> bool:
        first = next((t for t in sentence.tokens if t.start >= clause), None)
        return first is not None and first.lower in _PRONOUN_SUBJECTS

    def _owner(self, hit: tr.Hit, mentions: list[AuthorityMention]) -> list[AuthoritySource]:
        """The authority whose list it is: "on Beijing's list"."""
        return [
            AuthoritySource(m.start, m.end, "list-owner")
            for m in mentions if hit.start <= m.start and m.end <= hit.span_end
        ][:1]

    def _passive_authorities(
        self, sentence: Sentence, hit: tr.Hit, clause: int, mentions: list[AuthorityMention]
    ) -> list[AuthoritySource]:
        after = [m for m in mentions if m.start >= hit.end]
        for mention in after:
            if _BY_AGENT.search(self.text[max(sentence.start, mention.start - 12):mention.start]):
                chain = subject_chain(self.text, mentions, mention)
                return [AuthoritySource(m.start, m.end, "by-agent") for m in chain]
        for mention in after:
            window = self.text[max(sentence.start, mention.start - 25):mention.start]
            if _SPEAKER_BEFORE.search(window) or _SPEAKER_AFTER.match(self.text[mention.end:sentence.end]):
                return [AuthoritySource(mention.start, mention.end, "speaker")]
        owner = self._owner(hit, mentions)
        if owner:
            return owner
        before = [m for m in mentions if m.end <= clause and m.can_be_subject]
        if before:
            chain = subject_chain(self.text, mentions, before[0])
            return [AuthoritySource(m.start, m.end, "subject") for m in chain if m.end <= clause]
        return list(self._context_authorities)

    def _dateline_authority(self) -> list[AuthoritySource]:
        if self.place is None or not resolve_authority(self.text[self.place[0]:self.place[1]]).known:
            return []
        return [AuthoritySource(self.place[0], self.place[1], "dateline")]

    # -- when --------------------------------------------------------------

    def _date(
        self, sentence: Sentence, hit: tr.Hit, dates: list[DateMention]
    ) -> tuple[DateMention | None, str]:
        before = [d for d in dates if d.end <= hit.start]
        after = [d for d in dates if d.start >= hit.end]
        if hit.trigger.form == tr.PASSIVE:
            ordered = after + list(reversed(before))
        else:
            # "froze the assets of X, Y and Z on Monday", "blacklisted him last month", not
            # "sanctioned X, who was arrested in 2019".
            attached = [
                d for d in after
                if re.match(r"(?i)on\b|today|yesterday|the\s+same", self.text[d.start:])
                or not _DATE_DETACHED.search(self.text, hit.span_end, d.start)
                or self._set_off(hit, d, sentence)
            ]
            ordered = list(reversed(before)) + attached[:1]
        for mention in ordered:
            if mention.same_day:
                if self._context_date is not None:
                    return self._context_date, "context"
                continue
            return mention, "sentence"
        if self._context_date is not None:
            return self._context_date, "context"
        return None, "publication"

    def _set_off(self, hit: tr.Hit, mention: DateMention, sentence: Sentence) -> bool:
        """A date after the list and a comma that closes the sentence or a clause: 'X, Y, in February.'"""
        between = self.text[hit.span_end:mention.start]
        after = self.text[mention.end:sentence.end].lstrip()
        return (
            bool(_SET_OFF_DATE.match(between)) and not _DETACHING.search(between)
            and (not after or after[0] in ".,")
        )

    # -- whom --------------------------------------------------------------

    def _targets(
        self,
        sentence: Sentence,
        hit: tr.Hit,
        listed: list[ListedTarget],
        references: list[Reference],
        chunks: list[Chunk],
    ) -> list[FoundTarget]:
        found: list[FoundTarget] = []
        for item in listed:
            if inside(self.quotes, item.chunk.start, item.chunk.end) or self._not_a_target(item.chunk):
                continue
            chunk, label = self._link(item.chunk, item.label)
            if chunk is not None and label is not None:
                found.append(FoundTarget(chunk, label, item.role))
        for reference in references:
            if inside(self.quotes, reference.start, reference.start + 1):
                continue
            if reference.rule.name == "object-pronoun":
                found.extend(self._antecedent(hit, chunks))
                continue
            # "X and his son Viktor": the relative of someone in the same list; else of the action before.
            listed_before = [Antecedent(f.chunk, f.label) for f in found if f.chunk.start < reference.start]
            antecedents = listed_before if reference.rule is RELATIVE and listed_before else self._recent
            for resolved in resolve(reference, antecedents, self._organisations + self._named_orgs(chunks), self.text):
                found.append(_found(resolved, reference))
        return found

    def _named_orgs(self, chunks: list[Chunk]) -> list[Chunk]:
        """Organisations a reference may point to: named, not quoted, not an authority or a place."""
        return [
            c for c in chunks
            if c.label == "ORG" and not c.possessive and not inside(self.quotes, c.start, c.end)
            and not self._not_a_target(c)
        ]

    def _antecedent(self, hit: tr.Hit, chunks: list[Chunk]) -> list[FoundTarget]:
        """'him' or 'her' as a target: the one person the sentence named before the trigger."""
        people: dict[tuple[int, int], Chunk] = {}
        for chunk in chunks:
            if chunk.end > hit.start or chunk.possessive or inside(self.quotes, chunk.start, chunk.end):
                continue
            if chunk.label != "PERSON" or self._not_a_target(chunk):
                continue
            linked, label = self._link(chunk, "PERSON" if chunk.last > chunk.first else "SINGLE")
            if linked is not None and label == "PERSON":
                people[(linked.start, linked.end)] = linked
        distinct = {" ".join(fold(w) for w in p.words(self.text)) for p in people.values()}
        if len(distinct) == 1:
            return [FoundTarget(next(iter(people.values())), "PERSON", reference="object-pronoun")]
        return []

    def _not_a_target(self, chunk: Chunk) -> bool:
        words = chunk.words(self.text)
        if is_place(words):
            return True
        return normalise_authority(self.text[chunk.start:chunk.end]) in gazetteer_keys()

    def _link(self, chunk: Chunk, label: str) -> tuple[Chunk | None, str | None]:
        """A surname, or a shorter form of a name, to the person named in full before."""
        words = [fold(w) for w in chunk.words(self.text)]
        if label == "ORG":
            return chunk, label
        matches = {
            (person.start, person.end): person for person in self._people
            if person.start != chunk.start and _shorter_form(words, [fold(w) for w in person.words(self.text)])
        }
        distinct = {" ".join(fold(w) for w in p.words(self.text)): p for p in matches.values()}
        if len(distinct) == 1:
            return next(iter(distinct.values())), "PERSON"
        if len(distinct) > 1 and all(_ends_with(p, words, self.text) for p in distinct.values()):
            # "Lukashenko" after "Alexander Lukashenko" and "his son Viktor Lukashenko": news copy
            # means the one named first.
            return min(distinct.values(), key=lambda person: person.start), "PERSON"
        if label == "SINGLE":
            known_words = {fold(w) for p in self._people for w in p.words(self.text)}
            return (None, None) if distinct or words[0] in known_words else (chunk, "ORG")
        return chunk, label


def _ends_with(person: Chunk, words: list[str], text: str) -> bool:
    full = [fold(w) for w in person.words(text)]
    return full[-len(words):] == words


def _shorter_form(words: list[str], full: list[str]) -> bool:
    """'putin' of 'vladimir putin', 'duncan smith' of 'iain duncan smith', 'chen' of 'chen quanguo'."""
    if len(words) >= len(full):
        return False
    return full[-len(words):] == words or full[:len(words)] == words

