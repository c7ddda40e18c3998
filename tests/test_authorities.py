"""What news copy calls an authority maps to one canonical body."""

import pytest

from storage.authorities import jurisdiction_named, resolve_authority


@pytest.mark.parametrize(
    ("written", "canonical", "jurisdiction"),
    [
        ("Treasury Department", "U.S. Department of the Treasury", "US"),
        ("the Treasury", "U.S. Department of the Treasury", "US"),
        ("OFAC", "U.S. Department of the Treasury", "US"),
        ("the U.S. Treasury", "U.S. Department of the Treasury", "US"),
        ("the Treasury Department’s Office of Foreign Assets Control", "U.S. Department of the Treasury", "US"),
        ("the State Department", "U.S. Department of State", "US"),
        ("the EU", "Council of the European Union", "EU"),
        ("the bloc", "Council of the European Union", "EU"),
        ("Brussels", "Council of the European Union", "EU"),
        ("Council of the EU", "Council of the European Union", "EU"),
        ("Britain", "UK Government", "GB"),
        ("London", "UK Government", "GB"),
        ("HM Treasury", "UK Government", "GB"),
        ("OFSI", "UK Government", "GB"),
        ("the Foreign Office", "UK Government", "GB"),
        ("FCDO", "UK Government", "GB"),
        ("Canada", "Government of Canada", "CA"),
        ("Ottawa", "Government of Canada", "CA"),
        ("the UN Security Council", "United Nations Security Council", "UN"),
        ("Beijing", "Government of China", "CN"),
        ("China's foreign ministry", "Government of China", "CN"),
        ("Australia", "Government of Australia", "AU"),
        ("Canberra", "Government of Australia", "AU"),
        ("Switzerland", "Swiss Federal Council", "CH"),
        ("Bern", "Swiss Federal Council", "CH"),
        ("Japan", "Government of Japan", "JP"),
        ("Tokyo", "Government of Japan", "JP"),
    ],
)
def test_news_names_of_authorities(written: str, canonical: str, jurisdiction: str) -> None:
    authority = resolve_authority(written)
    assert (authority.name, authority.jurisdiction, authority.known) == (canonical, jurisdiction, True)


def test_an_unknown_authority_is_kept_as_written() -> None:
    authority = resolve_authority("Taiwan's Ministry of Economic Affairs")
    assert authority.name == "Taiwan's Ministry of Economic Affairs"
    assert authority.jurisdiction is None and not authority.known


def test_queries_can_name_a_whole_jurisdiction() -> None:
    assert jurisdiction_named("US") == "US"
    assert jurisdiction_named("the UK") == "GB"
    assert jurisdiction_named("ofac") is None
