"""Two `sanctions ingest` processes at once store what one after the other stores.

Batches hold the writer lock for a transaction each, so two ingests take
turns batch by batch; files that overlap meet the same new people, and the
same articles, in both processes at once.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from storage.channels.subscriptions import subscribe
from storage.db.store import Store
from tests.ingest.test_batches import _empty_store_like, generated_article, shape

REPO = Path(__file__).resolve().parents[2]


def archive(path: Path, numbers: range) -> Path:
    """Articles numbered as given; the same number is the same article in every file.

    Dates are days: which article first reported an event known also to the
    month decides which action a channel was told of (storage.ingest.writer
    `_regroup`), and two ingests at once have no first.
    """
    with path.open("w", encoding="utf-8") as handle:
        for number in numbers:
            document = generated_article(number, random.Random(number), coarse=False)
            handle.write(json.dumps(document, ensure_ascii=False) + "\n")
    return path


def ingest(*paths: Path, database_url: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "DATABASE_URL": database_url}
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "ingest", *map(str, paths)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=240)
    assert process.returncode == 0, err
    return out


def test_two_ingests_of_overlapping_archives_at_once_store_what_one_after_the_other_does(
    store_url: str, tmp_path: Path
) -> None:
    first = archive(tmp_path / "first.jsonl", range(0, 500))
    second = archive(tmp_path / "second.jsonl", range(250, 750))
    racing = Store.open(store_url)
    subscribe(racing, "T1", "C1", "new")
    racing.dispose()
    runs = [ingest(first, second, database_url=store_url), ingest(second, first, database_url=store_url)]
    outputs = [finished(run) for run in runs]
    # Every article was new to exactly one of the two, and unchanged to the other.
    assert sum(int(out.split(" new,")[0].split()[-1]) for out in outputs) == 750

    with _empty_store_like(store_url, tmp_path / "alone.db") as alone_url:
        alone = Store.open(alone_url)
        subscribe(alone, "T1", "C1", "new")
        alone.dispose()
        finished(ingest(first, database_url=alone_url))
        finished(ingest(second, database_url=alone_url))
        alone = Store.open(alone_url)
        expected = shape(alone)
        alone.dispose()

    racing = Store.open(store_url)
    actual = shape(racing)
    with racing.engine.connect() as connection:
        twice = connection.execute(text(
            "SELECT target_id, authority_id, kind, day, precision FROM actions "
            "GROUP BY target_id, authority_id, kind, day, precision HAVING count(*) > 1"
        )).all()
        articles = connection.execute(text("SELECT count(*) FROM articles")).scalar()
    racing.dispose()
    assert (articles, twice) == (750, [])
    assert actual["answers"] == expected["answers"]
    # Each event owed once, whichever of its articles came first.
    assert owed(actual["outbox"]) == owed(expected["outbox"])


def owed(outbox: list[tuple]) -> list[tuple]:
    return sorted(row[:-1] for row in outbox)
