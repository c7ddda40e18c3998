"""Drafting annotations from raw news text, checked as an editor would check a draft."""

from __future__ import annotations

import json
import os
import re
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
from storage.extract.references import match_reference
from storage.extract.text import split_sentences, tokenize
from storage.extract.triggers import TRIGGERS, find_triggers
from tests.builders import confirmed

REPO = Path(__file__).resolve().parents[2]
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
    "both men", "the same four officials", "the bureau", "The company", "his son Viktor", "as was", "11 Americans",
    "the Danish Alliance of Democracies Foundation", "Among them were", "in February", "and", "under sanctions",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=40))
def test_any_text_gives_a_valid_draft_whose_offsets_cut_out_their_text(pieces: list[str]) -> None:
    text = "March 23, 2021\n\n" + " ".join(pieces)
    document = extract(text)
    assert not isinstance(validate(RawArticle(Origin("generated"), document)), Rejection)
    for entity in document["entities"]:
        assert entity["text"] == text[entity["start"]:entity["end"]]


def test_two_rules_drafting_one_event_give_one_event_with_the_date_the_text_gives() -> None:
    document = extract("March 23, 2021\n\nThe EU sanctioned the Mercator Institute for China Studies in June "
                       "were sanctioned")
    assert not isinstance(validate(RawArticle(Origin("generated"), document)), Rejection)
    (event,) = document["sanctions"]
    dates = {entity["id"]: entity["text"] for entity in document["entities"] if entity["label"] == "DATE"}
    assert dates[event["date"]] == "in June"


def test_a_drafted_article_ingests_into_the_store(tmp_path: Path, seed_text: str) -> None:
    from storage.db.store import Store
    from storage.ingest.writer import ingest_paths

    (tmp_path / "seed.json").write_text(json.dumps(confirmed(extract(seed_text))), encoding="utf-8")
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
    assert re.fullmatch(r"seed-[0-9a-f]{8}", document["id"])  # the file's name and a hash of its text
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
    assert score.precision >= 0.95, score.wrong
    assert score.recall >= 0.9, score.misses


def test_event_precision_and_recall_on_the_bundled_samples_meet_the_goal() -> None:
    score = evaluate_samples()
    assert score.precision >= 0.95, score.wrong
    assert score.recall >= 0.9, score.misses


def test_every_batch_of_the_evaluation_set_keeps_precision_first() -> None:
    for group, score in evaluate().items():
        assert score.precision >= 0.9, (group, score.wrong)


# -- words that point back to targets named before ---------------------------------------


def events_of(text: str, published: str) -> set[tuple[str, str, str]]:
    """(target, jurisdiction, date at its precision) of each drafted event."""
    article = drafted(text, published)
    return {
        (e.target.name, e.authority.jurisdiction or e.authority.name,
         {"month": e.date.iso()[:7], "year": e.date.iso()[:4]}.get(e.date.precision, e.date.iso()))
        for e in article.events
    }


@pytest.mark.parametrize(
    ("words", "rule", "count"),
    [
        ("him last month", "object-pronoun", None), ("both men", "both-men", 2), ("the two women", "both-men", 2),
        ("the same four officials", "the-same-n-people", 4), ("the 11 lawmakers", "the-same-n-people", 11),
        ("the four", "the-n", 4), ("the bureau", "the-organisation", None), ("the company", "the-organisation", None),
        ("her husband", None, None), ("the sanctions", None, None), ("four officials", None, None),
    ],
)
def test_each_reference_rule_matches_by_name(words: str, rule: str | None, count: int | None) -> None:
    found = match_reference(words.split())
    assert (found.rule.name if found else None, found.count if found else None) == (rule, count)


def test_both_men_are_the_two_people_just_sanctioned() -> None:
    text = ("The EU on Friday froze the assets of Ivan Sidorov and Pavel Orlov. "
            "Britain sanctioned both men the same day.")
    assert events_of(text, "2022-02-26") == {
        (name, jurisdiction, "2022-02-25") for name in ("Ivan Sidorov", "Pavel Orlov") for jurisdiction in ("EU", "GB")
    }


