"""The path from typed text to a message, with a real store, a down one and a hung one."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.listeners.commands.sanctions import SUBCOMMANDS, CommandRequest, reply
from bot.lookup import ask
from bot.settings import Settings
from bot.store_handle import StoreHandle
from storage.db.store import Store
from storage.ingest.writer import ingest_paths
from storage.samples import SAMPLES_DIR


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreHandle]:
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('lookup') / 'store.db'}")
    ingest_paths(store, [SAMPLES_DIR])
    yield StoreHandle.of(store)
    store.dispose()


@pytest.fixture
def silent_database() -> Iterator[str]:
    """A port that accepts connections and never says a word, like a hung server."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"postgresql+psycopg://postgres@127.0.0.1:{listener.getsockname()[1]}/none"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


def test_a_name_is_answered_from_the_store(samples: StoreHandle) -> None:
    message = ask(samples, "wang junzheng")
    assert message.is_answer and message.blocks[0]["text"]["text"] == "Wang Junzheng"


def test_more_on_a_person_pages_through_their_actions(samples: StoreHandle) -> None:
    first = ask(samples, "by eu")
    second = ask(samples, "by eu", offset=10)
    assert first.text != second.text and "Showing 11–" in str(second.blocks)


def test_an_unparseable_question_gets_usage_not_an_apology(samples: StoreHandle) -> None:
    message = ask(samples, "since the dawn of time")
    assert not message.is_answer and "could not read the date" in message.text


def test_a_store_that_refuses_connections_gets_an_apology_quickly(caplog: pytest.LogCaptureFixture) -> None:
    handle = StoreHandle("postgresql+psycopg://postgres@127.0.0.1:1/none")
    started = time.monotonic()
    message = ask(handle, "wang junzheng")
    assert time.monotonic() - started < 3
    assert not message.is_answer and "not answering" in message.text
    error_id = message.text.rsplit(" ", 1)[1].rstrip(".")
    assert f"error id {error_id}" in caplog.text


def test_a_store_that_hangs_still_gets_an_apology_within_3_seconds(silent_database: str) -> None:
    started = time.monotonic()
    message = ask(StoreHandle(silent_database), "wang junzheng")
    assert time.monotonic() - started < 3
    assert not message.is_answer and "error id" in message.text


def test_a_failing_subcommand_gets_an_apology_not_a_trace(samples: StoreHandle, tmp_path: Path) -> None:
    def broken(request: CommandRequest) -> None:
        raise RuntimeError("boom")

    SUBCOMMANDS["broken"] = broken  # type: ignore[assignment]
    try:
        message = reply({"text": "broken now", "user_id": "U1"}, samples, Settings())
    finally:
        del SUBCOMMANDS["broken"]
    assert "error id" in message.text and "boom" not in message.text


def test_subcommands_get_the_rest_of_the_text(samples: StoreHandle) -> None:
    seen: list[CommandRequest] = []
    SUBCOMMANDS["status"] = lambda request: seen.append(request) or ask(samples, "recent")  # type: ignore[func-returns-value]
    try:
        reply({"text": "Status  of this channel", "user_id": "U1", "channel_id": "C1"}, samples, Settings())
    finally:
        del SUBCOMMANDS["status"]
    assert seen[0].rest == "of this channel" and seen[0].channel_id == "C1"
