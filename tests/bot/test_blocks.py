"""Cards as a journalist sees them, within Slack's limits whatever the store holds."""

from __future__ import annotations

import dataclasses
import json

from block_rules import assert_pings_nobody, assert_slack_accepts, buttons, texts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.blocks import elements, paging
from bot.blocks.cards import render_answer
from bot.blocks.elements import fit
from bot.blocks.notices import render_apology, render_usage
from bot.blocks.paging import PageRef, share_copy
from storage.answers.model import ActionFact, Answer, Source, TargetMatch

PING = "<!channel> <!here> <@U0BOSS> <#C0GENERAL>"


def source(n: int = 0, **changes: object) -> Source:
    fields: dict = {
        "title": f"Article {n}",
        "source": "Example Wire",
        "url": f"https://example.org/story-{n}",
        "published": "2024-02-27",
        "quote": "The Treasury Department on Monday sanctioned Wang Junzheng.",
    }
    fields.update(changes)
    return Source(**fields)


def fact(n: int = 0, **changes: object) -> ActionFact:
    fields: dict = {
        "target": "Wang Junzheng",
        "action": "imposed",
        "authority": "U.S. Department of the Treasury",
        "jurisdiction": "US",
        "date": "2024-02-26",
        "precision": "day",
        "date_text": "Monday",
        "reason": "serious human rights abuses against Uyghurs",
        "program": None,
        "role": "party secretary of the XPCC",
        "sources": [source(n)],
        "action_id": n,
    }
    fields.update(changes)
    return ActionFact(**fields)


def person(name: str = "Wang Junzheng", actions: list[ActionFact] | None = None, **changes: object) -> TargetMatch:
    fields: dict = {
        "name": name,
        "type": "person",
        "score": 1.0,
        "aliases": ["王君正"],
        "roles": ["party secretary of the XPCC"],
        "actions": [fact()] if actions is None else actions,
    }
    fields.update(changes)
    return TargetMatch(**fields)


def name_answer(matches: list[TargetMatch], best: str | None = "Wang Junzheng", query: str = "wang junzheng") -> Answer:
    actions = matches[0].actions if best and matches else []
    return Answer(query, "name", best, matches, actions, description=best or "")


def everything(message: elements.Message) -> str:
    return message.text + json.dumps(message.blocks, ensure_ascii=False)


def visible(message: elements.Message) -> str:
    """What people read; button values are only ever sent back to us."""
    return "\n".join([message.text, *(text for _, text in texts(message.blocks))])


def test_a_person_card_shows_name_role_authority_date_reason_and_source() -> None:
    message = render_answer(name_answer([person()]))
    assert_slack_accepts(message.text, message.blocks)
    assert message.blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": "Wang Junzheng"}}
    shown = everything(message)
    for expected in [
        "party secretary of the XPCC",
        "U.S. Department of the Treasury",
        "🇺🇸",
        "imposed sanctions",
        "26 February 2024",
        "serious human rights abuses",
        "<https://example.org/story-0|Example Wire, 27 February 2024>",
        "The Treasury Department on Monday sanctioned",
        "王君正",
    ]:
        assert expected in shown, expected
    assert "Wang Junzheng" in message.text and "26 February 2024" in message.text


def test_dates_are_written_no_more_precisely_than_known() -> None:
    month = fact(date="2021-03-01", precision="month", date_text="last month")
    published = fact(date="2024-02-27", precision="day", date_text=None, date_from_publication=True)
    lifted = fact(action="lifted", date="2022-01-01", precision="year")
    shown = everything(render_answer(name_answer([person(actions=[month, published, lifted])])))
    assert "March 2021" in shown and "1 March 2021" not in shown
    assert "27 February 2024 (date of publication)" in shown
    assert "lifted sanctions · 2022" in shown


