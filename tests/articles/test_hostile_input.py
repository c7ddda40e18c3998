"""Hostile and random input: nothing crashes, and what is refused says why in one line.

Property tests (hypothesis) feed random text, mangled tool exports and raw
bytes to the query parser, the date resolver and every article reader. The
normal suite runs hypothesis's default number of cases; run them 10,000 times
each with `HYPOTHESIS_PROFILE=thorough .venv/bin/pytest tests/articles/test_hostile_input.py`
(profiles are registered in tests/conftest.py).

Very large inputs are read in bounded memory: a 50 MB JSONL file and a 1 MB
article, measured with tracemalloc in a child process.
"""

from __future__ import annotations

import json
import os
import re
import string
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.answers.questions import (
    AuthorityQuestion,
    DateQuestion,
    NameQuestion,
    QuestionError,
    RecentQuestion,
    SinceQuestion,
    parse_question,
)
from storage.articles import FORMATS, Article, Rejection, read_articles
from storage.dates import DateError, parse_published, resolve_value, resolve_words
from storage.db.store import Store
from storage.ingest.writer import ingest_article

REPO = Path(__file__).resolve().parents[2]
ROUND_TRIP = REPO / "tests" / "fixtures" / "formats"
TODAY = date(2026, 11, 29)
# Every test here decides its own fixtures; the number of cases comes from the profile.
CASES = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- what hostile text looks like ------------------------------------------------

HOSTILE_PIECES = [
    "<!channel>", "<!here>", "<@U0BOSS>", "<#C0GENERAL>", "<https://evil.example/x|click me>", "&amp;", "&lt;",
    "' OR 1=1 --", "'; DROP TABLE actions; --", "%' UNION SELECT name FROM targets --", "\\", "%", "_", '"',
    "\x00", "\x1b[31m", "\u202e", "\u2028", "\x85", "\r\n", "\n", "\t", "\ufeff", "\u200b", "\ufffd",
    "王君正", "Навальный", "😀", "🇪🇺", "e\u0301", "\U0010ffff", "ǅ", "İ", "ß", "ﬁ",
    "by", "on", "since", "recent", "last", "week", "month", "year", "ago", "monday", "yesterday", "today",
    "march", "22", "2021", "2021-03-22", "0001-01-01", "9999-12-31", "29 february", "99999999999999999999",
    "-1", "0", " ", "  ", ".", ",", "'s", "null", "NaN", "{", "}", "[", "]", ":",
]
hostile_text = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(HOSTILE_PIECES), max_size=12).map(" ".join),
    st.lists(st.sampled_from(HOSTILE_PIECES) | st.text(max_size=3), max_size=12).map("".join),
)
# JSON can carry what UTF-8 text cannot: lone surrogates ("\ud800"), and numbers past any type.
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-3, 3000), st.floats(allow_nan=True),
    hostile_text, st.sampled_from(["\ud800", "a\udfffb", "T1", "T3", "PERSON", "DATE", "AUTHORITY", "sanctioned_by"]),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
# What cannot be written as JSON at all, spliced in as raw text.
RAW_JSON = ["1" * 5000, "[" * 100_000, '{"a":' * 50_000, "1e999999", "-", '"\\ud800"', "NaN", "\x00", '"\\u0000"']


def assert_one_line(message: str) -> None:
    assert message and message.strip() == message, repr(message)
    assert len(message.splitlines()) == 1, repr(message)
    assert len(message) <= 500, len(message)
    assert "Traceback" not in message
    message.encode("utf-8")  # printable: no unpaired surrogate


def read_cleanly(paths: list[Path], format: str | None = None) -> list[Article | Rejection]:
    """Everything under the paths, each an Article or a Rejection with a one-line message."""
    items = list(read_articles(paths, format))
    for item in items:
        assert isinstance(item, Article | Rejection), item
        if isinstance(item, Rejection):
            assert_one_line(item.message())
        else:
            assert item.text.strip() and len(item.key) <= 300
            for event in item.events:
                assert event.action in ("imposed", "lifted", "extended")
                assert event.date.precision in ("day", "week", "month", "year")
    return items


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """One folder per module: hypothesis runs many cases per test, so no per-test tmp_path."""
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        yield Path(folder)