@pytest.mark.parametrize(("count", "expected"), [("four", 4), ("three", 0)])
def test_the_same_four_officials_are_drafted_only_when_four_were_sanctioned(count: str, expected: int) -> None:
    text = ("Britain on Monday froze the assets of Zhu Hailun, Wang Junzheng, Wang Mingshan and Chen Mingguo. "
            f"Ottawa listed the same {count} officials.")
    canadian = {e for e in events_of(text, "2021-03-23") if e[1] == "CA"}
    assert len(canadian) == expected
    assert all(date == "2021-03-22" for _, _, date in canadian)


def test_the_bureau_is_the_organisation_with_bureau_in_its_name() -> None:
    text = ("The Treasury on Thursday blacklisted Zhu Hailun, a former party secretary of the Xinjiang Public "
            "Security Bureau, as well as the bureau itself.")
    assert targets(drafted(text, "2020-07-10")) == {"Zhu Hailun", "Xinjiang Public Security Bureau"}


def test_the_company_is_the_one_organisation_just_reported() -> None:
    text = ("The U.S. Treasury on Friday took Cosco Shipping Tanker (Dalian) off its sanctions list. "
            "The company had been blacklisted in September.")
    article = drafted(text, "2020-02-01")
    assert {(e.target.name, e.action, e.date.iso()[:7]) for e in article.events} == {
        ("Cosco Shipping Tanker (Dalian)", "lifted", "2020-01"),
        ("Cosco Shipping Tanker (Dalian)", "imposed", "2019-09"),
    }


def test_the_company_after_two_companies_points_to_neither() -> None:
    text = ("The Treasury on Monday sanctioned Alpha Trading Ltd and Beta Shipping Co. "
            "The company was also sanctioned by Britain in May.")
    assert {e[1] for e in events_of(text, "2021-06-08")} == {"US"}


def test_his_son_named_by_his_given_name_takes_the_family_name_of_the_one_just_listed() -> None:
    text = ("The European Union on Friday added Alexander Lukashenko to its Belarus sanctions list. "
            "His son Viktor and 13 other officials were listed with him.")
    document = extract(text, published="2020-11-07")
    viktor = next(e for e in document["entities"] if e["text"] == "Viktor")
    assert viktor["value"] == "Viktor Lukashenko"
    assert targets(drafted(text, "2020-11-07")) == {"Alexander Lukashenko", "Viktor Lukashenko"}


def test_his_son_in_the_same_list_takes_the_family_name_of_the_one_listed_before_him() -> None:
    text = "The European Union on Friday sanctioned Alexander Lukashenko and his son Viktor."
    assert targets(drafted(text, "2020-11-07")) == {"Alexander Lukashenko", "Viktor Lukashenko"}


def test_a_wife_named_by_her_given_name_is_not_given_a_family_name() -> None:
    text = ("The European Union on Friday added Alexander Lukashenko to its Belarus sanctions list. "
            "His wife Galina was listed with him.")
    assert targets(drafted(text, "2020-11-07")) == {"Alexander Lukashenko"}


def test_as_was_repeats_the_trigger_before_it_and_nothing_else() -> None:
    text = ("The Treasury on Friday imposed sanctions on Oleg Deripaska. "
            "His companies Rusal and Basic Element were listed, as was Renova.")
    assert targets(drafted(text, "2018-04-07")) == {"Oleg Deripaska", "Rusal", "Basic Element", "Renova"}
    assert drafted("Ivan Sidorov was arrested in May, as was his lawyer Pavel Orlov.", "2021-06-08").events == ()


# -- lists, names and numbers ---------------------------------------------------------------


def test_a_list_resumes_after_a_reason_when_the_next_name_has_a_reason_of_its_own() -> None:
    text = ("Britain on Monday sanctioned Alexander Bastrykin, head of Russia's Investigative Committee, over the "
            "death of Sergei Magnitsky, and Saud al-Qahtani, a former adviser, over the murder of Jamal Khashoggi.")
    assert targets(drafted(text, "2020-07-07")) == {"Alexander Bastrykin", "Saud al-Qahtani"}


