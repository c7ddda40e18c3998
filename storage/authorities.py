"""The authorities that impose sanctions, under the names news copy uses.

One canonical authority per body, so that "the Treasury" in one article and
"OFAC" in another are one authority, and two reports of one designation merge.
An authority that is not listed here is kept as written, never dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Authority:
    name: str
    jurisdiction: str | None
    known: bool = True


# canonical name, jurisdiction, names in news copy (matched whole-word,
# case- and accent-insensitively, after "the" and possessives are dropped).
_GAZETTEER: list[tuple[str, str, tuple[str, ...]]] = [
    ("U.S. Department of the Treasury", "US", (
        "treasury", "treasury department", "us treasury", "us treasury department", "treasury dept",
        "department of the treasury", "us department of the treasury", "ofac",
        "office of foreign assets control", "treasury secretary", "american treasury",
        "united states treasury", "washington treasury",
    )),
    ("U.S. Department of State", "US", (
        "state department", "us state department", "department of state", "state dept", "us state dept",
        "us department of state", "secretary of state", "us secretary of state",
    )),
    ("U.S. Department of Commerce", "US", (
        "commerce department", "us commerce department", "department of commerce",
        "bureau of industry and security", "entity list",
    )),
    ("United States Government", "US", (
        "us", "usa", "united states", "america", "washington", "us government",
        "biden administration", "trump administration", "obama administration",
        "white house", "us administration", "biden government", "trump government",
        "american government", "united states government",
    )),
    ("Council of the European Union", "EU", (
        "eu", "european union", "bloc", "brussels", "council of the eu",
        "council of the european union", "eu council", "european council",
        "eu foreign ministers", "eu member states", "27-nation bloc", "27 nation bloc",
        "eu governments", "european union council",
    )),
    ("UK Government", "GB", (
        "uk", "united kingdom", "britain", "great britain", "london", "uk government",
        "british government", "government of the united kingdom", "hm treasury",
        "her majesty's treasury", "his majesty's treasury", "ofsi",
        "office of financial sanctions implementation", "fcdo", "foreign office",
        "foreign commonwealth and development office",
        "foreign commonwealth & development office", "uk foreign office", "foreign secretary",
        "uk foreign secretary", "british foreign secretary",
        "british foreign office", "uk treasury", "british treasury", "whitehall",
    )),
    ("Government of Canada", "CA", (
        "canada", "ottawa", "canadian government", "government of canada",
        "global affairs canada", "canadian foreign ministry",
    )),
    ("United Nations Security Council", "UN", (
        "un security council", "united nations security council", "security council",
        "unsc", "un", "united nations", "un sanctions committee",
        "security council sanctions committee",
    )),
    ("Government of China", "CN", (
        "china", "beijing", "chinese government", "prc", "people's republic of china",
        "chinese foreign ministry", "china foreign ministry", "ministry of foreign affairs of china",
        "chinese ministry of foreign affairs", "chinese ministry of commerce", "mofcom",
        "china ministry of commerce",
    )),
    ("Government of Australia", "AU", (
        "australia", "canberra", "australian government", "government of australia",
        "dfat", "department of foreign affairs and trade",
    )),
    ("Swiss Federal Council", "CH", (
        "switzerland", "bern", "berne", "swiss government", "swiss federal council",
        "federal council", "seco", "state secretariat for economic affairs", "swiss",
    )),
    ("Government of Japan", "JP", (
        "japan", "tokyo", "japanese government", "government of japan",
        "japan foreign ministry", "japanese foreign ministry",
    )),
    ("Government of New Zealand", "NZ", (
        "new zealand", "wellington", "new zealand government",
    )),
    ("Government of Norway", "NO", ("norway", "oslo", "norwegian government")),
    ("Government of South Korea", "KR", ("south korea", "seoul", "south korean government")),
    ("Government of Ukraine", "UA", ("ukraine", "kyiv", "kiev", "ukrainian government")),
    ("Government of Russia", "RU", ("russia", "moscow", "kremlin", "russian government")),
]

# The same bodies as copy in other languages calls them (wire stories in
# Chinese, Russian, French, Spanish, German), so that a report in any of them
# merges with the English one instead of standing beside it with no jurisdiction.
_OTHER_LANGUAGES: dict[str, tuple[str, ...]] = {
    "U.S. Department of the Treasury": (
        "美国财政部", "美國財政部", "美国财政部外国资产控制办公室", "外国资产控制办公室",
        "минфин сша", "министерство финансов сша", "казначейство сша", "минфин", "ofac минфина сша",
        "département du trésor", "trésor américain", "departamento del tesoro", "tesoro de estados unidos",
        "us-finanzministerium", "amerikanisches finanzministerium",
    ),
    "U.S. Department of State": (
        "美国国务院", "美國國務院", "госдепартамент", "госдеп", "госдепартамент сша",
        "département d'état", "departamento de estado",
    ),
    "United States Government": (
        "美国", "美國", "美国政府", "сша", "правительство сша", "соединенные штаты",
        "états-unis", "estados unidos", "vereinigte staaten",
    ),
    "Council of the European Union": (
        "欧盟", "歐盟", "欧洲联盟", "欧盟理事会", "евросоюз", "европейский союз", "ес", "совет ес",
        "union européenne", "ue", "conseil de l'ue", "unión europea", "europäische union",
    ),
    "UK Government": (
        "英国", "英國", "英国政府", "великобритания", "британия", "соединенное королевство",
        "правительство великобритании", "royaume-uni", "reino unido", "großbritannien",
    ),
    "United Nations Security Council": (
        "联合国", "联合国安理会", "安理会", "оон", "совбез оон", "совет безопасности оон",
        "onu", "conseil de sécurité", "consejo de seguridad",
    ),
    "Government of China": ("中国", "中国政府", "中国外交部", "中国商务部", "китай"),
    "Government of Canada": ("加拿大", "канада"),
    "Government of Australia": ("澳大利亚", "澳洲", "австралия"),
    "Government of Japan": ("日本", "日本政府", "япония"),
    "Swiss Federal Council": ("瑞士", "швейцария", "suisse", "schweiz"),
    "Government of Russia": ("俄罗斯", "россия"),
    "Government of Ukraine": ("乌克兰", "украина"),
}

_JURISDICTIONS: dict[str, tuple[str, ...]] = {
    # Capitals too: news copy says "Washington" for every US authority.
    "US": ("us", "usa", "united states", "america", "american", "washington"),
    "EU": ("eu", "european union", "europe", "brussels"),
    "GB": ("uk", "gb", "united kingdom", "britain", "great britain", "british", "london"),
    "CA": ("canada", "canadian", "ottawa"),
    "UN": ("un", "united nations"),
    "CN": ("china", "chinese", "beijing"),
    "AU": ("australia", "australian", "canberra"),
    "CH": ("switzerland", "swiss", "bern", "berne"),
    "JP": ("japan", "japanese", "tokyo"),
}


def normalise_authority(text: str) -> str:
    """A lookup key: lower case, no accents, no 'the', no possessive, no dots."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = plain.replace("’", "'")
    plain = re.sub(r"\b([a-z])\.(?=[a-z]\.)", r"\1", plain)  # u.s. -> us.
    plain = re.sub(r"\b([a-z])\.", r"\1", plain)
    plain = re.sub(r"'s\b", "", plain)
    plain = re.sub(r"[^\w&' -]+", " ", plain)
    plain = re.sub(r"^(?:the)\s+", "", " ".join(plain.split()))
    return plain.strip()


