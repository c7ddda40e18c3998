"""Opening the store: one engine per process, the schema brought up to date.

SQLite by default (a file in the working directory), PostgreSQL through
DATABASE_URL. Connection timeouts are short on purpose: a journalist must
get an apology within Slack's 3 seconds, not a silent timeout.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")
# What every answer reads: the facts' generation and the targets.
_PING = "SELECT (SELECT generation FROM store_state LIMIT 1), (SELECT id FROM targets LIMIT 1)"
DEFAULT_DATABASE_URL = "sqlite:///sanctions.db"
CONNECT_TIMEOUT_SECONDS = 2
# How long an answer waits for a lock on an SQLite file. Readers of a WAL file
# wait only while another process holds it exclusively; an answer must apologise
# within Slack's 3 seconds rather than wait out an ingest.
SQLITE_READ_WAIT_SECONDS = 0.5


class StoreUnavailable(RuntimeError):
    """The database cannot be reached or answered with a server error."""


class BadDatabaseUrl(ValueError):
    """DATABASE_URL names no database we can open: the user's to fix, in one sentence."""


_SUPPORTED_DRIVERS = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")
# As hosting services and libpq write them; psycopg 3 is the driver we ship.
_POSTGRESQL_SCHEMES = ("postgres", "postgresql")


def database_url_from_env() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def usable_database_url(url: str) -> str:
    """The URL SQLAlchemy should open: `postgres://…` as psycopg 3's; BadDatabaseUrl if none."""
    try:
        driver = make_url(url).drivername
    except ArgumentError:
        raise BadDatabaseUrl(
            f"DATABASE_URL {url!r} is not a database URL; write sqlite:///path.db or "
            "postgresql+psycopg://user@host/db."
        ) from None
    if driver in _POSTGRESQL_SCHEMES:
        return "postgresql+psycopg" + url[len(driver):]
    if driver not in _SUPPORTED_DRIVERS:
        raise BadDatabaseUrl(
            f"DATABASE_URL uses {driver!r}, which this app cannot open; write sqlite:///path.db or "
            "postgresql+psycopg://user@host/db."
        )
    return url


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url, wait_seconds=30)
    return _server_engine(url, pool_pre_ping=True)


def _sqlite_engine(url: str, wait_seconds: float) -> Engine:
    """An SQLite engine whose connections wait `wait_seconds` for a lock."""
    engine = create_engine(url, connect_args={"timeout": wait_seconds})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Answers read a few hundred rows scattered over the file: mapped
        # pages cost no system call, and a larger cache keeps the index hot.
        cursor.execute("PRAGMA mmap_size=1073741824")  # 1 GiB
        cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB
        cursor.close()

    return engine


def _reading_engine(url: str) -> Engine:
    """Its own pool for answers.

    On SQLite, connections that give up on a lock after SQLITE_READ_WAIT_SECONDS,
    so that an answer never outlasts Slack's deadline and needs no watchdog
    thread (see `reads_end_in_time`). On PostgreSQL, no transaction and no ping
    before each use:

    A BEGIN, a ROLLBACK and a ping are three round trips to the server per
    answer, more than the answer's own statements. A connection that went stale
    (the server restarted) is found by its first statement instead, and
    Store.read tries once more on a fresh one.
    """
    if url.startswith("sqlite"):
        return _sqlite_engine(url, wait_seconds=SQLITE_READ_WAIT_SECONDS)
    return _server_engine(url, isolation_level="AUTOCOMMIT")


def _server_engine(url: str, **options: object) -> Engine:
    """A pool of 5+5 connections to a database server, each given up on quickly."""
    connect_args = {"connect_timeout": CONNECT_TIMEOUT_SECONDS} if url.startswith("postgresql") else {}
    return create_engine(
        url,
        pool_size=5,
        max_overflow=5,
        pool_timeout=CONNECT_TIMEOUT_SECONDS,
        connect_args=connect_args,
        **options,
    )