def test_a_name_inside_a_reason_without_a_reason_of_its_own_is_not_listed() -> None:
    text = ("Britain on Monday sanctioned Alexander Bastrykin, head of Russia's Investigative Committee, over the "
            "deaths of the lawyer Sergei Magnitsky, and of the politician Boris Nemtsov.")
    assert targets(drafted(text, "2020-07-07")) == {"Alexander Bastrykin"}


def test_a_nationality_in_front_of_a_full_organisation_name_is_dropped_and_kept_as_an_alias() -> None:
    text = "the Danish Alliance of Democracies Foundation, the Uyghur Tribunal and the Russian Direct Investment Fund"
    chunks = name_chunks(text, tokenize(text, 0, len(text)))
    assert [text[c.start:c.end] for c in chunks] == [
        "Alliance of Democracies Foundation", "Uyghur Tribunal", "Russian Direct Investment Fund",
    ]
    document = extract("China on Monday sanctioned the Danish Alliance of Democracies Foundation.", "2021-03-22")
    (foundation,) = [e for e in document["entities"] if e["label"] == "ORG"]
    assert foundation["aliases"] == ["Danish Alliance of Democracies Foundation"]


def test_a_number_of_people_of_a_nationality_is_never_a_target() -> None:
    article = drafted("China on Monday sanctioned 11 Americans, including Marco Rubio and Ted Cruz.", "2020-08-10")
    assert targets(article) == {"Marco Rubio", "Ted Cruz"}
    assert drafted("Russia on Saturday barred 18 Americans from entering the country.", "2013-04-14").events == ()
    text = "the channels 112 Ukraine and ZIK"
    assert "112 Ukraine" in [text[c.start:c.end] for c in name_chunks(text, tokenize(text, 0, len(text)))]


# Rules fixed from the misses of the blind and fresh batches (benchmarks/extract_eval.py, GROUPS).
@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("In July, the Treasury sanctioned Francisco Díaz, a police chief.", "2018-11-28",
         {("Francisco Díaz", "US", "2018-07")}),
        ("The Treasury on Thursday imposed sanctions on 13 people. Among them were Yahya Jammeh and Dan Gertler.",
         "2017-12-22", {("Yahya Jammeh", "US", "2017-12-21"), ("Dan Gertler", "US", "2017-12-21")}),
        ("The Treasury on Tuesday designated the Iraq-based Al-Bilad Islamic Bank.", "2018-05-16",
         {("Al-Bilad Islamic Bank", "US", "2018-05-15")}),
        ("Nicolás Maduro, who was himself sanctioned by the Treasury in July 2017, condemned the step.",
         "2018-09-26", {("Nicolás Maduro", "US", "2017-07")}),
        ("The Treasury on Friday sanctioned Pavel Karpov and two officers Sergei Magnitsky had accused of fraud.",
         "2013-04-13", {("Pavel Karpov", "US", "2013-04-12")}),
        ("The Treasury on Tuesday sanctioned Néstor Moncada Lau, an adviser to her husband, President Daniel Ortega.",
         "2018-11-28", {("Néstor Moncada Lau", "US", "2018-11-27")}),
        ("The Treasury on Tuesday sanctioned Delcy Rodríguez and her brother Jorge Rodríguez.", "2018-09-26",
         {("Delcy Rodríguez", "US", "2018-09-25"), ("Jorge Rodríguez", "US", "2018-09-25")}),
        ("Britain had already sanctioned Vladimir Putin and his foreign minister, Sergei Lavrov, in February.",
         "2022-05-14", {("Vladimir Putin", "GB", "2022-02"), ("Sergei Lavrov", "GB", "2022-02")}),
        ("The United States on Wednesday put Syria's first lady, Asma al-Assad, under sanctions.", "2020-06-18",
         {("Asma al-Assad", "US", "2020-06-17")}),
        ("The Treasury on Monday sanctioned Choe Ryong Hae, who directs the party's Organisation and Guidance "
         "Department.", "2018-12-11", {("Choe Ryong Hae", "US", "2018-12-10")}),
    ],
    ids=["in-july", "among-them-were", "x-based", "himself-sanctioned", "subject-of-a-clause",
         "names-the-relative", "her-brother", "set-off-date", "put-under-sanctions", "inside-a-clause"],
)
def test_rules_fixed_from_the_later_batches(text: str, published: str, expected: set[tuple[str, str, str]]) -> None:
    assert events_of(text, published) == expected


