"""The phrases that say a sanction was imposed, lifted or extended.

A table of named triggers: tuning the extractor is editing this table, and
every drafted event names the trigger that fired. Each trigger has a form,
which says where its targets are:

- `active`: after the phrase ("the EU froze the assets of X, Y and Z");
- `between`: between the verb and a closing phrase ("added X to its list");
- `passive`: before the phrase ("X and Y were sanctioned");
- `inverted`: after a passive phrase put first ("Among those targeted were X");
- `list`: a sentence that goes on with the list of an earlier trigger
  ("The six include X and Y");
- `ellipsis`: a trigger repeated without its verb ("Rusal and En+ were listed,
  as was Renova"): it fires only after another trigger of the same sentence
  has, and does what that one did;
- `relative`: a relative clause whose subject is the authority ("Hezbollah,
  which Washington designated in 1997"): the target is the name before it.

Triggers marked `needs_context` are too common in other senses ("was hit",
"named") to fire in an article that has not yet spoken of sanctions. Those
marked `needs_date` describe a state ("has been under sanctions") and say
when it began only with a date of their own ("since 2014"): without one they
draft nothing, rather than the date of another action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storage.extract.text import Sentence

ACTIVE, BETWEEN, PASSIVE, INVERTED, LIST, ELLIPSIS, RELATIVE = (
    "active", "between", "passive", "inverted", "list", "ellipsis", "relative"
)

_AUX = (
    r"\b(?:is|are|was|were|be|been|being|has\s+been|have\s+been|had\s+been)"
    r"(?:\s+(?:also|now|already|likewise|similarly|subsequently|then|formally|themselves|himself|herself|itself))?\s+"
)
# "its list", "the EU's sanctions list", "Beijing's blacklist", "its list of terrorist organisations"
_LIST_NP = (
    r"(?:its|the|their|a|an|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*['’]s)\s+(?:[^\s,;.]+\s+){0,5}?"
    r"(?:list|blacklist|register)\b"
)
_MEASURES = r"(?:sanctions?|counter-?sanctions|countermeasures|bans?|freezes?|restrictions|penalties|measures|embargo)"
_SOME_WORDS = r"(?:[\w.,'’+-]+\s+)"  # "U.S." too: "lifting U.S. sanctions on"
# "announced sanctions on Monday against X", "imposed sanctions on Friday on X": a day between the measures
# and their object.
_WHEN = (
    r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday)"
    r"(?=\s+(?:on|against)\b))?"
)


@dataclass(frozen=True)
class Trigger:
    name: str
    pattern: str
    action: str  # imposed | lifted | extended
    form: str
    close: str | None = None  # the closing phrase of a `between` trigger
    needs_context: bool = False
    needs_subject: bool = False  # fires only with an authority, "It" or "They" as subject
    needs_date: bool = False  # a state ("has been under sanctions"): drafted only with a date of its own
    possessor: bool = False  # the target owns what the closing phrase names: "froze X's assets"


TRIGGERS: tuple[Trigger, ...] = (
    # Passive phrases first: they claim "sanctioned" in "were sanctioned".
    Trigger("was-sanctioned", _AUX + r"(?:sanctioned|designated|blacklisted)\b", "imposed", PASSIVE),
    # "listed in Hong Kong", "named as chairman": a stock listing or an appointment, not a sanction.
    Trigger("was-listed", _AUX + r"(?:listed|targeted|named|hit|punished|barred|banned|included)\b"
            r"(?!\s+(?:in|on|at|as|after|for\s+(?:the|a)\s+(?:post|job|role))\b)",
            "imposed", PASSIVE, needs_context=True),
    Trigger("was-added-to-the-list", _AUX + r"(?:added|put|placed)\s+(?:to|on)\s+" + _LIST_NP, "imposed", PASSIVE),
    Trigger("was-put-under-sanctions", _AUX + r"(?:put|placed|brought)\s+under\s+(?:(?:[\w.]+\s+){0,2}?sanctions|"
            r"an?\s+(?:travel\s+ban|asset\s+freeze))\b",
            "imposed", PASSIVE),
    Trigger("is-on-the-list", r"\b(?:is|are|was|were)(?:\s+also)?\s+on\s+(?:" + _LIST_NP + r"|it\b)", "imposed",
            PASSIVE, needs_context=True),
    # "Carrie Lam was among 11 officials sanctioned by the Treasury"
    Trigger("was-among-those-sanctioned",
            r"\b(?:is|are|was|were)\s+(?:also\s+)?among\s+(?:the\s+|those\s+)?(?:[\w,'’-]+\s+){0,5}?"
            r"(?:sanctioned|targeted|designated|listed|named|blacklisted|hit)\b", "imposed", PASSIVE),
    # States, with the date they began: "has been under U.S. sanctions since 2011", "had been on its blacklist since".
    Trigger("has-been-under-sanctions",
            r"\b(?:has|have|had)\s+(?:already\s+)?been\s+(?:under|subject\s+to)\s+(?:[\w.]+\s+){0,2}?"
            r"(?:sanctions|an?\s+asset\s+freeze|a\s+travel\s+ban)\b", "imposed", PASSIVE, needs_date=True),
    Trigger("has-been-on-the-list", r"\b(?:has|have|had)\s+(?:already\s+)?been\s+on\s+" + _LIST_NP, "imposed",
            PASSIVE, needs_date=True),
    # "Hezbollah, which Washington designated as a terrorist organisation in 1997"
    Trigger("which-it-sanctioned",
            r"\b(?:which|whom)\s+(?:the\s+)?[\w.’' -]{2,40}?\s+(?:had\s+|has\s+|have\s+)?(?:already\s+|also\s+)?"
            r"(?:sanctioned|designated|blacklisted)\b", "imposed", RELATIVE, needs_date=True),
    # "Under the measures, X and Y face an asset freeze": the new measures, in the present.
    Trigger("face-sanctions",
            r"\bfac(?:e|es|ed)\s+(?:an?\s+)?(?:[\w.-]+\s+){0,3}?"
            r"(?:sanctions|asset\s+freezes?|travel\s+bans?|freezes?|visa\s+bans?)\b", "imposed", PASSIVE,
            needs_context=True),
    Trigger("are-subject-to",
            r"\b(?:is|are)\s+(?:now\s+)?subject\s+to\s+(?:an?\s+)?(?:[\w.-]+\s+){0,3}?"
            r"(?:sanctions|asset\s+freezes?|travel\s+bans?|freezes?|visa\s+bans?)\b", "imposed", PASSIVE,
            needs_context=True),
    Trigger("completes-the-list", r"\b(?:complete[sd]?|round(?:s|ed)?\s+out)\s+the\s+list\b", "imposed", PASSIVE,
            needs_context=True),
    Trigger("had-assets-frozen", r"\bhad\s+(?:their|his|her|its)\s+(?:assets|funds|property)\s+frozen\b",
            "imposed", PASSIVE),
    Trigger("was-removed-from-the-list", _AUX + r"(?:removed|delisted|taken\s+off)(?:\s+(?:from|off)\s+" + _LIST_NP
            + r")?", "lifted", PASSIVE),
    # Inverted passives: the targets follow.
    Trigger("among-those-targeted-were",
            r"\bamong\s+(?:those|the\s+\w+|them)\s+(?:targeted|sanctioned|listed|named|designated|blacklisted|hit)"
            r"\s+(?:were|are|was|is)\b", "imposed", INVERTED),
    Trigger("also-designated-were",
            r"\balso\s+(?:targeted|sanctioned|listed|named|designated|blacklisted|hit)(?:\s+[\w.]+){0,3}?"
            r"\s+(?:were|are|was|is)\b",
            "imposed", INVERTED),
    # "The designations, made under the Magnitsky Act, name X and Y": the targets follow.
    Trigger("the-designations-name",
            r"\b(?:designations|listings|sanctions|measures|penalties|order|list|blacklist)(?:,[^,]{1,60},)?\s+"
            r"(?:also\s+)?(?:name|names|named|target|targets|targeted|include|includes|included|cover|covers)\b",
            "imposed", INVERTED, needs_context=True),
    # A sentence that goes on with an earlier trigger's list.
    Trigger("those-listed-are",
            r"^(?:the|those|these|they|others)\b(?:\s+[\w’'-]+){0,3}?\s+(?:include[sd]?|are|were|comprise[sd]?)\b",
            "imposed", LIST, needs_context=True),
    Trigger("among-them-were", r"^among\s+them\s+(?:were|are|was|is)\b", "imposed", LIST, needs_context=True),
    Trigger("the-list-includes",
            r"^(?:the|its|their)?\s*(?:[\w’'-]+\s+){0,2}?(?:list|blacklist)\s+(?:also\s+)?"
            r"(?:include[sd]?|names|named|features)\b", "imposed", LIST, needs_context=True),
    # Lifting and extending, before the imposing phrases they contain.
    Trigger("lifted-sanctions-on",
            r"\b(?:lift(?:ed|s|ing)?|eas(?:ed|es|ing)|end(?:ed|s|ing)|revok(?:ed|es|ing)|remov(?:ed|es|ing)|"
            r"scrap(?:ped|s|ping)?|rescind(?:ed|s|ing)?|drop(?:ped|s|ping)?)\s+" + _SOME_WORDS + r"{0,8}?"
            + _MEASURES + _WHEN + r"\s+(?:it\s+(?:had\s+)?imposed\s+" + _SOME_WORDS + r"{0,3}?)?(?:on|against|from)\b",
            "lifted", ACTIVE),
    Trigger("removed-from-the-list",
            r"\b(?:remov(?:ed|es|ing)|delist(?:ed|s|ing)|struck|took|taking|dropp(?:ed|ing)|drops?|delet(?:ed|es|ing))\b",
            "lifted", BETWEEN, close=r"\b(?:from|off)\s+" + _LIST_NP),
    Trigger("the-removal-of", r"\b(?:removal|deletion|delisting)\s+of\b", "lifted", BETWEEN,
            close=r"\b(?:from|off)\s+" + _LIST_NP),
    Trigger("unfroze-the-assets-of", r"\bunfr(?:oze|eez(?:e|es|ing))\s+(?:the\s+)?(?:assets|funds)\s+of\b",
            "lifted", ACTIVE),
    Trigger("delisted", r"\bdelist(?:ed|s|ing)\b", "lifted", ACTIVE),
    Trigger("extended-sanctions-on",
            r"\b(?:extend(?:ed|s|ing)?|renew(?:ed|s|ing)?|prolong(?:ed|s|ing)?|roll(?:ed|s)?\s+over)\s+"
            + _SOME_WORDS + r"{0,6}?(?:sanctions|bans?|freezes?|listings?|measures|restrictions)\s+(?:on|against)\b",
            "extended", ACTIVE),
    # Imposing.
    Trigger("froze-the-assets-of",
            r"\b(?:froze|frozen|freez(?:e|es|ing))\s+(?:the\s+|any\s+)?(?:assets|funds|property|holdings)\s+"
            r"(?:of|belonging\s+to|held\s+(?:in\s+[\w.]+\s+)?by|that|linked\s+to|tied\s+to|connected\s+to)\b",
            "imposed", ACTIVE),
    # "froze Gaddafi's assets", "freezing the oligarchs' funds": the owner between verb and possessive.
    Trigger("froze-someones-assets", r"\b(?:froze|freez(?:e|es|ing))\b", "imposed", BETWEEN,
            close=r"(?<=\w)['’]s?\s+(?:[\w-]+\s+){0,2}?(?:assets|funds|property|holdings|bank\s+accounts)\b",
            possessor=True),
    Trigger("freezing-of-assets-of",
            r"\b(?:freezing\s+of|freeze\s+on)\s+(?:the\s+|any\s+|all\s+)?(?:assets|funds|property)\s+"
            r"(?:of|belonging\s+to|held\s+(?:in\s+[\w.]+\s+)?by|that|linked\s+to|tied\s+to|connected\s+to)\b",
            "imposed", ACTIVE),
    Trigger("blocked-the-property-of",
            r"\bblock(?:ed|s|ing)?\s+(?:the\s+|any\s+|all\s+)?(?:property|assets)\s+(?:and\s+interests\s+in\s+property\s+)?"
            r"(?:of\b|belonging\s+to\b|that\b)?", "imposed", ACTIVE),
    # "Canberra's financial sanctions on X came into force today"
    Trigger("sanctions-on-came-into-force",
            _MEASURES + r"\s+(?:on|against)\b(?=[^.;]{1,200}\b(?:came|come|comes|entered|enter|enters|took|take|takes)"
            r"\s+(?:into\s+force|into\s+effect|effect)\b)", "imposed", ACTIVE),
    Trigger("imposed-sanctions-on",
            r"\b(?:impos(?:e|ed|es|ing)|announc(?:e|ed|es|ing)|agree(?:d|s|ing)?|adopt(?:ed|s|ing)?|"
            r"unveil(?:ed|s|ing)?|slap(?:ped|s|ping)?|plac(?:e|ed|es|ing)|levie[sd]|levy(?:ing)?|enact(?:ed|s|ing)?)"
            r"\s+" + _SOME_WORDS + r"{0,8}?" + _MEASURES + _WHEN
            + r"(?:\s+(?:directly|personally|also))?\s+(?:on|against)\b",
            "imposed", ACTIVE),
    # "China said it would take countermeasures against X"
    Trigger("took-countermeasures-against",
            r"\b(?:tak(?:e|es|en|ing)|took)\s+(?:[\w-]+\s+){0,2}?(?:countermeasures|counter-?sanctions)" + _WHEN
            + r"\s+(?:on|against)\b", "imposed", ACTIVE),
    # "The EU on Monday adopted new sanctions over the crackdown.": no target yet, but who and when for
    # the sentences that name them ("Under the measures, X and Y face...").
    Trigger("announced-sanctions",
            r"\b(?:impos(?:ed|es|ing)|announc(?:ed|es|ing)|adopt(?:ed|s|ing)|unveil(?:ed|s|ing))\s+(?:[\w-]+\s+){0,4}?"
            r"(?:sanctions|measures|countermeasures|penalties)\b(?!\s+(?:on|against)\b)", "imposed", ACTIVE,
            needs_subject=True),
    # After the imposing phrases that contain it: "The EU's sanctions on X were lifted on Monday"
    Trigger("sanctions-on-were-lifted", _MEASURES + r"\s+(?:on|against)\b", "lifted", BETWEEN,
            close=_AUX + r"(?:lifted|removed|revoked|rescinded|dropped|scrapped|ended|eased)\b"),
    # "Sanctions were also imposed on X and Y", "follows those imposed on X by the EU": the targets
    # follow, the agent may too.
    Trigger("sanctions-were-imposed-on",
            r"(?:" + _MEASURES + r"|\bthose)\s+(?:" + _AUX + r")?(?:already\s+|previously\s+)?"
            r"(?:imposed|placed|slapped|levied)\s+(?:on|against)\b", "imposed", INVERTED),
    Trigger("sanctioned", r"\bsanction(?:ed|ing)?\b", "imposed", ACTIVE),
    Trigger("designated", r"\bdesignat(?:ed|es|ing)\b", "imposed", ACTIVE),
    Trigger("blacklisted", r"\bblacklist(?:ed|s|ing)\b", "imposed", ACTIVE),
    Trigger("punished", r"\bpunish(?:ed|es|ing)\b", "imposed", ACTIVE),
    Trigger("named", r"\b(?:named|list(?:ed|ing)|target(?:ed|ing)|included)\b", "imposed", ACTIVE, needs_context=True,
            needs_subject=True),
    Trigger("added-to-the-list", r"\b(?:add(?:ed|s|ing)?|put(?:s|ting)?|plac(?:ed|es|ing))\b", "imposed", BETWEEN,
            close=r"\b(?:to|on)\s+" + _LIST_NP),
    # "approved the addition of X to its sanctions list", as UN committees word it.
    Trigger("the-addition-of", r"\b(?:addition|inclusion|listing)\s+of\b", "imposed", BETWEEN,
            close=r"\b(?:to|on|in)\s+" + _LIST_NP),
    Trigger("put-under-sanctions", r"\b(?:put(?:s|ting)?|plac(?:ed|es|ing))\b", "imposed", BETWEEN,
            close=r"\bunder\s+(?:[\w.]+\s+){0,2}?sanctions\b|\bunder\s+an?\s+(?:travel\s+ban|asset\s+freeze)\b"),
    Trigger("banned-from-entering", r"\b(?:ban|bann(?:ed|ing)|bans|bar|barr(?:ed|ing)|bars)\b", "imposed", BETWEEN,
            close=r"\bfrom\s+(?:entering|travel(?:l)?ing\s+to|visiting|the|its|their)\b"),
    Trigger("hit-with-sanctions", r"\bhit(?:s|ting)?\b", "imposed", BETWEEN,
            close=r"\bwith\s+" + _SOME_WORDS + r"{0,3}?(?:sanctions|asset\s+freezes?|travel\s+bans?|penalties)\b"),
    # "..., as was Renova", "and so were their wives": the trigger before, again.
    Trigger("as-was", r"\b(?:as|and\s+so)\s+(?:was|were|is|are|has|have|had)(?:\s+been)?\b", "imposed", ELLIPSIS),
)
_COMPILED = [(trigger, re.compile(trigger.pattern, re.IGNORECASE)) for trigger in TRIGGERS]
_CLOSE_WINDOW = 400  # characters: a closing phrase further away belongs to something else

# Words just before a trigger that make it a wish, a threat or a denial.
_HEDGES = frozenset(
    """
    not never no n't cannot would could may might will should shall must can threatened threatens threatening
    threaten considering consider considers considered proposed proposes proposing propose plans planned
    planning plan whether if urged urges urging urge wants wanted seeks sought seeking weighing weighs weigh
    discuss discussed discussing discusses debate debated debating mull mulled mulling
    """.split()
)
# "agreed to sanction" is a decision; "threatened to sanction" is not.
_DECIDED = frozenset("agreed decided voted moved directed ordered instructed authorised authorized".split())
_DECISION_REACH = 7  # tokens: "directed his administration to", "voted unanimously on Saturday to"
# tokens: "Wong said on Wednesday that 16 people and two conglomerates, X and Y, would face sanctions"
_REPORT_REACH = 25
_REPORTED = frozenset("said says announced announces announcing confirmed told tells telling".split())
# Words before a participle that make it an adjective ("the sanctioned oligarch").
_ADJECTIVAL = frozenset("the a an of for its their his her newly non those these other all any no".split())


@dataclass(frozen=True)
class Hit:
    trigger: Trigger
    start: int
    end: int
    close_start: int | None = None
    close_end: int | None = None

    @property
    def span_end(self) -> int:
        """Where the trigger's words end, the closing phrase included."""
        return self.close_end if self.close_end is not None else self.end


