"""Block Kit pieces every message is built of, within Slack's limits, with text escaped.

Slack rejects a message whole when a limit is exceeded (50 blocks, 3,000
characters a section, 150 a header, 2,000 a button value, MAX_CARD_CHARS of
block text in all), and reads <!channel> in any text as a ping: so every
piece here cuts to its limit and escapes &, <, > in what it is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_FALLBACK_TEXT = 3000


# chat.postMessage refuses blocks holding about 12,000 characters in all
# (msg_blocks_too_long, undocumented; slackapi/bolt-js#2509 measured ~13,200).
# Every card keeps under this, ephemeral ones too: any of them may be shared.
MAX_CARD_CHARS = 10_000
QUOTE_CHARS = 280
REASON_CHARS = 500
NAME_CHARS = 140
_SAFE_URL = re.compile(r"^https?://[^\s<>|\"]+$", re.IGNORECASE)
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


@dataclass(frozen=True)
class Message:
    """What Slack shows: blocks, and the text notifications and screen readers use."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    is_answer: bool = True  # False for usage and apologies: never shared in a channel
    in_channel: bool = False  # a reply to a command that everyone in the channel should see

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def escape(text: str) -> str:
    """Slack's three control characters as entities: '<!channel>' stays words."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def flat(text: str | None) -> str:
    """One line: article newlines would otherwise start quotes or lists."""
    return " ".join((text or "").split())


def clip(text: str | None, limit: int) -> str:
    """Raw text shortened to `limit` characters, at a word when one is near."""
    one_line = flat(text)
    if len(one_line) <= limit:
        return one_line
    cut = one_line[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.7:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def fit(mrkdwn: str, limit: int) -> str:
    """Escaped text cut to `limit` without splitting an entity or a <link>."""
    if len(mrkdwn) <= limit:
        return mrkdwn
    cut = mrkdwn[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    opening = cut.rfind("<")
    if opening > cut.rfind(">"):
        cut = cut[:opening]
    return cut + "…"


def link(url: str | None, label: str) -> str:
    """A mrkdwn link with an escaped label; unsafe URLs lose the link, not the label."""
    shown = escape(label)
    if url and _SAFE_URL.match(url.strip()):
        return f"<{escape(url.strip())}|{shown}>"
    return shown


def flag(jurisdiction: str | None) -> str:
    """A flag emoji for a two-letter code (EU and UN included), else the code."""
    code = (jurisdiction or "").strip().upper()
    if re.fullmatch(r"[A-Z]{2}", code):
        return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in code)
    return f"[{escape(code)}]" if code else ""


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def mention(user_id: str) -> str:
    return f"<@{user_id}>" if _USER_ID.match(user_id) else escape(user_id)


def section(mrkdwn: str, accessory: dict[str, Any] | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": fit(mrkdwn, MAX_SECTION_TEXT), "verbatim": True},
    }
    if accessory:
        block["accessory"] = accessory
    return block


def header(text: str) -> dict[str, Any]:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": fit(escape(flat(text)), MAX_HEADER_TEXT)},
    }


def context(mrkdwn: str, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": fit(mrkdwn, MAX_SECTION_TEXT), "verbatim": True}],
    }
    if block_id:
        block["block_id"] = block_id
    return block


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any] | None:
    """A button, or None when its value would exceed Slack's limit (a huge query)."""
    if len(value) > MAX_BUTTON_VALUE:
        return None
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": fit(escape(flat(text)), MAX_BUTTON_TEXT), "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def actions_block(block_id: str, buttons: list[dict[str, Any] | None]) -> dict[str, Any] | None:
    elements = [b for b in buttons if b is not None][:25]
    return {"type": "actions", "block_id": block_id, "elements": elements} if elements else None


def block_chars(blocks: list[dict[str, Any]]) -> int:
    """Every text string the blocks hold, buttons' included: what msg_blocks_too_long counts, or more."""

    def count(node: Any) -> int:
        if isinstance(node, dict):
            own = len(node["text"]) if isinstance(node.get("text"), str) else 0
            return own + sum(count(value) for value in node.values() if isinstance(value, (dict, list)))
        if isinstance(node, list):
            return sum(count(item) for item in node)
        return 0

    return count(blocks)
