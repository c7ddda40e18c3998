"""What the bot posts in channels on its own: new items and daily digests.

The same card style as answers (bot.blocks), with the same promises: Slack's
limits are never exceeded and every piece of article text is escaped.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import (
    NAME_CHARS,
    Message,
    _action_line,
    _action_text,
    _assemble,
    _clip,
    _context,
    _header,
    _link,
    _section,
    escape,
    flag,
)
from storage.answers import ActionFact
from storage.dates import describe_date
from storage.digests import Digest

MAX_ITEMS_PER_POST = 20  # an article naming more is shown in part, with a count
DIGEST_LINES_PER_AUTHORITY = 15
ITEM_EVENT = "sanctions_item"  # message metadata event types: how a poster finds its own messages
DIGEST_EVENT = "sanctions_digest"


def render_new_items(facts: list[ActionFact]) -> Message:
    """One article's new actions: a heading, one card section per action, its sources."""
    shown = facts[:MAX_ITEMS_PER_POST]
    targets = list(dict.fromkeys(fact.target for fact in facts))
    title = "New sanctions: " + ", ".join(_clip(name, NAME_CHARS) for name in targets[:3])
    if len(targets) > 3:
        title += f" and {len(targets) - 3} more"
    body: list[dict[str, Any]] = [_header(title)]
    body.extend(_section(_action_text(fact, with_target=True, known_roles=[])) for fact in shown)
    hidden = len(facts) - len(shown)
    if hidden > 0:
        body.append(_context(f"…and {hidden} more in the same article. Ask `/sanctions recent` for all of them."))
    body.append(_context("New in the sanctions desk · `/sanctions NAME` for everything on a name"))
    text = "\n".join([escape(title), *(_action_line(fact, with_target=True) for fact in shown)])
    return _assemble(body, [], text)


def render_digest(digest: Digest, timezone: str) -> Message:
    """The day's digest: counts, then the new actions grouped by authority."""
    zone = ZoneInfo(timezone)
    day = describe_date(digest.local_day, "day")
    since = _local(digest.covers_from, zone)
    if digest.empty:
        said = f"Sanctions digest, {day}: nothing new since {since}."
        return Message(said, [_section(f"*Sanctions digest, {escape(day)}*: nothing new since {escape(since)}.")])
    authorities = len(digest.by_authority)
    counted = f"{digest.total} new action{'s' * (digest.total != 1)} by {authorities} " + (
        "authority" if authorities == 1 else "authorities"
    )
    body: list[dict[str, Any]] = [_header(f"Sanctions digest, {day}"), _context(f"{counted} since {escape(since)}.")]
    for authority, facts in digest.by_authority.items():
        body.append(_section(_authority_text(authority, facts)))
    listed = sum(len(facts) for facts in digest.by_authority.values())
    if digest.total > listed:
        body.append(_context(f"…and {digest.total - listed} more. Ask `/sanctions recent` for the newest."))
    text = f"Sanctions digest, {day}: {counted}."
    return _assemble(body, [], escape(text))


def _authority_text(authority: str, facts: list[ActionFact]) -> str:
    jurisdiction = facts[0].jurisdiction if facts else None
    heading = " ".join(part for part in (flag(jurisdiction), f"*{escape(_clip(authority, NAME_CHARS))}*") if part)
    lines = [f"{heading} · {len(facts)}"]
    for fact in facts[:DIGEST_LINES_PER_AUTHORITY]:
        verb = {"imposed": "imposed", "lifted": "lifted", "extended": "extended"}.get(fact.action, fact.action)
        when = describe_date(date.fromisoformat(fact.date), fact.precision) if fact.date[:4].isdigit() else fact.date
        line = f"*{escape(_clip(fact.target, NAME_CHARS))}*: {escape(verb)}, {escape(when)}"
        source = fact.sources[0] if fact.sources else None
        if source is not None and source.url:
            line += " · " + _link(source.url, _clip(source.source or source.title or "source", NAME_CHARS))
        lines.append(f"• {line}")
    hidden = len(facts) - DIGEST_LINES_PER_AUTHORITY
    if hidden > 0:
        lines.append(f"_…and {hidden} more_")
    return "\n".join(lines)


def _local(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{describe_date(local.date(), 'day')} {local:%H:%M}"


def item_metadata(key: str, action_ids: tuple[int, ...]) -> dict[str, Any]:
    return {"event_type": ITEM_EVENT, "event_payload": {"key": key, "actions": list(action_ids)}}


def digest_metadata(key: str) -> dict[str, Any]:
    return {"event_type": DIGEST_EVENT, "event_payload": {"key": key}}


def render_digest_text(digest: Digest, timezone: str) -> str:
    """The digest for a terminal (`sanctions digest` without --post)."""
    zone = ZoneInfo(timezone)
    day = describe_date(digest.local_day, "day")
    since = _local(digest.covers_from, zone)
    until = _local(digest.covers_until, zone)
    lines = [f"Sanctions digest, {day} ({timezone}): from {since} to {until}"]
    if digest.empty:
        return "\n".join([*lines, "Nothing new.", ""])
    lines.append(f"{digest.total} new action{'s' * (digest.total != 1)} by {len(digest.by_authority)} authorities")
    for authority, facts in digest.by_authority.items():
        lines.append("")
        lines.append(f"{authority} ({facts[0].jurisdiction or '?'}): {len(facts)}")
        for fact in facts:
            verb = {"imposed": "imposed", "lifted": "lifted", "extended": "extended"}.get(fact.action, fact.action)
            url = next((s.url for s in fact.sources if s.url), "")
            lines.append(f"  - {fact.target}: {verb}, {describe_date(date.fromisoformat(fact.date), fact.precision)}"
                         + (f"  {url}" if url else ""))
    return "\n".join([*lines, ""])
