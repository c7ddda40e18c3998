"""Answers as Slack messages: Block Kit plus the plain-text fallback.

Two promises hold whatever the store holds:
- Slack's limits (50 blocks, 3,000 characters a section, 150 a header, 2,000 a
  button value, and MAX_CARD_CHARS of block text in all) are never exceeded,
  because an oversized message is rejected whole and the journalist would see
  nothing. Long answers are paged instead; a page of long actions holds fewer.
- A card shared in a channel carries no buttons: a click on a public message
  could otherwise replace it for everyone.
- Every piece of article or user text is escaped (&, <, >) and rendered
  verbatim, so that an article quoting "<!channel>" pings nobody.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.render_text import why_not_sure
from storage.answers import ActionFact, Answer, Source, TargetMatch
from storage.dates import describe_date

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

PAGE_SIZE = 10  # actions per message: about 25 blocks, comfortably readable
MAX_SOURCES_PER_ACTION = 3
MAX_CANDIDATES = 5  # "did you mean" buttons
MAX_LISTED_PEOPLE = 10  # a surname shared by many
MAX_ALIASES = 8
QUOTE_CHARS = 280
REASON_CHARS = 500
NAME_CHARS = 140

# action_ids the listeners register; the prefix keeps them ours.
MORE = "sanctions_more"
SHARE = "sanctions_share"
PICK = "sanctions_pick"  # PICK_0, PICK_1...: one per button, Slack wants them unique
CONTROLS_BLOCK = "sanctions_controls"
SHARED_BY_BLOCK = "sanctions_shared_by"  # dropped when a shared card is shared again

SHORTENED = "_Answer shortened to fit in Slack._"
SHORTENED_PAGE = "_Answer shortened to fit in Slack: these actions are long, so fewer are on this page._"

NOT_SANCTIONED = "No sanctions are recorded for anyone of that name"

_VERBS = {"imposed": "imposed sanctions", "lifted": "lifted sanctions", "extended": "extended sanctions"}
_SAFE_URL = re.compile(r"^https?://[^\s<>|\"]+$", re.IGNORECASE)
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_SHARED_BY_LINE = re.compile(r"^Shared by [^\n]*\n")

USAGE = (
    "*/sanctions NAME* who was sanctioned, by whom, when and why\n"
    "*/sanctions by AUTHORITY* [since DATE] measures by the EU, OFAC, the UK…\n"
    "*/sanctions on DATE*, */sanctions since DATE*, */sanctions recent*\n"
    "*/sanctions subscribe new*, */sanctions subscribe digest 08:30 Europe/Berlin* [quiet], "
    "*/sanctions unsubscribe*, */sanctions status* what this channel receives; "
    "*/sanctions add* an item (editors)\n"
    "Examples: `/sanctions wang junzheng`, `/sanctions by eu since march 2021`, "
    "`/sanctions on 2021-03-22`"
)


@dataclass(frozen=True)
class Message:
    """What Slack shows: blocks, and the text notifications and screen readers use."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    is_answer: bool = True  # False for usage and apologies: never shared in a channel
    in_channel: bool = False  # a reply to a command that everyone in the channel should see

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


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


# --- text ---------------------------------------------------------------------


