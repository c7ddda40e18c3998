"""A fake Slack on loopback: the Web API the app calls and the response_urls it posts to.

It records every call and answers as Slack does ({"ok": true, ...}), so tests
can assert what the app posted, where, and with which token. Errors and rate
limits can be switched on per method to see the app cope with them.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


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

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8")
            if "json" in (self.headers.get("Content-Type") or ""):
                params = json.loads(raw or "{}")
            else:
                params = dict(parse_qsl(raw))
            if self.path.startswith("/response/"):
                method = "response_url"
            elif self.path.startswith("/api/"):
                method = self.path.removeprefix("/api/").split("?")[0]
            else:
                self._send(404, {"ok": False, "error": "unknown_method"})
                return
            with fake.lock:
                fake.calls.append(Call(method, params, dict(self.headers.items()), self.path))
                limited = fake.rate_limited.get(method, 0)
                if limited:
                    fake.rate_limited[method] = limited - 1
                error = fake.errors.get(method)
            if limited:
                self._send(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
            elif method == "response_url":
                self._send_text(200, "ok")
            elif error:
                self._send(200, {"ok": False, "error": error})
            else:
                self._send(200, _answer(method, params))

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


def _answer(method: str, params: dict[str, Any]) -> dict[str, Any]:
    """What Slack answers on success, as far as the app reads it."""
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
        return {"ok": True, "view": {"id": "V0VIEW", **(params.get("view") or {})}}
    return {"ok": True}
