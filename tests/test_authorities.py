"""What news copy calls an authority maps to one canonical body."""

from datetime import date
from pathlib import Path

import pytest

from storage.answers.queries import answer
from storage.answers.questions import parse_question
from storage.authorities import jurisdiction_named, resolve_authority
from storage.db.store import Store
from storage.ingest.writer import ingest_paths
from tests.builders import simple_article, write_json


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
        # Copy in other languages names the same bodies.
        ("欧盟", "Council of the European Union", "EU"),
        ("Евросоюз", "Council of the European Union", "EU"),
        ("l'Union européenne", "Council of the European Union", "EU"),
        ("美国财政部", "U.S. Department of the Treasury", "US"),
        ("Минфин США", "U.S. Department of the Treasury", "US"),
        ("Великобритания", "UK Government", "GB"),
        ("英国", "UK Government", "GB"),
        ("Госдепартамент", "U.S. Department of State", "US"),
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


def test_a_report_in_another_language_merges_with_the_english_one(store: Store, tmp_path: Path) -> None:
    english = simple_article("en", "Zhu Hailun", "The EU", "on 22 March 2021", published="2021-03-23")
    chinese = simple_article("zh", "Zhu Hailun", "欧盟", "on 22 March 2021", published="2021-03-23")
    report = ingest_paths(store, [write_json(tmp_path / "en.json", english), write_json(tmp_path / "zh.json", chinese)])
    assert report.rejected == 0, report.rejections
    (action,) = answer(store, parse_question("zhu hailun", date(2026, 11, 29))).matches[0].actions
    assert (action.authority, action.jurisdiction, action.date) == ("Council of the European Union", "EU", "2021-03-22")
    assert len(action.sources) == 2
    listed = answer(store, parse_question("by eu", date(2026, 11, 29))).actions
    assert [a.target for a in listed] == ["Zhu Hailun"]
