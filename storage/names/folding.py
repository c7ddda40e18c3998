"""Names reduced to comparable tokens, in any script.

A name is folded to lower-case ASCII tokens: accents dropped, Han characters
read as pinyin (a Chinese given name joined, as news copy writes it: 王君正 ->
wang junzheng), other scripts transliterated, titles and honorifics dropped.
The same folding serves ingest (merge keys, search index) and queries, so
the two can never disagree.

Company legal forms (Ltd, LLC, JSC...) say what kind of body a name is, not
which: the plain form drops the unambiguous ones at either end of a name, so
a query's legal form never rules a name out. Written out at either end
("Joint Stock Company", "Limited Liability Company") they fold to their
abbreviation in every form. Short forms that are also people's names (Co,
Sa, Ao, Pao) are dropped only where the target is known to be an
organisation (see `matching`, which also reads PAO as PJSC), or when
written dotted ("S.A.").
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from anyascii import anyascii

# Names need single-character readings only; pypinyin's phrase dictionary
# would cost each process some 50 MB for nothing.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
from pypinyin import lazy_pinyin  # noqa: E402

# Words that precede a name in news copy but are not part of it.
HONORIFICS = frozenset(
    """
    mr mrs ms miss dr prof sir dame lord lady president vice general gen lt col colonel
    major maj admiral adm captain capt commander minister prime premier secretary chairman
    chairwoman chair director governor gov senator sen rep representative deputy chief head
    leader king queen prince princess sheikh shaikh emir mullah ayatollah judge justice
    ambassador state councilor councillor mayor comrade marshal sergeant sgt brigadier
    excellency his her hon honourable honorable oligarch tycoon businessman businesswoman
    foreign defence defense interior baroness baron lord viscount count countess duke mp mep
    madam madame monsieur herr frau senior lieutenant lieut field rear air commodore cdr cmdr brig
    supreme grand first acting former
    """.split()
) | frozenset(  # hyphenated ranks fold to one word: "Lt-Gen" -> "ltgen"
    prefix + rank
    for prefix in "vice deputy lieutenant lt major maj brigadier brig rear field air chief senior first".split()
    for rank in "general gen admiral adm marshal president minister premier commander colonel col".split()
)
# Words that follow a name but are not part of it ("Tom Tugendhat MP").
POSTNOMINALS = frozenset({"mp", "mep", "jr", "sr", "qc", "kc", "phd", "obe", "mbe", "cbe"})
# Company legal forms no one bears as a name: optional wherever they stand at an end.
LEGAL_FORMS = frozenset("ltd limited llc plc inc corp jsc pjsc ojsc cjsc oao ooo gmbh llp".split())
# Legal forms that are also surnames, given names or initials (Co, Sa, Ao, Pao, A.G.).
AMBIGUOUS_LEGAL_FORMS = frozenset("co ao sa ag nv bv lp sas spa zao pao".split())
ALL_LEGAL_FORMS = LEGAL_FORMS | AMBIGUOUS_LEGAL_FORMS
# Legal forms written out, folded to their abbreviation at either end of a name
# ("Gazprombank Joint Stock Company" = "Gazprombank JSC"), so that neither
# spelling rules the other out and both merge. Only whole phrases fold: no
# person's name ends in "joint stock company". Hyphens join ("joint-stock").
_RU_JSC = ("aktsionernoe", "aktsionernoye")
SPELLED_OUT_LEGAL_FORMS: dict[tuple[str, ...], tuple[str, ...]] = {
    **{(*lead, "joint", "stock", "company"): (form,) for lead, form in
       [(("public",), "pjsc"), (("open",), "ojsc"), (("closed",), "cjsc"), ((), "jsc")]},
    **{(*lead, "jointstock", "company"): (form,) for lead, form in
       [(("public",), "pjsc"), (("open",), "ojsc"), (("closed",), "cjsc"), ((), "jsc")]},
    ("limited", "liability", "company"): ("llc",),
    ("limited", "liability", "partnership"): ("llp",),
    ("public", "limited", "company"): ("plc",),
    ("company", "limited"): ("co", "ltd"),
    ("limited",): ("ltd",),
    ("incorporated",): ("inc",),
    ("corporation",): ("corp",),
    ("aktiengesellschaft",): ("ag",),
    ("gesellschaft", "mit", "beschrankter", "haftung"): ("gmbh",),
    ("societe", "anonyme"): ("sa",),
    ("sociedad", "anonima"): ("sa",),
    # Russian forms as transliterated (anyascii reads Публичное акционерное общество so).
    **{(lead, ao, "obshchestvo"): (form,) for ao in _RU_JSC for lead, form in
       [("publichnoe", "pao"), ("publichnoye", "pao"), ("otkrytoe", "oao"), ("otkrytoye", "oao"),
        ("zakrytoe", "zao"), ("zakrytoye", "zao")]},
    **{(ao, "obshchestvo"): ("ao",) for ao in _RU_JSC},
    **{("obshchestvo", "s", limited, liability): ("ooo",)
       for limited in ("ogranichennoy", "ogranichennoi") for liability in ("otvetstvennostyu", "otvetstvennostiu")},
}
# The same legal form in Russian and in English, for scoring organisations
# (PAO Sberbank = PJSC Sberbank). Not a folding: Pao, Ao and Zao are also
# people's names, and a person's name keeps them as written.
LEGAL_FORM_EQUIVALENTS = {"pao": "pjsc", "oao": "ojsc", "zao": "cjsc", "ao": "jsc", "ooo": "llc"}
# A dotted legal form ending a name ("Carrefour S.A.", "Eni S.p.A."): letters and dots only.
_DOTTED_TAIL = re.compile(r"(?<=\S)([\s,]+)((?:[A-Za-z]\.)+[A-Za-z]?)\.?\s*$")
# "Putin's", "Putin’s": the possessive of the last word of a query.
_POSSESSIVE = re.compile(r"(?<=[^\W\d_]{2})['’ʼ][sS]\W*$")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Unicode categories of symbols (emoji, flags' letters, skin tones) and private-use points.
_SYMBOLS = frozenset({"So", "Sk", "Co", "Cs"})
# Scripts that write a name without spaces between its words.
_UNSPACED_SCRIPT = re.compile(r"[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\u3040-\u30FF]")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _is_han(char: str) -> bool:
    return bool(_HAN.match(char))


@lru_cache(maxsize=65536)
def name_tokens(name: str, keep_titles: bool = False, keep_legal_forms: bool = False) -> tuple[str, ...]:
    """The comparable tokens of a name: 'Wang Jun-zheng' -> ('wang', 'junzheng').

    The plain form (queries, people) drops titles, a possessive "'s" and
    unambiguous legal forms; `keep_titles` (organisations) keeps every word.
    """
    text, dotted_form = _joined_dotted_form(name)
    if keep_titles:
        return _without_article(abbreviated_legal_forms(tuple(_tokens(text))))
    tokens = list(_without_article(abbreviated_legal_forms(tuple(_tokens(_POSSESSIVE.sub("", text))))))
    # Titles precede a name ("Foreign Minister Sergei Lavrov"); a name made
    # only of such words ("General") keeps them.
    first = 0
    while first < len(tokens) and tokens[first] in HONORIFICS:
        first += 1
    last = len(tokens)
    while last > first + 1 and tokens[last - 1] in POSTNOMINALS:
        last -= 1
    if first < last:
        tokens = tokens[first:last]
    if keep_legal_forms:
        return tuple(tokens)
    if dotted_form and len(tokens) > 1 and tokens[-1] == dotted_form:
        tokens = tokens[:-1]
    return without_legal_forms(tuple(tokens), LEGAL_FORMS)


def _without_article(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """'The Wagner Group' as 'Wagner Group': the article says nothing of which body it is."""
    return tokens[1:] if len(tokens) > 1 and tokens[0] == "the" else tokens


def without_legal_forms(tokens: tuple[str, ...], forms: frozenset[str] = ALL_LEGAL_FORMS) -> tuple[str, ...]:
    """The tokens without legal forms at either end; a name made only of them keeps one."""
    first, last = 0, len(tokens)
    while last - first > 1 and tokens[first] in forms:
        first += 1
    while last - first > 1 and tokens[last - 1] in forms:
        last -= 1
    return tokens[first:last]


_PHRASES = sorted(SPELLED_OUT_LEGAL_FORMS, key=len, reverse=True)  # longest first
_PHRASE_ENDS = frozenset(phrase[0] for phrase in _PHRASES) | frozenset(phrase[-1] for phrase in _PHRASES)


def abbreviated_legal_forms(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Legal forms written out at either end of a name as their abbreviations, longest phrase first."""
    if not tokens or tokens[0] not in _PHRASE_ENDS and tokens[-1] not in _PHRASE_ENDS:
        return tokens
    phrases = _PHRASES
    head: list[str] = []
    tail: list[str] = []
    rest = tokens
    folded = True
    while folded:
        folded = False
        for phrase in phrases:
            size = len(phrase)
            if len(rest) > size and rest[:size] == phrase:
                head.extend(SPELLED_OUT_LEGAL_FORMS[phrase])
                rest, folded = rest[size:], True
                break
            if len(rest) > size and rest[-size:] == phrase:
                tail[:0] = SPELLED_OUT_LEGAL_FORMS[phrase]
                rest, folded = rest[:-size], True
                break
    return tokens if not head and not tail else (*head, *rest, *tail)


