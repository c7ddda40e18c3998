"""Channels as a newsroom sees them: subscriptions, new items posted once, digests, adding items.

The real app (or `sanctions announce`) in subprocesses on one PostgreSQL
schema, the fake Slack beside them, every request signed as Slack signs it.
"""

from __future__ import annotations

import json
import re
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from block_rules import assert_pings_nobody, assert_slack_accepts, buttons, texts
from channel_side import (
    TEAM,
    delivery_rows,
    expire_claims_of,
    ingest_document,
    ingest_simple,
    keys_posted,
    posted_items,
    slack_env,
    start_announcer,
    stop,
)
from fake_slack import FakeSlack
from slack_side import CHANNEL, EDITOR, HOSTILE_ARTICLE, REPORTER, RunningApp, SlackSide, start_app, stop_app
from sqlalchemy import text

from bot.blocks.elements import escape
from bot.blocks.paging import MORE
from bot.settings import Settings
from storage.answers.queries import answer
from storage.answers.questions import parse_question
from storage.channels.outbox import pending_count
from storage.channels.subscriptions import subscribe
from storage.dates import describe_date
from storage.db.models import DigestRun
from storage.db.store import Store
from tests.builders import wait_until

pytestmark = pytest.mark.postgres


@pytest.fixture
def store(postgres_store_url: str) -> Iterator[Store]:
    opened = Store.open(postgres_store_url)
    yield opened
    opened.dispose()


@pytest.fixture
def app(store: Store, tmp_path: Path, slack_calls: FakeSlack) -> Iterator[RunningApp]:
    running = start_app(tmp_path, slack_env(slack_calls, store.url), "channels")
    yield running
    stop_app(running)


@pytest.fixture
def desk(app: RunningApp, slack_calls: FakeSlack) -> SlackSide:
    return SlackSide(app.base_url, slack_calls)


def counts(store: Store) -> tuple[int, int, int]:
    with store.engine.connect() as connection:
        return tuple(  # type: ignore[return-value]
            connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("articles", "actions", "deliveries")
        )


# --- subscriptions --------------------------------------------------------------


def test_a_channel_subscribes_sees_its_status_and_unsubscribes(desk: SlackSide) -> None:
    reply = desk.command("subscribe new").json()
    assert reply["response_type"] == "in_channel"
    assert "Every new sanctions item will be posted here" in reply["text"]
    assert f"<@{REPORTER}> subscribed this channel" in json.dumps(reply)

    digest = desk.command("subscribe digest 08:30 europe/berlin quiet").json()
    assert digest["response_type"] == "in_channel"
    said = digest["text"]
    assert "A digest will be posted here every day at 08:30 Europe/Berlin; the first one " in said
    assert " at 08:30 Europe/Berlin (" in said and " UTC" in said and "Days with nothing new are skipped." in said

    status = desk.command("status").json()
    assert status["response_type"] == "ephemeral"
    assert "Every new sanctions item" in status["text"] and "08:30 Europe/Berlin" in status["text"]

    assert desk.command("unsubscribe digest").json()["text"] == "The daily digest will no longer be posted here."
    assert desk.command("unsubscribe").json()["text"] == "New items will no longer be posted here."
    nothing = desk.command("unsubscribe").json()
    assert nothing["response_type"] == "ephemeral" and "nothing changed" in nothing["text"]
    assert "not subscribed to anything" in desk.command("status").json()["text"]


MISTAKES = {
    "subscribe": "/sanctions subscribe new",
    "subscribe weekly": "/sanctions subscribe new",
    "subscribe digest 25:00": "'25:00' is not a time of day; write it as 08:30.",
    "subscribe digest 08:30 Mars/Olympus": "'Mars/Olympus' is not a time zone",
    "subscribe digest 08:30 <!channel>": "'&lt;!channel&gt;' is not a time zone",
    "subscribe new 08:30": "takes nothing more",
    "subscribe digest 8.61": "'8.61' is not a time of day; write it as 08:30.",
    "subscribe digest 13pm": "'13pm' is not a time of day; write it as 08:30.",
    "unsubscribe everything": "/sanctions unsubscribe new",
}


