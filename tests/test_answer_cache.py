"""Answers kept in memory are never stale, whichever process changed the facts."""

from __future__ import annotations

from pathlib import Path

from storage.ingest import ingest_paths
from storage.queries import answer
from storage.questions import NameQuestion
from storage.store import Store
from tests.builders import simple_article, write_json

QUESTION = NameQuestion("wang junzheng", "wang junzheng")


def report(store: Store, folder: Path, article_id: str, authority: str) -> None:
    document = simple_article(article_id, "Wang Junzheng", authority, "Monday")
    ingest_paths(store, [write_json(folder / f"{article_id}.json", document)])


def test_a_repeated_question_is_answered_from_memory(store: Store, tmp_path: Path) -> None:
    report(store, tmp_path, "a", "The Treasury")
    first = answer(store, QUESTION)
    assert answer(store, QUESTION) is first


def test_facts_stored_by_another_process_show_at_once(store_url: str, tmp_path: Path) -> None:
    bot, editor = Store.open(store_url), Store.open(store_url)  # two processes' stores
    report(editor, tmp_path, "a", "The Treasury")
    assert len(answer(bot, QUESTION).matches[0].actions) == 1
    report(editor, tmp_path, "b", "The EU")
    assert len(answer(bot, QUESTION).matches[0].actions) == 2
    report(editor, tmp_path, "b", "The EU")
    unchanged = answer(bot, QUESTION)
    assert answer(bot, QUESTION) is unchanged  # re-ingesting the same article changes nothing
    bot.dispose()
    editor.dispose()
