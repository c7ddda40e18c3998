"""Date lists include every action that may fall in the asked period.

An action known only as "week of 22 March 2021" or "2020" may have happened on
any day of its period, so `since` and `on` list it whenever its period overlaps
theirs; the card shows its precision, so nothing claims more than is known.
Exact-day actions are listed exactly as before.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from storage.answers.queries import answer
from storage.answers.questions import parse_question
from storage.db.store import Store
from storage.ingest.writer import ingest_paths
from tests.builders import simple_article, write_jsonl

TODAY = date(2026, 11, 29)

# One person per action, so a list's targets say which actions it holds.
DAY = "Wang Junzheng"  # The Treasury, 22 March 2021 (day)
LATER_DAY = "Chen Mingguo"  # The Treasury, 26 March 2021 (day)
WEEK = "Reinhard Bütikofer"  # China, week of 22 March 2021
MONTH = "Wang Mingshan"  # Britain, March 2021
YEAR = "Zhu Hailun"  # the EU, 2020
EVERYONE = {DAY, LATER_DAY, WEEK, MONTH, YEAR}


@pytest.fixture
def dated(store: Store, tmp_path: Path) -> Store:
    """A store holding one action at each precision, around March 2021."""
    documents: list[dict | str] = [
        simple_article("day", DAY, "The Treasury", "on March 22, 2021"),
        simple_article("later-day", LATER_DAY, "The Treasury", "on March 26, 2021", published="2021-03-27"),
        simple_article("week", WEEK, "China", "last week", published="2021-03-30"),
        simple_article("month", MONTH, "Britain", "in March 2021", published="2021-04-02"),
        simple_article("year", YEAR, "The EU", "in 2020", published="2021-02-01"),
    ]
    report = ingest_paths(store, [write_jsonl(tmp_path / "dated.jsonl", documents)])
    assert report.rejected == 0, report.rejections
    return store


def listed(store: Store, query: str) -> set[str]:
    result = answer(store, parse_question(query, TODAY), limit=100)
    assert result.total_actions == len(result.actions)
    return {fact.target for fact in result.actions}


def test_the_store_holds_each_precision_as_written(dated: Store) -> None:
    facts = {f.target: (f.date, f.precision) for f in answer(dated, parse_question("recent", TODAY)).actions}
    assert facts == {
        DAY: ("2021-03-22", "day"),
        LATER_DAY: ("2021-03-26", "day"),
        WEEK: ("2021-03-22", "week"),
        MONTH: ("2021-03-01", "month"),
        YEAR: ("2020-01-01", "year"),
    }


@pytest.mark.parametrize(("query", "expected"), [
    # A week-precision action is in every period its week touches, and in no other.
    ("since 2021-03-23", {LATER_DAY, WEEK, MONTH}),
    ("since 2021-03-28", {WEEK, MONTH}),
    ("since 2021-03-29", {MONTH}),
    ("on 2021-03-26", {LATER_DAY, WEEK, MONTH}),
    ("on 2021-03-28", {WEEK, MONTH}),
    ("on 2021-03-21", {MONTH}),
    ("on 2021-03-29", {MONTH}),
    ("by china since 2021-03-23", {WEEK}),
    ("by china since 2021-03-29", set()),
    # A month-precision action is in every day of its month, and not after it.
    ("on 2021-03-31", {MONTH}),
    ("on 2021-04-01", set()),
    ("since 2021-04-01", set()),
    ("on february 2021", set()),
    # A year-precision action is in every period its year touches.
    ("since june 2020", EVERYONE),
    ("on september 2020", {YEAR}),
    ("on 2020-12-31", {YEAR}),
    ("since 2021", EVERYONE - {YEAR}),
    ("on 2019", set()),
    ("by the eu since 2020-12-31", {YEAR}),
    ("by the eu since 2021-01-01", set()),
])
def test_coarse_dates_are_listed_where_they_may_fall(dated: Store, query: str, expected: set[str]) -> None:
    assert listed(dated, query) == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("on 2021-03-22", {DAY, WEEK, MONTH}),
    ("on 2021-03-23", {WEEK, MONTH}),
    ("since 2021-03-22", {DAY, LATER_DAY, WEEK, MONTH}),
    ("by the treasury since 2021-03-22", {DAY, LATER_DAY}),
    ("by the treasury since 2021-03-23", {LATER_DAY}),
    ("by the treasury since 2021-03-27", set()),
    ("on march 2021", {DAY, LATER_DAY, WEEK, MONTH}),
    ("on 2021", EVERYONE - {YEAR}),
])
def test_exact_days_are_listed_only_on_their_day(dated: Store, query: str, expected: set[str]) -> None:
    assert listed(dated, query) == expected


def test_descriptions_are_unchanged(dated: Store) -> None:
    assert answer(dated, parse_question("since 2021-03-23", TODAY)).description == "actions since 23 March 2021"
    assert answer(dated, parse_question("on september 2020", TODAY)).description == "actions in September 2020"


@pytest.mark.parametrize("query", ["on 0001-01-01", "on 9999", "since 0001-01-01"])
def test_periods_at_the_calendars_ends_do_not_crash(dated: Store, query: str) -> None:
    assert listed(dated, query) == (EVERYONE if query.startswith("since") else set())