def test_a_subscription_that_cannot_be_made_gets_one_sentence_to_its_author(desk: SlackSide, store: Store) -> None:
    for typed, expected in MISTAKES.items():
        reply = desk.command(typed).json()
        assert reply["response_type"] == "ephemeral", typed
        assert expected in reply["text"], typed
        assert_pings_nobody(reply["text"], reply["blocks"])
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM subscriptions")).scalar_one() == 0


def test_times_as_people_write_them_and_a_repeat_that_changes_nothing(desk: SlackSide) -> None:
    assert "every day at 19:00 UTC" in desk.command("subscribe digest 7pm").json()["text"]
    assert "every day at 08:30 UTC" in desk.command("subscribe digest 8.30").json()["text"]
    again = desk.command("subscribe digest 08:30").json()
    assert again["response_type"] == "ephemeral" and "already subscribed" in again["text"]
    assert desk.command("subscribe new").json()["response_type"] == "in_channel"
    assert "already subscribed" in desk.command("subscribe new").json()["text"]
    desk.command("unsubscribe")


ZONES_WITHOUT_DAYLIGHT_SAVING = {
    "est": ("EST", "for New York's clock write America/New_York."),
    "MST": ("MST", "for Denver's clock write America/Denver (Arizona, which keeps MST all year, is America/Phoenix)."),
    "gmt": ("GMT", "for London's clock write Europe/London."),
    "Etc/GMT-5": ("Etc/GMT-5", "for a place's clock write its zone, such as America/New_York or Europe/Berlin."),
}


def test_a_zone_that_ignores_daylight_saving_is_accepted_with_one_sentence_saying_so(desk: SlackSide) -> None:
    for typed, (zone, instead) in ZONES_WITHOUT_DAYLIGHT_SAVING.items():
        reply = desk.command(f"subscribe digest 08:30 {typed}").json()
        assert reply["response_type"] == "in_channel", typed
        said = reply["text"]
        assert f"every day at 08:30 {zone}; the first one " in said, typed
        warning = f"{zone} ignores daylight saving, so where clocks change in summer the digest comes an hour off "
        assert f"{warning}half the year; {instead} " in said, typed  # one sentence, before the invitation hint
        assert_slack_accepts(reply["text"], reply["blocks"])
        assert warning in json.dumps(reply["blocks"]), typed
    assert "EST ignores daylight saving" not in desk.command("status").json()["text"]
    assert "Etc/GMT-5 ignores daylight saving" in desk.command("status").json()["text"]  # the status says it too
    for zone in ("America/New_York", "Asia/Tokyo", "UTC", "EST5EDT", "HST"):  # a place's clock, or UTC
        said = desk.command(f"subscribe digest 08:30 {zone}").json()["text"]
        assert f"every day at 08:30 {zone}" in said and "daylight saving" not in said, zone
    desk.command("unsubscribe")


def test_a_direct_message_cannot_be_subscribed(desk: SlackSide, store: Store) -> None:
    reply = desk.command("subscribe new", channel_id="D0DIRECT").json()
    assert reply["response_type"] == "ephemeral" and "not a direct message" in reply["text"]
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM subscriptions")).scalar_one() == 0


# --- new items ------------------------------------------------------------------


def test_a_new_article_is_posted_once_in_each_subscribed_channel(
    desk: SlackSide, store: Store, slack_calls: FakeSlack
) -> None:
    desk.command("subscribe new", channel_id="C0FIRST")
    desk.command("subscribe new", channel_id="C0SECOND")
    slack_calls.channel_errors["C0GONE"] = "channel_not_found"
    subscribe(store, TEAM, "C0GONE", "new")
    new = ingest_document(store, HOSTILE_ARTICLE)
    two = ingest_simple(store, "second", "Chen Mingguo", "The EU")
    wait_until(lambda: len(slack_calls.messages("C0FIRST")) >= 2 and len(slack_calls.messages("C0SECOND")) >= 2,
               15, "two messages in each channel")
    time.sleep(1.5)  # anything more would come now
    assert sorted(posted_items(slack_calls).items()) == sorted(
        ((channel, action), 1) for channel in ("C0FIRST", "C0SECOND") for action in (*new, *two)
    )
    first = slack_calls.messages("C0FIRST")[0]
    assert first["metadata"]["event_type"] == "sanctions_item"
    assert first["metadata"]["event_payload"]["key"].startswith(f"{TEAM}/C0FIRST/")
    assert_slack_accepts(first["text"], first["blocks"])
    assert_pings_nobody(first["text"], first["blocks"])
    shown = json.dumps(first, ensure_ascii=False)
    assert "Zhao Pingfang" in shown and "U.S. Department of the Treasury" in shown
    assert "<https://example.org/wire/hostile?a=1&amp;b=2|" in shown  # the link to the source
    # A channel that is gone is given up at once, not retried all day.
    gone = [c for c in slack_calls.calls_to("chat.postMessage") if c.params.get("channel") == "C0GONE"]
    assert len(gone) == 2  # one per article, each tried once
    assert {row[2] for row in delivery_rows(store) if row[0] == "C0GONE"} == {"failed"}
    assert pending_count(store) == 0