def fresh(scratch: Path) -> Path:
    folder = Path(tempfile.mkdtemp(dir=scratch))
    return folder


# --- mutating a valid export, so that random changes reach deep into validation ---


def mutate(data: st.DataObject, value: Any, depth: int = 0) -> Any:
    """The value with one part replaced, removed or added somewhere inside it."""
    if isinstance(value, dict) and value and depth < 6 and data.draw(st.integers(0, 4)) > 0:
        key = data.draw(st.sampled_from(sorted(value, key=str)))
        choice = data.draw(st.integers(0, 9))
        if choice == 0:
            return {k: v for k, v in value.items() if k != key}
        if choice == 1:
            return {**value, data.draw(st.text(max_size=10)): data.draw(json_values)}
        return {**value, key: mutate(data, value[key], depth + 1)}
    if isinstance(value, list) and value and depth < 6 and data.draw(st.integers(0, 4)) > 0:
        index = data.draw(st.integers(0, len(value) - 1))
        choice = data.draw(st.integers(0, 9))
        if choice == 0:
            return value[:index] + value[index + 1:]
        if choice == 1:
            return [*value, value[index]]  # a duplicate: ids used twice, events repeated
        return [*value[:index], mutate(data, value[index], depth + 1), *value[index + 1:]]
    if isinstance(value, bool):
        return data.draw(json_values)
    if isinstance(value, int):
        return data.draw(st.one_of(st.integers(value - 3, value + 3), st.integers(), json_values))
    if isinstance(value, str):
        return data.draw(st.one_of(
            hostile_text,
            st.builds(lambda a, b: value[:a] + b + value[a:], st.integers(0, len(value)), hostile_text),
            st.builds(lambda a: value[:a], st.integers(0, len(value))),
            json_values,
        ))
    return data.draw(json_values)


def mutated(data: st.DataObject, document: Any) -> Any:
    for _ in range(data.draw(st.integers(1, 4))):
        document = mutate(data, document)
    return document


def dump(document: Any, data: st.DataObject) -> str:
    """JSON text, ASCII-escaped or not; now and then with raw junk spliced in."""
    text = json.dumps(document, ensure_ascii=data.draw(st.booleans()), allow_nan=True)
    if data.draw(st.integers(0, 9)) == 0:
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + data.draw(st.sampled_from(RAW_JSON)) + text[at:]
    return text


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, str):
        # Lone surrogates cannot be UTF-8; write them the way a broken tool would.
        text = text.encode("utf-8", "surrogatepass")
    path.write_bytes(text)
    return path


NATIVE = json.loads((ROUND_TRIP / "round_trip.native.json").read_text(encoding="utf-8"))
LABEL_STUDIO = json.loads((ROUND_TRIP / "round_trip.labelstudio.json").read_text(encoding="utf-8"))
DOCCANO = [json.loads(line) for line in (ROUND_TRIP / "round_trip.doccano.jsonl").read_text().splitlines() if line]
BRAT_ANN = (ROUND_TRIP / "round_trip.ann").read_text(encoding="utf-8")
BRAT_TXT = (ROUND_TRIP / "round_trip.txt").read_bytes().decode("utf-8")
BRAT_META = json.loads((ROUND_TRIP / "round_trip.meta.json").read_text(encoding="utf-8"))


def test_the_unmutated_exports_are_valid(scratch: Path) -> None:
    """The bases the mutations start from are good articles, so mutations test validation."""
    folder = fresh(scratch)
    write(folder / "a.json", json.dumps(NATIVE))
    write(folder / "b.json", json.dumps(LABEL_STUDIO))
    write(folder / "c.jsonl", "\n".join(json.dumps(d) for d in DOCCANO))
    write(folder / "d.ann", BRAT_ANN)
    write(folder / "d.txt", BRAT_TXT)
    write(folder / "d.meta.json", json.dumps(BRAT_META))
    items = read_cleanly([folder])
    assert len(items) == 4 and all(isinstance(item, Article) for item in items)


# --- the query parser --------------------------------------------------------------