def equivalent_legal_forms(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The legal forms at either end of an organisation's name in English (pao -> pjsc)."""
    first, last = 0, len(tokens)
    while first < last and tokens[first] in ALL_LEGAL_FORMS:
        first += 1
    while last > first and tokens[last - 1] in ALL_LEGAL_FORMS:
        last -= 1
    if first == last:  # a name made only of legal forms keeps them as written
        return tokens
    ends = [*range(first), *range(last, len(tokens))]
    if not any(tokens[i] in LEGAL_FORM_EQUIVALENTS for i in ends):
        return tokens
    return tuple(LEGAL_FORM_EQUIVALENTS.get(t, t) if i in ends else t for i, t in enumerate(tokens))


def _joined_dotted_form(name: str) -> tuple[str, str]:
    """'Carrefour S.A.' -> ('Carrefour SA', 'sa'): dotted letters would fold to loose initials.

    Only a legal form ending a name is joined: dotted initials elsewhere
    ("A.G. Smith") stay initials.
    """
    match = _DOTTED_TAIL.search(name)
    if match is None:
        return name, ""
    letters = match.group(2).replace(".", "")
    if letters.lower() not in ALL_LEGAL_FORMS or len(letters) < 2:
        return name, ""
    return f"{name[:match.start()]}{match.group(1)}{letters}", letters.lower()


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for chunk in _split_scripts(text):
        if chunk and _is_han(chunk[0]):
            tokens.extend(_han_tokens(chunk))
        else:
            tokens.extend(_latin_tokens(chunk))
    return tokens


def merge_key(name: str, keep_titles: bool = False) -> str:
    """Order-insensitive key of a full name: two names with one key are one target."""
    return " ".join(sorted(name_tokens(name, keep_titles)))


# Transliteration rules that fold common Latin spellings of one Cyrillic or
# Chinese name together (Aleksandr/Alexander, Navalnyy/Navalny).
_SKELETON_RULES = [
    (r"oo", "u"), (r"(?<=[aeiou])j", "y"),
    (r"ks", "x"), (r"kh", "h"), (r"iy$", "i"), (r"yy$", "y"), (r"y$", "i"), (r"ii$", "i"),
    (r"ph", "f"), (r"w", "v"), (r"ck", "k"), (r"ya", "ia"), (r"yu", "iu"), (r"ye", "e"),
    (r"yo", "io"), (r"ts", "c"), (r"sch", "sh"), (r"(.)\1", r"\1"), (r"er$", "r"),
    (r"a$", "o"),
]


_SKELETON = [(re.compile(pattern), replacement) for pattern, replacement in _SKELETON_RULES]


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """A rough transliteration-insensitive form of a token."""
    result = token
    for pattern, replacement in _SKELETON:
        result = pattern.sub(replacement, result)
    return result




def full_names(names: list[str], kind: str) -> list[str]:
    """A person's names without lone short forms ("Lukashenko") when a full one exists.

    The short form is only the article's way of referring back; as a name it
    would make a surname look like a whole person. One word of a script
    written without spaces is a whole name (see `is_whole_name`).
    """
    if kind != "person":
        return names
    full = [n for n in names if is_whole_name(n, name_tokens(n))]
    return full or names


def is_whole_name(name: str, tokens: tuple[str, ...]) -> bool:
    """Two words or more, or one in Thai, Lao, Burmese, Khmer or kana (မင်းအောင်လှိုင် is Min Aung Hlaing)."""
    return len(tokens) >= 2 or bool(tokens) and bool(_UNSPACED_SCRIPT.search(name))


def aliases_of(canonical: str, names: Iterable[str]) -> list[str]:
    """The other names of a target, once each whatever their case, sorted."""
    seen = {canonical.casefold()}
    aliases = []
    for name in sorted(names):
        if name.casefold() not in seen:
            seen.add(name.casefold())
            aliases.append(name)
    return aliases


def compact(tokens: tuple[str, ...] | list[str]) -> str:
    return "".join(tokens)


def has_han(text: str) -> bool:
    return any(_is_han(c) for c in text)


def _split_scripts(name: str) -> list[str]:
    """Runs of Han characters apart from the rest, so each gets its own reading."""
    runs: list[str] = []
    current = ""
    for char in name:
        if current and _is_han(char) != _is_han(current[-1]):
            runs.append(current)
            current = ""
        current += char
    if current:
        runs.append(current)
    return runs


# Surnames read otherwise than the same character in other words (曾 is Zeng
# as a family name, ceng elsewhere).
_SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "区": "ou", "仇": "qiu", "朴": "piao", "查": "zha",
    "盖": "ge", "乐": "yue", "覃": "qin", "缪": "miao", "翟": "zhai", "重": "chong", "曲": "qu",
    "召": "shao", "种": "chong", "柏": "bai", "员": "yun", "尉": "yu", "繁": "po",
}


