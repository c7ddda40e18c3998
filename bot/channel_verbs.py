"""`sanctions announce` and `sanctions digest`: the scheduler's work, run from a terminal.

The same Poster the serving process runs, so the same claims apply: running
these beside the app, or twice at once, never posts anything twice.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import time
from datetime import date
from zoneinfo import ZoneInfo

from bot.blocks.posts import render_digest_text
from bot.delivery import Poster, poster_client
from bot.scheduler import Scheduler
from bot.settings import Settings
from bot.store_handle import StoreHandle
from storage.channels.digests import DigestDue, preview_digest
from storage.channels.outbox import now_utc, pending_count
from storage.channels.subscriptions import DEFAULT_TIMEZONE, digest_subscriptions
from storage.db.store import Store

IDLE_BEFORE_GIVING_UP = 3.0  # seconds without a claim: the rest waits for a retry or another process


def announce(settings: Settings, follow: bool = False) -> int:
    if not settings.slack_bot_token:
        print("sanctions announce: SLACK_BOT_TOKEN is not set (the bot token, xoxb-…).", file=sys.stderr)
        return 2
    store = Store.open(settings.database_url)
    poster = Poster(StoreHandle.of(store), poster_client(settings))
    if follow:
        scheduler = Scheduler(poster)
        signal.signal(signal.SIGTERM, lambda *_: scheduler.stop(timeout=0))
        print(f"Posting new items and digests as {poster.worker}; Ctrl-C stops.", file=sys.stderr)
        with contextlib.suppress(KeyboardInterrupt):
            scheduler.run()
        return 0
    claimed = drain(poster)
    digests = poster.post_due_digests()
    waiting = pending_count(store)
    print(f"{claimed} message{'s' * (claimed != 1)} handled, {digests} digest{'s' * (digests != 1)} posted; "
          f"{waiting} item{'s' * (waiting != 1)} still waiting.")
    return 0


def drain(poster: Poster) -> int:
    """Post what is due, waiting out each channel's one-message-a-second pacing."""
    store = poster.handle.get()
    handled = 0
    last = time.monotonic()
    while pending_count(store) and time.monotonic() - last < IDLE_BEFORE_GIVING_UP:
        if poster.post_next():
            handled += 1
            last = time.monotonic()
        else:
            time.sleep(0.2)
    return handled


def digest(settings: Settings, channel: str | None, team: str | None, day: date | None, post: bool) -> int:
    store = Store.open(settings.database_url)
    if channel is None:
        if post:
            print("sanctions digest: --post needs --channel, the channel to post in.", file=sys.stderr)
            return 2
        sys.stdout.write(render_digest_text(preview_digest(store, team, "", day, DEFAULT_TIMEZONE), DEFAULT_TIMEZONE))
        return 0
    subscriptions = [s for s in digest_subscriptions(store) if s[1] == channel and team in (None, s[0])]
    if len(subscriptions) > 1:
        teams = ", ".join(s[0] for s in subscriptions)
        print(f"sanctions digest: {channel} is subscribed in several workspaces ({teams}); give --team.",
              file=sys.stderr)
        return 2
    zone = subscriptions[0][3] if subscriptions else DEFAULT_TIMEZONE
    if not post:
        # The channel's own local today and window, so that the preview is what --post would post now.
        team_id, subscribed_at = (subscriptions[0][0], subscriptions[0][5]) if subscriptions else (team, None)
        preview = preview_digest(store, team_id, channel, day, zone, subscribed_at)
        sys.stdout.write(render_digest_text(preview, zone))
        return 0
    if not settings.slack_bot_token:
        print("sanctions digest: SLACK_BOT_TOKEN is not set (the bot token, xoxb-…).", file=sys.stderr)
        return 2
    if not subscriptions:
        print(f"sanctions digest: {channel} has no digest subscription; subscribe it in Slack "
              "(/sanctions subscribe digest 08:30 Europe/Berlin) or preview without --post.", file=sys.stderr)
        return 2
    team_id, channel_id, _, zone, quiet, subscribed_at = subscriptions[0]
    today = now_utc().astimezone(ZoneInfo(zone)).date()
    if day is not None and day != today:
        print(f"sanctions digest: --post posts today's digest ({today} in {zone}); "
              "give --date without --post to preview another day.", file=sys.stderr)
        return 2
    poster = Poster(StoreHandle.of(store), poster_client(settings))
    outcome = poster.post_digest(DigestDue(team_id, channel_id, today, zone, quiet, subscribed_at))
    said = {
        "posted": f"The digest of {channel} for {today} is posted.",
        "quiet": f"Nothing new for {channel} on {today}, and it asked for silence: nothing posted.",
        "found": f"The digest of {channel} for {today} was already in the channel.",
        "taken": f"The digest of {channel} for {today} was already posted (or is being posted); nothing posted.",
        "failed": f"Posting the digest of {channel} failed; see the log. It will be tried again.",
    }[outcome]
    print(said, file=sys.stdout if outcome in ("posted", "quiet", "found") else sys.stderr)
    return 0 if outcome in ("posted", "quiet", "found") else 1
