"""Answers as cards: one person or organisation, several that fit, nothing, or a list of actions."""

from __future__ import annotations

from typing import Any

from bot.blocks.elements import (
    NAME_CHARS,
    REASON_CHARS,
    Message,
    actions_block,
    button,
    capitalised,
    clip,
    context,
    escape,
    header,
    section,
)
from bot.blocks.facts import action_line, action_text, listing_text
from bot.blocks.paging import PAGE_SIZE, PICK, Card, PageRef, assemble, controls, fitting_page, page_notes, page_of
from bot.render_text import why_not_sure
from storage.answers.model import Answer, TargetMatch

MAX_CANDIDATES = 5  # "did you mean" buttons
MAX_LISTED_PEOPLE = 10  # a surname shared by many
MAX_ALIASES = 8
NOT_SANCTIONED = "No sanctions are recorded for anyone of that name"


def render_answer(
    answer: Answer, *, start: int = 0, page_size: int = PAGE_SIZE, shared_by: str | None = None
) -> Message:
    """The card for any answer; `start` pages lists the store did not page itself.

    With `shared_by` (a Slack user id) the card is the channel copy: no buttons,
    and a note saying who shared it, in the blocks and the fallback text.
    """
    page_size = max(1, min(page_size, 20))  # 20 actions and their blocks still fit in 50
    if answer.found_nothing:
        return _render_nothing(answer, shared_by)
    if answer.kind == "name" and answer.best is not None and answer.matches:
        return _render_person(answer, start, page_size, shared_by)
    if answer.kind == "name" and answer.matches:
        return _render_several(answer, shared_by)
    return _render_list(answer, start, page_size, shared_by)


def _render_nothing(answer: Answer, shared_by: str | None) -> Message:
    query = escape(clip(answer.query, NAME_CHARS))
    if answer.kind == "name":
        # True whether the name is misspelt or its bearer, mentioned in articles, was never sanctioned.
        said = f"Nothing found for “{query}”. {NOT_SANCTIONED}."
        if answer.suggestion:
            said += f" To list actions, ask `/sanctions {escape(clip(answer.suggestion, NAME_CHARS))}`."
        elif not answer.close_names:  # close names, below, are the better hint
            said += " Check the spelling, or ask `/sanctions recent` for the newest measures."
    else:
        about = escape(clip(answer.description, NAME_CHARS)) or f"“{query}”"
        said = f"Nothing found: {about}."
        if answer.total_actions:  # a page past the end of a list that has actions
            said = f"Nothing more on this page: {about}, {answer.total_label} in all, came on earlier pages."
    tail = [*_close_names(answer.close_names, shared_by), controls(answer, None, shared_by is not None)]
    if answer.close_names:
        close = ", ".join(escape(clip(name, NAME_CHARS)) for name in answer.close_names)
        said += f" Close names in the store: {close}."
    return assemble([section(said)], tail, said, shared_by)


def _close_names(names: list[str], shared_by: str | None) -> list[dict[str, Any] | None]:
    """Names a name that fits nobody nearly fits: offered to look at, never as the answer."""
    if not names or shared_by:
        return []
    buttons = [
        button(name, f"{PICK}_{index}", PageRef(name).to_value())
        for index, name in enumerate(names[:MAX_CANDIDATES])
    ]
    return [context("*Close names in the store:*", "sanctions_close_names_heading"),
            actions_block("sanctions_close_names", buttons)]


def _render_person(answer: Answer, start: int, page_size: int, shared_by: str | None) -> Message:
    person, others = answer.matches[0], answer.matches[1:]
    about = "Organisation" if person.type == "organization" else "Person"
    aliases = [escape(clip(alias, NAME_CHARS)) for alias in person.aliases[:MAX_ALIASES]]
    if aliases:
        about += " · also written " + ", ".join(aliases)
    roles = [clip(role, REASON_CHARS) for role in person.roles]
    title = clip(person.name, NAME_CHARS) + (f", {'; '.join(roles)}" if roles else "")

    def card(size: int, shortened: bool) -> Card:
        page = page_of(person.actions, answer, start, size)
        body = [header(clip(person.name, NAME_CHARS)), context(about)]
        if roles:
            body.append(section("*Role:* " + escape("; ".join(roles))))
        body.extend(section(f":warning: *{escape(flag.text)}*") for flag in person.flags)
        if person.listings:
            body.append(section("\n".join(["*Official lists*", *(listing_text(x) for x in person.listings)])))
        if not page.actions:
            body.append(section("_No press reports of sanctions on them in the desk._" if person.listings
                                else "_No sanctions recorded against them in the store._"))
        elif person.listings:
            body.append(context("*Press reports*"))
        for action in page.actions:
            body.append(section(action_text(action, with_target=False, known_roles=person.roles, dispute_above=True)))
        body.extend(page_notes(page, shortened))
        tail = [*_did_you_mean(others, shared_by), controls(answer, page, shared_by is not None)]
        flags = [escape(flag.text) for flag in person.flags]
        text = "\n".join([escape(title), *flags, *(action_line(a, with_target=False) for a in page.actions)])
        return Card(body, tail, text)

    return fitting_page(card, page_size, shared_by)


