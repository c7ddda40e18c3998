"""/sanctions subscribe, unsubscribe, status: what a channel receives, said plainly.

Changes to a subscription are answered in the channel, so that its members
see who asked the bot to post there and what it will post; status, usage and
mistakes go to the person who typed them only.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.blocks import Message, _mention, _section, escape
from bot.daylight_saving import daylight_saving_warning
from bot.listeners.commands.sanctions import CommandRequest
from bot.lookup import apologise
from storage.channels import (
    ChannelStatus,
    SubscriptionError,
    SubscriptionInfo,
    channel_status,
    looks_like_time,
    subscribe,
    unsubscribe,
)
from storage.dates import describe_date
from storage.outbox import now_utc
from storage.store import StoreUnavailable

SUBSCRIBE_USAGE = (
    "Write `/sanctions subscribe new` (every new item, as it is stored) or "
    "`/sanctions subscribe digest 08:30 Europe/Berlin` (one digest a day; add `quiet` to skip days with nothing new)."
)
INVITE_HINT = "I post as the app: if it is not in this channel yet, `/invite` it."
ALREADY = "This channel is already subscribed this way; nothing changed. `/sanctions status` says what it gets."


def _said(text: str) -> Message:
    """One sentence to the person who typed the command (it may quote what they typed)."""
    shown = escape(text)
    return Message(shown, [_section(shown)], is_answer=False)


def _where(request: CommandRequest) -> tuple[str, str] | Message:
    if not request.channel_id:
        return _said("Subscriptions belong to a channel; type this in the channel that should receive them.")
    if request.channel_id.startswith("D"):  # Slack's direct-message ids
        return _said("Subscriptions belong to a channel, not a direct message; type this in the channel "
                     "that should receive them.")
    return request.team_id or "", request.channel_id


def subscribe_command(request: CommandRequest) -> Message:
    where = _where(request)
    if isinstance(where, Message):
        return where
    words = request.rest.split()
    kind = words[0].lower() if words else ""
    if kind not in ("new", "digest"):
        return _said(SUBSCRIBE_USAGE)
    options = words[1:]
    quiet = any(word.lower() == "quiet" for word in options)
    options = [word for word in options if word.lower() != "quiet"]
    digest_time = next((word for word in options if looks_like_time(word)), None)
    zones = [word for word in options if word != digest_time]
    if kind == "new" and options:
        return _said("`/sanctions subscribe new` takes nothing more: every new item is posted as it is stored.")
    if len(zones) > 1:
        return _said(f"'{' '.join(zones)}' is not one time zone; use an IANA name such as Europe/Berlin.")
    try:
        info = subscribe(
            request.store.get(), *where, kind, user_id=request.user_id,
            digest_time=digest_time, timezone=zones[0] if zones else None, quiet_when_empty=quiet,
        )
    except SubscriptionError as error:
        return _said(str(error))
    except StoreUnavailable:
        return apologise("/sanctions subscribe", store_down=True)
    if info.unchanged:
        return _said(ALREADY)
    who = f"{_mention(request.user_id)} subscribed this channel. " if request.user_id else ""
    return Message(
        f"{_describe(info, now_utc())} {INVITE_HINT}",
        [_section(who + escape(_describe(info, now_utc()))), _section(INVITE_HINT)],
        is_answer=False,
        in_channel=True,
    )


def unsubscribe_command(request: CommandRequest) -> Message:
    where = _where(request)
    if isinstance(where, Message):
        return where
    kind = request.rest.strip().lower() or None
    if kind not in (None, "new", "digest"):
        return _said("Write `/sanctions unsubscribe` (everything), `/sanctions unsubscribe new` or "
                     "`/sanctions unsubscribe digest`.")
    try:
        removed = unsubscribe(request.store.get(), *where, kind)
    except StoreUnavailable:
        return apologise("/sanctions unsubscribe", store_down=True)
    if not removed:
        what = {"new": "new items", "digest": "a daily digest", None: "anything"}[kind]
        return _said(f"This channel was not subscribed to {what}; nothing changed.")
    gone = {
        "new": "New items will no longer be posted here",
        "digest": "The daily digest will no longer be posted here",
    }
    text = ". ".join(gone[k] for k in removed) + "."
    who = f"{_mention(request.user_id)} unsubscribed this channel. " if request.user_id else ""
    return Message(text, [_section(who + escape(text))], is_answer=False, in_channel=True)


def status_command(request: CommandRequest) -> Message:
    where = _where(request)
    if isinstance(where, Message):
        return where
    try:
        status = channel_status(request.store.get(), *where)
    except StoreUnavailable:
        return apologise("/sanctions status", store_down=True)
    text = describe_status(status, now_utc())
    return Message(text, [_section(escape(text))], is_answer=False)


def describe_status(status: ChannelStatus, now: datetime) -> str:
    if not status.subscriptions:
        return "This channel is not subscribed to anything. " + SUBSCRIBE_USAGE.replace("`", "")
    lines = [_describe(info, now) for info in status.subscriptions]
    if status.pending_deliveries:
        count = status.pending_deliveries
        lines.append(f"{count} item{'s are' if count != 1 else ' is'} waiting to be posted here.")
    if status.failed_deliveries:
        count = status.failed_deliveries
        items = f"{count} item{'s' if count != 1 else ''}"
        lines.append(f"{items} could not be posted here: Slack refused, and I gave up (is the app in this "
                     f"channel, or is it archived? {INVITE_HINT})")
    if status.last_digest_day:
        lines.append(f"Last digest: {status.last_digest_day}.")
    return " ".join(lines)


def _describe(info: SubscriptionInfo, now: datetime) -> str:
    """What will happen and when, in one or two sentences (three for a zone that ignores daylight saving)."""
    if info.kind == "new":
        return "Every new sanctions item will be posted here as it is stored."
    zone = ZoneInfo(info.timezone or "UTC")
    at = info.digest_time or "08:00"
    first = _next_digest(at, zone, now)
    in_utc = first.astimezone(ZoneInfo("UTC"))
    local_today = now.astimezone(zone).date()
    day = {0: "today", 1: "tomorrow"}.get((first.date() - local_today).days) or describe_date(first.date(), "day")
    text = f"A digest will be posted here every day at {at} {info.timezone}"
    if info.timezone != "UTC":
        text += f" ({in_utc:%H:%M} UTC {day})"
    else:
        text += f", the first one {day}"
    if info.quiet_when_empty:
        text += ". Days with nothing new are skipped."
    else:
        text += ". On days with nothing new, it says so in a line."
    warning = daylight_saving_warning(info.timezone)
    return f"{text} {warning}" if warning else text


def _next_digest(at: str, zone: ZoneInfo, now: datetime) -> datetime:
    """The next local HH:MM from now (a digest whose time passed today comes tomorrow)."""
    hour, minute = (int(part) for part in at.split(":"))
    local_now = now.astimezone(zone)
    today = local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if today >= local_now:
        return today
    tomorrow = (local_now + timedelta(days=1)).date()
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, hour, minute, tzinfo=zone)
