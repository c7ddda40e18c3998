"""Slack's side of the conversation: signed requests, and the app run as an operator runs it."""

from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fake_slack import FakeSlack
from slack_sdk.signature import SignatureVerifier

REPO = Path(__file__).resolve().parents[2]
SIGNING_SECRET = "test-signing-secret-8f14e45fceea167a"
BOT_TOKEN = "xoxb-test-token"
EDITOR = "U0EDITOR"
REPORTER = "U0REPORTER"
CHANNEL = "C0NEWSDESK"
STORE_DOWN_URL = "postgresql+psycopg://postgres@127.0.0.1:1/none"
_MESSAGE_NUMBERS = itertools.count(100)

# An article written to break things: a ping in its title and quote, an ampersand,
# and a bare weekday that must resolve backwards (Tuesday 27 Feb 2024 -> Monday 26th).
HOSTILE_TEXT = (
    "WASHINGTON - The Treasury Department on Monday sanctioned Zhao Pingfang <!channel>, "
    "head of the Example Bureau, over abuses & threats against reporters."
)


def _span(entity_id: str, label: str, phrase: str) -> dict[str, Any]:
    start = HOSTILE_TEXT.index(phrase)
    return {"id": entity_id, "label": label, "start": start, "end": start + len(phrase), "text": phrase}


HOSTILE_ARTICLE = {
    "id": "test-hostile-article",
    "source": "Wire <!channel> & Co",
    "url": "https://example.org/wire/hostile?a=1&b=2",
    "title": "Treasury sanctions <!here> official",
    "published": "February 27, 2024",
    "text": HOSTILE_TEXT,
    "entities": [
        _span("A", "AUTHORITY", "Treasury Department"),
        _span("D", "DATE", "Monday"),
        _span("P", "PERSON", "Zhao Pingfang"),
        _span("R", "ROLE", "head of the Example Bureau"),
        _span("W", "REASON", "abuses & threats against reporters"),
    ],
    "sanctions": [{"target": "P", "authority": "A", "date": "D", "role": "R", "reason": "W"}],
}


@dataclass
class Reply:
    status: int
    body: bytes
    seconds: float

    def json(self) -> dict[str, Any]:
        return json.loads(self.body)


