"""Ingest in batches stores what ingesting one article at a time stores.

The corpus is the bundled samples and generated articles chosen to meet
every hard case often: a few people named several ways (so that articles
merge targets), reports of one measure at the day, the week and the month
(so that reports regroup), revisions of earlier articles, articles that
repeat exactly, and articles that are rejected.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from storage.answers.queries import answer
from storage.answers.questions import parse_question
from storage.articles import Article, read_articles
from storage.channels.subscriptions import subscribe
from storage.db.models import Action, Authority, Delivery, Target
from storage.db.models import Article as ArticleRow
from storage.db.store import Store
from storage.ingest import batch
from storage.ingest.writer import ingest_article, ingest_paths
from storage.samples import SAMPLES_DIR
from tests.builders import article

TODAY = date(2026, 11, 29)
# (the name, another spelling of it): an article naming a person by the one
# and another by the other make two targets until an article gives both.
PEOPLE = [
    ("Ivan Petrovsky", "Ivan Petrovskiy"), ("Olga Sidorenko", "Olga Sydorenko"), ("Wang Junfeng", "王俊峰"),
    ("Maria Kovalenko", "Mariya Kovalenko"), ("Omar Haddadin", "Omar al-Haddadin"),
    ("Golden Star Shipping LLC", "Golden Star Shipping Limited Liability Company"),
]
AUTHORITIES = ["The Treasury", "The European Union", "Britain", "Canada"]


def _date(rng: random.Random, published: date, coarse: bool) -> tuple[str | None, str | None]:
    """A DATE span's words and value: days, weeks and months of the same few weeks, or none."""
    day = date(2021, 3, 1) + timedelta(days=rng.randrange(0, 40))
    day = min(day, published)
    roll = rng.random()
    if roll < 0.15:
        return None, None
    if roll < 0.45 or not coarse:
        return f"{day.day} {day:%B %Y}", None
    if roll < 0.65:
        return f"{day:%B %Y}", None
    if roll < 0.8:
        return "last week", None
    if roll < 0.9:
        return "earlier this month", f"{day:%Y-%m}"
    return "that day", day.isoformat()


def generated_article(number: int, rng: random.Random, version: int = 0, coarse: bool = True) -> dict:
    """An article of one to four events about the few people, with offsets computed.

    `coarse`: some dates known only to the week or the month, which join or
    leave the events of finer dates as reports arrive.
    """
    published = date(2021, 3, 20) + timedelta(days=rng.randrange(0, 45))
    text = f"Desk wire, version {version}. "
    entities: list[dict] = []
    events: list[dict] = []

    def mark(words: str, label: str, **extra: Any) -> str:
        nonlocal text
        entity_id = f"E{len(entities) + 1}"
        entities.append({"id": entity_id, "label": label, "start": len(text), "end": len(text) + len(words),
                         "text": words, **extra})
        text += words
        return entity_id

    for authority in rng.sample(AUTHORITIES, rng.randint(1, 4)):
        name, other = rng.choice(PEOPLE)
        label = "ORG" if name.endswith("LLC") else "PERSON"
        how = rng.random()
        event: dict = {"action": rng.choice(["imposed", "imposed", "imposed", "lifted"])}
        event["authority"] = mark(authority, "AUTHORITY")
        text += " acted against "
        if how < 0.45:
            event["target"] = mark(name, label)
        elif how < 0.75:
            event["target"] = mark(other, label)
        else:
            event["target"] = mark(name, label, aliases=[other])
        words, value = _date(rng, published, coarse)
        if words is not None:
            text += " on "
            event["date"] = mark(words, "DATE", **({"value": value} if value else {}))
        text += " over "
        event["reason"] = mark(rng.choice(["corruption", "abuses", "drones"]), "REASON")
        text += ". "
        events.append(event)
    return article(text, published.isoformat(), entities, events, f"gen-{number}", source="Test Wire",
                   title=f"Round-up {number}")


