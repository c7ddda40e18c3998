"""A Slack message as its reader sees it, before the extractor drafts from it."""

from __future__ import annotations

import pytest

from bot.slack_text import message_text, plain_text


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        ("a banker at Smith &amp; Sons", "a banker at Smith & Sons"),
        ("_Viktor Sokolov_, a *Russian* general, ~today~", "Viktor Sokolov, a Russian general, today"),
        ("<!channel> The EU sanctioned <@U777> Mikhail Orlov <!here>", "The EU sanctioned Mikhail Orlov"),
        ("per <https://example.org/a|Reuters> and <https://example.org/b>", "per Reuters and https://example.org/b"),
        ("<@U1|maria> in <#C1|newsdesk> with <!subteam^S1|@editors>", "maria in newsdesk with editors"),
        ("snake_case_id and 5 * 3 * 2 stay", "snake_case_id and 5 * 3 * 2 stay"),
        ("a &lt;b&gt; tag", "a <b> tag"),
    ],
)
def test_markup_and_escapes_become_the_words_a_reader_sees(sent: str, read: str) -> None:
    assert plain_text(sent) == read


def test_a_feed_item_in_an_attachment_is_read_once() -> None:
    item = "The EU sanctioned Ivan Petrov."
    message = {"text": "", "attachments": [{"title": "EU acts", "text": item, "fallback": item}]}
    assert message_text(message) == f"EU acts\n{item}"
    assert message_text({"attachments": [{"fallback": item}]}) == item
