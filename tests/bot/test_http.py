"""/sanctions over HTTP, as Slack and a journalist see it: signed requests in, cards out."""

from __future__ import annotations

import json
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from block_rules import assert_pings_nobody, assert_slack_accepts, buttons
from channel_side import slack_env
from fake_slack import FakeSlack
from slack_side import BOT_TOKEN, CHANNEL, EDITOR, REPORTER, RunningApp, SlackSide, start_app, stop_app
from sqlalchemy import make_url

from bot.blocks import paging
from tests.builders import wait_until

WANG_SOURCE = "https://example.org/desk-wire/2021/03/us-treasury-xinjiang-officials"


def visible_text(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


def button(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    return next(b for b in buttons(message["blocks"]) if b["action_id"].startswith(action_id))


# --- the app is up ------------------------------------------------------------


def test_healthz_says_200_when_the_store_answers(slack: SlackSide) -> None:
    reply = slack.send("GET", "/healthz")
    assert reply.status == 200 and reply.body == b"ok\n"


def test_an_unknown_path_is_404(slack: SlackSide) -> None:
    assert slack.send("GET", "/admin").status == 404
    assert slack.send("GET", "/slack/events").status == 404


# --- requests are Slack's, or refused -----------------------------------------


def test_a_forged_signature_gets_401(slack: SlackSide) -> None:
    body = urlencode(slack.command_form("wang junzheng"))
    reply = slack.post(body, signature="v0=" + "0" * 64)
    assert reply.status == 401
    assert b"Wang" not in reply.body


def test_a_request_signed_with_another_secret_gets_401(slack: SlackSide) -> None:
    from slack_sdk.signature import SignatureVerifier

    body = urlencode(slack.command_form("wang junzheng"))
    stamp = int(time.time())
    forged = SignatureVerifier("not-our-secret").generate_signature(timestamp=str(stamp), body=body)
    assert slack.post(body, timestamp=stamp, signature=forged).status == 401


def test_a_replayed_request_older_than_five_minutes_gets_401(slack: SlackSide) -> None:
    body = urlencode(slack.command_form("wang junzheng"))
    assert slack.post(body, timestamp=int(time.time()) - 301).status == 401  # correctly signed, but stale


def test_a_tampered_body_gets_401(slack: SlackSide) -> None:
    body = urlencode(slack.command_form("wang junzheng"))
    stamp = int(time.time())
    signature = slack.verifier.generate_signature(timestamp=str(stamp), body=body)
    tampered = body.replace("U0REPORTER", "U0INTRUDER")
    assert slack.post(tampered, timestamp=stamp, signature=signature).status == 401


# --- /sanctions ----------------------------------------------------------------


def test_a_journalist_asks_a_name_and_sees_who_by_whom_when_and_the_source(slack: SlackSide) -> None:
    reply = slack.command("wang junzheng")
    assert reply.status == 200
    assert reply.seconds < 1.0
    message = reply.json()
    assert message["response_type"] == "ephemeral"
    assert_slack_accepts(message["text"], message["blocks"])
    assert_pings_nobody(message["text"], message["blocks"])
    assert message["blocks"][0]["text"]["text"] == "Wang Junzheng"
    shown = visible_text(message)
    for expected in [
        "party secretary of the Xinjiang Production and Construction Corps",
        "U.S. Department of the Treasury",
        "Council of the European Union",
        "UK Government",
        "22 March 2021",
        "imposed sanctions",
        "🇪🇺",
        f"<{WANG_SOURCE}|Desk Wire, 23 March 2021>",
        "The Treasury Department on Monday imposed sanctions",
    ]:
        assert expected in shown, expected
    assert paging.SHARE in [b["action_id"] for b in buttons(message["blocks"])]
    assert slack.fake.calls_to("chat.postMessage") == []  # nothing visible to the channel


def test_any_spelling_finds_the_person(slack: SlackSide) -> None:
    for query in ["Junzheng Wang", "WANG JUNZHENG", "wang junzhen", "王君正"]:
        message = slack.command(query).json()
        assert message["blocks"][0]["text"]["text"] == "Wang Junzheng", query


def test_a_monday_in_a_tuesday_article_is_the_day_before_and_the_article_pings_nobody(slack: SlackSide) -> None:
    message = slack.command("zhao pingfang").json()
    assert_slack_accepts(message["text"], message["blocks"])
    assert_pings_nobody(message["text"], message["blocks"])
    shown = visible_text(message)
    assert "26 February 2024" in shown
    assert "<!channel>" not in shown and "<!here>" not in shown
    assert "&lt;!channel&gt;" in shown
    assert "abuses &amp; threats against reporters" in shown
    assert "<https://example.org/wire/hostile?a=1&amp;b=2|Wire &lt;!channel&gt; &amp; Co, 27 February 2024>" in shown


def test_a_surname_shared_by_two_people_lists_both(slack: SlackSide) -> None:
    message = slack.command("chen").json()
    shown = visible_text(message)
    assert "Chen Mingguo" in shown and "Chen Quanguo" in shown
    assert message["blocks"][0]["type"] != "header"


def test_a_name_nobody_has_says_nothing_was_found(slack: SlackSide) -> None:
    message = slack.command("Zzyzx Qwerty").json()
    assert "Nothing found" in message["text"]
    assert_slack_accepts(message["text"], message["blocks"])


def test_by_an_authority_lists_its_actions_newest_first_with_more(slack: SlackSide) -> None:
    message = slack.command("by eu").json()
    assert_slack_accepts(message["text"], message["blocks"])
    shown = visible_text(message)
    assert "Council of the European Union" in shown and "Showing 1–10 of" in shown
    assert button(message, paging.MORE)


def test_help_and_nothing_give_usage(slack: SlackSide) -> None:
    for text in ["", "help", "  HELP "]:
        message = slack.command(text).json()
        assert "/sanctions NAME" in visible_text(message), text
        assert buttons(message["blocks"]) == []


def test_a_query_that_cannot_be_parsed_gets_one_sentence_and_usage(slack: SlackSide) -> None:
    message = slack.command("on the twelfth of never").json()
    assert message["response_type"] == "ephemeral"
    first = message["blocks"][0]["text"]["text"]
    assert "could not read the date" in first and first.count(". ") == 0
    assert "Traceback" not in visible_text(message)


def test_eight_journalists_at_once_all_get_answers(slack: SlackSide) -> None:
    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(slack.command, ["wang junzheng", "chen", "by eu", "recent"] * 4))
    assert all(reply.status == 200 and reply.json()["blocks"] for reply in replies)


# --- buttons ------------------------------------------------------------------


def test_more_replaces_the_card_with_the_next_page(slack: SlackSide) -> None:
    first = slack.command("by eu").json()
    reply = slack.click(button(first, paging.MORE), response_name="more")
    assert reply.status == 200 and reply.seconds < 1.0
    (posted,) = slack.fake.wait_for("response_url", where=lambda c: c.path.endswith("/more"))
    assert posted.params["replace_original"] is True
    assert posted.params["response_type"] == "ephemeral"
    assert "Showing 11–" in visible_text(posted.params)
    assert_slack_accepts(posted.params["text"], posted.params["blocks"])


def test_a_did_you_mean_name_shows_that_person(slack: SlackSide) -> None:
    listing = slack.command("chen").json()
    pick = next(b for b in buttons(listing["blocks"]) if "Quanguo" in b["value"])
    assert slack.click(pick, response_name="pick").status == 200
    (posted,) = slack.fake.wait_for("response_url", where=lambda c: c.path.endswith("/pick"))
    assert posted.params["blocks"][0]["text"]["text"] == "Chen Quanguo"


def test_a_name_that_fits_nobody_offers_close_names_that_open_their_card(slack: SlackSide) -> None:
    nothing = slack.command("wang mingzheng").json()
    assert nothing["text"].startswith("Nothing found") and "Wang Mingshan" in nothing["text"]
    close = next(b for b in buttons(nothing["blocks"]) if "Mingshan" in b["value"])
    assert slack.click(close, response_name="close").status == 200
    (posted,) = slack.fake.wait_for("response_url", where=lambda c: c.path.endswith("/close"))
    assert posted.params["blocks"][0]["text"]["text"] == "Wang Mingshan"


def test_share_posts_the_same_card_in_the_channel_signed_by_the_journalist(slack: SlackSide) -> None:
    card = slack.command("wang junzheng").json()
    reply = slack.click(button(card, paging.SHARE), response_name="share")
    assert reply.status == 200 and reply.seconds < 1.0
    (post,) = slack.fake.wait_for("chat.postMessage")
    assert post.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    assert post.params["channel"] == CHANNEL
    shared = post.params["blocks"]
    assert_slack_accepts(post.params["text"], shared)
    assert_pings_nobody(post.params["text"], shared)
    assert f"Shared by <@{REPORTER}>" in visible_text(post.params)
    assert buttons(shared) == []
    assert shared[1]["text"]["text"] == "Wang Junzheng"
    private = [b for b in card["blocks"] if not b.get("block_id", "").startswith("sanctions_")]
    assert shared[1:] == private  # the same card the journalist saw
    (cleanup,) = slack.fake.wait_for("response_url", where=lambda c: c.path.endswith("/share"))
    assert cleanup.params.get("delete_original") is True


def test_share_where_the_bot_is_not_a_member_goes_through_the_response_url(slack: SlackSide) -> None:
    slack.fake.errors["chat.postMessage"] = "not_in_channel"
    card = slack.command("wang junzheng").json()
    slack.click(button(card, paging.SHARE), response_name="share-public")
    posted = slack.fake.wait_for("response_url", 2, where=lambda c: c.path.endswith("/share-public"))
    in_channel = next(c for c in posted if c.params.get("response_type") == "in_channel")
    assert f"Shared by <@{REPORTER}>" in visible_text(in_channel.params)


def test_share_in_an_archived_channel_says_so_in_a_sentence_not_an_apology(slack: SlackSide) -> None:
    slack.fake.errors["chat.postMessage"] = "is_archived"
    card = slack.command("wang junzheng").json()
    slack.click(button(card, paging.SHARE), response_name="share-archived")
    (said,) = slack.fake.wait_for("response_url", where=lambda c: c.path.endswith("/share-archived"))
    assert said.params["text"] == "This channel is archived, so the card cannot be shared in it."


def test_a_rate_limited_share_is_retried_after_slacks_retry_after(slack: SlackSide) -> None:
    slack.fake.rate_limited["chat.postMessage"] = 1
    card = slack.command("wang junzheng").json()
    reply = slack.click(button(card, paging.SHARE), response_name="share-429")
    assert reply.seconds < 1.0  # the retry happens after the ack
    posts = slack.fake.wait_for("chat.postMessage", 2, timeout=8)
    assert posts[0].params["blocks"] == posts[1].params["blocks"]


def test_a_double_click_on_share_posts_one_card_and_says_nothing_more(
    slack_to_one_worker: SlackSide, one_worker_app: RunningApp
) -> None:
    slack = slack_to_one_worker
    repeats_before = one_worker_app.log().count("a repeated click on Share")
    card = slack.command("wang junzheng").json()
    share = button(card, paging.SHARE)
    slack.fake.hold_posts = 1  # the first click's card is still on its way when the second click lands
    for _ in range(2):
        assert slack.click(share, message_ts="1700000001.000001", response_name="double").status == 200
    wait_until(lambda: one_worker_app.log().count("a repeated click on Share") > repeats_before, 5,
               "the second click handled")
    slack.fake.release.set()
    slack.fake.wait_for("response_url", where=lambda c: c.path.endswith("/double"))
    time.sleep(0.5)  # anything more would come now
    (shared,) = slack.fake.messages(CHANNEL)
    assert shared["blocks"][1]["text"]["text"] == "Wang Junzheng"
    assert f"Shared by <@{REPORTER}>" in visible_text(shared)
    said = [c.params for c in slack.fake.calls_to("response_url") if c.path.endswith("/double")]
    (cleanup,) = said  # the private copy goes; not a word about the second click
    assert cleanup["delete_original"] is True and not cleanup.get("text")

    other_answer = slack.command("wang junzheng").json()  # another message: its Share is its own
    slack.click(button(other_answer, paging.SHARE), message_ts="1700000001.000002", response_name="other")
    wait_until(lambda: len(slack.fake.messages(CHANNEL)) == 2, 5, "the other answer shared")


def test_a_share_that_failed_can_be_clicked_again_at_once(slack_to_one_worker: SlackSide) -> None:
    slack = slack_to_one_worker
    slack.fake.errors["chat.postMessage"] = "is_archived"
    share = button(slack.command("wang junzheng").json(), paging.SHARE)
    slack.click(share, message_ts="1700000001.000003", response_name="retry")
    (said,) = slack.fake.wait_for("response_url", where=lambda c: c.path.endswith("/retry"))
    assert said.params["text"] == "This channel is archived, so the card cannot be shared in it."
    del slack.fake.errors["chat.postMessage"]  # unarchived: the journalist clicks again
    slack.click(share, message_ts="1700000001.000003", response_name="retry")
    wait_until(lambda: slack.fake.messages(CHANNEL), 5, "the card shared on the second click")
    (shared,) = slack.fake.messages(CHANNEL)
    assert f"Shared by <@{REPORTER}>" in visible_text(shared)


def test_share_reposts_a_card_slack_hands_back_without_asking_the_store(slack_to_broken_app: SlackSide) -> None:
    card_blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Wang Junzheng"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Council of the European Union*", "verbatim": True}},
        {"type": "actions", "block_id": "sanctions_controls", "elements": []},
    ]
    share = {
        "action_id": paging.SHARE,
        "text": {"type": "plain_text", "text": "Share"},
        "value": paging.PageRef("wang junzheng").to_value(),
    }
    message = {"type": "message", "text": "Wang Junzheng", "blocks": card_blocks}
    assert slack_to_broken_app.click(share, message=message, response_name="handed").status == 200
    (post,) = slack_to_broken_app.fake.wait_for("chat.postMessage")
    assert post.params["blocks"][1:] == card_blocks[:2]  # the store is down, yet the card was shared


