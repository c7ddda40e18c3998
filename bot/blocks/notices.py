"""Messages that are not answers: usage, and the apology with its error id."""

from __future__ import annotations

from bot.blocks.elements import Message, clip, escape, section

USAGE = (
    "*/sanctions NAME* who was sanctioned, by whom, when and why\n"
    "*/sanctions by AUTHORITY* [since DATE] measures by the EU, OFAC, the UK…\n"
    "*/sanctions on DATE*, */sanctions since DATE*, */sanctions recent*\n"
    "*/sanctions subscribe new*, */sanctions subscribe digest 08:30 Europe/Berlin* [quiet], "
    "*/sanctions unsubscribe*, */sanctions status* what this channel receives; "
    "*/sanctions add* an item (editors)\n"
    "Examples: `/sanctions wang junzheng`, `/sanctions by eu since march 2021`, "
    "`/sanctions on 2021-03-22`"
)


def render_usage(problem: str | None = None) -> Message:
    """Usage, led by what was wrong with the query when something was."""
    lead = escape(clip(problem, 500)) if problem else "Ask the sanctions desk:"
    # One sentence for a problem: the usage below it says the rest.
    text = lead if problem else f"{lead} /sanctions NAME, by AUTHORITY, on DATE, recent"
    return Message(text, [section(lead), section(USAGE)], is_answer=False)


def render_apology(error_id: str, *, store_down: bool = False) -> Message:
    """Our failure, never a stack trace: an apology and the id that is in the log."""
    what = (
        "the sanctions store is not answering right now. Please try again in a minute"
        if store_down
        else "something went wrong on our side"
    )
    sorry = f"Sorry, {what}. If it persists, tell the maintainers: error id"
    shown_id = escape(error_id)
    return Message(f"{sorry} {shown_id}.", [section(f":warning: {sorry} `{shown_id}`.")], is_answer=False)
