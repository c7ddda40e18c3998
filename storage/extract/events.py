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
from dataclasses import dataclass, field, replace
from datetime import date

from storage.authorities import normalise_authority, resolve_authority
from storage.extract import triggers as tr
from storage.extract.authorities import (
    AuthorityMention,
    anaphoric_mentions,
    authority_mentions,
    gazetteer_keys,
    subject_chain,
)
from storage.extract.dates import DateMention, date_mentions
from storage.extract.names import KINSHIP, Chunk, fold, is_place, name_chunks
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
_SINCE = re.compile(r"\bsince\b", re.I)
# Words that put a sentence in the context of sanctions, for the triggers with other senses ("were hit").
_SANCTIONS_WORDS = re.compile(
    r"sanction|asset\s+freeze|travel\s+ban|blacklist|embargo|countermeasure|terrorist\s+(?:entit|organi[sz]ation|list)"
)
_COLON_REACH = 120  # characters between a trigger and the colon that opens its list
_NOT_BEFORE_A_LIST = re.compile(r"[\"“”]|\b(?:said|says|told|statement|wrote|added)\b", re.I)


@dataclass(frozen=True)
class AuthoritySource:
    """An authority span, and how it was found (for the explanation)."""

    start: int
    end: int
    found_by: str  # subject | by-agent | speaker | list-owner | context | recently-named | dateline
    value: str | None = None  # the canonical name, when the span does not say it ("the council")