def _did_you_mean(others: list[TargetMatch], shared_by: str | None) -> list[dict[str, Any] | None]:
    if not others or shared_by:
        return []
    buttons = [
        button(other.name, f"{PICK}_{index}", PageRef(other.name).to_value())
        for index, other in enumerate(others[:MAX_CANDIDATES])
    ]
    return [
        context("*Did you mean?*", "sanctions_did_you_mean_heading"),
        actions_block("sanctions_did_you_mean", buttons),
    ]


def _render_several(answer: Answer, shared_by: str | None) -> Message:
    """A query that fits several people equally: all of them, none chosen."""
    query = escape(clip(answer.query, NAME_CHARS))
    people = answer.matches[:MAX_LISTED_PEOPLE]
    how_many = f"more than {len(answer.matches)}" if answer.more_matches else str(len(answer.matches))
    kinds = {match.type for match in answer.matches}
    who = {"person": "people", "organization": "organisations"}.get(kinds.pop(), "") if len(kinds) == 1 else ""
    who = who or "people and organisations"
    if len(answer.matches) == 1 and not answer.more_matches:
        # No tie to choose from: one name that the query does not fit closely enough.
        name, why = escape(clip(people[0].name, NAME_CHARS)), why_not_sure(people[0])
        body = [section(f"“{query}” may mean *{name}*, but {why}. Is it the one?")]
        lines = [f"“{query}” may mean {name}, but {why}. Is it the one?"]
    else:
        body = [section(f"“{query}” fits {how_many} {who} in the store:")]
        lines = [f"“{query}” fits {how_many} {who}:"]
    for index, person in enumerate(people):
        text = f"*{escape(clip(person.name, NAME_CHARS))}*"
        if person.roles:
            text += f", {escape(clip(person.roles[0], REASON_CHARS))}"
        if person.actions:
            latest = max(person.actions, key=lambda action: action.date)
            count = len(person.actions)
            text += f"\n{action_line(latest, with_target=False)}"
            if count > 1:
                text += f" _(and {count - 1} more)_"
        show = None if shared_by else button("Show", f"{PICK}_{index}", PageRef(person.name).to_value())
        body.append(section(text, show))
        lines.append(escape(clip(person.name, NAME_CHARS)))
    hidden = len(answer.matches) - len(people)
    if hidden > 0 or answer.more_matches:
        more = f"{hidden} more" if not answer.more_matches else "more"
        narrower = "a given name" if who == "people" else "more of the name"
        body.append(context(f"…and {more}. Add {narrower} to narrow it down."))
    return assemble(body, [controls(answer, None, shared_by is not None)], "\n".join(lines), shared_by)


def _render_list(answer: Answer, start: int, page_size: int, shared_by: str | None) -> Message:
    """Actions by an authority, on or since a date, or the most recent: newest first."""
    title = capitalised(answer.description or answer.query)

    def card(size: int, shortened: bool) -> Card:
        page = page_of(answer.actions, answer, start, size)
        body = [header(clip(title, NAME_CHARS))]
        for action in page.actions:
            body.append(section(action_text(action, with_target=True, known_roles=[])))
        if not page.actions:
            body.append(section("_Nothing more on this page._"))
        body.extend(page_notes(page, shortened))
        lines = [escape(clip(title, NAME_CHARS)), *(action_line(a, with_target=True) for a in page.actions)]
        return Card(body, [controls(answer, page, shared_by is not None)], "\n".join(lines))

    return fitting_page(card, page_size, shared_by)