def test_two_announcers_killed_and_failing_at_random_post_every_item_exactly_once(
    store: Store, tmp_path: Path, slack_calls: FakeSlack
) -> None:
    """The must-hold: 429s, 500s (some after posting), and one poster SIGKILLed mid-post."""
    channels = ["C0ONE", "C0TWO", "C0THREE"]
    for channel in channels:
        subscribe(store, TEAM, channel, "new")
    people = ["Wang Junzheng", "Chen Mingguo", "Zhu Hailun", "Wang Mingshan"]
    for index, person in enumerate(people):
        ingest_simple(store, f"article-{index}", person, ["The Treasury", "The EU"][index % 2])
    owed = {(row[0], row[1]) for row in delivery_rows(store)}
    assert len(owed) == len(channels) * len(people)

    slack_calls.chaos["chat.postMessage"] = (0.15, 0.1, 0.1)
    slack_calls.chaos["conversations.history"] = (0.1, 0.1, 0.0)
    slack_calls.hold_posts = 1  # the first message is posted, then its poster never hears back
    env = slack_env(slack_calls, store.url)
    announcers = [start_announcer(tmp_path, env, f"announcer-{n}") for n in range(2)]
    try:
        (held,) = wait_until(lambda: list(slack_calls.held), 20, "a held post")
        delivery_id = int(held["metadata"]["event_payload"]["key"].rsplit("/", 1)[1])
        with store.engine.connect() as connection:
            holder = connection.execute(
                text("SELECT claimed_by FROM deliveries WHERE id = :id"), {"id": delivery_id}
            ).scalar_one()
        pid = int(holder.split("/")[0].rsplit(":", 1)[1])
        victim = next(p for p in announcers if p.pid == pid)
        victim.send_signal(signal.SIGKILL)
        victim.wait(5)
        slack_calls.release.set()
        assert expire_claims_of(store, pid) >= 1
        announcers.append(start_announcer(tmp_path, env, "announcer-restarted"))
        wait_until(lambda: all(row[2] == "posted" for row in delivery_rows(store)), 90, "every item posted")
        time.sleep(1.0)
    finally:
        for process in announcers:
            stop(process)
    assert posted_items(slack_calls) == {pair: 1 for pair in owed}
    with store.engine.connect() as connection:  # the held message was found, not posted again
        assert connection.execute(
            text("SELECT message_ts FROM deliveries WHERE id = :id"), {"id": delivery_id}
        ).scalar_one() == held["ts"]
    assert set(keys_posted(slack_calls, "sanctions_item").values()) == {1}
    # The chaos really happened: more calls than messages, some answered 500 after posting.
    assert len(slack_calls.calls_to("chat.postMessage")) > len(owed) / 2
    assert slack_calls.calls_to("conversations.history")


# --- digests --------------------------------------------------------------------


def _zone_far_from_midnight() -> str:
    """A zone whose local day will not change during the test."""
    for offset in range(0, 24):
        zone = f"Etc/GMT{'-' if offset <= 12 else '+'}{offset if offset <= 12 else 24 - offset}"
        zone = "UTC" if offset == 0 else zone
        hour = datetime.now(UTC).astimezone(ZoneInfo(zone)).hour
        if 2 <= hour <= 21:
            return zone
    return "UTC"


