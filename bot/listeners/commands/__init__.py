"""Slash commands: /sanctions, its questions and its subcommands.

`/sanctions add` by an editor is the one subcommand that answers with a
modal, not a message: it is caught first, acked empty, and the form opens
after the ack. Everyone else's `add` reaches SUBCOMMANDS and is told who may
add items.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.blocks.elements import Message, escape, section
from bot.listeners.commands.channels import (
    in_a_direct_message,
    refuse_in_direct_message,
    status_command,
    subscribe_command,
    unsubscribe_command,
)
from bot.listeners.commands.sanctions import SUBCOMMANDS, CommandRequest, sanctions_command
from bot.listeners.failures import acknowledge
from bot.listeners.shortcuts.add_item import NOT_AN_EDITOR, open_add_form


def add_command(request: CommandRequest) -> Message:
    if not request.settings.is_editor(request.user_id):
        return Message(NOT_AN_EDITOR, [section(escape(NOT_AN_EDITOR))], is_answer=False)
    return Message("Opening the form…", is_answer=False)  # editors are served by the form listener


SUBCOMMANDS.update({
    "subscribe": subscribe_command,
    "unsubscribe": unsubscribe_command,
    "status": status_command,
    "add": add_command,
})


def wants_the_form(command: dict[str, Any], context: dict[str, Any]) -> bool:
    words = str(command.get("text") or "").split()
    return bool(words) and words[0].lower() == "add" and context["settings"].is_editor(command.get("user_id"))


def register(app: App) -> None:
    app.command("/sanctions", matchers=[wants_the_form])(ack=acknowledge, lazy=[open_add_form])
    app.command("/sanctions", matchers=[in_a_direct_message])(refuse_in_direct_message)
    app.command("/sanctions")(sanctions_command)