def test_a_target_with_300_actions_is_paged_within_slack_limits() -> None:
    long_reason = "abuses " * 400
    actions = [
        fact(i, reason=long_reason + PING, sources=[source(i, quote="q" * 5000 + PING) for _ in range(6)])
        for i in range(300)
    ]
    answer = name_answer([person(actions=actions, aliases=[f"alias {i}" for i in range(100)])])
    first = render_answer(answer)
    assert_slack_accepts(first.text, first.blocks)  # 10,000 characters of block text at most
    assert_pings_nobody(first.text, first.blocks)
    # Actions this long fill a card before ten do: fewer on the page, and More goes on from there.
    shown = sum(1 for block in first.blocks if block["type"] == "section" and "abuses" in block["text"]["text"])
    assert 1 <= shown < 10
    assert f"Showing 1–{shown} of 300." in everything(first)
    assert "Answer shortened to fit in Slack" in everything(first)
    more = next(b for b in buttons(first.blocks) if b["action_id"] == paging.MORE)
    assert PageRef.from_value(more["value"]) == PageRef("wang junzheng", shown)

    last = render_answer(answer, start=300 - shown)
    assert_slack_accepts(last.text, last.blocks)
    assert f"Showing {301 - shown}–300 of 300." in everything(last)
    assert paging.MORE not in [b["action_id"] for b in buttons(last.blocks)]


def test_any_page_size_keeps_within_50_blocks() -> None:
    actions = [fact(i) for i in range(300)]
    others = [person(f"Wang {i}") for i in range(30)]
    message = render_answer(name_answer([person(actions=actions), *others]), page_size=500)
    assert_slack_accepts(message.text, message.blocks)


def test_article_text_cannot_ping_anyone() -> None:
    hostile = fact(
        target=f"Target {PING}",
        authority=f"Authority {PING}",
        jurisdiction="<!channel>",
        reason=f"Reason {PING} & more",
        role=f"Role {PING}",
        program=f"Program {PING}",
        sources=[source(quote=f"Quote {PING}", source=f"Wire {PING}", title=f"Title {PING}")],
    )
    match = person(f"Name {PING}", actions=[hostile], aliases=[PING], roles=[PING])
    for answer in [
        name_answer([match, person(f"Other {PING}")], best=match.name, query=PING),
        name_answer([match, person(f"Other {PING}")], best=None, query=PING),
        Answer(PING, "authority", None, [], [hostile], description=f"actions by {PING}", total_actions=1),
        Answer(PING, "name", None, [], [], description=""),
    ]:
        message = render_answer(answer)
        assert_slack_accepts(message.text, message.blocks)
        assert_pings_nobody(message.text, message.blocks)
        assert "<!channel>" not in visible(message)
    shown = everything(render_answer(name_answer([match], best=match.name)))
    assert "&lt;!channel&gt;" in shown and "Reason &lt;!channel&gt;" in shown and "&amp; more" in shown
    # inside a link label too
    assert "<https://example.org/story-0|Wire &lt;!channel&gt;" in shown


def test_unsafe_source_urls_lose_the_link_but_keep_the_label() -> None:
    for url in ["javascript:alert(1)", "https://example.org/a|<!channel>", "https://ex.org/a b", "<!channel>"]:
        message = render_answer(name_answer([person(actions=[fact(sources=[source(url=url)])])]))
        assert_pings_nobody(message.text, message.blocks)
        assert "Example Wire, 27 February 2024" in everything(message)
    ampersand = render_answer(name_answer([person(actions=[fact(sources=[source(url="https://e.org/?a=1&b=2")])])]))
    assert "<https://e.org/?a=1&amp;b=2|" in everything(ampersand)


def test_other_close_names_are_did_you_mean_buttons() -> None:
    others = [person(f"Wang Jun {i}") for i in range(7)]
    message = render_answer(name_answer([person(), *others]))
    assert_slack_accepts(message.text, message.blocks)
    picks = [b for b in buttons(message.blocks) if b["action_id"].startswith(paging.PICK)]
    assert [PageRef.from_value(b["value"]).query for b in picks] == [f"Wang Jun {i}" for i in range(5)]
    assert "Did you mean?" in everything(message)


def test_a_surname_shared_by_many_lists_them_all_and_picks_none() -> None:
    people = [person(f"Chen {i}", actions=[fact(i, target=f"Chen {i}")]) for i in range(15)]
    message = render_answer(name_answer(people, best=None, query="chen"))
    assert_slack_accepts(message.text, message.blocks)
    shown = everything(message)
    assert "“chen” fits 15 people" in shown and "…and 5 more" in shown
    assert message.blocks[0]["type"] != "header"
    picks = [b for b in buttons(message.blocks) if b["action_id"].startswith(paging.PICK)]
    assert len(picks) == 10