def _source(mention: AuthorityMention, found_by: str) -> AuthoritySource:
    return AuthoritySource(mention.start, mention.end, found_by, mention.value)


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
    _relatives: set[tuple[int, int]] = field(default_factory=set)  # people introduced as someone's kin
    _mentioned: list[tuple[int, Chunk]] = field(default_factory=list)  # (sentence, person) as named, for "him"
    _context_authorities: list[AuthoritySource] = field(default_factory=list)
    _context_date: DateMention | None = None
    _context_sentence: int | None = None
    _context_action: str | None = None  # what the last trigger did: "as was Renova" does it again
    _recent: list[Antecedent] = field(default_factory=list)  # the targets of the last sentence that had any
    _recent_sentence: int | None = None
    _organisations: list[Chunk] = field(default_factory=list)  # every organisation named so far
    _authorities_named: list[AuthorityMention] = field(default_factory=list)  # for "the council" to point back to
    _subjects_named: list[tuple[int, AuthorityMention]] = field(default_factory=list)  # (sentence, mention)
    _spoken_of_sanctions: bool = False  # the article has said "sanctions" (or "asset freeze"...) so far

    def read(self, sentence: Sentence) -> None:
        chunks = [c for c in name_chunks(self.text, sentence.tokens) if c.start >= self.skip_until]
        people = [c for c in chunks if c.label == "PERSON" and c.last > c.first]
        self._people.extend(people)
        self._mentioned.extend(
            (sentence.index, c) for c in chunks if c.label == "PERSON" and not inside(self.quotes, c.start, c.end)
        )
        self._relatives.update((c.start, c.end) for c in people if _introduced_as_kin(sentence, c))
        mentions = self._mentions(sentence, chunks)
        dates = [
            d for d in date_mentions(self.text, sentence.start, sentence.end, self.published)
            if not inside(self.quotes, d.start, d.end)
        ]
        hits = tr.find_triggers(self.text, sentence)
        self._spoken_of_sanctions |= bool(_SANCTIONS_WORDS.search(self._sentence_text(sentence)))
        in_sanctions_context = self._context_sentence is not None or self._spoken_of_sanctions
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

    def _mentions(self, sentence: Sentence, chunks: list[Chunk]) -> list[AuthorityMention]:
        """The sentence's authorities, named or pointed back to ("the council"), none quoted."""
        named = [
            m for m in authority_mentions(self.text, sentence, chunks, self.skip_until)
            if not inside(self.quotes, m.start, m.end)
        ]
        # Those that acted last come last: "the foreign ministry" is China's after "China sanctioned...", even
        # when "U.S. House Speaker" was named in between.
        acted = [AuthorityMention(a.start, a.end, resolve_authority(a.value or self.text[a.start:a.end]))
                 for a in self._context_authorities]
        earlier = sorted(self._authorities_named + named, key=lambda m: m.start) + acted
        pointed = [
            m for m in anaphoric_mentions(self.text, sentence, named, earlier)
            if m.start >= self.skip_until and not inside(self.quotes, m.start, m.end)
        ]
        mentions = sorted(named + pointed, key=lambda m: m.start)
        self._authorities_named.extend(mentions)
        self._subjects_named.extend((sentence.index, m) for m in mentions if m.can_be_subject and m.authority.known)
        return mentions

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
        authorities = self._authorities(sentence, hit, clause, mentions, chunks)
        if authorities is None:
            return  # a trigger that needs an authority or "It" as its subject, without one
        date_mention, date_found_by = self._date(sentence, hit, dates)
        if hit.trigger.needs_date and date_found_by != "sentence":
            return  # "has been under sanctions": a state, which says when only with a date of its own
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
                AuthoritySource(a.start, a.end, "context", a.value) for a in authorities
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
        if form == tr.RELATIVE:
            return self._relative_antecedent(hit, chunks), []
        if form == tr.PASSIVE:
            listed, pronouns = self._list(sentence, clause, hit.start, chunks, subject=True)
            after = self.text[hit.span_end:following]
            if not listed and after.lstrip().startswith(":"):  # "...are on Beijing's list: X, Y and Z"
                colon = hit.span_end + after.index(":") + 1
                return self._list(sentence, colon, following, chunks)
            # "X and Y were also sanctioned, along with Z"
            added, _ = self._list(sentence, hit.span_end, following, chunks, tail=True)
            return listed + added, pronouns
        region_end = (hit.close_start or following) if form == tr.BETWEEN else following
        if hit.trigger.possessor:  # "froze Gaddafi's assets": the possessive is the target
            close = hit.close_start or hit.end
            chunks = [replace(c, possessive=False) if hit.end <= c.start and c.end <= close else c for c in chunks]
        listed, pronouns = self._list(sentence, hit.end, region_end, chunks)
        if form == tr.BETWEEN and hit.close_end is not None:
            added, _ = self._list(sentence, hit.close_end, following, chunks, tail=True)
            listed = listed + added
        colon = self._colon(sentence, hit) if not (listed or pronouns) else None
        if colon is not None:  # "sanctioned four officials: X, Y and Z"
            return self._list(sentence, colon, sentence.end, chunks)
        return listed, pronouns

    def _colon(self, sentence: Sentence, hit: tr.Hit) -> int | None:
        """Where a list announced by the trigger's object begins: after "four officials:".

        Only a colon close after the trigger, with no speech or quotation before it: "the
        Treasury said in a statement:" opens a quotation, not a list.
        """
        colon = self.text.find(":", hit.span_end, min(sentence.end, hit.span_end + _COLON_REACH))
        if colon < 0 or inside(self.quotes, colon, colon + 1):
            return None
        if _NOT_BEFORE_A_LIST.search(self.text, hit.span_end, colon):
            return None
        return colon + 1

    def _relative_antecedent(self, hit: tr.Hit, chunks: list[Chunk]) -> list[ListedTarget]:
        """'Hezbollah, which Washington designated': the name just before the comma and the pronoun."""
        comma = self.text[:hit.start].rstrip()
        if not comma.endswith(","):
            return []
        named = [c for c in chunks if c.end <= len(comma) - 1 and not self.text[c.end:len(comma) - 1].strip()]
        if not named or named[-1].possessive:
            return []
        chunk = named[-1]
        label = chunk.label if chunk.label == "ORG" or chunk.last > chunk.first else "SINGLE"
        return [ListedTarget(chunk, label, None)]

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
        self, sentence: Sentence, hit: tr.Hit, clause: int, mentions: list[AuthorityMention], chunks: list[Chunk]
    ) -> list[AuthoritySource] | None:
        """Who imposed it, by the trigger's form; None when a trigger that needs a subject has none."""
        form = hit.trigger.form
        if form == tr.RELATIVE:
            inner = [m for m in mentions if hit.start <= m.start and m.end <= hit.end and m.can_be_subject]
            return [_source(m, "subject") for m in subject_chain(self.text, mentions, inner[0])] if inner else None
        if form == tr.PASSIVE:
            found = self._passive_authorities(sentence, hit, clause, mentions)
        elif form == tr.INVERTED:
            found = (self._by_agent(sentence, hit, mentions) or self._context_authorities
                     or self._subject(sentence, hit, clause, mentions))
        elif form in (tr.LIST, tr.ELLIPSIS):
            found = self._context_authorities or self._subject(sentence, hit, clause, mentions)
        else:
            found = self._subject(sentence, hit, clause, mentions)
            if hit.trigger.needs_subject and not (found or self._pronoun_subject(sentence, clause)):
                return None
            if not found and self._place_as_subject(hit, clause, chunks):
                return []  # "The government in Minsk banned X": someone the gazetteer does not know
            found = found or self._owner(hit, mentions) or self._context_authorities
        if not found and form not in (tr.ACTIVE, tr.BETWEEN):
            found = self._recently_named(sentence)  # "Under the measures, X and Y face...": no subject to name it
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
            return [_source(m, "subject") for m in owners[-1:]]
        chain = subject_chain(self.text, mentions, candidates[0])
        return [_source(m, "subject") for m in chain if m.end <= hit.start]

    def _place_as_subject(self, hit: tr.Hit, clause: int, chunks: list[Chunk]) -> bool:
        """A place, not an authority of the gazetteer, in the clause before the trigger: its subject is no
        authority we know, and not the one of the sentence before."""
        return any(
            clause <= c.start and c.end <= hit.start and is_place(c.words(self.text))
            and normalise_authority(self.text[c.start:c.end]) not in gazetteer_keys()
            for c in chunks
        )

    def _pronoun_subject(self, sentence: Sentence, clause: int) -> bool:
        first = next((t for t in sentence.tokens if t.start >= clause), None)
        return first is not None and first.lower in _PRONOUN_SUBJECTS

    def _owner(self, hit: tr.Hit, mentions: list[AuthorityMention]) -> list[AuthoritySource]:
        """The authority whose list it is: "on Beijing's list"."""
        return [_source(m, "list-owner") for m in mentions if hit.start <= m.start and m.end <= hit.span_end][:1]

    def _passive_authorities(
        self, sentence: Sentence, hit: tr.Hit, clause: int, mentions: list[AuthorityMention]
    ) -> list[AuthoritySource]:
        agent = self._by_agent(sentence, hit, mentions)
        if agent:
            return agent
        after = [m for m in mentions if m.start >= hit.end]
        for mention in after:
            window = self.text[max(sentence.start, mention.start - 25):mention.start]
            if _SPEAKER_BEFORE.search(window) or _SPEAKER_AFTER.match(self.text[mention.end:sentence.end]):
                return [_source(mention, "speaker")]
        owner = self._owner(hit, mentions)
        if owner:
            return owner
        before = [m for m in mentions if m.end <= clause and m.can_be_subject]
        if before:
            chain = self._chain_before(mentions, before)
            return [_source(m, "subject") for m in chain if m.end <= clause]
        return list(self._context_authorities)

    def _chain_before(self, mentions: list[AuthorityMention], before: list[AuthorityMention]) -> list[AuthorityMention]:
        """The subject nearest the clause, with those coordinated with it: in "OFAC designated him, and the
        Foreign Office said he faced...", the Foreign Office; in "the EU and Britain said", both."""
        chain = subject_chain(self.text, mentions, before[-1])
        for mention in reversed(before[:-1]):
            longer = subject_chain(self.text, mentions, mention)
            if before[-1] not in longer:
                break
            chain = longer
        return chain

    def _by_agent(self, sentence: Sentence, hit: tr.Hit, mentions: list[AuthorityMention]) -> list[AuthoritySource]:
        """The agent of a passive: "were sanctioned by the EU and Britain", "The measures, announced by Britain"."""
        for mention in (m for m in mentions if m.start >= hit.start):
            if _BY_AGENT.search(self.text[max(sentence.start, mention.start - 12):mention.start]):
                return [_source(m, "by-agent") for m in subject_chain(self.text, mentions, mention)]
        return []

    def _recently_named(self, sentence: Sentence) -> list[AuthoritySource]:
        """The authority the article spoke of just before: "The EU adopted new sanctions. Under them, X faces..."."""
        recent = [m for index, m in self._subjects_named if 0 < sentence.index - index <= _CONTEXT_WINDOW]
        return [_source(recent[-1], "recently-named")] if recent else []

    def _dateline_authority(self) -> list[AuthoritySource]:
        if self.place is None or not resolve_authority(self.text[self.place[0]:self.place[1]]).known:
            return []
        return [AuthoritySource(self.place[0], self.place[1], "dateline")]

    # -- when --------------------------------------------------------------

    def _date(
        self, sentence: Sentence, hit: tr.Hit, dates: list[DateMention]
    ) -> tuple[DateMention | None, str]:
        # A date inside the trigger's words ("announced sanctions on Monday against") is nearest of those before.
        before = [d for d in dates if d.end <= hit.start] + [
            d for d in dates if hit.start <= d.start and d.end <= hit.end and d.phrase in ("weekday", "today")
        ]
        after = [d for d in dates if d.start >= hit.end]
        if hit.trigger.needs_date and hit.trigger.form == tr.PASSIVE:
            # "has been under sanctions since 2014": only the date the state began
            since = [d for d in after if _SINCE.search(self.text, max(hit.end, d.start - 7), d.start + 6)]
            return (since[0], "sentence") if since else (None, "publication")
        if hit.trigger.form == tr.PASSIVE:
            ordered = after + list(reversed(before))
        else:
            # "froze the assets of X, Y and Z on Monday", "blacklisted him last month", not
            # "sanctioned X, who was arrested in 2019".
            attached = [
                d for d in after
                if not _SINCE.match(self.text, d.start) and (
                    re.match(r"(?i)on\b|today|yesterday|the\s+same", self.text[d.start:])
                    or not _DATE_DETACHED.search(self.text, hit.span_end, d.start)
                    or self._set_off(hit, d, sentence)
                )
            ]
            ordered = list(reversed(before)) + attached[:1]
            if hit.trigger.form == tr.RELATIVE:
                ordered = attached[:1]  # the dates before belong to the main clause
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
            if reference.rule.name in _PRONOUN_RULES:
                found.extend(self._antecedent(sentence, hit, chunks) or self._recent_person(sentence))
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

    def _antecedent(self, sentence: Sentence, hit: tr.Hit, chunks: list[Chunk]) -> list[FoundTarget]:
        """'him' or 'her' as a target: the one person the sentence named before the trigger, not its speaker."""
        people: dict[tuple[int, int], Chunk] = {}
        for chunk in chunks:
            if chunk.end > hit.start or chunk.possessive or inside(self.quotes, chunk.start, chunk.end):
                continue
            if _speaks(sentence, chunk):
                continue  # "Richard Marles said Australia had then sanctioned him"
            if chunk.label != "PERSON" or self._not_a_target(chunk):
                continue
            linked, label = self._link(chunk, "PERSON" if chunk.last > chunk.first else "SINGLE")
            if linked is not None and label == "PERSON":
                people[(linked.start, linked.end)] = linked
        distinct = {" ".join(fold(w) for w in p.words(self.text)) for p in people.values()}
        if len(distinct) == 1:
            return [FoundTarget(next(iter(people.values())), "PERSON", reference="object-pronoun")]
        return []

    def _recent_person(self, sentence: Sentence) -> list[FoundTarget]:
        """'him' in a sentence that names nobody: the one target the sentence before named, else the one
        person of the action reported just before."""
        targets = {self._key(d.target) for d in self.drafts if d.label == "PERSON"}
        named = [c for index, c in self._mentioned if index == sentence.index - 1]
        named_targets = {self._key(c): c for c in named if self._key(c) in targets}
        if len(named_targets) == 1:
            return [FoundTarget(self._full(next(iter(named_targets.values()))), "PERSON",
                                reference="pronoun-of-the-sentence-before")]
        if self._recent_sentence is None or sentence.index - self._recent_sentence > _CONTEXT_WINDOW:
            return []
        people = {self._key(a.chunk): a.chunk for a in self._recent if a.label == "PERSON"}
        if len(people) != 1:
            return []
        return [FoundTarget(next(iter(people.values())), "PERSON", reference="pronoun-of-the-last-action")]

    def _key(self, chunk: Chunk) -> str:
        """A person's full name as a key: 'Ermakov' after 'Aleksandr Ermakov' is him."""
        return " ".join(fold(w) for w in self._full(chunk).words(self.text))

    def _full(self, chunk: Chunk) -> Chunk:
        linked, _ = self._link(chunk, "PERSON" if chunk.last > chunk.first else "SINGLE")
        return linked if linked is not None else chunk

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
        principals = [p for p in distinct.values() if (p.start, p.end) not in self._relatives]
        if len(distinct) > 1 and len(principals) == 1:
            # "Assad" after "the first lady, Asma al-Assad" and "President Bashar al-Assad": the one
            # not introduced as someone's wife, son or brother.
            return principals[0], "PERSON"
        if len(distinct) > 1 and all(_ends_with(p, words, self.text) for p in distinct.values()):
            # "Lukashenko" after "Alexander Lukashenko" and "his son Viktor Lukashenko": news copy
            # means the one named first.
            return min(distinct.values(), key=lambda person: person.start), "PERSON"
        if label == "SINGLE":
            known_words = {fold(w) for p in self._people for w in p.words(self.text)}
            return (None, None) if distinct or words[0] in known_words else (chunk, "ORG")
        return chunk, label