# --- when things break ---------------------------------------------------------


def test_healthz_says_503_when_the_store_is_down(slack_to_broken_app: SlackSide) -> None:
    reply = slack_to_broken_app.send("GET", "/healthz")
    assert reply.status == 503 and reply.seconds < 3


def test_healthz_says_503_when_the_store_file_is_overwritten_under_the_app(
    tmp_path: Path, fake_slack: FakeSlack, sample_database: str, slack_calls: FakeSlack
) -> None:
    # The database answers `SELECT 1` whatever the file holds: health must read the tables answers read.
    database = tmp_path / "store.db"
    shutil.copy(make_url(sample_database).database or "", database)
    env = {**slack_env(fake_slack, f"sqlite:///{database}"), "WEB_CONCURRENCY": "1"}
    app = start_app(tmp_path, env, "overwritten")
    try:
        slack = SlackSide(app.base_url, slack_calls)
        assert slack.send("GET", "/healthz").status == 200
        with database.open("r+b") as damaged:
            damaged.write(b"NOT A DATABASE " * 8)
        reply = slack.send("GET", "/healthz")
        assert reply.status == 503 and reply.seconds < 3
        assert "Sorry" in slack.command("wang junzheng").json()["text"]
    finally:
        stop_app(app)


def test_the_store_down_gets_an_apology_with_an_error_id_that_is_in_the_log(
    slack_to_broken_app: SlackSide, app_without_store: RunningApp
) -> None:
    reply = slack_to_broken_app.command("wang junzheng")
    assert reply.status == 200
    assert reply.seconds < 3.0
    message = reply.json()
    assert message["response_type"] == "ephemeral"
    assert "Sorry" in message["text"] and "Traceback" not in visible_text(message)
    error_id = re.search(r"error id ([0-9a-f]{8})", message["text"]).group(1)  # type: ignore[union-attr]
    deadline = time.monotonic() + 5
    while error_id not in app_without_store.log() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert f"error id {error_id}" in app_without_store.log()
    assert paging.SHARE not in [b["action_id"] for b in buttons(message["blocks"])]


