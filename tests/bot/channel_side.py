"""Channels as an operator runs them: apps and `sanctions announce` on one PostgreSQL schema."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fake_slack import FakeSlack
from slack_side import BOT_TOKEN, EDITOR, REPO, SIGNING_SECRET
from sqlalchemy import text

from storage.articles import Origin, RawArticle, validate
from storage.db.store import Store
from storage.ingest.writer import ingest_article
from tests.builders import simple_article

TEAM = "T0NEWS"


def slack_env(fake: FakeSlack, database_url: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url,
        "SANCTIONS_EDITORS": EDITOR,
        "DATABASE_URL": database_url,
    }


def ingest_document(store: Store, document: dict[str, Any]) -> tuple[int, ...]:
    article = validate(RawArticle(Origin("test"), document))
    assert not hasattr(article, "problems"), article
    return ingest_article(store, article).new_action_ids  # type: ignore[arg-type]


def ingest_simple(store: Store, article_id: str, person: str, authority: str = "The Treasury") -> tuple[int, ...]:
    return ingest_document(store, simple_article(article_id, person, authority, "on Monday"))


def start_announcer(workdir: Path, env: dict[str, str], name: str) -> subprocess.Popen[bytes]:
    """`sanctions announce --follow`, as a deployment that ingests elsewhere runs it."""
    log = (workdir / f"{name}.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "--log-level", "INFO", "announce", "--follow"],
        cwd=workdir,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO), **env},
        stdout=log,
        stderr=log,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def delivery_rows(store: Store) -> list[tuple[str, int, str, str | None]]:
    """(channel, action, status, claimed_by) of every delivery."""
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(  # type: ignore[misc]
            text("SELECT channel_id, action_id, status, claimed_by FROM deliveries ORDER BY id")
        )]


def expire_claims_of(store: Store, pid: int) -> int:
    """The lease of a dead process runs out: wound forward instead of waiting its 60 s."""
    with store.engine.begin() as connection:
        return connection.execute(
            text("UPDATE deliveries SET claimed_until = :past WHERE status = 'claimed' AND claimed_by LIKE :who"),
            {"past": datetime(2000, 1, 1, tzinfo=UTC), "who": f"%:{pid}/%"},
        ).rowcount


def posted_items(fake: FakeSlack) -> Counter[tuple[str, int]]:
    """How many times each (channel, action) was really posted, read from the messages' metadata."""
    seen: Counter[tuple[str, int]] = Counter()
    for message in fake.messages():
        metadata = message.get("metadata") or {}
        if metadata.get("event_type") == "sanctions_item":
            for action_id in metadata["event_payload"]["actions"]:
                seen[(message["channel"], int(action_id))] += 1
    return seen


def keys_posted(fake: FakeSlack, event_type: str) -> Counter[str]:
    return Counter(
        (m.get("metadata") or {}).get("event_payload", {}).get("key")
        for m in fake.messages()
        if (m.get("metadata") or {}).get("event_type") == event_type
    )