def _han_tokens(run: str) -> list[str]:
    syllables = [s for s in lazy_pinyin(run, v_to_u=True) if s.strip()]
    if syllables and run[0] in _SURNAME_READINGS:
        syllables[0] = _SURNAME_READINGS[run[0]]
    syllables = [_fold_latin(s) for s in syllables]
    if len(syllables) <= 1:
        return syllables
    # Surname first, the given name joined: 王君正 -> wang junzheng. Compound
    # surnames (欧阳) are rare enough that the spacing tolerance of the matcher
    # covers them.
    return [syllables[0], "".join(syllables[1:])]


def _latin_tokens(text: str) -> list[str]:
    if not text.isascii():
        # Emoji and other symbols are no part of a name, and anyascii would
        # spell them out ("putin 🇷🇺" -> putin ru, "🙂" -> slight smile).
        text = "".join(" " if unicodedata.category(char) in _SYMBOLS else char for char in text)
    spaced = _CAMEL.sub(" ", anyascii(text)) if not text.isascii() else text
    folded = _fold_latin(spaced)
    # Hyphens and apostrophes join (Jun-zheng, O'Brien); other punctuation splits.
    folded = re.sub(r"(?<=\w)['\-‐–](?=\w)", "", folded)
    return [t for t in re.split(r"[^a-z0-9]+", folded) if t]


def _fold_latin(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return anyascii(stripped).lower().replace("’", "'")
