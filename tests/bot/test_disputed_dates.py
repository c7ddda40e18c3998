"""A disputed date, as a journalist sees it in Slack: the warning above the actions, also when shared.

The real app over signed HTTP, its store holding the bundled samples and
the seed story (a 2024 rewrite of the 22 March 2021 designations that says
"on Monday").
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from block_rules import assert_pings_nobody, assert_slack_accepts
from channel_side import slack_env
from fake_slack import FakeSlack
from slack_side import RunningApp, SlackSide, start_app, stop_app

from bot.blocks.paging import SHARE
from storage.db.store import Store
from storage.ingest.writer import ingest_paths
from storage.samples import SAMPLES_DIR
from tests.builders import seed_article, write_json

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_224d316cee3faa82.txt"
SEED_ANNOTATIONS = Path(__file__).resolve().parents[1] / "fixtures" / "seed_annotations.json"
WARNING = "Sources disagree on the date of one US imposition: 22 March 2021 (1 report) or 26 February 2024"

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="the seed story lives in ../shared/seeds/")


@pytest.fixture(scope="module")
def seeded_app(tmp_path_factory: pytest.TempPathFactory, fake_slack: FakeSlack) -> Iterator[RunningApp]:
    folder = tmp_path_factory.mktemp("seeded")
    seed = write_json(folder / "seed" / "seed.json",
                      seed_article(SEED.read_text(encoding="utf-8"), SEED_ANNOTATIONS))
    url = f"sqlite:///{folder / 'sanctions.db'}"
    store = Store.open(url)
    report = ingest_paths(store, [SAMPLES_DIR, seed.parent])
    store.dispose()
    assert report.rejected == 0, report.rejections
    app = start_app(folder, {**slack_env(fake_slack, url), "WEB_CONCURRENCY": "1"}, "seeded")
    yield app
    stop_app(app)


@pytest.fixture
def desk(seeded_app: RunningApp, slack_calls: FakeSlack) -> SlackSide:
    return SlackSide(seeded_app.base_url, slack_calls)


def _sections(message: dict) -> list[str]:
    return [block["text"]["text"] for block in message["blocks"] if block["type"] == "section"]


def test_the_card_warns_above_both_us_actions_that_they_are_likely_one(desk: SlackSide) -> None:
    reply = desk.command("wang junzheng")
    assert reply.status == 200
    card = reply.json()
    assert_slack_accepts(card["text"], card["blocks"])
    assert_pings_nobody(card["text"], card["blocks"])
    sections = _sections(card)
    warning = next(i for i, text in enumerate(sections) if WARNING in text)
    us_actions = [i for i, text in enumerate(sections) if "Department of the Treasury" in text]
    assert len(us_actions) == 2 and warning < min(us_actions)  # both reports stay, under the warning
    assert "'on Monday' in a story published 27 February 2024" in sections[warning]
    assert all("Sources disagree on this date" in sections[i] for i in us_actions)
    assert WARNING in card["text"]  # the notification says it too


@pytest.mark.parametrize("handed_back", [False, True])
def test_the_shared_copy_keeps_the_warning(desk: SlackSide, handed_back: bool) -> None:
    """Shared from the button's question, or from the card Slack hands back with the click."""
    card = desk.command("wang junzheng").json()
    share = next(element for block in card["blocks"] if block["type"] == "actions"
                 for element in block["elements"] if element["action_id"] == SHARE)
    message = {"type": "message", "text": card["text"], "blocks": card["blocks"]} if handed_back else None
    assert desk.click(share, message=message, response_name="share-disputed").status == 200
    (post,) = desk.fake.wait_for("chat.postMessage")
    assert any(WARNING in text for text in _sections(post.params))


def test_a_colleague_of_the_same_round_is_warned_and_one_of_another_round_is_not(desk: SlackSide) -> None:
    assert any(WARNING in text for text in _sections(desk.command("chen mingguo").json()))
    assert not any("Sources disagree" in text for text in _sections(desk.command("zhu hailun").json()))