def test_a_surname_shared_by_more_than_an_answer_holds_never_claims_a_count() -> None:
    people = [person(f"Smithers {i}", actions=[fact(i, target=f"Smithers {i}")]) for i in range(10)]
    answer = dataclasses.replace(name_answer(people, best=None, query="smithers"), more_matches=True)
    message = render_answer(answer)
    assert_slack_accepts(message.text, message.blocks)
    shown = everything(message)
    assert "“smithers” fits more than 10 people" in shown and "Add a given name" in shown
    assert "fits 10 people" not in shown


def test_a_name_shared_by_people_and_organisations_never_calls_them_all_people() -> None:
    rotenbergs = [person("Arkady Rotenberg"), person("Rotenberg Holdings", type="organization"),
                  person("Rotenberg Invest", type="organization")]
    shown = everything(render_answer(name_answer(rotenbergs, best=None, query="rotenberg")))
    assert "“rotenberg” fits 3 people and organisations" in shown
    firms = [person(f"Rotenberg Firm {i}", type="organization") for i in range(2)]
    assert "fits 2 organisations" in everything(render_answer(name_answer(firms, best=None, query="rotenberg firm")))


def test_a_query_that_cannot_be_read_gets_one_sentence() -> None:
    message = render_usage("`on` needs more: `by AUTHORITY`, `on DATE` or `since DATE`.")
    assert message.text == "`on` needs more: `by AUTHORITY`, `on DATE` or `since DATE`."


def test_nothing_found_says_so_and_never_names_a_wrong_person() -> None:
    message = render_answer(Answer("nobody", "name", None, [], [], description="nobody called 'nobody'"))
    assert_slack_accepts(message.text, message.blocks)
    assert "Nothing found for “nobody”" in message.text


def test_a_list_paged_by_the_store_offers_the_next_page() -> None:
    actions = [fact(i, target=f"Person {i}") for i in range(10)]
    answer = Answer("by eu", "authority", None, [], actions, "actions by Council of the EU", 57, 10)
    message = render_answer(answer)
    assert_slack_accepts(message.text, message.blocks)
    assert message.blocks[0]["text"]["text"] == "Actions by Council of the EU"
    assert "Showing 11–20 of 57." in everything(message)
    assert "Person 3" in message.text
    more = next(b for b in buttons(message.blocks) if b["action_id"] == paging.MORE)
    assert PageRef.from_value(more["value"]) == PageRef("by eu", 20)


def test_every_answer_has_a_share_button_and_the_shared_copy_has_none() -> None:
    for answer in [
        name_answer([person()]),
        Answer("nobody", "name", None, [], []),
        Answer("recent", "recent", None, [], [fact()], "the most recent actions", 1, 0),
    ]:
        private = render_answer(answer)
        assert paging.SHARE in [b["action_id"] for b in buttons(private.blocks)]
        shared = render_answer(answer, shared_by="U0REPORTER")
        assert_slack_accepts(shared.text, shared.blocks)
        assert buttons(shared.blocks) == []
        assert "Shared by <@U0REPORTER>" in everything(shared)


def test_the_shared_copy_of_a_card_drops_its_buttons() -> None:
    private = render_answer(name_answer([person(), person("Wang Jun")]))
    copy = share_copy(private.blocks, private.text, "U0REPORTER")
    assert_slack_accepts(copy.text, copy.blocks)
    assert buttons(copy.blocks) == [] and "Did you mean" not in everything(copy)
    assert copy.blocks[0]["elements"][0]["text"].startswith("Shared by <@U0REPORTER>")
    assert copy.blocks[1:] == [b for b in private.blocks if not b.get("block_id", "").startswith("sanctions_")]
    forged = share_copy(private.blocks, private.text, "<!channel>")
    assert "<!channel>" not in visible(forged)


def test_a_huge_query_still_gives_a_valid_message() -> None:
    query = "x" * 5000
    message = render_answer(Answer(query, "name", None, [], []))
    assert_slack_accepts(message.text, message.blocks)
    assert buttons(message.blocks) == []  # the value would not fit; no button beats a rejected message