def test_usage_still_works_when_the_store_is_down(slack_to_broken_app: SlackSide) -> None:
    assert "/sanctions NAME" in visible_text(slack_to_broken_app.command("help").json())


def test_a_button_when_the_store_is_down_gets_an_apology(slack_to_broken_app: SlackSide) -> None:
    more = {
        "action_id": paging.MORE,
        "text": {"type": "plain_text", "text": "More"},
        "value": paging.PageRef("by eu", 10).to_value(),
    }
    assert slack_to_broken_app.click(more, response_name="more-down").status == 200
    (posted,) = slack_to_broken_app.fake.wait_for("response_url", where=lambda c: c.path.endswith("/more-down"))
    assert "error id" in posted.params["text"]


# --- shortcut, events -----------------------------------------------------------


def test_add_sanctions_item_is_for_editors_only(slack: SlackSide) -> None:
    assert slack.message_shortcut(user_id=REPORTER, text="EU sanctions X").status == 200
    (refusal,) = slack.fake.wait_for("response_url", where=lambda c: c.path.endswith("/shortcut"))
    assert "editors" in refusal.params["text"]
    assert slack.fake.calls_to("views.open") == []

    assert slack.message_shortcut(user_id=EDITOR, text="EU sanctions <!channel>").status == 200
    (opened,) = slack.fake.wait_for("views.open")
    assert opened.params["trigger_id"] == "1.2.shortcut-trigger"
    view = opened.params["view"]
    assert len(view["title"]["text"]) <= 24
    assert "<!channel>" not in json.dumps(view)


