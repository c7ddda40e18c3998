"""Questions a journalist asks, answered from the bundled samples."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from storage.answers.queries import answer
from storage.answers.questions import QuestionError, parse_question
from storage.db.store import Store
from storage.ingest.writer import ingest_paths
from tests.builders import simple_article, write_json

TODAY = date(2026, 11, 29)
ACTION_KEYS = {"target", "action", "authority", "jurisdiction", "date", "precision", "date_text",
               "reason", "program", "sources"}
SOURCE_KEYS = {"title", "source", "url", "published", "quote"}


def ask(store: Store, text: str, **kwargs):  # type: ignore[no-untyped-def]
    return answer(store, parse_question(text, TODAY), **kwargs)


def test_a_name_gives_the_person_every_action_and_its_sources(samples: Store) -> None:
    result = ask(samples, "wang junzheng")
    assert result.best == "Wang Junzheng"
    person = result.matches[0]
    assert "王君正" in person.aliases
    authorities = {(a.authority, a.jurisdiction, a.date) for a in person.actions}
    assert authorities == {
        ("U.S. Department of the Treasury", "US", "2021-03-22"),
        ("Council of the European Union", "EU", "2021-03-22"),
        ("UK Government", "GB", "2021-03-22"),
        ("Government of Canada", "CA", "2021-03-22"),
    }
    for fact in person.actions:
        assert fact.sources and all(s.url and "Wang Junzheng" in s.quote for s in fact.sources)


@pytest.mark.parametrize("query", ["Wang Junzheng", "JUNZHENG WANG", "wang jun-zheng", "wang  junzhen", "王君正"])
def test_spellings_find_the_same_person(samples: Store, query: str) -> None:
    assert ask(samples, query).best == "Wang Junzheng"


def test_accents_are_optional(samples: Store) -> None:
    assert ask(samples, "reinhard butikofer").best == "Reinhard Bütikofer"
    assert ask(samples, "dovile sakaliene").best == "Dovilė Šakalienė"


@pytest.mark.parametrize(("query", "people"), [
    ("chen", {"Chen Mingguo", "Chen Quanguo"}),
    ("wang", {"Wang Junzheng", "Wang Mingshan"}),
])
def test_a_shared_surname_lists_everyone_and_picks_no_one(samples: Store, query: str, people: set[str]) -> None:
    result = ask(samples, query)
    assert result.best is None
    assert {m.name for m in result.matches} == people
    assert result.to_json()["best"] is None


@pytest.mark.parametrize("query", ["Xi Jinping", "Antony Blinken", "Wang Yi", "Chen Junzheng", "zzzz"])
def test_someone_not_sanctioned_is_not_found_and_no_one_else_is_offered(samples: Store, query: str) -> None:
    result = ask(samples, query)
    assert result.best is None and result.matches == [] and result.found_nothing


def test_a_lifting_is_reported_as_lifted(samples: Store) -> None:
    result = ask(samples, "alexander lukashenko")
    lifted = [a for a in result.matches[0].actions if a.action == "lifted"]
    assert [(a.authority, a.date, a.precision) for a in lifted] == [
        ("Council of the European Union", "2016-02-01", "month")]


def test_by_authority_lists_its_actions_newest_first(samples: Store) -> None:
    result = ask(samples, "by ofac since march 2021", limit=50)
    assert result.kind == "authority" and result.actions
    assert {a.authority for a in result.actions} == {"U.S. Department of the Treasury"}
    assert all(a.date >= "2021-03-01" for a in result.actions)
    assert [a.date for a in result.actions] == sorted((a.date for a in result.actions), reverse=True)
    assert ask(samples, "by the bloc", limit=100).total_actions == ask(samples, "by eu", limit=100).total_actions


def test_on_a_day_lists_that_days_actions_only(samples: Store) -> None:
    result = ask(samples, "on 2021-03-22", limit=100)
    assert result.kind == "date" and result.total_actions == len(result.actions) > 0
    exact = [a for a in result.actions if a.precision == "day"]
    assert exact and all(a.date == "2021-03-22" for a in exact)
    # Coarser actions are listed when their period holds the day (tests/answers/test_date_overlap.py).
    coarse = {(a.date, a.precision) for a in result.actions if a.precision != "day"}
    assert coarse <= {("2021-03-22", "week"), ("2021-03-01", "month"), ("2021-01-01", "year")}


def test_lists_are_paged(samples: Store) -> None:
    first = ask(samples, "recent", limit=5)
    second = ask(samples, "recent", limit=5, offset=5)
    assert first.total_actions == second.total_actions and first.total_actions > 10
    assert len(first.actions) == 5 and {a.action_id for a in first.actions}.isdisjoint(
        {a.action_id for a in second.actions})


def test_since_a_date(samples: Store) -> None:
    result = ask(samples, "since 2022", limit=100)
    assert result.actions and all(a.date >= "2022-01-01" for a in result.actions)


def test_json_answer_has_exactly_the_documented_fields(samples: Store) -> None:
    data = ask(samples, "wang junzheng").to_json()
    assert set(data) == {"query", "kind", "best", "matches", "actions"}
    match = data["matches"][0]
    assert set(match) == {"name", "type", "score", "aliases", "roles", "actions", "listings", "flags"}
    assert 0 <= match["score"] <= 1 and match["type"] == "person"
    assert match["flags"] == []  # the samples hold no disagreement about him
    for action in data["actions"]:
        assert set(action) == ACTION_KEYS
        assert action["action"] in {"imposed", "lifted", "extended"}
        assert action["precision"] in {"day", "week", "month", "year"}
        for source in action["sources"]:
            assert set(source) == SOURCE_KEYS


def test_a_list_answer_says_how_many_fit_and_where_the_next_page_starts(samples: Store) -> None:
    first = ask(samples, "recent", limit=5).to_json()
    assert set(first) == {"query", "kind", "best", "matches", "actions", "total", "next_offset"}
    assert first["total"] > 10 and first["next_offset"] == 5
    last = ask(samples, "recent", limit=5, offset=first["total"] - 2).to_json()
    assert len(last["actions"]) == 2 and last["next_offset"] is None


def test_unreadable_dates_in_questions_are_one_sentence() -> None:
    with pytest.raises(QuestionError, match="could not read the date 'soonish'"):
        parse_question("on soonish", TODAY)


@pytest.mark.parametrize(("typed", "meant"), [("ofac", "by ofac"), ("march 2021", "on march 2021")])
def test_a_list_question_asked_as_a_name_gets_the_question_it_meant(samples: Store, typed: str, meant: str) -> None:
    result = ask(samples, typed)
    assert result.found_nothing and result.suggestion == meant
    assert ask(samples, meant).actions


def test_a_name_that_names_nobody_and_no_list_gets_no_suggestion(samples: Store) -> None:
    assert ask(samples, "Nobody Atall").suggestion is None


@pytest.mark.parametrize(("capital", "country"), [("washington", "us"), ("london", "uk"), ("brussels", "eu")])
def test_a_capital_stands_for_every_authority_of_its_country(samples: Store, capital: str, country: str) -> None:
    by_capital = ask(samples, f"by {capital}", limit=100)
    assert by_capital.actions and by_capital.total_actions == ask(samples, f"by {country}", limit=100).total_actions


def test_a_name_that_fits_nobody_offers_names_that_fit_all_but_one_alike_word(samples: Store) -> None:
    result = ask(samples, "wang mingzheng")
    assert result.found_nothing and result.best is None
    assert result.close_names == ["Wang Junzheng", "Wang Mingshan"]
    assert ask(samples, "vladimir poutine").close_names == ["Vladimir Putin"]


def test_a_word_alike_only_in_its_ending_makes_no_close_name(store: Store, tmp_path: Path) -> None:
    # Deripaska's patronymic shares "-ovich" with Abramovich: he is no "Oleg Abramovich".
    documents = [simple_article("d", "Oleg Deripaska", "The Treasury", "on Monday",
                                aliases=["Oleg Vladimirovich Deripaska"]),
                 simple_article("a", "Roman Abramovich", "The EU", "on Monday")]
    report = ingest_paths(store, [write_json(tmp_path / f"{d['id']}.json", d) for d in documents])
    assert report.rejected == 0, report.rejections
    result = ask(store, "oleg abramovich")
    assert result.found_nothing and result.close_names == []
    assert ask(store, "oleg deribasova").close_names == ["Oleg Deripaska"]  # three edits away, yet alike


@pytest.mark.parametrize("name", ["xi jinping", "boris johnson", "wang junzheng"])
def test_close_names_are_offered_only_when_nothing_fits_and_something_is_alike(samples: Store, name: str) -> None:
    assert ask(samples, name).close_names == []
