"""A name shared by more people than one answer lists says so, instead of "fits 10"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from storage.answers.queries import MAX_MATCHES, answer
from storage.answers.questions import parse_question
from storage.db.store import Store
from storage.ingest.writer import ingest_paths
from tests.builders import simple_article, write_jsonl

TODAY = date(2026, 11, 29)
GIVEN_NAMES = ["Wei", "Min", "Jun", "Lei", "Tao", "Bo", "Hui", "Yan", "Qiang", "Ping", "Hong", "Gang", "Xin", "Kai"]


def store_people(store: Store, folder: Path, surname: str, count: int) -> None:
    documents: list[dict | str] = [
        simple_article(f"{surname}-{given}", f"{surname} {given}", "The Treasury", "on Monday")
        for given in GIVEN_NAMES[:count]
    ]
    report = ingest_paths(store, [write_jsonl(folder / f"{surname}.jsonl", documents)])
    assert report.rejected == 0, report.rejections


def test_a_surname_of_more_people_than_fit_says_there_are_more(store: Store, tmp_path: Path) -> None:
    store_people(store, tmp_path, "Zhang", 14)
    result = answer(store, parse_question("zhang", TODAY))
    assert len(result.matches) == MAX_MATCHES == 10
    assert result.best is None
    assert result.more_matches is True


def test_a_surname_of_exactly_as_many_as_fit_says_no_more(store: Store, tmp_path: Path) -> None:
    store_people(store, tmp_path, "Zhang", MAX_MATCHES)
    result = answer(store, parse_question("zhang", TODAY))
    assert len(result.matches) == MAX_MATCHES and result.more_matches is False


def test_a_surname_of_a_few_lists_them_all(store: Store, tmp_path: Path) -> None:
    store_people(store, tmp_path, "Zhang", 12)
    store_people(store, tmp_path, "Liang", 3)
    result = answer(store, parse_question("liang", TODAY))
    assert {m.name for m in result.matches} == {"Liang Wei", "Liang Min", "Liang Jun"}
    assert result.best is None
    assert result.more_matches is False
