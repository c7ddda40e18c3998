"""Names as journalists type them find the right person, and only them."""

import pytest

from storage.matching import pick_best, score_names
from storage.names import merge_key, name_tokens

PEOPLE = {
    "Wang Junzheng": ["Wang Junzheng", "王君正"],
    "Wang Mingshan": ["Wang Mingshan"],
    "Chen Mingguo": ["Chen Mingguo"],
    "Chen Quanguo": ["Chen Quanguo"],
    "Alexander Lukashenko": ["Alexander Lukashenko", "Aliaksandr Lukashenka"],
    "Reinhard Bütikofer": ["Reinhard Bütikofer"],
}


def ranked(query: str) -> list[tuple[str, float]]:
    scores = [(name, score_names(query, names).score) for name, names in PEOPLE.items()]
    return sorted([s for s in scores if s[1] >= 0.5], key=lambda s: -s[1])


def best(query: str) -> str | None:
    results = ranked(query)
    index = pick_best([score for _, score in results])
    return None if index is None else results[index][0]


@pytest.mark.parametrize(
    "query",
    ["wang junzheng", "WANG JUNZHENG", "Junzheng Wang", "wang jun zheng", "Wang Jun-zheng",
     "wang junzhen", "wnag junzheng", "王君正", "Mr Wang Junzheng"],
)
def test_spellings_of_one_person_find_him(query: str) -> None:
    assert best(query) == "Wang Junzheng"


@pytest.mark.parametrize(
    ("query", "expected"),
    [("reinhard butikofer", "Reinhard Bütikofer"), ("Aleksandr Lukashenko", "Alexander Lukashenko"),
     ("lukashenka", "Alexander Lukashenko"), ("President Lukashenko", "Alexander Lukashenko")],
)
def test_accents_transliteration_and_titles(query: str, expected: str) -> None:
    assert best(query) == expected


@pytest.mark.parametrize("query", ["chen", "wang"])
def test_a_shared_surname_gives_everyone_and_no_best(query: str) -> None:
    assert best(query) is None
    assert len(ranked(query)) == 2


@pytest.mark.parametrize("query", ["wang yi", "xi jinping", "wang mingguo", "chen junzheng"])
def test_other_people_are_never_matched(query: str) -> None:
    assert ranked(query) == []


def test_han_names_merge_with_their_pinyin() -> None:
    assert merge_key("王君正") == merge_key("Junzheng Wang") == merge_key("Wang Jun-zheng")
    assert name_tokens("Foreign Minister Sergei Lavrov") == ("sergei", "lavrov")
