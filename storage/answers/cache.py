"""Answers kept in memory until the facts change.

On a big sanctions day everybody asks about the same few people. Every
change of facts increments one number in the store (in the same transaction
as the change), and an answer is served from memory only while that number
is what it was when the answer was made.

Reading that number is a round trip to the database, which on a busy day
costs more than the rest of a repeated answer; so a number read less than
FRESH_SECONDS ago is trusted without asking again. A change made by this
process drops the kept answers at once (`forget`, called by ingest); a change
made by another process shows within FRESH_SECONDS, far sooner than anyone
can ask twice.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Connection

from storage.answers.model import Answer
from storage.db.generation import current_generation
from storage.db.store import Store

T = TypeVar("T")
FRESH_SECONDS = 0.1
MAX_ANSWERS = 4096  # about 20 KB each with its rendered card: under 100 MB per process


class AnswerCache:
    """A small LRU of answers, valid for one generation of the facts."""

    def __init__(self, size: int = MAX_ANSWERS, fresh_seconds: float = FRESH_SECONDS) -> None:
        self._size = size
        self._fresh_seconds = fresh_seconds
        # Answers, and a few facts answers are made from (which lists are loaded), by key.
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        self._generation: int | None = None
        self._read_at = float("-inf")  # when the generation was last read from the store
        self._forgotten = 0  # changes made by this process: a read begun before one is too old
        self._lock = threading.Lock()

    def kept(self, key: Hashable) -> Answer | None:
        """The answer kept for `key` while the generation was read recently; no I/O."""
        with self._lock:
            if time.monotonic() - self._read_at > self._fresh_seconds:
                return None
            cached = self._answers.get(key)
            if cached is not None:
                self._answers.move_to_end(key)
            return cached

    def get_or_make(
        self, connection: Connection, key: Hashable, make: Callable[[], T], *, trust_recent: bool = False
    ) -> T:
        """The kept answer for `key`, or `make()`'s, kept while the facts hold.

        With `trust_recent`, a generation read less than FRESH_SECONDS ago is
        taken as current, as `kept` does, instead of being read again.
        """
        with self._lock:
            forgotten = self._forgotten
            generation = self._generation
            recent = trust_recent and time.monotonic() - self._read_at <= self._fresh_seconds
        if not recent or generation is None:
            generation = self._read_generation(connection, forgotten)
        with self._lock:
            cached = self._answers.get(key) if generation == self._generation else None
            if cached is not None:
                self._answers.move_to_end(key)
                return cached
        made = make()
        with self._lock:
            if generation == self._generation and forgotten == self._forgotten:
                self._answers[key] = made
                if len(self._answers) > self._size:
                    self._answers.popitem(last=False)
        return made

    def _read_generation(self, connection: Connection, forgotten: int) -> int:
        started = time.monotonic()
        generation = current_generation(connection)
        with self._lock:
            # Generations only grow: a read overtaken by a newer one changes nothing.
            if forgotten == self._forgotten and (self._generation is None or generation >= self._generation):
                if generation != self._generation:
                    self._answers.clear()
                    self._generation = generation
                self._read_at = max(self._read_at, started)
        return generation

    def forget(self) -> None:
        """This process changed the facts: nothing kept may be served again."""
        with self._lock:
            self._answers.clear()
            self._generation = None
            self._read_at = float("-inf")
            self._forgotten += 1


_CACHES: WeakKeyDictionary[Store, AnswerCache] = WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def answer_cache(store: Store) -> AnswerCache:
    """The answers this process keeps for one store; gone with the store."""
    with _CACHES_LOCK:
        cache = _CACHES.get(store)
        if cache is None:
            cache = _CACHES[store] = AnswerCache()
        return cache
