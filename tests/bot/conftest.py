"""The app as Slack sees it: the real server in a subprocess, a fake Slack beside it.

`python app.py` runs with a free PORT, DATABASE_URL on a SQLite file ingested
from the bundled samples (plus one hostile article), and SLACK_API_URL on the
fake Slack, which records every call. Requests are signed as Slack signs them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from channel_side import slack_env
from fake_slack import FakeSlack, start_fake_slack
from slack_side import (
    HOSTILE_ARTICLE,
    STORE_DOWN_URL,
    RunningApp,
    SlackSide,
    start_app,
    stop_app,
)

from storage.db.store import Store
from storage.ingest.writer import ingest_paths
from storage.samples import SAMPLES_DIR


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    fake = start_fake_slack()
    yield fake
    fake.close()


@pytest.fixture
def slack_calls(fake_slack: FakeSlack) -> FakeSlack:
    """The fake Slack with nothing recorded yet and no failures switched on."""
    fake_slack.reset()
    return fake_slack


@pytest.fixture(scope="session")
def sample_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("store")
    extra = folder / "extra"
    extra.mkdir()
    (extra / "hostile.json").write_text(json.dumps(HOSTILE_ARTICLE), encoding="utf-8")
    url = f"sqlite:///{folder / 'sanctions.db'}"
    store = Store.open(url)
    report = ingest_paths(store, [SAMPLES_DIR, extra])
    store.dispose()
    assert report.rejected == 0, report.rejections
    return url


@pytest.fixture(scope="session")
def running_app(
    tmp_path_factory: pytest.TempPathFactory, fake_slack: FakeSlack, sample_database: str
) -> Iterator[RunningApp]:
    app = start_app(tmp_path_factory.mktemp("app"), slack_env(fake_slack, sample_database), "app")
    yield app
    stop_app(app)


@pytest.fixture(scope="session")
def one_worker_app(
    tmp_path_factory: pytest.TempPathFactory, fake_slack: FakeSlack, sample_database: str
) -> Iterator[RunningApp]:
    """One gunicorn worker: every click reaches the same process, as on a one-worker deployment."""
    env = {**slack_env(fake_slack, sample_database), "WEB_CONCURRENCY": "1"}
    app = start_app(tmp_path_factory.mktemp("one-worker"), env, "one-worker")
    yield app
    stop_app(app)


@pytest.fixture(scope="session")
def app_without_store(tmp_path_factory: pytest.TempPathFactory, fake_slack: FakeSlack) -> Iterator[RunningApp]:
    """The app whose database is down: PostgreSQL on a port where nothing listens."""
    app = start_app(tmp_path_factory.mktemp("down"), slack_env(fake_slack, STORE_DOWN_URL), "down")
    yield app
    stop_app(app)


@pytest.fixture
def slack(running_app: RunningApp, slack_calls: FakeSlack) -> SlackSide:
    return SlackSide(running_app.base_url, slack_calls)


@pytest.fixture
def slack_to_one_worker(one_worker_app: RunningApp, slack_calls: FakeSlack) -> SlackSide:
    return SlackSide(one_worker_app.base_url, slack_calls)


@pytest.fixture
def slack_to_broken_app(app_without_store: RunningApp, slack_calls: FakeSlack) -> SlackSide:
    return SlackSide(app_without_store.base_url, slack_calls)
