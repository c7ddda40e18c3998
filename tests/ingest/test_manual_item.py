"""What an editor types in the add form: refused on the field at fault, or stored as meant."""

from __future__ import annotations

from datetime import date

import pytest

from storage.ingest.manual import ItemFields, build_document

TODAY = date(2026, 11, 29)
ITEM = ItemFields(target="Ivan Petrov", authority="the EU", date="2026-11-25",
                  source_url="https://example.org/eu-petrov")


def errors_of(**changes: str) -> dict[str, str]:
    fields = ItemFields(**{**ITEM.__dict__, **changes})
    return build_document(fields, today=TODAY)[1]


def test_the_item_as_typed_has_no_errors() -> None:
    assert errors_of() == {}


@pytest.mark.parametrize("name", ["🙂", "<!channel>", "<@U0BOSS>", "Ivan Petrov 🇷🇺", "\ue000"])
def test_a_target_that_is_no_written_name_is_refused_on_its_field(name: str) -> None:
    # Stored, it would be posted to every subscribed channel and listed in every answer.
    assert "in letters" in errors_of(target=name)["target"]


@pytest.mark.parametrize("name", ["En+ Group", "AT&T", "Unit 61398", "O'Brien-Smith", "王君正", "Ерёменко"])
def test_names_keep_their_digits_punctuation_and_scripts(name: str) -> None:
    assert errors_of(target=name) == {}


def test_an_authority_that_is_no_written_name_is_refused_on_its_field() -> None:
    assert "in letters" in errors_of(authority="🇪🇺")["authority"]


def test_a_date_that_reads_both_ways_offers_both_readings_in_its_own_year() -> None:
    assert "2021-04-03 (day first) or 2021-03-04 (month first)" in errors_of(date="03/04/2021")["date"]


def test_a_measure_announced_to_take_effect_soon_may_be_added_but_not_a_slip_of_the_year() -> None:
    assert errors_of(date="1 January 2027") == {}
    assert "more than a year ahead" in errors_of(date="2207-01-01")["date"]
