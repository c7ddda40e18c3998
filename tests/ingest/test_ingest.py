"""Ingest as an editor uses it: validation, atomicity, idempotence, merging."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from storage.answers.queries import answer
from storage.answers.questions import parse_question
from storage.db.models import Action, ActionSource, Article, Target
from storage.db.store import Store
from storage.ingest.writer import ingest_paths
from tests.builders import article, seed_article, simple_article, span, write_json, write_jsonl

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def ask(store: Store, text: str, **kwargs):  # type: ignore[no-untyped-def]
    return answer(store, parse_question(text, date(2026, 11, 29)), **kwargs)


def counts(store: Store) -> tuple[int, int, int, int]:
    with store.session() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model))
            for model in (Article, Target, Action, ActionSource)
        )


def test_the_seed_story_gives_monday_the_26th_and_two_people(store: Store, seed_text: str, tmp_path: Path) -> None:
    path = write_json(tmp_path / "seed.json", seed_article(seed_text, FIXTURES / "seed_annotations.json"))
    report = ingest_paths(store, [path])
    assert (report.new, report.rejected, report.actions_added) == (1, 0, 2)

    result = ask(store, "wang junzheng")
    assert result.best == "Wang Junzheng"
    (fact,) = result.matches[0].actions
    assert (fact.date, fact.precision, fact.date_text) == ("2024-02-26", "day", "on Monday")
    assert fact.authority == "U.S. Department of the Treasury" and fact.jurisdiction == "US"
    assert fact.role == "secretary of the Xinjiang Manufacturing and Construction Corps Party Committee"
    assert "Wang Junzheng" in fact.sources[0].quote and fact.sources[0].published == "2024-02-27"

    # People only mentioned are not targets.
    for bystander in ("Antony Blinken", "Wang Yi", "Xi Jinping"):
        assert ask(store, bystander).matches == []


def test_today_in_the_seed_story_is_the_day_of_publication(seed_text: str) -> None:
    from storage.articles import RawArticle, validate
    from storage.articles.model import Origin

    document = seed_article(seed_text, FIXTURES / "seed_annotations.json")
    today = next(e for e in document["entities"] if e["text"] == "today")
    eu = next(e for e in document["entities"] if e["text"] == "European Union")
    chen = next(e for e in document["entities"] if e["text"] == "Chen Mingguo")
    document["sanctions"] = [{"target": chen["id"], "authority": eu["id"], "date": today["id"]}]
    resolved = validate(RawArticle(Origin("seed.json"), document))
    assert resolved.events[0].date.day == date(2024, 2, 27)  # type: ignore[union-attr]
    assert resolved.events[0].date.precision == "day"  # type: ignore[union-attr]


def test_ingesting_the_same_folder_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    write_json(folder / "a.json", simple_article("a", "Wang Junzheng", "The Treasury", "on Monday"))
    write_json(folder / "nested" / "b.json", simple_article("b", "Chen Mingguo", "The EU", "on Monday"))
    write_jsonl(folder / "more.jsonl", [simple_article("c", "Zhu Hailun", "Britain", "on Monday")])
    first = ingest_paths(store, [folder])
    before, answer_before = counts(store), ask(store, "by eu").to_json()
    second = ingest_paths(store, [folder])
    assert (first.new, first.actions_added) == (3, 3)
    assert (second.new, second.unchanged, second.replaced, second.actions_added) == (0, 3, 0, 0)
    assert counts(store) == before
    assert ask(store, "by eu").to_json() == answer_before


def test_an_invalid_article_is_rejected_with_its_place_and_nothing_of_it_stored(
    store: Store, tmp_path: Path
) -> None:
    good = simple_article("good", "Wang Junzheng", "The Treasury", "on Monday")
    wrong_span = simple_article("wrong-span", "Chen Mingguo", "The EU", "on Monday")
    wrong_span["entities"][1]["text"] = "Chen Mingguoo"
    missing_entity = simple_article("missing-entity", "Zhu Hailun", "Britain", "on Monday")
    missing_entity["sanctions"][0]["target"] = "T99"
    no_published = simple_article("no-date", "Wang Mingshan", "Canada", "on Monday")
    del no_published["published"]
    path = write_jsonl(tmp_path / "batch.jsonl", [good, wrong_span, missing_entity, no_published, "{not json"])

    report = ingest_paths(store, [path])
    assert (report.new, report.rejected) == (1, 4)
    messages = report.rejections
    assert messages[0].startswith(f"{path}:2: entity P: text 'Chen Mingguoo' does not match text[")
    assert messages[1].startswith(f"{path}:3: sanctions[0]: target 'T99' names no entity")
    assert messages[2] == f"{path}:4: field 'published' is missing"
    assert messages[3].startswith(f"{path}:5: not valid JSON")
    assert ask(store, "wang junzheng").best == "Wang Junzheng"
    for rejected in ("Chen Mingguo", "Zhu Hailun", "Wang Mingshan"):
        assert ask(store, rejected).matches == []
    assert counts(store)[0] == 1


def test_a_revised_article_replaces_its_earlier_facts(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "story.json"
    write_json(path, simple_article("story", "Wang Junzheng", "The Treasury", "on Monday"))
    first = ingest_paths(store, [path])
    (old_action,) = ask(store, "wang junzheng").matches[0].actions

    # Same action, a corrected reason: the action is kept (not new again).
    write_json(path, simple_article("story", "Wang Junzheng", "The Treasury", "on Monday", reason="abuses in Xinjiang"))
    second = ingest_paths(store, [path])
    (kept,) = ask(store, "wang junzheng").matches[0].actions
    assert (second.replaced, second.actions_added) == (1, 0)
    assert kept.action_id == old_action.action_id and kept.reason == "abuses in Xinjiang"

    # A corrected date: the old action goes, the new one comes.
    write_json(path, simple_article("story", "Wang Junzheng", "The Treasury", "on Friday"))
    third = ingest_paths(store, [path])
    (moved,) = ask(store, "wang junzheng").matches[0].actions
    assert third.actions_added == 1 and moved.date == "2021-03-19"
    assert first.actions_added == 1
    assert counts(store) == (1, 1, 1, 1)


def test_two_reports_of_one_action_are_one_action_with_two_sources(store: Store, tmp_path: Path) -> None:
    write_json(tmp_path / "wire.json", simple_article("wire", "Wang Junzheng", "The Treasury", "on Monday",
                                                      published="2021-03-23"))
    write_json(tmp_path / "paper.json", simple_article("paper", "Junzheng Wang", "OFAC", "March 22",
                                                       published="2021-03-24"))
    report = ingest_paths(store, [tmp_path])
    assert report.actions_added == 1
    (fact,) = ask(store, "wang junzheng").matches[0].actions
    assert fact.date == "2021-03-22"
    assert [s.url for s in fact.sources] == ["https://example.org/wire", "https://example.org/paper"]


def test_people_merge_by_alias_even_when_the_tie_arrives_last(store_url: str, tmp_path: Path) -> None:
    first = simple_article("ru", "Aliaksandr Lukashenka", "The EU", "November 6, 2020", published="2020-11-07")
    second = simple_article("en", "Alexander Lukashenko", "Britain", "September 29, 2020", published="2020-09-30")
    tie = simple_article("tie", "Alexander Lukashenko", "Canada", "September 29, 2020",
                         published="2020-09-30", aliases=["Aliaksandr Lukashenka", "Александр Лукашенко"])
    orders = [[first, second, tie], [tie, second, first], [second, tie, first]]
    answers = []
    for number, order in enumerate(orders):
        store = Store.open(store_url if number == 0 else f"sqlite:///{tmp_path / f'order{number}.db'}")
        for index, document in enumerate(order):
            ingest_paths(store, [write_json(tmp_path / f"o{number}" / f"{index}.json", document)])
        result = ask(store, "lukashenko")
        answers.append((result.best, sorted((a.authority, a.date) for a in result.matches[0].actions)))
        assert len(result.matches) == 1
        assert ask(store, "Александр Лукашенко").best == "Alexander Lukashenko"
        store.dispose()
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == "Alexander Lukashenko"  # the first fully written form, by publication


def test_a_spelling_as_written_merges_with_the_same_spelling_under_a_value(store: Store, tmp_path: Path) -> None:
    """The text's full name identifies the person even where the annotator normalised it."""
    plain = simple_article("eu", "Alyaksandr Lukashenka", "The EU", "on Monday")
    valued = simple_article("uk", "Alyaksandr Lukashenka", "Britain", "on Monday", value="Alexander Lukashenko")
    short = simple_article("ca", "Wang Jun", "Canada", "on Monday", value="Wang Junzheng")
    other = simple_article("us", "Wang Jun", "The Treasury", "on Monday")
    ingest_paths(store, [write_json(tmp_path / f"{d['id']}.json", d) for d in (plain, valued, short, other)])
    result = ask(store, "lukashenka")
    assert result.best == "Alexander Lukashenko"
    assert sorted(a.authority for a in result.matches[0].actions) == ["Council of the European Union", "UK Government"]
    # A mention shorter than the value may be a short form of it: no merge with another "Wang Jun".
    assert ask(store, "wang junzheng").best == "Wang Junzheng"
    assert [a.authority for a in ask(store, "wang junzheng").matches[0].actions] == ["Government of Canada"]


