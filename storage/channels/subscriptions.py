"""Channel subscriptions: every new item, or a daily digest at a local time."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import delete, func, select

from storage.db.models import Delivery, DigestRun, Subscription
from storage.db.store import Store

DEFAULT_TIMEZONE = "UTC"


class SubscriptionError(ValueError):
    """A subscription that cannot be made; str() is one sentence for the user."""


@dataclass(frozen=True)
class SubscriptionInfo:
    kind: str  # new | digest
    digest_time: str | None
    timezone: str | None
    quiet_when_empty: bool
    created_by: str | None
    unchanged: bool = False  # subscribe found this very subscription already there
    created_at: datetime | None = None  # a digest subscribed after that day's time starts the next day


@dataclass(frozen=True)
class ChannelStatus:
    subscriptions: list[SubscriptionInfo]
    pending_deliveries: int
    last_digest_day: str | None
    failed_deliveries: int = 0  # given up on: Slack refused them for good (not in channel, archived)
    last_digest_at: datetime | None = None  # when the last digest was posted (UTC)


_TIME_OF_DAY = re.compile(r"(?P<hour>\d{1,2})(?:[:.h]?(?P<minute>\d{2}))?\s*(?P<half>[ap]\.?m\.?)?", re.IGNORECASE)


def looks_like_time(text: str) -> bool:
    """Whether a word is meant as a time of day ('8:30', '8.30', '7pm', '25:00'), right or wrong."""
    return bool(re.fullmatch(r"\d{1,2}(?:[:.h]\d{0,2})?\s*(?:[ap]\.?m\.?)?|\d{3,4}", text.strip(), re.IGNORECASE))


def parse_digest_time(text: str) -> str:
    """'8:30', '08:30', '0830', '8.30', '8h30', '7pm', '7:30 pm' -> 'HH:MM'."""
    match = _TIME_OF_DAY.fullmatch(text.strip())
    hour = int(match.group("hour")) if match else -1
    minute = int(match.group("minute") or 0) if match else -1
    if match and match.group("half"):
        if not 1 <= hour <= 12:
            hour = -1
        else:
            hour = hour % 12 + (12 if match.group("half").lower().startswith("p") else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise SubscriptionError(f"'{text}' is not a time of day; write it as 08:30.")
    return f"{hour:02d}:{minute:02d}"


def parse_timezone(text: str | None) -> str:
    if not text:
        return DEFAULT_TIMEZONE
    name = text.strip()
    try:
        ZoneInfo(name)
        return name
    except (ZoneInfoNotFoundError, ValueError):
        pass
    for zone in available_timezones():  # users write europe/berlin as often as Europe/Berlin
        if zone.lower() == name.lower():
            return zone
    raise SubscriptionError(f"'{name}' is not a time zone; use an IANA name such as Europe/Berlin.")


def subscribe(
    store: Store,
    team_id: str,
    channel_id: str,
    kind: str,
    *,
    user_id: str | None = None,
    digest_time: str | None = None,
    timezone: str | None = None,
    quiet_when_empty: bool = False,
) -> SubscriptionInfo:
    """Create or change a channel's subscription of this kind."""
    if kind not in ("new", "digest"):
        raise SubscriptionError("Subscribe to `new` items or to a daily `digest`.")
    if kind == "digest":
        digest_time = parse_digest_time(digest_time or "08:00")
        timezone = parse_timezone(timezone)
    with store.session() as session:
        row = session.scalar(
            select(Subscription).where(
                Subscription.team_id == team_id, Subscription.channel_id == channel_id, Subscription.kind == kind
            )
        )
        if row is not None and (row.digest_time, row.timezone, bool(row.quiet_when_empty)) == (
            digest_time, timezone, quiet_when_empty
        ):
            return dataclasses.replace(_info(row), unchanged=True)  # a repeat: its author stays the first
        if row is None:
            row = Subscription(team_id=team_id, channel_id=channel_id, kind=kind)
            session.add(row)
        row.digest_time, row.timezone = digest_time, timezone
        row.quiet_when_empty, row.created_by = quiet_when_empty, user_id
        session.flush()  # its created_at: when the first digest comes depends on it
        return _info(row)


def unsubscribe(store: Store, team_id: str, channel_id: str, kind: str | None = None) -> list[str]:
    """Remove the channel's subscriptions (of one kind); returns the kinds removed."""
    with store.session() as session:
        statement = select(Subscription).where(
            Subscription.team_id == team_id, Subscription.channel_id == channel_id
        )
        if kind is not None:
            statement = statement.where(Subscription.kind == kind)
        rows = list(session.scalars(statement))
        for row in rows:
            session.delete(row)
        if kind in (None, "new"):
            # Items not yet posted are not wanted any more.
            session.execute(
                delete(Delivery).where(
                    Delivery.team_id == team_id, Delivery.channel_id == channel_id, Delivery.status == "pending"
                )
            )
        return sorted(row.kind for row in rows)


def channel_status(store: Store, team_id: str, channel_id: str) -> ChannelStatus:
    with store.session() as session:
        rows = session.scalars(
            select(Subscription)
            .where(Subscription.team_id == team_id, Subscription.channel_id == channel_id)
            .order_by(Subscription.kind.desc())
        ).all()
        counted = dict(
            session.execute(
                select(Delivery.status, func.count())
                .where(Delivery.team_id == team_id, Delivery.channel_id == channel_id, Delivery.status != "posted")
                .group_by(Delivery.status)
            ).all()
        )
        last = session.execute(
            select(DigestRun.local_day, DigestRun.posted_at)
            .where(DigestRun.team_id == team_id, DigestRun.channel_id == channel_id, DigestRun.status == "posted")
            .order_by(DigestRun.local_day.desc())
            .limit(1)
        ).first()
        return ChannelStatus(
            [_info(r) for r in rows],
            counted.get("pending", 0) + counted.get("claimed", 0),
            last[0].isoformat() if last else None,
            counted.get("failed", 0),
            _aware(last[1]) if last and last[1] else None,
        )


def subscription_kinds(store: Store, team_id: str, channel_id: str) -> frozenset[str]:
    """What a channel is subscribed to ('new', 'digest'): one small read, for replies that depend on it."""
    with store.session() as session:
        return frozenset(session.scalars(
            select(Subscription.kind).where(Subscription.team_id == team_id, Subscription.channel_id == channel_id)
        ))


def digest_subscriptions(store: Store) -> list[tuple[str, str, str, str, bool, datetime]]:
    """(team, channel, HH:MM, zone, quiet, created_at) of every digest subscription."""
    with store.session() as session:
        return [
            (r.team_id, r.channel_id, r.digest_time or "08:00", r.timezone or DEFAULT_TIMEZONE,
             r.quiet_when_empty, r.created_at)
            for r in session.scalars(select(Subscription).where(Subscription.kind == "digest"))
        ]


def _info(row: Subscription) -> SubscriptionInfo:
    created = _aware(row.created_at) if row.created_at else None
    return SubscriptionInfo(row.kind, row.digest_time, row.timezone, bool(row.quiet_when_empty), row.created_by,
                            created_at=created)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every moment stored here is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
