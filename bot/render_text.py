"""An Answer as plain text for the terminal."""

from __future__ import annotations

import textwrap
from datetime import date

from storage.answers.model import ActionFact, Answer, TargetMatch
from storage.dates import describe_date
from storage.lists.listings import Listing, listing_status


def when(fact: ActionFact) -> str:
    """The date as precisely as the source knows it, and how it knows it."""
    written = describe_date(date.fromisoformat(fact.date), fact.precision)
    if fact.date_from_publication:
        return f"{written} (no date given; date of publication)"
    if fact.date_text and fact.date_text.lower() not in written.lower():
        return f"{written} (\"{fact.date_text}\")"
    return written


def action_line(fact: ActionFact, with_target: bool = False) -> str:
    who = f"{fact.target}: " if with_target else ""
    where = f" [{fact.jurisdiction}]" if fact.jurisdiction else ""
    disputed = " [date disputed]" if fact.disputed else ""
    return f"{who}{fact.action} by {fact.authority}{where}, {when(fact)}{disputed}"


def listing_line(listing: Listing) -> str:
    """An official listing in a line: listed or delisted by the list's own word, and as of when."""
    status = listing_status(listing)
    programmes = f", {', '.join(listing.programs)}" if listing.programs else ""
    url = f" {listing.url}" if listing.url else ""
    return (f"{listing.list_name} [{listing.jurisdiction or '?'}]: {status}{programmes}; "
            f"entry {listing.entry_id}, as of {describe_date(listing.as_of, 'day')}{url}")


def render_text(answer: Answer, explain: bool = False) -> str:
    """The answer for a terminal; `explain` adds, per name, the scorer's features that fired."""
    lines: list[str] = []
    if answer.kind == "name":
        _render_names(answer, lines, explain)
    else:
        _render_list(answer, lines)
    return "\n".join(lines).rstrip() + "\n"


def _render_names(answer: Answer, lines: list[str], explain: bool) -> None:
    if not answer.matches:
        # True whether the name is misspelt or its bearer, mentioned in articles, was never sanctioned.
        lines.append(f"Nothing found for '{answer.query}': no sanctions are recorded for anyone of that name.")
        if answer.suggestion:
            lines.append(f"To list actions, ask: sanctions ask '{answer.suggestion}'")
        elif not answer.close_names:  # close names, below, are the better hint
            lines.append("Check the spelling, or ask for the newest measures: sanctions ask recent")
        if answer.close_names:
            lines.append(f"Close names in the store: {', '.join(answer.close_names)}.")
        return
    if answer.best is None:
        if len(answer.matches) == 1 and not answer.more_matches:
            lines.append(f"'{answer.query}' may mean {answer.matches[0].name}, but {why_not_sure(answer.matches[0])}; "
                         "is it the one?")
        elif answer.more_matches:
            lines.append(f"'{answer.query}' fits more than {len(answer.matches)} entries equally; "
                         f"these are {len(answer.matches)} of them. Add a given name to narrow it down.")
        else:
            lines.append(f"'{answer.query}' fits {len(answer.matches)} entries equally; which one?")
        for match in answer.matches:
            lines.append(f"  - {match.name} ({_summary(match)})")
        lines.append("")
        for match in answer.matches:
            _render_match(match, lines, explain)
        return
    best, others = answer.matches[0], answer.matches[1:]
    _render_match(best, lines, explain)
    if others:
        lines.append("Did you mean: " + "; ".join(m.name for m in others))
        if explain:
            lines.extend(f"  {m.name}: {explanation(m)}" for m in others)


# Features that say the name has more words than the query gave.
_WORDS_LEFT_OUT = frozenset({"name_part_missing", "short_part_missing", "distinctive_word_missing"})
_SPELT_OTHERWISE = frozenset({"typo", "typos_in_several_tokens", "lone_query_token_misspelt", "transliteration"})


def why_not_sure(match: TargetMatch) -> str:
    """Why the one name a query fits was not picked, in the asker's words (for text and Slack alike).

    One match listed but not picked is no tie to choose from: the asker must
    hear what kept it from being the answer ("gazprom" is not Gazprom Neft).
    """
    fired = {hit.name for hit in match.explanation}
    if fired & _WORDS_LEFT_OUT:
        return "that name has words you did not type"
    if fired & _SPELT_OTHERWISE:
        return "that name is spelt differently"
    return "it does not fit closely enough to be sure"


def _summary(match: TargetMatch) -> str:
    role = match.roles[0] if match.roles else match.type
    count = len(match.actions)
    return f"{role}; {count} action{'s' * (count != 1)}"


def explanation(match: TargetMatch) -> str:
    """Why a name matched: its score and the features that fired, with their weights."""
    fired = ", ".join(f"{hit.name} {hit.weight:+.2f}" for hit in match.explanation)
    return f"score {match.score:.2f}" + (f" ({fired})" if fired else "")


def _render_match(match: TargetMatch, lines: list[str], explain: bool = False) -> None:
    lines.append(match.name)
    lines.append("=" * min(len(match.name), 78))
    if match.aliases:
        lines.append("Also: " + ", ".join(match.aliases))
    if match.roles:
        lines.append("Role: " + "; ".join(match.roles))
    lines.append(f"Type: {match.type}")
    for flag in match.flags:
        lines.append(textwrap.fill(f"! {flag.text}", width=100, subsequent_indent="  "))
    if match.listings:
        lines.append("Official lists:")
        lines.extend(f"  - {listing_line(listing)}" for listing in match.listings)
    if explain:
        lines.append(f"Matched: {explanation(match)}")
    lines.append("")
    for fact in match.actions:
        _render_fact(fact, lines, with_target=False)
    lines.append("")


def _render_fact(fact: ActionFact, lines: list[str], with_target: bool) -> None:
    lines.append("* " + action_line(fact, with_target))
    if with_target and fact.role:
        lines.append(f"    Role: {fact.role}")
    if fact.reason:
        lines.append(f"    Reason: {fact.reason}")
    if fact.program:
        lines.append(f"    Programme: {fact.program}")
    for source in fact.sources:
        title = source.title or "untitled article"
        outlet = f"{source.source}, " if source.source else ""
        lines.append(f"    Source: {title} ({outlet}{source.published})" + (f" {source.url}" if source.url else ""))
        quote = textwrap.shorten(source.quote, width=300, placeholder="…")
        said = f"Added in Slack: {quote}" if source.added_in_slack else f"“{quote}”"
        lines.append(textwrap.fill(said, width=100, initial_indent="      ", subsequent_indent="      "))


def _render_list(answer: Answer, lines: list[str]) -> None:
    if not answer.actions:
        if answer.total_actions:
            lines.append(f"Nothing after offset {answer.offset}: {answer.description}, {answer.total_label} in all.")
        else:
            lines.append(f"Nothing found: {answer.description}." if answer.description else "Nothing found.")
        return
    shown_to = answer.offset + len(answer.actions)
    lines.append(f"{answer.description[:1].upper()}{answer.description[1:]}: {answer.total_label} "
                 f"(showing {answer.offset + 1}-{shown_to}, newest first)")
    lines.append("")
    for fact in answer.actions:
        _render_fact(fact, lines, with_target=True)
