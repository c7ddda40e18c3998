"""The store as a worker sees it: opened once, on first need, retried when down.

Store.open() connects (it checks the schema), so a worker that opened it at
boot would fail to start whenever the database is down; then /healthz could not
say 503 and journalists would get no apology. The handle opens lazily instead,
tries again at most every RETRY_SECONDS while the database is away, and raises
StoreUnavailable in between, which the listeners turn into an apology.
"""

from __future__ import annotations

import threading
import time

from storage.db.store import Store, StoreUnavailable

RETRY_SECONDS = 1.0


class StoreHandle:
    """A Store opened on first use and shared by the threads of one process."""

    def __init__(self, database_url: str | None = None, store: Store | None = None) -> None:
        self.database_url = database_url
        self._store = store
        self._lock = threading.Lock()
        self._failed_at: float | None = None
        self._last_error = "not opened yet"

    def __deepcopy__(self, memo: dict[int, object]) -> StoreHandle:
        # Bolt deep-copies the context for lazy listeners; they must share this
        # process's one handle (engine and pool), not fail to copy it.
        return self

    @classmethod
    def of(cls, store: Store) -> StoreHandle:
        """A handle around a store that is already open (tests, the CLI)."""
        return cls(store.url, store)

    def get(self) -> Store:
        store = self._store
        if store is not None:
            return store
        with self._lock:
            if self._store is not None:
                return self._store
            now = time.monotonic()
            if self._failed_at is not None and now - self._failed_at < RETRY_SECONDS:
                raise StoreUnavailable(self._last_error)
            try:
                self._store = Store.open(self.database_url)
            except StoreUnavailable as error:
                self._failed_at, self._last_error = now, str(error)
                raise
            return self._store

    def opened(self) -> Store | None:
        """The store if it is open already; never connects."""
        return self._store

    def ping(self) -> None:
        """Raise StoreUnavailable unless the database answers now."""
        self.get().ping()
