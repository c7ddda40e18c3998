"""Faults: the database stopping under a running app, ingests racing, an ingest killed.

The app is run as an operator runs it (`python app.py`, gunicorn, two workers)
against a PostgreSQL instance of its own that the test starts with initdb and
pg_ctl on a free port, so that stopping it leaves the machine's server alone.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.articles import Article, Origin, RawArticle, validate
from storage.channels.subscriptions import subscribe
from storage.db.store import Store
from storage.ingest.writer import ingest_article, ingest_paths
from storage.samples import SAMPLES_DIR
from tests.builders import simple_article, wait_until, write_json

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bot"))
from fake_slack import FakeSlack, start_fake_slack  # noqa: E402
from slack_side import BOT_TOKEN, EDITOR, SIGNING_SECRET, SlackSide, start_app, stop_app  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
TEAM = "T0NEWS"


# --- a PostgreSQL of the test's own ----------------------------------------------------


@dataclass
class PrivatePostgres:
    """A throwaway cluster: initdb'd into a temporary folder, on a port of its own."""

    bin: Path
    home: Path
    port: int
    run_as: list[str]  # ["runuser", "-u", "postgres", "--"] when we are root: initdb refuses root

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run(
            [*self.run_as, str(self.bin / program), *args], capture_output=True, text=True, timeout=60
        )
        if result.returncode != 0:
            raise RuntimeError(f"{program} {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")

    def init(self) -> None:
        self._run("initdb", "-D", str(self.home / "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync", "--no-instructions")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.home / "data"), "-l", str(self.home / "server.log"), "-o", options,
                  "-w", "-t", "30", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.home / "data"), "-m", mode, "-w", "-t", "30", "stop")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _unavailable(reason: str) -> None:
    if os.environ.get("SANCTIONS_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"a private PostgreSQL is required but cannot be started: {reason}")
    pytest.skip(f"a private PostgreSQL cannot be started here: {reason}")


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivatePostgres]:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb")) + [
        Path(p) for p in [shutil.which("initdb")] if p
    ]
    if not found:
        _unavailable("initdb and pg_ctl are not installed (Debian: apt-get install postgresql)")
    home = Path(tempfile.mkdtemp(prefix="sanctions-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: run the cluster as the postgres user
        try:
            import pwd

            owner = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(home)
            _unavailable("running as root and there is no 'postgres' user to run initdb as")
        os.chown(home, owner.pw_uid, owner.pw_gid)
        run_as = [shutil.which("runuser") or "runuser", "-u", "postgres", "--"]
    server = PrivatePostgres(found[0].parent, home, _free_port(), run_as)
    try:
        server.init()
        server.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
        shutil.rmtree(home, ignore_errors=True)
        _unavailable(str(error).strip().splitlines()[-1])
    try:
        yield server
    finally:
        with contextlib.suppress(RuntimeError):  # already stopped
            server.stop("immediate")
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    fake = start_fake_slack()
    yield fake
    fake.close()


def letters(n: int) -> str:
    """A distinct made-up word per number (names drop digits when they are compared)."""
    word = ""
    while True:
        n, rest = divmod(n, 20)
        word += "bdfgklmnprstvzaeiouy"[rest]
        if n == 0:
            return word


def posted_actions(fake: FakeSlack) -> list[tuple[str, int]]:
    """(channel, action) of every item message really posted, one entry per posting."""
    seen = []
    for message in fake.messages():
        metadata = message.get("metadata") or {}
        if metadata.get("event_type") == "sanctions_item":
            seen += [(message["channel"], int(action)) for action in metadata["event_payload"]["actions"]]
    return seen


# --- (a) the database stops under the running app, and comes back ---------------------


def test_postgresql_stopped_mid_run_gets_apologies_and_503_then_everything_recovers_without_a_restart(
    private_postgres: PrivatePostgres, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    store = Store.open(private_postgres.url)
    assert ingest_paths(store, [SAMPLES_DIR]).rejected == 0
    channels = ["C0FAULTA", "C0FAULTB"]
    for channel in channels:
        subscribe(store, TEAM, channel, "new")
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.api_url,
        "SANCTIONS_EDITORS": EDITOR,
        "DATABASE_URL": private_postgres.url,
    }
    app = start_app(tmp_path, env, "app")
    slack = SlackSide(app.base_url, fake_slack)
    try:
        assert slack.send("GET", "/healthz").status == 200
        assert slack.command("wang junzheng").json()["blocks"][0]["text"]["text"] == "Wang Junzheng"

        # New items are owed to two channels (about one post a second each), then the database goes.
        owed = []
        for n in range(4):
            document = simple_article(f"fault-{n}", f"Faultline {letters(n)}", "the European Union", "on Monday",
                                      published="2024-02-27")
            article = validate(RawArticle(Origin("fault"), document))
            assert isinstance(article, Article)
            added = ingest_article(store, article).new_action_ids
            owed += [(channel, action) for channel in channels for action in added]
        store.dispose()
        wait_until(lambda: posted_actions(fake_slack), 10, "the first item to be posted")
        private_postgres.stop("fast")
        stopped = time.monotonic()

        error_ids: list[str] = []
        for query in ["wang junzheng", "by eu", "on 2021-03-22", "recent"]:
            reply = slack.command(query)
            assert reply.status == 200 and reply.seconds < 3.0, (query, reply.seconds)
            message = reply.json()
            assert "Sorry" in message["text"] and "error id" in message["text"], message["text"]
            error_ids.append(re.search(r"error id ([0-9a-f]{8})", message["text"]).group(1))  # type: ignore[union-attr]
        health = slack.send("GET", "/healthz")
        assert health.status == 503 and health.seconds < 3.0
        assert "/sanctions NAME" in json.dumps(slack.command("help").json())  # what needs no store still works
        time.sleep(max(0.0, 3.0 - (time.monotonic() - stopped)))  # down for a few seconds at least

        private_postgres.start()
        wait_until(lambda: slack.send("GET", "/healthz").status == 200, 15, "/healthz to say 200 again")
        for _ in range(6):  # every worker, not just the first to reconnect
            assert slack.command("wang junzheng").json()["blocks"][0]["text"]["text"] == "Wang Junzheng"
        assert app.process.poll() is None  # the same processes: nothing was restarted

        # A post in flight when the database went keeps its claim until the lease runs
        # out (60 s); wind it forward, as tests/bot/test_channels.py does for a killed poster.
        store = Store.open(private_postgres.url)
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE deliveries SET claimed_until = '2000-01-01' WHERE status = 'claimed'"))
        assert len(owed) == 8
        wait_until(lambda: len(set(posted_actions(fake_slack))) >= len(owed), 30, "every owed item to be posted")
        time.sleep(1.5)  # room for a double post to show up
        posted = posted_actions(fake_slack)
        assert sorted(set(posted)) == sorted(owed) and len(posted) == len(owed), posted  # none lost, none twice
        store.dispose()
    finally:
        stop_app(app)
    log = app.log()
    for error_id in error_ids:  # each apology's id leads to its line in the log
        assert "store unavailable: connection failed" in log and f"[error id {error_id}]" in log


# --- (b) two ingests of overlapping folders at once --------------------------------------

PEOPLE = ["Ivan Petrovsky", "Olga Sidorenko", "Wang Junfeng", "Maria Kovalenko", "Li Qiangwei", "Omar Haddadin"]
AUTHORITIES = ["the European Union", "the Treasury", "Britain", "Canada"]


def racing_articles(folder: Path, numbers: range) -> Path:
    """Articles about a few people, so that two ingests meet the same new people at once."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in numbers:
        published = (date(2020, 1, 6) + timedelta(days=n)).isoformat()
        document = simple_article(f"race-{n}", PEOPLE[n % len(PEOPLE)], AUTHORITIES[n // 3 % len(AUTHORITIES)],
                                  None, published=published, reason=f"case {n % 5}")
        write_json(folder / f"race-{n:03}.json", document)
    return folder


def sanctions(*args: str, database_url: str, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "DATABASE_URL": database_url}
    return subprocess.Popen([sys.executable, "-m", "bot.cli", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def exported_rows(database_url: str, cwd: Path) -> list[list[str]]:
    code, out, err = finished(sanctions("export", "--format", "csv", database_url=database_url, cwd=cwd))
    assert code == 0, err
    header, *rows = list(csv.reader(io.StringIO(out)))
    return sorted(rows)


def test_two_ingests_of_overlapping_folders_at_once_store_each_fact_once(
    postgres_url: str, tmp_path: Path
) -> None:
    from tests.conftest import _postgres_schema

    first = racing_articles(tmp_path / "first", range(0, 60))
    second = racing_articles(tmp_path / "second", range(30, 90))
    with _postgres_schema(postgres_url) as racing, _postgres_schema(postgres_url) as alone:
        Store.open(racing).dispose()  # the schema first, so that the two start level
        runs = [sanctions("ingest", str(first), str(second), database_url=racing, cwd=tmp_path),
                sanctions("ingest", str(second), str(first), database_url=racing, cwd=tmp_path)]
        for run in runs:
            code, out, err = finished(run)
            assert code == 0, err
        code, _, err = finished(sanctions("ingest", str(first), str(second), database_url=alone, cwd=tmp_path))
        assert code == 0, err

        store = Store.open(racing)
        with store.engine.connect() as connection:
            articles = connection.execute(text("SELECT count(*) FROM articles")).scalar()
            targets, last_id = connection.execute(text("SELECT count(*), max(id) FROM targets")).one()
            actions = connection.execute(text("SELECT count(*) FROM actions")).scalar()
            twice = connection.execute(text(
                "SELECT target_id, authority_id, kind, day FROM actions "
                "GROUP BY target_id, authority_id, kind, day HAVING count(*) > 1"
            )).all()
        store.dispose()
        assert (articles, targets, twice) == (90, len(PEOPLE), [])
        # Nobody was created twice and merged afterwards: target ids were never wasted.
        assert last_id == targets
        assert actions == 90
        assert exported_rows(racing, tmp_path) == exported_rows(alone, tmp_path)


# --- (c) an ingest killed with SIGKILL ------------------------------------------------------


# Enough that a batched ingest is still running when its first batch has committed.
ARTICLES = 3000


def killable_articles(folder: Path, count: int) -> Path:
    """Articles of two events each, so that a half-stored article would show."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        anna, boris = f"Anna Kil{letters(n)}ova", f"Boris Kil{letters(n)}ov"
        text_ = (f"The European Union on Monday sanctioned {anna} and the Treasury sanctioned "
                 f"{boris} over case {n}. Officials gave no details.")
        entities = []
        for entity_id, label, phrase in [("E", "AUTHORITY", "European Union"), ("D", "DATE", "Monday"),
                                         ("A", "PERSON", anna), ("T", "AUTHORITY", "Treasury"),
                                         ("B", "PERSON", boris)]:
            start = text_.index(phrase)
            entities.append({"id": entity_id, "label": label, "start": start, "end": start + len(phrase)})
        document = {"id": f"kill-{n}", "published": "2024-02-27", "text": text_, "entities": entities,
                    "sanctions": [{"target": "A", "authority": "E", "date": "D"},
                                  {"target": "B", "authority": "T", "date": "D"}]}
        write_json(folder / f"kill-{n:04}.json", document)
    return folder


def store_is_consistent(database_url: str) -> int:
    """Every stored article has all its facts; nothing points at what is gone. Returns the articles."""
    store = Store.open(database_url)
    try:
        with store.engine.connect() as connection:
            rows = connection.execute(text("SELECT id, document FROM articles")).all()
            for article_id, document in rows:
                article = validate(RawArticle(Origin("stored"), json.loads(document)))
                assert isinstance(article, Article)
                sources = connection.execute(
                    text("SELECT count(*) FROM action_sources WHERE article_id = :a"), {"a": article_id}
                ).scalar()
                names = connection.execute(
                    text("SELECT count(DISTINCT target_id) FROM target_names WHERE article_id = :a"), {"a": article_id}
                ).scalar()
                assert (sources, names) == (len(article.events), 2), article.key
            for orphans in [  # actions without a source, targets without a name or an action
                "actions a WHERE NOT EXISTS (SELECT 1 FROM action_sources s WHERE s.action_id = a.id)",
                "targets t WHERE NOT EXISTS (SELECT 1 FROM target_names n WHERE n.target_id = t.id)",
                "targets t WHERE NOT EXISTS (SELECT 1 FROM actions a WHERE a.target_id = t.id)",
            ]:
                assert connection.execute(text("SELECT count(*) FROM " + orphans)).scalar() == 0, orphans
        return len(rows)
    finally:
        store.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_an_ingest_killed_mid_run_leaves_whole_articles_and_a_rerun_completes_it(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    folder = killable_articles(tmp_path / "articles", ARTICLES)
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'killed.db'}"
    else:
        url = request.getfixturevalue("postgres_store_url")
    Store.open(url).dispose()
    run = sanctions("ingest", str(folder), database_url=url, cwd=tmp_path)

    def stored() -> int:
        store = Store.open(url)
        try:
            with store.engine.connect() as connection:
                return int(connection.execute(text("SELECT count(*) FROM articles")).scalar() or 0)
        finally:
            store.dispose()

    wait_until(lambda: stored() >= 1 or run.poll() is not None, 60, "the ingest to store some articles")
    run.send_signal(signal.SIGKILL)
    run.wait(10)
    assert run.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    partly = store_is_consistent(url)
    assert 1 <= partly < ARTICLES

    code, out, err = finished(sanctions("ingest", str(folder), database_url=url, cwd=tmp_path))
    assert code == 0, err
    assert f"{ARTICLES - partly} new, {partly} unchanged" in out
    assert store_is_consistent(url) == ARTICLES