def test_an_annotators_one_word_alias_is_listed_but_a_lone_word_of_the_text_is_not(
    store: Store, tmp_path: Path
) -> None:
    named = simple_article("n", "Alexei Navalny", "The EU", "on Monday", aliases=["Navalnyy", "A. Navalny"])
    lone = simple_article("l", "Navalny", "Britain", "on Monday")  # the text's short form
    ingest_paths(store, [write_json(tmp_path / "n.json", named), write_json(tmp_path / "l.json", lone)])
    best = ask(store, "Alexei Navalny").matches[0]
    assert best.name == "Alexei Navalny" and best.aliases == ["A. Navalny", "Navalnyy"]
    assert "Alexei Navalny" in [m.name for m in ask(store, "navalnyy").matches]


def test_people_are_never_merged_by_surname_alone(store: Store, tmp_path: Path) -> None:
    write_json(tmp_path / "a.json", simple_article("a", "Wang Junzheng", "The Treasury", "on Monday"))
    write_json(tmp_path / "b.json", simple_article("b", "Wang Mingshan", "The EU", "on Monday"))
    lone = simple_article("c", "Wang", "Britain", "on Monday")
    write_json(tmp_path / "c.json", lone)
    ingest_paths(store, [tmp_path])
    assert counts(store)[1] == 3
    result = ask(store, "wang")
    assert result.best is None and len(result.matches) == 3


