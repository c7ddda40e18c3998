"""Shared cards, long cards and a known person never sanctioned, as the channel sees them.

Each test is what a journalist (or a colleague in the channel) would see:
the card the bot posts when someone clicks Share, what a click on a shared
card does, and the words of the nothing-found answer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from block_rules import MAX_CARD_CHARS, assert_pings_nobody, assert_slack_accepts, block_chars, buttons
from channel_side import slack_env
from fake_slack import FakeSlack
from slack_side import CHANNEL, REPORTER, RunningApp, SlackSide, start_app, stop_app

from bot.blocks import cards, paging
from bot.render_text import render_text
from storage.answers.model import ActionFact, Answer, Source, TargetMatch
from storage.answers.queries import answer as answer_question
from storage.answers.questions import parse_question
from storage.db.store import Store
from storage.ingest.writer import ingest_paths
from tests.builders import article, span, write_json

COLLEAGUE = "U0COLLEAGUE"


def shown(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


def button(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    return next(b for b in buttons(message["blocks"]) if b["action_id"].startswith(action_id))


def interactive(blocks_: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every element a click could reach: buttons, and anything else Slack lets one press or pick."""
    found = [e for b in blocks_ for e in b.get("elements", []) if "action_id" in e]
    found += [b["accessory"] for b in blocks_ if "action_id" in b.get("accessory", {})]
    return found


def share(slack: SlackSide, card: dict[str, Any], name: str, *, handed_back: bool) -> dict[str, Any]:
    """Click Share on `card`; the message posted in the channel.

    `handed_back`: Slack sends the clicked message's blocks with the click (as
    it does for ordinary messages); otherwise only the button's value.
    """
    message = {"type": "message", "text": card["text"], "blocks": card["blocks"]} if handed_back else None
    assert slack.click(button(card, paging.SHARE), message=message, response_name=name).status == 200
    (post,) = slack.fake.wait_for("chat.postMessage")
    return post.params


def private_card(answer: Answer) -> dict[str, Any]:
    card = cards.render_answer(answer)
    return {"text": card.text, "blocks": card.blocks}


def _fact(target: str) -> ActionFact:
    source = Source("Article", "Desk Wire", "https://example.org/a", "2021-03-23", "The EU sanctioned them.")
    return ActionFact(target, "imposed", "Council of the European Union", "EU", "2021-03-22", "day", None,
                      "abuses", None, None, [source])


def _match(name: str) -> TargetMatch:
    return TargetMatch(name, "person", 1.0, [], [], [_fact(name)])


# Every kind of card a journalist can share, as Slack holds it: the buttons each carries.
CARDS: dict[str, Any] = {
    "several matches (Show)": lambda slack: slack.command("chen").json(),
    "nothing found (close names)": lambda slack: slack.command("wang mingzheng").json(),
    "a list (More)": lambda slack: slack.command("by eu").json(),
    "a person (did you mean)": lambda slack: private_card(
        Answer("wang jun", "name", "Wang Jun", [_match("Wang Jun"), _match("Wang Junzheng")],
               _match("Wang Jun").actions, description="Wang Jun")
    ),
}


# --- 1. a shared card carries no button that changes it ---------------------------------


@pytest.mark.parametrize("handed_back", [False, True], ids=["re-asked", "handed back"])
@pytest.mark.parametrize("kind", list(CARDS))
def test_a_shared_card_carries_no_button_whatever_its_kind(slack: SlackSide, kind: str, handed_back: bool) -> None:
    card = CARDS[kind](slack)
    assert len(interactive(card["blocks"])) > 1, "the private card has buttons besides Share"
    posted = share(slack, card, "share", handed_back=handed_back)
    assert_slack_accepts(posted["text"], posted["blocks"])
    assert_pings_nobody(posted["text"], posted["blocks"])
    assert interactive(posted["blocks"]) == [], kind
    assert f"Shared by <@{REPORTER}>" in shown(posted)


def test_the_shared_list_of_several_people_still_names_each_of_them(slack: SlackSide) -> None:
    posted = share(slack, slack.command("chen").json(), "share-chen", handed_back=True)
    assert "Chen Mingguo" in shown(posted) and "Chen Quanguo" in shown(posted)