def escape(text: str) -> str:
    """Slack's three control characters as entities: '<!channel>' stays words."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _flat(text: str | None) -> str:
    """One line: article newlines would otherwise start quotes or lists."""
    return " ".join((text or "").split())


def _clip(text: str | None, limit: int) -> str:
    """Raw text shortened to `limit` characters, at a word when one is near."""
    flat = _flat(text)
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
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


def _link(url: str | None, label: str) -> str:
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


def _when(action: ActionFact) -> str:
    """The date as precisely as known, unescaped (a malformed one is shown as stored)."""
    try:
        day = date.fromisoformat(action.date)
    except ValueError:
        return _clip(action.date, 40)
    written = describe_date(day, action.precision)
    return f"{written} (date of publication)" if action.date_from_publication else written


def _published(source: Source) -> str:
    try:
        return describe_date(date.fromisoformat(source.published[:10]), "day")
    except ValueError:
        return _clip(source.published, 40)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _mention(user_id: str) -> str:
    return f"<@{user_id}>" if _USER_ID.match(user_id) else escape(user_id)


# --- blocks -------------------------------------------------------------------


def _section(mrkdwn: str, accessory: dict[str, Any] | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": fit(mrkdwn, MAX_SECTION_TEXT), "verbatim": True},
    }
    if accessory:
        block["accessory"] = accessory
    return block


def _header(text: str) -> dict[str, Any]:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": fit(escape(_flat(text)), MAX_HEADER_TEXT)},
    }


def _context(mrkdwn: str, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": fit(mrkdwn, MAX_SECTION_TEXT), "verbatim": True}],
    }
    if block_id:
        block["block_id"] = block_id
    return block


def _button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any] | None:
    """A button, or None when its value would exceed Slack's limit (a huge query)."""
    if len(value) > MAX_BUTTON_VALUE:
        return None
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": fit(escape(_flat(text)), MAX_BUTTON_TEXT), "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _actions(block_id: str, buttons: list[dict[str, Any] | None]) -> dict[str, Any] | None:
    elements = [b for b in buttons if b is not None][:25]
    return {"type": "actions", "block_id": block_id, "elements": elements} if elements else None


def _source_lines(sources: list[Source]) -> list[str]:
    lines = []
    for source in sources[:MAX_SOURCES_PER_ACTION]:
        label = f"{_clip(source.source or source.title or 'source', NAME_CHARS)}, {_published(source)}"
        quote = _clip(source.quote, QUOTE_CHARS)
        if source.added_in_slack:  # the desk's summary of a form, not the source's words: no quotation marks
            said = f"Added in Slack: {escape(quote)} — " if quote else ""
        else:
            said = f"“{escape(quote)}” — " if quote else ""
        lines.append(f">{said}{_link(source.url, label)}")
    hidden = len(sources) - MAX_SOURCES_PER_ACTION
    if hidden > 0:
        lines.append(f">_and {hidden} more source{'s' if hidden > 1 else ''}_")
    return lines


def _action_text(action: ActionFact, *, with_target: bool, known_roles: list[str]) -> str:
    verb = _VERBS.get(action.action, escape(action.action))
    who = f"*{escape(_clip(action.authority, NAME_CHARS))}*"
    what = " ".join(part for part in (flag(action.jurisdiction), who, verb) if part)
    line = f"{what} · {escape(_when(action))}"
    if with_target:
        line = f"*{escape(_clip(action.target, NAME_CHARS))}*: {line}"
    lines = [line]
    if action.role and action.role not in known_roles:
        lines.append(f"_Role then:_ {escape(_clip(action.role, REASON_CHARS))}")
    if action.reason:
        lines.append(f"_Reason:_ {escape(_clip(action.reason, REASON_CHARS))}")
    if action.program:
        lines.append(f"_Programme:_ {escape(_clip(action.program, NAME_CHARS))}")
    lines.extend(_source_lines(action.sources))
    return "\n".join(lines)


def _action_line(action: ActionFact, *, with_target: bool) -> str:
    """The fallback text's one line per action: plain, for notifications."""
    verb = _VERBS.get(action.action, action.action)
    target = f"{_clip(action.target, NAME_CHARS)}: " if with_target else ""
    return escape(f"{target}{_clip(action.authority, NAME_CHARS)} {verb}, {_when(action)}")


@dataclass(frozen=True)
class _Page:
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


def _page(all_or_page: list[ActionFact], answer: Answer, start: int, page_size: int) -> _Page:
    """One page of actions, whether the store paged them or handed over all of them."""
    if answer.total_actions is not None:  # the store paged: the list starts at answer.offset
        shown = all_or_page[:page_size]
        total = max(answer.total_actions, answer.offset + len(shown))
        return _Page(shown, answer.offset, total, answer.total_is_capped)
    start = max(start, 0)
    if start >= len(all_or_page) and all_or_page:  # past the end (a stale or hand-made button): the last page
        start = (len(all_or_page) - 1) // page_size * page_size
    return _Page(all_or_page[start : start + page_size], start, len(all_or_page))


