"""A big sanctions day: 50 journalists asking at once, against a bare Bolt app on the same stack.

    .venv/bin/python -m benchmarks.load [--size 100000] [--seconds 60] [--connections 50] [--workers 2]
                                        [--requests 2000] [--people 300]

Serves the real app (bot.server: gunicorn, gthread, --workers processes) on
PostgreSQL holding the bundled samples plus --size generated targets
(benchmarks.generated_store, loaded once into a schema of its own and kept),
and beside it the bare Bolt app of benchmarks.slack_roundtrip (one fixed
block, acked) on the same server class and worker count. wrk, a load
generator written in C, drives each in turn for --seconds with --connections
keep-alive connections, cycling through requests signed just before each run
(Slack's signatures stay valid for 5 minutes): 60 % name one of --people
stored people (the day's news; as listed, reordered, lower case, with a
typo), the rest are `by AUTHORITY [since DATE]`, `on DATE`, `since DATE` and
`recent`. `--people 3000 --requests 5000` is a long tail instead, where most
questions are new to the worker that gets them. An answer counts as an
error unless it is a 200 carrying blocks and no apology.

Prints throughput, p50 and p99 (wrk's own latency histogram) and errors for
both, the ratios against issue 8's goals (zero errors, throughput at least
half the bare app's, p99 at most twice its p99), the CPU the machine spent,
and where an answer's time goes (the store's answer and the rendering, timed
in process per kind of question). wrk is installed from Debian's packages when
missing (apt-get, as root).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.name_search import as_typed  # noqa: E402
from benchmarks.slack_roundtrip import SECRET, TOKEN, free_port  # noqa: E402
from bot.server import THREADS_PER_WORKER  # noqa: E402

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SCHEMA_VERSION = 2  # bump when the generator, the samples or the schema change
LIST_QUERIES = [
    "by eu", "by ofac", "by us", "by uk", "by eu since march 2021", "by ofac since 2019", "by china",
    "on 2021-03-22", "on march 2021", "on 2022-02-25", "since 2022", "since march 2021",
    "recent", "recent",
]
APOLOGY = "error id"

LUA = r"""
-- Cycles through pre-signed Slack slash commands; counts answers that are not cards.
local requests = {}
local counter = 0
bad = 0  -- global: done() reads it from each thread
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local stamp, signature, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
    table.insert(requests, {stamp = stamp, signature = signature, body = body})
  end
  counter = math.random(#requests)
end

function request()
  counter = counter % #requests + 1
  local r = requests[counter]
  return wrk.format("POST", "/slack/events", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Slack-Request-Timestamp"] = r.stamp,
    ["X-Slack-Signature"] = r.signature,
  }, r.body)
end

function response(status, headers, body)
  if status ~= 200 or not body:find('"blocks"', 1, true) or body:find("error id", 1, true) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local wrong = 0
  for _, thread in ipairs(threads) do
    wrong = wrong + thread:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %f, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, '
      .. '"bad_answers": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, wrong, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


# --- the store --------------------------------------------------------------------------


def schema_url(base: str, schema: str) -> str:
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


