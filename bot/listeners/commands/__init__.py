"""Slash commands: /sanctions."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners.commands.sanctions import sanctions_command


def register(app: App) -> None:
    app.command("/sanctions")(sanctions_command)
