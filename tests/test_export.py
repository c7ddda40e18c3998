"""Export as the sanctions world reads it: FollowTheMoney, CSV, and native articles back."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from followthemoney import model
from sqlalchemy import func, select

from storage.answers.queries import answer
from storage.answers.questions import parse_question
from storage.db.models import Action
from storage.db.store import Store
from storage.export import CSV_COLUMNS, export, ftm_date, target_facts
from storage.ingest.writer import ingest_paths

REPO = Path(__file__).resolve().parents[1]


def exported(store: Store, format: str) -> str:
    out = io.StringIO()
    export(store, format, out)
    return out.getvalue()


def questions(store: Store) -> list[str]:
    """Every name in the store, every jurisdiction, and the lists."""
    names = [t.name for t in target_facts(store)]
    return [*names, "by us", "by eu", "by gb", "by cn", "by un", "recent", "since 2019", "on march 2021"]


def ask_json(store: Store, text: str) -> dict:
    return answer(store, parse_question(text, date(2026, 11, 29)), limit=200).to_json()


def action_count(store: Store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(Action)) or 0


def test_ftm_entities_are_read_back_by_followthemoney_without_loss(samples: Store) -> None:
    lines = exported(samples, "ftm").splitlines()
    entities = [json.loads(line) for line in lines]
    ids = {e["id"] for e in entities}
    assert len(ids) == len(entities)
    for data in entities:
        proxy = model.get_proxy(data, cleaned=False)  # cleans every value as FtM would
        assert proxy.to_dict()["properties"] == data["properties"], data  # nothing was dropped as invalid
        if proxy.schema.name == "Sanction":
            assert proxy.get("entity")[0] in ids
    sanctions = [e for e in entities if e["schema"] == "Sanction"]
    assert len(sanctions) == action_count(samples)
    assert {e["schema"] for e in entities} == {"Person", "Organization", "Sanction"}


def test_ftm_says_who_by_whom_and_when_at_the_precision_known(samples: Store) -> None:
    entities = [json.loads(line) for line in exported(samples, "ftm").splitlines()]
    by_id = {e["id"]: e for e in entities}
    wang = next(e for e in entities if e["schema"] == "Person" and e["properties"]["name"] == ["Wang Junzheng"])
    assert wang["schema"] == "Person" and "王君正" in wang["properties"]["alias"]
    treasury = next(e["properties"] for e in entities if e["schema"] == "Sanction"
                    and e["properties"]["entity"] == [wang["id"]]
                    and e["properties"]["authority"] == ["U.S. Department of the Treasury"])
    assert treasury["startDate"] == ["2021-03-22"] and treasury["country"] == ["us"]
    assert treasury["sourceUrl"][0].startswith("https://example.org/")
    assert treasury["reason"] and treasury["status"] == ["imposed"]
    sanctions = [e["properties"] for e in entities if e["schema"] == "Sanction"]
    lifted = [p for p in sanctions if p["status"] == ["lifted"]]
    assert lifted and all("endDate" in p and "startDate" not in p for p in lifted)
    named = {by_id[p["entity"][0]]["properties"]["name"][0]: p for p in lifted}
    assert named["United Company Rusal"]["endDate"] == ["2019-01-27"]
    assert by_id[named["United Company Rusal"]["entity"][0]]["schema"] == "Organization"
    assert named["Alexander Lukashenko"]["endDate"] == ["2016-02"]  # "in February": a month, not a day


@pytest.mark.parametrize(("day", "precision", "written"), [
    ("2021-03-22", "day", "2021-03-22"), ("2021-03-01", "month", "2021-03"), ("2021-01-01", "year", "2021"),
    ("2021-03-15", "week", "2021-03"), ("2021-03-29", "week", "2021"), ("2020-12-28", "week", None),
])
def test_a_date_is_written_no_more_precisely_than_known(day: str, precision: str, written: str | None) -> None:
    assert ftm_date(day, precision) == written


def test_csv_has_one_row_per_action(samples: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(exported(samples, "csv"))))
    assert len(rows) == action_count(samples)
    assert tuple(rows[0]) == CSV_COLUMNS
    wang = [r for r in rows if r["target"] == "Wang Junzheng" and r["jurisdiction"] == "US"]
    assert [(r["authority"], r["date"], r["precision"], r["action"]) for r in wang] == [
        ("U.S. Department of the Treasury", "2021-03-22", "day", "imposed")]
    assert wang[0]["quote"] and wang[0]["source_urls"].startswith("https://example.org/")


def test_exported_articles_ingested_into_an_empty_store_give_the_same_answers(
    samples: Store, store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text(exported(samples, "jsonl"), encoding="utf-8")
    report = ingest_paths(store, [path])
    assert (report.rejected, report.new) == (0, 21), report.rejections
    for question in questions(samples):
        assert ask_json(store, question) == ask_json(samples, question), question
    assert exported(store, "csv") == exported(samples, "csv")
    assert exported(store, "ftm") == exported(samples, "ftm")


def test_sanctions_export_writes_a_file_and_says_how_much(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("DATABASE_URL", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)

    assert run("ingest", "--samples").returncode == 0
    written = run("export", "--format", "ftm", "--output", "sanctions.ftm.json")
    assert written.returncode == 0, written.stderr
    lines = (tmp_path / "sanctions.ftm.json").read_text(encoding="utf-8").splitlines()
    assert written.stderr.strip() == f"{len(lines)} entities written to sanctions.ftm.json."
    printed = run("export", "--format", "jsonl")
    assert printed.returncode == 0 and len(printed.stdout.splitlines()) == 21
    assert run("export").stdout == printed.stdout  # native articles by default
    assert run("export", "--format", "xml").returncode == 2
