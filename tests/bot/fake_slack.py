"""A fake Slack on loopback: the Web API the app calls and the response_urls it posts to.

It records every call and answers as Slack does ({"ok": true, ...}), so tests
can assert what the app posted, where, and with which token. Errors and rate
limits can be switched on per method to see the app cope with them, or left
to chance (`chaos`), including a 500 answered after the message was posted.
Posted messages are kept per channel, with their metadata, and read back by
conversations.history as Slack does. A post can be held before it is answered
(`hold_posts`), so that a test can kill the poster between Slack's posting and
the poster's hearing of it.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Call:
    """One request the app made to Slack."""

    method: str  # a Web API method, or "response_url"
    params: dict[str, Any]
    headers: dict[str, str]
    path: str


@dataclass
class FakeSlack:
    server: ThreadingHTTPServer
    calls: list[Call] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # method -> Slack error code
    rate_limited: dict[str, int] = field(default_factory=dict)  # method -> 429s still to give
    # method -> (chance of a 429, of a 500, of a 500 answered after posting all the same)
    chaos: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    channel_errors: dict[str, str] = field(default_factory=dict)  # channel -> chat.postMessage error
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # channel -> messages, oldest first
    hold_posts: int = 0  # posts still to hold (recorded, then not answered until released)
    held: list[dict[str, Any]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    random: random.Random = field(default_factory=lambda: random.Random(4))
    last_ts: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/response/{name}"

    def reset(self) -> None:
        with self.lock:
            self.calls.clear()
            self.errors.clear()
            self.rate_limited.clear()
            self.chaos.clear()
            self.channel_errors.clear()
            self.history.clear()
            self.hold_posts = 0
            self.held.clear()
            self.release.set()
            self.release = threading.Event()

    def messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Messages really posted (in channel), oldest first."""
        with self.lock:
            if channel is not None:
                return list(self.history.get(channel, []))
            return sorted((m for ms in self.history.values() for m in ms), key=lambda m: float(m["ts"]))

    def _next_ts(self) -> str:
        self.last_ts = max(time.time(), self.last_ts + 0.000001)
        return f"{self.last_ts:.6f}"

    def _record_post(self, params: dict[str, Any]) -> dict[str, Any]:
        message = {
            "type": "message",
            "ts": self._next_ts(),
            "channel": params.get("channel"),
            "text": params.get("text"),
            "blocks": params.get("blocks"),
            "bot_id": "B0BOT",
            "metadata": _json_param(params.get("metadata")),
        }
        self.history.setdefault(str(params.get("channel")), []).append(message)
        return message

    def calls_to(self, method: str) -> list[Call]:
        with self.lock:
            return [call for call in self.calls if call.method == method]

    def wait_for(
        self, method: str, count: int = 1, timeout: float = 5.0, where: Callable[[Call], bool] | None = None
    ) -> list[Call]:
        """Calls to `method` (matching `where`) once there are `count` of them."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls_to(method) if where is None or where(c)]
            if len(found) >= count or time.monotonic() > deadline:
                assert len(found) >= count, f"expected {count} call(s) to {method}, saw {self.calls}"
                return found
            time.sleep(0.02)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_fake_slack() -> FakeSlack:
    fake: FakeSlack

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - slack_sdk reads history and permalinks with GET
            self._handle(dict(parse_qsl(urlsplit(self.path).query)))

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8")
            if "json" in (self.headers.get("Content-Type") or ""):
                params = json.loads(raw or "{}")
            else:
                params = dict(parse_qsl(raw))
            self._handle(params)

        def _handle(self, params: dict[str, Any]) -> None:
            if self.path.startswith("/response/"):
                method = "response_url"
            elif self.path.startswith("/api/"):
                method = self.path.removeprefix("/api/").split("?")[0]
            else:
                self._send(404, {"ok": False, "error": "unknown_method"})
                return
            hold = None
            with fake.lock:
                fake.calls.append(Call(method, params, dict(self.headers.items()), self.path))
                limited = fake.rate_limited.get(method, 0)
                if limited:
                    fake.rate_limited[method] = limited - 1
                error = fake.errors.get(method)
                if method == "chat.postMessage" and not error:
                    error = fake.channel_errors.get(str(params.get("channel")))
                p429, p500, p500_posted = fake.chaos.get(method, (0.0, 0.0, 0.0))
                roll = fake.random.random()
                chaos = "429" if roll < p429 else "500" if roll < p429 + p500 else (
                    "500-posted" if roll < p429 + p500 + p500_posted else None)
                posted = None
                if method == "chat.postMessage" and not (limited or error) and chaos in (None, "500-posted"):
                    posted = fake._record_post(params)
                    if fake.hold_posts:
                        fake.hold_posts -= 1
                        fake.held.append(posted)
                        hold = fake.release
                answer = _answer(method, params, fake) if not (limited or error or chaos) else None
            if hold is not None:
                hold.wait(30)
            if limited or chaos == "429":
                self._send(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
            elif method == "response_url":
                self._send_text(200, "ok")
            elif error:
                self._send(200, {"ok": False, "error": error})
            elif chaos:
                self._send(500, {"ok": False, "error": "internal_error"})
            elif posted is not None:
                self._send(200, {"ok": True, "channel": posted["channel"], "ts": posted["ts"], "message": posted})
            else:
                self._send(200, answer or {"ok": True})

        def _send(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _send_text(self, status: int, text: str) -> None:
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake = FakeSlack(server)
    threading.Thread(target=server.serve_forever, name="fake-slack", daemon=True).start()
    return fake


def _json_param(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _history(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    """conversations.history: newest first, after `oldest`, paged by cursor; metadata only when asked."""
    messages = [m for m in fake.history.get(str(params.get("channel")), [])
                if float(m["ts"]) > float(params.get("oldest") or 0)]
    messages.reverse()
    start = int(params.get("cursor") or 0)
    limit = int(params.get("limit") or 100)
    page = messages[start:start + limit]
    with_metadata = str(params.get("include_all_metadata")).lower() in ("1", "true")
    shown = [{k: v for k, v in m.items() if k != "metadata" or with_metadata} for m in page]
    more = start + limit < len(messages)
    return {"ok": True, "messages": shown, "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""}}


def _answer(method: str, params: dict[str, Any], fake: FakeSlack) -> dict[str, Any]:
    """What Slack answers on success, as far as the app reads it."""
    if method == "conversations.history":
        return _history(fake, params)
    if method == "chat.getPermalink":
        ts = str(params.get("message_ts") or "").replace(".", "")
        return {"ok": True, "channel": params.get("channel"),
                "permalink": f"https://newsroom.slack.com/archives/{params.get('channel')}/p{ts}"}
    if method == "auth.test":
        return {
            "ok": True,
            "url": "https://newsroom.slack.com/",
            "team": "Newsroom",
            "user": "sanctions_desk",
            "team_id": "T0NEWS",
            "user_id": "U0BOT",
            "bot_id": "B0BOT",
        }
    if method == "chat.postMessage":
        return {
            "ok": True,
            "channel": params.get("channel"),
            "ts": f"{time.time():.6f}",
            "message": {"type": "message", "text": params.get("text"), "bot_id": "B0BOT"},
        }
    if method in ("views.open", "views.publish", "views.update"):
        view = _json_param(params.get("view")) or {}
        return {"ok": True, "view": {"id": params.get("view_id") or "V0VIEW", "hash": "h-1", **view}}
    return {"ok": True}
