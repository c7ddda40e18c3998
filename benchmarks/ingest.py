"""Ingest at archive scale: our ingest against a bare executemany floor, in one run.

    python -m benchmarks.ingest [--articles 20000] [--postgres URL] [--quick] [--large] [--profile]

Generates a JSON-lines archive of N articles with five events each (five
authorities, dates in several forms, people and companies with roles and
reasons). A quarter of the events name someone the store already holds
(generated targets bulk-loaded before the clock starts, as a newsroom's
store holds earlier stories); the others name people from a pool about as
large as the archive, so that many are reported by several articles.

Each measurement runs in a child process of its own, so that its peak RSS
(the child's own `ru_maxrss`) is its own:

- ours: `storage.ingest.writer.ingest_paths`, what `sanctions ingest` calls,
  on SQLite and, when a server answers, PostgreSQL;
- re-ingest: the same file again into the store the first run filled;
- floor: reading and parsing the same file and inserting the same rows (an
  article row, and a name, an action and a source row per event) into a
  plain schema with `executemany`, in one transaction.

`--large` also ingests a file ten times larger on SQLite, for its peak RSS.
`--profile` runs the SQLite ingest under cProfile and prints where the time went.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
STORED_SHARE = 0.25  # of events naming a target the store holds before the run
EVENTS = 5

# (what the article calls the authority, whether it starts a sentence with "The")
AUTHORITY_WORDS = [
    "The Treasury", "The European Union", "Britain", "Canada", "The UN Security Council",
    "Australia", "Switzerland", "Japan", "The State Department", "New Zealand",
]
ROLES = ["a deputy minister", "the chief executive", "a senior commander", "a regional governor",
         "the chairman", "a board member", "an army general", "a security official"]
REASONS = ["human rights abuses", "corruption", "supplying drones", "evading sanctions", "money laundering",
           "undermining democracy", "cyber attacks", "financing militias"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


# --- the archive -------------------------------------------------------------------------


def pools(articles: int, seed: int) -> tuple[list, list]:
    """Targets the store holds before the run, and targets new to it."""
    from benchmarks.generated_store import generate_targets
    from storage.names.folding import merge_key

    stored_size = max(50, articles // 4)
    everyone = list(generate_targets(stored_size + articles, seed=seed))
    # A store holds one target per name (ingest merges the others): the
    # generator may draw one name twice, and those are stored once.
    stored, seen = [], set()
    for target in everyone[:stored_size]:
        keys = {merge_key(name, target.kind == "organization") for name in (target.name, *target.aliases)}
        if not keys & seen:
            stored.append(target)
            seen |= keys
    return stored, everyone[stored_size:]


def _date_words(rng: random.Random, published: date) -> tuple[str | None, str | None]:
    """A DATE span's words and, sometimes, its value; (None, None) for an event without a date."""
    roll = rng.random()
    if roll < 0.15:
        return None, None
    if roll < 0.45:
        day = published - timedelta(days=rng.randrange(0, 6))
        return WEEKDAYS[day.weekday()] if day.weekday() < 5 else f"{day.day} {day:%B %Y}", None
    if roll < 0.75:
        day = published - timedelta(days=rng.randrange(0, 400))
        return f"{day.day} {day:%B %Y}", None
    if roll < 0.9:
        day = published - timedelta(days=rng.randrange(0, 400))
        return f"{day:%B %Y}", None
    day = published - timedelta(days=rng.randrange(0, 30))
    return "last month" if roll < 0.95 else "this week", None if roll < 0.95 else day.isoformat()


