"""What Slack would reject or mis-render, checked on any message we build."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

# chat.postMessage refuses blocks holding about 12,000 characters in all
# (msg_blocks_too_long, undocumented; slackapi/bolt-js#2509): cards keep under this.
MAX_CARD_CHARS = 10_000

# A '<' may only open a link to a web page or our own "shared by" mention.
_ALLOWED_ANGLE = re.compile(r"<(?:https?://[^\s<>|]+\|[^<>]*|@[UW][A-Z0-9]+)>")


def texts(blocks: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """(where, text) for every text object in the blocks."""
    for block in blocks:
        kind = block["type"]
        if "text" in block:
            yield kind, block["text"]["text"]
        for element in block.get("elements", []):
            if element.get("type") == "button":
                yield "button", element["text"]["text"]
            elif "text" in element:
                yield f"{kind} element", element["text"]
        accessory = block.get("accessory")
        if accessory:
            yield "button", accessory["text"]["text"]


def block_chars(blocks: list[dict[str, Any]]) -> int:
    """Every text string in the blocks, buttons' included, as Slack might count them."""

    def walk(node: Any) -> int:
        if isinstance(node, dict):
            own = len(node["text"]) if isinstance(node.get("text"), str) else 0
            return own + sum(walk(value) for value in node.values() if isinstance(value, (dict, list)))
        if isinstance(node, list):
            return sum(walk(item) for item in node)
        return 0

    return walk(blocks)


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for block in blocks:
        found.extend(e for e in block.get("elements", []) if e.get("type") == "button")
        if block.get("accessory", {}).get("type") == "button":
            found.append(block["accessory"])
    return found


def assert_slack_accepts(text: str, blocks: list[dict[str, Any]]) -> None:
    """Slack's documented limits for messages, blocks, text and buttons."""
    assert text, "a plain-text fallback is required"
    assert len(text) <= 3000
    assert 0 < len(blocks) <= 50, len(blocks)
    assert block_chars(blocks) <= MAX_CARD_CHARS, f"{block_chars(blocks)} characters of block text"
    json.dumps(blocks)
    for block in blocks:
        if block["type"] == "header":
            assert block["text"]["type"] == "plain_text"
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "context":
            assert len(block["elements"]) <= 10
            assert all(len(e["text"]) <= 3000 for e in block["elements"])
        if block["type"] == "actions":
            assert 0 < len(block["elements"]) <= 25
        assert len(block.get("block_id", "")) <= 255
    action_ids = [b["action_id"] for b in buttons(blocks)]
    assert len(action_ids) == len(set(action_ids)), "action_ids must be unique in a message"
    for button in buttons(blocks):
        assert len(button["text"]["text"]) <= 75
        assert len(button["value"]) <= 2000


def assert_pings_nobody(text: str, blocks: list[dict[str, Any]]) -> None:
    """No raw control sequence from article or user text: every '<' is ours."""
    for where, value in [("fallback", text), *texts(blocks)]:
        stripped = re.sub(r"(?m)^>", "", _ALLOWED_ANGLE.sub("", value))  # our block quotes
        assert "<" not in stripped and ">" not in stripped, f"unescaped angle bracket in {where}: {value!r}"
        for link_label in re.findall(r"<https?://[^|>]+\|([^>]*)>", value):
            assert "<" not in link_label
    for block in blocks:
        for text_object in [block.get("text"), *block.get("elements", [])]:
            if isinstance(text_object, dict) and text_object.get("type") == "mrkdwn":
                assert text_object.get("verbatim") is True, "mrkdwn must be verbatim: no auto-parsed mentions"
