"""The facts of answers as a journalist reads them.

Roles of every report, the order of a card's actions, one event reported at
different precisions, and lists that do not depend on ingest order; on SQLite
and PostgreSQL, each built from small articles written here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from storage.answers.queries import answer
from storage.answers.questions import parse_question
from storage.db.store import Store
from storage.ingest.writer import IngestReport, ingest_paths
from tests.builders import article, simple_article, span, write_json
from tests.conftest import _postgres_schema

TODAY = date(2026, 11, 29)


def ask(store: Store, text: str, **kwargs: Any):  # type: ignore[no-untyped-def]
    return answer(store, parse_question(text, TODAY), **kwargs)


@pytest.fixture
def new_store(store_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Callable[[], Store]]:
    """Empty stores on the database `store_url` is on: one per ingest order compared."""
    with ExitStack() as stack:
        made: list[Store] = []

        def make() -> Store:
            if store_url.startswith("sqlite"):
                url = f"sqlite:///{tmp_path / f'store{len(made)}.db'}"
            else:
                url = stack.enter_context(_postgres_schema(request.getfixturevalue("postgres_url")))
            made.append(Store.open(url))
            return made[-1]

        yield make
        for store in made:
            store.dispose()


def ingest(store: Store, tmp_path: Path, *documents: dict) -> IngestReport:
    paths = [write_json(tmp_path / "in" / f"{d['id']}.json", d) for d in documents]
    report = ingest_paths(store, paths)
    assert report.rejected == 0, report.rejections
    return report


def in_every_order(make: Callable[[], Store], tmp_path: Path, documents: list[dict], question: str) -> dict:
    """The answer's JSON after ingesting the documents one by one, forwards and backwards: they must agree."""
    answers = []
    for order in (documents, documents[::-1]):
        store = make()
        for document in order:
            ingest(store, tmp_path, document)
        answers.append(ask(store, question, limit=50).to_json())
    assert answers[0] == answers[1]
    return answers[0]


def uk_actions(result: dict) -> list[tuple[str, str, str | None, list[str]]]:
    return [(a["date"], a["precision"], a["date_text"], [s["source"] for s in a["sources"]])
            for a in result["matches"][0]["actions"] if a["jurisdiction"] == "GB"]


def uk_report(article_id: str, words: str | None, published: str, source: str) -> dict:
    document = simple_article(article_id, "Roman Abramovich", "Britain", words, published=published, reason=None)
    return {**document, "source": source}


# --- A: every report's role ------------------------------------------------

def test_a_card_lists_the_role_every_report_gives_whatever_the_order(
    new_store: Callable[[], Store], tmp_path: Path
) -> None:
    formal = simple_article("formal", "Carrie Lam", "The Treasury", "on Friday", published="2020-08-08",
                            role="Hong Kong Chief Executive")
    plain = simple_article("plain", "Carrie Lam", "US Treasury", "today", published="2020-08-07",
                           role="the city's leader")
    result = in_every_order(new_store, tmp_path, [formal, plain], "carrie lam")
    (match,) = result["matches"]
    assert match["roles"] == ["the city's leader", "Hong Kong Chief Executive"]
    (action,) = match["actions"]
    assert [s["published"] for s in action["sources"]] == ["2020-08-07", "2020-08-08"]


def test_an_actions_role_is_its_earliest_reports_and_same_day_reports_go_by_their_id(
    new_store: Callable[[], Store], tmp_path: Path
) -> None:
    first = simple_article("a-wire", "Chen Mingguo", "The EU", "on Monday", role="police chief of Xinjiang")
    second = simple_article("b-paper", "Chen Mingguo", "The bloc", "on March 22", role="a police director")
    later = simple_article("c-review", "Chen Mingguo", "The EU", "on March 22, 2021", published="2021-04-01",
                           role="Police Chief of Xinjiang")
    for order in ([first, second, later], [later, second, first]):
        store = new_store()
        for document in order:
            ingest(store, tmp_path, document)
        (match,) = ask(store, "chen mingguo").matches
        (action,) = match.actions
        assert action.role == "police chief of Xinjiang"
        # Every distinct role, ignoring case; the earliest report first, same-day reports by id.
        assert match.roles == ["police chief of Xinjiang", "a police director"]
        urls = [f"https://example.org/{name}" for name in ("a-wire", "b-paper", "c-review")]
        assert [s.url for s in action.sources] == urls


def test_roles_follow_the_card_newest_action_first(store: Store, tmp_path: Path) -> None:
    ingest(store, tmp_path,
           simple_article("old", "Wang Junzheng", "The Treasury", "on March 22, 2021", role="party secretary"),
           simple_article("new", "Wang Junzheng", "The EU", "on May 2, 2023", published="2023-05-03",
                          role="former party secretary"))
    (match,) = ask(store, "wang junzheng").matches
    assert match.roles == ["former party secretary", "party secretary"]