def _controls(answer: Answer, page: _Page | None, shared: bool) -> dict[str, Any] | None:
    if shared:
        return None
    first = page.first if page else 0
    buttons = []
    if page and page.next_offset is not None:
        buttons.append(_button("More", MORE, PageRef(answer.query, page.next_offset).to_value()))
    buttons.append(_button("Share in channel", SHARE, PageRef(answer.query, first).to_value(), "primary"))
    return _actions(CONTROLS_BLOCK, buttons)


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


@dataclass(frozen=True)
class _Card:
    """A card before assembly: body blocks may be dropped from the end, the tail (buttons) never."""

    body: list[dict[str, Any]]
    tail: list[dict[str, Any] | None]
    text: str

    def fits(self, shared_by: str | None) -> bool:
        blocks = [*_shared_note(shared_by), *self.body, *(block for block in self.tail if block)]
        return len(blocks) <= MAX_BLOCKS and block_chars(blocks) <= MAX_CARD_CHARS


def _assemble(
    body: list[dict[str, Any]], tail: list[dict[str, Any] | None], text: str, shared_by: str | None = None
) -> Message:
    """The message: whole body blocks dropped from the end, and a note saying so, until it fits.

    Whole blocks, never part of one, so that no link or entity is cut; the
    "Shared by" line goes first, in the blocks and in the fallback text that
    notifications and screen readers use.
    """
    head = _shared_note(shared_by)
    kept_tail = [block for block in tail if block is not None]
    blocks = [*head, *body, *kept_tail]
    if len(blocks) > MAX_BLOCKS or block_chars(blocks) > MAX_CARD_CHARS:
        note = _context(SHORTENED)
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
        text = f"Shared by {_mention(shared_by)}\n{text}"
    return Message(fit(text, MAX_FALLBACK_TEXT), blocks)


def _fitting_page(card: Callable[[int, bool], _Card], page_size: int, shared_by: str | None) -> Message:
    """The card with as many of `page_size` actions as fit; More goes on from the first left out.

    Dropping action blocks from a full page would skip them: the next page
    starts after the last action the page was meant to hold.
    """
    built = card(page_size, False)
    size = page_size
    while size > 1 and not built.fits(shared_by):
        size -= 1
        built = card(size, True)
    return _assemble(built.body, built.tail, built.text, shared_by)


def _shared_note(shared_by: str | None) -> list[dict[str, Any]]:
    return [_context(f"Shared by {_mention(shared_by)} · /sanctions", SHARED_BY_BLOCK)] if shared_by else []


def render_answer(
    answer: Answer, *, start: int = 0, page_size: int = PAGE_SIZE, shared_by: str | None = None
) -> Message:
    """The card for any answer; `start` pages lists the store did not page itself.

    With `shared_by` (a Slack user id) the card is the channel copy: no buttons,
    and a note saying who shared it, in the blocks and the fallback text.
    """
    page_size = max(1, min(page_size, 20))  # 20 actions and their blocks still fit in 50
    if answer.found_nothing:
        return _render_nothing(answer, shared_by)
    if answer.kind == "name" and answer.best is not None and answer.matches:
        return _render_person(answer, start, page_size, shared_by)
    if answer.kind == "name" and answer.matches:
        return _render_several(answer, shared_by)
    return _render_list(answer, start, page_size, shared_by)


