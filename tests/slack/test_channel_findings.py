"""What a newsroom saw go wrong in channels, checked as Slack sees it.

Each test drives the real app (or the `sanctions` verbs) against the fake
Slack and reads the messages it recorded: what a journalist would read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from block_rules import assert_pings_nobody, assert_slack_accepts, buttons, texts
from channel_side import TEAM, ingest_document, ingest_simple, slack_env
from fake_slack import FakeSlack
from slack_side import RunningApp, SlackSide, start_app, stop_app
from sqlalchemy import text

from bot.blocks import MORE, escape
from bot.settings import Settings
from storage.channels import subscribe
from storage.dates import describe_date
from storage.models import DigestRun
from storage.store import Store
from tests.builders import wait_until

pytestmark = pytest.mark.postgres

SLACK_BLOCK_TEXT_LIMIT = 12_000  # chat.postMessage's msg_blocks_too_long, measured by others at ~12-13k


@pytest.fixture
def store(postgres_store_url: str) -> Iterator[Store]:
    opened = Store.open(postgres_store_url)
    yield opened
    opened.dispose()


@pytest.fixture
def app(store: Store, tmp_path: Path, slack_calls: FakeSlack) -> Iterator[RunningApp]:
    running = start_app(tmp_path, slack_env(slack_calls, store.url), "findings")
    yield running
    stop_app(running)


@pytest.fixture
def desk(app: RunningApp, slack_calls: FakeSlack) -> SlackSide:
    return SlackSide(app.base_url, slack_calls)


@pytest.fixture
def settings(store: Store, slack_calls: FakeSlack) -> Settings:
    return Settings(slack_bot_token="xoxb-test-token", slack_api_url=slack_calls.api_url, database_url=store.url)


# --- articles as the tester wrote them ------------------------------------------------------


class _Article:
    """An annotated article built phrase by phrase, so that every entity's span is right."""

    def __init__(self, article_id: str, published: str) -> None:
        self.document: dict[str, Any] = {
            "id": article_id, "published": published, "source": "Digest Wire", "title": f"About {article_id}",
            "url": f"https://example.org/{article_id}", "text": "", "entities": [], "sanctions": [],
        }

    def say(self, words: str, label: str | None = None, entity_id: str | None = None) -> _Article:
        start = len(self.document["text"])
        self.document["text"] += words
        if label:
            self.document["entities"].append(
                {"id": entity_id, "label": label, "start": start, "end": start + len(words), "text": words})
        return self

    def event(self, target: str, authority: str, when: str, action: str = "imposed") -> None:
        self.document["sanctions"].append({"target": target, "authority": authority, "date": when, "action": action})


def authority(number: int) -> str:
    return f"Digest Authority {number:02d} <b>&"


def digestload() -> dict[str, Any]:
    """One person sanctioned by 70 authorities, and 30 people by the first of them: 100 actions."""
    article = _Article("digestload", "2026-11-06").say("Nina Digestload", "PERSON", "N").say(" was sanctioned on ")
    article.say("5 November 2026", "DATE", "D").say(" by: ")
    for number in range(70):
        article.say(authority(number), "AUTHORITY", f"A{number}").say(", ")
        article.event("N", f"A{number}", "D")
    article.say(". The first also listed ")
    for number in range(30):
        article.say(f"Person{number:02d} Bulkname", "PERSON", f"P{number}").say(", ")
        article.event(f"P{number}", "A0", "D")
    article.say("and nobody else.")
    return article.document


def oldtimer() -> dict[str, Any]:
    """One person sanctioned in 2012 by 25 authorities, reported now: `recent` would bury it."""
    article = _Article("oldtimer", "2026-11-29").say("Olga Oldtimer", "PERSON", "T").say(" was sanctioned on ")
    article.say("5 May 2012", "DATE", "D").say(" by: ")
    for number in range(25):
        article.say(f"Old Authority {number}", "AUTHORITY", f"A{number}").say(", ")
        article.event("T", f"A{number}", "D")
    article.say("all at once.")
    return article.document


def shown(message: dict[str, Any]) -> str:
    """Everything a reader sees in a message's blocks, one text."""
    return "\n".join(value for _, value in texts(message["blocks"]))


def assert_postable(message: dict[str, Any]) -> None:
    assert_slack_accepts(message["text"], message["blocks"])
    assert_pings_nobody(message["text"], message["blocks"])
    assert sum(len(value) for _, value in texts(message["blocks"])) < SLACK_BLOCK_TEXT_LIMIT
    assert "Answer shortened" not in shown(message)


def subscribed_days_ago(store: Store, days: int) -> None:
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE subscriptions SET created_at = :t"),
                           {"t": datetime.now(UTC) - timedelta(days=days)})


def _zone_far_from_midnight() -> str:
    for offset in range(0, 24):
        hours = offset if offset <= 12 else 24 - offset
        zone = "UTC" if offset == 0 else f"Etc/GMT{'-' if offset <= 12 else '+'}{hours}"
        if 2 <= datetime.now(UTC).astimezone(ZoneInfo(zone)).hour <= 21:
            return zone
    return "UTC"


