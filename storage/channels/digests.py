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

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from storage.answers.model import ActionFact
from storage.answers.queries import facts_for_actions
from storage.channels.outbox import LEASE, now_utc
from storage.channels.subscriptions import digest_subscriptions
from storage.db.models import Action, Authority, DigestRun
from storage.db.store import Store

MAX_DIGEST_ACTIONS = 500  # read in full; beyond, a digest still counts every action by its authority


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
    """The content: actions grouped by authority, biggest group first, newest first within each.

    `counts` holds every authority's true count, also when more actions were
    recorded than MAX_DIGEST_ACTIONS and `by_authority` lists only some of them,
    so that a digest can account for everything it does not list.
    """

    channel_id: str
    local_day: date
    covers_from: datetime
    covers_until: datetime
    by_authority: dict[str, list[ActionFact]] = field(default_factory=dict)
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    jurisdictions: dict[str, str | None] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.total == 0

    def count(self, authority: str) -> int:
        return self.counts.get(authority, len(self.by_authority.get(authority, [])))


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
    covers_from = _previous_until(store, due.team_id, due.channel_id, due.local_day) or due.subscribed_at
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
    """The actions first recorded in [covers_from, covers_until), by authority, with exact counts."""
    recorded = (Action.recorded_at >= covers_from, Action.recorded_at < covers_until)
    with store.session() as session:
        ids = list(
            session.scalars(
                select(Action.id).where(*recorded).order_by(Action.day.desc(), Action.id.desc())
                .limit(MAX_DIGEST_ACTIONS)
            )
        )
        counted = session.execute(
            select(Authority.name, Authority.jurisdiction, func.count(Action.id))
            .join(Action, Action.authority_id == Authority.id)
            .where(*recorded)
            .group_by(Authority.id, Authority.name, Authority.jurisdiction)
        ).all()
    counts: dict[str, int] = defaultdict(int)
    jurisdictions: dict[str, str | None] = {}
    for name, jurisdiction, count in counted:
        counts[name] += count
        jurisdictions.setdefault(name, jurisdiction)
    grouped: dict[str, list[ActionFact]] = {name: [] for name in counts}
    for fact in facts_for_actions(store, ids):
        grouped.setdefault(fact.authority, []).append(fact)
    for name, facts in grouped.items():  # an action recorded between the two reads counts as seen
        counts[name] = max(counts[name], len(facts))
        # Newest first, one day's by content: the same digest whatever order the articles came in.
        facts.sort(key=lambda fact: (_negated(fact.date), fact.target, fact.action, fact.precision))
    ordered = dict(sorted(grouped.items(), key=lambda item: (-counts[item[0]], item[0])))
    return Digest(channel_id, local_day, covers_from, covers_until, ordered, sum(counts.values()),
                  dict(counts), jurisdictions)


def _negated(iso_day: str) -> int:
    return -date.fromisoformat(iso_day).toordinal()


def preview_digest(
    store: Store,
    team_id: str | None,
    channel_id: str,
    local_day: date | None = None,
    zone: str = "UTC",
    subscribed_at: datetime | None = None,
    now: datetime | None = None,
) -> Digest:
    """What the channel's digest for a local day holds, without claiming it.

    Today (in `zone`, the channel's zone): the digest already posted today, or
    else exactly what posting now would post, from the channel's previous
    digest (or its subscription) until now. A past day that had no digest
    shows what was recorded during that day in `zone`.
    """
    now = now or now_utc()
    today = now.astimezone(ZoneInfo(zone)).date()
    day = local_day or today
    with store.session() as session:
        statement = select(DigestRun).where(DigestRun.channel_id == channel_id, DigestRun.local_day == day)
        if team_id:
            statement = statement.where(DigestRun.team_id == team_id)
        run = session.scalars(statement.order_by(DigestRun.id)).first()
        if run is not None and run.covers_from and run.covers_until:
            return build_digest(store, channel_id, day, _aware(run.covers_from), _aware(run.covers_until))
    if day < today:
        start = datetime.combine(day, time.min, tzinfo=ZoneInfo(zone))
        end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=ZoneInfo(zone))
        return build_digest(store, channel_id, day, start.astimezone(UTC), end.astimezone(UTC))
    since = _previous_until(store, team_id, channel_id, day) or subscribed_at or now - timedelta(days=1)
    return build_digest(store, channel_id, day, _aware(since), now)


@dataclass(frozen=True)
class NextDigest:
    """When a channel's next digest comes: `at` in the channel's zone; `overdue` when its time has passed."""

    at: datetime
    overdue: bool
    first: bool  # no digest has been posted in the channel yet


def next_digest(
    store: Store, team_id: str, channel_id: str, at: str, zone: str, subscribed_at: datetime,
    now: datetime | None = None,
) -> NextDigest:
    """The local day and time of the channel's next digest, as the poster will decide it.

    A day whose digest is posted (by the schedule or by `sanctions digest
    --post`) is over; so is the day of a subscription made after that day's
    time. A time already past on a day without its digest means it is due now.
    """
    now = now or now_utc()
    tz = ZoneInfo(zone)
    hour, minute = (int(part) for part in at.split(":"))
    day = now.astimezone(tz).date()
    with store.session() as session:
        posted = set(session.scalars(
            select(DigestRun.local_day).where(
                DigestRun.team_id == team_id, DigestRun.channel_id == channel_id,
                DigestRun.status == "posted", DigestRun.local_day >= day - timedelta(days=1),
            )
        ))
        any_posted = bool(posted) or bool(session.scalar(
            select(func.count()).select_from(DigestRun).where(
                DigestRun.team_id == team_id, DigestRun.channel_id == channel_id, DigestRun.status == "posted"
            )
        ))
    subscribed = _aware(subscribed_at).astimezone(tz)
    while day in posted or (subscribed.date() == day and subscribed.time() > time(hour, minute)):
        day += timedelta(days=1)
    scheduled = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
    return NextDigest(scheduled, scheduled <= now, not any_posted)


def _previous_until(store: Store, team_id: str | None, channel_id: str, local_day: date) -> datetime | None:
    """Where a digest of `local_day` starts: the end of the channel's previous posted digest."""
    with store.session() as session:
        statement = select(DigestRun.covers_until).where(
            DigestRun.channel_id == channel_id, DigestRun.local_day < local_day, DigestRun.status == "posted"
        )
        if team_id:
            statement = statement.where(DigestRun.team_id == team_id)
        until = session.scalar(statement.order_by(DigestRun.local_day.desc()).limit(1))
    return _aware(until) if until else None


def _claim(run: DigestRun, claim: str, uncertain: bool) -> DigestClaim:
    return DigestClaim(
        run_id=run.id, claim=claim, team_id=run.team_id, channel_id=run.channel_id, local_day=run.local_day,
        key=f"digest/{run.team_id}/{run.channel_id}/{run.local_day.isoformat()}", uncertain=uncertain,
        covers_from=_aware(run.covers_from or now_utc()), covers_until=_aware(run.covers_until or now_utc()),
    )
