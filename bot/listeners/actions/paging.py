"""More, and a did-you-mean name: the next card replaces the one clicked.

Only the clicker's own ephemeral card is replaced. A click on a message the
whole channel sees (a card shared before shared cards lost their buttons)
answers the clicker privately beside it: `replace_original` there would
rewrite the channel's message, "Shared by" line and all, for everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot import lookup
from bot.blocks.elements import Message
from bot.blocks.paging import PageRef
from bot.listeners.failures import apologising


@apologising("showing more")
def show_more(
    body: dict[str, Any], action: dict[str, Any], respond: Callable[..., Any], context: dict[str, Any]
) -> None:
    ref = PageRef.from_value(action["value"])
    answer(body, respond, lookup.ask(context["store"], ref.query, offset=ref.offset))


@apologising("showing a did-you-mean name")
def show_person(
    body: dict[str, Any], action: dict[str, Any], respond: Callable[..., Any], context: dict[str, Any]
) -> None:
    ref = PageRef.from_value(action["value"])
    answer(body, respond, lookup.ask(context["store"], ref.query))


def answer(body: dict[str, Any], respond: Callable[..., Any], message: Message) -> None:
    """The card for the clicker only: in place of their private card, or beside a public one."""
    # Unsure (no container) counts as public: a new private card beats rewriting the channel's.
    private = (body.get("container") or {}).get("is_ephemeral") is True
    respond(response_type="ephemeral", replace_original=private, **message.as_kwargs())
