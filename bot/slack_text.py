"""What a Slack message says, as a reader sees it: for drafting items from it.

Slack sends message text escaped (`&amp;`), with mentions, channel and link
markup (`<@U123>`, `<#C1|desk>`, `<https://…|words>`) and mrkdwn emphasis
(`*bold*`, `_italic_`). The extractor reads news copy, so all of that is turned
back into plain words first; feed and wire bots post in attachments, so those
are read too.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

# <@U123|name>, <#C123|desk>, <!subteam^S1|@team>, <!date^…|fallback>, <url|words>: the words.
_LABELLED = re.compile(r"<[@#!]?[^<>|\s]*\|([^<>]*)>")
# <@U123>, <!here>, <!channel>, <#C123>: nobody a reader would name.
_BARE_REFERENCE = re.compile(r"<[@#!][^<>]*>")
# <https://…>: the address itself.
_BARE_LINK = re.compile(r"<((?:https?|mailto):[^<>|]*)>")
# *bold*, _italic_, ~struck~ around words, never inside one (snake_case stays).
_EMPHASIS = re.compile(r"(?<![\w*_~])([*_~])(?=\S)([^*_~\n]*?\S)\1(?![\w*_~])")
_ATTACHMENT_FIELDS = ("pretext", "title", "text")


def plain_text(text: str) -> str:
    """Slack message text as words: markup resolved, entities decoded, emphasis dropped."""
    text = _LABELLED.sub(lambda match: match.group(1).lstrip("@"), text)
    text = _BARE_LINK.sub(r"\1", text)
    text = _BARE_REFERENCE.sub("", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()


def message_text(message: dict[str, Any]) -> str:
    """A message's words: its text, then what its attachments say (a feed's item)."""
    parts = [str(message.get("text") or "")]
    for attachment in message.get("attachments") or []:
        if not isinstance(attachment, dict):
            continue
        said = [str(attachment[field]) for field in _ATTACHMENT_FIELDS if attachment.get(field)]
        parts.extend(said or [str(attachment.get("fallback") or "")])  # the fallback repeats the rest
    return plain_text("\n".join(part for part in parts if part.strip()))


def day_of(ts: str | None) -> date:
    """The UTC day of a message timestamp ("1732716000.000100"); today when there is none."""
    try:
        return datetime.fromtimestamp(float(ts or ""), UTC).date()
    except (ValueError, OverflowError, OSError):
        return datetime.now(UTC).date()
