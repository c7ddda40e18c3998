"""Answers kept in memory until the facts change.

On a big sanctions day everybody asks about the same few people. Every
change of facts increments one number in the store (in the same transaction
as the change), and an answer is served from memory only while that number
is what it was when the answer was made: one indexed read instead of a name
search, and never a stale answer, whichever process changed the facts.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session

from storage.answers import Answer
from storage.models import StoreState

MAX_ANSWERS = 4096  # about 20 KB each with its rendered card: under 100 MB per process


def bump_generation(session: Session) -> None:
    """Mark the facts as changed (inside the writing transaction)."""
    updated = session.execute(update(StoreState).where(StoreState.id == 1).values(generation=StoreState.generation + 1))
    if not updated.rowcount:
        session.add(StoreState(id=1, generation=1))
        session.flush()


_GENERATION = select(StoreState.generation).where(StoreState.id == 1)


def current_generation(connection: Connection | Session) -> int:
    return connection.scalar(_GENERATION) or 0


class AnswerCache:
    """A small LRU of answers, valid for one generation of the facts."""

    def __init__(self, size: int = MAX_ANSWERS) -> None:
        self._size = size
        self._answers: OrderedDict[Hashable, Answer] = OrderedDict()
        self._generation: int | None = None
        self._lock = threading.Lock()

    def get_or_make(self, connection: Connection, key: Hashable, make: Callable[[], Answer]) -> Answer:
        generation = current_generation(connection)
        with self._lock:
            if generation != self._generation:
                self._answers.clear()
                self._generation = generation
            cached = self._answers.get(key)
            if cached is not None:
                self._answers.move_to_end(key)
                return cached
        made = make()
        with self._lock:
            if generation == self._generation:
                self._answers[key] = made
                if len(self._answers) > self._size:
                    self._answers.popitem(last=False)
        return made
