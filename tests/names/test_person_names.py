"""Names as journalists type them find the right person, and only them."""

import pytest

from storage.names.folding import merge_key, name_tokens
from storage.names.scoring import distinctive_words, pick_best, score_names

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


@pytest.mark.parametrize(
    ("name", "distinctive"),
    [("PJSC Gazprom Neft", ("gazprom", "neft")), ("Sberbank of Russia", ("sberbank",)),
     ("Rosneft Oil Company", ("rosneft",)), ("UC Rusal PLC", ("rusal",)),
     ("Mercator Institute for China Studies", ("mercator",)), ("Bank of China", ("bank", "china")),
     ("Sberbank Europe AG", ("sberbank", "europe")), ("Nord Stream 2 AG", ("nord", "stream", "2")),
     ("Central Bank of the Russian Federation", ("central", "bank", "russian")),
     ("Ministry of Finance of the Russian Federation", ("ministry", "finance", "russian")),
     ("State Corporation Rostec", ("rostec",)), ("The Wagner Group", ("wagner",))],
)
def test_the_words_that_tell_an_organisation_apart(name: str, distinctive: tuple[str, ...]) -> None:
    assert distinctive_words(name_tokens(name, keep_titles=True)) == distinctive


def test_legal_forms_written_out_fold_to_their_abbreviation_at_either_end_only() -> None:
    assert name_tokens("Public Joint-Stock Company Sberbank of Russia", keep_titles=True) == (
        "pjsc", "sberbank", "of", "russia")
    assert name_tokens("Gazprombank Joint Stock Company") == ("gazprombank",)
    assert merge_key("Gazprombank Joint Stock Company", True) == merge_key("JSC Gazprombank", True)
    assert name_tokens("Joint Stock Company", keep_titles=True) == ("joint", "stock", "company")  # nothing else left
    assert name_tokens("Limited Liability Company Alpha Trading Bank", True) == ("llc", "alpha", "trading", "bank")