def prepare_store(base: str, size: int) -> str:
    """A PostgreSQL schema with the samples and `size` generated targets, built once and kept."""
    from sqlalchemy import create_engine, text

    from benchmarks.generated_store import bulk_load, generate_targets
    from storage.db.store import Store
    from storage.ingest.writer import ingest_paths
    from storage.samples import SAMPLES_DIR

    schema = f"bench_load_{size}_v{SCHEMA_VERSION}"
    url = schema_url(base, schema)
    admin = create_engine(base)
    with admin.begin() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_namespace WHERE nspname = :s"), {"s": schema}).first()
        if exists:
            done = connection.execute(
                text("SELECT 1 FROM information_schema.tables WHERE table_schema = :s AND table_name = 'load_ready'"),
                {"s": schema},
            ).first()
            if done:
                admin.dispose()
                return url
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))  # a half-built one
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    started = time.perf_counter()
    store = Store.open(url)
    ingest_paths(store, [SAMPLES_DIR])
    bulk_load(store, generate_targets(size))
    with store.engine.begin() as connection:
        # bulk_load writes ids itself: move the sequences past them, then let the planner see the data.
        for table in ("targets", "target_names", "name_tokens", "actions", "action_sources", "articles"):
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            ))
        connection.execute(text("CREATE TABLE load_ready (built_at timestamptz DEFAULT now())"))
    # VACUUM too, not just ANALYZE: until the visibility map is set, PostgreSQL reads the
    # postings from the table instead of answering from the index alone (3x slower).
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        tables = connection.execute(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"), {"s": schema}
        ).scalars().all()
        for table in tables:
            connection.execute(text(f'VACUUM ANALYZE "{schema}"."{table}"'))
    store.dispose()
    print(f"  loaded {size:,} generated targets into {schema} in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    return url


def mixed_queries(url: str, count: int, people: int, seed: int = 8) -> list[str]:
    """`count` questions: 60 % name one of `people` stored people (as journalists write
    names: as listed, reordered, lower case, with a typo), the rest are list questions."""
    from sqlalchemy import create_engine, text

    rng = random.Random(seed)
    engine = create_engine(url)
    with engine.connect() as connection:
        total = connection.execute(text("SELECT max(id) FROM targets")).scalar_one()
        ids = [rng.randrange(1, total + 1) for _ in range(people)]
        names = [n for (n,) in connection.execute(text("SELECT name FROM targets WHERE id = ANY(:ids)"), {"ids": ids})]
    engine.dispose()
    queries = [as_typed(rng.choice(names), rng) for _ in range(int(count * 0.6))]
    while len(queries) < count:
        queries.append(rng.choice(LIST_QUERIES))
    rng.shuffle(queries)
    return queries


# --- the servers and the load -------------------------------------------------------------


def start_server(kind: str, url: str | None, workers: int, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    import urllib.error
    import urllib.request

    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": "http://127.0.0.1:9/api/",  # nothing listens: no Slack call is part of an answer
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": str(workers),
        "PYTHONPATH": str(REPO),
    }
    env.pop("SLACK_APP_TOKEN", None)
    if kind == "bare":
        command = [sys.executable, "-m", "benchmarks.slack_roundtrip", "--serve-bare"]
    else:
        env["DATABASE_URL"] = url or ""
        command = [sys.executable, "-c", "from bot.server import serve; serve()"]
    process = subprocess.Popen(command, env=env, cwd=REPO, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process, port
        except urllib.error.HTTPError:
            return process, port  # the bare app has no /healthz: it answers, that is enough
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the {kind} server did not start; see {log}")


def signed_requests(queries: list[str], path: Path) -> None:
    """One line per request: timestamp, signature, body; signed now, good for 5 minutes."""
    from slack_sdk.signature import SignatureVerifier

    verifier = SignatureVerifier(SECRET)
    stamp = str(int(time.time()))
    with path.open("w", encoding="utf-8") as handle:
        for number, query in enumerate(queries):
            body = urlencode({
                "token": "legacy", "team_id": "T0LOAD", "channel_id": "C0LOAD", "user_id": f"U0LOAD{number % 50}",
                "command": "/sanctions", "text": query, "response_url": "http://127.0.0.1:9/response",
                "trigger_id": f"1.{number}",
            })
            handle.write(f"{stamp}\t{verifier.generate_signature(timestamp=stamp, body=body)}\t{body}\n")


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("wrk is not installed; as root: apt-get install wrk")
    print("  installing wrk from Debian's packages", file=sys.stderr)
    quiet = {"stdout": subprocess.DEVNULL, "env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}}
    if subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], **quiet).returncode != 0:  # type: ignore[call-overload]
        subprocess.run(["apt-get", "update", "-q"], check=True, **quiet)  # type: ignore[call-overload]
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, **quiet)  # type: ignore[call-overload]
    return shutil.which("wrk") or "wrk"


