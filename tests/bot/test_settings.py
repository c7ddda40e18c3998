"""Configuration as DESIGN.md §2 lists it: environment first, then .env."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError


def test_defaults_serve_http_on_3000_with_slacks_api() -> None:
    settings = Settings.from_env({}, dotenv_path=None)
    assert settings.port == 3000 and not settings.socket_mode
    assert settings.api_base_url == "https://slack.com/api/"
    assert settings.database_url is None and settings.editors == frozenset()
    assert settings.log_level == "INFO"


def test_every_variable_is_read() -> None:
    settings = Settings.from_env(
        {
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_SIGNING_SECRET": "s",
            "SLACK_APP_TOKEN": "xapp-1",
            "SLACK_API_URL": "http://127.0.0.1:9/api",
            "DATABASE_URL": "sqlite:///x.db",
            "PORT": "8080",
            "SANCTIONS_EDITORS": "U1, U2 U3",
            "LOG_LEVEL": "debug",
        },
        dotenv_path=None,
    )
    assert settings.socket_mode and settings.port == 8080
    assert settings.api_base_url == "http://127.0.0.1:9/api/"  # slack_sdk joins onto a trailing slash
    assert settings.editors == {"U1", "U2", "U3"} and settings.is_editor("U2") and not settings.is_editor(None)
    assert settings.log_level == "DEBUG" and settings.problems() == []


def test_a_dotenv_file_fills_only_what_the_environment_leaves_unset(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("SLACK_BOT_TOKEN=xoxb-from-file\nPORT=4000\n", encoding="utf-8")
    settings = Settings.from_env({"PORT": "5000"}, dotenv_path=dotenv)
    assert settings.slack_bot_token == "xoxb-from-file" and settings.port == 5000


def test_missing_secrets_are_named_before_serving() -> None:
    assert len(Settings.from_env({}, dotenv_path=None).problems()) == 2
    socket = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-wrong"}, dotenv_path=None)
    assert any("xapp-" in problem for problem in socket.problems())


def test_a_port_that_is_not_a_number_is_refused_in_words() -> None:
    with pytest.raises(SettingsError, match="PORT"):
        Settings.from_env({"PORT": "http"}, dotenv_path=None)