@CASES
@given(text=st.one_of(hostile_text, st.builds("{} {}".format, st.sampled_from(["by", "on", "since"]), hostile_text)),
       today=st.dates())
def test_any_question_parses_or_gets_one_sentence(text: str, today: date) -> None:
    try:
        question = parse_question(text, today)
    except QuestionError as error:
        assert_one_line(str(error))
        return
    assert isinstance(question, NameQuestion | AuthorityQuestion | DateQuestion | SinceQuestion | RecentQuestion)
    assert question.text and question.text == question.text.strip() and len(question.text) <= 200
    for part in vars(question).values():
        if isinstance(part, str):
            assert part.strip() and not any(ch in part for ch in "\x00\n\r\x1b\ud800")
    if isinstance(question, NameQuestion):
        assert any(ch.isalnum() for ch in question.name)


# --- the date resolver --------------------------------------------------------------


@CASES
@given(words=hostile_text, anchor=st.one_of(st.dates(), st.sampled_from([date.min, date.max, date(2024, 2, 29)])))
def test_any_date_words_resolve_or_get_one_sentence(words: str, anchor: date) -> None:
    try:
        resolved = resolve_words(words, anchor)
        assert resolved.precision in ("day", "week", "month", "year")
        if resolved.precision == "day" and resolved.day > anchor:  # never a day guessed forwards
            assert re.search(r"(?<!\d)\d{4}(?!\d)", words), "only a year written out dates forwards"
        assert resolved.words is not None and len(resolved.words) <= 120
    except DateError as error:
        assert_one_line(str(error))
    for parse in (parse_published, resolve_value):
        try:
            parse(words)
        except DateError as error:
            assert_one_line(str(error))


# --- the article readers -------------------------------------------------------------


@CASES
@given(data=st.data())
def test_any_native_json_is_read_or_refused_in_one_line(scratch: Path, data: st.DataObject) -> None:
    document = mutated(data, NATIVE) if data.draw(st.booleans()) else data.draw(json_values)
    if data.draw(st.integers(0, 4)) == 0:
        document = [document, NATIVE, data.draw(json_values)]  # an array of articles
    path = write(fresh(scratch) / "article.json", dump(document, data))
    read_cleanly([path])
    read_cleanly([path], "native")


@CASES
@given(data=st.data())
def test_any_jsonl_line_is_read_or_refused_in_one_line(scratch: Path, data: st.DataObject) -> None:
    lines = [dump(mutated(data, NATIVE), data) for _ in range(data.draw(st.integers(1, 3)))]
    lines.insert(data.draw(st.integers(0, len(lines))), data.draw(st.one_of(hostile_text, st.sampled_from(RAW_JSON))))
    path = write(fresh(scratch) / "batch.jsonl", "\n".join(lines))
    read_cleanly([path])
    items = read_cleanly([path], "native")
    assert all(item.origin.line is not None for item in items)  # each names its line


@CASES
@given(data=st.data())
def test_any_brat_document_is_read_or_refused_in_one_line(scratch: Path, data: st.DataObject) -> None:
    lines = BRAT_ANN.splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(lines) - 1))
        kind = data.draw(st.integers(0, 4))
        if kind == 0:
            del lines[index]
        elif kind == 1:
            lines.insert(index, data.draw(st.one_of(hostile_text, st.builds(
                "{}{}\t{} {} {}\t{}".format,
                st.sampled_from("TEARMN#*X"), st.integers(-1, 12),
                st.sampled_from(["Person", "ORG", "Authority", "Date", "Sanction", "Role", "Action", "junk"]),
                st.integers(-2, 400), st.integers(-2, 400), hostile_text,
            ))))
        else:
            words = lines[index].split(" ")
            at = data.draw(st.integers(0, len(words) - 1))
            words[at] = data.draw(st.one_of(hostile_text, st.integers(-5, 500).map(str),
                                            st.sampled_from(["Target:T99", "Date:T3", "Lifted", ";", "\t"])))
            lines[index] = " ".join(words)
        if not lines:
            lines = [""]
    text = BRAT_TXT
    if data.draw(st.booleans()):
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + data.draw(hostile_text) + text[at:]
    meta = mutated(data, BRAT_META) if data.draw(st.booleans()) else BRAT_META
    folder = fresh(scratch)
    write(folder / "story.ann", "\n".join(lines))
    write(folder / "story.txt", text)
    if data.draw(st.integers(0, 9)):
        write(folder / "story.meta.json", dump(meta, data))
    items = read_cleanly([folder])
    assert len(items) <= 1
    read_cleanly([folder / "story.txt"], "brat")


