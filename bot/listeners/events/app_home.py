"""The Home tab: usage, so that a journalist who finds the app knows what to type."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.blocks import notices


def publish_home(event: dict[str, Any], client: WebClient) -> None:
    if event.get("tab") != "home":
        return
    client.views_publish(user_id=event["user"], view=home_view())


def home_view() -> dict[str, Any]:
    usage = notices.render_usage()
    return {
        "type": "home",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Sanctions desk"}},
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "Who was sanctioned, by whom, when and why, with the article that says so. "
                    "Answers are visible to you only until you share them.",
                },
            },
            *usage.blocks[1:],
        ],
    }
