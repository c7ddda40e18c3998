"""Buttons clicked in the last few seconds, in this process: a repeat is a double click.

Slack sends every click, so two quick clicks on one button arrive as two
requests, often handled at the same moment by two threads. Remembering each
click briefly lets the second one see the first. Memory only, no table: a
double click's two requests come within a second, so a short window and a
bounded number of entries suffice. Only clicks reaching the same process
are seen: with several workers the two requests can land apart.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

WINDOW_SECONDS = 10.0  # far longer than a double click, far shorter than a deliberate second share
CAPACITY = 4096  # clicks remembered at most; the oldest go first


class RecentClicks:
    """Which clicks were first within the window; thread-safe, bounded."""

    def __init__(
        self, window: float = WINDOW_SECONDS, capacity: int = CAPACITY, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.window = window
        self.capacity = capacity
        self.clock = clock
        self._seen: OrderedDict[Hashable, float] = OrderedDict()  # oldest first
        self._lock = threading.Lock()

    def first(self, key: Hashable) -> bool:
        """True for the first click on `key` within the window (and remember it); False for a repeat."""
        now = self.clock()
        with self._lock:
            while self._seen and now - next(iter(self._seen.values())) >= self.window:
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now
            while len(self._seen) > self.capacity:
                self._seen.popitem(last=False)
            return True

    def forget(self, key: Hashable) -> None:
        """A click that achieved nothing (it failed) must not swallow the journalist's retry."""
        with self._lock:
            self._seen.pop(key, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._seen)
