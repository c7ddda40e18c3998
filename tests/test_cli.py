"""The `sanctions` command as an editor runs it, in a fresh working directory."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import confirmed, simple_article, write_json, write_jsonl

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

    lists = run(tmp_path, "lists", "import", "--samples")  # the README's first command loads the lists too
    assert lists.returncode == 0, lists.stderr
    card = run(tmp_path, "ask", "wang junzheng").stdout
    assert "OFAC SDN List [US]: on the list since at least 22 March 2021" in card
    assert "EU Financial Sanctions Files [EU]: listed 22 March 2021" in card
    assert "! " not in card  # excerpts and samples agree: no warning on him
    assert "OFAC SDN List" in run(tmp_path, "lists", "status").stdout


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

SIDOROV = "The EU on Monday froze the assets of Ivan Sidorov."
ORLOV = "Britain on Monday sanctioned Pavel Orlov."


def rejected_lines(stderr: str, path: Path) -> list[str]:
    return [line for line in stderr.splitlines() if str(path) in line]


# -- drafted ids ------------------------------------------------------------------------------


def test_two_raw_files_of_one_name_are_drafted_as_two_articles_and_ingest_as_two(tmp_path: Path) -> None:
    (tmp_path / "ext").mkdir()
    (tmp_path / "ext2").mkdir()
    (tmp_path / "ext" / "raw.txt").write_text(SIDOROV, encoding="utf-8")
    (tmp_path / "ext2" / "raw.txt").write_text(ORLOV, encoding="utf-8")
    drafts = {}
    for folder in ("ext", "ext2"):
        result = run(tmp_path, "extract", f"{folder}/raw.txt", "--published", "2021-03-23")
        assert result.returncode == 0, result.stderr
        drafts[folder] = json.loads(result.stdout)
    first, second = drafts["ext"]["id"], drafts["ext2"]["id"]
    assert first != second and first.startswith("raw-") and second.startswith("raw-")
    again = run(tmp_path, "extract", "ext/raw.txt", "--published", "2021-03-23")
    assert json.loads(again.stdout)["id"] == first  # the same input keeps its id

    write_json(tmp_path / "in" / "a.json", confirmed(drafts["ext"]))
    write_json(tmp_path / "in" / "b.json", confirmed(drafts["ext2"]))
    ingested = run(tmp_path, "ingest", str(tmp_path / "in" / "a.json"))
    assert ingested.returncode == 0, ingested.stderr
    ingested = run(tmp_path, "ingest", str(tmp_path / "in" / "b.json"))
    assert "1 new, 0 unchanged, 0 replaced" in ingested.stdout  # not a replacement of the first
    assert run(tmp_path, "ask", "ivan sidorov").stdout.startswith("Ivan Sidorov\n")
    assert run(tmp_path, "ask", "pavel orlov").stdout.startswith("Pavel Orlov\n")


# -- drafts are confirmed by a person ---------------------------------------------------------


def test_ingest_refuses_an_unconfirmed_draft_and_takes_it_once_the_flag_is_removed(tmp_path: Path) -> None:
    (tmp_path / "wire.jsonl").write_text(
        "\n".join(json.dumps({"id": key, "published": "2021-03-23", "text": text})
                  for key, text in (("a", SIDOROV), ("b", ORLOV))) + "\n", encoding="utf-8")
    drafted = run(tmp_path, "extract", "wire.jsonl", "--output", "drafts")
    assert drafted.returncode == 0, drafted.stderr
    path = tmp_path / "drafts" / "wire.jsonl"
    documents = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert all(event["draft"] is True for d in documents for event in d["sanctions"])  # extract unchanged

    result = run(tmp_path, "ingest", str(path))
    assert result.returncode == 1
    assert "2 articles read: 0 new, 0 unchanged, 0 replaced, 2 rejected; 0 actions added." in result.stdout
    lines = rejected_lines(result.stderr, path)
    assert lines[1] == (
        f"rejected: {path}:2: sanctions[0] ('Pavel Orlov'): drafted by `sanctions extract` and not yet "
        "confirmed; check it against the text, then remove its \"draft\": true (or delete the event)")
    assert "Nothing found" in run(tmp_path, "ask", "pavel orlov").stdout

    write_jsonl(path, [confirmed(d) for d in documents])
    assert run(tmp_path, "ingest", str(path)).returncode == 0
    assert run(tmp_path, "ask", "pavel orlov").stdout.startswith("Pavel Orlov\n")


# -- the contract's rules -----------------------------------------------------------------------


def test_two_events_for_one_target_and_authority_are_refused_naming_both(tmp_path: Path) -> None:
    document = simple_article("twice", "Wang Junzheng", "The Treasury", "on Monday")
    document["sanctions"].append({"target": "P", "authority": "A"})
    path = write_json(tmp_path / "twice.json", document)
    result = run(tmp_path, "ingest", str(path))
    assert result.returncode == 1
    assert rejected_lines(result.stderr, path) == [
        f"rejected: {path}: sanctions[1]: links target 'P' to authority 'A' with action 'imposed' as sanctions[0] "
        "does; an article has one such event per target and authority, so merge the two"]


def test_an_imposition_and_a_lifting_of_one_pair_are_two_events(tmp_path: Path) -> None:
    document = simple_article("both", "Wang Junzheng", "The Treasury", "on Monday")
    document["sanctions"].append({"target": "P", "authority": "A", "action": "lifted"})
    result = run(tmp_path, "ingest", str(write_json(tmp_path / "both.json", document)))
    assert result.returncode == 0, result.stderr


def test_aliases_on_a_date_are_refused(tmp_path: Path) -> None:
    document = simple_article("alias", "Wang Junzheng", "The Treasury", "on Monday")
    document["entities"][2]["aliases"] = ["22 March"]
    path = write_json(tmp_path / "alias.json", document)
    result = run(tmp_path, "ingest", str(path))
    assert result.returncode == 1
    assert rejected_lines(result.stderr, path) == [
        f"rejected: {path}: entity D: 'aliases' are for PERSON and ORG entities only, not a DATE; "
        "remove them or correct the label"]


# -- one fault, one line ------------------------------------------------------------------------


def test_entities_that_are_not_objects_give_one_line_and_no_echoes(tmp_path: Path) -> None:
    keyed = simple_article("keyed", "Wang Junzheng", "The Treasury", "on Monday")
    keyed["entities"] = {"P": 1}
    listed = simple_article("listed", "Wang Junzheng", "The Treasury", "on Monday")
    listed["entities"][1] = 1  # the PERSON P
    path = write_jsonl(tmp_path / "batch.jsonl", [keyed, listed])
    result = run(tmp_path, "ingest", str(path))
    assert result.returncode == 1
    lines = rejected_lines(result.stderr, path)
    assert len(lines) == 2 and "names no entity" not in result.stderr
    assert lines[0].startswith(f"rejected: {path}:1: field 'entities' must be a list of objects such as")
    assert lines[0].endswith("not an object keyed by id")
    assert lines[1] == f"rejected: {path}:2: entities[1] must be an object, not a number"


# -- wording ------------------------------------------------------------------------------------


def test_problems_read_as_plain_sentences(tmp_path: Path) -> None:
    wrong_label = simple_article("label", "Wang Junzheng", "The Treasury", "on Monday")
    wrong_label["sanctions"][0]["target"] = "A"
    no_such_day = simple_article("day", "Wang Junzheng", "The Treasury", "on Monday")
    no_such_day["entities"][2]["value"] = "2022-02-30"
    path = write_jsonl(tmp_path / "batch.jsonl", [wrong_label, no_such_day, '{"published": "2021-03-23", "text": "a'])
    result = run(tmp_path, "ingest", str(path))
    assert rejected_lines(result.stderr, path) == [
        f"rejected: {path}:1: sanctions[0]: target 'A' is an AUTHORITY, not an ORG or PERSON",
        f"rejected: {path}:2: entity D: value '2022-02-30' names a day that does not exist: "
        "February 2022 has no day 30",
        f"rejected: {path}:3: not valid JSON: Unterminated string starting at column 37",
    ]


def test_extract_counts_in_words(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(SIDOROV, encoding="utf-8")
    result = run(tmp_path, "extract", "a.txt", "--published", "2021-03-23", "--output", "drafts")
    assert result.stderr.strip() == f"a.txt: 1 drafted event in 1 article -> {Path('drafts') / 'a.json'}"


# -- nothing to ingest --------------------------------------------------------------------------


def test_ingesting_nothing_says_so_and_fails(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    empty_list = tmp_path / "none.json"
    empty_list.write_text("[]", encoding="utf-8")
    for path in (empty_list, tmp_path / "empty"):
        result = run(tmp_path, "ingest", str(path))
        assert result.returncode == 1
        assert result.stderr.strip() == f"sanctions ingest: no articles found in {path}."
        assert result.stdout == ""


# -- ask's options ------------------------------------------------------------------------------


def test_ask_refuses_numbers_it_cannot_page_by(tmp_path: Path) -> None:
    for option, value, minimum in (("--limit", "0", 1), ("--limit", "-1", 1), ("--offset", "-5", 0)):
        result = run(tmp_path, "ask", option, value, "by eu")
        assert result.returncode == 2
        assert result.stderr.splitlines()[-1] == (
            f"sanctions ask: error: argument {option}: must be a whole number of {minimum} or more, not '{value}'")
        assert result.stdout == ""


def test_explain_shows_why_a_name_matched_in_the_text_answer(tmp_path: Path) -> None:
    assert run(tmp_path, "ingest", "--samples").returncode == 0
    result = run(tmp_path, "ask", "--explain", "wang junzhen")
    assert result.returncode == 0
    assert re.search(r"^Matched: score 0\.\d\d \(.*typo -0\.\d\d.*\)$", result.stdout, re.M), result.stdout
    listed = run(tmp_path, "ask", "--explain", "by eu")
    assert listed.returncode == 0 and "asks for a list, which matches no names" in listed.stderr


# -- provenance in the CSV ----------------------------------------------------------------------


def test_csv_rows_name_the_source_and_its_date_in_new_last_columns(tmp_path: Path) -> None:
    document = simple_article("wire", "Wang Junzheng", "The Treasury", "on Monday", published="2021-03-23")
    del document["url"], document["title"]
    assert run(tmp_path, "ingest", str(write_json(tmp_path / "a.json", document))).returncode == 0
    exported = run(tmp_path, "export", "--format", "csv")
    assert exported.returncode == 0
    rows = list(csv.reader(io.StringIO(exported.stdout)))
    assert rows[0][-3:] == ["quote", "source", "published"]
    assert rows[1][-2:] == ["Test Wire", "2021-03-23"]


def test_an_answer_piped_to_a_reader_that_stopped_ends_quietly(tmp_path: Path) -> None:
    assert run(tmp_path, "ingest", "--samples").returncode == 0
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("DATABASE_URL", None)
    asking = subprocess.Popen([*SANCTIONS, "ask", "--json", "recent"], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    asking.stdout.close()  # as `| head` does once it has its lines  # type: ignore[union-attr]
    _, stderr = asking.communicate(timeout=120)
    assert asking.returncode == 0 and "went wrong" not in stderr, stderr
