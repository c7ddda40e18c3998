"""'Add sanctions item' on a message: editors only (SANCTIONS_EDITORS).

The modal that drafts an item from the message and stores it belongs to the
channel issue; until then editors get a modal saying so, with the text they
picked, and everyone else a sentence saying who may add items. The modal opens
after the ack but well within the trigger_id's 3 seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.blocks import escape, fit
from bot.listeners.failures import apologising
from bot.settings import Settings

ADD_ITEM_CALLBACK = "add_sanctions_item"  # manifest.yml uses the same id
MODAL_TITLE = "Add sanctions item"  # Slack caps modal titles at 24 characters


@apologising("opening 'Add sanctions item'")
def open_add_item(
    body: dict[str, Any], client: WebClient, respond: Callable[..., Any], context: dict[str, Any]
) -> None:
    settings: Settings = context["settings"]
    if not settings.is_editor(body["user"]["id"]):
        respond(
            response_type="ephemeral",
            replace_original=False,
            text="Only the desk's editors can add sanctions items; ask one of them to add this one.",
        )
        return
    picked = escape(" ".join(str((body.get("message") or {}).get("text") or "").split()))
    client.views_open(trigger_id=body["trigger_id"], view=add_item_view(picked))


def add_item_view(picked_mrkdwn: str) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": "Adding items from Slack is not switched on yet; "
                "for now, annotate the article and run `sanctions ingest`.",
            },
        }
    ]
    if picked_mrkdwn:
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": fit(f">{picked_mrkdwn}", 3000), "verbatim": True},
            }
        )
    return {
        "type": "modal",
        "callback_id": ADD_ITEM_CALLBACK,
        "title": {"type": "plain_text", "text": MODAL_TITLE},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": blocks,
    }
