"""Fitting a card into one message: pages of actions, the buttons that go on, and the shared copy.

A card too big for Slack loses whole blocks from its end, with a note, never
part of a block; a page of long actions holds fewer, and More continues from
the first left out. A card shared in a channel carries no buttons: a click
on a public message could otherwise replace it for everyone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.blocks.elements import (
    MAX_BLOCKS,
    MAX_CARD_CHARS,
    MAX_FALLBACK_TEXT,
    Message,
    actions_block,
    block_chars,
    button,
    context,
    fit,
    mention,
)
from storage.answers.model import ActionFact, Answer

PAGE_SIZE = 10  # actions per message: about 25 blocks, comfortably readable


# action_ids the listeners register; the prefix keeps them ours.
MORE = "sanctions_more"
SHARE = "sanctions_share"
PICK = "sanctions_pick"  # PICK_0, PICK_1...: one per button, Slack wants them unique
CONTROLS_BLOCK = "sanctions_controls"
SHARED_BY_BLOCK = "sanctions_shared_by"  # dropped when a shared card is shared again
SHORTENED = "_Answer shortened to fit in Slack._"
SHORTENED_PAGE = "_Answer shortened to fit in Slack: these actions are long, so fewer are on this page._"
_SHARED_BY_LINE = re.compile(r"^Shared by [^\n]*\n")


@dataclass(frozen=True)
class PageRef:
    """What a button must carry to redo a query: Slack gives us back only its value."""

    query: str
    offset: int = 0

    def to_value(self) -> str:
        return json.dumps({"q": self.query, "o": self.offset}, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_value(cls, value: str) -> PageRef:
        """The button's question; UnknownButton for a value no button of ours carries."""
        try:
            data = json.loads(value)
            offset = int(data.get("o", 0))
            return cls(str(data["q"]), max(offset, 0))
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
            raise UnknownButton(f"not a button value of this app: {value[:80]!r}") from None


class UnknownButton(ValueError):
    """A button value we never rendered (edited by hand, or from an old version)."""


@dataclass(frozen=True)
class Page:
    actions: list[ActionFact]
    first: int  # offset of actions[0] among all
    total: int
    capped: bool = False  # more than `total` exist; the store stopped counting

    @property
    def next_offset(self) -> int | None:
        end = self.first + len(self.actions)
        return end if end < self.total else None

    def summary(self) -> str:
        if self.total <= len(self.actions) and self.first == 0:
            return ""
        total = f"{self.total:,}+" if self.capped else f"{self.total:,}"
        return f"Showing {self.first + 1}–{self.first + len(self.actions)} of {total}."


def page_of(all_or_page: list[ActionFact], answer: Answer, start: int, page_size: int) -> Page:
    """One page of actions, whether the store paged them or handed over all of them."""
    if answer.total_actions is not None:  # the store paged: the list starts at answer.offset
        shown = all_or_page[:page_size]
        total = max(answer.total_actions, answer.offset + len(shown))
        return Page(shown, answer.offset, total, answer.total_is_capped)
    start = max(start, 0)
    if start >= len(all_or_page) and all_or_page:  # past the end (a stale or hand-made button): the last page
        start = (len(all_or_page) - 1) // page_size * page_size
    return Page(all_or_page[start : start + page_size], start, len(all_or_page))


def controls(answer: Answer, page: Page | None, shared: bool) -> dict[str, Any] | None:
    if shared:
        return None
    first = page.first if page else 0
    buttons = []
    if page and page.next_offset is not None:
        buttons.append(button("More", MORE, PageRef(answer.query, page.next_offset).to_value()))
    buttons.append(button("Share in channel", SHARE, PageRef(answer.query, first).to_value(), "primary"))
    return actions_block(CONTROLS_BLOCK, buttons)


@dataclass(frozen=True)
class Card:
    """A card before assembly: body blocks may be dropped from the end, the tail (buttons) never."""

    body: list[dict[str, Any]]
    tail: list[dict[str, Any] | None]
    text: str

    def fits(self, shared_by: str | None) -> bool:
        blocks = [*shared_note(shared_by), *self.body, *(block for block in self.tail if block)]
        return len(blocks) <= MAX_BLOCKS and block_chars(blocks) <= MAX_CARD_CHARS


def assemble(
    body: list[dict[str, Any]], tail: list[dict[str, Any] | None], text: str, shared_by: str | None = None
) -> Message:
    """The message: whole body blocks dropped from the end, and a note saying so, until it fits.

    Whole blocks, never part of one, so that no link or entity is cut; the
    "Shared by" line goes first, in the blocks and in the fallback text that
    notifications and screen readers use.
    """
    head = shared_note(shared_by)
    kept_tail = [block for block in tail if block is not None]
    blocks = [*head, *body, *kept_tail]
    if len(blocks) > MAX_BLOCKS or block_chars(blocks) > MAX_CARD_CHARS:
        note = context(SHORTENED)
        room = MAX_BLOCKS - len(head) - len(kept_tail) - 1
        chars = MAX_CARD_CHARS - block_chars([*head, *kept_tail, note])
        kept: list[dict[str, Any]] = []
        for block in body:
            chars -= block_chars([block])
            if len(kept) == room or chars < 0:
                break
            kept.append(block)
        blocks = [*head, *kept, note, *kept_tail]
    if shared_by:
        text = f"Shared by {mention(shared_by)}\n{text}"
    return Message(fit(text, MAX_FALLBACK_TEXT), blocks)


def fitting_page(card: Callable[[int, bool], Card], page_size: int, shared_by: str | None) -> Message:
    """The card with as many of `page_size` actions as fit; More goes on from the first left out.

    Dropping action blocks from a full page would skip them: the next page
    starts after the last action the page was meant to hold.
    """
    built = card(page_size, False)
    size = page_size
    while size > 1 and not built.fits(shared_by):
        size -= 1
        built = card(size, True)
    return assemble(built.body, built.tail, built.text, shared_by)


def shared_note(shared_by: str | None) -> list[dict[str, Any]]:
    return [context(f"Shared by {mention(shared_by)} · /sanctions", SHARED_BY_BLOCK)] if shared_by else []


def page_notes(page: Page, shortened: bool) -> list[dict[str, Any]]:
    """Where the page stands among all actions, and why it holds fewer than usual."""
    notes = [context(page.summary())] if page.summary() else []
    if shortened:
        notes.append(context(SHORTENED_PAGE + (" More shows the next." if page.next_offset is not None else "")))
    return notes


def share_copy(blocks: list[dict[str, Any]], text: str, shared_by: str) -> Message:
    """The channel copy of a card Slack handed back: same blocks, nothing to click.

    A button left on a public message ("Show" beside each of several people)
    would let anyone's click act on the message everyone sees.
    """
    kept = [
        _without_controls(block)
        for block in blocks
        if block.get("type") != "actions" and not str(block.get("block_id", "")).startswith("sanctions_")
    ]
    text = _SHARED_BY_LINE.sub("", text)  # shared again: the new sharer's name only
    return assemble(kept, [], text or "Sanctions answer", shared_by)


def _without_controls(block: dict[str, Any]) -> dict[str, Any]:
    """The block without an accessory one can click or pick (an image stays)."""
    if "action_id" in (block.get("accessory") or {}):
        return {key: value for key, value in block.items() if key != "accessory"}
    return block
