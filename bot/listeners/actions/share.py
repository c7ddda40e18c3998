"""Share in channel: the card the journalist sees, posted for everyone, signed.

When Slack hands the clicked message back (it does for ordinary messages, not
for ephemeral ones) its blocks are reposted without anything one could click
(`paging.share_copy`); otherwise the button's query and offset are answered
again. Either way the channel's copy says who shared it, in its blocks and in
its fallback text. The bot needs only chat:write: in a
conversation it is not a member of, the response_url posts the card instead.

A second click on the same button within a few seconds (a double click) posts
nothing and says nothing: the journalist meant one share, sees one card appear
and the private copy go, and a note about a click they never meant to make
would only be noise. A share that failed forgets its click, so a deliberate
retry is never swallowed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import lookup
from bot.blocks import paging
from bot.blocks.elements import Message
from bot.blocks.paging import PageRef
from bot.listeners.failures import apologising
from bot.recent_clicks import RecentClicks

log = logging.getLogger(__name__)

_NOT_A_MEMBER = {"not_in_channel", "channel_not_found"}
# Refusals that are the channel's state, not our fault: said plainly to the journalist.
_CANNOT_POST_HERE = {
    "is_archived": "This channel is archived, so the card cannot be shared in it.",
    "restricted_action": "This channel does not let apps post, so the card cannot be shared in it.",
    "restricted_action_read_only_channel": "This channel is read-only, so the card cannot be shared in it.",
}
_RECENT_SHARES = RecentClicks()


@apologising("sharing in channel")
def share_in_channel(
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Callable[..., Any],
    context: dict[str, Any],
) -> None:
    click = click_key(body, action)
    if not _RECENT_SHARES.first(click):
        log.info("a repeated click on Share (%s) posted nothing", click)
        return
    shared = False
    try:
        shared = _post_card(body, action, client, respond, context)
    finally:
        if not shared:
            _RECENT_SHARES.forget(click)
    # The private copy is now redundant; a message Slack does not say is private
    # may be the channel's own, which must never be deleted (as paging holds).
    if shared and (body.get("container") or {}).get("is_ephemeral") is True:
        respond(delete_original=True)


def click_key(body: dict[str, Any], action: dict[str, Any]) -> Hashable:
    """One button of one message: the same for every click on it, whoever's thread handles it."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    return (
        (body.get("team") or {}).get("id"),
        (body.get("channel") or {}).get("id") or container.get("channel_id"),
        container.get("message_ts") or message.get("ts"),
        action.get("block_id"),
        action.get("action_id"),
        action.get("value"),
    )


def _post_card(
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Callable[..., Any],
    context: dict[str, Any],
) -> bool:
    """Post the card in the channel; False when it was not posted (and the journalist was told why)."""
    user_id = body["user"]["id"]
    card = channel_card(body, action, context, user_id)
    if not card.is_answer:  # the store failed: tell the journalist, not the channel
        respond(response_type="ephemeral", replace_original=False, **card.as_kwargs())
        return False
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    try:
        client.chat_postMessage(channel=channel, unfurl_links=False, unfurl_media=False, **card.as_kwargs())
    except SlackApiError as error:
        refused = error.response.get("error")
        if refused in _CANNOT_POST_HERE:
            respond(response_type="ephemeral", replace_original=False, text=_CANNOT_POST_HERE[refused])
            return False
        if refused not in _NOT_A_MEMBER:
            raise
        log.info("not a member of %s; sharing through the response_url", channel)
        respond(response_type="in_channel", replace_original=False, **card.as_kwargs())
    return True


def channel_card(body: dict[str, Any], action: dict[str, Any], context: dict[str, Any], user_id: str) -> Message:
    message = body.get("message") or {}
    if message.get("blocks"):
        return paging.share_copy(message["blocks"], message.get("text", ""), user_id)
    ref = PageRef.from_value(action["value"])
    return lookup.ask(context["store"], ref.query, offset=ref.offset, shared_by=user_id)
