"""The press checked against the official lists: what one says and the other does not.

Three flags (DESIGN.md §2), each only where a jurisdiction's list is loaded,
so that a desk without lists never hears of them:
- `not_on_list`: the press reports an imposition that the list would record
  (a State Department visa ban or a Commerce export ban is on no sanctions
  list), made by the list's snapshot date, with no lifting reported since,
  and the loaded list has no entry linked to the name;
- `delisting_unreported`: the list dropped the entry and no report in the
  store says the jurisdiction lifted its measures since it last imposed them;
- `dates_disagree`: the list's own listing date (never a date the desk
  inferred, so never OFAC's) fits no press date of the jurisdiction's
  impositions. Where the press already disagrees with itself, the list's
  date is added to that sentence as a second witness instead.
A list date within LIST_DAYS of a press date agrees with it: Canada dates a
listing by the regulations' registration, a day before the announcement.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from storage.answers.model import ActionFact, Flag
from storage.authorities import jurisdiction_adjective
from storage.dates import PERIOD, describe_date
from storage.lists.entries import LIST_JURISDICTIONS, LIST_NAMES
from storage.lists.listings import Listing, listing_status

LIST_DAYS = 3
# Bodies whose measures no sanctions list records (visa bans, export controls).
_ON_NO_LIST = {"U.S. Department of State", "U.S. Department of Commerce"}


def cross_check(
    actions: list[ActionFact], listings: list[Listing], loaded: dict[str, date], flags: list[Flag]
) -> list[Flag]:
    """The press flags, with list dates added as witnesses, and the flags of what press and lists do not share."""
    checked = [_with_list_witness(flag, listings) for flag in flags]
    disputed = {flag.jurisdiction for flag in flags if flag.kind == "dates_disagree"}
    for jurisdiction, as_of in sorted(loaded.items()):
        on_lists = [listing for listing in listings if listing.jurisdiction == jurisdiction]
        press = [a for a in actions if a.jurisdiction == jurisdiction]
        if not on_lists:
            unseen = _not_on_list(press, jurisdiction, as_of)
            if unseen:
                checked.append(unseen)
            continue
        for listing in on_lists:
            dropped = _delisting_unreported(press, listing)
            if dropped:
                checked.append(dropped)
            if jurisdiction not in disputed:
                other_date = _list_date_disagrees(press, listing)
                if other_date:
                    checked.append(other_date)
    return checked


def _impositions(press: list[ActionFact]) -> list[ActionFact]:
    return [a for a in press if a.action == "imposed"]


def _lifted_since(press: list[ActionFact], day: str) -> bool:
    return any(a.action == "lifted" and a.date >= day for a in press)


def _lifting_between(press: list[ActionFact], first: str, last: str) -> bool:
    return any(a.action == "lifted" and first <= a.date <= last for a in press)


def _not_on_list(press: list[ActionFact], jurisdiction: str, as_of: date) -> Flag | None:
    recorded = [a for a in _impositions(press) if a.authority not in _ON_NO_LIST and a.date <= as_of.isoformat()]
    if not recorded:
        return None
    latest = max(recorded, key=lambda a: a.date)
    if _lifted_since(press, latest.date):
        return None
    days = sorted({a.date for a in recorded})
    said = _listed_days(recorded)
    text = (f"The press reports {_who(jurisdiction)} sanctions imposed {said}, but the {_lists_of(jurisdiction)} "
            f"loaded here (as of {_day(as_of)}) has no entry linked to this name.")
    return Flag("not_on_list", jurisdiction, days, text, action_ids=_ids(recorded))


def _delisting_unreported(press: list[ActionFact], listing: Listing) -> Flag | None:
    if listing.delisted_on is None:
        return None
    imposed = [a.date for a in _impositions(press)]
    since = max(imposed) if imposed else "0000-00-00"
    if _lifted_since(press, since):
        return None
    held = listing_status(replace(listing, delisted_on=None))
    text = (f"The {listing.list_name} dropped this entry by {_day(listing.delisted_on)} ({held}); "
            f"no report in the desk says {_who(listing.jurisdiction)} sanctions were lifted.")
    return Flag("delisting_unreported", listing.jurisdiction, [listing.delisted_on.isoformat()], text)


def _list_date_disagrees(press: list[ActionFact], listing: Listing) -> Flag | None:
    if listing.listed_on is None:
        return None
    listed = listing.listed_on.isoformat()
    # An imposition with a lifting between it and the list's date is another chapter of the history.
    impositions = [a for a in _impositions(press)
                   if not _lifting_between(press, min(a.date, listed), max(a.date, listed))]
    if not impositions or any(_agrees(a, listing.listed_on) for a in impositions):
        return None
    days = sorted({a.date for a in impositions} | {listing.listed_on.isoformat()})
    text = (f"Sources disagree on the date of the {_who(listing.jurisdiction)} listing: the press says "
            f"{_listed_days(impositions)}; the {listing.list_name} gives {_day(listing.listed_on)}.")
    return Flag("dates_disagree", listing.jurisdiction, days, text, action_ids=_ids(impositions),
                suspect_action_ids=_ids(impositions))


def _with_list_witness(flag: Flag, listings: list[Listing]) -> Flag:
    """A press disagreement, with the list's own date where a list of that jurisdiction gives one."""
    if flag.kind != "dates_disagree":
        return flag
    witnesses = [listing for listing in listings if listing.jurisdiction == flag.jurisdiction and listing.listed_on]
    if not witnesses:
        return flag
    said = "; ".join(f"the {w.list_name} gives {_day(w.listed_on)}" for w in witnesses if w.listed_on is not None)
    return replace(flag, text=f"{flag.text[:-1]}; {said}.")


def _agrees(action: ActionFact, listed_on: date) -> bool:
    start = date.fromisoformat(action.date)
    end = start + PERIOD[action.precision]
    return start - timedelta(days=LIST_DAYS) <= listed_on < end + timedelta(days=LIST_DAYS)


def _listed_days(actions: list[ActionFact]) -> str:
    days: dict[str, int] = {}
    for action in sorted(actions, key=lambda a: a.date):
        shown = describe_date(date.fromisoformat(action.date), action.precision)
        days[shown] = days.get(shown, 0) + len(action.sources)
    return " or ".join(f"{day} ({count} report{'s' * (count != 1)})" for day, count in days.items())


def _lists_of(jurisdiction: str) -> str:
    names = [LIST_NAMES[list_id] for list_id, code in LIST_JURISDICTIONS.items() if code == jurisdiction]
    return names[0] if len(names) == 1 else f"{_who(jurisdiction)} lists"


def _who(jurisdiction: str | None) -> str:
    return jurisdiction_adjective(jurisdiction) or jurisdiction or "its"


def _day(day: date) -> str:
    return describe_date(day, "day")


def _ids(actions: list[ActionFact]) -> tuple[int, ...]:
    return tuple(a.action_id for a in actions if a.action_id is not None)
