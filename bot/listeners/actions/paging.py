"""More, and a did-you-mean name: the next card replaces the one clicked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot import lookup
from bot.blocks import PageRef
from bot.listeners.failures import apologising


@apologising("showing more")
def show_more(action: dict[str, Any], respond: Callable[..., Any], context: dict[str, Any]) -> None:
    ref = PageRef.from_value(action["value"])
    message = lookup.ask(context["store"], ref.query, offset=ref.offset)
    respond(response_type="ephemeral", replace_original=True, **message.as_kwargs())


@apologising("showing a did-you-mean name")
def show_person(action: dict[str, Any], respond: Callable[..., Any], context: dict[str, Any]) -> None:
    ref = PageRef.from_value(action["value"])
    message = lookup.ask(context["store"], ref.query)
    respond(response_type="ephemeral", replace_original=True, **message.as_kwargs())
