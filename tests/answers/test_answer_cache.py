"""Answers kept in memory are never stale, whichever process changed the facts; the Slack
side's shortcut (kept_answer) trusts them for FRESH_SECONDS at most."""

from __future__ import annotations

import time
from pathlib import Path

from storage.answers.cache import FRESH_SECONDS
from storage.answers.queries import answer, kept_answer
from storage.answers.questions import NameQuestion
from storage.db.store import Store
from storage.ingest.writer import ingest_paths
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


def test_the_slack_side_trusts_a_kept_answer_only_briefly(store: Store, tmp_path: Path) -> None:
    """kept_answer is what a busy worker answers without the database: only for FRESH_SECONDS."""
    report(store, tmp_path, "a", "The Treasury")
    first = answer(store, QUESTION)
    assert kept_answer(store, QUESTION) is first
    time.sleep(FRESH_SECONDS * 1.5)
    assert kept_answer(store, QUESTION) is None  # the generation must be read again
    assert answer(store, QUESTION) is first and kept_answer(store, QUESTION) is first


def test_a_change_made_by_this_process_drops_kept_answers_at_once(store: Store, tmp_path: Path) -> None:
    report(store, tmp_path, "a", "The Treasury")
    answer(store, QUESTION)
    report(store, tmp_path, "b", "The EU")
    assert kept_answer(store, QUESTION) is None
    assert len(answer(store, QUESTION).matches[0].actions) == 2


def test_a_change_made_by_another_process_reaches_kept_answers_within_the_window(
    store_url: str, tmp_path: Path
) -> None:
    bot, editor = Store.open(store_url), Store.open(store_url)
    report(editor, tmp_path, "a", "The Treasury")
    answer(bot, QUESTION)
    report(editor, tmp_path, "b", "The EU")
    time.sleep(FRESH_SECONDS * 1.5)
    assert kept_answer(bot, QUESTION) is None
    assert len(answer(bot, QUESTION).matches[0].actions) == 2
    bot.dispose()
    editor.dispose()


def test_answers_made_for_slack_trust_the_generation_no_longer_than_the_window(
    store_url: str, tmp_path: Path
) -> None:
    """Slack's path skips re-reading the generation for FRESH_SECONDS: never longer."""
    bot, editor = Store.open(store_url), Store.open(store_url)
    report(editor, tmp_path, "a", "The Treasury")
    answer(bot, QUESTION, trust_recent=True)
    report(editor, tmp_path, "b", "The EU")
    time.sleep(FRESH_SECONDS * 1.5)
    assert len(answer(bot, QUESTION, trust_recent=True).matches[0].actions) == 2
    bot.dispose()
    editor.dispose()
