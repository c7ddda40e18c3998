"""Ingest of many articles: batches in one transaction, each article atomic inside it.

A file is read a document at a time and taken in batches of `BATCH`. Before
anything is validated, each document's key and content hash are compared
with the store's: an unchanged article costs a parse and a hash, nothing
more. The others are validated and stored in one transaction per batch
(taking the writer lock on PostgreSQL, so two ingests take turns batch by
batch): new articles through a `Plan` (storage.ingest.plan), a few
statements for the whole batch; revisions and the cases a plan cannot be
sure of through the one-article path, each in a savepoint. An article the
database refuses rolls back to its savepoint and is rejected alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, exists, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from storage.answers.cache import answer_cache
from storage.articles import Article, Document, Rejection, checked, document_identity, read_documents
from storage.channels.outbox import enqueue
from storage.db.generation import bump_generation
from storage.db.models import Article as ArticleRow
from storage.db.models import Authority, Subscription
from storage.db.store import Store
from storage.db.writer_lock import one_writer_at_a_time
from storage.ingest.plan import Plan
from storage.ingest.writer import ArticleOutcome, IngestReport, _store_article

log = logging.getLogger(__name__)

BATCH = 250  # articles a transaction: big enough to amortise, small enough to keep memory flat
FIRST_BATCH = 8
_DATES_KEPT = 200_000  # stored reports' dates remembered between batches
_RETRIES = 3
_CHUNK = 500  # keys per IN list
_UNCHANGED = ArticleOutcome("unchanged")


def ingest_paths(
    store: Store,
    paths: Iterable[Path],
    on_article: Callable[[Any], None] | None = None,
    format: str | None = None,
) -> IngestReport:
    """Read, validate and store every article under the paths, a batch at a time.

    `on_article` is called once per document read, in file order, after its
    batch is stored: with the Article, its Rejection, or (for an article
    skipped as unchanged before validation) the document as read.
    """
    report = IngestReport()
    with _unmapped(store):
        _ingest_all(store, paths, on_article, format, report)
    return report


@contextmanager
def _unmapped(store: Store) -> Iterator[None]:
    """SQLite reads the file through read() while ingest runs, not through its memory map.

    Every page of the file an ingest touches through the map counts in the
    process's memory, up to the map's 1 GiB (storage.db.store): an archive of
    any size must stay well under that. Answers keep the map: the connections
    ingest used are closed afterwards, and new ones open mapped again.
    """
    try:
        yield
    finally:
        if store.is_sqlite and store.engine.url.database not in (None, "", ":memory:"):
            store.engine.dispose()


def _no_map(connection: Connection) -> None:
    """This connection's reads through read(), for the rest of the run (see `_unmapped`)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA mmap_size=0")


def _ingest_all(
    store: Store, paths: Iterable[Path], on_article: Callable[[Any], None] | None, format: str | None,
    report: IngestReport,
) -> None:
    dates: dict[int, Any] = {}  # stored reports' dates, for every plan of the run (storage.ingest.plan)
    for batch in _batches(read_documents(paths, format), BATCH):
        if len(dates) > _DATES_KEPT:
            dates.clear()  # a cache: memory stays flat whatever the file's size
        for item, outcome in _ingest_batch(store, batch, dates):
            if isinstance(outcome, Rejection):
                report.rejected += 1
                report.rejections.append(outcome.message())
            else:
                setattr(report, outcome.status, getattr(report, outcome.status) + 1)
                report.actions_added += len(outcome.new_action_ids)
                report.new_action_ids.extend(outcome.new_action_ids)
            if on_article is not None:
                on_article(outcome if isinstance(outcome, Rejection) else item)


def _batches(items: Iterator[Document], size: int) -> Iterator[list[Document]]:
    """Batches growing from FIRST_BATCH to `size`: the first articles are stored, and
    shown stored, at once, and a short file never waits on a batch it cannot fill."""
    batch: list[Document] = []
    wanted = min(FIRST_BATCH, size)
    for item in items:
        batch.append(item)
        if len(batch) >= wanted:
            yield batch
            batch = []
            wanted = min(wanted * 2, size)
    if batch:
        yield batch


def _ingest_batch(store: Store, batch: list[Document], dates: dict) -> list[tuple[Any, ArticleOutcome | Rejection]]:
    """Each document of the batch with what became of it, in order."""
    identities = [document_identity(item) for item in batch]
    stored = _stored_hashes(store, [i[0] for i in identities if i is not None])
    results: list[tuple[Any, ArticleOutcome | Rejection | Article]] = []
    keys_seen: set[str] = set()
    for item, identity in zip(batch, identities, strict=True):
        # Skipped unread only as the first of its key in the batch: a later copy
        # may follow a revision of the same batch, and must then replace it back.
        if identity is not None and identity[0] not in keys_seen and stored.get(identity[0]) == identity[1]:
            results.append((item, _UNCHANGED))
        else:
            result = checked(item)
            results.append((result, result))
        if identity is not None:
            keys_seen.add(identity[0])
    articles = [result for _, result in results if isinstance(result, Article)]
    if not articles:
        return results  # type: ignore[return-value]
    outcomes = _store_batch(store, articles, dates)
    stored_outcomes = iter(outcomes)
    return [(item, next(stored_outcomes) if isinstance(result, Article) else result)  # type: ignore[misc]
            for item, result in results]