def cpu_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the machine so far, from /proc/stat."""
    fields = [float(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def drive(wrk: str, port: int, queries: list[str], seconds: int, connections: int, threads: int,
          folder: Path) -> dict[str, float]:
    requests = folder / "requests.tsv"
    signed_requests(queries, requests)
    script = folder / "cycle.lua"
    script.write_text(LUA, encoding="utf-8")
    before = cpu_busy()
    result = subprocess.run(
        [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script),
         f"http://127.0.0.1:{port}", "--", str(requests)],
        capture_output=True, text=True, timeout=seconds + 120,
    )
    after = cpu_busy()
    line = next((x for x in result.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk said:\n{result.stdout}\n{result.stderr}")
    numbers = json.loads(line.removeprefix("RESULT "))
    numbers["throughput"] = numbers["requests"] / numbers["seconds"]
    numbers["errors"] = sum(numbers[k] for k in ("bad_answers", "connect", "read", "write", "timeout"))
    numbers["cpu"] = (after[0] - before[0]) / max(1.0, after[1] - before[1])
    return numbers


def warm(port: int, queries: list[str], folder: Path, wrk: str) -> None:
    """Imports, connection pools and caches of every worker, before anything is measured."""
    drive(wrk, port, queries, 5, 8, 1, folder)


# --- where the time goes -------------------------------------------------------------------


def breakdown(url: str, queries: list[str]) -> list[str]:
    """Per kind of question: milliseconds in the store's answer and in rendering, in one process."""
    from datetime import date

    from bot.blocks.cards import render_answer
    from bot.blocks.paging import PAGE_SIZE
    from storage.answers.queries import answer
    from storage.answers.questions import NameQuestion, parse_question
    from storage.db.store import Store

    store = Store.open(url)
    kinds: dict[str, list[tuple[float, float]]] = {}
    for query in queries[:40]:  # warm
        answer(store, parse_question(query, date.today()), limit=PAGE_SIZE)
    for query in queries[:600]:
        question = parse_question(query, date.today())
        started = time.perf_counter()
        result = answer(store, question, limit=PAGE_SIZE)
        answered = time.perf_counter()
        render_answer(result)
        rendered = time.perf_counter()
        kind = "name" if isinstance(question, NameQuestion) else type(question).__name__.removesuffix("Question")
        kinds.setdefault(kind.lower(), []).append((answered - started, rendered - answered))
    store.dispose()
    lines = []
    for kind, times in sorted(kinds.items()):
        store_ms = [t[0] * 1000 for t in times]
        render_ms = [t[1] * 1000 for t in times]
        lines.append(f"  {kind:<10} n={len(times):<4} store p50 {statistics.median(store_ms):6.2f} ms, "
                     f"p99 {sorted(store_ms)[int(len(store_ms) * 0.99) - 1]:6.2f} ms; "
                     f"render p50 {statistics.median(render_ms):5.2f} ms")
    return lines


def report(name: str, numbers: dict[str, float]) -> str:
    return (f"{name:<5} {numbers['throughput']:8.0f} req/s   p50 {numbers['p50_us'] / 1000:7.2f} ms   "
            f"p90 {numbers['p90_us'] / 1000:7.2f} ms   p99 {numbers['p99_us'] / 1000:7.2f} ms   "
            f"max {numbers['max_us'] / 1000:7.1f} ms   errors {int(numbers['errors'])} "
            f"(bad answers {int(numbers['bad_answers'])}, timeouts {int(numbers['timeout'])})   "
            f"{int(numbers['requests'])} requests, machine CPU {numbers['cpu']:.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", default=os.environ.get("SANCTIONS_BENCH_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--size", type=int, default=100_000, help="generated targets beside the samples")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50, help="concurrent journalists")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (it shares the machine)")
    parser.add_argument("--requests", type=int, default=2000, help="signed requests to cycle through")
    parser.add_argument("--people", type=int, default=300,
                        help="the people named in them: those in the day's news (3000 for a long tail)")
    args = parser.parse_args()

    wrk = ensure_wrk()
    url = prepare_store(args.postgres, args.size)
    queries = mixed_queries(url, args.requests, args.people)
    folder = Path(tempfile.mkdtemp(prefix="sanctions-load-"))
    print(f"{args.connections} journalists for {args.seconds} s each, {args.requests} requests naming "
          f"{args.people} people or asking for lists, {args.workers} gunicorn workers x "
          f"{THREADS_PER_WORKER} threads, PostgreSQL with {args.size:,} generated targets and the samples, "
          f"{os.cpu_count()} CPUs shared with wrk ({args.threads} thread)", flush=True)
    results = {}
    for kind in ("bare", "app"):
        process, port = start_server(kind, url, args.workers, folder / f"{kind}.log")
        try:
            warm(port, queries, folder, wrk)
            results[kind] = drive(wrk, port, queries, args.seconds, args.connections, args.threads, folder)
        finally:
            process.terminate()
            process.wait(timeout=30)
        print(report(kind, results[kind]), flush=True)
        logged = (folder / f"{kind}.log").read_text(errors="replace").splitlines()
        for line in [line for line in logged if "error id" in line][:5]:  # why answers were apologies
            print(f"  {kind} log: {line}", flush=True)
    bare, app = results["bare"], results["app"]
    throughput_ratio = app["throughput"] / bare["throughput"]
    p99_ratio = app["p99_us"] / bare["p99_us"]
    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    print(f"ratios: throughput {throughput_ratio:.2f} of bare (goal >= 0.5: {verdict(throughput_ratio >= 0.5)}), "
          f"p99 {p99_ratio:.2f}x bare (goal <= 2: {verdict(p99_ratio <= 2)}), "
          f"errors {int(app['errors'])} (goal 0: {verdict(app['errors'] == 0)})")
    print("where an answer's time goes (one process, no concurrency):")
    print("\n".join(breakdown(url, queries)))
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
