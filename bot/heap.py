"""Garbage collection for a process that keeps answers in memory.

The kept answers and their cards are some 90 tracked objects each, a few
hundred thousand in a full cache. CPython's collector runs a full collection
each time the old objects have grown by a quarter, several times while a
cache fills, and each one scans them all: about 150 ms at 100,000 targets,
during which no request of the process is answered. Those scans find
nothing, for answers hold no reference cycles.

So a serving process freezes what it built at start-up (the app, the
models, the imports), collects young objects in small batches only, and
leaves the old ones to one full collection every FULL_COLLECTION_SECONDS, in a
thread of its own, for the rare cycle that does outlive a young collection.
"""

from __future__ import annotations

import gc
import logging
import threading
import time

log = logging.getLogger(__name__)

# A young collection every YOUNG_OBJECTS net allocations scans at most that
# many objects (about 1 ms); older generations are never collected on their own.
YOUNG_OBJECTS = 5_000
NEVER = 1_000_000
FULL_COLLECTION_SECONDS = 900.0

_keeper_started = threading.Lock()
_keeper: threading.Thread | None = None


def tune_for_serving(full_every: float = FULL_COLLECTION_SECONDS) -> None:
    """Call once per serving process, after its app is built."""
    global _keeper
    gc.collect()  # what start-up left unreachable, before it is frozen for good
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, NEVER, NEVER)
    with _keeper_started:
        if _keeper is None or not _keeper.is_alive():
            _keeper = threading.Thread(target=_collect_every, args=(full_every,), name="heap-keeper", daemon=True)
            _keeper.start()


def _collect_every(seconds: float) -> None:
    while True:
        time.sleep(seconds)
        started = time.perf_counter()
        unreachable = gc.collect()
        log.debug("full garbage collection: %d unreachable, %.0f ms", unreachable,
                  (time.perf_counter() - started) * 1000)