def _stored_hashes(store: Store, keys: list[str]) -> dict[str, str]:
    """Key -> content hash of the articles the store holds (committed), for the pre-check."""
    found: dict[str, str] = {}
    if not keys:
        return found
    with store.engine.connect() as connection:
        _no_map(connection)
        for start in range(0, len(keys), _CHUNK):
            found.update((key, content_hash) for key, content_hash in connection.execute(
                select(ArticleRow.key, ArticleRow.content_hash).where(ArticleRow.key.in_(keys[start:start + _CHUNK]))
            ).all())
    return found


def _store_batch(store: Store, articles: list[Article], dates: dict) -> list[ArticleOutcome | Rejection]:
    """Store the batch's articles in one transaction; retried when a concurrent writer collided."""
    for attempt in range(1, _RETRIES + 1):
        try:
            with store.session() as session:
                _no_map(session.connection())
                one_writer_at_a_time(session)
                # A write first: SQLite's driver opens the transaction only at one,
                # and the savepoints below must be inside it.
                bump_generation(session)
                outcomes = _write(session, articles, dates)
            if any(not isinstance(o, ArticleOutcome) or o.status != "unchanged" for o in outcomes):
                answer_cache(store).forget()
            return outcomes
        except IntegrityError:
            dates.clear()  # what the rolled-back batch read may not be the store's
            if attempt == _RETRIES:
                raise
            log.info("a batch of %d articles collided with another writer; retrying", len(articles))
    raise AssertionError("unreachable")


def _write(session: Session, articles: list[Article], dates: dict) -> list[ArticleOutcome | Rejection]:
    """Every article of the batch, in order: planned while it can be, one at a time where not."""
    held = _held(session, [a.key for a in articles])
    authorities = {name: id_ for name, id_ in session.execute(select(Authority.name, Authority.id))}
    outcomes: list[ArticleOutcome | Rejection | None] = [None] * len(articles)
    plan: Plan | None = None
    planned: list[int] = []

    def write_plan() -> None:
        nonlocal plan, planned
        if plan is not None and planned:
            for index, (status, new_actions) in zip(planned, _write_plan(session, plan, articles, planned),
                                                    strict=True):
                outcomes[index] = status if isinstance(status, Rejection) else ArticleOutcome(
                    status, tuple(new_actions))
        plan, planned = None, []

    for index, article in enumerate(articles):
        if held.get(article.key) == article.content_hash:
            outcomes[index] = _UNCHANGED
            continue
        if article.key not in held:
            if plan is None:
                rest = [a for a in articles[index:] if a.key not in held]
                plan = Plan(session, rest, authorities, dates)
            if plan.take(article):
                planned.append(index)
                held[article.key] = article.content_hash
                continue
        write_plan()
        dates.clear()  # the one-article path may move stored reports
        outcomes[index] = _one_article(session, article)
        if isinstance(outcomes[index], ArticleOutcome):
            held[article.key] = article.content_hash
    write_plan()
    return outcomes  # type: ignore[return-value]


def _write_plan(
    session: Session, plan: Plan, articles: list[Article], planned: list[int]
) -> list[tuple[str | Rejection, list[int]]]:
    """The plan's rows in one savepoint; where the database refuses them, each article alone."""
    try:
        with session.begin_nested():
            written = plan.write()
            # Asked once a plan, not once an article: most stores have no channel to tell.
            if session.scalar(select(exists().where(Subscription.kind == "new"))):
                for _article, article_id, new_actions in written:
                    enqueue(session, new_actions, article_id)
        return [("new", new_actions) for _, _, new_actions in written]
    except IntegrityError:
        raise
    except DBAPIError as error:
        if error.connection_invalidated:
            raise
        log.info("a planned batch was refused (%s); storing its articles one at a time", error.orig)
    results: list[tuple[str | Rejection, list[int]]] = []
    plan.dates.clear()
    for index in planned:
        outcome = _one_article(session, articles[index])
        results.append((outcome, []) if isinstance(outcome, Rejection) else
                       (outcome.status, list(outcome.new_action_ids)))
    return results


def _one_article(session: Session, article: Article) -> ArticleOutcome | Rejection:
    """The one-article path in a savepoint: refused by the database, it is rejected alone."""
    session.expunge_all()  # rows the plan wrote since may be newer than objects held
    try:
        with session.begin_nested():
            return _store_article(session, article)
    except IntegrityError:
        raise  # a concurrent writer: the whole batch is tried again
    except DBAPIError as error:
        if error.connection_invalidated:
            raise
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        return Rejection(article.origin, (f"the database refused to store it: {reason}",))


def _held(session: Session, keys: list[str]) -> dict[str, str]:
    """Key -> content hash of the batch's articles the store holds, read under the writer lock."""
    found: dict[str, str] = {}
    ordered = sorted(set(keys))
    for start in range(0, len(ordered), _CHUNK):
        found.update((key, content_hash) for key, content_hash in session.execute(
            select(ArticleRow.key, ArticleRow.content_hash).where(ArticleRow.key.in_(ordered[start:start + _CHUNK]))
        ).all())
    return found