@CASES
@given(data=st.data())
def test_any_label_studio_export_is_read_or_refused_in_one_line(scratch: Path, data: st.DataObject) -> None:
    export = mutated(data, LABEL_STUDIO)
    path = write(fresh(scratch) / "export.json", dump(export, data))
    read_cleanly([path])
    read_cleanly([path], "labelstudio")


@CASES
@given(data=st.data())
def test_any_doccano_export_is_read_or_refused_in_one_line(scratch: Path, data: st.DataObject) -> None:
    lines = [dump(mutated(data, example), data) for example in DOCCANO]
    path = write(fresh(scratch) / "export.jsonl", "\n".join(lines))
    read_cleanly([path])
    read_cleanly([path], "doccano")


@CASES
@given(data=st.data(), content=st.binary(max_size=300), suffix=st.sampled_from([".json", ".jsonl", ".ann", ".txt"]))
def test_any_bytes_in_any_format_are_read_or_refused_in_one_line(
    scratch: Path, data: st.DataObject, content: bytes, suffix: str
) -> None:
    if data.draw(st.booleans()):  # bytes that look like the start of something
        content = data.draw(st.sampled_from([b"{", b"[", b"\xef\xbb\xbf", b"T1\t", b'{"data": ', b"\xff"])) + content
    folder = fresh(scratch)
    path = write(folder / f"file{suffix}", content)
    read_cleanly([path])
    read_cleanly([folder])
    for format in FORMATS:
        read_cleanly([path], format)


# --- articles that pass validation are stored whole, on SQLite and PostgreSQL --------


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def hostile_store(request: pytest.FixtureRequest, scratch: Path) -> Iterator[Store]:
    from tests.conftest import _postgres_schema

    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{fresh(scratch) / 'store.db'}"
        else:
            url = stack.enter_context(_postgres_schema(request.getfixturevalue("postgres_url")))
        store = Store.open(url)
        yield store
        store.dispose()


def _long(piece: str) -> st.SearchStrategy[str]:
    return st.integers(1, 400).map(lambda n: (piece * n)[: n * 3])


article_words = st.one_of(hostile_text, _long("王"), _long("Wang "), _long("x"), _long("<!channel> "))


