"""From what a journalist typed to the message they see: the one path to storage.

Every listener that answers a question comes through here, so the rules hold
in one place: a question we cannot parse gets usage in one sentence; a store
that is down or slow, or any failure of ours, gets an apology with an error id
that is also in the log; and the answer never waits longer than
ANSWER_DEADLINE_SECONDS, because Slack gives up on us after 3 seconds.
"""

from __future__ import annotations

import logging
import secrets
import sys
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import date

from bot.blocks import cards, notices, paging
from bot.blocks.elements import Message
from bot.store_handle import StoreHandle
from storage.answers.cache import MAX_ANSWERS
from storage.answers.model import Answer
from storage.answers.queries import answer as answer_question
from storage.answers.queries import kept_answer
from storage.answers.questions import NameQuestion, Question, QuestionError, parse_question
from storage.db.store import StoreUnavailable

log = logging.getLogger(__name__)

ANSWER_DEADLINE_SECONDS = 2.0  # Slack's 3 s minus the network both ways
# Lookups run here so that a hung database cannot hold the reply past the deadline.
_LOOKUPS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="lookup")


def new_error_id() -> str:
    """Short enough to read out on the phone, random enough to find in the log."""
    return secrets.token_hex(4)


def apologise(what: str, *, store_down: bool = False) -> Message:
    """Log the exception being handled under a fresh id; the apology shows the id.

    An unreachable store is logged in one line (its cause is in the message, and
    an outage would otherwise print a traceback per question); anything else
    with its traceback.
    """
    error_id = new_error_id()
    if store_down:
        log.error("%s: store unavailable: %s [error id %s]", what, sys.exc_info()[1], error_id)
    else:
        log.exception("%s failed [error id %s]", what, error_id)
    return notices.render_apology(error_id, store_down=store_down)


def ask(
    handle: StoreHandle,
    text: str,
    *,
    offset: int = 0,
    shared_by: str | None = None,
    today: date | None = None,
) -> Message:
    """The message answering `text`, starting at `offset` for paged answers."""
    try:
        question = parse_question(text, today or date.today())
    except QuestionError as error:
        return notices.render_usage(str(error))
    try:
        answer = fetch(handle, question, offset=offset)
    except StoreUnavailable:
        return apologise(f"query {text!r}", store_down=True)
    except FutureTimeout:
        return apologise(f"query {text!r} exceeded {ANSWER_DEADLINE_SECONDS}s", store_down=True)
    except Exception:
        return apologise(f"query {text!r}")
    try:
        return _RENDERED.render(answer, offset, shared_by)
    except Exception:
        return apologise(f"rendering {text!r}")


class _RenderedCards:
    """Cards of the answers the store keeps in memory, rendered once.

    The store hands back the very same Answer object while its facts hold, so
    the object itself (kept here, so its id cannot be reused) is the key.
    """

    def __init__(self, size: int = MAX_ANSWERS) -> None:
        self._size = size
        self._cards: OrderedDict[tuple[int, int, str | None], tuple[Answer, Message]] = OrderedDict()
        self._lock = threading.Lock()

    def render(self, answer: Answer, offset: int, shared_by: str | None) -> Message:
        key = (id(answer), offset, shared_by)
        with self._lock:
            kept = self._cards.get(key)
            if kept is not None and kept[0] is answer:
                self._cards.move_to_end(key)
                return kept[1]
        card = cards.render_answer(answer, start=offset, shared_by=shared_by)
        with self._lock:
            self._cards[key] = (answer, card)
            if len(self._cards) > self._size:
                self._cards.popitem(last=False)
        return card


_RENDERED = _RenderedCards()


def fetch(handle: StoreHandle, question: Question, *, offset: int = 0) -> Answer:
    """The store's answer within the deadline (FutureTimeout past it)."""
    # Names come whole from the store and are paged by the renderer; lists page in SQL.
    store_offset = 0 if isinstance(question, NameQuestion) else offset

    def lookup() -> Answer:
        return answer_question(
            handle.get(), question, limit=paging.PAGE_SIZE, offset=store_offset, trust_recent=True
        )

    store = handle.opened()
    if store is not None:
        # An answer in memory and known current needs no thread: nothing can hang.
        kept = kept_answer(store, question, limit=paging.PAGE_SIZE, offset=store_offset)
        if kept is not None:
            return kept
        # Nor does a store whose reads end in time by themselves (an SQLite file):
        # handing the work to a thread and back costs more than some answers.
        if store.reads_end_in_time:
            return lookup()
    return _LOOKUPS.submit(lookup).result(timeout=ANSWER_DEADLINE_SECONDS)
