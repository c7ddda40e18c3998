"""Listeners grouped by Slack surface; each package wires its own in register(app)."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, commands, events, shortcuts, views


def register_listeners(app: App) -> None:
    for surface in (commands, actions, views, shortcuts, events):
        surface.register(app)