def article_document(number: int, rng: random.Random, stored: list, new: list) -> dict:
    """One native article of five events, offsets computed as the text is written."""
    published = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 5 * 365))
    text = f"Desk wire, {published:%d %B %Y}. "
    entities: list[dict] = []
    sanctions: list[dict] = []

    def mark(words: str, label: str, **extra: object) -> str:
        nonlocal text
        entity_id = f"T{len(entities) + 1}"
        entities.append({"id": entity_id, "label": label, "start": len(text), "end": len(text) + len(words),
                         "text": words, **extra})
        text += words
        return entity_id

    for authority_words in rng.sample(AUTHORITY_WORDS, EVENTS):
        target = rng.choice(stored) if rng.random() < STORED_SHARE else rng.choice(new)
        action = rng.choices(("imposed", "lifted", "extended"), (0.85, 0.1, 0.05))[0]
        verb = {"imposed": "imposed sanctions on", "lifted": "lifted its sanctions on",
                "extended": "extended its sanctions on"}[action]
        event: dict = {"action": action}
        event["authority"] = mark(authority_words, "AUTHORITY")
        text += f" {verb} "
        extra = {"aliases": list(target.aliases)} if target.aliases else {}
        event["target"] = mark(target.name, "PERSON" if target.kind == "person" else "ORG", **extra)
        if target.kind == "person" and rng.random() < 0.7:
            text += ", "
            event["role"] = mark(rng.choice(ROLES), "ROLE")
            text += ","
        words, value = _date_words(rng, published)
        if words is not None:
            text += " on " if words[0].isdigit() or words in WEEKDAYS else " "
            extra = {"value": value} if value else {}
            event["date"] = mark(words, "DATE", **extra)
        text += " over "
        event["reason"] = mark(rng.choice(REASONS), "REASON")
        text += ". "
        sanctions.append(event)
    text += "Officials gave no further details."
    return {"id": f"archive-{number}", "source": "Desk Wire", "title": f"Sanctions round-up {number}",
            "url": f"https://example.org/wire/{number}", "published": published.isoformat(),
            "text": text, "entities": entities, "sanctions": sanctions}