def _render_nothing(answer: Answer, shared_by: str | None) -> Message:
    query = escape(_clip(answer.query, NAME_CHARS))
    if answer.kind == "name":
        # True whether the name is misspelt or its bearer, mentioned in articles, was never sanctioned.
        said = f"Nothing found for “{query}”. {NOT_SANCTIONED}."
        if answer.suggestion:
            said += f" To list actions, ask `/sanctions {escape(_clip(answer.suggestion, NAME_CHARS))}`."
        elif not answer.close_names:  # close names, below, are the better hint
            said += " Check the spelling, or ask `/sanctions recent` for the newest measures."
    else:
        about = escape(_clip(answer.description, NAME_CHARS)) or f"“{query}”"
        said = f"Nothing found: {about}."
        if answer.total_actions:  # a page past the end of a list that has actions
            said = f"Nothing more on this page: {about}, {answer.total_label} in all, came on earlier pages."
    tail = [*_close_names(answer.close_names, shared_by), _controls(answer, None, shared_by is not None)]
    if answer.close_names:
        close = ", ".join(escape(_clip(name, NAME_CHARS)) for name in answer.close_names)
        said += f" Close names in the store: {close}."
    return _assemble([_section(said)], tail, said, shared_by)


def _close_names(names: list[str], shared_by: str | None) -> list[dict[str, Any] | None]:
    """Names a name that fits nobody nearly fits: offered to look at, never as the answer."""
    if not names or shared_by:
        return []
    buttons = [
        _button(name, f"{PICK}_{index}", PageRef(name).to_value())
        for index, name in enumerate(names[:MAX_CANDIDATES])
    ]
    return [_context("*Close names in the store:*", "sanctions_close_names_heading"),
            _actions("sanctions_close_names", buttons)]


def _render_person(answer: Answer, start: int, page_size: int, shared_by: str | None) -> Message:
    person, others = answer.matches[0], answer.matches[1:]
    about = "Organisation" if person.type == "organization" else "Person"
    aliases = [escape(_clip(alias, NAME_CHARS)) for alias in person.aliases[:MAX_ALIASES]]
    if aliases:
        about += " · also written " + ", ".join(aliases)
    roles = [_clip(role, REASON_CHARS) for role in person.roles]
    title = _clip(person.name, NAME_CHARS) + (f", {'; '.join(roles)}" if roles else "")

    def card(size: int, shortened: bool) -> _Card:
        page = _page(person.actions, answer, start, size)
        body = [_header(_clip(person.name, NAME_CHARS)), _context(about)]
        if roles:
            body.append(_section("*Role:* " + escape("; ".join(roles))))
        if not page.actions:
            body.append(_section("_No sanctions recorded against them in the store._"))
        for action in page.actions:
            body.append(_section(_action_text(action, with_target=False, known_roles=person.roles)))
        body.extend(_page_notes(page, shortened))
        tail = [*_did_you_mean(others, shared_by), _controls(answer, page, shared_by is not None)]
        text = "\n".join([escape(title), *(_action_line(a, with_target=False) for a in page.actions)])
        return _Card(body, tail, text)

    return _fitting_page(card, page_size, shared_by)


def _page_notes(page: _Page, shortened: bool) -> list[dict[str, Any]]:
    """Where the page stands among all actions, and why it holds fewer than usual."""
    notes = [_context(page.summary())] if page.summary() else []
    if shortened:
        notes.append(_context(SHORTENED_PAGE + (" More shows the next." if page.next_offset is not None else "")))
    return notes


def _did_you_mean(others: list[TargetMatch], shared_by: str | None) -> list[dict[str, Any] | None]:
    if not others or shared_by:
        return []
    buttons = [
        _button(other.name, f"{PICK}_{index}", PageRef(other.name).to_value())
        for index, other in enumerate(others[:MAX_CANDIDATES])
    ]
    return [
        _context("*Did you mean?*", "sanctions_did_you_mean_heading"),
        _actions("sanctions_did_you_mean", buttons),
    ]