# --- B: a card's actions, newest first by when they can latest have happened ---

def test_a_lifting_known_only_to_the_year_is_listed_above_the_imposition_it_ended(
    store: Store, tmp_path: Path
) -> None:
    ingest(store, tmp_path,
           simple_article("imposed", "Suleyman Soylu", "The Treasury", "on August 1, 2018", published="2018-08-02"),
           simple_article("lifted", "Suleyman Soylu", "The Treasury", "earlier this year", published="2018-12-28",
                          action="lifted", reason=None))
    actions = ask(store, "soylu").matches[0].actions
    assert [(a.action, a.date, a.precision) for a in actions] == [
        ("lifted", "2018-01-01", "year"), ("imposed", "2018-08-01", "day")]


def test_a_coarse_date_is_never_taken_as_later_than_its_earliest_report(store: Store, tmp_path: Path) -> None:
    """Lifted "earlier this year" in a September article: before an October imposition."""
    ingest(store, tmp_path,
           simple_article("lifted", "Suleyman Soylu", "The Treasury", "earlier this year", published="2018-09-01",
                          action="lifted", reason=None),
           simple_article("imposed", "Suleyman Soylu", "The Treasury", "on October 1, 2018", published="2018-10-02"))
    actions = ask(store, "soylu").matches[0].actions
    assert [a.action for a in actions] == ["imposed", "lifted"]


def test_lists_stay_ordered_by_the_start_of_each_period(store: Store, tmp_path: Path) -> None:
    """Lists are ordered in SQL by the period's start (see queries._newest_first)."""
    ingest(store, tmp_path,
           simple_article("imposed", "Suleyman Soylu", "The Treasury", "on August 1, 2018", published="2018-08-02"),
           simple_article("lifted", "Suleyman Soylu", "The Treasury", "earlier this year", published="2018-12-28",
                          action="lifted", reason=None))
    assert [a.action for a in ask(store, "by the treasury").actions] == ["imposed", "lifted"]


def test_on_a_day_lists_that_day_s_actions_before_those_known_only_to_its_week(store: Store, tmp_path: Path) -> None:
    ingest(store, tmp_path,
           simple_article("week", "Chen Mingguo", "China", "last week", published="2021-03-29"),  # week of 22 March
           simple_article("day", "Zhu Hailun", "The EU", "on March 22, 2021"))
    assert [(a.target, a.precision) for a in ask(store, "on 2021-03-22").actions] == [
        ("Zhu Hailun", "day"), ("Chen Mingguo", "week")]


# --- C: one event reported to the day and to the week or month ------------------

def test_a_report_of_the_week_and_one_of_the_day_are_one_action_in_any_order(
    new_store: Callable[[], Store], tmp_path: Path
) -> None:
    week = uk_report("week", "last week", "2022-03-17", "Weekly Wire")
    day = uk_report("day", "today", "2022-03-10", "Daily Wire")
    result = in_every_order(new_store, tmp_path, [week, day], "roman abramovich")
    # Dated by the more precise report, in its words; both reports cited.
    assert uk_actions(result) == [("2022-03-10", "day", "today", ["Daily Wire", "Weekly Wire"])]
    listed = in_every_order(new_store, tmp_path, [week, day], "recent")
    assert [(a["date"], a["precision"]) for a in listed["actions"]] == [("2022-03-10", "day")]


def test_a_coarse_report_never_joins_an_event_after_its_own_publication(
    new_store: Callable[[], Store], tmp_path: Path
) -> None:
    # "This month" in a paper of 10 March happened by the 10th: the 24 March designation is another.
    early = uk_report("early", "this month", "2022-03-10", "Early Wire")
    late = uk_report("late", "today", "2022-03-24", "Late Wire")
    result = in_every_order(new_store, tmp_path, [early, late], "roman abramovich")
    assert uk_actions(result) == [("2022-03-24", "day", "today", ["Late Wire"]),
                                  ("2022-03-01", "month", "this month", ["Early Wire"])]


def test_a_publication_day_standing_in_for_a_date_absorbs_no_coarse_report(
    new_store: Callable[[], Store], tmp_path: Path
) -> None:
    # The undated report's day is its paper's, not the event's: merged, "this week" would read as that day.
    week = uk_report("week", "this week", "2022-03-16", "Weekly Wire")
    undated = uk_report("undated", None, "2022-03-18", "Later Wire")
    result = in_every_order(new_store, tmp_path, [week, undated], "roman abramovich")
    actions = uk_actions(result)
    assert ("2022-03-14", "week", "this week", ["Weekly Wire"]) in actions
    assert all(not (precision == "day" and words == "this week") for _, precision, words, _ in actions)


