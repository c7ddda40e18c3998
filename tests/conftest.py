"""Fixtures: a real store on SQLite and on PostgreSQL, never a mock.

PostgreSQL tests use SANCTIONS_TEST_POSTGRES_URL (default: the local `test`
database); each test gets a schema of its own. When the server is not there
they are skipped, unless SANCTIONS_REQUIRE_POSTGRES=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text

from storage.db.store import Store

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SANCTIONS_SHARED_DIR", REPO.parent / "shared"))
# Property tests run hypothesis's default number of cases; HYPOTHESIS_PROFILE=thorough
# (or pytest --hypothesis-profile=thorough) runs 10,000 of each, as issue 8 asks.
settings.register_profile(
    "thorough", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

POSTGRES_URL = os.environ.get(
    "SANCTIONS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _postgres_available() -> str | None:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 2})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as error:  # noqa: BLE001 - any failure means "not here"
        return str(error).splitlines()[0]


@pytest.fixture(scope="session")
def postgres_url() -> str:
    problem = _postgres_available()
    if problem is not None:
        if os.environ.get("SANCTIONS_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required but unreachable at {POSTGRES_URL}: {problem}")
        pytest.skip(f"PostgreSQL unreachable at {POSTGRES_URL}: {problem}")
    return POSTGRES_URL


def _schema_url(base: str, schema: str) -> str:
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


@contextmanager
def _postgres_schema(postgres_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL schema, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield _schema_url(postgres_url, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def postgres_store_url(postgres_url: str) -> Iterator[str]:
    with _postgres_schema(postgres_url) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres_store_url")


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def samples(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A store holding the bundled samples, shared by a module's read-only tests."""
    from storage.ingest.writer import ingest_paths
    from storage.samples import SAMPLES_DIR

    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('samples') / 'store.db'}"
        else:
            url = stack.enter_context(_postgres_schema(request.getfixturevalue("postgres_url")))
        store = Store.open(url)
        report = ingest_paths(store, [SAMPLES_DIR])
        assert report.rejected == 0, report.rejections
        yield store
        store.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store.open(store_url)
    yield opened
    opened.dispose()


@pytest.fixture
def seed_text() -> str:
    path = SHARED / "seeds" / "000_224d316cee3faa82.txt"
    if not path.exists():
        pytest.fail(f"the seed story is missing: {path} (set SANCTIONS_SHARED_DIR)")
    return path.read_text(encoding="utf-8")
