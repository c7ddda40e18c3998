"""When sources put one action on different dates, the answer says so; real histories stay unflagged.

Each case is a few small articles written here about real events, ingested
into a real store (SQLite and PostgreSQL), then asked as a journalist asks.
Nothing is merged or hidden: the misdated report stays, with its source.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.blocks.cards import render_answer
from bot.blocks.posts import render_digest, render_new_items
from bot.render_text import render_text
from storage.answers.model import Answer, TargetMatch
from storage.answers.queries import answer, facts_for_actions
from storage.answers.questions import parse_question
from storage.channels.digests import build_digest
from storage.db.store import Store
from storage.ingest.writer import ingest_paths
from tests.builders import article, seed_article, simple_article, span, write_json

TODAY = date(2026, 12, 8)
SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_224d316cee3faa82.txt"
SEED_ANNOTATIONS = Path(__file__).resolve().parents[1] / "fixtures" / "seed_annotations.json"


def ingest(store: Store, tmp_path: Path, *documents: dict[str, Any]) -> None:
    paths = [write_json(tmp_path / f"{index:02}.json", document) for index, document in enumerate(documents)]
    report = ingest_paths(store, paths)
    assert report.rejected == 0, report


def person(store: Store, name: str) -> TargetMatch:
    found = answer(store, parse_question(name, TODAY))
    assert found.best == name, (found.best, [m.name for m in found.matches])
    return found.matches[0]


def one_event(article_id: str, published: str, text: str, who: str, authority: str, when: str | None,
              *, reason: str | None = None, program: str | None = None, also: str | None = None,
              action: str = "imposed") -> dict[str, Any]:
    """An article of one event (and, with `also`, the same event on a second person)."""
    entities = [span(text, "A", "AUTHORITY", authority), span(text, "P", "PERSON", who)]
    event: dict[str, Any] = {"target": "P", "authority": "A", "action": action}
    for entity_id, label, phrase, key in (("D", "DATE", when, "date"), ("R", "REASON", reason, "reason"),
                                          ("G", "PROGRAM", program, "program")):
        if phrase:
            entities.append(span(text, entity_id, label, phrase))
            event[key] = entity_id
    events = [event]
    if also:
        entities.append(span(text, "Q", "PERSON", also))
        events.append({**event, "target": "Q"})
    return article(text, published, entities, events, article_id, source="Test Wire",
                   url=f"https://example.org/{article_id}", title=f"{authority} and {who}")


# --- misdated copy is flagged ---------------------------------------------------------------


@pytest.mark.skipif(not SEED.exists(), reason="the seed story lives in ../shared/seeds/")
def test_the_seed_rewrite_dated_on_monday_2024_is_flagged_beside_the_2021_designation(
    store: Store, tmp_path: Path
) -> None:
    from storage.samples import SAMPLES_DIR

    seed = seed_article(SEED.read_text(encoding="utf-8"), SEED_ANNOTATIONS)
    ingest_paths(store, [SAMPLES_DIR, write_json(tmp_path / "seed.json", seed)])
    wang = person(store, "Wang Junzheng")
    us_dates = sorted(a.date for a in wang.actions if a.jurisdiction == "US")
    assert us_dates == ["2021-03-22", "2024-02-26"]  # both reports stay, each with its source
    (flag,) = wang.flags
    assert (flag.kind, flag.jurisdiction, flag.dates) == ("dates_disagree", "US", ["2021-03-22", "2024-02-26"])
    assert flag.text == (
        "Sources disagree on the date of one US imposition: 22 March 2021 (1 report) or 26 February 2024 "
        "(1 report: 'on Monday' in a story published 27 February 2024), likely one action misdated in the "
        "later report."
    )
    assert wang.to_json()["flags"] == [flag.to_json()]
    assert all(not m.flags for m in answer(store, parse_question("Wang Mingshan", TODAY)).matches)


def test_a_wire_story_republished_years_later_with_on_friday_is_flagged(store: Store, tmp_path: Path) -> None:
    reason = "acting for the Russian government"
    original = one_event(
        "rusal-2018", "2018-04-07",
        "The Treasury on Friday sanctioned Oleg Deripaska for acting for the Russian government.",
        "Oleg Deripaska", "Treasury", "on Friday", reason=reason)
    republished = one_event(
        "aggregator-2022", "2022-06-14",
        "The Treasury on Friday sanctioned Oleg Deripaska for acting for the Russian government, "
        "a regional portal reported.",
        "Oleg Deripaska", "Treasury", "on Friday", reason=reason)
    ingest(store, tmp_path, original, republished)
    (flag,) = person(store, "Oleg Deripaska").flags
    assert flag.dates == ["2018-04-06", "2022-06-10"]
    assert "10 June 2022 (1 report: 'on Friday' in a story published 14 June 2022)" in flag.text
    assert flag.text.endswith("likely one action misdated in the later report.")


def test_a_translation_that_lost_its_year_is_flagged_by_its_shared_programme(store: Store, tmp_path: Path) -> None:
    program = "Venezuela-related sanctions"
    at_the_time = one_event(
        "maduro-2017", "2017-08-01",
        "The Treasury on July 31, 2017 sanctioned Nicolas Maduro under the Venezuela-related sanctions.",
        "Nicolas Maduro", "Treasury", "July 31, 2017", program=program)
    translated = one_event(
        "maduro-translation", "2019-01-10",
        "America Treasury Ministry on 31 July placed sanctions on Nicolas Maduro under the "
        "Venezuela-related sanctions.",
        "Nicolas Maduro", "America Treasury Ministry", "on 31 July", program=program)
    ingest(store, tmp_path, at_the_time, translated)
    maduro = person(store, "Nicolas Maduro")
    (flag,) = maduro.flags
    assert (flag.jurisdiction, flag.dates) == ("US", ["2017-07-31", "2018-07-31"])
    assert "31 July 2017 (1 report) or 31 July 2018 (1 report)" in flag.text


def test_a_follow_up_one_day_off_is_flagged(store: Store, tmp_path: Path) -> None:
    washington = one_event("kim-us", "2016-07-07",
                           "The Treasury on Wednesday sanctioned Kim Jong Un over human rights abuses.",
                           "Kim Jong Un", "Treasury", "on Wednesday")
    seoul = one_event("kim-seoul", "2016-07-08",
                      "The US Treasury on July 7 blacklisted Kim Jong Un, officials in Seoul said.",
                      "Kim Jong Un", "US Treasury", "July 7")
    ingest(store, tmp_path, washington, seoul)
    (flag,) = person(store, "Kim Jong Un").flags
    assert flag.dates == ["2016-07-06", "2016-07-07"]
    assert flag.text.endswith("likely one action misdated in one of them.")


def test_three_reports_two_agreeing_name_the_odd_date_and_count_each(store: Store, tmp_path: Path) -> None:
    reason = "their role in the Magnitsky case"
    first = one_event("karpov-1", "2013-04-13", "The Treasury on Friday listed Pavel Karpov for their role in "
                      "the Magnitsky case.", "Pavel Karpov", "Treasury", "on Friday", reason=reason)
    second = one_event("karpov-2", "2013-04-14", "The Treasury on April 12 listed Pavel Karpov for their role "
                       "in the Magnitsky case.", "Pavel Karpov", "Treasury", "April 12", reason=reason)
    stale = one_event("karpov-3", "2014-04-14", "The Treasury on Friday listed Pavel Karpov for their role in "
                      "the Magnitsky case, the paper recalled.", "Pavel Karpov", "Treasury", "on Friday",
                      reason=reason)
    ingest(store, tmp_path, first, second, stale)
    (flag,) = person(store, "Pavel Karpov").flags
    assert flag.dates == ["2013-04-12", "2014-04-11"]
    assert flag.text.startswith("Sources disagree on the date of one US imposition: 12 April 2013 (2 reports) or "
                                "11 April 2014 (1 report: 'on Friday' in a story published 14 April 2014)")


def test_last_week_in_a_story_republished_years_later_is_flagged(store: Store, tmp_path: Path) -> None:
    listing = one_event("azhar-2019", "2019-05-02", "The UN Security Council on Wednesday listed Masood Azhar.",
                        "Masood Azhar", "UN Security Council", "on Wednesday")
    republished = one_event("azhar-2023", "2023-05-03", "The UN Security Council last week listed Masood Azhar, "
                            "the site said in a piece it re-ran.", "Masood Azhar", "UN Security Council",
                            "last week")
    ingest(store, tmp_path, listing, republished)
    (flag,) = person(store, "Masood Azhar").flags
    assert flag.dates == ["2019-05-01", "2023-04-24"]
    assert "week of 24 April 2023 (1 report: 'last week' in a story published 3 May 2023)" in flag.text


def test_one_programme_written_two_ways_is_one_programme(store: Store, tmp_path: Path) -> None:
    at_the_time = one_event("karpov-a", "2013-04-13", "The Treasury on Friday listed Pavel Karpov under the Sergei "
                            "Magnitsky Rule of Law Accountability Act.", "Pavel Karpov", "Treasury", "on Friday",
                            program="Sergei Magnitsky Rule of Law Accountability Act")
    re_run = one_event("karpov-b", "2014-04-12", "The Treasury on Friday listed Pavel Karpov under the Magnitsky "
                       "Act.", "Pavel Karpov", "Treasury", "on Friday", program="Magnitsky Act")
    ingest(store, tmp_path, at_the_time, re_run)
    assert person(store, "Pavel Karpov").flags[0].dates == ["2013-04-12", "2014-04-11"]


def test_a_year_slipped_in_translation_is_flagged_even_when_the_annotator_gave_it_as_a_value(
    store: Store, tmp_path: Path
) -> None:
    original = one_event("kiriyenko-2020", "2020-10-16", "The EU on Thursday listed Sergei Kiriyenko.",
                         "Sergei Kiriyenko", "The EU", "on Thursday")
    text = "The EU on October 15, 2019 placed Sergei Kiriyenko on its list, the translated report said."
    translated = one_event("kiriyenko-translation", "2021-01-18", text, "Sergei Kiriyenko", "The EU",
                           "October 15, 2019")
    translated["entities"][2]["value"] = "2019-10-15"
    ingest(store, tmp_path, original, translated)
    (flag,) = person(store, "Sergei Kiriyenko").flags
    assert (flag.jurisdiction, flag.dates) == ("EU", ["2019-10-15", "2020-10-15"])


# --- real histories are not -----------------------------------------------------------------


def test_two_impositions_stated_in_one_article_are_two_actions(store: Store, tmp_path: Path) -> None:
    text = ("The Treasury on Monday sanctioned Min Aung Hlaing under the Burma sanctions over the coup and "
            "abuses against the Rohingya; the State Department had first blacklisted Min Aung Hlaing in 2019.")
    entities = [span(text, "T", "AUTHORITY", "The Treasury"), span(text, "M", "DATE", "on Monday"),
                span(text, "P", "PERSON", "Min Aung Hlaing"), span(text, "G", "PROGRAM", "Burma sanctions"),
                span(text, "R", "REASON", "abuses against the Rohingya"),
                span(text, "S", "AUTHORITY", "the State Department"), span(text, "Y", "DATE", "in 2019"),
                span(text, "Q", "PERSON", "Min Aung Hlaing", nth=2)]
    # One reason marked for both: shared context, yet one article telling two actions apart.
    events = [{"target": "P", "authority": "T", "date": "M", "program": "G", "reason": "R"},
              {"target": "Q", "authority": "S", "date": "Y", "reason": "R"}]
    ingest(store, tmp_path, article(text, "2021-02-12", entities, events, "junta-2021"))
    general = person(store, "Min Aung Hlaing")
    assert sorted(a.date for a in general.actions) == ["2019-01-01", "2021-02-08"]
    assert general.flags == []


def test_an_imposition_its_lifting_and_a_reimposition_are_history(store: Store, tmp_path: Path) -> None:
    ingest(store, tmp_path,
           simple_article("luka-2006", "Alexander Lukashenko", "The EU", "on Monday", "2006-04-11"),
           simple_article("luka-2016", "Alexander Lukashenko", "The EU", "on Monday", "2016-02-16", "lifted"),
           simple_article("luka-2020", "Alexander Lukashenko", "The EU", "on Friday", "2020-11-07"))
    lukashenko = person(store, "Alexander Lukashenko")
    assert [a.action for a in lukashenko.actions] == ["imposed", "lifted", "imposed"]
    assert lukashenko.flags == []


def test_a_month_or_year_report_holding_the_days_report_is_no_disagreement(store: Store, tmp_path: Path) -> None:
    ingest(store, tmp_path,
           simple_article("zhu-day", "Zhu Hailun", "The EU", "on Monday", "2021-03-23"),
           simple_article("zhu-month", "Zhu Hailun", "The EU", "in March 2021", "2021-06-02"),
           simple_article("zhu-year", "Zhu Hailun", "The EU", "in 2021", "2022-01-20"))
    zhu = person(store, "Zhu Hailun")
    assert sorted((a.date, a.precision) for a in zhu.actions) == [("2021-01-01", "year"), ("2021-03-22", "day")]
    assert zhu.flags == []  # the same reason throughout, and still one action at two precisions
    assert answer(store, parse_question("Zhu Hailun", TODAY)).to_json()["matches"][0]["flags"] == []


def test_renewals_of_one_listing_every_year_are_not_a_disagreement(store: Store, tmp_path: Path) -> None:
    program = "the chemical weapons regime"
    renewals = [one_event(f"renewal-{year}", f"{year}-10-12",
                          f"The EU on Monday extended sanctions on Alexander Bortnikov under {program}.",
                          "Alexander Bortnikov", "The EU", "on Monday", program=program, action="extended")
                for year in (2021, 2022, 2023)]
    ingest(store, tmp_path, *renewals)
    assert person(store, "Alexander Bortnikov").flags == []


def test_two_jurisdictions_acting_on_different_days_are_not_a_disagreement(store: Store, tmp_path: Path) -> None:
    ingest(store, tmp_path,
           simple_article("viktor-uk", "Viktor Lukashenko", "Britain", "on Tuesday", "2020-09-30"),
           simple_article("viktor-eu", "Viktor Lukashenko", "The EU", "on Friday", "2020-11-07"))
    assert person(store, "Viktor Lukashenko").flags == []


def test_a_new_designation_years_later_under_another_programme_is_not_flagged(store: Store, tmp_path: Path) -> None:
    first = one_event("kadyrov-2017", "2017-12-21", "The Treasury on Wednesday sanctioned Ramzan Kadyrov under the "
                      "Magnitsky Act.", "Ramzan Kadyrov", "Treasury", "on Wednesday", program="Magnitsky Act")
    later = one_event("kadyrov-2020", "2020-07-17", "The Treasury on Thursday sanctioned Ramzan Kadyrov under "
                      "Global Magnitsky.", "Ramzan Kadyrov", "Treasury", "on Thursday", program="Global Magnitsky")
    ingest(store, tmp_path, first, later)
    assert person(store, "Ramzan Kadyrov").flags == []


# --- where a reader sees it -----------------------------------------------------------------


def _disputed_store(store: Store, tmp_path: Path) -> None:
    reason = "serious human rights abuses"
    ingest(store, tmp_path,
           one_event("chen-2021", "2021-03-23", "The Treasury on Monday sanctioned Chen Mingguo over serious human "
                     "rights abuses.", "Chen Mingguo", "Treasury", "on Monday", reason=reason),
           one_event("chen-2024", "2024-02-27", "The Treasury on Monday sanctioned Chen Mingguo over serious human "
                     "rights abuses, the rewrite said.", "Chen Mingguo", "Treasury", "on Monday", reason=reason))


def test_the_card_states_the_disagreement_above_the_actions_and_marks_each_disputed_date(
    store: Store, tmp_path: Path
) -> None:
    _disputed_store(store, tmp_path)
    found: Answer = answer(store, parse_question("chen mingguo", TODAY))
    message = render_answer(found)
    texts = [block["text"]["text"] for block in message.blocks if block["type"] == "section"]
    note = next(i for i, text in enumerate(texts) if text.startswith(":warning: *Sources disagree"))
    actions = [i for i, text in enumerate(texts) if "imposed sanctions" in text]
    assert note < min(actions) and len(actions) == 2
    assert all("Sources disagree on this date" in texts[i] for i in actions)
    assert "'on Monday' in a story published 27 February 2024" in texts[note]
    assert "Sources disagree" in message.text  # notifications and screen readers too
    assert "! Sources disagree on the date of one US imposition" in render_text(found)
    assert "[date disputed]" in render_text(found)


def test_new_item_posts_and_digests_say_an_announced_date_is_disputed(store: Store, tmp_path: Path) -> None:
    _disputed_store(store, tmp_path)
    facts = facts_for_actions(store, [a.action_id for a in person(store, "Chen Mingguo").actions])
    assert all(fact.disputed for fact in facts)
    post = render_new_items(facts[:1])
    assert any("Sources disagree on the date of one US imposition" in block["text"]["text"]
               for block in post.blocks if block["type"] == "section")
    digest = build_digest(store, "C1", date.today(), datetime(2000, 1, 1, tzinfo=UTC), datetime.now(UTC))
    assert "sources disagree on this date" in str(render_digest(digest, "UTC").blocks)