@settings(CASES, max_examples=max(10, settings().max_examples // 4))
@given(data=st.data())
def test_articles_that_pass_validation_are_stored_whatever_they_say(
    hostile_store: Store, scratch: Path, data: st.DataObject
) -> None:
    """Long names in any script, NULs, pings and SQL in every field: stored, or refused up front."""
    parts = {key: data.draw(article_words) for key in ("authority", "person", "role", "reason", "date", "other")}
    parts["person"] = parts["person"].strip() or "Wang Junzheng"
    parts["authority"] = parts["authority"].strip() or "Treasury"
    text = "{authority} on {date} sanctioned {person}, {role}, over {reason}. {other}".format(**parts)
    entities = []
    for entity_id, label, key in [("A", "AUTHORITY", "authority"), ("P", "PERSON", "person"), ("O", "ROLE", "role"),
                                  ("R", "REASON", "reason"), ("D", "DATE", "date")]:
        start = text.index(parts[key]) if parts[key].strip() else -1
        if start >= 0:
            entities.append({"id": entity_id, "label": label, "start": start, "end": start + len(parts[key])})
    known = {e["id"] for e in entities}
    event = {"target": "P", "authority": "A", **{f: i for f, i in [("role", "O"), ("reason", "R")] if i in known}}
    if "D" in known and data.draw(st.booleans()):
        event["date"] = "D"
        if data.draw(st.booleans()):
            entities[-1]["value"] = data.draw(st.sampled_from(["2021-03-22", "2021-03", "2021"]))
    document: dict[str, Any] = {
        "text": text,
        "published": data.draw(st.sampled_from(["2024-02-27", "0001-01-01", "9999-12-31", "February 29, 2024"])),
        "entities": [
            {**e, "aliases": [data.draw(article_words)]} if e["id"] == "P" and data.draw(st.booleans()) else e
            for e in entities
        ],
        "sanctions": [event],
    }
    for field in ("id", "title", "source", "url"):
        if data.draw(st.booleans()):
            document[field] = data.draw(article_words).strip() or "x"
    path = write(fresh(scratch) / "article.json", json.dumps(document))
    for item in read_cleanly([path]):
        if isinstance(item, Article):
            ingest_article(hostile_store, item)  # raises if the database refuses anything
            assert ingest_article(hostile_store, item).status == "unchanged"


# --- very large inputs in bounded memory ---------------------------------------------

_MEASURE = textwrap.dedent(
    """
    import sys, time, tracemalloc
    from pathlib import Path
    from storage.articles import Article, read_articles
    tracemalloc.start()
    started = time.perf_counter()
    articles = rejected = 0
    for item in read_articles([Path(sys.argv[1])]):
        if isinstance(item, Article):
            articles += 1
        else:
            rejected += 1
            print(item.message(), file=sys.stderr)
    print(articles, rejected, tracemalloc.get_traced_memory()[1], time.perf_counter() - started)
    """
)


def measure_reading(path: Path) -> tuple[int, int, int, float]:
    """(articles, rejections, peak bytes allocated, seconds) of reading the file in a child process."""
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        capture_output=True, text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    articles, rejected, peak, seconds = result.stdout.split()
    return int(articles), int(rejected), int(peak), float(seconds)


def big_article(size: int, article_id: str) -> dict[str, Any]:
    """An article of about `size` characters of ordinary sentences, its facts at the very end."""
    filler = "Officials met in the capital on Monday and discussed the budget for next year. "
    body = filler * (size // len(filler))
    tail = "The Treasury Department on Monday sanctioned Wang Junzheng over human rights abuses."
    text = body + tail
    def at(phrase: str) -> tuple[int, int]:
        start = text.rindex(phrase)
        return start, start + len(phrase)
    entities = []
    for entity_id, label, phrase in [("A", "AUTHORITY", "Treasury Department"), ("D", "DATE", "Monday"),
                                     ("P", "PERSON", "Wang Junzheng"), ("R", "REASON", "human rights abuses")]:
        start, end = at(phrase)
        entities.append({"id": entity_id, "label": label, "start": start, "end": end, "text": phrase})
    return {"id": article_id, "published": "2024-02-27", "title": "A long one", "text": text,
            "entities": entities, "sanctions": [{"target": "P", "authority": "A", "date": "D", "reason": "R"}]}


def test_a_50_mb_jsonl_file_is_read_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        count = 0
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(json.dumps(big_article(50_000, f"big-{count}")) + "\n")
            count += 1
    articles, rejected, peak, seconds = measure_reading(path)
    assert (articles, rejected) == (count, 0)
    # A line at a time: a few copies of one 50 KB article, never the 50 MB file.
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB reading {path.stat().st_size / 1e6:.0f} MB"
    assert seconds < 60


@pytest.mark.parametrize("format", ["native", "labelstudio"])
def test_a_1_mb_article_is_read_in_memory_proportional_to_it_and_quickly(tmp_path: Path, format: str) -> None:
    document = big_article(1_000_000, "one-mega")
    if format == "labelstudio":  # with an emoji first, so every offset needs converting from UTF-16
        document["text"] = "😀" + document["text"]
        results = []
        for entity in document["entities"]:
            value = {"start": entity["start"] + 2, "end": entity["end"] + 2, "labels": [entity["label"]]}
            results.append({"id": entity["id"], "type": "labels", "value": value})
        results += [{"type": "relation", "from_id": "P", "to_id": target, "labels": [label]}
                    for target, label in [("A", "sanctioned_by"), ("D", "on"), ("R", "reason")]]
        document = {"id": 1, "data": {k: document[k] for k in ("id", "published", "text")},
                    "annotations": [{"result": results}]}
    path = tmp_path / "mega.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    articles, rejected, peak, seconds = measure_reading(path)
    assert (articles, rejected) == (1, 0)
    size = path.stat().st_size
    assert peak < 16 * size, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB article"
    assert seconds < 5, f"{seconds:.1f} s"


def test_a_very_long_date_or_query_is_refused_quickly() -> None:
    import time

    started = time.perf_counter()
    for words in [". " * 500_000 + "x", "1 march " * 100_000, "last " * 200_000]:
        with pytest.raises(DateError, match="too long for a date"):
            resolve_words(words, TODAY)
    with pytest.raises(QuestionError):
        parse_question("on " + ". " * 500_000, TODAY)
    assert time.perf_counter() - started < 2


def test_printable_messages_even_for_file_names_with_line_breaks(tmp_path: Path) -> None:
    folder = tmp_path / "bad\nname\x1b[31m"
    folder.mkdir()
    write(folder / "a.json", "{not json")
    (item,) = read_cleanly([folder])
    assert isinstance(item, Rejection) and "\\x1b" in item.message()


def test_hostile_characters_in_ids_and_labels_stay_on_one_line(tmp_path: Path) -> None:
    document = json.loads(json.dumps(NATIVE))
    document["entities"][0]["id"] = "T1\nfake.json:1: everything is fine"
    document["entities"][1]["label"] = "DATE\u2028" + string.ascii_letters * 100
    document["sanctions"][0]["target"] = "x\r\n" * 1000
    (item,) = read_cleanly([write(tmp_path / "a.json", json.dumps(document))])
    assert isinstance(item, Rejection)


# --- the bugs these properties found, as plain examples ----------------------------------


def test_dates_counted_back_past_year_1_are_refused_in_a_sentence() -> None:
    for words in ["yesterday", "last year", "last week", "ten years ago", "December 31"]:
        with pytest.raises(DateError, match="before year 1|cannot resolve"):
            resolve_words(words, date.min)


def test_json_python_cannot_read_is_refused_not_crashed_on(tmp_path: Path) -> None:
    for name, content in [("digits.json", '{"id": ' + "1" * 5000 + "}"), ("deep.json", "[" * 100_000),
                          ("deep.jsonl", '{"a":' * 50_000 + "\n")]:
        (item,) = read_cleanly([write(tmp_path / name, content)], "native")
        assert isinstance(item, Rejection) and "not readable JSON" in item.message(), item


def test_nul_characters_and_lone_surrogates_are_refused_before_the_database(tmp_path: Path) -> None:
    for field, value in [("text", NATIVE["text"] + "\x00"), ("title", "a\ud800b"), ("source", "\x00")]:
        document = {**NATIVE, field: value}
        (item,) = read_cleanly([write(tmp_path / "a.json", json.dumps(document))])
        assert isinstance(item, Rejection), field
        assert f"field '{field}' holds" in item.message()


def test_long_names_authorities_and_sources_fit_the_columns_of_postgresql(store: Store, tmp_path: Path) -> None:
    name, authority = "王" * 300, "Ministry of " + "Very " * 100 + "Long Names"
    date_words = "1 March 2024" + ", which was a Friday" * 12  # a span of 250 characters, given a value
    body = f"{authority} on {date_words}, sanctioned {name} today."
    document = {
        "id": "long-fields", "published": "2024-03-05", "text": body, "source": "S" * 1000,
        "entities": [
            {"id": "A", "label": "AUTHORITY", "start": 0, "end": len(authority)},
            {"id": "D", "label": "DATE", "start": body.index("1 March"), "end": body.index("1 March") + len(date_words),
             "value": "2024-03-01"},
            {"id": "P", "label": "PERSON", "start": body.index(name), "end": body.index(name) + len(name)},
        ],
        "sanctions": [{"target": "P", "authority": "A", "date": "D"}],
    }
    (item,) = read_cleanly([write(tmp_path / "long.json", json.dumps(document))])
    assert isinstance(item, Article), item
    assert len(ingest_article(store, item).new_action_ids) == 1  # PostgreSQL took every column
