"""Posting what the store owes channels: new items from the outbox, and digests.

Exactly once is the store's claims plus one habit here: whenever a message
may already be in the channel (a claim taken over from a poster that died,
or a retry after an answer we never read, such as a 500 or a timeout), look
for it in the channel's history by the key in its metadata before posting.
Posting itself is never retried blindly inside the Web API client: only a
short Retry-After is waited out in place; anything else goes back to the
outbox, which retries with backoff and then looks before posting again.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.blocks.posts import DIGEST_EVENT, ITEM_EVENT, digest_metadata, item_metadata, render_digest, render_new_items
from bot.settings import Settings
from bot.store_handle import StoreHandle
from storage.answers.queries import facts_for_actions
from storage.channels import outbox
from storage.channels.digests import DigestDue, build_digest, claim_digest, complete_digest, due_digests, release_digest
from storage.channels.outbox import Post
from storage.channels.subscriptions import digest_subscriptions

log = logging.getLogger(__name__)

# Errors that no retry will cure: the channel is gone, archived, or closed to us.
PERMANENT_ERRORS = frozenset({
    "channel_not_found", "not_in_channel", "is_archived", "restricted_action", "account_inactive",
    "invalid_auth", "not_authed", "token_revoked", "missing_scope", "msg_too_long", "invalid_blocks",
    "msg_blocks_too_long",
})
LONGEST_WAIT_IN_PLACE = 5  # seconds of Retry-After waited inside a call; longer ones go back to the outbox
HISTORY_PAGES = 20  # 200 messages each: how far back a poster looks for its own message
CLOCK_SKEW = timedelta(minutes=5)  # our clock against Slack's, when looking back in history
# A claim lasts outbox.LEASE; a poster that is this far into it gives the item back
# rather than post, since another poster may take the claim over at any moment.
SAFE_PART_OF_LEASE = 0.5
WEB_API_TIMEOUT_SECONDS = 10


class ShortRateLimitRetry(RateLimitErrorRetryHandler):
    """Wait out a 429's Retry-After in place only when it is short."""

    def __init__(self, longest: float = LONGEST_WAIT_IN_PLACE, max_retry_count: int = 1) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.longest = longest

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        return _retry_after(response.headers) <= self.longest


def poster_client(settings: Settings) -> WebClient:
    """A client for posting: short rate limits waited out, nothing else retried in place."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.api_base_url,
        timeout=WEB_API_TIMEOUT_SECONDS,
        retry_handlers=[ShortRateLimitRetry()],
    )


def worker_name() -> str:
    """Who holds a claim: the host and process, so that an operator can find it."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


@dataclass(frozen=True)
class Found:
    """A message of ours already in the channel."""

    ts: str
    action_ids: tuple[int, ...]


def find_posted(
    client: WebClient, channel: str, event_type: str, key: str, since: datetime | None
) -> Found | None:
    """Our message carrying `key` in its metadata, looking back no further than `since`."""
    oldest = f"{(since - CLOCK_SKEW).timestamp():.6f}" if since is not None else None
    cursor = None
    for _ in range(HISTORY_PAGES):
        response = client.conversations_history(
            channel=channel, oldest=oldest, limit=200, include_all_metadata=True, cursor=cursor
        )
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == event_type and payload.get("key") == key:
                actions = tuple(int(a) for a in payload.get("actions") or [] if str(a).isdigit())
                return Found(str(message.get("ts")), actions)
        cursor = (response.get("response_metadata") or {}).get("next_cursor")
        if not response.get("has_more") or not cursor:
            return None
    log.warning("looked through %d messages of %s for %s without reaching %s", 200 * HISTORY_PAGES,
                channel, key, oldest)
    return None