_BY_NAME: dict[str, Authority] = {}
for _canonical, _jurisdiction, _names in _GAZETTEER:
    _authority = Authority(_canonical, _jurisdiction)
    _BY_NAME[normalise_authority(_canonical)] = _authority
    for _name in (*_names, *_OTHER_LANGUAGES.get(_canonical, ())):
        _BY_NAME[normalise_authority(_name)] = _authority
# Longest names first, so "us treasury" wins over "us" inside a longer phrase.
_BY_LENGTH = sorted(_BY_NAME, key=len, reverse=True)


def resolve_authority(text: str) -> Authority:
    """The canonical authority for what an article calls it, or it as written."""
    key = normalise_authority(text)
    if key in _BY_NAME:
        return _BY_NAME[key]
    for name in _BY_LENGTH:
        if len(name) > 3 and re.search(rf"\b{re.escape(name)}\b", key):
            return _BY_NAME[name]
    written = " ".join(text.split())
    return Authority(re.sub(r"^[Tt]he\s+", "", written) or written, None, known=False)


def news_names() -> list[str]:
    """Every name of the gazetteer as a lookup key, longest first.

    For finding authority mentions in raw text (the extractor): each key is
    what `normalise_authority` makes of a name, so "u.s." appears as "us".
    """
    return list(_BY_LENGTH)


def known_authority(text: str) -> Authority | None:
    """An authority of the gazetteer, for a journalist's `by ...` query."""
    resolved = resolve_authority(text)
    return resolved if resolved.known else None


def jurisdiction_named(text: str) -> str | None:
    """'US', 'EU'... when a query names a whole jurisdiction, else None."""
    key = normalise_authority(text)
    for code, names in _JURISDICTIONS.items():
        if key == code.lower() or key in names:
            return code
    return None


# Jurisdictions as a reader names them before a noun ("US sanctions", "one Canadian imposition").
_ADJECTIVES = {"GB": "UK", "CA": "Canadian", "AU": "Australian", "CH": "Swiss", "JP": "Japanese",
               "NZ": "New Zealand", "CN": "Chinese", "RU": "Russian", "UA": "Ukrainian"}


def jurisdiction_adjective(code: str | None) -> str | None:
    """"US", "EU", "UN", "UK", "Canadian"…; None for a code without a reader's name."""
    if not code:
        return None
    return _ADJECTIVES.get(code, code if code in {"US", "EU", "UN"} else None)