class SlackSide:
    """Sends what Slack sends: signed slash commands, button clicks, events."""

    def __init__(self, base_url: str, fake: FakeSlack) -> None:
        self.base_url = base_url
        self.fake = fake
        self.verifier = SignatureVerifier(SIGNING_SECRET)

    def post(
        self,
        body: str,
        *,
        content_type: str = "application/x-www-form-urlencoded",
        timestamp: int | None = None,
        signature: str | None = None,
        path: str = "/slack/events",
    ) -> Reply:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature or self.verifier.generate_signature(timestamp=stamp, body=body),
        }
        return self.send("POST", path, body.encode(), headers)

    def send(self, method: str, path: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> Reply:
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers or {}, method=method)
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Reply(response.status, response.read(), time.monotonic() - started)
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read(), time.monotonic() - started)

    def command(self, text: str, *, user_id: str = REPORTER, channel_id: str = CHANNEL) -> Reply:
        return self.post(urlencode(self.command_form(text, user_id=user_id, channel_id=channel_id)))

    def command_form(self, text: str, *, user_id: str = REPORTER, channel_id: str = CHANNEL) -> dict[str, str]:
        return {
            "token": "legacy-verification-token",
            "team_id": "T0NEWS",
            "team_domain": "newsroom",
            "channel_id": channel_id,
            "channel_name": "newsdesk",
            "user_id": user_id,
            "user_name": "reporter",
            "command": "/sanctions",
            "text": text,
            "api_app_id": "A0SANCTIONS",
            "is_enterprise_install": "false",
            "response_url": self.fake.response_url("command"),
            "trigger_id": "1.2.trigger",
        }

    def click(
        self,
        button: dict[str, Any],
        *,
        user_id: str = REPORTER,
        channel_id: str = CHANNEL,
        message: dict[str, Any] | None = None,
        response_name: str = "click",
        message_ts: str | None = None,
    ) -> Reply:
        """A click on a button of a message (ephemeral unless `message` is given).

        Each message Slack shows has a ts of its own: clicks without `message_ts`
        are on different messages, clicks given the same one on the same message.
        """
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user_id, "username": "reporter", "team_id": "T0NEWS"},
            "api_app_id": "A0SANCTIONS",
            "token": "legacy-verification-token",
            "container": {
                "type": "message",
                "message_ts": message_ts or f"1700000000.{next(_MESSAGE_NUMBERS):06d}",
                "channel_id": channel_id,
                "is_ephemeral": message is None,
            },
            "trigger_id": "1.2.trigger",
            "team": {"id": "T0NEWS", "domain": "newsroom"},
            "channel": {"id": channel_id, "name": "newsdesk"},
            "response_url": self.fake.response_url(response_name),
            "actions": [
                {
                    "action_id": button["action_id"],
                    "block_id": "sanctions_controls",
                    "text": button["text"],
                    "value": button["value"],
                    "type": "button",
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        if message is not None:
            payload["message"] = message
        return self.post(urlencode({"payload": json.dumps(payload)}))

    def message_shortcut(self, *, user_id: str, text: str, ts: str = "1700000000.000200") -> Reply:
        payload = {
            "type": "message_action",
            "callback_id": "add_sanctions_item",
            "trigger_id": "1.2.shortcut-trigger",
            "user": {"id": user_id, "name": "someone"},
            "team": {"id": "T0NEWS", "domain": "newsroom"},
            "channel": {"id": CHANNEL, "name": "newsdesk"},
            "message": {"type": "message", "user": "U0OTHER", "ts": ts, "text": text},
            "message_ts": ts,
            "response_url": self.fake.response_url("shortcut"),
            "token": "legacy-verification-token",
        }
        return self.post(urlencode({"payload": json.dumps(payload)}))

    def submit_view(self, view: dict[str, Any], values: dict[str, Any], *, user_id: str) -> Reply:
        """A view_submission of `view` (as the app opened it) with the inputs set to `values`."""
        state: dict[str, Any] = {}
        for block_id, value in values.items():
            if block_id in ("kind", "action"):
                state[block_id] = {"value": {"type": "radio_buttons", "selected_option": {"value": value}}}
            elif block_id == "source_url":
                state[block_id] = {"value": {"type": "url_text_input", "value": value}}
            else:
                state[block_id] = {"value": {"type": "plain_text_input", "value": value}}
        payload = {
            "type": "view_submission",
            "team": {"id": "T0NEWS", "domain": "newsroom"},
            "user": {"id": user_id, "username": "someone", "team_id": "T0NEWS"},
            "api_app_id": "A0SANCTIONS",
            "token": "legacy-verification-token",
            "trigger_id": "1.2.submit-trigger",
            "view": {**view, "id": "V0VIEW", "team_id": "T0NEWS", "state": {"values": state}},
            "response_urls": [],
        }
        return self.post(urlencode({"payload": json.dumps(payload)}))

    def event(self, event: dict[str, Any]) -> Reply:
        body = {
            "token": "legacy-verification-token",
            "team_id": "T0NEWS",
            "api_app_id": "A0SANCTIONS",
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{int(time.time() * 1000)}",
            "event_time": int(time.time()),
        }
        return self.post(json.dumps(body), content_type="application/json")


@dataclass
class RunningApp:
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_app(workdir: Path, env: dict[str, str], name: str) -> RunningApp:
    """`python app.py`, as an operator would start it, waiting until it answers."""
    port = _free_port()
    log_path = workdir / f"{name}.log"
    full_env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        "PORT": str(port),
        "LOG_LEVEL": "INFO",
        "WEB_CONCURRENCY": "2",
        **env,
    }
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, str(REPO / "app.py")], cwd=workdir, env=full_env, stdout=log_file, stderr=log_file
        )
    app = RunningApp(process, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited ({process.returncode}):\n{app.log()}")
        try:
            with urllib.request.urlopen(app.base_url + "/healthz", timeout=2):
                return app
        except urllib.error.HTTPError:
            return app  # answering, if unhappy (the store-down app says 503)
        except OSError:
            time.sleep(0.1)
    stop_app(app)
    raise RuntimeError(f"the app did not answer within 30 s:\n{app.log()}")


def stop_app(app: RunningApp) -> None:
    app.process.terminate()
    try:
        app.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        app.process.kill()
        app.process.wait()