_PRONOUN_RULES = frozenset(("object-pronoun", "subject-pronoun"))
_SPEECH_VERBS = frozenset("said says told added wrote announced".split())


def _speaks(sentence: Sentence, chunk: Chunk) -> bool:
    """'Richard Marles said ...': the name is the speaker's."""
    following = [t.lower for t in sentence.tokens if t.start >= chunk.end][:1]
    return bool(following) and following[0] in _SPEECH_VERBS


def _ends_with(person: Chunk, words: list[str], text: str) -> bool:
    full = [_bare(fold(w)) for w in person.words(text)]
    return full[-len(words):] == [_bare(w) for w in words]


_KIN_WORDS = KINSHIP | {"lady", "wife's", "husband's"}


def _introduced_as_kin(sentence: Sentence, chunk: Chunk) -> bool:
    """'his son Viktor Lukashenko', 'Syria's first lady, Asma al-Assad': named as someone's relative."""
    before = [t.lower for t in sentence.tokens if t.end <= (chunk.title_start or chunk.start)][-4:]
    return any(word in _KIN_WORDS for word in before)


def _bare(word: str) -> str:
    """'assad' for 'al-assad': news copy drops the article of an Arabic family name."""
    return re.sub(r"^(?:al|el|ul|ad|as|ash)-(?=\w)", "", word)


def _shorter_form(words: list[str], full: list[str]) -> bool:
    """'putin' of 'vladimir putin', 'duncan smith' of 'iain duncan smith', 'chen' of 'chen quanguo',
    'assad' of 'bashar al-assad'."""
    if len(words) >= len(full):
        return False
    words, full = [_bare(w) for w in words], [_bare(w) for w in full]
    return full[-len(words):] == words or full[:len(words)] == words

