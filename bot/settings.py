"""Configuration from the environment (DESIGN.md §2), with an optional .env file.

Read once at start-up into a frozen object, so that listeners never consult
os.environ and tests can build settings without touching the process.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

from storage.db.store import BadDatabaseUrl, usable_database_url

DEFAULT_PORT = 3000
SLACK_DEFAULT_API_URL = "https://slack.com/api/"


class SettingsError(ValueError):
    """A setting that cannot work; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None  # set: Socket Mode; unset: HTTP
    slack_api_url: str | None = None
    database_url: str | None = None  # None: the store's own default
    port: int = DEFAULT_PORT
    editors: frozenset[str] = field(default_factory=frozenset)
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, dotenv_path: Path | str | None = ".env") -> Settings:
        """Settings from the environment; a .env file fills only what is unset."""
        values: dict[str, str] = {}
        if dotenv_path is not None and Path(dotenv_path).is_file():
            values.update({k: v for k, v in dotenv_values(dotenv_path).items() if v is not None})
        values.update(os.environ if environ is None else environ)

        def get(name: str) -> str | None:
            value = values.get(name, "").strip()
            return value or None

        port_text = get("PORT") or str(DEFAULT_PORT)
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise SettingsError(f"PORT must be a TCP port number, not {port_text!r}")
        return cls(
            slack_bot_token=get("SLACK_BOT_TOKEN"),
            slack_signing_secret=get("SLACK_SIGNING_SECRET"),
            slack_app_token=get("SLACK_APP_TOKEN"),
            slack_api_url=get("SLACK_API_URL"),
            database_url=get("DATABASE_URL"),
            port=int(port_text),
            editors=frozenset(re.split(r"[\s,]+", get("SANCTIONS_EDITORS") or "")) - {""},
            log_level=(get("LOG_LEVEL") or "INFO").upper(),
        )

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    @property
    def api_base_url(self) -> str:
        """The Web API base URL, with the trailing slash slack_sdk joins onto."""
        url = self.slack_api_url or SLACK_DEFAULT_API_URL
        return url if url.endswith("/") else url + "/"

    def problems(self) -> list[str]:
        """What is missing to serve, one sentence each (empty when ready)."""
        found = []
        if not self.slack_bot_token:
            found.append("SLACK_BOT_TOKEN is not set (the bot token, xoxb-…).")
        if self.socket_mode:
            if not self.slack_app_token or not self.slack_app_token.startswith("xapp-"):
                found.append("SLACK_APP_TOKEN must be an app-level token (xapp-…) with connections:write.")
        elif not self.slack_signing_secret:
            found.append("SLACK_SIGNING_SECRET is not set; HTTP mode verifies every request with it.")
        if self.database_url:
            try:
                usable_database_url(self.database_url)
            except BadDatabaseUrl as error:
                found.append(str(error))
        return found

    def is_editor(self, user_id: str | None) -> bool:
        return user_id is not None and user_id in self.editors
