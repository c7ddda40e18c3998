"""manifest.yml is installable: valid for Slack's schema and wired to what the code listens for."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bot.listeners.shortcuts.add_item import ADD_ITEM_CALLBACK

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("SANCTIONS_SHARED_DIR", REPO.parent / "shared"))
SCHEMA = SHARED / "slack" / "manifest.schema.1.0.0.json"


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return yaml.safe_load((REPO / "manifest.yml").read_text(encoding="utf-8"))


def test_the_manifest_is_valid_for_slacks_schema(manifest: dict[str, Any]) -> None:
    if not SCHEMA.exists():
        pytest.fail(f"Slack's manifest schema is missing: {SCHEMA} (set SANCTIONS_SHARED_DIR)")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(manifest, schema, format_checker=jsonschema.FormatChecker())


def test_the_command_and_shortcut_are_the_ones_the_code_handles(manifest: dict[str, Any]) -> None:
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/sanctions" and command["usage_hint"] and command["description"]
    (shortcut,) = manifest["features"]["shortcuts"]
    assert shortcut == {**shortcut, "name": "Add sanctions item", "type": "message", "callback_id": ADD_ITEM_CALLBACK}
    assert len(shortcut["name"]) <= 24


def test_it_asks_for_the_least_scopes(manifest: dict[str, Any]) -> None:
    # history: the exactly-once check of a post that may already be in its channel.
    assert manifest["oauth_config"]["scopes"] == {
        "bot": ["commands", "chat:write", "channels:history", "groups:history"]
    }
    assert "user" not in manifest["oauth_config"]["scopes"]


def test_every_request_url_is_our_one_endpoint(manifest: dict[str, Any]) -> None:
    settings = manifest["settings"]
    urls = [
        manifest["features"]["slash_commands"][0]["url"],
        settings["interactivity"]["request_url"],
        settings["event_subscriptions"]["request_url"],
    ]
    assert all(url.endswith("/slack/events") for url in urls)
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["event_subscriptions"]["bot_events"] == ["app_home_opened"]
