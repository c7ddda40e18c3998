"""/sanctions subscribe, unsubscribe, status: what a channel receives, said plainly.

Changes to a subscription are answered in the channel, so that its members
see who asked the bot to post there and what it will post; status, usage and
mistakes go to the person who typed them only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks.elements import Message, escape, mention, section
from bot.daylight_saving import daylight_saving_warning
from bot.listeners.commands.sanctions import CommandRequest
from bot.lookup import apologise
from storage.channels.digests import NextDigest, next_digest
from storage.channels.outbox import now_utc
from storage.channels.subscriptions import (
    ChannelStatus,
    SubscriptionError,
    SubscriptionInfo,
    channel_status,
    looks_like_time,
    subscribe,
    unsubscribe,
)
from storage.dates import describe_date
from storage.db.store import StoreUnavailable

SUBSCRIBE_USAGE = (
    "Write `/sanctions subscribe new` (every new item, as it is stored) or "
    "`/sanctions subscribe digest 08:30 Europe/Berlin` (one digest a day; add `quiet` to skip days with nothing new)."
)
INVITE_HINT = "I post as the app: if it is not in this channel yet, `/invite` it."
ALREADY = "This channel is already subscribed this way; nothing changed. `/sanctions status` says what it gets."


def _said(text: str) -> Message:
    """One sentence to the person who typed the command (it may quote what they typed)."""
    shown = escape(text)
    return Message(shown, [section(shown)], is_answer=False)


NOT_A_CHANNEL = ("Subscriptions belong to a channel, not a direct message; type this in the channel "
                 "that should receive them.")
CHANNEL_VERBS = frozenset({"subscribe", "unsubscribe", "status"})


def _where(request: CommandRequest) -> tuple[str, str] | Message:
    if not request.channel_id:
        return _said("Subscriptions belong to a channel; type this in the channel that should receive them.")
    if request.channel_id.startswith("D"):  # Slack's direct-message ids
        return _said(NOT_A_CHANNEL)
    return request.team_id or "", request.channel_id


def in_a_direct_message(command: dict[str, Any]) -> bool:
    """A channel verb typed in a direct message or a group DM.

    A group DM's id starts with G like an old private channel's, so only the
    name Slack sends tells them apart: "mpdm-…" for group DMs, "directmessage"
    for DMs.
    """
    words = str(command.get("text") or "").split()
    name = str(command.get("channel_name") or "")
    return (bool(words) and words[0].lower() in CHANNEL_VERBS
            and (name.startswith("mpdm-") or name == "directmessage"))


def refuse_in_direct_message(ack: Any) -> None:
    """The same one sentence a DM gets: direct messages of any kind cannot subscribe."""
    ack(response_type="ephemeral", **_said(NOT_A_CHANNEL).as_kwargs())


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
        now = now_utc()
        upcoming = _upcoming(request, where, info, now) if kind == "digest" else None
    except SubscriptionError as error:
        return _said(str(error))
    except StoreUnavailable:
        return apologise("/sanctions subscribe", store_down=True)
    if info.unchanged:
        return _said(ALREADY)
    who = f"{mention(request.user_id)} subscribed this channel. " if request.user_id else ""
    said = _describe(info, now, upcoming)
    return Message(
        f"{said} {INVITE_HINT}",
        [section(who + escape(said)), section(INVITE_HINT)],
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
    who = f"{mention(request.user_id)} unsubscribed this channel. " if request.user_id else ""
    return Message(text, [section(who + escape(text))], is_answer=False, in_channel=True)


def status_command(request: CommandRequest) -> Message:
    where = _where(request)
    if isinstance(where, Message):
        return where
    try:
        status = channel_status(request.store.get(), *where)
        now = now_utc()
        digest = next((info for info in status.subscriptions if info.kind == "digest"), None)
        upcoming = _upcoming(request, where, digest, now) if digest is not None else None
    except StoreUnavailable:
        return apologise("/sanctions status", store_down=True)
    text = describe_status(status, now, upcoming)
    return Message(text, [section(escape(text))], is_answer=False)


def describe_status(status: ChannelStatus, now: datetime, upcoming: NextDigest | None = None) -> str:
    if not status.subscriptions:
        return "This channel is not subscribed to anything. " + SUBSCRIBE_USAGE.replace("`", "")
    lines = [_describe(info, now, upcoming) for info in status.subscriptions]
    if status.pending_deliveries:
        count = status.pending_deliveries
        lines.append(f"{count} item{'s are' if count != 1 else ' is'} waiting to be posted here.")
    if status.failed_deliveries:
        count = status.failed_deliveries
        items = f"{count} item{'s' if count != 1 else ''}"
        lines.append(f"{items} could not be posted here: Slack refused, and I gave up (is the app in this "
                     f"channel, or is it archived? {INVITE_HINT})")
    if status.last_digest_at is not None:
        zone = next((i.timezone for i in status.subscriptions if i.kind == "digest" and i.timezone), "UTC")
        lines.append(f"Last digest: {_moment(status.last_digest_at, ZoneInfo(zone))}.")
    elif status.last_digest_day:
        lines.append(f"Last digest: {describe_date(date.fromisoformat(status.last_digest_day), 'day')}.")
    return " ".join(lines)


def _upcoming(request: CommandRequest, where: tuple[str, str], info: SubscriptionInfo, now: datetime) -> NextDigest:
    """When this channel's next digest really comes: the store knows which days' digests are posted."""
    return next_digest(request.store.get(), *where, info.digest_time or "08:00", info.timezone or "UTC",
                       info.created_at or now, now)


def _describe(info: SubscriptionInfo, now: datetime, upcoming: NextDigest | None = None) -> str:
    """What will happen and when, in one or two sentences (three for a zone that ignores daylight saving)."""
    if info.kind == "new":
        return "Every new sanctions item will be posted here as it is stored."
    zone = ZoneInfo(info.timezone or "UTC")
    at = info.digest_time or "08:00"
    text = f"A digest will be posted here every day at {at} {info.timezone}"
    if upcoming is not None:
        text += "; " + _when_next(upcoming, zone, now)
    if info.quiet_when_empty:
        text += ". Days with nothing new are skipped."
    else:
        text += ". On days with nothing new, it says so in a line."
    warning = daylight_saving_warning(info.timezone)
    return f"{text} {warning}" if warning else text


def _when_next(upcoming: NextDigest, zone: ZoneInfo, now: datetime) -> str:
    """'the next one tomorrow, 1 December 2026, at 08:30 Europe/Berlin (07:30 UTC)': a date, a time, their zones."""
    which = "the first one" if upcoming.first else "the next one"
    if upcoming.overdue:
        return f"{which} is due now and will be posted in a moment"
    local = upcoming.at.astimezone(zone)
    days = (local.date() - now.astimezone(zone).date()).days
    relative = {0: "today, ", 1: "tomorrow, "}.get(days, "")
    return f"{which} {relative}{_moment(upcoming.at, zone, ', at')}"


def _moment(moment: datetime, zone: ZoneInfo, joiner: str = " at") -> str:
    """A moment in the channel's zone, and in UTC when that is another clock: never a time without its zone."""
    local = moment.astimezone(zone)
    said = f"{describe_date(local.date(), 'day')}{joiner} {local:%H:%M} {zone.key}"
    if zone.key in ("UTC", "Etc/UTC"):
        return said
    utc = moment.astimezone(UTC)
    on = "" if utc.date() == local.date() else f" on {describe_date(utc.date(), 'day')}"
    return f"{said} ({utc:%H:%M} UTC{on})"
