"""Round trips of `/sanctions NAME` against a bare Bolt app on the same server stack.

    .venv/bin/python -m benchmarks.slack_roundtrip --sizes 100000,1000000

For each store size: takes the generated store of benchmarks.name_search
(the samples plus N generated targets, cached in benchmarks/.cache), serves
the real app with bot.server (gunicorn, gthread) and, beside it, a bare Bolt
app that acks one fixed block on the same server class; then sends signed
`/sanctions NAME` commands over loopback (names as listed, reordered, lower
case or with a typo), sequentially and from --concurrency clients, and
reports p50, p99, throughput and the ratios against the goals of issue 3
(p50 within 2x of bare, p99 <= 20 ms, throughput >= half of bare's).
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SECRET = "benchmark-signing-secret"
TOKEN = "xoxb-benchmark"


# --- the two servers ----------------------------------------------------------


def serve_bare(port: int) -> None:
    """A Bolt app that acks one fixed block, on bot.server's gunicorn configuration."""
    from slack_bolt import App
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_bolt.authorization import AuthorizeResult

    from bot.app_factory import web_client
    from bot.server import SanctionsServer
    from bot.settings import Settings

    settings = Settings.from_env()
    block = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Wang Junzheng* imposed sanctions"}}]

    class BareServer(SanctionsServer):
        def load(self) -> Any:
            app = App(
                client=web_client(settings),
                signing_secret=SECRET,
                authorize=lambda enterprise_id, team_id: AuthorizeResult(
                    enterprise_id=enterprise_id, team_id=team_id, bot_token=TOKEN
                ),
                process_before_response=True,
            )

            @app.command("/sanctions")
            def fixed(ack: Any) -> None:
                ack(response_type="ephemeral", text="Wang Junzheng", blocks=block)

            return SlackRequestHandler(app)

    BareServer(settings).run()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(kind: str, database: Path | None) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": "http://127.0.0.1:9/api/",  # nothing listens; auth.test is skipped with a warning
        "LOG_LEVEL": "WARNING",
    }
    env.pop("SLACK_APP_TOKEN", None)
    if kind == "bare":
        command = [sys.executable, __file__, "--serve-bare"]
    else:
        env["DATABASE_URL"] = f"sqlite:///{database}"
        command = [sys.executable, "-c", "from bot.server import serve; serve()"]
    process = subprocess.Popen(command, env=env, cwd=REPO, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"the {kind} server did not start")


# --- the clients ----------------------------------------------------------------


class Client:
    """One keep-alive connection sending signed slash commands, as Slack does."""

    def __init__(self, port: int, expect: bytes) -> None:
        from slack_sdk.signature import SignatureVerifier

        self.expect = expect  # in every good answer: apologies must not count as answers
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.verifier = SignatureVerifier(SECRET)

    def ask(self, text: str) -> float:
        body = urlencode(
            {
                "command": "/sanctions",
                "text": text,
                "user_id": "U0BENCH",
                "channel_id": "C0BENCH",
                "team_id": "T0BENCH",
                "response_url": "http://127.0.0.1:9/response",
                "trigger_id": "1.2",
            }
        )
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": self.verifier.generate_signature(timestamp=stamp, body=body),
        }
        started = time.perf_counter()
        self.connection.request("POST", "/slack/events", body=body, headers=headers)
        response = self.connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200 or self.expect not in payload:
            raise RuntimeError(f"bad answer {response.status}: {payload[:200]!r}")
        return elapsed


@dataclass
class Result:
    latencies: list[float]
    seconds: float

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p99(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds


EXPECTED = {"bare": b'"blocks"', "app": b"sanctions_share"}


def measure(kind: str, port: int, queries: list[str], clients: int) -> Result:
    latencies: list[float] = []
    lock = threading.Lock()
    shares = [queries[i::clients] for i in range(clients)]

    def run(share: list[str]) -> None:
        client = Client(port, EXPECTED[kind])
        mine = [client.ask(query) for query in share]
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(share,)) for share in shares]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(latencies, time.perf_counter() - started)


def benchmark(size: int, database: Path, requests: int, concurrency: int) -> list[str]:
    from benchmarks.name_search import latency_queries

    # Each pass asks questions never asked before (different seeds), so the
    # app's answer cache cannot help; the last pass repeats the one before it,
    # as journalists do on a big day, to show what the cache does.
    warm_up = latency_queries(database, count=100, seed=101)
    fresh = {1: latency_queries(database, count=requests, seed=102),
             concurrency: latency_queries(database, count=requests, seed=103)}
    passes = [(1, fresh[1], "sequential"), (concurrency, fresh[concurrency], f"{concurrency} clients"),
              (concurrency, fresh[concurrency], f"{concurrency} c. again")]
    servers = {kind: start(kind, database) for kind in ("bare", "app")}
    lines = []
    try:
        for kind, (_, port) in servers.items():  # warm-up: imports, connections
            measure(kind, port, warm_up, 1)
        for clients, queries, label in passes:
            results = {kind: measure(kind, port, queries, clients) for kind, (_, port) in servers.items()}
            bare, app = results["bare"], results["app"]
            for kind, result in results.items():
                lines.append(
                    f"{size:>9,}  {label:<13} {kind:<5} p50 {result.p50:6.2f} ms  p99 {result.p99:6.2f} ms  "
                    f"{result.throughput:7.0f} req/s"
                )
            verdicts = [
                f"p50 ratio {app.p50 / bare.p50:.2f}x (goal <= 2)",
                f"p99 {app.p99:.1f} ms (goal <= 20)",
                f"throughput ratio {app.throughput / bare.throughput:.2f} (goal >= 0.5)",
            ]
            lines.append(f"{'':>9}  {label:<13} " + "; ".join(verdicts))
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(timeout=15)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000", help="store sizes in people, comma-separated")
    parser.add_argument("--requests", type=int, default=2000, help="requests per measurement")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--serve-bare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare:
        serve_bare(int(os.environ["PORT"]))
        return
    from benchmarks.name_search import build_store

    report = []
    for size in (int(part) for part in args.sizes.split(",")):
        database = build_store(size)  # cached; generating 1,000,000 targets takes minutes
        report += benchmark(size, database, args.requests, args.concurrency)
        print("\n".join(report[-6:]), flush=True)
    print("\nsummary\n" + "\n".join(report))


if __name__ == "__main__":
    main()