# Constructions news copy uses widely, each read as a journalist would check it: (target, jurisdiction, date
# at its precision, action). Written from the constructions, not from the evaluation articles.
def checked(text: str, published: str) -> set[tuple[str, str, str, str]]:
    article = drafted(text, published)
    return {
        (e.target.name, e.authority.jurisdiction or e.authority.name,
         {"month": e.date.iso()[:7], "year": e.date.iso()[:4]}.get(e.date.precision, e.date.iso()), e.action)
        for e in article.events
    }


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The U.N. Security Council on Wednesday added Jamaat-ud-Dawa to its list of terrorist organisations. "
         "The council's al-Qaida and Taliban sanctions committee also listed four men, among them Hafiz Saeed.",
         "2008-12-11",
         {("Jamaat-ud-Dawa", "UN", "2008-12-10", "imposed"), ("Hafiz Saeed", "UN", "2008-12-10", "imposed")}),
        ("The State Department on Monday designated Ivan Sidorov. The department also designated Pavel Orlov.",
         "2021-06-08",
         {("Ivan Sidorov", "US", "2021-06-07", "imposed"), ("Pavel Orlov", "US", "2021-06-07", "imposed")}),
        ("The Treasury on Monday sanctioned four officials: Li Wei, Zhang Hua, Wang Fang and Chen Gang.", "2021-03-23",
         {(name, "US", "2021-03-22", "imposed") for name in ("Li Wei", "Zhang Hua", "Wang Fang", "Chen Gang")}),
        ("The EU on Monday imposed sanctions on Igor Petrov, the head of the prison service; Oleg Sokolov, a deputy "
         "minister; and Anna Volkova, a judge.", "2022-03-22",
         {(name, "EU", "2022-03-21", "imposed") for name in ("Igor Petrov", "Oleg Sokolov", "Anna Volkova")}),
        ("The Treasury on Friday sanctioned Ivan Sidorov. Pavel Orlov and Nikolai Markov were also designated.",
         "2021-03-20",
         {(name, "US", "2021-03-19", "imposed") for name in ("Ivan Sidorov", "Pavel Orlov", "Nikolai Markov")}),
        ("Ivan Sidorov and Pavel Orlov were sanctioned by the EU and Britain on Friday.", "2021-03-24",
         {(name, jurisdiction, "2021-03-19", "imposed")
          for name in ("Ivan Sidorov", "Pavel Orlov") for jurisdiction in ("EU", "GB")}),
        ("Britain on Tuesday imposed travel bans and asset freezes on Ivan Sidorov.", "2021-03-24",
         {("Ivan Sidorov", "GB", "2021-03-23", "imposed")}),
        ("The Commerce Department on Thursday placed Huawei Technologies on the Entity List.", "2019-05-17",
         {("Huawei Technologies", "US", "2019-05-16", "imposed")}),
        ("Carrie Lam was among 11 officials sanctioned by the Treasury on Friday.", "2020-08-08",
         {("Carrie Lam", "US", "2020-08-07", "imposed")}),
        ("The Treasury on Monday sanctioned Ivan Sidorov. His father, Oleg Sidorov, has been under U.S. sanctions "
         "since April 2018.", "2021-03-23",
         {("Ivan Sidorov", "US", "2021-03-22", "imposed"), ("Oleg Sidorov", "US", "2018-04", "imposed")}),
        ("Hezbollah, which Washington designated as a terrorist organisation in 1997, has seats in parliament.",
         "2019-07-10", {("Hezbollah", "US", "1997", "imposed")}),
        ("The EU on Monday adopted new sanctions over the crackdown. Under the measures, Ivan Sidorov and Pavel Orlov "
         "face an asset freeze.", "2021-03-23",
         {("Ivan Sidorov", "EU", "2021-03-22", "imposed"), ("Pavel Orlov", "EU", "2021-03-22", "imposed")}),
        ("The EU's sanctions on Ivan Sidorov were lifted on Monday.", "2021-03-23",
         {("Ivan Sidorov", "EU", "2021-03-22", "lifted")}),
        ("The EU on Monday dropped Ivan Sidorov from its sanctions list.", "2021-03-23",
         {("Ivan Sidorov", "EU", "2021-03-22", "lifted")}),
        ("China's foreign ministry on Friday announced countermeasures against Marco Rubio.", "2021-07-24",
         {("Marco Rubio", "CN", "2021-07-23", "imposed")}),
        ("Canada imposed sanctions on Friday on 40 officials, including Nicolás Maduro.", "2017-09-23",
         {("Nicolás Maduro", "CA", "2017-09-22", "imposed")}),
        ("The Security Council voted unanimously on Saturday to impose sanctions on Muammar Gaddafi.", "2011-02-27",
         {("Muammar Gaddafi", "UN", "2011-02-26", "imposed")}),
        ("Russia on Tuesday imposed sanctions on Secretary of State Antony Blinken.", "2022-03-16",
         {("Antony Blinken", "RU", "2022-03-15", "imposed")}),
        ("The Treasury on Wednesday sanctioned Sberbank, which holds a third of the market, and on Thursday it "
         "imposed sanctions on VTB Bank, which is state-owned, and on Alfa-Bank.", "2022-04-08",
         {("Sberbank", "US", "2022-04-06", "imposed"), ("VTB Bank", "US", "2022-04-07", "imposed"),
          ("Alfa-Bank", "US", "2022-04-07", "imposed")}),
        ("The wife of the minister, Maria Lavrova, was also sanctioned on Wednesday by the Treasury, along with "
         "Dmitry Medvedev.", "2022-04-07",
         {("Maria Lavrova", "US", "2022-04-06", "imposed"), ("Dmitry Medvedev", "US", "2022-04-06", "imposed")}),
        ("The EU on Monday froze Ivan Sidorov's and Pavel Orlov's assets.", "2021-03-24",
         {("Ivan Sidorov", "EU", "2021-03-22", "imposed"), ("Pavel Orlov", "EU", "2021-03-22", "imposed")}),
        ("Switzerland on Friday froze any assets that Hosni Mubarak may hold in Swiss banks.", "2011-02-12",
         {("Hosni Mubarak", "CH", "2011-02-11", "imposed")}),
        ("The State Department on Wednesday designated Nord Stream 2 AG and the Islamic Revolutionary Guard Corps "
         "(IRGC).", "2022-02-24",
         {("Nord Stream 2 AG", "US", "2022-02-23", "imposed"),
          ("Islamic Revolutionary Guard Corps", "US", "2022-02-23", "imposed")}),
        ("The Treasury on Friday sanctioned Yevgeny V. Prigozhin and Raytheon Missiles & Defense.", "2018-12-22",
         {("Yevgeny V. Prigozhin", "US", "2018-12-21", "imposed"),
          ("Raytheon Missiles & Defense", "US", "2018-12-21", "imposed")}),
        ("The EU sanctioned Ivan Sidorov last month.", "2022-04-20", {("Ivan Sidorov", "EU", "2022-03", "imposed")}),
        ("President Donald Trump on Monday revoked an order, lifting U.S. sanctions on Yinon Levi.", "2025-01-21",
         {("Yinon Levi", "US", "2025-01-20", "lifted")}),
        ("The Swiss government on Friday ordered banks to freeze any assets held in Switzerland by Viktor "
         "Yanukovych.", "2014-03-01", {("Viktor Yanukovych", "CH", "2014-02-28", "imposed")}),
        ("Australia has imposed sanctions on Myanmar's regime. Penny Wong said on Wednesday that 16 people and two "
         "conglomerates, Myanmar Economic Holdings Limited and Myanmar Economic Corporation, would face sanctions.",
         "2023-02-01",
         {("Myanmar Economic Holdings Limited", "AU", "2023-02-01", "imposed"),
          ("Myanmar Economic Corporation", "AU", "2023-02-01", "imposed")}),
        ("China on Friday sanctioned Hsiao Bi-khim after she met U.S. House Speaker Kevin McCarthy. Separately, "
         "the foreign ministry announced countermeasures against the Hudson Institute.", "2023-04-08",
         {("Hsiao Bi-khim", "CN", "2023-04-07", "imposed"), ("Hudson Institute", "CN", "2023-04-07", "imposed")}),
        ("Britain on Thursday imposed sanctions on Patriarch Kirill over his support for the war, and on Maria "
         "Lvova-Belova, whom it accused of deporting children.", "2022-06-16",
         {("Kirill", "GB", "2022-06-16", "imposed"), ("Maria Lvova-Belova", "GB", "2022-06-16", "imposed")}),
        ("The EU on Thursday imposed a travel ban on two executives of Turkey's state oil company, TPAO. They are "
         "Mehmet Ferruh Akalın and Ali Coşkun Namoğlu.", "2020-02-28",
         {(name, "EU", "2020-02-27", "imposed") for name in ("Mehmet Ferruh Akalın", "Ali Coşkun Namoğlu")}),
        ("Canada on Wednesday listed Iran's Islamic Revolutionary Guard Corps as a terrorist entity.", "2024-06-19",
         {("Islamic Revolutionary Guard Corps", "CA", "2024-06-19", "imposed")}),
        ("The Security Council on Friday placed Jimmy Chérizier, a gang leader, under a travel ban.", "2022-10-22",
         {("Jimmy Chérizier", "UN", "2022-10-21", "imposed")}),
        ("Earlier this month Switzerland froze funds linked to Egypt's Hosni Mubarak within hours of his fall.",
         "2011-02-25", {("Hosni Mubarak", "CH", "2011-02", "imposed")}),
    ],
    ids=["the-council-s-committee", "the-department", "colon-list", "semicolon-list", "were-also-designated",
         "passive-by-two", "travel-bans-and-asset-freezes", "entity-list", "was-among", "under-sanctions-since",
         "which-washington-designated", "face-under-the-measures", "sanctions-on-were-lifted", "dropped-from-list",
         "countermeasures", "day-between-measures-and-object", "voted-on-saturday-to", "secretary-of-state",
         "relative-clause-inside-a-list", "along-with-after-a-passive", "froze-someones-assets",
         "froze-assets-that", "number-in-name-and-acronym", "initial-and-ampersand", "last-month",
         "lifting-u-s-sanctions-on", "assets-held-in-by", "said-that-would-face", "the-foreign-ministry-that-acted",
         "and-on-after-a-reason", "names-the-complement", "listed-as-a-terrorist-entity", "under-a-travel-ban",
         "funds-linked-to"],
)
def test_general_constructions_of_news_copy(
    text: str, published: str, expected: set[tuple[str, str, str, str]]
) -> None:
    assert checked(text, published) == expected


