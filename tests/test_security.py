"""No one let in, nothing pinged, nothing leaked, nothing injected.

What tests/bot/test_http.py already shows (a forged, foreign, stale or
tampered signature gets 401; the shortcut is for editors) is not repeated;
this adds the other ways in, every surface a hostile article or query can
reach, the logs, and SQL.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import inspect, text

from storage.answers.queries import answer
from storage.answers.questions import AuthorityQuestion, NameQuestion, QuestionError, parse_question
from storage.articles import Article, Origin, RawArticle, validate
from storage.channels.subscriptions import subscribe
from storage.db.store import Store
from storage.ingest.writer import ingest_article, ingest_paths
from storage.samples import SAMPLES_DIR

sys.path.insert(0, str(Path(__file__).parent / "bot"))
from block_rules import assert_pings_nobody  # noqa: E402
from fake_slack import FakeSlack, start_fake_slack  # noqa: E402
from slack_side import CHANNEL, EDITOR, REPORTER, RunningApp, SlackSide, start_app, stop_app  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 29)
TEAM = "T0NEWS"
ANNOUNCED = "C0ANNOUNCE"
# Recognisable secrets: if any of these turns up in a log, it leaked.
BOT_TOKEN = "xoxb-1111-2222-LEAKCANARYTOKEN7f3a9"
SIGNING_SECRET = "LEAKCANARYSECRET0c4e8b1d2a"
DB_PASSWORD = "LEAKCANARYPASSWORD5d1e"
SECRETS = [BOT_TOKEN, SIGNING_SECRET, DB_PASSWORD, "LEAKCANARY"]

PINGS = ("<!channel> <!here> <!everyone> <@U0BOSS> <#C0GENERAL> <!subteam^S0DESK> "
         "<https://evil.example/phish|Click here> <mailto:boss@example.org|mail>")
# The only control sequences we ever write: the sharer's mention and links to sample sources.
_OURS = re.compile(r"<(?:@" + REPORTER + r"|https://example\.org/[^\s<>|]*\|[^<>]*)>")


# --- hostile articles ----------------------------------------------------------------


def _entity(text_: str, entity_id: str, label: str, phrase: str, **extra: Any) -> dict[str, Any]:
    start = text_.index(phrase)
    return {"id": entity_id, "label": label, "start": start, "end": start + len(phrase), **extra}


def hostile_articles() -> list[dict[str, Any]]:
    first = (f"The European Union on Monday sanctioned Zorana Pingova <@U0BOSS>, head of the <!channel> Bureau, "
             f"over <https://evil.example/phish|fraud> & lies under the <!here> Act. {PINGS}.")
    second = f"The <!channel> Authority on 20 February sanctioned Kirill Pingov <!everyone> over {PINGS}."
    third = "The Treasury on Monday sanctioned Lana Pingovic over <#C0GENERAL> & <@W0BOSS> dealings."
    return [
        {
            "id": "security-1", "published": "2024-02-27", "text": first,
            "title": f"Title {PINGS}", "source": f"Wire {PINGS}", "url": "https://evil.example/phish|<!channel>",
            "entities": [
                _entity(first, "A", "AUTHORITY", "European Union"),
                _entity(first, "D", "DATE", "Monday"),
                _entity(first, "P", "PERSON", "Zorana Pingova <@U0BOSS>",
                        aliases=["<!channel>", "<https://evil.example|Zorana>"]),
                _entity(first, "O", "ROLE", "head of the <!channel> Bureau"),
                _entity(first, "R", "REASON", "<https://evil.example/phish|fraud> & lies"),
                _entity(first, "G", "PROGRAM", "<!here> Act"),
            ],
            "sanctions": [{"target": "P", "authority": "A", "date": "D", "role": "O", "reason": "R", "program": "G"}],
        },
        {
            "id": "security-2", "published": "2024-02-27", "text": second,
            "title": f"<https://evil.example|{PINGS}>", "source": "<!channel>", "url": "<https://evil.example|x>",
            "entities": [
                _entity(second, "A", "AUTHORITY", "<!channel> Authority"),
                _entity(second, "D", "DATE", "20 February"),
                _entity(second, "P", "PERSON", "Kirill Pingov <!everyone>"),
                _entity(second, "R", "REASON", PINGS),
            ],
            "sanctions": [{"target": "P", "authority": "A", "date": "D", "reason": "R"}],
        },
        {
            "id": "security-3", "published": "2024-02-27", "text": third,
            "title": f"Safe link, hostile title {PINGS}", "source": "Example <@U0BOSS> Wire",
            "url": "https://example.org/legit?a=1&b=<@U0BOSS>",
            "entities": [
                _entity(third, "A", "AUTHORITY", "Treasury"),
                _entity(third, "D", "DATE", "Monday"),
                _entity(third, "P", "PERSON", "Lana Pingovic"),
                _entity(third, "R", "REASON", "<#C0GENERAL> & <@W0BOSS> dealings"),
            ],
            "sanctions": [{"target": "P", "authority": "A", "date": "D", "reason": "R"}],
        },
    ]


def store_hostile(store: Store) -> None:
    for document in hostile_articles():
        article = validate(RawArticle(Origin(document["id"]), document))
        assert isinstance(article, Article), article
        ingest_article(store, article)


# --- what Slack would show ------------------------------------------------------------------


def shown_texts(payload: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """(where, text) of every text object, and the fallback text, anywhere in a payload."""
    if isinstance(payload, dict):
        if payload.get("type") in ("mrkdwn", "plain_text") and isinstance(payload.get("text"), str):
            yield where, payload["text"]
        for key, value in payload.items():
            if key == "text" and isinstance(value, str) and "type" not in payload:
                yield f"{where}.text", value  # a message's fallback
            elif key != "value":  # button values go back to us, never shown
                yield from shown_texts(value, f"{where}.{key}")
    elif isinstance(payload, list):
        for index, item in enumerate(payload):
            yield from shown_texts(item, f"{where}[{index}]")


def assert_shows_as_text(payload: Any) -> None:
    """No mention, broadcast, channel link or foreign link made from article or user text."""
    texts = list(shown_texts(payload))
    assert texts, payload
    for where, value in texts:
        rest = _OURS.sub("", value)
        rest = re.sub(r"(?m)^>", "", rest)  # block quotes we write
        assert "<" not in rest and ">" not in rest, f"{where}: {value!r}"
        for label in re.findall(r"<https://[^|>]+\|([^>]*)>", value):
            assert "<" not in label and ">" not in label, f"{where}: {value!r}"
    if isinstance(payload, dict) and isinstance(payload.get("blocks"), list) and payload.get("text"):
        assert_pings_nobody(payload["text"], payload["blocks"])  # and every mrkdwn is verbatim


# --- the app, with canary secrets ---------------------------------------------------------


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    fake = start_fake_slack()
    yield fake
    fake.close()


@dataclass
class HostileApp:
    app: RunningApp
    announced: list[dict[str, Any]]  # what the poster posted in ANNOUNCED of its own accord


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory, fake_slack: FakeSlack) -> Iterator[HostileApp]:
    folder = tmp_path_factory.mktemp("hostile-app")
    url = f"sqlite:///{folder / 'store.db'}"
    store = Store.open(url)
    assert ingest_paths(store, [SAMPLES_DIR]).rejected == 0
    subscribe(store, TEAM, ANNOUNCED, "new")  # so that the poster announces the hostile articles
    store_hostile(store)
    store.dispose()
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.api_url,
        "SANCTIONS_EDITORS": EDITOR,
        "DATABASE_URL": url,
        "LOG_LEVEL": "DEBUG",  # the most the app ever logs
    }
    app = start_app(folder, env, "app")
    try:
        fake_slack.wait_for("chat.postMessage", len(hostile_articles()), timeout=20,
                            where=lambda call: call.params.get("channel") == ANNOUNCED)
        yield HostileApp(app, fake_slack.messages(ANNOUNCED))
    finally:
        stop_app(app)


@pytest.fixture
def slack(hostile_app: HostileApp, fake_slack: FakeSlack) -> SlackSide:
    from slack_sdk.signature import SignatureVerifier

    fake_slack.reset()
    side = SlackSide(hostile_app.app.base_url, fake_slack)
    side.verifier = SignatureVerifier(SIGNING_SECRET)
    return side


# --- requests are Slack's, or refused (beyond test_http's) -----------------------------------


def test_requests_without_or_with_malformed_signature_headers_get_401(slack: SlackSide) -> None:
    body = urlencode(slack.command_form("zorana pingova"))
    stamp = str(int(time.time()))
    good = slack.verifier.generate_signature(timestamp=stamp, body=body)
    for headers in [
        {},
        {"X-Slack-Request-Timestamp": stamp},
        {"X-Slack-Signature": good},
        {"X-Slack-Request-Timestamp": str(int(stamp) + 360),  # from the future, beyond the 5 minutes
         "X-Slack-Signature": slack.verifier.generate_signature(timestamp=str(int(stamp) + 360), body=body)},
        {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": good.replace("v0=", "v1=")},
        {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": good[:-1]},
        {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": good.upper()},
    ]:
        reply = slack.send("POST", "/slack/events", body.encode(),
                           {"Content-Type": "application/x-www-form-urlencoded", **headers})
        assert reply.status == 401, headers
        assert b"Pingova" not in reply.body


def test_a_timestamp_that_is_no_number_gets_401(slack: SlackSide) -> None:
    body = urlencode(slack.command_form("zorana pingova"))
    signature = slack.verifier.generate_signature(timestamp="not-a-number", body=body)
    reply = slack.post(body, timestamp="not-a-number", signature=signature)  # type: ignore[arg-type]
    assert b"Pingova" not in reply.body
    assert reply.status == 401


def test_forged_clicks_events_and_shortcuts_get_401_and_do_nothing(slack: SlackSide) -> None:
    forged = "v0=" + "1" * 64
    share = {"action_id": "sanctions_share", "text": {"type": "plain_text", "text": "Share"},
             "value": json.dumps({"q": "zorana pingova", "o": 0})}
    payload = {"type": "block_actions", "user": {"id": REPORTER}, "channel": {"id": CHANNEL},
               "container": {"type": "message", "is_ephemeral": True}, "actions": [share],
               "response_url": slack.fake.response_url("forged"), "trigger_id": "1.2"}
    assert slack.post(urlencode({"payload": json.dumps(payload)}), signature=forged).status == 401
    shortcut = {"type": "message_action", "callback_id": "add_sanctions_item", "trigger_id": "1.2",
                "user": {"id": EDITOR}, "channel": {"id": CHANNEL}, "message": {"text": "x", "ts": "1.2"}}
    assert slack.post(urlencode({"payload": json.dumps(shortcut)}), signature=forged).status == 401
    event = {"type": "event_callback", "event": {"type": "app_home_opened", "user": REPORTER, "tab": "home"}}
    assert slack.post(json.dumps(event), content_type="application/json", signature=forged).status == 401
    challenge = {"type": "url_verification", "challenge": "forged-challenge"}
    reply = slack.post(json.dumps(challenge), content_type="application/json", signature=forged)
    assert reply.status == 401 and b"forged-challenge" not in reply.body
    command = urlencode(slack.command_form("subscribe new"))
    assert slack.post(command, signature=forged).status == 401
    time.sleep(0.5)
    assert [c.method for c in slack.fake.calls if c.method != "conversations.history"] == []


# --- article and user text never turn into mentions or links -----------------------------------

QUERIES = [
    "zorana pingova", "Zorana Pingova <@U0BOSS>", "kirill pingov", "lana pingovic", "pingov", "<!channel>",
    "<@U0BOSS> zorana", "<https://evil.example|zorana pingova>", "by <!channel> authority", "by eu",
    "by <https://evil.example|eu>", "by us since <!here>", "on 2024-02-26", "on <!here>", "since <@U0BOSS>",
    "since 2024", "recent", "subscribe digest 08:00 <!channel>", "subscribe <@U0BOSS>", "unsubscribe <!here>",
    "status", "add <!channel>", "help <!channel>",
]


def test_every_answer_shows_article_and_user_text_as_text(slack: SlackSide) -> None:
    for query in QUERIES:
        reply = slack.command(query, user_id=EDITOR if query.startswith("add") else REPORTER)
        assert reply.status == 200, query
        if reply.body:
            assert_shows_as_text(reply.json())
    shown = json.dumps(slack.command("zorana pingova").json(), ensure_ascii=False)
    assert "&lt;!channel&gt;" in shown and "&lt;@U0BOSS&gt;" in shown
    assert "&lt;https://evil.example/phish|fraud&gt; &amp; lies" in shown
    for posted in slack.fake.calls:  # what went through response_url or the Web API meanwhile
        if posted.method in ("response_url", "chat.postMessage", "chat.postEphemeral", "views.open"):
            assert_shows_as_text(posted.params)


def test_buttons_and_shares_of_hostile_cards_stay_text(slack: SlackSide) -> None:
    for query in ["zorana pingova", "pingov", "by <!channel> authority", "recent"]:
        card = slack.command(query).json()
        buttons = [e for b in card["blocks"] for e in b.get("elements", []) if e.get("type") == "button"]
        for number, button in enumerate(buttons):
            assert slack.click(button, response_name=f"b{number}").status == 200
    slack.fake.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == CHANNEL)
    time.sleep(0.5)
    checked = [c for c in slack.fake.calls if c.method in ("response_url", "chat.postMessage")]
    assert len(checked) >= 4
    for call in checked:
        assert_shows_as_text(call.params)


def test_hostile_articles_announced_in_a_channel_and_in_digests_are_text(
    hostile_app: HostileApp, tmp_path: Path
) -> None:
    from bot.blocks.posts import render_digest
    from storage.channels.digests import build_digest

    assert len(hostile_app.announced) == len(hostile_articles())
    for message in hostile_app.announced:
        assert_shows_as_text({"text": message["text"], "blocks": message["blocks"]})
    store = Store.open(f"sqlite:///{tmp_path / 'digest.db'}")
    store_hostile(store)
    now = datetime.now(UTC)
    digest = build_digest(store, ANNOUNCED, now.date(), now - timedelta(days=1), now + timedelta(minutes=1))
    store.dispose()
    assert not digest.empty
    message = render_digest(digest, "Europe/Berlin")
    assert_shows_as_text({"text": message.text, "blocks": message.blocks})


def test_the_add_item_form_prefilled_from_a_hostile_message_shows_it_as_text(slack: SlackSide) -> None:
    message = f"The EU on Monday sanctioned Zorana Pingova, head of the <!channel> Bureau. {PINGS}"
    assert slack.message_shortcut(user_id=EDITOR, text=message).status == 200
    views = slack.fake.wait_for("views.open")
    time.sleep(1.0)  # the form is filled in by views.update once the draft is made
    for call in views + slack.fake.calls_to("views.update"):
        view = call.params["view"]
        view = json.loads(view) if isinstance(view, str) else view
        texts = [(w, t) for w, t in shown_texts(view) if ".element." not in w]  # not the inputs' own values
        for where, value in texts:
            assert "<" not in _OURS.sub("", value) and ">" not in _OURS.sub("", value), (where, value)


# --- tokens never appear in logs --------------------------------------------------------------


def test_tokens_and_passwords_never_reach_the_logs(
    slack: SlackSide, hostile_app: HostileApp, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    # Errors of every kind: refused and failing Slack calls, forged requests, a broken body.
    fake_slack.errors["chat.postMessage"] = "invalid_auth"
    fake_slack.rate_limited["views.open"] = 1
    card = slack.command("zorana pingova").json()
    share = next(e for b in card["blocks"] for e in b.get("elements", []) if e.get("action_id") == "sanctions_share")
    slack.click(share, response_name="leak-share")
    slack.message_shortcut(user_id=EDITOR, text="The EU sanctioned Zorana Pingova.")
    slack.post("payload=%7Bnot-json", content_type="application/x-www-form-urlencoded")
    slack.post(urlencode(slack.command_form("zorana")), signature="v0=" + "2" * 64)
    slack.post("{]", content_type="application/json")
    time.sleep(2.0)
    # The store unreachable, its password in DATABASE_URL: a second app, apologising.
    down_env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": fake_slack.api_url, "LOG_LEVEL": "DEBUG",
                "DATABASE_URL": f"postgresql+psycopg://sanctions:{DB_PASSWORD}@127.0.0.1:1/desk"}
    down = start_app(tmp_path, down_env, "down")
    try:
        down_side = SlackSide(down.base_url, fake_slack)
        down_side.verifier = slack.verifier
        assert "error id" in down_side.command("wang junzheng").json()["text"]
        assert down_side.send("GET", "/healthz").status == 503
        time.sleep(1.0)
    finally:
        stop_app(down)
    # And the CLI, failing the same way with its most verbose logging.
    cli = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--log-level", "DEBUG", "ask", "wang junzheng"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "DATABASE_URL": down_env["DATABASE_URL"],
             "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET},
    )
    assert cli.returncode != 0 and "error id" in cli.stderr
    logs = {"app": hostile_app.app.log(), "down": down.log(), "cli": cli.stdout + cli.stderr}
    assert "DEBUG" in logs["app"] and "store unavailable" in logs["down"]
    for name, log in logs.items():
        for secret in SECRETS:
            assert secret not in log, f"{secret} in the {name} log"
    assert all(secret not in json.dumps(c.params) for c in fake_slack.calls for secret in SECRETS)


# --- SQL only through bound parameters -----------------------------------------------------------

INJECTIONS = [
    "' OR 1=1 --",
    "'; DROP TABLE actions; --",
    "%' UNION SELECT name, name FROM targets --",
    "\" OR \"\"=\"",
    "1); DELETE FROM targets; --",
    "Robert'); DROP TABLE targets;--",
    "' OR 'a'='a",
    "'; SELECT pg_sleep(5); --",
    "1' AND (SELECT 1 FROM pg_sleep(5)) --",
    "%", "_", "%%", "\\", "'", "eu' --",
]


def _counts(store: Store) -> dict[str, int]:
    names = inspect(store.engine).get_table_names()
    with store.engine.connect() as connection:
        return {name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in names}


def test_classic_injections_in_every_query_form_find_nothing_and_change_nothing(store: Store) -> None:
    assert ingest_paths(store, [SAMPLES_DIR]).rejected == 0
    before = _counts(store)
    total = answer(store, parse_question("recent", TODAY), limit=1).total_actions
    for injection in INJECTIONS:
        for form in ["{}", "{} wang", "wang {}", "by {}", "by eu since {}", "on {}", "since {}", "on 2021-03-22{}"]:
            query = form.format(injection)
            started = time.perf_counter()
            try:
                question = parse_question(query, TODAY)
            except QuestionError:
                continue  # refused in a sentence, before any SQL
            result = answer(store, question, limit=50)
            assert time.perf_counter() - started < 2.0, query  # no pg_sleep ran
            assert (result.total_actions or 0) <= total, query
            if isinstance(question, NameQuestion):
                assert result.best in (None, "Wang Junzheng"), (query, result.best)
                assert len(result.matches) <= 10
            if isinstance(question, AuthorityQuestion) and not re.search(r"\beu\b", question.authority, re.I):
                assert result.actions == [], query  # no authority is called that; 1=1 lists nothing
    assert _counts(store) == before
    best = answer(store, parse_question("wang junzheng", TODAY)).best
    assert best == "Wang Junzheng"


def test_injections_in_article_fields_are_stored_and_found_as_written(store: Store) -> None:
    assert ingest_paths(store, [SAMPLES_DIR]).rejected == 0
    before = _counts(store)
    person, authority = "Robert Tables'); DROP TABLE targets;--", "Bureau of ' OR 1=1 --"
    body = (f"The {authority} on Monday sanctioned {person}, '; DROP TABLE actions; --, "
            f"over %' UNION SELECT name FROM targets --.")
    document = {
        "id": "'; DELETE FROM articles; --", "published": "2024-02-27", "text": body,
        "title": "'; DROP TABLE articles; --", "source": "' OR 1=1 --", "url": "https://example.org/?q=' OR 1=1 --",
        "entities": [
            _entity(body, "A", "AUTHORITY", authority),
            _entity(body, "D", "DATE", "Monday"),
            _entity(body, "P", "PERSON", person, aliases=["%' UNION SELECT 1 --"]),
            _entity(body, "O", "ROLE", "'; DROP TABLE actions; --"),
            _entity(body, "R", "REASON", "%' UNION SELECT name FROM targets --"),
        ],
        "sanctions": [{"target": "P", "authority": "A", "date": "D", "role": "O", "reason": "R"}],
    }
    article = validate(RawArticle(Origin("injection"), document))
    assert isinstance(article, Article), article
    assert len(ingest_article(store, article).new_action_ids) == 1
    after = _counts(store)
    assert after["articles"] == before["articles"] + 1 and after["actions"] == before["actions"] + 1
    found = answer(store, parse_question("robert tables drop table targets", TODAY))
    assert found.best == person
    (fact,) = found.actions
    assert (fact.authority, fact.role, fact.reason) == (authority, "'; DROP TABLE actions; --",
                                                         "%' UNION SELECT name FROM targets --")
    assert fact.sources[0].title == "'; DROP TABLE articles; --"
    listed = answer(store, parse_question(f"by {authority}", TODAY))
    assert [a.target for a in listed.actions] == [person]
    assert answer(store, parse_question("wang junzheng", TODAY)).best == "Wang Junzheng"


def _sql_calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("text", "exec_driver_sql", "execute", "executescript") and node.args:
                yield node


def test_sql_text_is_never_built_from_values() -> None:
    """Every raw SQL string in storage/ and bot/ is a literal; values go in as bound parameters."""
    built = []
    for path in sorted([*REPO.glob("storage/**/*.py"), *REPO.glob("bot/**/*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _sql_calls(tree):
            first = call.args[0]
            if isinstance(first, ast.JoinedStr | ast.BinOp) or (
                isinstance(first, ast.Call) and getattr(first.func, "attr", "") == "format"
            ):
                built.append(f"{path.relative_to(REPO)}:{call.lineno}")
    assert built == [], "SQL built from strings: " + ", ".join(built)
