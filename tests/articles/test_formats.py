"""The annotation tools newsrooms use: brat, Label Studio, doccano (ANNOTATION_FORMAT.md §3).

Every reader feeds the one validation of the native format, so the same
article annotated in any tool gives the same facts, and mistakes are named
by file, line or task, and the record at fault.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from storage.answers.queries import answer
from storage.answers.questions import parse_question
from storage.articles import Article, Rejection, read_articles
from storage.articles.detect import detect_format
from storage.db.store import Store
from storage.ingest.writer import ingest_paths
from tests.builders import article, span, write_json, write_jsonl

FORMATS_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
ROUND_TRIP = {
    "native": FORMATS_DIR / "round_trip.native.json",
    "brat": FORMATS_DIR / "round_trip.ann",
    "labelstudio": FORMATS_DIR / "round_trip.labelstudio.json",
    "doccano": FORMATS_DIR / "round_trip.doccano.jsonl",
}
QUESTIONS = ("min aung hlaing", "by eu", "by us", "recent", "on 2021-02-11")
REPO = Path(__file__).resolve().parents[2]


def ask(store: Store, text: str):  # type: ignore[no-untyped-def]
    return answer(store, parse_question(text, date(2026, 11, 29)), limit=50)


def read_one(path: Path, format: str | None = None) -> Article | Rejection:
    (item,) = list(read_articles([path], format))
    return item


def facts(item: Article | Rejection) -> list[tuple[str, str, str, str, str | None]]:
    assert isinstance(item, Article), item.message()  # type: ignore[union-attr]
    return sorted((e.target.name, e.authority.name, e.action, e.date.iso(), e.date.words) for e in item.events)


# --- writing tool exports by phrase, so offsets are never hand-counted ------

def brat_span(text: str, span_id: str, label: str, *phrases: str) -> str:
    """A brat T line; several phrases make a discontinuous span."""
    pieces, position = [], 0
    for phrase in phrases:
        start = text.index(phrase, position)
        pieces.append(f"{start} {start + len(phrase)}")
        position = start + len(phrase)
    return f"{span_id}\t{label} {';'.join(pieces)}\t{' '.join(phrases)}"


def write_brat(folder: Path, name: str, text: str, lines: list[str], published: str | None = "2021-03-23") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{name}.txt").open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    (folder / f"{name}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if published is not None:
        meta = {"published": published, "source": "Test Wire", "url": f"https://example.org/{name}"}
        (folder / f"{name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder / f"{name}.ann"


def utf16(text: str, index: int) -> int:
    """A code point offset as JavaScript (and so Label Studio) counts it."""
    return len(text[:index].encode("utf-16-le")) // 2


def region(text: str, region_id: str, label: str, phrase: str) -> dict[str, Any]:
    start = text.index(phrase)
    return {"id": region_id, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": utf16(text, start), "end": utf16(text, start + len(phrase)),
                      "text": phrase, "labels": [label]}}


def relation(source: str, destination: str, label: str, relation_id: str | None = None) -> dict[str, Any]:
    found = {"from_id": source, "to_id": destination, "type": "relation", "direction": "right", "labels": [label]}
    return found | ({"id": relation_id} if relation_id else {})


def choice(text: str, region_id: str, phrase: str, value: str) -> dict[str, Any]:
    start = text.index(phrase)
    return {"id": region_id, "from_name": "action", "to_name": "text", "type": "choices",
            "value": {"start": utf16(text, start), "end": utf16(text, start + len(phrase)), "choices": [value]}}


def task(text: str, results: list[dict[str, Any]], task_id: int = 1, published: str = "2021-03-23") -> dict[str, Any]:
    return {"id": task_id, "data": {"text": text, "published": published, "source": "Test Wire"},
            "annotations": [{"id": 100 + task_id, "result": results, "was_cancelled": False}], "predictions": []}


def doccano_entity(text: str, entity_id: int, label: str, phrase: str) -> dict[str, Any]:
    start = text.index(phrase)
    return {"id": entity_id, "label": label, "start_offset": start, "end_offset": start + len(phrase)}


# --- the same article in four formats ---------------------------------------

def test_the_round_trip_article_says_who_when_and_why() -> None:
    native = read_one(ROUND_TRIP["native"])
    assert facts(native) == [
        ("Min Aung Hlaing", "Council of the European Union", "imposed", "2021-03-22", "Monday"),
        ("Min Aung Hlaing", "U.S. Department of the Treasury", "imposed", "2021-02-11", "February 11"),
    ]
    assert isinstance(native, Article)
    assert {e.role for e in native.events} == {"commander-in-chief of Myanmar's armed forces"}
    assert native.events[0].quote.startswith("BRUSSELS - The European Union on Monday imposed sanctions")


@pytest.mark.parametrize("tool", ["brat", "labelstudio", "doccano"])
def test_the_same_article_in_each_tool_gives_the_same_stored_facts(
    tool: str, store: Store, tmp_path: Path
) -> None:
    reference = Store.open(f"sqlite:///{tmp_path / 'native.db'}")
    assert ingest_paths(reference, [ROUND_TRIP["native"]]).actions_added == 2
    report = ingest_paths(store, [ROUND_TRIP[tool]])
    assert (report.new, report.rejected, report.actions_added) == (1, 0, 2), report.rejections
    for question in QUESTIONS:
        assert ask(store, question).to_json() == ask(reference, question).to_json(), question
    reference.dispose()


def test_a_folder_of_all_four_formats_is_read_whole(tmp_path: Path) -> None:
    items = list(read_articles([FORMATS_DIR]))
    assert len(items) == 4  # the .txt and .meta.json belong to the .ann
    assert len({tuple(facts(item)) for item in items}) == 1


# --- brat ---------------------------------------------------------------------

XINJIANG = ("LONDON - Britain on Monday sanctioned Chen Quanguo, the former Xinjiang and Tibet party chief, "
            "and Zhu Hailun over the mass detention of Uyghurs. Canada did the same.")


def test_brat_discontinuous_spans_read_as_their_pieces(tmp_path: Path) -> None:
    path = write_brat(tmp_path, "chen", XINJIANG, [
        brat_span(XINJIANG, "T1", "Authority", "Britain"),
        brat_span(XINJIANG, "T2", "Date", "Monday"),
        brat_span(XINJIANG, "T3", "Person", "Chen Quanguo"),
        brat_span(XINJIANG, "T4", "Role", "former Xinjiang", "party chief"),
        brat_span(XINJIANG, "T5", "Sanction", "sanctioned"),
        "E1\tSanction:T5 Target:T3 Authority:T1 Date:T2 Role:T4",
    ])
    assert "T4\tRole 56 71;82 93\tformer Xinjiang party chief" in path.read_text()
    item = read_one(path)
    assert isinstance(item, Article)
    (event,) = item.events
    assert event.role == "former Xinjiang party chief"
    assert (event.authority.name, event.date.iso()) == ("UK Government", "2021-03-22")


def test_a_discontinuous_span_whose_text_differs_is_named(tmp_path: Path) -> None:
    lines = [
        brat_span(XINJIANG, "T1", "Authority", "Britain"),
        brat_span(XINJIANG, "T3", "Person", "Chen Quanguo"),
        brat_span(XINJIANG, "T4", "Role", "former Xinjiang", "party chief").replace("party chief", "party boss"),
        brat_span(XINJIANG, "T5", "Sanction", "sanctioned"),
        "E1\tSanction:T5 Target:T3 Authority:T1 Role:T4",
    ]
    item = read_one(write_brat(tmp_path, "chen", XINJIANG, lines))
    assert isinstance(item, Rejection)
    assert item.message() == (
        f"{tmp_path / 'chen.ann'}:3: entity T4: text 'former Xinjiang party boss' does not match "
        "text[56:71;82:93] 'former Xinjiang party chief'"
    )  # and nothing about the event that refers to T4: the entity's own problem is the one


def test_brat_repeated_roles_make_one_event_per_target_and_authority(tmp_path: Path) -> None:
    path = write_brat(tmp_path, "both", XINJIANG, [
        brat_span(XINJIANG, "T1", "Authority", "Britain"),
        brat_span(XINJIANG, "T2", "Date", "Monday"),
        brat_span(XINJIANG, "T3", "Person", "Chen Quanguo"),
        brat_span(XINJIANG, "T5", "Person", "Zhu Hailun"),
        brat_span(XINJIANG, "T6", "Authority", "Canada"),
        brat_span(XINJIANG, "T7", "REASON", "the mass detention of Uyghurs"),
        brat_span(XINJIANG, "T9", "Sanction", "sanctioned"),
        "E1\tSanction:T9 Target:T3 Target2:T5 Authority:T1 Authority2:T6 Date:T2 Reason:T7",
    ])
    item = read_one(path)
    assert facts(item) == [
        ("Chen Quanguo", "Government of Canada", "imposed", "2021-03-22", "Monday"),
        ("Chen Quanguo", "UK Government", "imposed", "2021-03-22", "Monday"),
        ("Zhu Hailun", "Government of Canada", "imposed", "2021-03-22", "Monday"),
        ("Zhu Hailun", "UK Government", "imposed", "2021-03-22", "Monday"),
    ]
    assert {e.reason for e in item.events} == {"the mass detention of Uyghurs"}  # type: ignore[union-attr]


LUKASHENKO = ("BRUSSELS - The European Union on Monday lifted sanctions on Alexander Lukashenko and 169 other "
              "Belarusians, rewarding the release of political prisoners. Britain lifted its measures too.")


def test_brat_attributes_mark_a_lifting_and_events_may_share_a_trigger(tmp_path: Path) -> None:
    path = write_brat(tmp_path, "lifted", LUKASHENKO, [
        "# annotated by the Brussels desk",
        brat_span(LUKASHENKO, "T1", "Authority", "European Union"),
        brat_span(LUKASHENKO, "T2", "Date", "Monday"),
        brat_span(LUKASHENKO, "T3", "Person", "Alexander Lukashenko"),
        brat_span(LUKASHENKO, "T4", "Authority", "Britain"),
        brat_span(LUKASHENKO, "T9", "Sanction", "lifted sanctions on"),
        brat_span(LUKASHENKO, "T10", "Sanction", "lifted its measures"),
        "E1\tSanction:T9 Target:T3 Authority:T1 Date:T2",
        "E2\tSanction:T9 Target:T3 Authority:T4 Date:T2",
        "E3\tSanction:T10 Target:T3 Authority:T4",
        "A1\tAction E1 Lifted",
        "A2\tAction T10 Lifted",
        "#1\tAnnotatorNotes T3\tListed since 2004; delisted 15 February 2016",
    ], published="2016-02-16")
    item = read_one(path)
    assert facts(item) == [
        ("Alexander Lukashenko", "Council of the European Union", "lifted", "2016-02-15", "Monday"),
        ("Alexander Lukashenko", "UK Government", "imposed", "2016-02-15", "Monday"),  # E2: no attribute
        ("Alexander Lukashenko", "UK Government", "lifted", "2016-02-16", None),  # E3: its trigger's attribute
    ]
    stored = json.loads(item.document)  # type: ignore[union-attr]
    assert stored["comments"] == [
        {"text": "annotated by the Brussels desk"},
        {"id": "#1", "type": "AnnotatorNotes", "on": "T3", "text": "Listed since 2004; delisted 15 February 2016"},
    ]


@pytest.mark.parametrize(("lines", "message"), [
    (["E1\tSanction:T9 Target:T3 Date:T2"], "lifted.ann:6: event E1: has no Authority"),
    (["E1\tSanction:T9 Target:T2 Authority:T1"],
     "lifted.ann:6: event E1: target 'T2' is a DATE, not an ORG or PERSON"),
    (["E1\tSanction:T9 Victim:T3 Authority:T1"],
     "lifted.ann:6: event E1: role 'Victim' is not one of Target, Authority, Date, Role, Reason, Program "
     "(and 1 more problem)"),
    (["E1\tSanction:T3 Target:T3 Authority:T1"],
     "lifted.ann:6: event E1: must be anchored on a Sanction trigger (Sanction:T9), not Sanction:T3"),
    (["E1\tSanction:T9 Target:T3 Authority:T1", "A1\tAction E1 Revoked"],
     "lifted.ann:7: attribute A1: action 'Revoked' is not Imposed, Lifted or Extended"),
    (["E1\tSanction:T9 Target:T3 Authority:T1", "A1\tNegation E1"],
     "lifted.ann:7: attribute A1: 'Negation' is not read; only Action (Imposed, Lifted, Extended)"),
    (["R1\tSanctionedBy Arg1:T3 Arg2:T1"],
     "lifted.ann:6: relation R1: brat relations are not read; mark a sanction as an E event on a Sanction trigger"),
])
def test_brat_mistakes_are_named_by_file_line_and_record(tmp_path: Path, lines: list[str], message: str) -> None:
    path = write_brat(tmp_path, "lifted", LUKASHENKO, [
        brat_span(LUKASHENKO, "T1", "Authority", "European Union"),
        brat_span(LUKASHENKO, "T2", "Date", "Monday"),
        brat_span(LUKASHENKO, "T3", "Person", "Alexander Lukashenko"),
        brat_span(LUKASHENKO, "T9", "Sanction", "lifted sanctions on"),
        "",
        *lines,
    ], published="2016-02-16")
    item = read_one(path)
    assert isinstance(item, Rejection)
    assert item.message() == f"{tmp_path}/{message}"


def test_a_brat_document_without_its_sidecar_says_what_is_missing(tmp_path: Path) -> None:
    path = write_brat(tmp_path, "nometa", XINJIANG, [brat_span(XINJIANG, "T1", "Authority", "Britain")],
                      published=None)
    item = read_one(path)
    assert isinstance(item, Rejection)
    assert item.message() == (f"{path}: nometa.meta.json is missing beside it: "
                              "it gives the article's 'published' date")


# --- Label Studio ----------------------------------------------------------------

EMOJI = "🇪🇺🇬🇧 Sanctions 🚨: The EU on Monday sanctioned Wang Junzheng over abuses in Xinjiang."


def test_label_studio_offsets_after_an_emoji_are_converted(tmp_path: Path) -> None:
    results = [region(EMOJI, "a", "AUTHORITY", "EU"), region(EMOJI, "d", "DATE", "Monday"),
               region(EMOJI, "p", "PERSON", "Wang Junzheng"), region(EMOJI, "r", "REASON", "abuses in Xinjiang"),
               relation("p", "a", "sanctioned_by"), relation("p", "d", "on"), relation("p", "r", "reason")]
    person = results[2]["value"]
    assert (EMOJI.index("Wang"), person["start"]) == (46, 51)  # five astral characters: five units more
    item = read_one(write_json(tmp_path / "export.json", [task(EMOJI, results)]))  # type: ignore[arg-type]
    assert facts(item) == [("Wang Junzheng", "Council of the European Union", "imposed", "2021-03-22", "Monday")]
    assert item.events[0].reason == "abuses in Xinjiang"  # type: ignore[union-attr]


def test_a_label_studio_offset_inside_an_emoji_is_refused(tmp_path: Path) -> None:
    results = [region(EMOJI, "p", "PERSON", "Wang Junzheng")]
    results[0]["value"]["start"] = 1  # between the two halves of 🇪
    item = read_one(write_json(tmp_path / "export.json", [task(EMOJI, results, task_id=7)]))  # type: ignore[arg-type]
    assert isinstance(item, Rejection)
    assert item.message() == (f"{tmp_path / 'export.json'}: task 7: entity p: offsets 1..64 fall outside the text "
                              "or inside a character (length 89 in UTF-16 units)")


ZHU = ("Britain and Canada on Monday sanctioned Zhu Hailun, a former Xinjiang security chief, over the mass "
       "detention of Uyghurs. The U.S. Treasury had blacklisted him on July 9, 2020.")


def test_label_studio_gives_each_authority_its_own_date_where_marked(tmp_path: Path) -> None:
    results = [
        region(ZHU, "uk", "AUTHORITY", "Britain"), region(ZHU, "ca", "AUTHORITY", "Canada"),
        region(ZHU, "mon", "DATE", "Monday"), region(ZHU, "zhu", "PERSON", "Zhu Hailun"),
        region(ZHU, "role", "ROLE", "a former Xinjiang security chief"),
        region(ZHU, "us", "AUTHORITY", "U.S. Treasury"), region(ZHU, "jul", "DATE", "July 9, 2020"),
        relation("zhu", "uk", "sanctioned_by"), relation("zhu", "ca", "sanctioned_by"),
        relation("us", "zhu", "sanctioned_by"),  # drawn the other way round: read the same
        relation("zhu", "mon", "on"), relation("us", "jul", "on"), relation("zhu", "role", "role"),
    ]
    item = read_one(write_json(tmp_path / "export.json", [task(ZHU, results)]))  # type: ignore[arg-type]
    assert facts(item) == [
        ("Zhu Hailun", "Government of Canada", "imposed", "2021-03-22", "Monday"),
        ("Zhu Hailun", "U.S. Department of the Treasury", "imposed", "2020-07-09", "July 9, 2020"),
        ("Zhu Hailun", "UK Government", "imposed", "2021-03-22", "Monday"),
    ]
    assert {e.role for e in item.events} == {"a former Xinjiang security chief"}  # type: ignore[union-attr]


def test_a_lifted_choice_on_the_target_marks_a_lifting(tmp_path: Path) -> None:
    results = [region(LUKASHENKO, "eu", "AUTHORITY", "European Union"),
               region(LUKASHENKO, "mon", "DATE", "Monday"),
               region(LUKASHENKO, "al", "PERSON", "Alexander Lukashenko"),
               choice(LUKASHENKO, "al", "Alexander Lukashenko", "lifted"),
               relation("al", "eu", "sanctioned_by"), relation("al", "mon", "on")]
    item = read_one(write_json(tmp_path / "export.json",
                               [task(LUKASHENKO, results, published="2016-02-16")]))  # type: ignore[arg-type]
    assert facts(item) == [
        ("Alexander Lukashenko", "Council of the European Union", "lifted", "2016-02-15", "Monday")]


def test_a_lifted_choice_on_an_authority_is_refused(tmp_path: Path) -> None:
    results = [region(LUKASHENKO, "eu", "AUTHORITY", "European Union"),
               region(LUKASHENKO, "al", "PERSON", "Alexander Lukashenko"),
               choice(LUKASHENKO, "eu", "European Union", "lifted"), relation("al", "eu", "sanctioned_by")]
    item = read_one(write_json(tmp_path / "export.json", [task(LUKASHENKO, results, task_id=4)]))  # type: ignore[arg-type]
    assert isinstance(item, Rejection)
    assert item.message().endswith(
        "export.json: task 4: entity eu: choice 'lifted' is on an AUTHORITY; "
        "mark it on the target (PERSON or ORG) span")


def test_label_studio_mistakes_name_the_task_and_the_relation(tmp_path: Path) -> None:
    good = [region(ZHU, "uk", "AUTHORITY", "Britain"), region(ZHU, "zhu", "PERSON", "Zhu Hailun"),
            relation("zhu", "uk", "sanctioned_by", "r1")]
    bad = [region(ZHU, "uk", "AUTHORITY", "Britain"), region(ZHU, "mon", "DATE", "Monday"),
           relation("mon", "uk", "sanctioned_by", "r3")]
    unknown = [region(ZHU, "uk", "AUTHORITY", "Britain"), region(ZHU, "zhu", "PERSON", "Zhu Hailun"),
               relation("zhu", "uk", "punished_by", "r9")]
    path = write_json(tmp_path / "export.json", [task(ZHU, good, 11), task(ZHU, bad, 12), task(ZHU, unknown, 13)])  # type: ignore[arg-type]
    messages = [item.message() for item in read_articles([path]) if isinstance(item, Rejection)]
    assert messages == [
        f"{path}: task 12: relation r3: sanctioned_by links a DATE to an AUTHORITY; "
        "it must link an ORG or PERSON to an AUTHORITY",
        f"{path}: task 13: relation r9: label 'punished_by' is not one of sanctioned_by, on, role, reason, program",
    ]


def test_a_broken_relation_does_not_hide_a_misspelt_span_of_the_same_task(tmp_path: Path) -> None:
    misspelt = region(ZHU, "zhu", "PERSON", "Zhu Hailun")
    misspelt["value"]["text"] = "Zhu Hailum"
    results = [region(ZHU, "uk", "AUTHORITY", "Britain"), misspelt,
               relation("zhu", "uk", "sanctioned_by", "r1"), relation("zhu", "zz", "on", "r2")]
    path = write_json(tmp_path / "export.json", [task(ZHU, results, 21)])  # type: ignore[arg-type]
    (rejected,) = read_articles([path])
    assert isinstance(rejected, Rejection)
    assert rejected.problems == (
        "relation r2: 'zz' names no entity of this article",
        f"entity zhu: text 'Zhu Hailum' does not match text[{ZHU.index('Zhu')}:{ZHU.index('Zhu') + 10}] 'Zhu Hailun'",
    )


def test_label_studio_predictions_are_drafts_and_never_facts(tmp_path: Path) -> None:
    draft = task(ZHU, [])
    draft["annotations"] = [{"id": 1, "result": [region(ZHU, "zhu", "PERSON", "Zhu Hailun")], "was_cancelled": True}]
    draft["predictions"] = [{"result": [region(ZHU, "uk", "AUTHORITY", "Britain"),
                                        region(ZHU, "zhu", "PERSON", "Zhu Hailun"),
                                        relation("zhu", "uk", "sanctioned_by")]}]
    item = read_one(write_json(tmp_path / "export.json", [draft]))  # type: ignore[arg-type]
    assert isinstance(item, Article) and item.events == ()


# --- doccano ---------------------------------------------------------------------

RUSAL = ("WASHINGTON - The Treasury on Friday sanctioned En+ Group and Rusal under the Countering America's "
         "Adversaries Through Sanctions Act, punishing Russia for its malign activities.")


def rusal_example() -> dict[str, Any]:
    return {
        "id": 3, "text": RUSAL, "published": "2018-04-07", "source": "Test Wire", "url": "https://example.org/rusal",
        "entities": [doccano_entity(RUSAL, 1, "AUTHORITY", "The Treasury"), doccano_entity(RUSAL, 2, "DATE", "Friday"),
                     doccano_entity(RUSAL, 3, "ORG", "En+ Group"), doccano_entity(RUSAL, 4, "ORG", "Rusal"),
                     doccano_entity(RUSAL, 5, "PROGRAM", "Countering America's Adversaries Through Sanctions Act")],
        "relations": [{"id": 1, "from_id": 3, "to_id": 1, "type": "sanctioned_by"},
                      {"id": 2, "from_id": 1, "to_id": 4, "type": "sanctioned_by"},  # reversed: read the same
                      {"id": 3, "from_id": 3, "to_id": 2, "type": "on"},
                      {"id": 4, "from_id": 4, "to_id": 2, "type": "on"},
                      {"id": 5, "from_id": 3, "to_id": 5, "type": "program"},
                      {"id": 6, "from_id": 4, "to_id": 5, "type": "program"}],
    }


def test_doccano_relations_make_the_events(tmp_path: Path) -> None:
    item = read_one(write_jsonl(tmp_path / "all.jsonl", [rusal_example()]))
    assert facts(item) == [
        ("En+ Group", "U.S. Department of the Treasury", "imposed", "2018-04-06", "Friday"),
        ("Rusal", "U.S. Department of the Treasury", "imposed", "2018-04-06", "Friday"),
    ]
    assert {e.target.kind for e in item.events} == {"organization"}  # type: ignore[union-attr]
    assert {e.program for e in item.events} == {  # type: ignore[union-attr]
        "Countering America's Adversaries Through Sanctions Act"}


def test_doccano_mistakes_name_the_line_and_the_record(tmp_path: Path) -> None:
    dangling, outside = rusal_example(), rusal_example()
    dangling["relations"][0]["to_id"] = 99
    outside["entities"][2]["end_offset"] = 999
    path = write_jsonl(tmp_path / "all.jsonl", [rusal_example(), dangling, outside])
    messages = [item.message() for item in read_articles([path]) if isinstance(item, Rejection)]
    assert messages == [
        f"{path}:2: relation 1: '99' names no entity of this article",
        f"{path}:3: entity 3: offsets {RUSAL.index('En+')}..999 are outside the text (length {len(RUSAL)})",
    ]


def test_a_doccano_sequence_labelling_export_is_pointed_to_the_relation_project(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "seq.jsonl", [{"id": 1, "text": RUSAL, "label": [[0, 5, "ORG"]]}])
    item = read_one(path)
    assert isinstance(item, Rejection) and "export the relation project" in item.message()


# --- detection and forcing ------------------------------------------------------------

def test_each_format_is_recognised_by_its_content_whatever_its_name(tmp_path: Path) -> None:
    renamed = {
        "labelstudio": tmp_path / "project-1-at-2021-03-23.json",
        "doccano": tmp_path / "admin.json",  # JSONL under a .json name
        "native": tmp_path / "article.txt",
    }
    for fmt, path in renamed.items():
        path.write_bytes(ROUND_TRIP[fmt].read_bytes())
    for fmt, path in renamed.items():
        assert detect_format(path) == fmt, path
        assert facts(read_one(path)) == facts(read_one(ROUND_TRIP["native"]))
    assert detect_format(FORMATS_DIR / "round_trip.txt") == "brat"
    assert detect_format(FORMATS_DIR / "round_trip.meta.json") == "brat"
    assert detect_format(ROUND_TRIP["brat"]) == "brat"
    # The three files of a brat document, all named, are still one article.
    parts = [FORMATS_DIR / "round_trip.txt", ROUND_TRIP["brat"], FORMATS_DIR / "round_trip.meta.json"]
    assert len(list(read_articles(parts))) == 1


def test_a_file_in_no_known_format_is_named(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Call the Treasury press office about Monday's designations.\n", encoding="utf-8")
    item = read_one(path)
    assert isinstance(item, Rejection)
    assert item.message() == (f"{path}: not a format I know (native, brat, labelstudio, doccano); "
                              "name one with --format")


def test_a_forced_format_is_used_whatever_the_content(tmp_path: Path) -> None:
    forced = read_one(ROUND_TRIP["native"], format="labelstudio")
    assert isinstance(forced, Rejection)
    assert forced.message().endswith("a Label Studio task must be an object with 'data'")
    # Forcing brat on a folder reads only its brat documents.
    assert [type(i).__name__ for i in read_articles([FORMATS_DIR], "brat")] == ["Article"]


def test_sanctions_ingest_takes_a_forced_format(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("DATABASE_URL", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot.cli", "ingest", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)

    refused = run("--format", "doccano", str(ROUND_TRIP["labelstudio"]))
    assert refused.returncode == 1
    assert "0 new, 0 unchanged, 0 replaced, 1 rejected" in refused.stdout
    taken = run("--format", "labelstudio", str(ROUND_TRIP["labelstudio"]))
    assert taken.returncode == 0, taken.stderr
    assert "1 article read: 1 new" in taken.stdout and "2 actions added" in taken.stdout


# --- the native format's discontinuous spans ----------------------------------------------

def test_native_fragments_must_run_in_order_from_start_to_end(tmp_path: Path) -> None:
    text = "Britain on Monday sanctioned Chen Quanguo, the former Xinjiang and Tibet party chief."
    entities = [span(text, "A", "AUTHORITY", "Britain"), span(text, "P", "PERSON", "Chen Quanguo")]
    role = span(text, "R", "ROLE", "former Xinjiang and Tibet party chief")
    role.pop("text")
    role["fragments"] = [[role["start"] + 16, role["end"]], [role["start"], role["start"] + 15]]
    document = article(text, "2021-03-23", [*entities, role], [{"target": "P", "authority": "A", "role": "R"}])
    item = read_one(write_json(tmp_path / "a.json", document))
    assert isinstance(item, Rejection)
    assert item.problems[0] == "entity R: fragments 63:84;47:62 must be in order, apart, and run from 'start' to 'end'"


def test_reversed_offsets_and_differently_composed_text_are_named_for_what_they_are(tmp_path: Path) -> None:
    text = "The EU sanctioned J\u00fcrgen Beispiel on Monday."
    person = span(text, "P", "PERSON", "J\u00fcrgen Beispiel")
    reversed_person = {**person, "start": person["end"], "end": person["start"]}
    decomposed = {**person, "text": "Ju\u0308rgen Beispiel"}
    for name, entity, said in [
        ("reversed", reversed_person, f"entity P: offsets {person['end']}..{person['start']} mark no text"),
        ("nfd", decomposed, "the same letters, composed differently: write both in Unicode NFC"),
    ]:
        document = article(text, "2024-02-27", [span(text, "A", "AUTHORITY", "The EU"), entity],
                           [{"target": "P", "authority": "A"}], name)
        item = read_one(write_json(tmp_path / f"{name}.json", document))
        assert isinstance(item, Rejection) and said in item.message() and "more problem" not in item.message()