def test_him_in_a_sentence_that_names_nobody_is_the_target_just_named_never_the_speaker() -> None:
    text = (
        "Australia on Tuesday imposed a travel ban on Aleksandr Ermakov. Defence Minister Richard Marles said it was "
        "the first time Australia had named a cyber criminal and then sanctioned him. Washington acted against "
        "Ermakov the same day. The Treasury designated him, and the Foreign Office said he faced an asset freeze."
    )
    assert checked(text, "2024-01-23") == {
        ("Aleksandr Ermakov", jurisdiction, "2024-01-23", "imposed") for jurisdiction in ("AU", "US", "GB")
    }


def test_assad_alone_is_the_one_not_introduced_as_someone_s_wife() -> None:
    text = ("The Treasury on Wednesday put Syria's first lady, Asma al-Assad, under sanctions over the war of "
            "President Bashar al-Assad. Assad himself has been under U.S. sanctions since May 2011.")
    assert checked(text, "2020-06-18") == {
        ("Asma al-Assad", "US", "2020-06-17", "imposed"), ("Bashar al-Assad", "US", "2011-05", "imposed"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "The EU sanctioned Ivan Sidorov on Monday. Later, Lithuania's parliament banned Pavel Orlov from entering.",
        "The EU sanctioned Ivan Sidorov on Monday. The government in Minsk banned Pavel Orlov from entering Belarus.",
        "The EU sanctioned Ivan Sidorov on Monday. Pavel Orlov has been under sanctions for years.",
        "The Treasury on Monday sanctioned Ivan Sidorov, it said in a statement: \"Pavel Orlov is next.\"",
    ],
    ids=["unlisted-body", "the-government-in", "state-without-a-date", "colon-before-a-quotation"],
)
def test_the_authority_of_the_sentence_before_does_not_spill_over(text: str) -> None:
    assert {e for e in checked(text, "2021-03-23") if e[0] == "Pavel Orlov"} <= {
        ("Pavel Orlov", "Lithuania's parliament", "2021-03-22", "imposed"),
    }