def test_an_event_without_a_date_takes_the_publication_date_marked_as_such(store: Store, tmp_path: Path) -> None:
    document = simple_article("a", "Wang Junzheng", "The Treasury", None)
    ingest_paths(store, [write_json(tmp_path / "a.json", document)])
    (fact,) = ask(store, "wang junzheng").matches[0].actions
    assert (fact.date, fact.precision, fact.date_text, fact.date_from_publication) == ("2021-03-23", "day", None, True)


def test_an_authority_outside_the_gazetteer_is_stored_as_written(store: Store, tmp_path: Path) -> None:
    document = simple_article("tw", "Oleg Deripaska", "Taiwan's Ministry of Economic Affairs", "on Monday")
    ingest_paths(store, [write_json(tmp_path / "tw.json", document)])
    (fact,) = ask(store, "oleg deripaska").matches[0].actions
    assert (fact.authority, fact.jurisdiction) == ("Taiwan's Ministry of Economic Affairs", None)
    assert len(ask(store, "by taiwan").actions) == 1


def test_an_article_without_id_is_known_by_its_text(store: Store, tmp_path: Path) -> None:
    document = simple_article("x", "Wang Junzheng", "The Treasury", "on Monday")
    del document["id"]
    path = write_json(tmp_path / "a.json", document)
    ingest_paths(store, [path])
    document["title"] = "A new headline"
    write_json(path, document)
    report = ingest_paths(store, [path])
    assert (report.replaced, report.new) == (1, 0)


def test_each_fact_is_quoted_with_its_sentence(store: Store, tmp_path: Path) -> None:
    text = ("LONDON - Britain on Monday froze the assets of Chen Mingguo, a police chief. "
            "The Foreign Office said more would follow. Mr. Raab spoke later.")
    document = article(
        text, "2021-03-23",
        [span(text, "A", "AUTHORITY", "Britain"), span(text, "P", "PERSON", "Chen Mingguo"),
         span(text, "D", "DATE", "on Monday")],
        [{"target": "P", "authority": "A", "date": "D"}], "quote-test")
    ingest_paths(store, [write_json(tmp_path / "q.json", document)])
    (fact,) = ask(store, "chen mingguo").matches[0].actions
    assert fact.sources[0].quote == "LONDON - Britain on Monday froze the assets of Chen Mingguo, a police chief."
    assert fact.jurisdiction == "GB"