@pytest.mark.parametrize("action_id", [paging.PICK, paging.MORE])
def test_a_colleagues_click_on_a_public_card_answers_them_privately_and_leaves_the_card(
    slack: SlackSide, action_id: str
) -> None:
    # A card shared before this fix, still in the channel with its buttons.
    card = slack.command("chen" if action_id == paging.PICK else "by eu").json()
    public = {"type": "message", "text": card["text"], "blocks": card["blocks"], "ts": "1700000002.000001"}
    reply = slack.click(button(card, action_id), user_id=COLLEAGUE, message=public, response_name="colleague")
    assert reply.status == 200
    (said,) = slack.fake.wait_for("response_url", where=lambda c: c.path.endswith("/colleague"))
    assert said.params["response_type"] == "ephemeral"
    assert said.params["replace_original"] is False
    assert not said.params.get("delete_original")
    assert slack.fake.calls_to("chat.postMessage") == [] and slack.fake.calls_to("chat.update") == []


def test_show_on_the_journalists_private_card_still_replaces_it(slack: SlackSide) -> None:
    card = slack.command("chen").json()
    slack.click(button(card, paging.PICK), response_name="own-pick")
    (said,) = slack.fake.wait_for("response_url", where=lambda c: c.path.endswith("/own-pick"))
    assert said.params["replace_original"] is True and said.params["response_type"] == "ephemeral"


def test_sharing_a_shared_card_again_names_the_new_sharer_once(slack: SlackSide) -> None:
    first = share(slack, slack.command("wang junzheng").json(), "share-once", handed_back=False)
    slack.fake.reset()
    public = {"type": "message", "text": first["text"], "blocks": first["blocks"]}
    again = paging.share_copy(public["blocks"], public["text"], COLLEAGUE)
    assert shown({"b": again.blocks}).count("Shared by") == 1
    assert f"<@{COLLEAGUE}>" in again.text and f"<@{REPORTER}>" not in again.text


# --- 2. the plain-text fallback says who shared it --------------------------------------


@pytest.mark.parametrize("handed_back", [False, True], ids=["re-asked", "handed back"])
def test_the_shared_messages_fallback_text_says_who_shared_it(slack: SlackSide, handed_back: bool) -> None:
    posted = share(slack, slack.command("wang junzheng").json(), "share-text", handed_back=handed_back)
    assert posted["text"].startswith(f"Shared by <@{REPORTER}>")
    assert "Wang Junzheng" in posted["text"]


def test_the_fallback_through_the_response_url_says_who_shared_it_too(slack: SlackSide) -> None:
    slack.fake.errors["chat.postMessage"] = "not_in_channel"
    card = slack.command("wang junzheng").json()
    slack.click(button(card, paging.SHARE), response_name="share-url")
    posted = slack.fake.wait_for("response_url", 2, where=lambda c: c.path.endswith("/share-url"))
    in_channel = next(c.params for c in posted if c.params.get("response_type") == "in_channel")
    assert in_channel["text"].startswith(f"Shared by <@{REPORTER}>")


# --- 3. no card holds more block text than Slack's chat.postMessage takes -----------------

LONG_REASON = "the systematic persecution of journalists " * 14  # about 600 characters: clipped to 500
LONG_OUTLET = "The Very Long Name of an Investigative Outlet " * 5  # clipped to 140
LONG_PROGRAMME = "the European Union Global Human Rights Sanctions Regime " * 4  # clipped to 140


def long_case_article(number: int) -> dict[str, Any]:
    """One of 300 articles, each on a day of its own, quoting a long sentence about Ivan Longcase."""
    day = date(2020, 1, 1) + timedelta(days=number)
    when = f"{day.day} {day:%B %Y}"
    text = (f"The Council of the European Union on {when} sanctioned Ivan Longcase over {LONG_REASON.strip()}, "
            f"under {LONG_PROGRAMME.strip()}, said officials who asked that the &lt;!channel&gt; <!here> details "
            f"be kept {'quiet ' * 40}today.")
    entities = [span(text, "A", "AUTHORITY", "Council of the European Union"), span(text, "D", "DATE", when),
                span(text, "P", "PERSON", "Ivan Longcase"), span(text, "R", "REASON", LONG_REASON.strip()),
                span(text, "G", "PROGRAM", LONG_PROGRAMME.strip())]
    event = {"target": "P", "authority": "A", "date": "D", "reason": "R", "program": "G"}
    return article(text, day.isoformat(), entities, [event], f"longcase-{number:03d}", source=LONG_OUTLET.strip(),
                   url=f"https://example.org/longcase/{number}?a=1&b=2", title=f"Longcase {number} " + "x" * 300)


