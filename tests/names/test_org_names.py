"""Companies asked for by part of their name: the right one, or honestly unsure; legal forms in any spelling."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.blocks.cards import render_answer
from bot.render_text import render_text
from storage.answers.queries import answer
from storage.answers.questions import parse_question
from storage.db.store import Store
from storage.ingest.writer import ingest_paths
from tests.builders import article, span, write_json

TODAY = date(2026, 11, 29)


def ask(store: Store, text: str):  # type: ignore[no-untyped-def]
    return answer(store, parse_question(text, TODAY))


def listed(store: Store, text: str) -> list[str]:
    return [match.name for match in ask(store, text).matches]


def sanctioned(store: Store, folder: Path, targets: dict[str, str], article_id: str = "orgs") -> Store:
    """One article in which the Treasury sanctions each name (name -> "ORG" or "PERSON")."""
    text = f"The Treasury on Monday sanctioned {'; '.join(targets)} over the war."
    entities = [span(text, "A", "AUTHORITY", "The Treasury"), span(text, "D", "DATE", "Monday")]
    events = []
    for i, (name, label) in enumerate(targets.items()):
        entities.append(span(text, f"T{i}", label, name))
        events.append({"target": f"T{i}", "authority": "A", "date": "D"})
    document = article(text, "2022-04-07", entities, events, article_id, source="Test Wire",
                       url=f"https://example.org/{article_id}", title="Treasury acts")
    report = ingest_paths(store, [write_json(folder / f"{article_id}.json", document)])
    assert report.rejected == 0, report.rejections
    return store


OIL_AND_BANKS = {
    "PJSC Gazprom Neft": "ORG", "Surgutneftegas": "ORG", "Gazprombank JSC": "ORG",
    "Sberbank of Russia": "ORG", "Rosneft Oil Company": "ORG", "Wagner Group": "ORG",
    "Huawei Technologies Co Ltd": "ORG", "UC Rusal PLC": "ORG", "Vladimir Putin": "PERSON",
}


@pytest.fixture
def oil_and_banks(store: Store, tmp_path: Path) -> Store:
    return sanctioned(store, tmp_path, OIL_AND_BANKS)


def test_a_company_asked_for_without_a_word_that_tells_it_apart_is_listed_not_picked(oil_and_banks: Store) -> None:
    result = ask(oil_and_banks, "gazprom")
    assert result.best is None  # Gazprom is not Gazprom Neft
    assert listed(oil_and_banks, "gazprom") == ["PJSC Gazprom Neft"]
    assert ask(oil_and_banks, "gazprom neft").best == "PJSC Gazprom Neft"
    assert ask(oil_and_banks, "neft").best is None
    # A place after "of" describes the company; the place alone names none of them.
    assert ask(oil_and_banks, "russia").best is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [("sberbank", "Sberbank of Russia"), ("rosneft", "Rosneft Oil Company"), ("wagner", "Wagner Group"),
     ("huawei", "Huawei Technologies Co Ltd"), ("rusal", "UC Rusal PLC"), ("surgutneftegas", "Surgutneftegas"),
     ("putin", "Vladimir Putin")],
)
def test_leaving_out_words_that_only_say_what_kind_of_body_it_is_still_picks(
    oil_and_banks: Store, query: str, expected: str
) -> None:
    assert ask(oil_and_banks, query).best == expected


def test_with_gazprom_and_gazprom_neft_stored_gazprom_is_gazprom(store: Store, tmp_path: Path) -> None:
    sanctioned(store, tmp_path, {"PJSC Gazprom": "ORG", "PJSC Gazprom Neft": "ORG"})
    result = ask(store, "gazprom")
    assert result.best == "PJSC Gazprom"
    assert [match.name for match in result.matches] == ["PJSC Gazprom", "PJSC Gazprom Neft"]


def test_a_country_next_to_the_name_is_another_company(store: Store, tmp_path: Path) -> None:
    sanctioned(store, tmp_path, {"Sberbank Europe AG": "ORG", "Gazprom Germania GmbH": "ORG"})
    for query, name in [("sberbank", "Sberbank Europe AG"), ("gazprom", "Gazprom Germania GmbH")]:
        result = ask(store, query)
        assert result.best is None and listed(store, query) == [name], query
    assert ask(store, "Sberbank Europe").best == "Sberbank Europe AG"


SPELLED_OUT = {
    "Public Joint Stock Company Sberbank of Russia": "ORG", "Gazprombank JSC": "ORG",
    "Sovcomflot Open Joint-Stock Company": "ORG", "Alpha Trading Limited Liability Company": "ORG",
    "Wang Ao": "PERSON", "Pao Yue-kong": "PERSON",
}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("PJSC Sberbank", "Public Joint Stock Company Sberbank of Russia"),
        ("PAO Sberbank", "Public Joint Stock Company Sberbank of Russia"),
        ("Sberbank PJSC", "Public Joint Stock Company Sberbank of Russia"),
        ("ПАО Сбербанк", "Public Joint Stock Company Sberbank of Russia"),
        ("Public Joint-Stock Company Sberbank", "Public Joint Stock Company Sberbank of Russia"),
        ("Gazprombank Joint Stock Company", "Gazprombank JSC"),
        ("Joint-Stock Company Gazprombank", "Gazprombank JSC"),
        ("AO Gazprombank", "Gazprombank JSC"),
        ("JSC Gazprombank", "Gazprombank JSC"),
        ("OAO Sovcomflot", "Sovcomflot Open Joint-Stock Company"),
        ("Sovcomflot OJSC", "Sovcomflot Open Joint-Stock Company"),
        ("OOO Alpha Trading", "Alpha Trading Limited Liability Company"),
        ("Alpha Trading LLC", "Alpha Trading Limited Liability Company"),
    ],
)
def test_a_legal_form_written_out_or_in_russian_equals_its_abbreviation(
    store: Store, tmp_path: Path, query: str, expected: str
) -> None:
    sanctioned(store, tmp_path, SPELLED_OUT)
    result = ask(store, query)
    assert result.best == expected
    assert [match.name for match in result.matches] == [expected]


def test_russian_legal_forms_change_nothing_in_a_person_s_name(store: Store, tmp_path: Path) -> None:
    sanctioned(store, tmp_path, SPELLED_OUT)
    assert ask(store, "Wang Ao").best == "Wang Ao"
    assert ask(store, "Pao Yue-kong").best == "Pao Yue-kong"
    for query in ["Wang JSC", "Wang Joint Stock Company", "PJSC Yue-kong"]:
        assert ask(store, query).found_nothing, query


def test_a_legal_form_written_out_merges_with_its_abbreviation(store: Store, tmp_path: Path) -> None:
    sanctioned(store, tmp_path, {"Gazprombank Joint Stock Company": "ORG"}, "first")
    sanctioned(store, tmp_path, {"Gazprombank JSC": "ORG"}, "second")
    (bank,) = ask(store, "gazprombank").matches  # one bank, not two
    assert {bank.name, *bank.aliases} == {"Gazprombank Joint Stock Company", "Gazprombank JSC"}
    assert len(bank.actions) == 1  # the same action, reported twice


def test_one_name_listed_but_not_picked_says_why_and_offers_to_open_it(oil_and_banks: Store) -> None:
    result = ask(oil_and_banks, "gazprom")
    text = render_text(result)
    assert text.startswith(
        "'gazprom' may mean PJSC Gazprom Neft, but that name has words you did not type; is it the one?"
    )
    assert "entries equally" not in text
    message = render_answer(result)
    shown = " ".join(block["text"]["text"] for block in message.blocks if block["type"] == "section")
    assert "“gazprom” may mean *PJSC Gazprom Neft*, but that name has words you did not type. Is it the one?" in shown
    assert "fits 1 " not in shown and "fits 1 " not in message.text
    buttons = [element for block in message.blocks if block["type"] == "section" and "accessory" in block
               for element in [block["accessory"]]]
    assert [button["text"]["text"] for button in buttons] == ["Show"]
    assert "PJSC Gazprom Neft" in buttons[0]["value"]


def test_several_names_listed_are_still_a_choice(store: Store, tmp_path: Path) -> None:
    sanctioned(store, tmp_path, {"Omega Metals AG": "ORG", "Omega Metals Ltd": "ORG"})
    result = ask(store, "omega metals")
    assert render_text(result).startswith("'omega metals' fits 2 entries equally; which one?")
    assert "“omega metals” fits 2 organisations in the store:" in render_answer(result).blocks[0]["text"]["text"]


STATE_BODIES = {
    "Nord Stream 2 AG": "ORG", "Central Bank of the Russian Federation": "ORG",
    "Ministry of Finance of the Russian Federation": "ORG", "State Corporation Rostec": "ORG",
    "Kalashnikov Concern": "ORG", "The Wagner Group": "ORG",
}


@pytest.mark.parametrize("query", ["nord stream", "nord stream ag", "central bank", "ministry of finance", "russian"])
def test_a_number_a_country_or_a_generic_head_left_out_picks_no_body(store: Store, tmp_path: Path, query: str) -> None:
    # Nord Stream AG is another company; every country has a central bank and a ministry of finance.
    assert ask(sanctioned(store, tmp_path, STATE_BODIES), query).best is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [("nord stream 2", "Nord Stream 2 AG"), ("rostec", "State Corporation Rostec"),
     ("central bank of russia", "Central Bank of the Russian Federation"),
     ("kalashnikov", "Kalashnikov Concern"), ("the wagner group", "The Wagner Group"),
     ("wagner group", "The Wagner Group")],
)
def test_what_says_only_what_kind_of_body_it_is_may_be_left_out(
    store: Store, tmp_path: Path, query: str, expected: str
) -> None:
    assert ask(sanctioned(store, tmp_path, STATE_BODIES), query).best == expected