# --- 1. a digest accounts for everything it counts ---------------------------------------


def test_a_digest_of_a_hundred_actions_by_seventy_authorities_names_every_authority_with_its_count(
    store: Store, slack_calls: FakeSlack, settings: Settings
) -> None:
    from bot.channel_verbs import digest

    subscribe(store, TEAM, "C0DIGEST", "digest", digest_time="00:00", timezone=_zone_far_from_midnight())
    subscribed_days_ago(store, 1)
    assert len(ingest_document(store, digestload())) == 100
    assert digest(settings, "C0DIGEST", TEAM, None, True) == 0
    (message,) = slack_calls.messages("C0DIGEST")
    assert_postable(message)
    said = shown(message)
    assert "100 new actions by 70 authorities" in message["text"]
    groups = re.findall(r"(Digest Authority \d\d &lt;b&gt;&amp;)\*? · (\d+)", said)
    counted = {name: int(count) for name, count in groups}
    assert len(groups) == 70 and set(counted) == {escape(authority(n)) for n in range(70)}
    assert sum(counted.values()) == 100 and counted[escape(authority(0))] == 31
    for person in ["Nina Digestload", *(f"Person{n:02d} Bulkname" for n in range(30))]:
        assert person in said, person  # each of the biggest group's actions has a line or its name


# --- 2. a new-item post shows every action, and the question it suggests lists them -------------


def _ask_every_page(desk: SlackSide, question: str, channel: str) -> str:
    """The answer to a question, every page of it, as the asker reads it clicking More."""
    page = desk.command(question, channel_id=channel).json()
    seen = [shown(page)]
    for number in range(20):
        more = [b for b in buttons(page["blocks"]) if b["action_id"] == MORE]
        if not more:
            return "\n".join(seen)
        desk.click(more[0], channel_id=channel, response_name=f"page{number}")
        (reply,) = desk.fake.wait_for("response_url", where=lambda c, n=number: c.path.endswith(f"/page{n}"))
        page = reply.params
        seen.append(shown(page))
    raise AssertionError("more than 20 pages")


def test_an_article_about_one_old_case_shows_all_its_actions_and_points_to_the_name_that_lists_them(
    desk: SlackSide, store: Store, slack_calls: FakeSlack
) -> None:
    desk.command("subscribe new", channel_id="C0OLD")
    for index in range(12):  # newer actions, so that `recent` would not show these on its first pages
        ingest_simple(store, f"newer-{index}", f"Newer Person{index}", "The EU")
    wait_until(lambda: len(slack_calls.messages("C0OLD")) >= 12, 30, "the newer items")
    ingest_document(store, oldtimer())
    post = wait_until(lambda: [m for m in slack_calls.messages("C0OLD") if "Olga" in m["text"]], 15, "the post")[0]
    assert_postable(post)
    said = shown(post)
    assert post["blocks"][0]["text"]["text"] == "New sanctions: Olga Oldtimer"
    assert set(re.findall(r"Old Authority \d+", said)) == {f"Old Authority {n}" for n in range(25)}
    assert "recent" not in said
    (question,) = re.findall(r"`/sanctions ([^`]+)` for everything on this name", said)
    answered = _ask_every_page(desk, question, "C0OLD")
    assert set(re.findall(r"Old Authority \d+", answered)) == {f"Old Authority {n}" for n in range(25)}


def test_an_article_with_a_hundred_actions_accounts_for_each_and_names_everyone(
    desk: SlackSide, store: Store, slack_calls: FakeSlack
) -> None:
    desk.command("subscribe new", channel_id="C0BIG")
    ingest_document(store, digestload())
    (post,) = wait_until(lambda: slack_calls.messages("C0BIG"), 15, "the post")
    assert_postable(post)
    said = shown(post)
    cards = [b for b in post["blocks"] if b["type"] == "section" and "imposed sanctions ·" in b["text"]["text"]]
    lines = re.findall(r"^• ", said, flags=re.MULTILINE)
    (rest,) = [int(n) for n in re.findall(r"…and (\d+) more in the same article", said)] or [0]
    assert len(cards) + len(lines) + rest == 100
    for person in ["Nina Digestload", *(f"Person{n:02d} Bulkname" for n in range(30))]:
        assert person in said, person
    assert "recent" not in said
    # A name the post gives for the actions it could not list is a question that lists them.
    named = _ask_every_page(desk, "Person29 Bulkname", "C0BIG")
    assert "Digest Authority 00 &lt;b&gt;&amp;" in named


# --- 3. a lifting says so -------------------------------------------------------------------


def test_a_lifting_is_announced_as_sanctions_lifted(desk: SlackSide, store: Store, slack_calls: FakeSlack) -> None:
    from tests.builders import simple_article

    desk.command("subscribe new", channel_id="C0LIFT")
    ingest_document(store, simple_article("lifted", "Quentin Notinchan", "The Treasury", "on Monday", action="lifted"))
    (post,) = wait_until(lambda: slack_calls.messages("C0LIFT"), 15, "the post")
    assert post["blocks"][0]["text"]["text"] == "Sanctions lifted: Quentin Notinchan"
    assert "New sanctions" not in json.dumps(post) and post["text"].startswith("Sanctions lifted: ")


