"""Socket Mode: the same app, acking over the socket instead of an HTTP response."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fake_slack import FakeSlack
from slack_bolt.request import BoltRequest

from bot.app_factory import build_app
from bot.settings import Settings
from bot.store_handle import StoreHandle
from storage.db.store import Store


@pytest.fixture
def socket_app(sample_database: str, slack_calls: FakeSlack) -> Iterator[object]:
    settings = Settings(
        slack_bot_token="xoxb-test-token",
        slack_app_token="xapp-test-token",
        slack_api_url=slack_calls.api_url,
    )
    store = Store.open(sample_database)
    yield build_app(settings, StoreHandle.of(store))
    store.dispose()


def test_a_command_over_the_socket_is_answered_in_the_ack_without_a_signature(socket_app, slack_calls) -> None:
    payload = {
        "command": "/sanctions",
        "text": "wang junzheng",
        "user_id": "U0REPORTER",
        "channel_id": "C0NEWSDESK",
        "team_id": "T0NEWS",
        "response_url": slack_calls.response_url("socket"),
        "trigger_id": "1.2.trigger",
    }
    response = socket_app.dispatch(BoltRequest(body=payload, mode="socket_mode"))  # type: ignore[attr-defined]
    assert response.status == 200
    message = json.loads(response.body)
    assert message["response_type"] == "ephemeral"
    assert message["blocks"][0]["text"]["text"] == "Wang Junzheng"
