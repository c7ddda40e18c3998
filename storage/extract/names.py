"""People and organisations as capitalised runs of words, and what they are.

Without a trained model a name is a run of capitalised tokens, joined across
the small words that occur inside names (bin, de, "Institute for ... Studies",
"Production and Construction Corps"). Titles, nationalities and sentence
openers in front of a name are not part of it, nor is a nationality that
describes an organisation (`describing_nationality`), and a number of people
is not a name (`counts_people`). Whether a run is a person or an
organisation comes from the words in it (Bureau, Group, Institute...) or the
words in front of it ("companies", "lawmaker").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from storage.extract.text import Token
from storage.names.folding import HONORIFICS

# Words that make a run of capitalised words an organisation.
ORG_WORDS = frozenset(
    """
    bureau committee subcommittee commission council institute institution university academy
    ministry department agency service services office corps company corporation corp co inc
    ltd llc plc group holding holdings bank fund foundation association union party front army
    guard guards force forces brigade battalion militia movement organisation organization trust
    enterprise enterprises industries industry chambers tribunal court network center centre
    authority administration directorate parliament assembly media television tv channel airlines
    airways shipping energy oil gas petroleum mining metals jewellery watch research lab
    laboratory society alliance institute federation board unit division mission commission republic act
    """.split()
)
# Organisation words that close names of the form "X and Y Committee".
BODY_WORDS = frozenset(
    """
    committee subcommittee commission council corps office bureau department ministry service services agency
    administration directorate authority institute
    """.split()
)
# Words in front of a name that say what kind of target it is.
ORG_DESCRIPTORS = frozenset(
    """
    company companies firm firms entity entities body bodies institution institutions organisation
    organisations organization organizations group groups channel channels bank banks charity
    charities ministry ministries business businesses vessel vessels ship ships tanker tankers
    producer producers manufacturer exporter network outlet outlets tank agency agencies
    """.split()
)
KINSHIP = frozenset("son daughter wife husband brother sister father mother cousin nephew niece".split())
# Titles and ranks in front of a name, beyond the honorifics ingest drops.
TITLES = HONORIFICS | frozenset(
    """
    senior vice prosecutor attorney representative representatives senators sen rep mep meps mp mps
    supreme chancellor speaker commissioner spokesman spokeswoman envoy executive ceo founder
    commander officer patriarch bishop archbishop cardinal field air acting former ex first
    assistant undersecretary lieutenant sheikh crown emir chief minister ministers generals
    presidents premier dictator strongman warlord mr. mrs. ms. dr.
    """.split()
)
PARTY_WORDS = frozenset(
    "green greens labour conservative tory republican democrat democratic liberal socialist communist".split()
)
DEMONYMS = frozenset(
    """
    american british chinese russian belarusian ukrainian iranian syrian korean german french dutch
    belgian lithuanian latvian estonian polish swedish danish norwegian finnish swiss italian spanish
    portuguese greek turkish israeli palestinian saudi emirati qatari iraqi afghan pakistani indian
    japanese burmese venezuelan cuban nicaraguan mexican canadian australian chechen hungarian czech
    slovak slovakian romanian bulgarian serbian croatian bosnian georgian armenian azerbaijani kazakh
    uzbek libyan egyptian sudanese somali ethiopian eritrean nigerian malian zimbabwean lebanese
    yemeni jordanian kuwaiti bahraini omani congolese european western uyghur tibetan kurdish
    crimean north south east west irish scottish welsh english austrian brazilian argentine
    colombian chilean peruvian bolivian ecuadorian haitian cambodian thai vietnamese laotian
    malaysian indonesian filipino singaporean mongolian tajik kyrgyz turkmen moldovan transnistrian
    hongkonger taiwanese
    """.split()
)
# Peoples, regions and compass words: part of names ("Uyghur Tribunal", "North Korean..."), never only a nationality.
_NOT_NATIONALITIES = frozenset(
    """
    uyghur tibetan kurdish chechen crimean european western north south east west transnistrian hongkonger
    """.split()
)
# Places are where things happen, not targets of a listing.
PLACES = frozenset(
    """
    russia china iran syria belarus venezuela myanmar burma cuba nicaragua crimea xinjiang tibet
    ukraine afghanistan iraq libya sudan yemen lebanon gaza israel palestine taiwan hong kong macao
    macau moscow beijing kyiv kiev minsk tehran caracas damascus pyongyang washington london brussels
    paris berlin ottawa canberra tokyo geneva bern mainland donbas donetsk luhansk chechnya kashmir
    pakistan india turkey europe asia africa america canada britain japan australia switzerland
    norway germany france italy spain poland lithuania latvia estonia sweden denmark finland hungary
    korea north south zimbabwe eritrea mali somalia ethiopia georgia armenia azerbaijan kazakhstan
    uzbekistan tajikistan kyrgyzstan turkmenistan moldova serbia bosnia montenegro albania kosovo
    egypt saudi arabia qatar bahrain kuwait oman jordan emirates uae argentina brazil colombia
    mexico peru bolivia ecuador haiti cambodia thailand vietnam laos malaysia indonesia philippines
    singapore mongolia alaska siberia
    """.split()
)
# Capitalised words that open sentences or stand before names without being
# part of them.
OPENERS = frozenset(
    """
    the a an in on at by for from to of with as it its he she his her they their them we our i you
    this that these those there here but and or also among after before under while when where which
    who whom whose what why how if then meanwhile separately however both several some any all each
    every other others another one two three four five six seven eight nine ten eleven twelve dozens
    most many few no not yet still instead earlier later today yesterday tomorrow last next new
    according despite although though because since until unless once so such only even just than
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december mr mrs ms
    """.split()
)
# Title words that end a title: what comes after them is the name.
_RANKS = frozenset(
    """
    president minister secretary speaker general senator governor ambassador director chairman chairwoman
    commissioner commander chief leader premier chancellor prosecutor envoy spokesman spokeswoman adviser
    advisor mayor judge king queen prince emir sheikh ayatollah
    """.split()
)
_AUTHORITY_ADJECTIVES = frozenset("u.s. us u.k. uk eu e.u. un u.n. house senate white state national".split())
_PARTICLES = frozenset("bin ibn al el ul ud de da di du van von der den la le dos das del".split())
_ORG_LINKS = frozenset(("of", "for", "on", "and", "&"))
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")


@dataclass(frozen=True)
class Chunk:
    """A run of capitalised tokens (token indices first..last inclusive)."""

    first: int
    last: int
    start: int  # offsets of the name once titles are dropped
    end: int
    label: str  # PERSON or ORG
    possessive: bool
    title_start: int | None  # offset where leading titles began, when there were any
    described_from: int | None = None  # "Danish" in "Danish Alliance of Democracies Foundation"

    def words(self, text: str) -> list[str]:
        return text[self.start:self.end].split()

    def aliases(self, text: str) -> tuple[str, ...]:
        """The name as written with the words that describe it, kept in case they are part of it."""
        return (text[self.described_from:self.end],) if self.described_from is not None else ()


def fold(word: str) -> str:
    """Lower case without accents, for comparing names."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().replace("’", "'")


