"""Daily digests: what was first recorded since a channel's previous digest.

A digest run is claimed by inserting its row, unique per channel and local
day, so two processes reaching the time together post one digest. A claim
whose holder died is taken over as `uncertain`: the poster first looks in
the channel for the digest it may have posted.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from storage.answers import ActionFact
from storage.channels import digest_subscriptions
from storage.models import Action, DigestRun
from storage.outbox import LEASE, now_utc
from storage.queries import facts_for_actions
from storage.store import Store

MAX_DIGEST_ACTIONS = 500


@dataclass(frozen=True)
class DigestDue:
    team_id: str
    channel_id: str
    local_day: date
    timezone: str
    quiet_when_empty: bool
    subscribed_at: datetime


@dataclass(frozen=True)
class DigestClaim:
    run_id: int
    claim: str
    team_id: str
    channel_id: str
    local_day: date
    key: str
    uncertain: bool
    covers_from: datetime
    covers_until: datetime


@dataclass
class Digest:
    """The content: actions grouped by authority, newest first within each."""

    channel_id: str
    local_day: date
    covers_from: datetime
    covers_until: datetime
    by_authority: dict[str, list[ActionFact]] = field(default_factory=dict)
    total: int = 0

    @property
    def empty(self) -> bool:
        return self.total == 0


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def due_digests(store: Store, now: datetime | None = None) -> list[DigestDue]:
    """Channels whose local digest time has come today and whose digest is not posted."""
    now = now or now_utc()
    due = []
    subscriptions = digest_subscriptions(store)
    with store.session() as session:
        for team_id, channel_id, at, zone, quiet, created_at in subscriptions:
            local_now = now.astimezone(ZoneInfo(zone))
            hour, minute = (int(part) for part in at.split(":"))
            if local_now.time() < time(hour, minute):
                continue
            posted = session.scalar(
                select(DigestRun.status).where(
                    DigestRun.team_id == team_id,
                    DigestRun.channel_id == channel_id,
                    DigestRun.local_day == local_now.date(),
                )
            )
            if posted != "posted":
                due.append(DigestDue(team_id, channel_id, local_now.date(), zone, quiet, _aware(created_at)))
    return due


def claim_digest(store: Store, due: DigestDue, worker: str, now: datetime | None = None) -> DigestClaim | None:
    """Claim the channel's digest for its local day, or None when someone has it."""
    now = now or now_utc()
    claim = f"{worker}/{uuid.uuid4().hex[:12]}"
    covers_from = _previous_until(store, due) or due.subscribed_at
    try:
        with store.session() as session:
            run = DigestRun(
                team_id=due.team_id, channel_id=due.channel_id, local_day=due.local_day, status="claimed",
                covers_from=covers_from, covers_until=now, claimed_by=claim, claimed_until=now + LEASE,
            )
            session.add(run)
            session.flush()
            return _claim(run, claim, uncertain=False)
    except IntegrityError:
        pass
    with store.session() as session:  # taken: perhaps by someone who died holding it
        taken = session.execute(
            update(DigestRun)
            .where(
                DigestRun.team_id == due.team_id,
                DigestRun.channel_id == due.channel_id,
                DigestRun.local_day == due.local_day,
                DigestRun.status == "claimed",
                DigestRun.claimed_until < now,
            )
            .values(claimed_by=claim, claimed_until=now + LEASE)
        ).rowcount
        if not taken:
            return None
        run = session.scalar(select(DigestRun).where(DigestRun.claimed_by == claim))
        assert run is not None
        return _claim(run, claim, uncertain=True)


def complete_digest(store: Store, claim: DigestClaim, message_ts: str | None) -> None:
    with store.session() as session:
        session.execute(
            update(DigestRun)
            .where(DigestRun.id == claim.run_id, DigestRun.claimed_by == claim.claim)
            .values(status="posted", posted_at=now_utc(), message_ts=message_ts)
        )


def release_digest(store: Store, claim: DigestClaim) -> None:
    """Posting failed: let the next attempt (of any process) take it at once."""
    with store.session() as session:
        session.execute(
            update(DigestRun)
            .where(DigestRun.id == claim.run_id, DigestRun.claimed_by == claim.claim)
            .values(claimed_until=now_utc() - timedelta(seconds=1))
        )


def build_digest(
    store: Store, channel_id: str, local_day: date, covers_from: datetime, covers_until: datetime
) -> Digest:
    """The actions first recorded in [covers_from, covers_until), by authority."""
    with store.session() as session:
        ids = list(
            session.scalars(
                select(Action.id)
                .where(Action.recorded_at >= covers_from, Action.recorded_at < covers_until)
                .order_by(Action.day.desc(), Action.id.desc())
                .limit(MAX_DIGEST_ACTIONS + 1)
            )
        )
    facts = facts_for_actions(store, ids[:MAX_DIGEST_ACTIONS])
    grouped: dict[str, list[ActionFact]] = defaultdict(list)
    for fact in facts:
        grouped[fact.authority].append(fact)
    ordered = dict(sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0])))
    return Digest(channel_id, local_day, covers_from, covers_until, ordered, len(ids))


def preview_digest(
    store: Store, team_id: str | None, channel_id: str, local_day: date | None = None, zone: str = "UTC"
) -> Digest:
    """What the channel's digest for a day holds (or would hold now), without claiming it.

    A past day that had no digest shows what was recorded during that day in
    `zone`, not what would be posted now.
    """
    now = now_utc()
    with store.session() as session:
        statement = select(DigestRun).where(DigestRun.channel_id == channel_id)
        if team_id:
            statement = statement.where(DigestRun.team_id == team_id)
        runs = session.scalars(statement.order_by(DigestRun.local_day)).all()
        if local_day is not None:
            for run in runs:
                if run.local_day == local_day and run.covers_from and run.covers_until:
                    return build_digest(store, channel_id, local_day, _aware(run.covers_from),
                                        _aware(run.covers_until))
        if local_day is not None and local_day < now.astimezone(ZoneInfo(zone)).date():
            start = datetime.combine(local_day, time.min, tzinfo=ZoneInfo(zone))
            end = datetime.combine(local_day + timedelta(days=1), time.min, tzinfo=ZoneInfo(zone))
            return build_digest(store, channel_id, local_day, start.astimezone(UTC), end.astimezone(UTC))
        earlier = [r for r in runs if r.status == "posted" and r.covers_until
                   and (local_day is None or r.local_day < local_day)]
    since = _aware(earlier[-1].covers_until) if earlier else now - timedelta(days=1)
    return build_digest(store, channel_id, local_day or now.date(), since, now)


def _previous_until(store: Store, due: DigestDue) -> datetime | None:
    with store.session() as session:
        until = session.scalar(
            select(DigestRun.covers_until)
            .where(
                DigestRun.team_id == due.team_id,
                DigestRun.channel_id == due.channel_id,
                DigestRun.local_day < due.local_day,
                DigestRun.status == "posted",
            )
            .order_by(DigestRun.local_day.desc())
            .limit(1)
        )
    return _aware(until) if until else None


def _claim(run: DigestRun, claim: str, uncertain: bool) -> DigestClaim:
    return DigestClaim(
        run_id=run.id, claim=claim, team_id=run.team_id, channel_id=run.channel_id, local_day=run.local_day,
        key=f"digest/{run.team_id}/{run.channel_id}/{run.local_day.isoformat()}", uncertain=uncertain,
        covers_from=_aware(run.covers_from or now_utc()), covers_until=_aware(run.covers_until or now_utc()),
    )