def test_the_day_gives_its_words_even_when_the_week_was_published_first(
    new_store: Callable[[], Store], tmp_path: Path
) -> None:
    week = uk_report("week", "last week", "2022-03-14", "Weekly Wire")  # week of 7 March
    day = uk_report("day", "on March 10, 2022", "2022-03-15", "Daily Wire")
    result = in_every_order(new_store, tmp_path, [week, day], "roman abramovich")
    assert uk_actions(result) == [("2022-03-10", "day", "on March 10, 2022", ["Weekly Wire", "Daily Wire"])]


def test_a_report_of_the_month_joins_the_one_action_known_inside_it(
    new_store: Callable[[], Store], tmp_path: Path
) -> None:
    month = uk_report("month", "last month", "2022-04-05", "Monthly Wire")
    week = uk_report("week", "last week", "2022-03-17", "Weekly Wire")
    day = uk_report("day", "today", "2022-03-10", "Daily Wire")
    result = in_every_order(new_store, tmp_path, [month, week, day], "roman abramovich")
    assert uk_actions(result) == [("2022-03-10", "day", "today", ["Daily Wire", "Weekly Wire", "Monthly Wire"])]
    result = in_every_order(new_store, tmp_path, [month, week], "roman abramovich")
    assert uk_actions(result) == [("2022-03-07", "week", "last week", ["Weekly Wire", "Monthly Wire"])]


def test_a_report_of_the_year_stays_apart_and_so_does_one_that_fits_two_actions(
    new_store: Callable[[], Store], tmp_path: Path
) -> None:
    year = uk_report("year", "earlier this year", "2022-12-20", "Yearly Wire")
    day = uk_report("day", "today", "2022-03-10", "Daily Wire")
    result = in_every_order(new_store, tmp_path, [year, day], "roman abramovich")
    assert uk_actions(result) == [("2022-01-01", "year", "earlier this year", ["Yearly Wire"]),
                                  ("2022-03-10", "day", "today", ["Daily Wire"])]
    week = uk_report("week", "last week", "2022-03-17", "Weekly Wire")
    other_day = uk_report("other-day", "today", "2022-03-08", "Other Wire")
    result = in_every_order(new_store, tmp_path, [week, day, other_day], "roman abramovich")
    assert uk_actions(result) == [("2022-03-07", "week", "last week", ["Weekly Wire"]),
                                  ("2022-03-10", "day", "today", ["Daily Wire"]),
                                  ("2022-03-08", "day", "today", ["Other Wire"])]


def test_other_measures_and_authorities_are_never_merged(store: Store, tmp_path: Path) -> None:
    ingest(store, tmp_path,
           uk_report("week", "last week", "2022-03-17", "Weekly Wire"),
           simple_article("eu", "Roman Abramovich", "The EU", "today", published="2022-03-10"),
           simple_article("lift", "Roman Abramovich", "Britain", "today", published="2022-03-10", action="lifted"))
    actions = ask(store, "roman abramovich").matches[0].actions
    assert sorted((a.jurisdiction, a.action, a.precision) for a in actions) == [
        ("EU", "imposed", "day"), ("GB", "imposed", "week"), ("GB", "lifted", "day")]


def test_withdrawing_the_day_leaves_the_week_and_reporting_it_again_merges_again(
    store: Store, tmp_path: Path
) -> None:
    week = uk_report("week", "last week", "2022-03-17", "Weekly Wire")
    day = uk_report("day", "today", "2022-03-10", "Daily Wire")
    assert ingest(store, tmp_path, week).actions_added == 1
    assert ingest(store, tmp_path, day).actions_added == 0  # known already: channels are not told twice
    (merged,) = ask(store, "roman abramovich").matches[0].actions

    ingest(store, tmp_path, {**day, "sanctions": []})
    (left,) = ask(store, "roman abramovich").matches[0].actions
    assert (left.date, left.precision, left.date_text, [s.source for s in left.sources]) == (
        "2022-03-07", "week", "last week", ["Weekly Wire"])
    assert left.action_id == merged.action_id  # the same action, dated by the week again

    assert ingest(store, tmp_path, day).actions_added == 0
    (again,) = ask(store, "roman abramovich").matches[0].actions
    assert (again.date, again.precision, again.date_text) == ("2022-03-10", "day", "today")
    assert len(ask(store, "recent").actions) == 1

    ingest(store, tmp_path, {**week, "sanctions": []})
    (alone,) = ask(store, "roman abramovich").matches[0].actions
    assert (alone.date, alone.precision, [s.source for s in alone.sources]) == ("2022-03-10", "day", ["Daily Wire"])