class Poster:
    """Posts due outbox items and digests for one process; safe beside any number of others."""

    def __init__(self, handle: StoreHandle, client: WebClient, worker: str | None = None) -> None:
        self.handle = handle
        self.client = client
        self.worker = worker or worker_name()

    # --- new items -------------------------------------------------------------

    def post_next(self) -> bool:
        """Claim and post one due message; False when nothing could be claimed now."""
        store = self.handle.get()
        post = outbox.claim_next(store, self.worker)
        if post is None:
            return False
        claimed_at = time.monotonic()
        try:
            self._post_item(post, claimed_at)
        except SlackApiError as error:
            self._failed(post, error)
        except Exception as error:  # the network, or our own bug: the outbox retries later
            log.exception("posting %s to %s failed", post.key, post.channel_id)
            outbox.fail(store, post, f"{type(error).__name__}: {error}")
        return True

    def _post_item(self, post: Post, claimed_at: float) -> None:
        store = self.handle.get()
        facts = facts_for_actions(store, list(post.action_ids))
        if post.uncertain or post.attempts > 1:
            found = find_posted(self.client, post.channel_id, ITEM_EVENT, post.key, post.owed_since)
            if found is not None:
                missing = set(post.action_ids) - set(found.action_ids) if found.action_ids else set()
                if not missing:
                    log.info("%s is already in %s (ts %s); not posting again", post.key, post.channel_id, found.ts)
                    outbox.complete(store, post, found.ts)
                    return
                facts = [fact for fact in facts if fact.action_id in missing]
        if not facts:  # withdrawn since it was owed: nothing left to say
            outbox.complete(store, post, None)
            return
        if time.monotonic() - claimed_at > outbox.LEASE.total_seconds() * SAFE_PART_OF_LEASE:
            outbox.fail(store, post, "claim nearly expired before posting", retry_after=1)
            return
        message = render_new_items(facts)
        shown = tuple(fact.action_id for fact in facts if fact.action_id is not None)
        response = self.client.chat_postMessage(
            channel=post.channel_id,
            metadata=item_metadata(post.key, shown),
            unfurl_links=False,
            unfurl_media=False,
            **message.as_kwargs(),
        )
        outbox.complete(store, post, response.get("ts"))

    def _failed(self, post: Post, error: SlackApiError) -> None:
        store = self.handle.get()
        code = str(error.response.get("error") or f"HTTP {error.response.status_code}")
        if code in PERMANENT_ERRORS:
            log.warning("giving up on %s in %s: %s", post.key, post.channel_id, code)
            outbox.fail(store, post, code, permanent=True)
        elif error.response.status_code == 429:
            outbox.fail(store, post, code, retry_after=_retry_after(error.response.headers))
        else:
            log.info("posting %s to %s failed (%s); retrying later", post.key, post.channel_id, code)
            outbox.fail(store, post, code)

    # --- digests ---------------------------------------------------------------

    def post_due_digests(self, now: datetime | None = None) -> int:
        """Post every digest whose time has come; returns how many were posted."""
        store = self.handle.get()
        posted = 0
        due = [d for d in due_digests(store, now) if self._scheduled(d)]
        for item in due:
            if self.post_digest(item, now) == "posted":
                posted += 1
        return posted

    def post_digest(self, due: DigestDue, now: datetime | None = None) -> str:
        """Claim and post one channel's digest for its day.

        Returns posted, quiet (nothing new, and the channel wants silence), found
        (it was in the channel already), taken (someone else has it) or failed.
        """
        store = self.handle.get()
        claim = claim_digest(store, due, self.worker, now)
        if claim is None:
            return "taken"
        try:
            if claim.uncertain:
                found = find_posted(self.client, claim.channel_id, DIGEST_EVENT, claim.key, claim.covers_until)
                if found is not None:
                    complete_digest(store, claim, found.ts)
                    return "found"
            digest = build_digest(store, claim.channel_id, claim.local_day, claim.covers_from, claim.covers_until)
            if digest.empty and due.quiet_when_empty:
                complete_digest(store, claim, None)
                return "quiet"
            message = render_digest(digest, due.timezone)
            response = self.client.chat_postMessage(
                channel=claim.channel_id,
                metadata=digest_metadata(claim.key),
                unfurl_links=False,
                unfurl_media=False,
                **message.as_kwargs(),
            )
            complete_digest(store, claim, response.get("ts"))
            return "posted"
        except SlackApiError as error:
            code = str(error.response.get("error") or f"HTTP {error.response.status_code}")
            if code in PERMANENT_ERRORS:  # not retried all day long
                log.warning("giving up on the digest of %s for %s: %s", claim.channel_id, claim.local_day, code)
                complete_digest(store, claim, None)
            else:
                log.info("digest of %s failed (%s); retrying later", claim.channel_id, code)
                release_digest(store, claim)
            return "failed"
        except Exception:
            log.exception("digest of %s failed", claim.channel_id)
            release_digest(store, claim)
            return "failed"

    def _scheduled(self, due: DigestDue) -> bool:
        """False on the day a channel subscribed after that day's time: its first digest is the next one."""
        subscribed = due.subscribed_at.astimezone(ZoneInfo(due.timezone))
        if subscribed.date() != due.local_day:
            return True
        at = next(
            (s[2] for s in digest_subscriptions(self.handle.get()) if s[0] == due.team_id and s[1] == due.channel_id),
            "00:00",
        )
        hour, minute = (int(part) for part in at.split(":"))
        return subscribed.time() <= clock(hour, minute)


def _retry_after(headers: Any) -> float:
    """Retry-After in seconds from slack_sdk's headers (lists of values, any case)."""
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            first = value[0] if isinstance(value, list | tuple) else value
            try:
                return max(0.0, float(first))
            except (TypeError, ValueError):
                return 1.0
    return 1.0
