"""One action as a journalist reads it: who did what, when as precisely as known, and who says so."""

from __future__ import annotations

from datetime import date

from bot.blocks.elements import NAME_CHARS, QUOTE_CHARS, REASON_CHARS, clip, escape, flag, link
from storage.answers.model import ActionFact, Source
from storage.dates import describe_date
from storage.lists.listings import Listing, listing_status

MAX_SOURCES_PER_ACTION = 3
_VERBS = {"imposed": "imposed sanctions", "lifted": "lifted sanctions", "extended": "extended sanctions"}


def when(action: ActionFact) -> str:
    """The date as precisely as known, unescaped (a malformed one is shown as stored)."""
    try:
        day = date.fromisoformat(action.date)
    except ValueError:
        return clip(action.date, 40)
    written = describe_date(day, action.precision)
    return f"{written} (date of publication)" if action.date_from_publication else written


def published(source: Source) -> str:
    try:
        return describe_date(date.fromisoformat(source.published[:10]), "day")
    except ValueError:
        return clip(source.published, 40)


def source_lines(sources: list[Source]) -> list[str]:
    lines = []
    for source in sources[:MAX_SOURCES_PER_ACTION]:
        label = f"{clip(source.source or source.title or 'source', NAME_CHARS)}, {published(source)}"
        quote = clip(source.quote, QUOTE_CHARS)
        if source.added_in_slack:  # the desk's summary of a form, not the source's words: no quotation marks
            said = f"Added in Slack: {escape(quote)} — " if quote else ""
        else:
            said = f"“{escape(quote)}” — " if quote else ""
        lines.append(f">{said}{link(source.url, label)}")
    hidden = len(sources) - MAX_SOURCES_PER_ACTION
    if hidden > 0:
        lines.append(f">_and {hidden} more source{'s' if hidden > 1 else ''}_")
    return lines


DISPUTED_MARK = ":warning: _Sources disagree on this date: see the note above._"


def action_text(action: ActionFact, *, with_target: bool, known_roles: list[str], dispute_above: bool = False) -> str:
    """The action's card text; a disputed date gets its sentence, or a mark when the card states it above."""
    verb = _VERBS.get(action.action, escape(action.action))
    who = f"*{escape(clip(action.authority, NAME_CHARS))}*"
    what = " ".join(part for part in (flag(action.jurisdiction), who, verb) if part)
    line = f"{what} · {escape(when(action))}"
    if with_target:
        line = f"*{escape(clip(action.target, NAME_CHARS))}*: {line}"
    lines = [line]
    if action.disputed:
        lines.append(DISPUTED_MARK if dispute_above else f":warning: _{escape(action.disputed)}_")
    if action.role and action.role not in known_roles:
        lines.append(f"_Role then:_ {escape(clip(action.role, REASON_CHARS))}")
    if action.reason:
        lines.append(f"_Reason:_ {escape(clip(action.reason, REASON_CHARS))}")
    if action.program:
        lines.append(f"_Programme:_ {escape(clip(action.program, NAME_CHARS))}")
    lines.extend(source_lines(action.sources))
    return "\n".join(lines)


def action_line(action: ActionFact, *, with_target: bool) -> str:
    """The fallback text's one line per action: plain, for notifications."""
    verb = _VERBS.get(action.action, action.action)
    target = f"{clip(action.target, NAME_CHARS)}: " if with_target else ""
    disputed = " (date disputed)" if action.disputed else ""
    return escape(f"{target}{clip(action.authority, NAME_CHARS)} {verb}, {when(action)}{disputed}")


def listing_text(listing: Listing) -> str:
    """One official listing: the list, listed or delisted and since when by the list's own word, as of when."""
    name = f"*{escape(clip(listing.list_name, NAME_CHARS))}*"
    what = " ".join(part for part in (flag(listing.jurisdiction), name) if part)
    status = escape(listing_status(listing))
    if listing.delisted_on is not None:
        status = f"*{status}*"  # a journalist must not read a delisted entry as sanctioned
    parts = [f"{what} · {status}"]
    if listing.programs:
        parts.append(escape(clip(", ".join(listing.programs), REASON_CHARS)))
    parts.append(f"as of {describe_date(listing.as_of, 'day')}")
    parts.append(link(listing.url, f"entry {clip(listing.entry_id, 60)}"))
    return " · ".join(parts)
