"""'Add sanctions item' on a message, and `/sanctions add`: the form, for editors only.

The trigger_id is good for 3 seconds, so the shortcut opens a placeholder
modal at once and fills it (views.update) when the extractor has read the
message and Slack has given its permalink, which becomes the source link.
Everyone outside SANCTIONS_EDITORS is told who may add items; nothing opens.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.forms import ADD_ITEM_CALLBACK, form_view, loading_view
from bot.listeners.failures import apologising
from bot.settings import Settings
from bot.slack_text import day_of, message_text, plain_text
from storage.ingest.manual import Draft, ItemFields, draft_fields

__all__ = ["ADD_ITEM_CALLBACK", "NOT_AN_EDITOR", "open_add_form", "open_add_item"]

log = logging.getLogger(__name__)

NOT_AN_EDITOR = "Only the desk's editors can add sanctions items; ask one of them to add this one."


@apologising("opening 'Add sanctions item'")
def open_add_item(
    body: dict[str, Any], client: WebClient, respond: Callable[..., Any], context: dict[str, Any]
) -> None:
    settings: Settings = context["settings"]
    if not settings.is_editor(body["user"]["id"]):
        respond(response_type="ephemeral", replace_original=False, text=NOT_AN_EDITOR)
        return
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id")
    ts = message.get("ts") or body.get("message_ts")
    origin = {"channel": channel, "message_ts": ts}
    opened = client.views_open(trigger_id=body["trigger_id"], view=loading_view(origin))
    view = opened.get("view") or {}
    draft = _draft(client, message_text(message), channel, ts)
    client.views_update(view_id=view.get("id"), hash=view.get("hash"), view=form_view(draft.fields, origin,
                                                                                    _note(draft)))


@apologising("opening the 'Add sanctions item' form")
def open_add_form(command: dict[str, Any], client: WebClient, respond: Callable[..., Any]) -> None:
    """`/sanctions add [text]`: the form, drafted from the text when there is some."""
    rest = plain_text(" ".join(str(command.get("text") or "").split()[1:]))
    fields = ItemFields()
    note = None
    if rest:
        draft = draft_fields(rest, datetime.now(UTC).date())
        fields = draft.fields if draft.found else ItemFields(target=rest)
        note = _note(draft)
    origin = {"channel": command.get("channel_id")}
    client.views_open(trigger_id=command["trigger_id"], view=form_view(fields, origin, note))


def _draft(client: WebClient, text: str, channel: str | None, ts: str | None) -> Draft:
    permalink = None
    if channel and ts:
        try:
            permalink = client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
        except SlackApiError as error:
            log.info("no permalink for %s/%s: %s", channel, ts, error.response.get("error"))
    published = day_of(ts)
    try:
        return draft_fields(text, published, permalink)
    except Exception:  # a draft is a convenience: an empty form is still a form
        log.exception("drafting from a message failed")
        return Draft(ItemFields(source_url=permalink), 0)


def _note(draft: Draft) -> str | None:
    if draft.found == 0:
        return "_Nothing drafted from the text: fill the fields in._"
    if draft.found == 1:
        return "_Drafted from the text: check every field before adding._"
    return f"_The text seems to report {draft.found} items; this form holds the first. Check every field._"
