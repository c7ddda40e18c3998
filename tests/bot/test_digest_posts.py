"""Digests, new-item posts and the next digest's time: within Slack's limits, every action accounted for.

Renderers are fed the worst a store can hold; times are fixed, so that the
day a test runs on changes nothing.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.blocks import posts
from bot.blocks.posts import MAX_POST_CHARS, render_digest, render_new_items
from bot.listeners.commands.channels import describe_status
from storage.answers.model import ActionFact, Source
from storage.channels.digests import Digest, build_digest, next_digest
from storage.channels.subscriptions import channel_status, subscribe
from storage.db.models import DigestRun
from storage.db.store import Store
from storage.ingest.writer import ingest_paths
from tests.builders import simple_article, write_json

BERLIN = "Europe/Berlin"
TESTER_NOW = datetime(2026, 11, 29, 23, 19, tzinfo=UTC)  # 00:19 on 30 November in Berlin


def fact(target: str, authority: str, action: str = "imposed", url: str = "https://example.org/a") -> ActionFact:
    source = Source("Title", "Wire", url, "2026-11-05", "quote " * 40)
    return ActionFact(target, action, authority, "GB", "2026-11-05", "day", None, "reason " * 60, None, None,  # type: ignore[arg-type]
                      [source])


def block_texts(message: posts.Message) -> list[str]:
    found = []
    for block in message.blocks:
        if "text" in block:
            found.append(block["text"]["text"])
        found.extend(element.get("text", "") for element in block.get("elements", []))
    return found


def assert_fits_slack(message: posts.Message) -> None:
    assert 0 < len(message.blocks) <= 50 and message.text and len(message.text) <= 3000
    assert all(len(value) <= 3000 for value in block_texts(message))
    assert sum(map(len, block_texts(message))) <= MAX_POST_CHARS
    assert "Answer shortened" not in " ".join(block_texts(message))


def digest_of(groups: dict[str, list[ActionFact]], counts: dict[str, int] | None = None) -> Digest:
    counts = counts or {name: len(facts) for name, facts in groups.items()}
    moment = datetime(2026, 11, 29, 7, 30, tzinfo=UTC)
    return Digest("C1", date(2026, 11, 30), moment, moment + timedelta(days=1), groups, sum(counts.values()),
                  counts, {name: "GB" for name in groups})


# --- the digest accounts for everything ---------------------------------------------------


def test_a_digest_of_five_hundred_authorities_with_long_names_counts_every_action_it_cannot_name() -> None:
    groups = {f"Authority {n:03d} " + "of a very long name " * 6: [fact(f"Person {n}", f"A{n}")] for n in range(500)}
    message = render_digest(digest_of(groups), BERLIN)
    assert_fits_slack(message)
    said = "\n".join(block_texts(message))
    named = len(re.findall(r"Authority \d{3} ", said))
    (more, actions) = re.search(r"and (\d+) more authorities \((\d+) actions\)", said).groups()  # type: ignore[union-attr]
    assert named + int(more) == 500 and int(actions) == int(more)
    assert "`/sanctions since 2026-11-05`" in said  # a question whose answer holds them


def test_one_authoritys_three_hundred_actions_are_counted_and_the_unnamed_reached_by_a_question() -> None:
    facts = [fact(f"Someone With A Rather Long Name Number {n}", "Office of Foreign Assets Control")
             for n in range(300)]
    message = render_digest(digest_of({"Office of Foreign Assets Control": facts}), BERLIN)
    assert_fits_slack(message)
    said = "\n".join(block_texts(message))
    assert "*Office of Foreign Assets Control* · 300" in said
    listed = len(re.findall(r"^• ", said, flags=re.MULTILINE))
    assert f"…and {300 - listed} more:" in said
    assert "`/sanctions by Office of Foreign Assets Control since 2026-11-05` lists them" in said


def test_a_digest_counts_actions_beyond_those_it_reads_in_full(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("storage.channels.digests.MAX_DIGEST_ACTIONS", 3)
    before = datetime.now(UTC) - timedelta(seconds=1)
    for n, person in enumerate(["Wang Junzheng", "Chen Mingguo", "Zhu Hailun", "Wang Mingshan", "Chen Quanguo"]):
        document = simple_article(f"a{n}", person, "The Treasury" if n % 2 else "The EU", "on Monday")
        ingest_paths(store, [write_json(tmp_path / f"a{n}.json", document)])
    digest = build_digest(store, "C1", date(2026, 11, 30), before, datetime.now(UTC) + timedelta(seconds=1))
    assert digest.total == 5 and sum(len(f) for f in digest.by_authority.values()) == 3
    assert sorted(digest.counts.values()) == [2, 3]
    said = "\n".join(block_texts(render_digest(digest, BERLIN)))
    assert "5 new actions by 2 authorities" in said
    assert "* · 3" in said and "* · 2" in said


# --- new-item posts ---------------------------------------------------------------------------


@pytest.mark.parametrize(("kinds", "heading"), [
    (["lifted"], "Sanctions lifted: Quentin Notinchan"),
    (["extended", "extended"], "Sanctions extended: Quentin Notinchan"),
    (["imposed", "lifted"], "New sanctions items: Quentin Notinchan"),
    (["imposed"], "New sanctions: Quentin Notinchan"),
])
def test_a_new_item_post_says_what_happened(kinds: list[str], heading: str) -> None:
    message = render_new_items([fact("Quentin Notinchan", f"Authority {n}", kind) for n, kind in enumerate(kinds)])
    assert message.blocks[0]["text"]["text"] == heading
    assert message.text.startswith(heading)


def test_an_article_of_six_hundred_actions_on_many_people_fits_and_counts_the_rest() -> None:
    facts = [fact(f"Person Number {n}", f"Authority {n % 7}", url="https://example.org/" + "x" * 300)
             for n in range(600)]
    message = render_new_items(facts)
    assert_fits_slack(message)
    said = "\n".join(block_texts(message))
    cards = sum(1 for value in block_texts(message) if "imposed sanctions ·" in value)
    lines = len(re.findall(r"^• ", said, flags=re.MULTILINE))
    (rest,) = re.findall(r"…and (\d+) more in the same article, on ", said)
    assert cards + lines + int(rest) == 600
    assert "`/sanctions NAME` lists a name's actions" in said


# --- when the next digest comes ---------------------------------------------------------------


def _subscribed(store: Store, at: datetime) -> None:
    subscribe(store, "T1", "C1", "digest", digest_time="08:30", timezone=BERLIN)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE subscriptions SET created_at = :t"), {"t": at})


def _posted(store: Store, day: date, at: datetime) -> None:
    with store.session() as session:
        session.add(DigestRun(team_id="T1", channel_id="C1", local_day=day, status="posted",
                              covers_from=at - timedelta(days=1), covers_until=at, posted_at=at))


def test_status_after_todays_digest_was_posted_names_tomorrow_with_its_date_and_zones(store: Store) -> None:
    _subscribed(store, TESTER_NOW - timedelta(days=3))
    first = next_digest(store, "T1", "C1", "08:30", BERLIN, TESTER_NOW - timedelta(days=3), TESTER_NOW)
    assert first.at == datetime(2026, 11, 30, 8, 30, tzinfo=first.at.tzinfo) and first.first and not first.overdue
    _posted(store, date(2026, 11, 30), TESTER_NOW - timedelta(minutes=4))  # `sanctions digest --post` at 00:15
    upcoming = next_digest(store, "T1", "C1", "08:30", BERLIN, TESTER_NOW - timedelta(days=3), TESTER_NOW)
    assert upcoming.at.date() == date(2026, 12, 1) and not upcoming.first
    said = describe_status(channel_status(store, "T1", "C1"), TESTER_NOW, upcoming)
    assert "the next one tomorrow, 1 December 2026, at 08:30 Europe/Berlin (07:30 UTC)" in said
    assert "Last digest: 30 November 2026 at 00:15 Europe/Berlin (23:15 UTC on 29 November 2026)." in said


def test_a_utc_channel_after_its_first_scheduled_digest_hears_of_the_next_one(store: Store) -> None:
    subscribe(store, "T1", "C1", "digest", digest_time="08:00")
    now = datetime(2026, 11, 29, 8, 0, 5, tzinfo=UTC)
    _posted(store, date(2026, 11, 29), now)
    info = channel_status(store, "T1", "C1")
    upcoming = next_digest(store, "T1", "C1", "08:00", "UTC", now - timedelta(days=1), now)
    said = describe_status(info, now, upcoming)
    assert "the next one tomorrow, 30 November 2026, at 08:00 UTC." in said and "first" not in said


def test_a_digest_whose_time_passed_unposted_is_due_now_and_one_subscribed_too_late_comes_tomorrow(
    store: Store,
) -> None:
    ten = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
    overdue = next_digest(store, "T1", "C1", "08:30", BERLIN, ten - timedelta(days=2), ten)
    assert overdue.overdue and overdue.at.date() == date(2026, 11, 30)
    late = next_digest(store, "T1", "C1", "08:30", BERLIN, ten - timedelta(minutes=5), ten)
    assert not late.overdue and late.at.date() == date(2026, 12, 1)


@pytest.mark.parametrize("order", [1, -1])
def test_one_day_s_lines_in_a_digest_go_by_name_whatever_the_ingest_order(
    store: Store, tmp_path: Path, order: int
) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    people = ["Zhu Hailun", "Chen Mingguo", "Wang Junzheng"][::order]
    for n, person in enumerate(people):
        document = simple_article(f"a{n}", person, "The EU", "on Monday")
        ingest_paths(store, [write_json(tmp_path / f"a{n}.json", document)])
    digest = build_digest(store, "C1", date(2026, 11, 30), before, datetime.now(UTC) + timedelta(seconds=1))
    (facts,) = digest.by_authority.values()
    assert [fact.target for fact in facts] == ["Chen Mingguo", "Wang Junzheng", "Zhu Hailun"]