def is_name_word(token: Token) -> bool:
    text = token.text
    if text[:1].isupper():
        return True
    return bool(re.match(r"^(?:al|el|ul|ud|ad|as|ash|bin)-[A-Z]", text))


def name_chunks(text: str, tokens: tuple[Token, ...]) -> list[Chunk]:
    """Every run of capitalised tokens in a sentence, as a person or organisation."""
    chunks: list[Chunk] = []
    index = 0
    while index < len(tokens):
        if not _starts_name(tokens, index):
            index += 1
            continue
        last = _extend(tokens, index)
        chunk = _make_chunk(text, tokens, index, last)
        if chunk is not None:
            chunks.append(chunk)
        index = last + 1
    return chunks


def _starts_name(tokens: tuple[Token, ...], index: int) -> bool:
    token = tokens[index]
    if is_name_word(token):
        return True
    # "112 Ukraine": a number that opens a name, never a year.
    return (
        token.text.isdigit() and not _YEAR.match(token.text) and index + 1 < len(tokens)
        and is_name_word(tokens[index + 1]) and fold(tokens[index + 1].text) not in OPENERS
        and not counts_people(tokens, index)
    )


# Rules on what is not part of a name, each a small function of the tokens of a run.
def counts_people(tokens: tuple[Token, ...], index: int) -> bool:
    """'11 Americans', '18 Russians': a number of people of a nationality, not a name."""
    following = fold(tokens[index + 1].text)
    return (following.endswith("s") and following[:-1] in DEMONYMS) or following in ("chinese", "swiss", "burmese")


