"""Dates in news copy resolve to the right day, and never claim more precision."""

from datetime import date

import pytest

from storage.dates import DateError, describe_date, parse_published, resolve_value, resolve_words

TUESDAY = date(2024, 2, 27)  # the seed story's publication day


@pytest.mark.parametrize(
    ("words", "day", "precision"),
    [
        ("Monday", date(2024, 2, 26), "day"),
        ("on Monday", date(2024, 2, 26), "day"),
        ("Tuesday", date(2024, 2, 27), "day"),  # on or before: the day itself
        ("Wednesday", date(2024, 2, 21), "day"),  # never forwards, as dateutil would
        ("last Tuesday", date(2024, 2, 20), "day"),
        ("today", date(2024, 2, 27), "day"),
        ("yesterday", date(2024, 2, 26), "day"),
        ("last week", date(2024, 2, 19), "week"),
        ("this month", date(2024, 2, 1), "month"),
        ("last month", date(2024, 1, 1), "month"),
        ("earlier this year", date(2024, 1, 1), "year"),
        ("late last month", date(2024, 1, 1), "month"),
        ("March 22, 2021", date(2021, 3, 22), "day"),
        ("22 March 2021", date(2021, 3, 22), "day"),
        ("22 March", date(2023, 3, 22), "day"),  # after publication: the year before
        ("February 3", date(2024, 2, 3), "day"),
        ("March 2021", date(2021, 3, 1), "month"),
        ("in 2019", date(2019, 1, 1), "year"),
        ("two days ago", date(2024, 2, 25), "day"),
        ("March 1, 2024", date(2024, 3, 1), "day"),  # with its year: as written, after publication too
        ("22/03/2021", date(2021, 3, 22), "day"),  # reads one way only
    ],
)
def test_date_words_resolve_against_publication(words: str, day: date, precision: str) -> None:
    resolved = resolve_words(words, TUESDAY)
    assert (resolved.day, resolved.precision, resolved.words) == (day, precision, words)


def test_words_that_name_no_date_are_refused_not_guessed() -> None:
    with pytest.raises(DateError, match="add a value"):
        resolve_words("the other day", TUESDAY)


def test_numbers_that_read_as_day_month_and_month_day_are_refused() -> None:
    with pytest.raises(DateError, match="ambiguous"):
        resolve_words("03/04/2021", TUESDAY)


def test_the_refusal_offers_both_readings_in_the_text_s_own_year() -> None:
    # Copying an example value with another year would store a wrong date.
    with pytest.raises(DateError) as refused:
        resolve_words("03/04/2022", date(2022, 3, 5))
    assert "2022-04-03 (day first) or 2022-03-04 (month first)" in str(refused.value)


@pytest.mark.parametrize(
    ("value", "day", "precision"),
    [("2021-03-22", date(2021, 3, 22), "day"), ("2021-03", date(2021, 3, 1), "month"),
     ("2021", date(2021, 1, 1), "year")],
)
def test_annotator_values_keep_their_precision(value: str, day: date, precision: str) -> None:
    resolved = resolve_value(value)
    assert (resolved.day, resolved.precision) == (day, precision)


@pytest.mark.parametrize("value", ["22/03/2021", "2021-13", "March"])
def test_bad_values_are_refused(value: str) -> None:
    with pytest.raises(DateError):
        resolve_value(value)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("February 27, 2024", TUESDAY),
        ("2024-02-27", TUESDAY),
        ("2024-02-27T09:30:00-05:00", TUESDAY),
        ("2022-02-26T08:15:00+01:00", date(2022, 2, 26)),
        ("27 Feb 2024", TUESDAY),
    ],
)
def test_publication_dates_in_common_forms(text: str, day: date) -> None:
    assert parse_published(text) == day


@pytest.mark.parametrize("text", ["03/04/2021", "March 2021", "", "soon"])
def test_ambiguous_or_partial_publication_dates_are_refused(text: str) -> None:
    with pytest.raises(DateError):
        parse_published(text)


def test_dates_are_written_as_precisely_as_known() -> None:
    assert describe_date(date(2024, 2, 26), "day") == "26 February 2024"
    assert describe_date(date(2021, 3, 1), "month") == "March 2021"
    assert describe_date(date(2021, 1, 1), "year") == "2021"
    assert describe_date(date(2024, 2, 19), "week") == "week of 19 February 2024"


def test_a_week_as_answers_write_it_can_be_read_back() -> None:
    anchor = date(2026, 11, 29)
    for words in ["week of 22 March 2021", "the week of March 24, 2021", "on the week of 22 march 2021"]:
        resolved = resolve_words(words, anchor)
        assert (resolved.day, resolved.precision) == (date(2021, 3, 22), "week"), words
        assert describe_date(resolved.day, resolved.precision) == "week of 22 March 2021"
    with pytest.raises(DateError):
        resolve_words("week of March 2021", anchor)  # a month holds several weeks
