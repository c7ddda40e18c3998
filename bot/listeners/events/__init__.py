"""Events: the App Home tab, which explains the command to whoever opens it."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners.events.app_home import publish_home
from bot.listeners.failures import acknowledge


def register(app: App) -> None:
    app.event("app_home_opened")(ack=acknowledge, lazy=[publish_home])
