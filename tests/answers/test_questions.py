"""What a journalist types, read as the grammar says or refused in one sentence."""

from __future__ import annotations

from datetime import date

import pytest

from storage.answers.questions import AuthorityQuestion, QuestionError, parse_question

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize("text", ["on", "since", "by", "BY"])
def test_a_keyword_alone_gets_usage_not_a_name_search(text: str) -> None:
    with pytest.raises(QuestionError, match="needs more"):
        parse_question(text, TODAY)


def test_by_with_on_a_date_is_refused_with_what_to_ask_instead() -> None:
    with pytest.raises(QuestionError, match="ask `on 2021-03-22`"):
        parse_question("by eu on 2021-03-22", TODAY)


def test_an_authority_whose_name_holds_on_is_still_an_authority() -> None:
    question = parse_question("by committee on foreign affairs", TODAY)
    assert isinstance(question, AuthorityQuestion) and question.authority == "committee on foreign affairs"


def test_a_date_that_reads_both_ways_is_refused_not_guessed() -> None:
    with pytest.raises(QuestionError, match="day/month or month/day") as refused:
        parse_question("on 03/04/2021", TODAY)
    assert "write 2021-04-03 (day first) or 2021-03-04 (month first)" in str(refused.value)
    assert parse_question("on 22/03/2021", TODAY).on.day == date(2021, 3, 22)  # type: ignore[union-attr]


def test_since_with_the_authority_after_the_date_says_which_order_to_use() -> None:
    with pytest.raises(QuestionError) as raised:
        parse_question("since 2021-03-22 by eu", date(2026, 11, 29))
    assert str(raised.value) == "Put the authority first: `by eu since 2021-03-22`."
    assert parse_question("by eu since 2021-03-22", date(2026, 11, 29)).authority == "eu"