def write_archive(path: Path, articles: int, stored: list, new: list, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        for number in range(articles):
            handle.write(json.dumps(article_document(number, rng, stored, new), ensure_ascii=False))
            handle.write("\n")


def prepare_store(url: str, stored: list) -> None:
    """The store as a newsroom has it before the archive: earlier targets, with an action each."""
    from benchmarks.generated_store import bulk_load
    from storage.db.store import Store

    store = Store.open(url)
    bulk_load(store, iter(stored))
    store.dispose()


# --- measurements, each in a child process -------------------------------------------------


def child_ingest(url: str, path: Path, profile: str | None) -> dict:
    from storage.db.store import Store
    from storage.ingest.writer import ingest_paths

    store = Store.open(url)
    started = time.perf_counter()
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        report = profiler.runcall(ingest_paths, store, [path])
        profiler.dump_stats(profile)
    else:
        report = ingest_paths(store, [path])
    seconds = time.perf_counter() - started
    store.dispose()
    return {"seconds": seconds, "new": report.new, "unchanged": report.unchanged, "replaced": report.replaced,
            "rejected": report.rejected, "actions": report.actions_added}


_FLOOR_SCHEMA = [
    "CREATE TABLE articles (id INTEGER PRIMARY KEY, key TEXT, content_hash TEXT, title TEXT, published TEXT, "
    "text TEXT, document TEXT)",
    "CREATE TABLE names (id INTEGER PRIMARY KEY, article_id INTEGER, name TEXT, kind TEXT)",
    "CREATE TABLE actions (id INTEGER PRIMARY KEY, name_id INTEGER, authority TEXT, kind TEXT, day TEXT)",
    "CREATE TABLE sources (id INTEGER PRIMARY KEY, action_id INTEGER, article_id INTEGER, quote TEXT, "
    "date_text TEXT, role TEXT, reason TEXT)",
]


def _floor_rows(path: Path) -> Iterator[tuple[tuple, list[tuple], list[tuple], list[tuple]]]:
    """The same file read and parsed, as rows: numbered here, as a store would number them."""
    next_article = next_event = 1
    with path.open("rb") as handle:
        for line in handle:
            document = json.loads(line)
            text = document["text"]
            canonical = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
            article_id = next_article
            next_article += 1
            spans = {e["id"]: text[e["start"]:e["end"]] for e in document["entities"]}
            labels = {e["id"]: e["label"] for e in document["entities"]}
            names, actions, sources = [], [], []
            for event in document["sanctions"]:
                event_id = next_event
                next_event += 1
                names.append((event_id, article_id, spans[event["target"]], labels[event["target"]]))
                actions.append((event_id, event_id, spans[event["authority"]], event["action"],
                                document["published"]))
                sources.append((event_id, event_id, article_id, text[:200], spans.get(event.get("date")),
                                spans.get(event.get("role")), spans.get(event.get("reason"))))
            yield ((article_id, document["id"], digest, document.get("title"), document["published"], text,
                    canonical), names, actions, sources)


def child_floor(url: str, path: Path) -> dict:
    """Reading, parsing and inserting the same rows with executemany, in one transaction."""
    statements = [
        "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)", "INSERT INTO names VALUES (?, ?, ?, ?)",
        "INSERT INTO actions VALUES (?, ?, ?, ?, ?)", "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?)",
    ]
    if url.startswith("sqlite"):
        import sqlite3

        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        for statement in _FLOOR_SCHEMA:
            connection.execute(statement)
        connection.commit()
    else:
        import psycopg

        connection = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        with connection.cursor() as cursor:
            for statement in _FLOOR_SCHEMA:
                cursor.execute(statement.replace("INTEGER PRIMARY KEY", "BIGINT PRIMARY KEY"))
        connection.commit()
        statements = [s.replace("?", "%s") for s in statements]
    started = time.perf_counter()
    batches: list[list] = [[], [], [], []]
    cursor = connection.cursor()
    for article, names, actions, sources in _floor_rows(path):
        batches[0].append(article)
        batches[1].extend(names)
        batches[2].extend(actions)
        batches[3].extend(sources)
        if len(batches[0]) >= 1000:
            for statement, rows in zip(statements, batches, strict=True):
                cursor.executemany(statement, rows)
            batches = [[], [], [], []]
    for statement, rows in zip(statements, batches, strict=True):
        if rows:
            cursor.executemany(statement, rows)
    connection.commit()
    seconds = time.perf_counter() - started
    connection.close()
    return {"seconds": seconds}


def run_child(*args: str) -> dict:
    """One measurement in a fresh interpreter; its result and its own peak RSS."""
    command = [sys.executable, "-m", "benchmarks.ingest", "--child", *args]
    done = subprocess.run(command, capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:1])} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _child_main(args: list[str]) -> None:
    what, url, path = args[0], args[1], Path(args[2])
    profile = args[3] if len(args) > 3 else None
    result = child_floor(url, path) if what == "floor" else child_ingest(url, path, profile)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["peak_rss_mb"] = usage.ru_maxrss / 1024
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime  # the machine is shared: CPU is steadier than wall
    print(json.dumps(result))


# --- PostgreSQL ------------------------------------------------------------------------------


def postgres_reachable(url: str) -> bool:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable": the table says so
        return False


class PostgresSchema:
    """A fresh schema of the server for one measurement, dropped afterwards."""

    def __init__(self, url: str, name: str) -> None:
        from sqlalchemy import create_engine

        self.admin = create_engine(url)
        self.name = name
        separator = "&" if "?" in url else "?"
        self.url = f"{url}{separator}options=-csearch_path%3D{name}"

    def __enter__(self) -> str:
        from sqlalchemy import text

        with self.admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {self.name} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {self.name}"))
        return self.url

    def __exit__(self, *exc: object) -> None:
        from sqlalchemy import text

        with self.admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {self.name} CASCADE"))
        self.admin.dispose()


# --- the table -------------------------------------------------------------------------------