def _render_several(answer: Answer, shared_by: str | None) -> Message:
    """A query that fits several people equally: all of them, none chosen."""
    query = escape(_clip(answer.query, NAME_CHARS))
    people = answer.matches[:MAX_LISTED_PEOPLE]
    how_many = f"more than {len(answer.matches)}" if answer.more_matches else str(len(answer.matches))
    kinds = {match.type for match in answer.matches}
    who = {"person": "people", "organization": "organisations"}.get(kinds.pop(), "") if len(kinds) == 1 else ""
    who = who or "people and organisations"
    if len(answer.matches) == 1 and not answer.more_matches:
        # No tie to choose from: one name that the query does not fit closely enough.
        name, why = escape(_clip(people[0].name, NAME_CHARS)), why_not_sure(people[0])
        body = [_section(f"“{query}” may mean *{name}*, but {why}. Is it the one?")]
        lines = [f"“{query}” may mean {name}, but {why}. Is it the one?"]
    else:
        body = [_section(f"“{query}” fits {how_many} {who} in the store:")]
        lines = [f"“{query}” fits {how_many} {who}:"]
    for index, person in enumerate(people):
        text = f"*{escape(_clip(person.name, NAME_CHARS))}*"
        if person.roles:
            text += f", {escape(_clip(person.roles[0], REASON_CHARS))}"
        if person.actions:
            latest = max(person.actions, key=lambda action: action.date)
            count = len(person.actions)
            text += f"\n{_action_line(latest, with_target=False)}"
            if count > 1:
                text += f" _(and {count - 1} more)_"
        button = None if shared_by else _button("Show", f"{PICK}_{index}", PageRef(person.name).to_value())
        body.append(_section(text, button))
        lines.append(escape(_clip(person.name, NAME_CHARS)))
    hidden = len(answer.matches) - len(people)
    if hidden > 0 or answer.more_matches:
        more = f"{hidden} more" if not answer.more_matches else "more"
        narrower = "a given name" if who == "people" else "more of the name"
        body.append(_context(f"…and {more}. Add {narrower} to narrow it down."))
    return _assemble(body, [_controls(answer, None, shared_by is not None)], "\n".join(lines), shared_by)


def _render_list(answer: Answer, start: int, page_size: int, shared_by: str | None) -> Message:
    """Actions by an authority, on or since a date, or the most recent: newest first."""
    title = _capitalised(answer.description or answer.query)

    def card(size: int, shortened: bool) -> _Card:
        page = _page(answer.actions, answer, start, size)
        body = [_header(_clip(title, NAME_CHARS))]
        for action in page.actions:
            body.append(_section(_action_text(action, with_target=True, known_roles=[])))
        if not page.actions:
            body.append(_section("_Nothing more on this page._"))
        body.extend(_page_notes(page, shortened))
        lines = [escape(_clip(title, NAME_CHARS)), *(_action_line(a, with_target=True) for a in page.actions)]
        return _Card(body, [_controls(answer, page, shared_by is not None)], "\n".join(lines))

    return _fitting_page(card, page_size, shared_by)


# --- other messages -----------------------------------------------------------


def render_usage(problem: str | None = None) -> Message:
    """Usage, led by what was wrong with the query when something was."""
    lead = escape(_clip(problem, 500)) if problem else "Ask the sanctions desk:"
    # One sentence for a problem: the usage below it says the rest.
    text = lead if problem else f"{lead} /sanctions NAME, by AUTHORITY, on DATE, recent"
    return Message(text, [_section(lead), _section(USAGE)], is_answer=False)


def render_apology(error_id: str, *, store_down: bool = False) -> Message:
    """Our failure, never a stack trace: an apology and the id that is in the log."""
    what = (
        "the sanctions store is not answering right now. Please try again in a minute"
        if store_down
        else "something went wrong on our side"
    )
    sorry = f"Sorry, {what}. If it persists, tell the maintainers: error id"
    shown_id = escape(error_id)
    return Message(f"{sorry} {shown_id}.", [_section(f":warning: {sorry} `{shown_id}`.")], is_answer=False)


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
    return _assemble(kept, [], text or "Sanctions answer", shared_by)


def _without_controls(block: dict[str, Any]) -> dict[str, Any]:
    """The block without an accessory one can click or pick (an image stays)."""
    if "action_id" in (block.get("accessory") or {}):
        return {key: value for key, value in block.items() if key != "accessory"}
    return block
