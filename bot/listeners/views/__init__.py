"""Modal submissions: the 'Add sanctions item' form."""

from __future__ import annotations

from slack_bolt import App

from bot.blocks.forms import ADD_ITEM_CALLBACK
from bot.listeners.views.add_item import submit_item


def register(app: App) -> None:
    app.view_submission(ADD_ITEM_CALLBACK)(submit_item)
