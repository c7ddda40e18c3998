"""What the bot posts in channels on its own: new items and daily digests.

The same card style as answers (bot.blocks), with the same promises: Slack's
limits are never exceeded and every piece of article text is escaped. Two
more for what is posted with chat.postMessage:
- Nothing is cut silently: what does not fit as a card is listed as a line,
  what does not fit as a line is counted and named, with a question that
  lists it.
- A message stays under MAX_POST_CHARS of block text in all: besides 50
  blocks and 3,000 characters a section, chat.postMessage refuses a message
  whose blocks hold about 12,000 characters in all (`msg_blocks_too_long`,
  undocumented: slackapi/bolt-js#2509), and that refusal would lose the post.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks.elements import (
    MAX_BLOCKS,
    MAX_CARD_CHARS,
    MAX_SECTION_TEXT,
    NAME_CHARS,
    Message,
    block_chars,
    clip,
    context,
    escape,
    fit,
    flag,
    header,
    link,
    section,
)
from bot.blocks.facts import action_line, action_text
from bot.blocks.paging import assemble
from storage.answers.model import ActionFact
from storage.channels.digests import Digest
from storage.dates import describe_date

MAX_ITEMS_PER_POST = 20  # full cards; an article naming more gets one line for each of the others
DIGEST_LINES_PER_AUTHORITY = 15
MAX_POST_CHARS = MAX_CARD_CHARS  # block text of one posted message, well under Slack's ~12,000
LINES_RESERVE = 3_000  # of MAX_POST_CHARS, kept from the cards for the lines of the rest of an article
NOTE_RESERVE = 1_500  # kept for the closing note that names what is neither a card nor a line
ITEM_EVENT = "sanctions_item"  # message metadata event types: how a poster finds its own messages
DIGEST_EVENT = "sanctions_digest"
_HEADINGS = {"imposed": "New sanctions", "lifted": "Sanctions lifted", "extended": "Sanctions extended"}
_VERBS = {"imposed": "imposed", "lifted": "lifted", "extended": "extended"}


def _pack(pieces: list[str], separator: str = "\n") -> list[str]:
    """Pieces (each within a section's limit) joined into as few sections as fit."""
    sections: list[str] = []
    for piece in pieces:
        if sections and len(sections[-1]) + len(separator) + len(piece) <= MAX_SECTION_TEXT:
            sections[-1] += separator + piece
        else:
            sections.append(fit(piece, MAX_SECTION_TEXT))
    return sections


# A line has no room for the disagreement's sentence: the name's card gives it.
DATE_DISPUTED = ":warning: _sources disagree on this date_"


def _ask(question: str) -> str:
    return f"`/sanctions {escape(clip(question, 200))}`"


# --- new items ----------------------------------------------------------------------------


def render_new_items(facts: list[ActionFact]) -> Message:
    """One article's new actions: a heading saying what happened, cards, then a line for each of the rest.

    Every action is shown as a card or a line; an article too big even for
    that ends with the names its other actions are about, each a question
    that lists them.
    """
    targets = list(dict.fromkeys(fact.target for fact in facts))
    kinds = {fact.action for fact in facts}
    heading = _HEADINGS.get(kinds.pop(), "New sanctions items") if len(kinds) == 1 else "New sanctions items"
    title = f"{heading}: " + ", ".join(clip(name, NAME_CHARS) for name in targets[:3])
    if len(targets) > 3:
        title += f" and {len(targets) - 3} more"
    if len(targets) == 1:  # the name's own card lists every action on it, these included
        footer = context(f"New in the sanctions desk · {_ask(targets[0])} for everything on this name")
    else:
        footer = context("New in the sanctions desk · `/sanctions NAME` for everything on a name")
    body: list[dict[str, Any]] = [header(title)]
    for fact in facts[:MAX_ITEMS_PER_POST]:
        card = section(action_text(fact, with_target=True, known_roles=[]))
        if len(body) > 1 and block_chars([*body, card]) > MAX_POST_CHARS - LINES_RESERVE - NOTE_RESERVE:
            break
        body.append(card)
    cards = len(body) - 1
    rest = facts[cards:]
    lines = [f"• {_brief(fact)}" for fact in rest]
    room = MAX_POST_CHARS - block_chars([*body, footer]) - NOTE_RESERVE
    blocks_left = MAX_BLOCKS - len(body) - 2  # the note and the footer
    listed = 0
    if lines:
        pieces = ["*Also in this article:*", *lines]
        while listed < len(lines):
            sections = _pack(pieces[: listed + 2])
            if sum(map(len, sections)) > room or len(sections) > blocks_left:
                break
            listed += 1
        body.extend(section(text) for text in _pack(pieces[: listed + 1]) if listed)
    unlisted = rest[listed:]
    if unlisted:
        body.append(context(_unlisted_note(unlisted, len(targets) == 1)))
    body.append(footer)
    text = "\n".join([escape(title), *(action_line(fact, with_target=True) for fact in facts[:cards])])
    if rest:
        text += f"\n…and {len(rest)} more in the same article."
    return assemble(body, [], text)


def _brief(fact: ActionFact) -> str:
    """One line for an action that gets no card: who, by whom, what, when."""
    verb = _VERBS.get(fact.action, fact.action)
    who = " ".join(part for part in (flag(fact.jurisdiction), escape(clip(fact.authority, NAME_CHARS))) if part)
    disputed = f" {DATE_DISPUTED}" if fact.disputed else ""
    return f"*{escape(clip(fact.target, NAME_CHARS))}*: {who} {escape(verb)}, {escape(_when(fact))}{disputed}"


def _unlisted_note(unlisted: list[ActionFact], one_target: bool) -> str:
    """The actions even the lines had no room for: counted, and named, since a name's card lists them all."""
    count = f"…and {len(unlisted)} more in the same article"
    names = list(dict.fromkeys(fact.target for fact in unlisted))
    if one_target:
        return f"{count}: {_ask(names[0])} lists all of them."
    shown: list[str] = []
    for name in names:
        if len(", ".join([*shown, escape(clip(name, NAME_CHARS))])) > NOTE_RESERVE - 200:
            break
        shown.append(escape(clip(name, NAME_CHARS)))
    others = len(names) - len(shown)
    said = f"{count}, on {', '.join(shown)}"
    if others:
        said += f" and {others} other{'s' * (others != 1)}"
    return f"{said}: `/sanctions NAME` lists a name's actions, these included."


def _when(fact: ActionFact) -> str:
    return describe_date(date.fromisoformat(fact.date), fact.precision) if fact.date[:4].isdigit() else fact.date


# --- digests ----------------------------------------------------------------------------


def render_digest(digest: Digest, timezone: str) -> Message:
    """The day's digest: counts, then the new actions grouped by authority, biggest groups first.

    Groups that do not fit are listed by name with their counts, so the
    message accounts for every action it says it holds.
    """
    zone = ZoneInfo(timezone)
    day = describe_date(digest.local_day, "day")
    since = _local(digest.covers_from, zone)
    if digest.empty:
        said = f"Sanctions digest, {day}: nothing new since {since}."
        shown_text = f"*Sanctions digest, {escape(day)}*: nothing new since {escape(since)}."
        return Message(escape(said), [section(shown_text)])
    counted = _counted(digest)
    body: list[dict[str, Any]] = [header(f"Sanctions digest, {day}"), context(f"{counted} since {escape(since)}.")]
    groups = [
        _authority_text(authority, facts, digest.count(authority), digest.jurisdictions.get(authority))
        for authority, facts in digest.by_authority.items()
    ]
    shown, also = _fit_groups(digest, groups, MAX_POST_CHARS - block_chars(body), MAX_BLOCKS - len(body))
    body.extend(section(text) for text in _pack(groups[:shown], "\n\n"))
    if also:
        body.append(section(also))
    text = f"Sanctions digest, {day}: {counted}."
    return assemble(body, [], escape(text))


def _fit_groups(digest: Digest, groups: list[str], budget: int, blocks: int) -> tuple[int, str]:
    """How many groups to show in full, and the line naming the others.

    The most groups that leave room to name every other authority with its
    count; when even naming them all cannot fit, the most groups that leave
    room for a line that names some and counts the rest.
    """
    authorities = list(digest.by_authority)
    fallback: tuple[int, str] | None = None
    for shown in range(len(groups), -1, -1):
        used = sum(len(group) + 2 for group in groups[:shown])
        needed = len(_pack(groups[:shown], "\n\n")) + (shown < len(groups))
        if used > budget or needed > blocks:
            continue
        if shown == len(groups):
            return shown, ""
        room = budget - used
        also, complete = _also(digest, authorities[shown:], room)
        if complete:
            return shown, also
        if fallback is None and room >= NOTE_RESERVE:
            fallback = (shown, also)
    return fallback or (0, _also(digest, authorities, budget)[0])


def _counted(digest: Digest) -> str:
    authorities = len(digest.by_authority)
    return f"{digest.total} new action{'s' * (digest.total != 1)} by {authorities} " + (
        "authority" if authorities == 1 else "authorities"
    )


def _authority_text(authority: str, facts: list[ActionFact], count: int, jurisdiction: str | None) -> str:
    """One authority's group: a heading with its count, a line per action, and the names of the rest."""
    jurisdiction = jurisdiction or (facts[0].jurisdiction if facts else None)
    heading = " ".join(part for part in (flag(jurisdiction), f"*{escape(clip(authority, NAME_CHARS))}*") if part)
    lines = [f"{heading} · {count}"]
    for fact in facts[:DIGEST_LINES_PER_AUTHORITY]:
        line = f"• *{escape(clip(fact.target, NAME_CHARS))}*: {escape(_VERBS.get(fact.action, fact.action))}, "
        line += escape(_when(fact)) + (f" {DATE_DISPUTED}" if fact.disputed else "")
        source = fact.sources[0] if fact.sources else None
        if source is not None and source.url:
            line += " · " + link(source.url, clip(source.source or source.title or "source", NAME_CHARS))
        if sum(len(x) + 1 for x in lines) + len(line) > MAX_SECTION_TEXT - 700:  # room for the names of the rest
            break
        lines.append(line)
    hidden = count - (len(lines) - 1)
    if hidden > 0:
        lines.append(_hidden_in_group(authority, facts[len(lines) - 1:], hidden))
    return "\n".join(lines)


def _hidden_in_group(authority: str, unlisted: list[ActionFact], hidden: int) -> str:
    """'…and 16 more: A, B, C': names, each a question; a `by` question when not all can be named."""
    names = list(dict.fromkeys(escape(clip(fact.target, 60)) for fact in unlisted))
    shown: list[str] = []
    for name in names:
        if len(", ".join([*shown, name])) > 450:
            break
        shown.append(name)
    said = f"_…and {hidden} more:_ {', '.join(shown)}" if shown else f"_…and {hidden} more_"
    if len(unlisted) == hidden and len(shown) == len(names):
        return said
    earliest = min((fact.date for fact in unlisted), default=None) if len(unlisted) == hidden else None
    question = f"by {authority}" + (f" since {earliest}" if earliest else "")
    return f"{said}{' …' if shown else ''}; {_ask(question)} lists them"


def _also(digest: Digest, authorities: list[str], room: int) -> tuple[str, bool]:
    """The authorities whose groups are not shown, each named with its count (True), or some of them counted (False)."""
    actions = sum(digest.count(a) for a in authorities)
    dates = [fact.date for a in authorities for fact in digest.by_authority[a]]
    lead = f"*Also new: {actions} action{'s' * (actions != 1)} by {len(authorities)} more authorities:* "
    hint = " Ask `/sanctions by AUTHORITY` for an authority's actions."
    if len(authorities) * 20 > MAX_SECTION_TEXT and dates:  # perhaps too many to name: a question for them all
        hint = f" {_ask(f'since {min(dates)}')} lists them, among all actions dated since then."
    limit = min(room, MAX_SECTION_TEXT) - len(lead) - len(hint) - 80
    named: list[str] = []
    for authority in authorities:
        item = " ".join(part for part in (flag(digest.jurisdictions.get(authority)),
                                          escape(clip(authority, NAME_CHARS))) if part)
        item += f" · {digest.count(authority)}"
        if len(", ".join([*named, item])) > limit:
            break
        named.append(item)
    said = lead + ", ".join(named)
    left = authorities[len(named):]
    if left:
        more = sum(digest.count(a) for a in left)
        said += f"{', ' if named else ''}and {len(left)} more authorities ({more} action{'s' * (more != 1)})"
    return said + "." + hint, not left


def _local(moment: datetime, zone: ZoneInfo) -> str:
    """A moment on the channel's clock, with its zone: a time without one means nothing in a newsroom."""
    local = moment.astimezone(zone)
    return f"{describe_date(local.date(), 'day')} {local:%H:%M} {zone.key}"


def item_metadata(key: str, action_ids: tuple[int, ...]) -> dict[str, Any]:
    return {"event_type": ITEM_EVENT, "event_payload": {"key": key, "actions": list(action_ids)}}


def digest_metadata(key: str) -> dict[str, Any]:
    return {"event_type": DIGEST_EVENT, "event_payload": {"key": key}}


def render_digest_text(digest: Digest, timezone: str) -> str:
    """The digest for a terminal (`sanctions digest` without --post): the posted one's words, every action listed."""
    zone = ZoneInfo(timezone)
    day = describe_date(digest.local_day, "day")
    since = _local(digest.covers_from, zone)
    until = _local(digest.covers_until, zone)
    lines = [f"Sanctions digest, {day} ({timezone}): from {since} to {until}"]
    if digest.empty:
        return "\n".join([*lines, "Nothing new.", ""])
    lines.append(f"{_counted(digest)}.")
    for authority, facts in digest.by_authority.items():
        lines.append("")
        jurisdiction = digest.jurisdictions.get(authority) or (facts[0].jurisdiction if facts else None)
        lines.append(f"{authority} ({jurisdiction or '?'}): {digest.count(authority)}")
        for fact in facts:
            url = next((s.url for s in fact.sources if s.url), "")
            lines.append(f"  - {fact.target}: {_VERBS.get(fact.action, fact.action)}, {_when(fact)}"
                         + (f"  {url}" if url else ""))
        if digest.count(authority) > len(facts):
            lines.append(f"  - …and {digest.count(authority) - len(facts)} more (older by date)")
    return "\n".join([*lines, ""])
