"""A serving process collects garbage in small batches, yet leaks no cycle.

Run in a child interpreter: the collector's settings are process-wide.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import gc, time, weakref
    from bot.heap import tune_for_serving

    class Node:
        pass

    start_up = [Node() for _ in range(1000)]  # what the app built before serving
    tune_for_serving(full_every=0.2)
    frozen = gc.get_freeze_count()

    collected = []
    old = Node()
    old.me = old  # a cycle that outlives the young collections...
    gc.collect(0)
    gc.collect(0)
    probe = weakref.ref(old, lambda _: collected.append("old cycle"))
    del old
    kept = [Node() for _ in range(200_000)]  # ...while the answer cache fills
    young_only = not collected
    deadline = time.monotonic() + 10
    while not collected and time.monotonic() < deadline:
        time.sleep(0.05)
    print(frozen >= 1000, young_only, collected == ["old cycle"], gc.get_threshold()[0])
    """
)


def test_old_cycles_wait_for_the_periodic_collection_and_start_up_is_frozen() -> None:
    result = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    frozen, young_only, collected, young_threshold = result.stdout.split()
    assert frozen == "True"  # start-up objects are out of every later collection
    assert young_only == "True"  # old objects are not scanned with every young batch
    assert collected == "True"  # but the keeper thread frees a cycle that got old
    assert int(young_threshold) > 700  # larger young batches than CPython's default
