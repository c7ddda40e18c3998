"""/sanctions: the answer travels in the ack itself, visible to the asker only.

The first word picks a subcommand from SUBCOMMANDS; anything else is a
question for the store (a name, `by …`, `on …`, `since …`, `recent`). The
channel features (subscribe, unsubscribe, status, add) plug in by adding to
SUBCOMMANDS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot import lookup
from bot.blocks import notices
from bot.blocks.elements import Message
from bot.settings import Settings
from bot.store_handle import StoreHandle


@dataclass(frozen=True)
class CommandRequest:
    """What a subcommand may need from one /sanctions invocation."""

    rest: str  # the text after the subcommand word
    user_id: str | None
    channel_id: str | None
    store: StoreHandle
    settings: Settings
    team_id: str | None = None


Subcommand = Callable[[CommandRequest], Message]


def show_usage(request: CommandRequest) -> Message:
    return notices.render_usage()


SUBCOMMANDS: dict[str, Subcommand] = {"help": show_usage}


def sanctions_command(ack: Callable[..., None], command: dict[str, Any], context: dict[str, Any]) -> None:
    message = reply(command, context["store"], context["settings"])
    ack(response_type="in_channel" if message.in_channel else "ephemeral", **message.as_kwargs())


def reply(command: dict[str, Any], store: StoreHandle, settings: Settings) -> Message:
    """The message for one /sanctions invocation; never raises."""
    text = " ".join(str(command.get("text") or "").split())
    word, _, rest = text.partition(" ")
    subcommand = SUBCOMMANDS.get(word.lower()) if text else show_usage
    if subcommand is None:
        return lookup.ask(store, text)
    request = CommandRequest(
        rest, command.get("user_id"), command.get("channel_id"), store, settings, command.get("team_id")
    )
    try:
        return subcommand(request)
    except Exception:
        return lookup.apologise(f"/sanctions {word}")
