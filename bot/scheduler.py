"""The background poster of a serving process (and of `sanctions announce --follow`).

One thread per process (per gunicorn worker): it posts due outbox items as
they come, and checks every DIGEST_CHECK_SECONDS for digests whose time has
come. Any number of these may run against one database; the store's claims
decide who posts what. A store that is down is waited out, never fatal.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref

from bot.delivery import Poster
from storage.db.store import StoreUnavailable

log = logging.getLogger(__name__)

IDLE_SECONDS = 1.0  # between looks at an empty outbox
BUSY_SECONDS = 0.2  # after a post: other channels may be due, this one in a second
DIGEST_CHECK_SECONDS = 10.0
MAX_POSTS_PER_PASS = 50  # then check digests and the stop flag again
_RUNNING: weakref.WeakSet[Scheduler] = weakref.WeakSet()


class Scheduler:
    def __init__(self, poster: Poster, digest_every: float = DIGEST_CHECK_SECONDS) -> None:
        self.poster = poster
        self.digest_every = digest_every
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_digest_check = 0.0
        self._store_down_logged = False

    def start(self) -> Scheduler:
        self._thread = threading.Thread(target=self.run, name="sanctions-scheduler", daemon=True)
        self._thread.start()
        _RUNNING.add(self)
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Finish the message being posted, then stop."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def wake(self) -> None:
        """Look at the outbox now (something was just stored)."""
        self._wake.set()

    def run(self) -> None:
        log.info("posting new items and digests as %s", self.poster.worker)
        while not self._stop.is_set():
            pause = self.run_once()
            self._wake.wait(pause)
            self._wake.clear()

    def run_once(self) -> float:
        """One pass: due items, then digests when their check is due; returns the pause before the next."""
        try:
            posted = 0
            while posted < MAX_POSTS_PER_PASS and not self._stop.is_set() and self.poster.post_next():
                posted += 1
            if time.monotonic() >= self._next_digest_check:
                self._next_digest_check = time.monotonic() + self.digest_every
                self.poster.post_due_digests()
            self._store_down_logged = False
            return BUSY_SECONDS if posted else IDLE_SECONDS
        except StoreUnavailable as error:
            if not self._store_down_logged:  # once per outage, not once a second
                log.warning("store unavailable; new items and digests wait (%s)", error)
                self._store_down_logged = True
            return IDLE_SECONDS * 5
        except Exception:
            log.exception("the scheduler's pass failed; trying again shortly")
            return IDLE_SECONDS * 5


def wake_all() -> None:
    """Wake this process's schedulers: a listener just stored new items."""
    for scheduler in list(_RUNNING):
        scheduler.wake()


def stop_all(timeout: float = 5.0) -> None:
    for scheduler in list(_RUNNING):
        scheduler.stop(timeout)
