"""The outbox: every new action owed to every channel that wants new items.

A delivery row is written in the same transaction as the action, so an item
is never stored without being owed, nor owed twice (unique per channel and
action). Posting claims rows with a lease; a claim whose holder died is
taken over as `uncertain`, and the poster must first look in the channel for
the message it may have posted (`Post.key` travels in its metadata).
One channel is worked on by one poster at a time and at most once a second.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select, text, update
from sqlalchemy.orm import Session

from storage.db.models import Delivery, Subscription
from storage.db.store import Store

LEASE = timedelta(seconds=60)
CHANNEL_INTERVAL = timedelta(seconds=1)
MAX_ATTEMPTS = 12


class _LostRace(Exception):
    """Another claimer took part of a group first: give the whole group back."""


@dataclass(frozen=True)
class Post:
    """One message to post: an article's new actions, for one channel."""

    key: str
    claim: str
    team_id: str
    channel_id: str
    article_id: int | None
    action_ids: tuple[int, ...]
    attempts: int
    uncertain: bool  # a previous poster may have posted it before dying
    # When the first of these deliveries was owed: no message for them can be
    # older, so a poster looking for one in the channel need not look further back.
    owed_since: datetime | None = None


def now_utc() -> datetime:
    return datetime.now(UTC)


def enqueue(session: Session, action_ids: list[int], article_id: int | None) -> int:
    """Owe these new actions to every channel subscribed to new items."""
    if not action_ids:
        return 0
    channels = session.execute(select(Subscription.team_id, Subscription.channel_id).where(Subscription.kind == "new"))
    rows = [
        Delivery(team_id=team, channel_id=channel, action_id=action_id, article_id=article_id)
        for team, channel in channels
        for action_id in action_ids
    ]
    session.add_all(rows)
    session.flush()
    return len(rows)


def claim_next(store: Store, worker: str, now: datetime | None = None) -> Post | None:
    """Claim the oldest due article-message of a channel nobody else is posting to."""
    now = now or now_utc()
    try:
        return _claim_next(store, worker, now)
    except _LostRace:
        return None


def _claim_next(store: Store, worker: str, now: datetime) -> Post | None:
    with store.session() as session:
        due = _due(now)
        channels = session.execute(
            select(Delivery.team_id, Delivery.channel_id, func.min(Delivery.next_attempt_at))
            .where(due)
            .group_by(Delivery.team_id, Delivery.channel_id)
            .order_by(func.min(Delivery.next_attempt_at))
            .limit(20)
        ).all()
        for team_id, channel_id, _ in channels:
            if not _lock_channel(session, team_id, channel_id):
                continue
            if _channel_busy(session, team_id, channel_id, now):
                continue
            post = _claim_group(session, team_id, channel_id, worker, now)
            if post is not None:
                return post
    return None


def complete(store: Store, post: Post, message_ts: str | None) -> None:
    with store.session() as session:
        session.execute(
            update(Delivery)
            .where(Delivery.claimed_by == post.claim, Delivery.status == "claimed")
            .values(status="posted", posted_at=now_utc(), message_ts=message_ts, last_error=None)
        )


def fail(store: Store, post: Post, error: str, retry_after: float | None = None, permanent: bool = False) -> None:
    """Give the claim back: retried later with backoff, or given up."""
    delay = timedelta(seconds=retry_after) if retry_after else timedelta(seconds=min(600, 2 ** post.attempts))
    give_up = permanent or post.attempts >= MAX_ATTEMPTS
    with store.session() as session:
        session.execute(
            update(Delivery)
            .where(Delivery.claimed_by == post.claim, Delivery.status == "claimed")
            .values(
                status="failed" if give_up else "pending",
                next_attempt_at=now_utc() + delay,
                claimed_until=None,
                last_error=error[:500],
            )
        )


def pending_count(store: Store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).where(Delivery.status.in_(("pending", "claimed")))) or 0


def _due(now: datetime):  # type: ignore[no-untyped-def]
    return or_(
        and_(Delivery.status == "pending", Delivery.next_attempt_at <= now),
        and_(Delivery.status == "claimed", Delivery.claimed_until < now),
    )


def _lock_channel(session: Session, team_id: str, channel_id: str) -> bool:
    """On PostgreSQL, one claimer per channel at a time; SQLite writes one at a time anyway."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    key = int.from_bytes(hashlib.sha256(f"{team_id}/{channel_id}".encode()).digest()[:8], "big", signed=True)
    return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key}))


def _channel_busy(session: Session, team_id: str, channel_id: str, now: datetime) -> bool:
    """Somebody is posting here, or posted less than a second ago."""
    in_channel = and_(Delivery.team_id == team_id, Delivery.channel_id == channel_id)
    live = session.scalar(
        select(func.count()).where(in_channel, Delivery.status == "claimed", Delivery.claimed_until >= now)
    )
    if live:
        return True
    last = session.scalar(select(func.max(Delivery.posted_at)).where(in_channel))
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    return last is not None and now - last < CHANNEL_INTERVAL


def _claim_group(session: Session, team_id: str, channel_id: str, worker: str, now: datetime) -> Post | None:
    in_channel = and_(Delivery.team_id == team_id, Delivery.channel_id == channel_id)
    head = session.execute(
        select(Delivery.article_id, Delivery.status)
        .where(in_channel, _due(now))
        .order_by(Delivery.next_attempt_at, Delivery.id)
        .limit(1)
    ).first()
    if head is None:
        return None
    article_id = head[0]
    same_article = Delivery.article_id == article_id if article_id is not None else Delivery.article_id.is_(None)
    claim = f"{worker}/{uuid.uuid4().hex[:12]}"
    rows = session.execute(
        select(Delivery.id, Delivery.action_id, Delivery.status, Delivery.attempts, Delivery.created_at)
        .where(in_channel, same_article, _due(now))
        .order_by(Delivery.id)
    ).all()
    ids = [row[0] for row in rows]
    claimed = session.execute(
        update(Delivery)
        .where(Delivery.id.in_(ids), _due(now))
        .values(status="claimed", claimed_by=claim, claimed_until=now + LEASE, attempts=Delivery.attempts + 1)
    ).rowcount
    if claimed != len(ids):
        raise _LostRace
    return Post(
        key=f"{team_id}/{channel_id}/{article_id}/{ids[0]}",
        claim=claim,
        team_id=team_id,
        channel_id=channel_id,
        article_id=article_id,
        action_ids=tuple(row[1] for row in rows),
        attempts=max(row[3] for row in rows) + 1,
        uncertain=any(row[2] == "claimed" for row in rows),
        owed_since=_aware(min(row[4] for row in rows)),
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
