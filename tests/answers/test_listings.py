"""The official lists beside the press on a card, and what each says that the other does not.

Lists are imported through the real snapshot store from ListFile objects
built here (small excerpts of real designations), beside articles written
here; every answer is asked as a journalist asks it, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from bot.blocks.cards import render_answer
from bot.render_text import render_text
from storage.answers.model import TargetMatch
from storage.answers.queries import answer
from storage.answers.questions import parse_question
from storage.db.store import Store
from storage.ingest.writer import ingest_paths
from storage.lists.entries import ListEntry, ListFile
from storage.lists.snapshots import import_list_file
from tests.builders import simple_article, write_json

TODAY = date(2026, 12, 8)
LISTING_KEYS = {"list", "list_name", "jurisdiction", "entry_id", "name", "programs", "listed_on", "first_seen",
                "delisted_on", "as_of", "url"}


def ingest(store: Store, tmp_path: Path, *documents: dict[str, Any]) -> None:
    paths = [write_json(tmp_path / f"{d['id']}.json", d) for d in documents]
    assert ingest_paths(store, paths).rejected == 0


def load(store: Store, list_format: str, published: date, entries: Iterable[ListEntry], partial: bool = False) -> None:
    import_list_file(store, ListFile(f"{list_format}.xml", list_format, published, iter(list(entries))), today=TODAY,
                     partial=partial)


def ofac(entry_id: str, name: str, programs: tuple[str, ...] = ("GLOMAG",)) -> ListEntry:
    return ListEntry("us_ofac_sdn", entry_id, "person", name, programs=programs,
                     url=f"https://sanctionssearch.ofac.treas.gov/Details.aspx?id={entry_id}")


def eu(entry_id: str, name: str, listed_on: date) -> ListEntry:
    return ListEntry("eu_fsf", entry_id, "person", name, programs=("HR",), listed_on=listed_on)


def match(store: Store, name: str) -> TargetMatch:
    found = answer(store, parse_question(name, TODAY))
    assert found.matches, name
    return found.matches[0]


def kinds(found: TargetMatch) -> list[tuple[str, str | None]]:
    return [(flag.kind, flag.jurisdiction) for flag in found.flags]


def test_a_card_shows_each_list_beside_the_press_with_the_lists_own_date_or_since_at_least(
    store: Store, tmp_path: Path
) -> None:
    ingest(store, tmp_path, simple_article("us-wang", "Wang Junzheng", "The Treasury", "on Monday", "2021-03-23"),
           simple_article("eu-wang", "Wang Junzheng", "The EU", "on Monday", "2021-03-23"))
    load(store, "ofac_xml", date(2021, 3, 22), [ofac("90007", "WANG, Junzheng")])
    load(store, "eu_xml", date(2021, 3, 23), [eu("190102", "Wang Junzheng", date(2021, 3, 22))])
    wang = match(store, "wang junzheng")
    data = wang.to_json()
    assert [set(listing) for listing in data["listings"]] == [LISTING_KEYS, LISTING_KEYS]
    by_list = {listing["list"]: listing for listing in data["listings"]}
    assert by_list["us_ofac_sdn"]["listed_on"] is None  # OFAC's file gives no date: never guessed
    assert by_list["us_ofac_sdn"]["first_seen"] == "2021-03-22" and by_list["us_ofac_sdn"]["as_of"] == "2021-03-22"
    assert by_list["eu_fsf"]["listed_on"] == "2021-03-22" and by_list["eu_fsf"]["delisted_on"] is None
    assert data["flags"] == []  # press and lists agree
    card = " ".join(b["text"]["text"] for b in render_answer(answer(store, parse_question("wang junzheng", TODAY))
                                                              ).blocks if b["type"] == "section")
    assert "*OFAC SDN List* · on the list since at least 22 March 2021" in card
    assert "*EU Financial Sanctions Files* · listed 22 March 2021" in card
    assert "OFAC SDN List [US]: on the list since at least 22 March 2021" in render_text(
        answer(store, parse_question("wang junzheng", TODAY)))


def test_someone_only_a_list_names_is_found_with_their_listing(store: Store, tmp_path: Path) -> None:
    ingest(store, tmp_path, simple_article("us-wang", "Wang Junzheng", "The Treasury", "on Monday", "2021-03-23"))
    load(store, "eu_xml", date(2021, 3, 23), [eu("190104", "Wang Mingshan", date(2021, 3, 22))])
    found = answer(store, parse_question("wang mingshan", TODAY))
    assert found.best == "Wang Mingshan" and found.matches[0].actions == []
    assert [listing.list for listing in found.matches[0].listings] == ["eu_fsf"]
    texts = [b["text"]["text"] for b in render_answer(found).blocks if b["type"] == "section"]
    assert "_No press reports of sanctions on them in the desk._" in texts


def test_a_press_imposition_the_loaded_list_does_not_hold_is_flagged(store: Store, tmp_path: Path) -> None:
    ingest(store, tmp_path, simple_article("us-chen", "Chen Quanguo", "The Treasury", "on Thursday", "2020-07-10"))
    load(store, "ofac_xml", date(2021, 3, 22), [ofac("90007", "WANG, Junzheng")])
    chen = match(store, "chen quanguo")
    assert kinds(chen) == [("not_on_list", "US")]
    assert chen.flags[0].text == ("The press reports US sanctions imposed 9 July 2020 (1 report), but the OFAC SDN "
                                  "List loaded here (as of 22 March 2021) has no entry linked to this name.")


def test_an_excerpt_of_a_list_shows_its_entries_but_its_silence_flags_nobody(store: Store, tmp_path: Path) -> None:
    ingest(store, tmp_path, simple_article("us-chen", "Chen Quanguo", "The Treasury", "on Thursday", "2020-07-10"),
           simple_article("us-wang", "Wang Junzheng", "The Treasury", "on Monday", "2021-03-23"))
    load(store, "ofac_xml", date(2021, 3, 22), [ofac("90007", "WANG, Junzheng")], partial=True)
    assert kinds(match(store, "chen quanguo")) == []
    assert [listing.list for listing in match(store, "wang junzheng").listings] == ["us_ofac_sdn"]


def test_no_list_flag_where_the_list_could_not_know_or_never_records_it(store: Store, tmp_path: Path) -> None:
    ingest(store, tmp_path,
           simple_article("after", "Chen Quanguo", "The Treasury", "on Monday", "2021-04-06"),  # after the snapshot
           simple_article("visa", "Rosario Murillo", "The State Department", "on Monday", "2019-11-26"),  # a visa ban
           simple_article("lifted-1", "Ivan Pavlov", "The Treasury", "on Monday", "2018-04-10"),
           simple_article("lifted-2", "Ivan Pavlov", "The Treasury", "on Monday", "2019-01-29", "lifted"))
    load(store, "ofac_xml", date(2021, 3, 22), [ofac("90007", "WANG, Junzheng")])
    for name in ("chen quanguo", "rosario murillo", "ivan pavlov"):
        assert kinds(match(store, name)) == [], name
    assert kinds(match(store, "wang junzheng")) == []  # only on the list: nothing for the press to miss


def test_a_delisting_no_report_mentions_is_flagged_and_one_reported_is_not(store: Store, tmp_path: Path) -> None:
    ingest(store, tmp_path,
           simple_article("icc-1", "Fatou Bensouda", "The Treasury", "on Wednesday", "2020-09-03"),
           simple_article("rusal-1", "Oleg Deripaska", "The Treasury", "on Friday", "2018-04-07"),
           simple_article("rusal-2", "Oleg Deripaska", "The Treasury", "on Sunday", "2019-01-28", "lifted"))
    load(store, "ofac_xml", date(2021, 3, 22), [ofac("90001", "BENSOUDA, Fatou"), ofac("90002", "DERIPASKA, Oleg")])
    load(store, "ofac_xml", date(2021, 4, 2), [ofac("90007", "WANG, Junzheng")])
    bensouda = match(store, "fatou bensouda")
    assert kinds(bensouda) == [("delisting_unreported", "US")]
    assert bensouda.flags[0].dates == ["2021-04-02"]
    assert bensouda.flags[0].text.startswith("The OFAC SDN List dropped this entry by 2 April 2021 (on the list "
                                             "since at least 22 March 2021); no report in the desk says US sanctions")
    assert bensouda.listings[0].delisted_on == date(2021, 4, 2)
    assert kinds(match(store, "oleg deripaska")) == []  # the press reported the lifting


def test_a_lists_own_date_that_fits_no_press_date_is_a_disagreement(store: Store, tmp_path: Path) -> None:
    ingest(store, tmp_path, simple_article("late", "Zhu Hailun", "The EU", "on Monday", "2024-02-27"))
    load(store, "eu_xml", date(2024, 3, 1), [eu("190101", "Zhu Hailun", date(2021, 3, 22))])
    zhu = match(store, "zhu hailun")
    assert kinds(zhu) == [("dates_disagree", "EU")]
    assert zhu.flags[0].dates == ["2021-03-22", "2024-02-26"]
    assert zhu.flags[0].text == ("Sources disagree on the date of the EU listing: the press says 26 February 2024 "
                                 "(1 report); the EU Financial Sanctions Files gives 22 March 2021.")


def test_a_lists_date_within_days_of_the_press_agrees(store: Store, tmp_path: Path) -> None:
    """Canada dates a listing by the regulations' registration, a day before the announcement."""
    ingest(store, tmp_path, simple_article("ca", "Zhu Hailun", "Canada", "on Monday", "2021-03-23"))
    load(store, "ca_xml", date(2021, 3, 23), [ListEntry("ca_dfatd_sema_sanctions", "China|Part 1|1", "person",
                                                        "Zhu Hailun", listed_on=date(2021, 3, 21))])
    assert kinds(match(store, "zhu hailun")) == []


def test_a_press_disagreement_names_the_lists_date_as_a_witness(store: Store, tmp_path: Path) -> None:
    reason = "the mass detention of Uyghurs"
    ingest(store, tmp_path,
           simple_article("eu-1", "Zhu Hailun", "The EU", "on Monday", "2021-03-23", reason=reason),
           simple_article("eu-2", "Zhu Hailun", "The EU", "on Monday", "2024-02-27", reason=reason))
    load(store, "eu_xml", date(2024, 3, 1), [eu("190101", "Zhu Hailun", date(2021, 3, 22))])
    (flag,) = match(store, "zhu hailun").flags
    assert flag.kind == "dates_disagree" and flag.dates == ["2021-03-22", "2024-02-26"]
    assert flag.text.endswith("likely one action misdated in the later report; the EU Financial Sanctions Files "
                              "gives 22 March 2021.")