def test_the_digest_is_posted_once_when_two_apps_reach_its_time_together_and_after_a_restart(
    store: Store, tmp_path: Path, slack_calls: FakeSlack
) -> None:
    zone = _zone_far_from_midnight()
    subscribe(store, TEAM, CHANNEL, "digest", digest_time="00:00", timezone=zone)
    with store.engine.begin() as connection:  # the channel subscribed yesterday
        connection.execute(text("UPDATE subscriptions SET created_at = :t"),
                           {"t": datetime.now(UTC) - timedelta(days=1)})
    ingest_document(store, HOSTILE_ARTICLE)
    ingest_simple(store, "eu", "Chen Mingguo", "The EU")
    env = slack_env(slack_calls, store.url)
    for name in ("one", "two", "three"):
        (tmp_path / name).mkdir()
    with ThreadPoolExecutor(2) as pool:
        apps = list(pool.map(lambda n: start_app(tmp_path / n, env, n), ["one", "two"]))
    try:
        wait_until(lambda: keys_posted(slack_calls, "sanctions_digest"), 15, "the digest")
        time.sleep(2.0)
        stop_app(apps[0])
        apps[0] = start_app(tmp_path / "three", env, "three")  # restarted: its first pass checks digests
        time.sleep(2.0)
    finally:
        for running in apps:
            stop_app(running)
    (digest,) = [m for m in slack_calls.messages(CHANNEL) if m["metadata"]["event_type"] == "sanctions_digest"]
    assert_slack_accepts(digest["text"], digest["blocks"])
    assert_pings_nobody(digest["text"], digest["blocks"])
    shown = json.dumps(digest, ensure_ascii=False)
    assert "2 new actions by 2 authorities" in shown
    assert "Zhao Pingfang" in shown and "Council of the European Union" in shown


def test_an_empty_digest_says_so_in_a_line_and_comes_once_a_day(
    desk: SlackSide, store: Store, slack_calls: FakeSlack
) -> None:
    from bot.channel_verbs import digest
    from bot.settings import Settings

    desk.command(f"subscribe digest 00:00 {_zone_far_from_midnight()}", channel_id="C0QUIET")
    settings = Settings(slack_bot_token="xoxb-test-token", slack_api_url=slack_calls.api_url, database_url=store.url)
    # The app would post it at its next check; `sanctions digest --post` does it now, through the same claim.
    digest(settings, "C0QUIET", None, None, True)
    wait_until(lambda: slack_calls.messages("C0QUIET"), 15, "the digest")
    (message,) = slack_calls.messages("C0QUIET")
    assert "nothing new since" in message["text"]
    assert digest(settings, "C0QUIET", None, None, True) == 1  # once a day


# --- adding items ---------------------------------------------------------------


ITEM = {
    "target": "Ivan Petrov",
    "kind": "person",
    "authority": "the EU",
    "date": "2024-03-04",
    "action": "imposed",
    "role": "deputy defence minister <!channel>",
    "reason": "the war in Ukraine & more",
    "source_url": "https://example.org/eu-petrov",
}


def _form(slack_calls: FakeSlack) -> dict[str, Any]:
    (opened,) = slack_calls.wait_for("views.open")
    view = opened.params["view"]
    return json.loads(view) if isinstance(view, str) else view


def test_a_non_editor_cannot_add_by_command_or_by_submitting_the_form(
    desk: SlackSide, store: Store, slack_calls: FakeSlack
) -> None:
    before = counts(store)
    refused = desk.command("add", user_id=REPORTER).json()
    assert refused["response_type"] == "ephemeral" and "Only the desk's editors" in refused["text"]
    assert slack_calls.calls_to("views.open") == []
    desk.command("add", user_id=EDITOR)
    form = _form(slack_calls)
    reply = desk.submit_view(form, ITEM, user_id=REPORTER).json()
    assert reply["response_action"] == "errors" and "Only the desk's editors" in reply["errors"]["target"]
    assert counts(store) == before


