"""The 'Add sanctions item' modal: its views, and the fields read back from a submission.

Block ids are the field names of storage.ingest.manual.ItemFields, so that the
store's errors per field land under the right input (response_action errors).
Values typed by people or drafted from messages go into plain-text inputs,
where Slack shows them as typed: nothing in them can ping anyone.
"""

from __future__ import annotations

import json
from typing import Any

from bot.blocks.elements import escape, fit
from storage.ingest.manual import MAX_NAME, MAX_TEXT, ItemFields

ADD_ITEM_CALLBACK = "add_sanctions_item"  # manifest.yml: the shortcut; the modal uses the same id
TITLE = "Add sanctions item"  # Slack caps modal titles at 24 characters
VALUE = "value"  # the action_id of every input's element
MAX_INITIAL = 3000  # a plain-text input's initial_value limit

_KINDS = (("person", "Person"), ("organization", "Organisation"))
_ACTIONS = (("imposed", "Imposed"), ("lifted", "Lifted"), ("extended", "Extended"))


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": _plain(label), "value": value}


def _text_input(
    block_id: str, label: str, initial: str | None, *, optional: bool = False, hint: str | None = None,
    multiline: bool = False, placeholder: str | None = None, max_length: int | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": VALUE, "multiline": multiline}
    if max_length:  # Slack stops the typing there, rather than the form refusing it on submit
        element["max_length"] = max_length
    if initial:
        element["initial_value"] = initial[: min(MAX_INITIAL, max_length or MAX_INITIAL)]
    if placeholder:
        element["placeholder"] = _plain(placeholder)
    block: dict[str, Any] = {"type": "input", "block_id": block_id, "label": _plain(label), "element": element,
                             "optional": optional}
    if hint:
        block["hint"] = _plain(hint)
    return block


def _choice(block_id: str, label: str, options: tuple[tuple[str, str], ...], initial: str | None) -> dict[str, Any]:
    chosen = next((o for o in options if o[0] == initial), options[0])
    return {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label),
        "element": {
            "type": "radio_buttons",
            "action_id": VALUE,
            "options": [_option(*o) for o in options],
            "initial_option": _option(*chosen),
        },
    }


def form_view(fields: ItemFields, origin: dict[str, Any], note: str | None = None) -> dict[str, Any]:
    """The form, filled with `fields`; `origin` (channel, message) travels in private_metadata."""
    blocks: list[dict[str, Any]] = []
    if note:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": fit(note, 3000), "verbatim": True}]})
    source: dict[str, Any] = {
        "type": "input",
        "block_id": "source_url",
        "label": _plain("Source link"),
        "element": {"type": "url_text_input", "action_id": VALUE},
        "hint": _plain("The article, or the Slack message, that reports it."),
    }
    if fields.source_url:
        source["element"]["initial_value"] = fields.source_url
    blocks += [
        _text_input("target", "Who was sanctioned", fields.target, placeholder="Ivan Petrov", max_length=MAX_NAME),
        _choice("kind", "A person or an organisation", _KINDS, fields.kind),
        _text_input("authority", "By whom", fields.authority, placeholder="the EU, OFAC, the UK…",
                    max_length=MAX_NAME),
        _text_input("date", "When", fields.date, optional=True,
                    hint="2024-03-04, March 2024 or 2024. Left empty: the day of the message (or today), marked so."),
        _choice("action", "Sanctions were", _ACTIONS, fields.action),
        _text_input("role", "Their role then", fields.role, optional=True, max_length=MAX_TEXT),
        _text_input("reason", "Reason given", fields.reason, optional=True, multiline=True, max_length=MAX_TEXT),
        source,
    ]
    return {
        "type": "modal",
        "callback_id": ADD_ITEM_CALLBACK,
        "title": _plain(TITLE),
        "submit": _plain("Add"),
        "close": _plain("Cancel"),
        "private_metadata": json.dumps(origin)[:3000],
        "blocks": blocks,
    }


def loading_view(origin: dict[str, Any]) -> dict[str, Any]:
    """Opened at once, within the trigger's 3 seconds; replaced by the filled form."""
    return {
        "type": "modal",
        "callback_id": ADD_ITEM_CALLBACK,
        "title": _plain(TITLE),
        "close": _plain("Cancel"),
        "private_metadata": json.dumps(origin)[:3000],
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": ":hourglass: Reading the message…"}}],
    }


def message_view(text: str) -> dict[str, Any]:
    """A modal that only says something (stored, or why not)."""
    return {
        "type": "modal",
        "callback_id": f"{ADD_ITEM_CALLBACK}_done",
        "title": _plain(TITLE),
        "close": _plain("Close"),
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": fit(escape(text), 3000), "verbatim": True}}],
    }


def fields_from_state(values: Any) -> ItemFields:
    """ItemFields from a view_submission's view.state.values.

    Anything but text where text belongs (a forged payload) counts as empty,
    so the form says which field is missing rather than storing "['a', 'b']".
    """

    def read(block_id: str) -> str | None:
        block = values.get(block_id) if isinstance(values, dict) else None
        element = block.get(VALUE) if isinstance(block, dict) else None
        if not isinstance(element, dict):
            return None
        if element.get("type") == "radio_buttons" or "selected_option" in element:
            option = element.get("selected_option")
            value = option.get("value") if isinstance(option, dict) else None
        else:
            value = element.get("value")
        return value if isinstance(value, str) and value else None

    return ItemFields(
        target=read("target"), kind=read("kind"), authority=read("authority"), date=read("date"),
        action=read("action"), role=read("role"), reason=read("reason"), source_url=read("source_url"),
    )


def origin_of(view: dict[str, Any]) -> dict[str, Any]:
    try:
        origin = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return origin if isinstance(origin, dict) else {}
