"""Names typed with legal forms, compound titles or a possessive find the target, and only it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from storage.answers.queries import answer
from storage.answers.questions import parse_question
from storage.db.store import Store
from storage.ingest.writer import ingest_paths
from storage.names.folding import name_tokens
from tests.builders import article, span, write_json

TODAY = date(2026, 11, 29)


def ask(store: Store, text: str):  # type: ignore[no-untyped-def]
    return answer(store, parse_question(text, TODAY))


def listed(store: Store, text: str) -> list[str]:
    return [match.name for match in ask(store, text).matches]


def sanctioned(store: Store, tmp_path: Path, targets: dict[str, str]) -> Store:
    """A store where one article sanctions each name (name -> "ORG" or "PERSON")."""
    text = f"The Treasury on Monday sanctioned {'; '.join(targets)} over fraud."
    entities = [span(text, "A", "AUTHORITY", "The Treasury"), span(text, "D", "DATE", "Monday")]
    events = []
    for i, (name, label) in enumerate(targets.items()):
        entities.append(span(text, f"T{i}", label, name))
        events.append({"target": f"T{i}", "authority": "A", "date": "D", "action": "imposed"})
    document = article(text, "2021-03-23", entities, events, "variants", source="Test Wire",
                       url="https://example.org/variants", title="Treasury acts")
    report = ingest_paths(store, [write_json(tmp_path / "variants.json", document)])
    assert report.rejected == 0, report.rejections
    return store


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Rusal Ltd", "United Company Rusal"),
        ("UC Rusal LLC", "United Company Rusal"),
        ("United Company RUSAL PLC", "United Company Rusal"),
        ("rusal s.a.", "United Company Rusal"),
        ("En+ Group Ltd", "En+ Group"),
        ("En+ Group Limited", "En+ Group"),
        ("Essex Court Chambers Ltd", "Essex Court Chambers"),
        ("Essex Court Chambers Ltd.", "Essex Court Chambers"),
        ("EuroSibEnergo JSC", "EuroSibEnergo"),
        ("PJSC EuroSibEnergo", "EuroSibEnergo"),
        ("Senior General Min Aung Hlaing", "Min Aung Hlaing"),
        ("Vice Senior General Soe Win", "Soe Win"),
        ("General Valery Gerasimov", "Valery Gerasimov"),
        ("Putin's", "Vladimir Putin"),
        ("Vladimir Putin’s", "Vladimir Putin"),
        ("putin 🇷🇺", "Vladimir Putin"),  # emoji are no part of a name
        ("🇷🇺 Vladimir Putin 👍🏽", "Vladimir Putin"),
    ],
)
def test_variants_find_the_sample_target(samples: Store, query: str, expected: str) -> None:
    result = ask(samples, query)
    assert result.best == expected
    assert [m.name for m in result.matches] == [expected]


@pytest.mark.parametrize("query", ["Deripaska Ltd", "Navalny LLC", "Wang Junzheng PLC"])
def test_a_legal_form_never_finds_a_person(samples: Store, query: str) -> None:
    assert ask(samples, query).found_nothing


def test_a_shared_legal_form_never_confuses_two_organisations(store: Store, tmp_path: Path) -> None:
    sanctioned(store, tmp_path, {"Alpha Trading LLC": "ORG", "Beta Trading LLC": "ORG", "Gamma Shipping": "ORG"})
    for query in ["Alpha Trading LLC", "alpha trading", "Alpha Trading Ltd", "Alpha Trading L.L.C."]:
        assert ask(store, query).best == "Alpha Trading LLC", query
        assert listed(store, query) == ["Alpha Trading LLC"], query
    for query in ["Gamma Shipping Ltd", "Gamma Shipping GmbH", "Gamma Shipping S.A.", "OOO Gamma Shipping"]:
        assert ask(store, query).best == "Gamma Shipping", query
    for query in ["Delta Trading LLC", "Gamma Trading LLC"]:
        assert ask(store, query).found_nothing, query


def test_a_legal_form_alone_picks_no_one(store: Store, tmp_path: Path) -> None:
    sanctioned(store, tmp_path, {"Alpha Trading LLC": "ORG", "Beta Trading LLC": "ORG"})
    result = ask(store, "Trading LLC")
    assert result.best is None
    assert set(listed(store, "Trading LLC")) == {"Alpha Trading LLC", "Beta Trading LLC"}


def test_the_query_s_own_legal_form_keeps_its_lead(store: Store, tmp_path: Path) -> None:
    sanctioned(store, tmp_path, {"Omega Metals AG": "ORG", "Omega Metals Ltd": "ORG"})
    assert ask(store, "Omega Metals AG").best == "Omega Metals AG"
    assert ask(store, "omega metals ltd").best == "Omega Metals Ltd"
    # Without one, either may be meant: both are offered, neither picked.
    result = ask(store, "Omega Metals")
    assert result.best is None
    assert set(listed(store, "Omega Metals")) == {"Omega Metals AG", "Omega Metals Ltd"}


def test_a_short_legal_form_typed_finds_the_organisation_stored_without_it(store: Store, tmp_path: Path) -> None:
    sanctioned(store, tmp_path, {"Sovcomflot": "ORG", "Zaldy Co": "PERSON", "Wang Ao": "PERSON"})
    for query in ["PAO Sovcomflot", "Sovcomflot PAO", "sovcomflot ao", "Sovcomflot AG", "Sovcomflot Co"]:
        assert ask(store, query).best == "Sovcomflot", query
    # A person is held to every word: a short form is no legal form in a person's name.
    assert ask(store, "Zaldy AG").found_nothing
    assert ask(store, "Wang Co").found_nothing
    assert ask(store, "Wang Ao").best == "Wang Ao"


def test_short_legal_forms_stay_in_people_s_names(store: Store, tmp_path: Path) -> None:
    people = {"Nguyen Van Co": "PERSON", "Nguyen Van Anh": "PERSON", "Zaldy Co": "PERSON", "Pao Yue-kong": "PERSON"}
    sanctioned(store, tmp_path, people)
    for name in people:
        assert ask(store, name).best == name, name
        assert listed(store, name) == [name], name
    assert ask(store, "Zaldy Ltd").found_nothing
    assert ask(store, "Yue-kong Pao").best == "Pao Yue-kong"


def test_folding_drops_only_what_is_not_the_name() -> None:
    assert name_tokens("Lt-Gen Soe Win") == ("soe", "win")
    assert name_tokens("Field Marshal Min Aung Hlaing") == ("min", "aung", "hlaing")
    assert name_tokens("Eni S.p.A.") == ("eni",)
    assert name_tokens("Eni S.p.A.", keep_titles=True) == ("eni", "spa")
    assert name_tokens("A.G. Smith") == ("a", "g", "smith")  # initials, not Aktiengesellschaft
    assert name_tokens("Nguyen Van Co") == ("nguyen", "van", "co")
    assert name_tokens("Ra's al Khaimah") == ("ras", "al", "khaimah")  # only a final 's is a possessive
    assert name_tokens("Ltd") == ("ltd",)


def test_a_short_part_left_out_between_the_words_given_is_offered_never_picked(store: Store, tmp_path: Path) -> None:
    sanctioned(store, tmp_path, {"Kim Yo Jong": "PERSON", "Mohammed bin Salman": "PERSON",
                                 "Vladimir Vladimirovich Putin": "PERSON"})
    for query, name in [("Kim Jong", "Kim Yo Jong"), ("Mohammed Salman", "Mohammed bin Salman")]:
        result = ask(store, query)
        assert result.best is None and listed(store, query) == [name], query
        assert ask(store, name).best == name
    # A patronymic left out is how the name is written every day: still the answer.
    assert ask(store, "Vladimir Putin").best == "Vladimir Vladimirovich Putin"


def test_a_name_in_a_script_written_without_spaces_is_a_whole_name(store: Store, tmp_path: Path) -> None:
    # One word in Burmese or Thai is the full name, not a short form like a lone "Lukashenko".
    from tests.builders import simple_article

    documents = [
        simple_article("mal", "Min Aung Hlaing", "The EU", "on Monday", aliases=["မင်းအောင်လှိုင်"]),
        simple_article("soe", "Soe Win", "The EU", "on Monday"),
    ]
    report = ingest_paths(store, [write_json(tmp_path / f"{d['id']}.json", d) for d in documents])
    assert report.rejected == 0, report.rejections
    assert ask(store, "မင်းအောင်လှိုင်").best == "Min Aung Hlaing"
    assert ask(store, "hlaing").best == "Min Aung Hlaing"  # a surname still finds the one holder
    assert ask(store, "min aung hlaing").best == "Min Aung Hlaing"