def test_an_editors_item_is_stored_confirmed_and_delivered(
    desk: SlackSide, store: Store, slack_calls: FakeSlack
) -> None:
    desk.command("subscribe new", channel_id="C0DESK")
    assert desk.command("add", user_id=EDITOR).status == 200
    form = _form(slack_calls)
    assert len(form["title"]["text"]) <= 24
    assert {b["block_id"] for b in form["blocks"] if b["type"] == "input"} == set(ITEM)
    limits = {b["block_id"]: b["element"].get("max_length") for b in form["blocks"] if b["type"] == "input"}
    assert (limits["target"], limits["authority"], limits["role"], limits["reason"]) == (300, 300, 500, 500)

    wrong = desk.submit_view(form, {**ITEM, "date": "the twelfth of never", "target": ""}, user_id=EDITOR).json()
    assert wrong["response_action"] == "errors" and set(wrong["errors"]) == {"date", "target"}
    for no_name in ("🙂", "<!channel>", "Ivan Petrov 🇷🇺"):  # it would be posted to every subscribed channel
        refused = desk.submit_view(form, {**ITEM, "target": no_name, "authority": "🇪🇺"}, user_id=EDITOR).json()
        assert refused["response_action"] == "errors" and set(refused["errors"]) == {"target", "authority"}
        assert "in letters" in refused["errors"]["target"]
    assert counts(store)[0] == 0

    stored = desk.submit_view(form, ITEM, user_id=EDITOR)
    assert stored.seconds < 1.0
    reply = stored.json()
    assert reply["response_action"] == "update"
    assert "Stored: Ivan Petrov: Council of the European Union imposed sanctions" in json.dumps(
        reply["view"])
    (confirmed,) = slack_calls.wait_for("chat.postEphemeral")
    assert confirmed.params["user"] == EDITOR and confirmed.params["channel"] == CHANNEL
    assert "Stored" in confirmed.params["text"]
    wait_until(lambda: slack_calls.messages("C0DESK"), 10, "the new item in the channel")
    (posted,) = slack_calls.messages("C0DESK")
    assert_pings_nobody(posted["text"], posted["blocks"])
    assert "Ivan Petrov" in posted["text"] and "https://example.org/eu-petrov" in json.dumps(posted)
    answer = desk.command("ivan petrov").json()
    assert "Council of the European Union" in json.dumps(answer) and "the war in Ukraine &amp; more" in json.dumps(
        answer)

    again = desk.submit_view(form, ITEM, user_id=EDITOR).json()
    assert "Nothing changed" in json.dumps(again["view"])


def test_the_stored_confirmation_suggests_subscribing_only_to_a_channel_that_is_not_subscribed(
    desk: SlackSide, slack_calls: FakeSlack
) -> None:
    message = "BRUSSELS - The European Union on Monday imposed sanctions on Ivan Petrov over the war in Ukraine."
    desk.message_shortcut(user_id=EDITOR, text=message)
    (update,) = slack_calls.wait_for("views.update")
    form = update.params["view"]
    form = json.loads(form) if isinstance(form, str) else form

    def stored(target: str) -> str:
        item = {**ITEM, "target": target, "date": "2023-11-13"}  # on or before the message's day
        reply = desk.submit_view(form, item, user_id=EDITOR).json()
        said = reply["view"]["blocks"][0]["text"]["text"]
        confirmed = slack_calls.wait_for("chat.postEphemeral", where=lambda c: target in c.params["text"])
        assert confirmed[0].params["text"] == said  # the same words in the channel, to the editor only
        return said

    unsubscribed = stored("Ivan Petrov")
    assert unsubscribed.startswith("Stored: Ivan Petrov")
    assert "`/sanctions subscribe new` makes this one of them" in unsubscribed

    assert desk.command("subscribe new").json()["response_type"] == "in_channel"
    subscribed = stored("Olga Petrova")
    assert "It will be posted in this channel in a moment" in subscribed
    assert "/sanctions subscribe" not in subscribed

    desk.command("unsubscribe")
    desk.command("subscribe digest 08:30")
    digest_only = stored("Anna Ivanova")
    assert "It will be in this channel's next digest" in digest_only
    assert "/sanctions subscribe" not in digest_only


def test_the_shortcut_opens_at_once_then_fills_the_form_from_the_message(
    desk: SlackSide, slack_calls: FakeSlack
) -> None:
    message = ("BRUSSELS - The European Union on Monday imposed sanctions on Ivan Petrov, deputy defence "
               "minister of Russia, over the war in Ukraine.")
    assert desk.message_shortcut(user_id=EDITOR, text=message).status == 200
    opened = _form(slack_calls)
    assert "Reading the message" in json.dumps(opened)
    (update,) = slack_calls.wait_for("views.update")
    assert update.params["view_id"] == "V0VIEW" and update.params["hash"] == "h-1"
    view = update.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    initial = {b["block_id"]: b["element"].get("initial_value") or (b["element"].get("initial_option") or {}).get(
        "value") for b in view["blocks"] if b["type"] == "input"}
    assert initial["target"] == "Ivan Petrov"
    assert initial["authority"] == "Council of the European Union"
    assert initial["date"] == "2023-11-13"  # the Monday before the message (14 November 2023)
    assert initial["role"] == "deputy defence minister of Russia"
    assert initial["source_url"] == f"https://newsroom.slack.com/archives/{CHANNEL}/p1700000000000200"


