"""Drafting annotations from raw news text, checked as an editor would check a draft."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.extract_eval import EVAL_DIR, evaluate, evaluate_samples
from storage.articles import Article, Rejection, validate
from storage.articles.model import Origin, RawArticle
from storage.dates import resolve_words
from storage.extract import ExtractError, extract
from storage.extract.names import name_chunks
from storage.extract.reasons import find_reason
from storage.extract.text import split_sentences, tokenize
from storage.extract.triggers import TRIGGERS, find_triggers

REPO = Path(__file__).resolve().parents[1]
EVAL_ARTICLES = sorted(EVAL_DIR.glob("*.txt"))


def drafted(text: str, published: str | None = None) -> Article:
    document = extract(text, published=published)
    article = validate(RawArticle(Origin("draft"), document))
    assert not isinstance(article, Rejection), article.message()
    return article


def targets(article: Article) -> set[str]:
    return {event.target.name for event in article.events}


# -- the seed story ------------------------------------------------------------


def test_the_seed_story_gives_exactly_its_two_treasury_events_on_monday(seed_text: str) -> None:
    article = drafted(seed_text)
    events = sorted((e.target.name, e.authority.name, e.authority.jurisdiction, e.date.iso(), e.date.precision,
                     e.action) for e in article.events)
    assert events == [
        ("Chen Mingguo", "U.S. Department of the Treasury", "US", "2024-02-26", "day", "imposed"),
        ("Wang Junzheng", "U.S. Department of the Treasury", "US", "2024-02-26", "day", "imposed"),
    ]


def test_nobody_else_in_the_seed_story_is_sanctioned(seed_text: str) -> None:
    names = targets(drafted(seed_text))
    for bystander in ("Blinken", "Wang Yi", "Biden", "Xi Jinping", "Jake Sullivan", "Yang Jiechi", "Flashing"):
        assert not any(bystander in name for name in names), bystander


def test_the_seed_targets_are_marked_where_our_own_annotation_marks_them(seed_text: str) -> None:
    ours = json.loads((REPO / "tests" / "fixtures" / "seed_annotations.json").read_text(encoding="utf-8"))
    annotated = {(e["start"], e["end"]) for e in ours["entities"] if e["id"] in ("T2", "T4")}
    document = extract(seed_text)
    by_id = {e["id"]: e for e in document["entities"]}
    assert {(by_id[s["target"]]["start"], by_id[s["target"]]["end"]) for s in document["sanctions"]} == annotated
    roles = {by_id[s["role"]]["text"] for s in document["sanctions"]}
    assert "director of the Xinjiang Public Security Bureau" in roles


def test_the_dateline_gives_the_publication_date_and_stays_in_the_text(seed_text: str) -> None:
    document = extract(seed_text)
    assert document["published"] == "February 27, 2024"
    assert document["text"] == seed_text


# -- every draft is a valid native document ---------------------------------------


@pytest.mark.parametrize("path", EVAL_ARTICLES, ids=lambda p: p.stem)
def test_every_drafted_article_validates_with_offsets_that_cut_out_their_text(path: Path) -> None:
    spec = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    document = extract(text, published=spec.get("published"))
    assert not isinstance(validate(RawArticle(Origin(path.name), document)), Rejection)
    for entity in document["entities"]:
        assert entity["text"] == text[entity["start"]:entity["end"]]
    for event in document["sanctions"]:
        assert event["draft"] is True
        assert event["explain"]["trigger"] in {trigger.name for trigger in TRIGGERS}


_PIECES = [
    "The EU", "the Treasury", "Britain and Canada", "on Monday", "yesterday", "in June", "last week", "sanctioned",
    "froze the assets of", "were sanctioned", "was also hit", "lifted sanctions on", "added", "to its list", "him",
    "Wang Junzheng", "Chen", "Ivan Sidorov", "the Mercator Institute for China Studies", "En+ Group", "said",
    "“", "”", '"', ",", ".", ";", ":", "(", ")", "—", "\n", "'s", "among them", "including", "over abuses",
    "The six include", "Among those targeted were", "Beijing's list", "U.S.", "ZIK", "112 Ukraine", "Пётр", "王君正",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=40))
def test_any_text_gives_a_valid_draft_whose_offsets_cut_out_their_text(pieces: list[str]) -> None:
    text = "March 23, 2021\n\n" + " ".join(pieces)
    document = extract(text)
    assert not isinstance(validate(RawArticle(Origin("generated"), document)), Rejection)
    for entity in document["entities"]:
        assert entity["text"] == text[entity["start"]:entity["end"]]


def test_a_drafted_article_ingests_into_the_store(tmp_path: Path, seed_text: str) -> None:
    from storage.ingest import ingest_paths
    from storage.store import Store

    (tmp_path / "seed.json").write_text(json.dumps(extract(seed_text)), encoding="utf-8")
    store = Store.open(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        report = ingest_paths(store, [tmp_path / "seed.json"])
    finally:
        store.dispose()
    assert report.rejected == 0 and report.actions_added == 2


def test_provenance_from_meta_is_kept() -> None:
    meta = {"id": "wire-1", "source": "Example Wire", "url": "https://example.org/1", "title": "A title"}
    document = extract("The EU on Monday froze the assets of Ivan Sidorov.", published="2021-03-23", meta=meta)
    assert {k: document[k] for k in meta} == meta


def test_an_article_without_a_date_is_refused_with_a_sentence() -> None:
    with pytest.raises(ExtractError, match="no publication date"):
        extract("The EU on Monday froze the assets of Ivan Sidorov.")


def test_published_overrides_the_dateline() -> None:
    article = drafted("March 1, 2021\n\nThe EU on Monday froze the assets of Ivan Sidorov.", published="2021-03-23")
    assert article.published.isoformat() == "2021-03-23"
    assert article.events[0].date.iso() == "2021-03-22"


# -- precision first: who is not a target ------------------------------------------


def test_quoted_and_speaking_officials_are_not_targets() -> None:
    text = (
        "Britain on Monday froze the assets of Ivan Sidorov, a businessman close to the Kremlin. "
        "Foreign Secretary Dominic Raab said the step was overdue. "
        '"We will sanction everyone who helped him, starting with Pavel Orlov," Raab told parliament. '
        "Russian Foreign Minister Sergei Lavrov called the move hostile, said Maria Zakharova."
    )
    assert targets(drafted(text, "2021-03-23")) == {"Ivan Sidorov"}


def test_people_meeting_or_mentioned_are_not_targets() -> None:
    text = (
        "The Treasury on Friday sanctioned Oleg Markov, who met President Joe Biden's envoy in Geneva last year "
        "and is a friend of Vladimir Putin, for his role in an election hacking campaign. "
        "President Joe Biden, who spoke with Chinese President Xi Jinping last month, praised the step."
    )
    assert targets(drafted(text, "2021-03-23")) == {"Oleg Markov"}


@pytest.mark.parametrize(
    "sentence",
    [
        "The EU is considering sanctions on Ivan Sidorov.",
        "China threatened to sanction Ivan Sidorov.",
        "Lawmakers urged the Treasury to sanction Ivan Sidorov.",
        "The Treasury has not sanctioned Ivan Sidorov.",
        "Britain could freeze the assets of Ivan Sidorov.",
        "Ivan Sidorov, the sanctioned oligarch, bought a yacht.",
        "Shares in Rusal are listed in Hong Kong.",
    ],
)
def test_wishes_threats_denials_and_adjectives_draft_nothing(sentence: str) -> None:
    assert drafted(sentence, "2021-03-23").events == ()


def test_an_announcement_that_a_government_would_sanction_is_an_event() -> None:
    article = drafted("China said on Monday it would impose sanctions on Marco Rubio and Ted Cruz.", "2020-07-13")
    assert targets(article) == {"Marco Rubio", "Ted Cruz"}
    assert {e.authority.jurisdiction for e in article.events} == {"CN"}


# -- what the rules read ---------------------------------------------------------------


def test_a_list_that_follows_the_trigger_gives_the_targets_and_their_roles() -> None:
    text = (
        "The EU and Britain on Thursday froze the assets of six Russian officials over the poisoning. "
        "The six include Alexander Bortnikov, head of the FSB; and Andrei Yarin, who heads a Kremlin department."
    )
    article = drafted(text, "2020-10-16")
    assert {(e.target.name, e.authority.jurisdiction, e.date.iso()) for e in article.events} == {
        (name, jurisdiction, "2020-10-15")
        for name in ("Alexander Bortnikov", "Andrei Yarin") for jurisdiction in ("EU", "GB")
    }
    assert {e.role for e in article.events} == {"head of the FSB", "heads a Kremlin department"}


def test_a_lifting_is_drafted_as_lifted_and_a_surname_points_to_the_full_name() -> None:
    text = (
        "The Treasury on Sunday removed Rusal and En+ Group from its sanctions list. "
        "Oleg Deripaska, the founder, stays listed; the Treasury had sanctioned Deripaska in April 2018."
    )
    article = drafted(text, "2019-01-28")
    found = {(e.target.name, e.action, e.date.iso(), e.date.precision) for e in article.events}
    assert ("Rusal", "lifted", "2019-01-27", "day") in found
    assert ("En+ Group", "lifted", "2019-01-27", "day") in found
    assert ("Oleg Deripaska", "imposed", "2018-04-01", "month") in found


def test_the_reason_comes_from_the_for_over_citing_clause() -> None:
    text = "The EU froze the assets of Ivan Sidorov over the poisoning of an opposition leader, diplomats said."
    assert drafted(text, "2021-03-23").events[0].reason == "the poisoning of an opposition leader"
    assert find_reason(text, 0, len(text), []) == (text.index("the poisoning"), text.index(", diplomats"))


@pytest.mark.parametrize(
    ("phrase", "trigger"),
    [
        ("The EU sanctioned Ivan Sidorov.", "sanctioned"),
        ("Britain imposed sanctions on Ivan Sidorov.", "imposed-sanctions-on"),
        ("The EU froze the assets of Ivan Sidorov.", "froze-the-assets-of"),
        ("The Treasury designated Ivan Sidorov.", "designated"),
        ("The Treasury added Ivan Sidorov to its sanctions list.", "added-to-the-list"),
        ("Britain banned Ivan Sidorov from entering the country.", "banned-from-entering"),
        ("The Treasury lifted sanctions on Ivan Sidorov.", "lifted-sanctions-on"),
        ("The Treasury removed Ivan Sidorov from its blacklist.", "removed-from-the-list"),
        ("The EU extended its sanctions on Ivan Sidorov.", "extended-sanctions-on"),
        ("Ivan Sidorov was sanctioned by the EU.", "was-sanctioned"),
    ],
)
def test_each_trigger_phrase_fires_by_name(phrase: str, trigger: str) -> None:
    sentence = split_sentences(phrase)[0]
    assert [hit.trigger.name for hit in find_triggers(phrase, sentence)] == [trigger]


def test_trigger_names_are_unique() -> None:
    names = [trigger.name for trigger in TRIGGERS]
    assert len(names) == len(set(names))


def test_titles_and_nationalities_are_not_part_of_a_name() -> None:
    text = ("Venezuelan President Nicolás Maduro, Prosecutor General Igor Krasnov and "
            "the Mercator Institute for China Studies")
    chunks = name_chunks(text, tokenize(text, 0, len(text)))
    assert [(text[c.start:c.end], c.label) for c in chunks] == [
        ("Nicolás Maduro", "PERSON"), ("Igor Krasnov", "PERSON"), ("Mercator Institute for China Studies", "ORG"),
    ]


def test_dates_are_resolved_as_ingest_resolves_them() -> None:
    article = drafted("The EU late on Tuesday froze the assets of Ivan Sidorov.", "February 3, 2021")
    assert article.events[0].date == resolve_words("late on Tuesday", article.published)


# -- the CLI -----------------------------------------------------------------------------


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def test_sanctions_extract_prints_valid_native_json_for_one_file(tmp_path: Path, seed_text: str) -> None:
    (tmp_path / "seed.txt").write_text(seed_text, encoding="utf-8")
    result = run("extract", "seed.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["id"] == "seed"
    assert not isinstance(validate(RawArticle(Origin("stdout"), document)), Rejection)
    assert len(document["sanctions"]) == 2


def test_sanctions_extract_writes_files_and_reads_unannotated_json(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The EU on Monday froze the assets of Ivan Sidorov.", encoding="utf-8")
    native = {"id": "wire-7", "source": "Example Wire", "published": "2021-03-23",
              "text": "Britain on Monday sanctioned Pavel Orlov."}
    (tmp_path / "b.json").write_text(json.dumps(native), encoding="utf-8")
    result = run("extract", "a.txt", "b.json", "--published", "2021-03-23", "--output", "drafts", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    a = json.loads((tmp_path / "drafts" / "a.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "drafts" / "b.json").read_text(encoding="utf-8"))
    assert b["id"] == "wire-7" and b["source"] == "Example Wire"
    for document in (a, b):
        article = validate(RawArticle(Origin("drafts"), document))
        assert not isinstance(article, Rejection)
        assert len(article.events) == 1


def test_sanctions_extract_refuses_annotated_json_and_undated_text_and_exits_1(tmp_path: Path) -> None:
    annotated = {"published": "2021-03-23", "text": "x y", "entities": [{"id": "T1", "label": "PERSON",
                                                                         "start": 0, "end": 1}]}
    (tmp_path / "done.json").write_text(json.dumps(annotated), encoding="utf-8")
    (tmp_path / "undated.txt").write_text("The EU froze the assets of Ivan Sidorov.", encoding="utf-8")
    result = run("extract", "done.json", "undated.txt", cwd=tmp_path)
    assert result.returncode == 1
    assert "done.json: already annotated" in result.stderr
    assert "undated.txt: no publication date" in result.stderr


# -- the evaluation set ------------------------------------------------------------------


def test_the_evaluation_set_is_big_enough_and_written_to_size() -> None:
    assert len(EVAL_ARTICLES) >= 25
    for path in EVAL_ARTICLES:
        words = len(path.read_text(encoding="utf-8").split())
        assert 80 <= words <= 210, (path.name, words)


def test_event_precision_and_recall_on_our_evaluation_set_meet_the_goal() -> None:
    score = evaluate()["all"]
    assert score.precision >= 0.9, score.wrong
    assert score.recall >= 0.8, score.misses


def test_event_precision_and_recall_on_the_bundled_samples_meet_the_goal() -> None:
    score = evaluate_samples()
    assert score.precision >= 0.9, score.wrong
    assert score.recall >= 0.8, score.misses
