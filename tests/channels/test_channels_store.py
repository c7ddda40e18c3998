"""Subscriptions, the outbox and digest runs, on the real store (both databases)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from storage.channels.digests import build_digest, claim_digest, complete_digest, due_digests, preview_digest
from storage.channels.outbox import claim_next, complete, fail, pending_count
from storage.channels.subscriptions import (
    SubscriptionError,
    channel_status,
    looks_like_time,
    parse_digest_time,
    subscribe,
    subscription_kinds,
    unsubscribe,
)
from storage.db.store import Store
from storage.ingest.writer import ingest_paths
from tests.builders import simple_article, write_json


def soon() -> datetime:
    """A moment just after everything the test has stored so far."""
    return datetime.now(UTC) + timedelta(seconds=2)


def ingest_one(store: Store, tmp_path: Path, article_id: str, person: str) -> None:
    document = simple_article(article_id, person, "The Treasury", "on Monday")
    ingest_paths(store, [write_json(tmp_path / f"{article_id}.json", document)])


def test_a_subscription_is_confirmed_and_listed(store: Store) -> None:
    info = subscribe(store, "T1", "C1", "digest", user_id="U1", digest_time="8:30", timezone="europe/berlin")
    assert (info.digest_time, info.timezone) == ("08:30", "Europe/Berlin")
    subscribe(store, "T1", "C1", "new", user_id="U1")
    status = channel_status(store, "T1", "C1")
    assert [s.kind for s in status.subscriptions] == ["new", "digest"]
    assert unsubscribe(store, "T1", "C1", "new") == ["new"]
    assert unsubscribe(store, "T1", "C1") == ["digest"]
    assert channel_status(store, "T1", "C1").subscriptions == []


def test_what_a_channel_is_subscribed_to_is_one_read(store: Store) -> None:
    assert subscription_kinds(store, "T1", "C1") == frozenset()
    subscribe(store, "T1", "C1", "digest", digest_time="08:30")
    assert subscription_kinds(store, "T1", "C1") == {"digest"}
    subscribe(store, "T1", "C1", "new")
    assert subscription_kinds(store, "T1", "C1") == {"new", "digest"}
    assert subscription_kinds(store, "T2", "C1") == frozenset()  # the same channel id in another workspace


@pytest.mark.parametrize(("time", "zone"), [("25:00", "UTC"), ("08:30", "Mars/Olympus")])
def test_bad_times_and_zones_are_one_sentence(store: Store, time: str, zone: str) -> None:
    with pytest.raises(SubscriptionError, match=r"\.$"):
        subscribe(store, "T1", "C1", "digest", digest_time=time, timezone=zone)


def test_a_repeated_subscription_changes_nothing_and_says_so(store: Store) -> None:
    first = subscribe(store, "T1", "C1", "digest", user_id="U1", digest_time="8.30", timezone="europe/berlin")
    again = subscribe(store, "T1", "C1", "digest", user_id="U2", digest_time="08:30", timezone="Europe/Berlin")
    assert not first.unchanged and again.unchanged and again.created_by == "U1"
    moved = subscribe(store, "T1", "C1", "digest", user_id="U2", digest_time="09:00", timezone="Europe/Berlin")
    assert not moved.unchanged and moved.digest_time == "09:00"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("8:30", "08:30"), ("0830", "08:30"), ("8.30", "08:30"), ("8h30", "08:30"), ("7pm", "19:00"),
     ("7:30 pm", "19:30"), ("12am", "00:00"), ("12pm", "12:00")],
)
def test_times_of_day_as_people_write_them(typed: str, meant: str) -> None:
    assert looks_like_time(typed) and parse_digest_time(typed) == meant


@pytest.mark.parametrize("typed", ["24:00", "8.61", "13pm", "0pm"])
def test_times_that_are_no_time_of_day_are_refused(typed: str) -> None:
    with pytest.raises(SubscriptionError, match="not a time of day"):
        parse_digest_time(typed)


def test_status_tells_items_given_up_from_items_waiting(store: Store, tmp_path: Path) -> None:
    subscribe(store, "T1", "C1", "new")
    ingest_one(store, tmp_path, "a", "Wang Junzheng")
    post = claim_next(store, "w1", soon())
    assert post is not None and channel_status(store, "T1", "C1").pending_deliveries == 1  # being posted
    fail(store, post, "not_in_channel", permanent=True)
    status = channel_status(store, "T1", "C1")
    assert (status.pending_deliveries, status.failed_deliveries) == (0, 1)


def test_new_items_are_owed_once_per_channel_and_grouped_by_article(store: Store, tmp_path: Path) -> None:
    subscribe(store, "T1", "C1", "new")
    subscribe(store, "T1", "C2", "new")
    text = ("WASHINGTON - The Treasury on Monday sanctioned Wang Junzheng and Chen Mingguo over abuses. "
            "Nothing else happened.")
    from tests.builders import article, span
    document = article(text, "2021-03-23", [
        span(text, "A", "AUTHORITY", "The Treasury"), span(text, "D", "DATE", "on Monday"),
        span(text, "P1", "PERSON", "Wang Junzheng"), span(text, "P2", "PERSON", "Chen Mingguo")],
        [{"target": "P1", "authority": "A", "date": "D"}, {"target": "P2", "authority": "A", "date": "D"}], "two")
    ingest_paths(store, [write_json(tmp_path / "two.json", document)])
    ingest_paths(store, [write_json(tmp_path / "two.json", document)])  # again: nothing more owed
    assert pending_count(store) == 4

    now = soon()
    first = claim_next(store, "w1", now)
    assert first is not None and len(first.action_ids) == 2 and not first.uncertain
    second = claim_next(store, "w2", now)
    assert second is not None and second.channel_id != first.channel_id
    assert claim_next(store, "w3", now) is None  # both channels are being posted to
    complete(store, first, "1.0")
    complete(store, second, "2.0")
    assert pending_count(store) == 0


def test_a_channel_gets_at_most_one_message_a_second(store: Store, tmp_path: Path) -> None:
    subscribe(store, "T1", "C1", "new")
    ingest_one(store, tmp_path, "a", "Wang Junzheng")
    ingest_one(store, tmp_path, "b", "Chen Mingguo")
    first = claim_next(store, "w1", soon())
    assert first is not None
    complete(store, first, "1.0")
    real_now = datetime.now(UTC)
    assert claim_next(store, "w1", real_now) is None
    assert claim_next(store, "w1", real_now + timedelta(seconds=1.5)) is not None


def test_a_dead_posters_claim_is_taken_over_as_uncertain(store: Store, tmp_path: Path) -> None:
    subscribe(store, "T1", "C1", "new")
    ingest_one(store, tmp_path, "a", "Wang Junzheng")
    now = soon()
    lost = claim_next(store, "dies", now)
    assert lost is not None
    assert claim_next(store, "w2", now + timedelta(seconds=30)) is None  # lease still running
    taken = claim_next(store, "w2", now + timedelta(seconds=61))
    assert taken is not None and taken.uncertain and taken.key == lost.key
    complete(store, lost, "late")  # the dead one's claim no longer counts
    assert pending_count(store) == 1
    complete(store, taken, "1.0")
    assert pending_count(store) == 0


def test_failures_are_retried_later_then_given_up(store: Store, tmp_path: Path) -> None:
    subscribe(store, "T1", "C1", "new")
    ingest_one(store, tmp_path, "a", "Wang Junzheng")
    post = claim_next(store, "w1", soon())
    assert post is not None
    fail(store, post, "ratelimited", retry_after=30)
    now = datetime.now(UTC)
    assert claim_next(store, "w1", now) is None
    again = claim_next(store, "w1", now + timedelta(seconds=31))
    assert again is not None and again.attempts == 2
    fail(store, again, "channel_not_found", permanent=True)
    assert pending_count(store) == 0


def test_unsubscribing_drops_what_was_not_yet_posted(store: Store, tmp_path: Path) -> None:
    subscribe(store, "T1", "C1", "new")
    ingest_one(store, tmp_path, "a", "Wang Junzheng")
    unsubscribe(store, "T1", "C1", "new")
    assert pending_count(store) == 0


def test_one_digest_per_channel_and_day_whoever_asks(store: Store, tmp_path: Path) -> None:
    subscribe(store, "T1", "C1", "digest", digest_time="08:30", timezone="Europe/Berlin")
    ingest_one(store, tmp_path, "a", "Wang Junzheng")
    early = datetime(2026, 11, 29, 7, 0, tzinfo=UTC)  # 08:00 in Berlin
    assert due_digests(store, early) == []
    at_time = datetime(2026, 11, 29, 7, 45, tzinfo=UTC)
    (due,) = due_digests(store, at_time)
    assert due.local_day == date(2026, 11, 29)
    first = claim_digest(store, due, "p1", at_time)
    assert first is not None
    assert claim_digest(store, due, "p2", at_time) is None  # the other process
    complete_digest(store, first, "9.0")
    assert due_digests(store, at_time + timedelta(hours=3)) == []  # after a restart too
    tomorrow = datetime(2026, 11, 30, 7, 45, tzinfo=UTC)
    (next_day,) = due_digests(store, tomorrow)
    claim = claim_digest(store, next_day, "p1", tomorrow)
    assert claim is not None and claim.covers_from == first.covers_until


def test_the_digest_holds_what_was_recorded_in_its_window_by_authority(store: Store, tmp_path: Path) -> None:
    before = datetime.now(UTC)
    ingest_one(store, tmp_path, "a", "Wang Junzheng")
    ingest_paths(store, [write_json(tmp_path / "b.json", simple_article("b", "Chen Mingguo", "The EU", "Monday"))])
    after = datetime.now(UTC) + timedelta(seconds=1)
    digest = build_digest(store, "C1", date(2026, 11, 29), before, after)
    assert digest.total == 2
    assert set(digest.by_authority) == {"U.S. Department of the Treasury", "Council of the European Union"}
    assert build_digest(store, "C1", date(2026, 11, 29), after, after + timedelta(hours=1)).empty


def test_a_preview_of_a_past_day_shows_that_day_not_today(store: Store, tmp_path: Path) -> None:
    subscribe(store, "T1", "C1", "digest", digest_time="08:30", timezone="Europe/Berlin")
    ingest_one(store, tmp_path, "a", "Wang Junzheng")  # recorded now
    past = preview_digest(store, "T1", "C1", date(2025, 1, 15), "Europe/Berlin")
    assert past.empty and past.covers_until - past.covers_from == timedelta(days=1)
    assert not preview_digest(store, "T1", "C1", None, "Europe/Berlin").empty