# --- 4. group DMs cannot subscribe ------------------------------------------------------------


def _command_in(desk: SlackSide, typed: str, channel_id: str, channel_name: str) -> dict[str, Any]:
    form = {**desk.command_form(typed, channel_id=channel_id), "channel_name": channel_name}
    return desk.post(urlencode(form)).json()


def test_a_group_dm_cannot_subscribe_and_gets_the_sentence_a_dm_gets(desk: SlackSide, store: Store) -> None:
    sentence = desk.command("subscribe new", channel_id="D0DIRECT").json()["text"]
    for typed in ("subscribe new", "subscribe digest 08:30", "status", "unsubscribe"):
        for channel_id, name in (("GMPDM1", "mpdm-jdoe--ed-1"), ("D0DM", "directmessage")):
            reply = _command_in(desk, typed, channel_id, name)
            assert reply["response_type"] == "ephemeral" and reply["text"] == sentence, (typed, name)
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM subscriptions")).scalar_one() == 0
    private = _command_in(desk, "subscribe new", "G0PRIVATE", "secret-desk")  # a private channel may
    assert private["response_type"] == "in_channel"


# --- 5. status says when the next digest really comes -------------------------------------------


def _at(day: date, zone: ZoneInfo) -> str:
    local = datetime(day.year, day.month, day.day, 8, 30, tzinfo=zone)
    return f"{describe_date(day, 'day')}, at 08:30 Europe/Berlin ({local.astimezone(UTC):%H:%M} UTC"


def test_status_gives_the_next_digests_real_date_and_time_after_todays_was_posted(
    desk: SlackSide, store: Store, slack_calls: FakeSlack, settings: Settings
) -> None:
    from bot.channel_verbs import digest

    berlin = ZoneInfo("Europe/Berlin")
    desk.command("subscribe digest 08:30 Europe/Berlin", channel_id="C0STATUS")
    now = datetime.now(berlin)
    first = now.date() if now.time() < datetime(2000, 1, 1, 8, 30).time() else now.date() + timedelta(days=1)
    before = desk.command("status", channel_id="C0STATUS").json()["text"]
    assert f"the first one {'today' if first == now.date() else 'tomorrow'}, {_at(first, berlin)}" in before

    assert digest(settings, "C0STATUS", TEAM, None, True) == 0  # today's, posted now by hand
    (posted,) = slack_calls.messages("C0STATUS")
    assert re.search(r"nothing new since \d+ \w+ \d{4} \d\d:\d\d Europe/Berlin\.", posted["text"])
    after = desk.command("status", channel_id="C0STATUS").json()["text"]
    tomorrow = now.date() + timedelta(days=1)
    assert f"the next one tomorrow, {_at(tomorrow, berlin)}" in after
    assert f"Last digest: {describe_date(now.date(), 'day')} at " in after and " Europe/Berlin" in after
    assert "first one" not in after


# --- 6. the terminal's preview is what --post posts ------------------------------------------------


def _zone_on_another_day() -> str:
    """A zone whose local date is not UTC's right now (one of these two always is)."""
    now = datetime.now(UTC)
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        if now.astimezone(ZoneInfo(zone)).date() != now.date():
            return zone
    raise AssertionError("unreachable")


def test_the_terminal_preview_of_today_is_what_post_posts_now(
    store: Store, slack_calls: FakeSlack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    for name, value in slack_env(slack_calls, store.url).items():
        monkeypatch.setenv(name, value)
    zone = _zone_on_another_day()
    today = datetime.now(ZoneInfo(zone)).date()
    subscribe(store, TEAM, "C0PREVIEW", "digest", digest_time="23:59", timezone=zone)
    subscribed_days_ago(store, 3)
    ingest_simple(store, "before", "Yesterday Person", "The Treasury")  # in yesterday's digest
    with store.session() as session:
        moment = datetime.now(UTC)
        session.add(DigestRun(team_id=TEAM, channel_id="C0PREVIEW", local_day=today - timedelta(days=1),
                              status="posted", covers_from=moment - timedelta(days=1), covers_until=moment,
                              posted_at=moment))
    ingest_simple(store, "one", "Wang Junzheng", "The Treasury")
    ingest_simple(store, "two", "Chen Mingguo", "The EU")

    assert main(["digest", "--channel", "C0PREVIEW", "--team", TEAM]) == 0
    preview = capsys.readouterr().out
    assert preview.startswith(f"Sanctions digest, {describe_date(today, 'day')} ({zone}): from ")
    assert "2 new actions by 2 authorities." in preview and "Yesterday Person" not in preview
    assert main(["digest", "--channel", "C0PREVIEW", "--team", TEAM, "--post"]) == 0
    (message,) = slack_calls.messages("C0PREVIEW")
    assert message["text"] == f"Sanctions digest, {describe_date(today, 'day')}: 2 new actions by 2 authorities."
    capsys.readouterr()
    assert main(["digest", "--channel", "C0PREVIEW", "--team", TEAM]) == 0  # today's, as posted
    assert "2 new actions by 2 authorities." in capsys.readouterr().out
