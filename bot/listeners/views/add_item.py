"""Submitting 'Add sanctions item': stored through ingest like any article, or errors in the form.

The answer travels in the ack: errors next to their fields (response_action
errors), or the form replaced by a confirmation (response_action update).
The author also gets an ephemeral confirmation in the channel the form came
from, and this process's scheduler is woken to post the new item at once.
The confirmation suggests subscribing that channel only when it is not
subscribed already: advice to do what is done reads as if it were not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import lookup, scheduler
from bot.blocks.elements import escape, section
from bot.blocks.forms import fields_from_state, message_view, origin_of
from bot.listeners.shortcuts.add_item import NOT_AN_EDITOR
from bot.settings import Settings
from bot.slack_text import day_of
from bot.store_handle import StoreHandle
from storage.channels.subscriptions import subscription_kinds
from storage.db.store import StoreUnavailable
from storage.ingest.manual import AddOutcome, add_item

log = logging.getLogger(__name__)

_CONFIRMATIONS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="confirm")


def submit_item(
    ack: Callable[..., None], body: dict[str, Any], view: dict[str, Any], client: WebClient, context: dict[str, Any]
) -> None:
    settings: Settings = context["settings"]
    handle: StoreHandle = context["store"]
    user_id = (body.get("user") or {}).get("id")
    if not settings.is_editor(user_id):
        ack(response_action="errors", errors={"target": NOT_AN_EDITOR})
        return
    state = view.get("state")
    fields = fields_from_state(state.get("values") if isinstance(state, dict) else None)
    try:
        # An item from a message is reported as of that message's day, not the day it was added.
        message_ts = origin_of(view).get("message_ts")
        outcome = add_item(handle.get(), fields, added_by=user_id, today=day_of(message_ts) if message_ts else None)
    except StoreUnavailable:
        apology = lookup.apologise("adding an item", store_down=True)
        ack(response_action="errors", errors={"target": apology.text[:2000]})
        return
    except Exception:
        apology = lookup.apologise("adding an item")
        ack(response_action="errors", errors={"target": apology.text[:2000]})
        return
    if not outcome.stored:
        ack(response_action="errors", errors=outcome.errors)
        return
    channel = origin_of(view).get("channel")
    team_id = (body.get("team") or {}).get("id") or view.get("team_id")
    said = confirmation(outcome, _subscribed(handle, team_id, channel) if outcome.new_action_ids else None)
    ack(response_action="update", view=message_view(said))
    if outcome.new_action_ids:
        scheduler.wake_all()
    if channel and user_id:
        _CONFIRMATIONS.submit(_confirm, client, channel, user_id, said)


def confirmation(outcome: AddOutcome, subscribed: frozenset[str] | None = None) -> str:
    """What the author is told; `subscribed` is what the form's channel gets (None: not a channel, or unknown)."""
    if outcome.new_action_ids:
        stored = f"Stored: {outcome.summary}."
        if subscribed is None:
            return f"{stored} Channels subscribed to new items will see it in a moment."
        if "new" in subscribed:
            return (f"{stored} It will be posted in this channel in a moment, as in every channel subscribed to "
                    "new items.")
        if "digest" in subscribed:
            return (f"{stored} It will be in this channel's next digest, and in channels subscribed to new items "
                    "in a moment.")
        return (f"{stored} Channels subscribed to new items will see it in a moment; "
                "`/sanctions subscribe new` makes this one of them.")
    if outcome.status == "unchanged":
        return f"Already in the store, exactly so: {outcome.summary}. Nothing changed."
    return f"The store already knew this: {outcome.summary}. Your source was added to it."


def _subscribed(handle: StoreHandle, team_id: str | None, channel: str | None) -> frozenset[str] | None:
    """The form's channel's subscriptions; None where no subscription can be (a DM) or the store did not say."""
    if not team_id or not channel or channel.startswith("D"):  # Slack's direct-message ids
        return None
    try:
        return subscription_kinds(handle.get(), team_id, channel)
    except Exception:  # the item is stored: a confirmation without the suggestion beats none
        log.exception("could not read the subscriptions of %s", channel)
        return None


def _confirm(client: WebClient, channel: str, user_id: str, said: str) -> None:
    """The author's lasting record; a channel the app is not in keeps the modal's word only."""
    try:
        client.chat_postEphemeral(channel=channel, user=user_id, text=escape(said), blocks=[section(escape(said))])
    except SlackApiError as error:
        log.info("could not confirm to %s in %s: %s", user_id, channel, error.response.get("error"))
    except Exception:
        log.exception("could not confirm to %s in %s", user_id, channel)