def test_a_fact_marked_across_sentences_is_quoted_with_each_of_them(store: Store, tmp_path: Path) -> None:
    text = ("The EU froze the assets of Vladimir Putin and Sergei Lavrov on Friday. "
            "Markets barely moved. Britain followed on Monday. Washington acted too.")
    document = article(
        text, "2022-03-01",
        [span(text, "EU", "AUTHORITY", "The EU"), span(text, "UK", "AUTHORITY", "Britain"),
         span(text, "US", "AUTHORITY", "Washington"), span(text, "P", "PERSON", "Vladimir Putin")],
        [{"target": "P", "authority": authority} for authority in ("EU", "UK", "US")], "across")
    assert ingest_paths(store, [write_json(tmp_path / "across.json", document)]).rejected == 0
    quotes = {fact.jurisdiction: fact.sources[0].quote for fact in ask(store, "vladimir putin").matches[0].actions}
    assert quotes["EU"] == "The EU froze the assets of Vladimir Putin and Sergei Lavrov on Friday."
    assert quotes["GB"] == ("The EU froze the assets of Vladimir Putin and Sergei Lavrov on Friday. … "
                            "Britain followed on Monday.")
    assert quotes["US"] == ("The EU froze the assets of Vladimir Putin and Sergei Lavrov on Friday. … "
                            "Washington acted too.")


def test_a_quote_cut_from_a_run_on_sentence_marks_only_real_cuts(store: Store, tmp_path: Path) -> None:
    text = "The EU sanctioned Chen Mingguo, " + ", ".join(f"official number {i}" for i in range(80)) + "."
    document = article(
        text, "2021-03-23",
        [span(text, "A", "AUTHORITY", "The EU"), span(text, "P", "PERSON", "Chen Mingguo")],
        [{"target": "P", "authority": "A"}], "run-on")
    ingest_paths(store, [write_json(tmp_path / "r.json", document)])
    quote = ask(store, "chen mingguo").matches[0].actions[0].sources[0].quote
    assert quote.startswith("The EU sanctioned Chen Mingguo, official number 0") and quote.endswith("…")


def test_dates_with_values_and_lifted_actions(store: Store, tmp_path: Path) -> None:
    text = "The EU lifted its sanctions on Alexander Lukashenko in February 2016 after prisoners were freed."
    document = article(
        text, "2016-03-01",
        [span(text, "A", "AUTHORITY", "The EU"), span(text, "P", "PERSON", "Alexander Lukashenko"),
         span(text, "D", "DATE", "in February 2016", value="2016-02")],
        [{"target": "P", "authority": "A", "date": "D", "action": "lifted"}], "lifting")
    ingest_paths(store, [write_json(tmp_path / "l.json", document)])
    (fact,) = ask(store, "alexander lukashenko").matches[0].actions
    assert (fact.action, fact.date, fact.precision) == ("lifted", "2016-02-01", "month")
    assert fact.date_text == "in February 2016"


def test_a_json_file_with_a_syntax_error_names_its_line(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "text": "x",\n  "published": 2024-01-01\n}\n', encoding="utf-8")
    report = ingest_paths(store, [path])
    assert report.rejected == 1 and report.rejections[0].startswith(f"{path}:3: not valid JSON")
    assert json.loads(json.dumps(report.rejections))  # plain strings


def test_names_that_differ_only_in_invisible_characters_are_one_name(store: Store, tmp_path: Path) -> None:
    composed = simple_article("a", "Reinhard B\u00fctikofer", "China", "on 22 March 2021")
    decomposed = simple_article("b", "Reinhard Bu\u0308tikofer", "Beijing", "on 22 March 2021", published="2021-03-24")
    hidden = simple_article("c", "Sergei\u200b Lav\u00adrov", "The EU", "on 28 February 2022", published="2022-03-01")
    paths = [write_json(tmp_path / f"{name}.json", document)
             for name, document in (("a", composed), ("b", decomposed), ("c", hidden))]
    assert ingest_paths(store, paths).rejected == 0
    (match,) = ask(store, "reinhard butikofer").matches
    assert match.name == "Reinhard B\u00fctikofer" and match.aliases == []
    (match,) = ask(store, "sergei lavrov").matches
    assert match.name == "Sergei Lavrov" and match.aliases == []


def test_the_headline_is_in_latin_letters_where_a_report_gave_them(store: Store, tmp_path: Path) -> None:
    chinese = simple_article("zh", "朱海仑", "欧盟", "on 22 March 2021", published="2021-03-22")
    english = simple_article("en", "Zhu Hailun", "The EU", "on 22 March 2021", published="2021-03-23")
    paths = [write_json(tmp_path / "zh.json", chinese), write_json(tmp_path / "en.json", english)]
    assert ingest_paths(store, paths).rejected == 0
    (match,) = ask(store, "朱海仑").matches
    assert (match.name, match.aliases) == ("Zhu Hailun", ["朱海仑"])