def corpus(folder: Path, count: int = 240, seed: int = 5) -> list[Path]:
    """The samples, then a JSON-lines file with revisions, exact repeats and rejections among new articles."""
    rng = random.Random(seed)
    lines: list[dict | str] = []
    latest: dict[int, dict] = {}
    for number in range(count):
        roll = rng.random()
        if latest and roll < 0.1:  # a revision of an earlier article
            earlier = rng.choice(sorted(latest))
            latest[earlier] = generated_article(earlier, random.Random(rng.random()), version=number)
            lines.append(latest[earlier])
        elif latest and roll < 0.15:  # the same article again, unchanged
            lines.append(latest[rng.choice(sorted(latest))])
        elif roll < 0.2:  # rejected: an offset past the end of its text
            bad = generated_article(10_000 + number, rng)
            bad["entities"][0]["end"] = len(bad["text"]) + 5
            lines.append(bad)
        elif roll < 0.22:
            lines.append("{not json")
        else:
            latest[number] = generated_article(number, rng)
            lines.append(latest[number])
    path = folder / "corpus.jsonl"
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n"
                            for line in lines), encoding="utf-8")
    return [SAMPLES_DIR, path]


def one_at_a_time(store: Store, paths: list[Path]) -> None:
    """The one-article path for every article, in file order: what ingest did before batches."""
    for item in read_articles(paths):
        if isinstance(item, Article):
            ingest_article(store, item)


def every_answer(store: Store) -> dict[str, Any]:
    with store.session() as session:
        names = sorted(set(session.scalars(select(Target.name))))
    return {name: answer(store, parse_question(name, TODAY), limit=50).to_json() for name in names}


def outbox(store: Store) -> list[tuple]:
    """Each delivery owed, by what it is about rather than by row ids."""
    with store.session() as session:
        rows = session.execute(
            select(Delivery.channel_id, Target.name, Authority.name, Action.kind, Action.day, Action.precision,
                   ArticleRow.key)
            .join(Action, Action.id == Delivery.action_id)
            .join(Target, Target.id == Action.target_id)
            .join(Authority, Authority.id == Action.authority_id)
            .join(ArticleRow, ArticleRow.id == Delivery.article_id)
        ).all()
    return sorted(tuple(row) for row in rows)


def shape(store: Store) -> dict[str, Any]:
    return {"answers": every_answer(store), "outbox": outbox(store)}


@pytest.mark.timeout(300)
def test_ingesting_in_batches_stores_what_one_article_at_a_time_stores(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = corpus(tmp_path)
    one = Store.open(store_url)
    subscribe(one, "T1", "C1", "new")
    one_at_a_time(one, paths)
    expected = shape(one)
    one.dispose()
    assert len(expected["answers"]) > 20 and len(expected["outbox"]) > 50

    # Batches of 7 end inside runs of related articles; one batch holds the whole file.
    for size in (7, 1000):
        monkeypatch.setattr(batch, "BATCH", size)
        with _empty_store_like(store_url, tmp_path / f"batched-{size}.db") as url:
            actual = _batched(url, paths)
        assert actual["outbox"] == expected["outbox"], size
        assert actual["answers"] == expected["answers"], size


def _batched(url: str, paths: list[Path]) -> dict[str, Any]:
    store = Store.open(url)
    subscribe(store, "T1", "C1", "new")
    report = ingest_paths(store, paths)
    assert report.rejected > 5 and report.replaced > 5 and report.unchanged >= 3
    result = shape(store)
    store.dispose()
    return result


@contextmanager
def _empty_store_like(store_url: str, path: Path) -> Iterator[str]:
    """Another empty store on the same backend."""
    if store_url.startswith("sqlite"):
        yield f"sqlite:///{path}"
        return
    from tests.conftest import _postgres_schema

    with _postgres_schema(store_url.split("?")[0]) as url:
        yield url