def describing_nationality(words: list[str], begin: int) -> bool:
    """'the Danish Alliance of Democracies Foundation': a nationality in front of a full organisation name.

    Only when the rest has two organisation words of its own ("Alliance ... Foundation",
    "Revolutionary Guard Corps"): in "Russian Direct Investment Fund" or "Uyghur Tribunal" the
    nationality is part of the name.
    """
    rest = words[begin + 1:]
    return (
        words[begin] in DEMONYMS and words[begin] not in _NOT_NATIONALITIES
        and sum(word in ORG_WORDS for word in rest) >= 2
    )


def _extend(tokens: tuple[Token, ...], first: int) -> int:
    last = first
    while last + 1 < len(tokens):
        following = tokens[last + 1]
        if is_name_word(following) and following.text not in ("'s", "’s"):
            last += 1
            continue
        joined = (
            _initial(tokens, last) or _number_inside(tokens, last) or _join_across(tokens, first, last)
            or _parenthesised_place(tokens, first, last)
        )
        if joined is None:
            break
        last = joined
    return last


def _number_inside(tokens: tuple[Token, ...], last: int) -> int | None:
    """'Nord Stream 2 AG': a number between two capitalised words is part of the name (a year is not)."""
    number = tokens[last + 1]
    if not number.text.isdigit() or _YEAR.match(number.text) or last + 2 >= len(tokens):
        return None
    following = tokens[last + 2]
    return last + 2 if is_name_word(following) and fold(following.text) not in OPENERS else None


def _initial(tokens: tuple[Token, ...], last: int) -> int | None:
    """'Yevgeny V. Prigozhin': a middle initial and its full stop are part of the name."""
    initial, stop = tokens[last], tokens[last + 1]
    if not (len(initial.text) == 1 and initial.text.isupper() and stop.text == "." and stop.start == initial.end):
        return None
    if last + 2 < len(tokens) and is_name_word(tokens[last + 2]) and fold(tokens[last + 2].text) not in OPENERS:
        return last + 2
    return None


def _parenthesised_place(tokens: tuple[Token, ...], first: int, last: int) -> int | None:
    """'Cosco Shipping Tanker (Dalian)': a company's place in brackets is part of its name, an acronym is not."""
    if tokens[last + 1].text != "(" or not any(fold(t.text) in ORG_WORDS for t in tokens[first:last + 1]):
        return None
    close = last + 2
    while close < len(tokens) and close - last <= 5 and is_name_word(tokens[close]):
        close += 1
    inside = tokens[last + 2:close]
    if not inside or close >= len(tokens) or tokens[close].text != ")":
        return None
    if len(inside) == 1 and inside[0].text.isupper():
        return None  # "(IRGC)"
    return close


def _join_across(tokens: tuple[Token, ...], first: int, last: int) -> int | None:
    """Index of the last token when the run goes on across a small word, else None."""
    link = tokens[last + 1].lower
    after = last + 2
    if link in _PARTICLES and after < len(tokens) and is_name_word(tokens[after]):
        return _run_end(tokens, after)
    if link not in _ORG_LINKS:
        return None
    if link == "&" and after < len(tokens) and is_name_word(tokens[after]):
        return _run_end(tokens, after)  # "Raytheon Missiles & Defense", "Johnson & Johnson"
    if after < len(tokens) and tokens[after].lower == "the" and link in ("of", "for", "on"):
        after += 1
    if after >= len(tokens) or not is_name_word(tokens[after]) or fold(tokens[after].text) in OPENERS:
        return None
    end = _run_end(tokens, after)
    words_so_far = [fold(t.text) for t in tokens[first:last + 1]]
    if link in ("of", "for", "on"):
        if describes_a_common_noun(tokens, after, end):
            return None  # "the Fourth Division of the Syrian army"
        return end if any(w in ORG_WORDS for w in words_so_far) else None
    right = [fold(t.text) for t in tokens[after:end + 1]]
    if right[-1] in BODY_WORDS and not any(w in ORG_WORDS for w in words_so_far):
        # "Production and Construction Corps"; not "Uyghur Tribunal and Essex Court Chambers",
        # nor "Rusal and En+ Group" (a company word follows a brand, not a pair of words).
        return end
    inside_org_tail = any(
        w in ORG_WORDS and i + 1 < len(words_so_far) and words_so_far[i + 1] in ("of", "for", "on")
        for i, w in enumerate(words_so_far)
    )
    if inside_org_tail and len(right) <= 2:
        return end  # "Institute of Organic Chemistry and Technology"
    return None


