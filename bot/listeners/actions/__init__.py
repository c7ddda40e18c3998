"""Buttons on answers: More, did-you-mean names, Share in channel.

Each acks at once and does its work lazily (Bolt runs it after the ack), so a
Web API call, or a retry after a rate limit, never holds Slack's 3 seconds.
"""

from __future__ import annotations

import re

from slack_bolt import App

from bot.blocks.paging import MORE, PICK, SHARE
from bot.listeners.actions.paging import show_more, show_person
from bot.listeners.actions.share import share_in_channel
from bot.listeners.failures import acknowledge


def register(app: App) -> None:
    app.action(MORE)(ack=acknowledge, lazy=[show_more])
    app.action(re.compile(rf"^{PICK}_\d+$"))(ack=acknowledge, lazy=[show_person])
    app.action(SHARE)(ack=acknowledge, lazy=[share_in_channel])