def find_triggers(text: str, sentence: Sentence) -> list[Hit]:
    """Every trigger in a sentence, earliest first, none overlapping another."""
    hits: list[Hit] = []
    taken: list[tuple[int, int]] = []
    body = text[sentence.start:sentence.end]
    for trigger, pattern in _COMPILED:
        for match in pattern.finditer(body):
            if trigger.form == LIST and match.start() != 0:
                continue
            start, end = sentence.start + match.start(), sentence.start + match.end()
            hit = Hit(trigger, start, end)
            if trigger.form == BETWEEN:
                closing = re.compile(trigger.close or "", re.IGNORECASE).search(
                    text, end, min(sentence.end, end + _CLOSE_WINDOW)
                )
                if closing is None:
                    continue
                hit = Hit(trigger, start, end, closing.start(), closing.end())
            if any(start < finish and begin < hit.span_end for begin, finish in taken):
                continue
            hits.append(hit)
            taken.append((start, hit.span_end))
    return sorted(hits, key=lambda found: found.start)


def is_hedged(sentence: Sentence, hit: Hit) -> bool:
    """A trigger that someone threatens, wants, denies or would do."""
    before = [t.lower for t in sentence.tokens if t.end <= hit.start][-4:]
    if not before:
        return False
    decision = [t.lower for t in sentence.tokens if t.end <= hit.start][-_DECISION_REACH:-1]
    if before[-1] == "to" and not _DECIDED & set(decision):
        return True  # "threatened to sanction"; not "voted unanimously on Saturday to sanction"
    if before[-1] == "be" and len(before) > 1 and before[-2] == "to":
        return True
    for word in before[-3:]:
        if word in _HEDGES:
            # "China said on Monday it would impose sanctions on": an announcement.
            return not (word in ("would", "will") and _reported(sentence, hit))
    return False


def _reported(sentence: Sentence, hit: Hit) -> bool:
    """'China said it would impose...', 'Canada will impose ..., Trudeau said': an announcement."""
    before = [t.lower for t in sentence.tokens if t.end <= hit.start][-_REPORT_REACH:]
    after = [t.lower for t in sentence.tokens if t.start >= hit.end]
    return any(word in _REPORTED for word in before) or "if" not in after and any(
        word in _REPORTED for word in after
    )


def is_adjectival(sentence: Sentence, hit: Hit) -> bool:
    """'the sanctioned oligarch', 'its list of designated groups': no event."""
    if hit.trigger.form != ACTIVE or hit.trigger.name not in ("sanctioned", "designated", "blacklisted", "named"):
        return False
    before = [t.lower for t in sentence.tokens if t.end <= hit.start]
    if not before or before[-1] in ("—", "–", "-", '"', "“", "(", ":"):
        return True  # "Sanctioned Russian banks were cut off...": an adjective opening the sentence
    return before[-1] in _ADJECTIVAL