def describes_a_common_noun(tokens: tuple[Token, ...], first: int, last: int) -> bool:
    """'of the Syrian army', 'of the Russian military': nationalities before a lower-case noun are no name."""
    following = tokens[last + 1] if last + 1 < len(tokens) else None
    return (
        following is not None and following.text.isalpha() and following.text.islower()
        and all(fold(t.text) in DEMONYMS for t in tokens[first:last + 1])
    )


def _run_end(tokens: tuple[Token, ...], index: int) -> int:
    while index + 1 < len(tokens) and is_name_word(tokens[index + 1]) and tokens[index + 1].text not in ("'s", "’s"):
        index += 1
    return index


def _make_chunk(text: str, tokens: tuple[Token, ...], first: int, last: int) -> Chunk | None:
    words = [fold(t.text) for t in tokens[first:last + 1]]
    is_org = any(w in ORG_WORDS for w in words)
    begin = 0
    while begin < len(words) and (words[begin] in OPENERS or words[begin].endswith("-based")):
        begin += 1  # "The", "Iraq-based"
    title_begin = begin
    described_from = None
    if is_org and begin < len(words) and describing_nationality(words, begin):
        described_from = tokens[first + begin].start
        begin += 1
    if not is_org:
        while begin < len(words) and _is_title_word(words[begin]):
            begin += 1
        # "U.S. House Speaker Nancy Pelosi": whatever stands before the last title is part of it.
        last_title = max((i for i in range(begin, len(words) - 1) if words[i] in _RANKS), default=None)
        if last_title is not None:
            begin = last_title + 1
    if begin >= len(words):
        return None  # only titles or nationalities: "Chinese", "Foreign Minister"
    possessive = last + 1 < len(tokens) and tokens[last + 1].text in ("'s", "’s", "'", "’")
    start_token = tokens[first + begin]
    label = "ORG" if is_org or _looks_like_org(tokens[first + begin:last + 1]) else "PERSON"
    return Chunk(
        first=first + begin,
        last=last,
        start=start_token.start,
        end=tokens[last].end,
        label=label,
        possessive=possessive,
        title_start=tokens[first + title_begin].start if title_begin < begin and described_from is None else None,
        described_from=described_from,
    )


def _is_title_word(word: str) -> bool:
    return word in TITLES or word in DEMONYMS or word in PARTY_WORDS or word in _AUTHORITY_ADJECTIVES


def _looks_like_org(tokens: tuple[Token, ...]) -> bool:
    if any(t.text[:1].isdigit() for t in tokens):
        return True
    if len(tokens) != 1:
        return False
    word = tokens[0].text
    letters = re.sub(r"[^A-Za-z]", "", word)
    return (
        (len(letters) >= 2 and letters.isupper())  # ZIK, FSB
        or bool(re.search(r"[a-z][A-Z]", word))  # NewsOne, EuroSibEnergo
        or "-" in word or "+" in word or "&" in word  # Jamaat-ud-Dawa, En+
    )


def is_place(words: list[str]) -> bool:
    """A place or a people ("Crimea", "North Korea", "Europeans"): never a target of a listing."""
    folded = [fold(w) for w in words]
    return all(w in PLACES or w in DEMONYMS or w.endswith("s") and w[:-1] in DEMONYMS for w in folded)