@pytest.mark.parametrize(
    ("first_line", "published"),
    [
        ("February 27, 2024", "February 27, 2024"), ("Published: Tuesday 15 March 2022 10.42 GMT", "15 March 2022"),
        ("Updated March 15, 2022 at 3:04 p.m. EDT", "March 15, 2022"), ("Brussels, 21 March 2022", "21 March 2022"),
        ("2022-03-15", "2022-03-15"),
    ],
)
def test_a_first_line_that_carries_the_date_dates_the_article(first_line: str, published: str) -> None:
    document = extract(f"{first_line}\n\nWASHINGTON (AP) — The Treasury on Monday sanctioned Ivan Sidorov.")
    assert document["published"] == published
    assert [e["text"] for e in document["entities"] if e["label"] == "AUTHORITY"] == ["Treasury"]


def test_a_headline_with_a_date_in_it_is_not_a_dateline() -> None:
    with pytest.raises(ExtractError, match="no publication date"):
        extract("Sanctions widen after March 2, 2022 vote by the bloc\n\nThe EU sanctioned Ivan Sidorov.")


# -- JSONL -------------------------------------------------------------------------------------


def test_sanctions_extract_drafts_every_line_of_a_jsonl_file_and_names_the_bad_line(tmp_path: Path) -> None:
    texts = {"a": "The EU on Monday froze the assets of Ivan Sidorov.",
             "b": "Britain on Monday sanctioned Pavel Orlov."}
    lines = [
        *(json.dumps({"id": key, "published": "2021-03-23", "text": text}) for key, text in texts.items()),
        "",
        "{not json",
    ]
    (tmp_path / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("extract", "wire.jsonl", cwd=tmp_path)
    assert result.returncode == 1
    assert "wire.jsonl:4: not valid JSON" in result.stderr
    documents = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["id"] for d in documents] == ["a", "b"]
    assert all(len(d["sanctions"]) == 1 for d in documents)

    result = run("extract", "wire.jsonl", "--output", "drafts", cwd=tmp_path)
    written = (tmp_path / "drafts" / "wire.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in written] == ["a", "b"]
    for line in written:
        assert not isinstance(validate(RawArticle(Origin("drafts"), json.loads(line))), Rejection)


def test_the_add_item_form_shows_what_a_reference_to_an_authority_means() -> None:
    """The shortcut's draft names the body, not the words that pointed back to it."""
    from datetime import date

    from storage.ingest.manual import draft_fields

    text = ("UNITED NATIONS, 14 June 2023 -- The Security Council met on Wednesday. The council's Libya "
            "sanctions committee added Osama al-Kuni Ibrahim to its list on Wednesday for running a detention centre.")
    drafted = draft_fields(text, date(2023, 6, 14)).fields
    assert (drafted.target, drafted.authority, drafted.date) == (
        "Osama al-Kuni Ibrahim", "United Nations Security Council", "2023-06-14")
