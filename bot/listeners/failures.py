"""Failures after the ack, in one place: logged with an id, apologised for in Slack."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from bot import lookup
from bot.blocks.paging import UnknownButton

log = logging.getLogger(__name__)

UNKNOWN_BUTTON = "That button does not work any more; ask again with /sanctions."


def apologising(what: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Wrap a lazy listener so that any exception becomes an ephemeral apology.

    Bolt would only log it, and the journalist would click a button that
    silently does nothing.
    """

    def wrap(listener: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(listener)
        def guarded(**kwargs: Any) -> None:
            try:
                listener(**kwargs)
            except UnknownButton as error:  # the user's message, not our failure: one sentence
                log.info("%s: %s", what, error)
                respond = kwargs.get("respond")
                if respond is not None:
                    respond(response_type="ephemeral", replace_original=False, text=UNKNOWN_BUTTON)
            except Exception:
                apology = lookup.apologise(what)
                respond = kwargs.get("respond")
                if respond is None:
                    return
                try:
                    respond(response_type="ephemeral", replace_original=False, **apology.as_kwargs())
                except Exception:
                    log.exception("could not deliver the apology for %s", what)

        return guarded

    return wrap


def acknowledge(ack: Callable[..., None]) -> None:
    """The ack of listeners whose work runs lazily, after Slack has its answer."""
    ack()
