"""Reports that put one action on different dates: told apart from real histories.

News copy misleads most often by date: a wire story republished years later
still says "on Monday", a translation drops the year, a follow-up is a day
off. The store keeps every report as reported (one action per target,
authority, kind and day), so such copy shows up as a second action. This
module decides, for one target's actions, which of them are more likely one
action than two, and says so in one sentence; nothing is merged or hidden.

The rule (docs/facts.md, "When sources disagree"), for two actions of one
kind (imposed, lifted, extended) by one jurisdiction on different dates:
- never a disagreement: one date's period holds the other ("March 2021" and
  22 March 2021); an action of the other direction lies between them (an
  imposition, its lifting and a re-imposition are history); one article
  reports both (a second programme, "first blacklisted in 2016"); both name
  programmes and none is alike (two programmes, two actions);
- a disagreement when, besides, any of these holds:
  - `relative words`: one date came from words that mean a day only
    against their article's publication, within the week before it ("on
    Monday", "yesterday", "last week"), in an article published more than
    LATE_DAYS after the other action's first report (a republished or
    rewritten story);
  - `a year slipped`: the same day and month in another year (a
    translation or copy that lost or changed the year);
  - `shared context`: the reports name the same programme or reason (by
    their words: "Magnitsky Act" is the "Sergei Magnitsky Rule of Law
    Accountability Act"), or another target reported with them (the same
    round of designations);
  - `days apart`: the dates are at most NEAR_DAYS apart (one action a day
    off, as time zones and follow-ups make it).
Extensions are renewed on a calendar with the same programme and reason, so
for them only `days apart` counts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache

from storage.answers.model import ActionFact, Flag
from storage.authorities import jurisdiction_adjective
from storage.dates import PERIOD, DateError, describe_date, resolve_words

LATE_DAYS = 30  # a story published this long after the first reports is no report of the day
RECENT_DAYS = 7  # "on Monday", "yesterday", "last week": words of a story printed that week
NEAR_DAYS = 7  # one jurisdiction does not impose the same measure twice within a week without a lifting
_OPPOSITE = {"imposed": "lifted", "lifted": "imposed", "extended": "lifted"}
_VERB = {"imposed": "imposition", "lifted": "lifting", "extended": "extension"}
_SHIFT = timedelta(days=371)  # moves any anchor to another weekday, day of year and year

# Other targets reported in the same articles, asked of the store only when a pair needs it.
CoTargets = Callable[[set[int]], dict[int, set[int]]]


def find_disagreements(actions: list[ActionFact], target_id: int | None, co_targets: CoTargets) -> list[Flag]:
    """The flags of one target's actions: one per group of dates that are likely one action."""
    flags = []
    by_group: dict[tuple[str, str], list[ActionFact]] = defaultdict(list)
    for fact in actions:
        by_group[(fact.jurisdiction or fact.authority, fact.action)].append(fact)
    for (jurisdiction_or_authority, kind), group in sorted(by_group.items()):
        if len(group) < 2:
            continue
        others = [f for f in actions if f.action == _OPPOSITE[kind]
                  and (f.jurisdiction or f.authority) == jurisdiction_or_authority]
        links = _likely_one(sorted(group, key=lambda f: f.date), others, target_id, co_targets)
        for cluster in _clusters(links):
            flags.append(_flag(cluster, kind))
    return flags


def with_disputes(actions: list[ActionFact], flags: list[Flag]) -> list[ActionFact]:
    """The actions, each that a flag is about carrying its sentence."""
    disputes = {action_id: flag.text for flag in flags if flag.kind == "dates_disagree"
                for action_id in flag.action_ids}
    if not disputes:
        return actions
    return [replace(a, disputed=disputes[a.action_id]) if a.action_id in disputes else a for a in actions]


def _likely_one(
    group: list[ActionFact], others: list[ActionFact], target_id: int | None, co_targets: CoTargets
) -> list[tuple[ActionFact, ActionFact]]:
    links = []
    for index, earlier in enumerate(group):
        for later in group[index + 1:]:
            if _two_actions(earlier, later, others):
                continue
            if _one_action(earlier, later, target_id, co_targets):
                links.append((earlier, later))
    return links


