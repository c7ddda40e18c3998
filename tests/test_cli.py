"""The `sanctions` command as an editor runs it, in a fresh working directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import simple_article, write_json, write_jsonl

SANCTIONS = [sys.executable, "-m", "bot.cli"]
REPO = Path(__file__).resolve().parents[1]


def run(cwd: Path, *args: str, database_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run([*SANCTIONS, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_a_fresh_install_answers_from_the_samples(tmp_path: Path) -> None:
    ingest = run(tmp_path, "ingest", "--samples")
    assert ingest.returncode == 0, ingest.stderr
    assert "new" in ingest.stdout and "0 rejected" in ingest.stdout
    assert (tmp_path / "sanctions.db").exists()  # SQLite in the working directory

    asked = run(tmp_path, "ask", "wang junzheng")
    assert asked.returncode == 0
    assert asked.stdout.startswith("Wang Junzheng\n")
    assert "U.S. Department of the Treasury [US], 22 March 2021" in asked.stdout
    assert "https://example.org/" in asked.stdout

    data = json.loads(run(tmp_path, "ask", "--json", "wang junzheng").stdout)
    assert data["best"] == "Wang Junzheng" and data["kind"] == "name"


def test_ingest_reports_counts_and_each_rejection_and_exits_1(tmp_path: Path) -> None:
    good = simple_article("good", "Wang Junzheng", "The Treasury", "on Monday")
    bad = simple_article("bad", "Chen Mingguo", "The EU", "on Monday")
    bad["sanctions"][0]["authority"] = "X1"
    path = write_jsonl(tmp_path / "in" / "batch.jsonl", [good, bad])
    result = run(tmp_path, "ingest", str(tmp_path / "in"))
    assert result.returncode == 1
    assert "2 articles read: 1 new, 0 unchanged, 0 replaced, 1 rejected; 1 action added." in result.stdout
    assert f"{path}:2: sanctions[0]: authority 'X1' names no entity of this article" in result.stderr
    again = run(tmp_path, "ingest", str(path.parent / "batch.jsonl"))
    assert "0 new, 1 unchanged" in again.stdout


def test_ingest_of_a_clean_folder_exits_0(tmp_path: Path) -> None:
    write_json(tmp_path / "in" / "a.json", simple_article("a", "Wang Junzheng", "The Treasury", "on Monday"))
    assert run(tmp_path, "ingest", str(tmp_path / "in")).returncode == 0


def test_a_missing_path_is_named_and_not_counted_as_an_article(tmp_path: Path) -> None:
    good = write_json(tmp_path / "in" / "a.json", simple_article("a", "Wang Junzheng", "The Treasury", "on Monday"))
    result = run(tmp_path, "ingest", str(good), "nowhere.json")
    assert result.returncode == 2
    assert result.stderr.strip() == "sanctions ingest: nowhere.json does not exist; nothing was ingested."
    assert "article" not in result.stdout  # no "1 article read … 1 rejected"
    assert "Nothing found" in run(tmp_path, "ask", "wang junzheng").stdout


def test_nothing_found_says_so(tmp_path: Path) -> None:
    run(tmp_path, "ingest", "--samples")
    result = run(tmp_path, "ask", "Xi Jinping")
    assert result.returncode == 0 and result.stdout.startswith("Nothing found for 'Xi Jinping'")
    data = json.loads(run(tmp_path, "ask", "--json", "Xi Jinping").stdout)
    assert data["best"] is None and data["matches"] == []


def test_a_bad_question_gets_one_sentence(tmp_path: Path) -> None:
    result = run(tmp_path, "ask", "on", "someday")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "sanctions ask: I could not read the date 'someday'; try 2021-03-22, March 2021 or last week.")


def test_db_upgrade_creates_then_keeps_the_schema(tmp_path: Path) -> None:
    first = run(tmp_path, "db", "upgrade")
    second = run(tmp_path, "db", "upgrade")
    assert first.returncode == second.returncode == 0
    assert "(unchanged)" in second.stdout and "(unchanged)" not in first.stdout


def test_an_unreachable_database_gets_an_error_id_not_a_trace(tmp_path: Path) -> None:
    result = run(tmp_path, "ask", "wang", database_url="postgresql+psycopg://postgres@127.0.0.1:1/none")
    assert result.returncode == 3
    assert "the store cannot be reached" in result.stderr and "error id" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.usefixtures("postgres_url")
def test_the_same_commands_work_on_postgresql(tmp_path: Path, postgres_store_url: str) -> None:
    assert run(tmp_path, "ingest", "--samples", database_url=postgres_store_url).returncode == 0
    asked = run(tmp_path, "ask", "--json", "by eu", database_url=postgres_store_url)
    assert json.loads(asked.stdout)["actions"]


def test_a_dotenv_in_the_working_directory_configures_the_cli_as_it_does_serve(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"DATABASE_URL=sqlite:///{tmp_path / 'from-dotenv.db'}\nLOG_LEVEL=INFO\n")
    ingest = run(tmp_path, "ingest", "--samples")
    assert ingest.returncode == 0, ingest.stderr
    assert (tmp_path / "from-dotenv.db").exists() and not (tmp_path / "sanctions.db").exists()
    assert " INFO " in ingest.stderr  # LOG_LEVEL is read too


@pytest.mark.parametrize(
    ("url", "named"), [("garbage", "'garbage' is not a database URL"), ("mysql://u@h/db", "uses 'mysql'")]
)
def test_a_database_url_we_cannot_open_gets_one_sentence(tmp_path: Path, url: str, named: str) -> None:
    result = run(tmp_path, "ask", "wang", database_url=url)
    assert result.returncode == 2
    assert named in result.stderr and "Traceback" not in result.stderr and "error id" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.usefixtures("postgres_url")
def test_a_postgres_url_as_hosts_write_it_opens_with_psycopg(tmp_path: Path, postgres_store_url: str) -> None:
    hosted = "postgres" + postgres_store_url.removeprefix("postgresql+psycopg")
    assert run(tmp_path, "ingest", "--samples", database_url=hosted).returncode == 0
    assert run(tmp_path, "ask", "wang junzheng", database_url=hosted).stdout.startswith("Wang Junzheng\n")


def test_a_bad_port_stops_serve_with_one_sentence(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PORT": "notaport", "SLACK_BOT_TOKEN": "xoxb-1",
           "SLACK_SIGNING_SECRET": "s"}
    result = subprocess.run([*SANCTIONS, "serve"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == "sanctions: PORT must be a TCP port number, not 'notaport'"


def test_a_rejected_article_names_each_of_its_problems(tmp_path: Path) -> None:
    document = simple_article("two", "Wang Junzheng", "The Treasury", "on Monday")
    document["entities"][1]["label"] = "VESSEL"
    document["sanctions"][0]["action"] = "revoked"
    path = write_json(tmp_path / "in" / "two.json", document)
    result = run(tmp_path, "ingest", str(path))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if str(path) in line]
    assert len(lines) == 2
    assert lines[0].startswith(f"rejected: {path}: entity P: label 'VESSEL' is not one of")
    assert lines[1].endswith(f"{path}: sanctions[0]: action 'revoked' is not imposed, lifted or extended")


def test_export_and_digest_work_with_no_options(tmp_path: Path) -> None:
    assert run(tmp_path, "ingest", "--samples").returncode == 0
    exported = run(tmp_path, "export")
    assert exported.returncode == 0 and json.loads(exported.stdout.splitlines()[0])["text"]  # native articles
    digest = run(tmp_path, "digest")
    assert digest.returncode == 0 and digest.stdout.startswith("Sanctions digest, ")
    assert "new actions by" in digest.stdout  # the samples were recorded just now
    refused = run(tmp_path, "digest", "--post")
    assert refused.returncode == 2 and "--post needs --channel" in refused.stderr