def _probe_sqlite_file(path: str) -> None:
    """Read the file as it is now, on a new read-only connection.

    A pooled connection keeps reading the file it opened (and its cached
    pages) after the file is moved or overwritten, and a new read-write one
    would create an empty file where the store was.
    """
    try:
        connection = sqlite3.connect(
            f"file:{quote(str(Path(path).resolve()))}?mode=ro", uri=True, timeout=SQLITE_READ_WAIT_SECONDS
        )
        try:
            connection.execute(_PING).fetchall()
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise StoreUnavailable(f"{path}: {error}") from error


class Store:
    """The engine and a session factory; cheap to share within a process."""

    def __init__(self, url: str) -> None:
        url = usable_database_url(url)
        self.url = url
        self.engine = _engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        in_memory = self.is_sqlite and self.engine.url.database in (None, "", ":memory:")
        self._reader = self.engine if in_memory else _reading_engine(url)

    @classmethod
    def open(cls, database_url: str | None = None, upgrade: bool = True) -> Store:
        """Open the store, applying any migration it lacks."""
        store = cls(database_url or database_url_from_env())
        if upgrade:
            from storage.db.migrate import upgrade_if_needed

            try:
                upgrade_if_needed(store.engine)
            except (OperationalError, DBAPIError) as error:
                raise StoreUnavailable(_describe(error)) from error
        return store

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back on error."""
        try:
            with self._sessions() as session, session.begin():
                yield session
        except (OperationalError, DBAPIError) as error:
            if _is_connection_error(error):
                raise StoreUnavailable(_describe(error)) from error
            raise

    def read(self, work: Callable[[Connection], T]) -> T:
        """`work` on a connection for reading, without the ORM's unit of work.

        Answers are on Slack's clock. On PostgreSQL each statement sees what
        was committed when it ran; a pooled connection found dead (the server
        restarted since) costs one more try, not an apology.
        """
        for attempt in (1, 2):
            try:
                with self._reader.connect() as connection:
                    return work(connection)
            except (OperationalError, DBAPIError) as error:
                if attempt == 1 and error.connection_invalidated and not self.is_sqlite:
                    continue
                if _is_connection_error(error):
                    raise StoreUnavailable(_describe(error)) from error
                raise
        raise AssertionError("unreachable")

    def ping(self) -> None:
        """Raise StoreUnavailable unless the store answers a read of its tables now.

        `SELECT 1` reads no table: an SQLite file moved away (a new empty one
        takes its place) or overwritten under a running process would pass it
        while every answer fails.
        """
        if self._reader is not self.engine and self.is_sqlite:
            _probe_sqlite_file(self.engine.url.database or "")
            return
        try:
            with self._reader.connect() as connection:
                connection.execute(text(_PING))
        except (OperationalError, DBAPIError) as error:
            raise StoreUnavailable(_describe(error)) from error

    def dispose(self) -> None:
        self.engine.dispose()
        self._reader.dispose()

    @property
    def reads_end_in_time(self) -> bool:
        """Whether `read` returns or raises within Slack's deadline by itself.

        True of an SQLite file: it is local, and a lock is waited for at most
        SQLITE_READ_WAIT_SECONDS per statement. A database server can hang
        mid-answer, so its reads need a watchdog.
        """
        return self.is_sqlite

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def sqlite_path(self) -> Path | None:
        database = self.engine.url.database
        return Path(database) if self.is_sqlite and database else None


# SQLite reports our own mistakes (a missing column) as OperationalError too;
# those are bugs to log with their trace, not an outage to apologise for.
_SQLITE_BUGS = ("no such ", "table ", "syntax error", "near ")


def _is_connection_error(error: DBAPIError) -> bool:
    if error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError):
        return False
    return not str(error.orig).lower().startswith(_SQLITE_BUGS)


def _describe(error: Exception) -> str:
    first_line = str(getattr(error, "orig", error)).strip().splitlines()
    return first_line[0] if first_line else type(error).__name__