def _two_actions(earlier: ActionFact, later: ActionFact, others: list[ActionFact]) -> bool:
    """What makes two dates two actions whatever else they share."""
    if _holds(earlier, later) or _holds(later, earlier):
        return True
    if any(earlier.date < other.date <= later.date for other in others):
        return True
    if _articles(earlier) & _articles(later):
        return True
    earlier_programs, later_programs = _wordings(s.program for s in earlier.sources), _wordings(
        s.program for s in later.sources)
    return bool(earlier_programs and later_programs and not _alike(earlier_programs, later_programs))


def _one_action(earlier: ActionFact, later: ActionFact, target_id: int | None, co_targets: CoTargets) -> bool:
    if _days_apart(earlier, later) <= NEAR_DAYS:
        return True
    if earlier.action == "extended":
        return False
    if _late_and_anchored(later, earlier) or _late_and_anchored(earlier, later):
        return True
    if _same_day_of_another_year(earlier, later):
        return True
    if _alike(_wordings(s.program for s in earlier.sources), _wordings(s.program for s in later.sources)):
        return True
    if _alike(_wordings(s.reason for s in earlier.sources), _wordings(s.reason for s in later.sources)):
        return True
    return _share_co_targets(earlier, later, target_id, co_targets)


def _holds(coarse: ActionFact, fine: ActionFact) -> bool:
    """Whether the coarse date's period holds the fine one's day: one action at two precisions."""
    start = date.fromisoformat(coarse.date)
    return start <= date.fromisoformat(fine.date) < start + PERIOD[coarse.precision]


def _days_apart(earlier: ActionFact, later: ActionFact) -> int:
    end = date.fromisoformat(earlier.date) + PERIOD[earlier.precision] - timedelta(days=1)
    return (date.fromisoformat(later.date) - end).days


def _articles(fact: ActionFact) -> set[int]:
    return {source.article_id for source in fact.sources if source.article_id is not None}


_WORDS = re.compile(r"[^\w]+")
_SMALL_WORDS = frozenset("a an and as at by for from her his in its of on over the their to under with".split())
_STEM = 6  # "undermined" and "undermining" are one word to this comparison


def _wordings(texts: Iterable[str | None]) -> set[frozenset[str]]:
    """Programmes or reasons as sets of word stems: case, punctuation, small words and endings aside."""
    wordings = set()
    for text in texts:
        stems = frozenset(word[:_STEM] for word in _WORDS.split((text or "").casefold())
                          if word and word not in _SMALL_WORDS)
        if stems:
            wordings.add(stems)
    return wordings


def _alike(one: set[frozenset[str]], other: set[frozenset[str]]) -> bool:
    """Whether two reports name the same programme or reason, one perhaps more fully than the other.

    "Magnitsky Act" is the "Sergei Magnitsky Rule of Law Accountability Act";
    a single word is alike only to itself, so that "corruption" does not
    make every corruption case one.
    """
    for first in one:
        for second in other:
            shorter, longer = sorted((first, second), key=len)
            if shorter == longer or (len(shorter) >= 2 and shorter <= longer):
                return True
    return False


def _same_day_of_another_year(earlier: ActionFact, later: ActionFact) -> bool:
    """A year slipped in copy or translation: the same day and month, a whole number of years apart."""
    if earlier.precision != "day" or later.precision != "day":
        return False
    return earlier.date[5:] == later.date[5:]


def _late_and_anchored(suspect: ActionFact, other: ActionFact) -> bool:
    """Whether every report of `suspect` read its date from words against a story published long after."""
    first_report = min((date.fromisoformat(s.published) for s in other.sources), default=None)
    if first_report is None or not suspect.sources:
        return False
    late = first_report + timedelta(days=LATE_DAYS)
    return all(
        _anchored(s.date_text, s.published, suspect.date, suspect.precision) and date.fromisoformat(s.published) > late
        for s in suspect.sources
    )