def test_an_annotators_value_is_read_back_when_the_day_is_withdrawn(store: Store, tmp_path: Path) -> None:
    text = "Britain recently froze the assets of Roman Abramovich."
    month = article(text, "2022-04-02",
                    [span(text, "A", "AUTHORITY", "Britain"), span(text, "P", "PERSON", "Roman Abramovich"),
                     span(text, "D", "DATE", "recently", value="2022-03")],
                    [{"target": "P", "authority": "A", "date": "D"}], "valued", source="Valued Wire")
    day = uk_report("day", "today", "2022-03-10", "Daily Wire")
    ingest(store, tmp_path, month, day)
    (merged,) = ask(store, "roman abramovich").matches[0].actions
    assert (merged.date, merged.precision, merged.date_text) == ("2022-03-10", "day", "today")
    ingest(store, tmp_path, {**day, "sanctions": []})
    (left,) = ask(store, "roman abramovich").matches[0].actions
    assert (left.date, left.precision, left.date_text) == ("2022-03-01", "month", "recently")


def test_an_article_giving_two_dates_gives_two_actions(store: Store, tmp_path: Path) -> None:
    """Its writer told two measures apart; the week does not join the day of the same article."""
    text = "Britain froze the assets of Roman Abramovich last week. Britain had listed Roman Abramovich on March 9."
    entities = [span(text, "A", "AUTHORITY", "Britain"), span(text, "P", "PERSON", "Roman Abramovich"),
                span(text, "W", "DATE", "last week"), span(text, "B", "AUTHORITY", "Britain", nth=2),
                span(text, "Q", "PERSON", "Roman Abramovich", nth=2), span(text, "D", "DATE", "on March 9")]
    events = [{"target": "P", "authority": "A", "date": "W"}, {"target": "Q", "authority": "B", "date": "D"}]
    report = ingest_paths(store, [write_json(tmp_path / "twice.json", article(text, "2022-03-17", entities, events))])
    assert report.rejected == 0, report.rejections  # two spans of one name: two events to the validator
    actions = ask(store, "roman abramovich").matches[0].actions
    # The week may end after 9 March: newest first, it leads.
    assert [(a.date, a.precision) for a in actions] == [("2022-03-07", "week"), ("2022-03-09", "day")]


def test_people_merged_later_have_their_reports_merged_too(new_store: Callable[[], Store], tmp_path: Path) -> None:
    week = simple_article("week", "Alexander Lukashenko", "Britain", "last week", published="2020-10-05")
    day = simple_article("day", "Aliaksandr Lukashenka", "Britain", "on September 29, 2020",
                         published="2020-09-30")
    tie = simple_article("tie", "Alexander Lukashenko", "The EU", "on November 6, 2020", published="2020-11-07",
                         aliases=["Aliaksandr Lukashenka"])
    result = in_every_order(new_store, tmp_path, [week, day, tie], "lukashenko")
    actions = result["matches"][0]["actions"]
    assert [(a["jurisdiction"], a["date"], a["precision"], len(a["sources"])) for a in actions] == [
        ("EU", "2020-11-06", "day", 1), ("GB", "2020-09-29", "day", 2)]


# --- D: same-day lists do not depend on ingest order ---------------------------------

@pytest.mark.parametrize("question", ["recent", "on 2021-03-22", "by the eu", "since march 2021"])
def test_same_day_actions_are_listed_by_content_not_by_ingest_order(
    new_store: Callable[[], Store], tmp_path: Path, question: str
) -> None:
    documents = [
        simple_article("zhu", "Zhu Hailun", "The EU", "on March 22, 2021"),
        simple_article("chen", "Chen Mingguo", "The EU", "on March 22, 2021"),
        simple_article("wang", "Wang Junzheng", "The EU", "on March 22, 2021"),
        simple_article("wang-uk", "Wang Junzheng", "Britain", "on March 22, 2021"),
        simple_article("month", "Wang Mingshan", "The EU", "in March 2021", published="2021-04-02"),
    ]
    listed = in_every_order(new_store, tmp_path, documents, question)
    expected = [("Chen Mingguo", "EU"), ("Wang Junzheng", "EU"), ("Wang Junzheng", "GB"), ("Zhu Hailun", "EU")]
    if question == "by the eu":
        expected.remove(("Wang Junzheng", "GB"))
    got = [(a["target"], a["jurisdiction"]) for a in listed["actions"] if a["precision"] == "day"]
    assert got == expected