@pytest.fixture(scope="module")
def long_case_app(tmp_path_factory: pytest.TempPathFactory, fake_slack: FakeSlack) -> Iterator[RunningApp]:
    folder = tmp_path_factory.mktemp("longcase")
    for number in range(300):
        write_json(folder / "articles" / f"{number:03d}.json", long_case_article(number))
    url = f"sqlite:///{folder / 'sanctions.db'}"
    store = Store.open(url)
    report = ingest_paths(store, [folder / "articles"])
    store.dispose()
    assert report.rejected == 0, report.rejections
    app = start_app(folder, {**slack_env(fake_slack, url), "WEB_CONCURRENCY": "1"}, "longcase")
    yield app
    stop_app(app)


@pytest.fixture
def long_case(long_case_app: RunningApp, slack_calls: FakeSlack) -> SlackSide:
    return SlackSide(long_case_app.base_url, slack_calls)


def test_a_card_of_300_long_actions_stays_within_what_chat_post_message_takes(long_case: SlackSide) -> None:
    card = long_case.command("ivan longcase").json()
    assert card["blocks"][0]["text"]["text"] == "Ivan Longcase"
    assert_slack_accepts(card["text"], card["blocks"])  # includes MAX_CARD_CHARS
    assert_pings_nobody(card["text"], card["blocks"])
    assert "Answer shortened to fit in Slack" in shown(card)
    assert "https://example.org/longcase/299?a=1&amp;b=2" in shown(card)  # newest first, link whole
    posted = share(long_case, card, "share-long", handed_back=False)
    assert block_chars(posted["blocks"]) <= MAX_CARD_CHARS
    assert_slack_accepts(posted["text"], posted["blocks"])


def test_every_action_of_a_long_case_is_reached_by_more_none_skipped(long_case: SlackSide) -> None:
    """Fewer actions a page when they are long: More goes on from the first one not shown."""
    seen: list[str] = []
    card = long_case.command("ivan longcase").json()
    for page in range(200):
        assert block_chars(card["blocks"]) <= MAX_CARD_CHARS
        seen += [b["text"]["text"].split("longcase/")[1].split("?")[0]
                 for b in card["blocks"] if b["type"] == "section" and "longcase/" in b["text"]["text"]]
        if not any(b["action_id"] == paging.MORE for b in buttons(card["blocks"])):
            break
        name = f"more-{page}"
        long_case.click(button(card, paging.MORE), response_name=name)
        (posted,) = long_case.fake.wait_for("response_url", where=lambda c, n=name: c.path.endswith(f"/{n}"))
        card = posted.params
    assert seen == [str(n) for n in range(299, -1, -1)]


def test_a_shared_card_handed_back_with_a_long_note_still_fits(slack: SlackSide) -> None:
    """Slack hands back what it showed; the "Shared by" line must not tip it over."""
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "é" * 2990, "verbatim": True}}
    handed = [{"type": "header", "text": {"type": "plain_text", "text": "Someone"}}, *[section] * 4]
    copy = paging.share_copy(handed, "Someone", REPORTER)
    assert block_chars(copy.blocks) <= MAX_CARD_CHARS
    assert "Answer shortened to fit in Slack" in shown({"b": copy.blocks})
    assert copy.blocks[0]["elements"][0]["text"].startswith(f"Shared by <@{REPORTER}>")


# --- 4. a known person never sanctioned is no spelling mistake ----------------------------

NOT_SANCTIONED = "No sanctions are recorded for anyone of that name"


def test_a_person_in_the_articles_but_never_sanctioned_is_not_called_a_misspelling(slack: SlackSide) -> None:
    answer = slack.command("navalny").json()
    assert answer["text"].startswith("Nothing found for “navalny”")
    assert NOT_SANCTIONED in answer["text"] and "/sanctions recent" in answer["text"]
    assert "No one of that name is in the store" not in shown(answer)
    assert_slack_accepts(answer["text"], answer["blocks"])


def test_the_terminal_says_the_same_for_a_person_never_sanctioned(sample_database: str) -> None:
    store = Store.open(sample_database)
    try:
        said = render_text(answer_question(store, parse_question("navalny", date(2024, 6, 1))))
    finally:
        store.dispose()
    assert said.startswith("Nothing found for 'navalny'") and NOT_SANCTIONED.lower() in said.lower()
    assert "nobody of that name is in the store" not in said


def test_nothing_found_in_a_shared_card_says_the_same(slack: SlackSide) -> None:
    posted = share(slack, slack.command("navalny").json(), "share-nothing", handed_back=False)
    assert NOT_SANCTIONED in shown(posted) and posted["text"].startswith(f"Shared by <@{REPORTER}>")
    assert posted["channel"] == CHANNEL