@lru_cache(maxsize=4096)
def _anchored(words: str | None, published: str, day: str, precision: str) -> bool:
    """Whether the action's date is what these words give against their publication, and only against it.

    Read against the publication and against another day: words that give
    two different dates ("on Monday", "yesterday") mean a day only by when
    they were printed; words that give the same ("22 March 2021") do not.
    Only words that put the day within the week before publication count: a
    story printed long after its event says "on 11 February", not "on Monday",
    and such a date is misread only with a lost year, which shared context
    then tells.
    """
    if not words:
        return False
    anchor = date.fromisoformat(published)
    try:
        here = resolve_words(words, anchor)
        elsewhere = resolve_words(words, anchor + _SHIFT)
    except DateError:
        return False
    last_day = here.day + PERIOD[here.precision] - timedelta(days=1)
    recent = (anchor - last_day).days <= RECENT_DAYS
    return (here.day.isoformat(), here.precision) == (day, precision) and here.day != elsewhere.day and recent


def _share_co_targets(earlier: ActionFact, later: ActionFact, target_id: int | None,
                      co_targets: CoTargets) -> bool:
    articles = _articles(earlier) | _articles(later)
    if not articles or target_id is None:
        return False
    others = co_targets(articles)

    def reported_with(fact: ActionFact) -> set[int]:
        return set().union(*(others.get(a, set()) for a in _articles(fact))) - {target_id}

    return bool(reported_with(earlier) & reported_with(later))


def _clusters(links: list[tuple[ActionFact, ActionFact]]) -> list[list[ActionFact]]:
    """Dates linked pairwise, gathered into groups that are likely one action each."""
    parent: dict[int, int] = {}
    facts: dict[int, ActionFact] = {}

    def root(key: int) -> int:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for a, b in links:
        for fact in (a, b):
            facts.setdefault(id(fact), fact)
            parent.setdefault(id(fact), id(fact))
        parent[root(id(a))] = root(id(b))
    groups: dict[int, list[ActionFact]] = defaultdict(list)
    for key, fact in facts.items():
        groups[root(key)].append(fact)
    return [sorted(group, key=lambda f: f.date) for group in groups.values()]


def _flag(cluster: list[ActionFact], kind: str) -> Flag:
    suspects = _suspects(cluster)
    jurisdiction = cluster[0].jurisdiction
    shown = jurisdiction_adjective(jurisdiction)
    what = f"{shown} {_VERB[kind]}" if shown else f"{_VERB[kind]} by {jurisdiction or cluster[0].authority}"
    parts = [_date_part(fact, fact in suspects) for fact in cluster]
    where = "the later report" if _later_only(cluster, suspects) else "one of them"
    text = (f"Sources disagree on the date of one {what}: {_joined(parts)}, "
            f"likely one action misdated in {where}.")
    return Flag(
        kind="dates_disagree",
        jurisdiction=jurisdiction,
        dates=[fact.date for fact in cluster],
        text=text,
        action_ids=tuple(fact.action_id for fact in cluster if fact.action_id is not None),
        suspect_action_ids=tuple(fact.action_id for fact in suspects if fact.action_id is not None),
    )


def _suspects(cluster: list[ActionFact]) -> list[ActionFact]:
    """The dates most likely wrong: read from words in a late story, else those fewer reports give."""
    late = [fact for fact in cluster if any(_late_and_anchored(fact, other) for other in cluster if other is not fact)]
    if late:
        return late
    most = max(len(fact.sources) for fact in cluster)
    fewer = [fact for fact in cluster if len(fact.sources) < most]
    return fewer


def _later_only(cluster: list[ActionFact], suspects: list[ActionFact]) -> bool:
    return bool(suspects) and all(fact is not cluster[0] for fact in suspects)


def _date_part(fact: ActionFact, suspect: bool) -> str:
    day = describe_date(date.fromisoformat(fact.date), fact.precision)
    count = len(fact.sources)
    reports = f"{count} report{'s' if count != 1 else ''}"
    if not suspect:
        return f"{day} ({reports})"
    words = [s for s in fact.sources if s.date_text]
    if not words:
        return f"{day} ({reports})"
    first = min(words, key=lambda s: s.published)
    published = describe_date(date.fromisoformat(first.published), "day")
    return f"{day} ({reports}: '{first.date_text}' in a story published {published})"


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]