def test_usage_and_apology_are_one_sentence_and_carry_no_trace() -> None:
    usage = render_usage("I could not read the date '<!channel>'; try 2021-03-22.")
    assert_slack_accepts(usage.text, usage.blocks)
    assert_pings_nobody(usage.text, usage.blocks)
    assert not usage.is_answer
    apology = render_apology("deadbeef", store_down=True)
    assert "deadbeef" in apology.text and "Traceback" not in everything(apology)
    assert not apology.is_answer


def test_fit_never_cuts_an_entity_or_a_link() -> None:
    assert fit("abc &amp; def", 7) == "abc …"
    assert fit("see <https://e.org|label> now", 15) == "see …"
    assert len(fit("a" * 4000, 3000)) == 3000


def test_a_flag_for_every_two_letter_code_else_the_code() -> None:
    assert elements.flag("EU") == "🇪🇺" and elements.flag("gb") == "🇬🇧"
    assert elements.flag(None) == "" and elements.flag("USA") == "[USA]"


_piece = st.sampled_from([*"ab <>&!|@#*_~`\n:/.é王", "<!channel>", "https://e.org", "&amp;", "<@U1>"])
_text = st.lists(_piece, max_size=120).map("".join)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(name=_text, reason=_text, quote=_text, label=_text, url=_text, query=_text, n=st.integers(0, 40))
def test_any_text_renders_within_limits_and_pings_nobody(
    name: str, reason: str, quote: str, label: str, url: str, query: str, n: int
) -> None:
    action = fact(target=name, reason=reason, authority=label, sources=[source(quote=quote, source=label, url=url)] * 4)
    for answer in [
        name_answer(
            [person(name or "x", actions=[action] * n, aliases=[name] * 3), person(label)], best=name, query=query
        ),
        name_answer([person(name or "x", actions=[action]), person(label)], best=None, query=query),
        Answer(query, "date", None, [], [action] * n, description=label, total_actions=n * 3, offset=n),
    ]:
        message = render_answer(answer)
        assert_slack_accepts(message.text, message.blocks)
        assert_pings_nobody(message.text, message.blocks)


def test_nothing_found_for_a_list_question_asked_as_a_name_says_how_to_ask_it() -> None:
    answer = dataclasses.replace(
        Answer("ofac", "name", None, [], [], description="nobody called 'ofac'"), suggestion="by ofac"
    )
    message = render_answer(answer)
    assert_slack_accepts(message.text, message.blocks)
    assert "ask `/sanctions by ofac`" in everything(message)


def test_close_names_of_a_name_that_fits_nobody_are_buttons_never_an_answer() -> None:
    answer = dataclasses.replace(
        Answer("wang mingzheng", "name", None, [], [], description="nobody called 'wang mingzheng'"),
        close_names=["Wang Junzheng", "Wang Mingshan"],
    )
    message = render_answer(answer)
    assert_slack_accepts(message.text, message.blocks)
    assert "Nothing found" in message.text and "Close names in the store: Wang Junzheng, Wang Mingshan" in message.text
    picks = [b for b in buttons(message.blocks) if b["action_id"].startswith(paging.PICK)]
    assert [b["text"]["text"] for b in picks] == ["Wang Junzheng", "Wang Mingshan"]
    assert not any(block["type"] == "header" for block in message.blocks)
    shared = render_answer(answer, shared_by="U0123ABCD")
    assert not [b for b in buttons(shared.blocks) if b["action_id"].startswith(paging.PICK)]


def test_a_page_past_the_end_never_claims_there_is_nothing() -> None:
    facts = [fact(i) for i in range(12)]
    person_card = render_answer(name_answer([person("Wang Junzheng", actions=facts)]), start=99_999)
    assert "No sanctions recorded" not in everything(person_card) and "Showing 11–12 of 12" in everything(person_card)
    past = Answer("by eu", "authority", None, [], [], "actions by the Council of the European Union", 18, 10**9)
    message = render_answer(past)
    assert_slack_accepts(message.text, message.blocks)
    assert "Nothing found" not in message.text and "18 in all" in message.text
