"""Shortcuts: the message shortcut "Add sanctions item"."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners.failures import acknowledge
from bot.listeners.shortcuts.add_item import ADD_ITEM_CALLBACK, open_add_item


def register(app: App) -> None:
    app.shortcut(ADD_ITEM_CALLBACK)(ack=acknowledge, lazy=[open_add_item])