def test_opening_the_app_home_shows_usage(slack: SlackSide) -> None:
    reply = slack.event({"type": "app_home_opened", "user": REPORTER, "channel": "D0HOME", "tab": "home"})
    assert reply.status == 200
    (published,) = slack.fake.wait_for("views.publish")
    assert published.params["user_id"] == REPORTER
    assert "/sanctions NAME" in json.dumps(published.params["view"], ensure_ascii=False)


def test_slacks_url_verification_is_answered(slack: SlackSide) -> None:
    reply = slack.post(
        json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"}), content_type="application/json"
    )
    assert reply.status == 200 and b"c-123" in reply.body


@pytest.mark.parametrize("payload", ["{not json", "[]"])
def test_a_signed_payload_that_is_no_slack_payload_gets_400_and_an_error_id(slack: SlackSide, payload: str) -> None:
    reply = slack.post(urlencode({"payload": payload}))
    said = reply.body.decode()
    assert reply.status == 400 and "error id" in said and "Traceback" not in said


def test_a_forged_form_submission_with_lists_for_text_stores_nothing(slack: SlackSide) -> None:
    view = {"type": "modal", "callback_id": "add_sanctions_item", "private_metadata": "{}", "blocks": []}
    forged = {"target": ["a", "b"], "authority": {"nested": True}}
    state = {block: {"value": {"type": "plain_text_input", "value": value}} for block, value in forged.items()}
    payload = {"type": "view_submission", "team": {"id": "T0NEWS"}, "user": {"id": EDITOR},
               "api_app_id": "A0SANCTIONS", "view": {**view, "id": "V1", "state": {"values": state}}}
    reply = slack.post(urlencode({"payload": json.dumps(payload)}))
    assert reply.status == 200 and reply.json()["response_action"] == "errors"
    assert {"target", "authority"} <= set(reply.json()["errors"])
    broken = {**payload, "view": {**payload["view"], "state": "not an object"}}
    assert slack.post(urlencode({"payload": json.dumps(broken)})).json()["response_action"] == "errors"


@pytest.mark.parametrize("value", ["not json", '{"o": 3}', '["q"]', "null"])
def test_a_button_value_we_never_rendered_gets_one_sentence_not_an_apology(slack: SlackSide, value: str) -> None:
    more = {"action_id": paging.MORE, "text": {"type": "plain_text", "text": "More"}, "value": value}
    assert slack.click(more, response_name="tampered").status == 200
    (said,) = slack.fake.wait_for("response_url", where=lambda c: c.path.endswith("/tampered"))
    assert said.params["text"] == "That button does not work any more; ask again with /sanctions."