def test_the_shortcut_reads_a_message_as_its_reader_does_and_dates_the_item_by_it(
    desk: SlackSide, store: Store, slack_calls: FakeSlack
) -> None:
    """Slack escapes `&`, marks names up and mentions people; the form gets the words."""
    message = ("<!here> The U.S. Treasury on Monday sanctioned *Ivan Petrov*, a banker at Smith &amp; Sons, "
               "over election interference, <@U0REPORTER> reports.")
    assert desk.message_shortcut(user_id=EDITOR, text=message).status == 200
    (update,) = slack_calls.wait_for("views.update")
    view = update.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    initial = {b["block_id"]: b["element"].get("initial_value") or (b["element"].get("initial_option") or {}).get(
        "value") for b in view["blocks"] if b["type"] == "input"}
    assert (initial["target"], initial["role"]) == ("Ivan Petrov", "banker at Smith & Sons")
    assert "here" not in initial["reason"] and "U0REPORTER" not in json.dumps(initial)
    assert desk.submit_view(view, {k: v for k, v in initial.items() if v}, user_id=EDITOR).json()[
        "response_action"] == "update"
    (fact,) = answer(store, parse_question("ivan petrov", date(2026, 1, 1))).matches[0].actions
    assert fact.sources[0].published == "2023-11-14"  # the message's day, not the day it was added
    card = json.dumps(desk.command("ivan petrov").json(), ensure_ascii=False)
    assert "Added in Slack: " in card and "“" not in card  # the desk's summary is no quote of the source


# --- the terminal's verbs ---------------------------------------------------------


def test_announce_drains_the_outbox_and_digest_previews_in_the_terminal(
    store: Store, slack_calls: FakeSlack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    for name, value in slack_env(slack_calls, store.url).items():
        monkeypatch.setenv(name, value)
    subscribe(store, TEAM, "C0TERMINAL", "new")
    ingest_simple(store, "one", "Wang Junzheng")
    ingest_simple(store, "two", "Chen Mingguo", "The EU")
    assert main(["announce"]) == 0
    assert "2 messages handled, 0 digests posted; 0 items still waiting." in capsys.readouterr().out
    assert len(slack_calls.messages("C0TERMINAL")) == 2
    assert main(["announce"]) == 0  # nothing more to post
    assert len(slack_calls.messages("C0TERMINAL")) == 2

    assert main(["digest", "--channel", "C0TERMINAL"]) == 0
    shown = capsys.readouterr().out
    assert "2 new actions by 2 authorities" in shown and "Wang Junzheng: imposed" in shown
    assert main(["digest", "--channel", "C0TERMINAL", "--post"]) == 2  # not subscribed to digests
    assert "no digest subscription" in capsys.readouterr().err


# --- what a newsroom saw go wrong in channels -----------------------------------------

SLACK_BLOCK_TEXT_LIMIT = 12_000  # chat.postMessage's msg_blocks_too_long, measured by others at ~12-13k


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


# --- a digest accounts for everything it counts ---------------------------------------


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


# --- a new-item post shows every action, and the question it suggests lists them -------------


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


# --- a lifting says so -------------------------------------------------------------------


def test_a_lifting_is_announced_as_sanctions_lifted(desk: SlackSide, store: Store, slack_calls: FakeSlack) -> None:
    from tests.builders import simple_article

    desk.command("subscribe new", channel_id="C0LIFT")
    ingest_document(store, simple_article("lifted", "Quentin Notinchan", "The Treasury", "on Monday", action="lifted"))
    (post,) = wait_until(lambda: slack_calls.messages("C0LIFT"), 15, "the post")
    assert post["blocks"][0]["text"]["text"] == "Sanctions lifted: Quentin Notinchan"
    assert "New sanctions" not in json.dumps(post) and post["text"].startswith("Sanctions lifted: ")


# --- group DMs cannot subscribe ------------------------------------------------------------


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


# --- status says when the next digest really comes -------------------------------------------


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


# --- the terminal's preview is what --post posts ------------------------------------------------


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
