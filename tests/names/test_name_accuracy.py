"""Our labelled name queries, answered from the samples: right or honestly unsure."""

from __future__ import annotations

from pathlib import Path

from benchmarks.name_accuracy import evaluate, load_labelled
from storage.answers.queries import answer
from storage.answers.questions import NameQuestion
from storage.db.store import Store
from storage.ingest.writer import ingest_paths
from tests.builders import simple_article, write_json


def matcher(store: Store):  # type: ignore[no-untyped-def]
    def ask(query: str) -> tuple[str | None, list[str]]:
        result = answer(store, NameQuestion(query, query))
        return result.best, [m.name for m in result.matches]

    return ask


def test_the_labelled_set_is_large_and_varied() -> None:
    items = load_labelled()
    kinds = {item["kind"] for item in items}
    assert len(items) >= 300
    assert {"exact", "reordered", "spacing", "typo", "transliteration", "script", "surname_only",
            "ambiguous", "not_in_store", "look_alike"} <= kinds


def test_labelled_queries_find_the_right_person_and_never_a_wrong_one(samples: Store) -> None:
    result = evaluate(matcher(samples))
    assert result.confidently_wrong == 0, "\n".join(result.failures)
    assert result.ambiguous_handled == result.ambiguous_total
    assert result.top1 >= 0.97, "\n".join(result.failures)


def test_chinese_characters_find_a_person_recorded_only_in_pinyin(store: Store, tmp_path: Path) -> None:
    document = simple_article("a", "Wang Junzheng", "The Treasury", "Monday")
    ingest_paths(store, [write_json(tmp_path / "a.json", document)])
    result = answer(store, NameQuestion("王君正", "王君正"))
    assert result.best == "Wang Junzheng"
    assert result.matches[0].aliases == []  # no alias was recorded: the characters were read as pinyin