def measure_backend(label: str, url: str, template: Path | None, archive: Path, stored: list,
                    profile: str | None) -> list[dict]:
    if template is not None:  # SQLite: a copy of the prepared store
        database = Path(url.removeprefix("sqlite:///"))
        shutil.copy(template, database)
    else:
        prepare_store(url, stored)
    first = run_child("ingest", url, str(archive), *([profile] if profile else []))
    again = run_child("ingest", url, str(archive))
    return [{"what": f"ours, {label}", **first}, {"what": f"re-ingest, {label}", **again}]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--quick", action="store_true", help="500 articles: does it run")
    parser.add_argument("--postgres", default=os.environ.get("SANCTIONS_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--large", action="store_true", help="also a file ten times larger on SQLite (RSS)")
    parser.add_argument("--profile", action="store_true", help="cProfile the SQLite ingest")
    parser.add_argument("--seed", type=int, default=16)
    options = parser.parse_args()
    articles = 500 if options.quick else options.articles

    work = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    try:
        started = time.perf_counter()
        stored, new = pools(articles, options.seed)
        archive = work / "archive.jsonl"
        write_archive(archive, articles, stored, new, options.seed)
        template = work / "template.db"
        prepare_store(f"sqlite:///{template}", stored)
        print(f"{articles} articles of {EVENTS} events ({archive.stat().st_size / 1e6:.1f} MB), "
              f"{len(stored)} targets stored before; prepared in {time.perf_counter() - started:.1f} s",
              flush=True)
        profile = str(work / "ingest.prof") if options.profile else None
        rows = measure_backend("SQLite", f"sqlite:///{work / 'ours.db'}", template, archive, stored, profile)
        floor = {"what": "executemany floor, SQLite", **run_child("floor", f"sqlite:///{work / 'floor.db'}",
                                                                   str(archive))}
        rows.append(floor)
        floors = {"SQLite": floor["seconds"]}
        if not options.no_postgres and postgres_reachable(options.postgres):
            schema = f"bench_ingest_{os.getpid()}"
            with PostgresSchema(options.postgres, schema) as url:
                rows.extend(measure_backend("PostgreSQL", url, None, archive, stored, None))
            with PostgresSchema(options.postgres, schema + "_floor") as url:
                floor_pg = {"what": "executemany floor, PostgreSQL", **run_child("floor", url, str(archive))}
            rows.append(floor_pg)
            floors["PostgreSQL"] = floor_pg["seconds"]
        elif not options.no_postgres:
            print("PostgreSQL: no server answers at", options.postgres, flush=True)
        if options.large:
            big = work / "archive-10x.jsonl"
            write_archive(big, articles * 10, stored, new, options.seed + 1)
            shutil.copy(template, work / "large.db")
            rows.append({"what": f"ours, SQLite, {articles * 10} articles",
                         **run_child("ingest", f"sqlite:///{work / 'large.db'}", str(big))})
        print_table(rows, floors, articles)
        if profile:
            print_profile(profile)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def print_table(rows: list[dict], floors: dict[str, float], articles: int) -> None:
    print()
    print(f"{'measurement':<40} {'seconds':>9} {'CPU s':>7} {'articles/s':>11} {'floor/ours':>10} "
          f"{'peak RSS MB':>12}  counts")
    firsts: dict[str, float] = {}
    for row in rows:
        backend = "PostgreSQL" if "PostgreSQL" in row["what"] else "SQLite"
        count = articles * 10 if "articles" in row["what"].split(",")[-1] else articles
        rate = count / row["seconds"] if row["seconds"] else float("inf")
        ratio = ""
        if row["what"].startswith("ours") and count == articles:
            ratio = f"{floors[backend] / row['seconds']:.1%}" if backend in floors else ""
            firsts[backend] = row["seconds"]
        elif row["what"].startswith("re-ingest") and backend in firsts:
            ratio = f"{row['seconds'] / firsts[backend]:.2f} of 1st"
        counts = ""
        if "new" in row:
            counts = (f"{row['new']} new, {row['unchanged']} unchanged, {row['replaced']} replaced, "
                      f"{row['rejected']} rejected, {row['actions']} actions")
        print(f"{row['what']:<40} {row['seconds']:>9.2f} {row['cpu_seconds']:>7.1f} {rate:>11.0f} {ratio:>10} "
              f"{row['peak_rss_mb']:>12.0f}  {counts}")


def print_profile(path: str) -> None:
    import pstats

    print("\nwhere the SQLite ingest spent its time (cProfile, by own time):")
    pstats.Stats(path).sort_stats("tottime").print_stats(25)
    print("by cumulative time:")
    pstats.Stats(path).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
