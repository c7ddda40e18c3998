"""Questions in, Answers out: the only way the bot and the CLI read the store."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache
from itertools import groupby

from dateutil.relativedelta import relativedelta
from rapidfuzz import fuzz
from sqlalchemy import ColumnElement, Connection, Row, Select, and_, case, func, or_, select

from storage.answers.cache import answer_cache
from storage.answers.crosschecks import cross_check
from storage.answers.disagreements import CoTargets, find_disagreements, with_disputes
from storage.answers.model import ActionFact, Answer, Source, TargetMatch
from storage.answers.questions import (
    AuthorityQuestion,
    DateQuestion,
    NameQuestion,
    Question,
    RecentQuestion,
    SinceQuestion,
)
from storage.authorities import jurisdiction_named, known_authority, normalise_authority
from storage.dates import PERIOD, DateError, ResolvedDate, describe_date, resolve_words
from storage.db.models import (
    SLACK_ITEM_PREFIX,
    Action,
    ActionSource,
    Article,
    Authority,
    Target,
)
from storage.db.sql_lists import in_list
from storage.db.store import Store
from storage.lists.listings import LoadedLists, listings_for_targets, loaded_lists
from storage.names.folding import aliases_of, name_tokens
from storage.names.scoring import pick_best, token_verdict
from storage.names.search import search_names

MAX_MATCHES = 10
# Close names of a name that fits nobody: how many are offered, from how many
# holders of the other words, and how alike the odd word must be (rapidfuzz ratio).
MAX_CLOSE_NAMES = 5
MAX_CLOSE_NAME_WORDS = 4
CLOSE_NAME_CANDIDATES = 40
CLOSE_WORD_SIMILARITY = 60
COUNT_CAP = 1000


def answer(
    store: Store, question: Question, *, limit: int = 10, offset: int = 0, trust_recent: bool = False
) -> Answer:
    """Answer one question; raises StoreUnavailable when the database is down.

    Answers are kept per store (see answer_cache) until any fact changes. With
    `trust_recent` (Slack's path), facts known current less than
    answer_cache.FRESH_SECONDS ago are not checked again.
    """
    key = _cache_key(question, limit, offset)

    cache = answer_cache(store)

    def lookup(connection: Connection) -> Answer:
        def make() -> Answer:
            if isinstance(question, NameQuestion):
                # Which lists are loaded changes only with the facts: read once a generation, not per answer.
                loaded = cache.get_or_make(connection, _LOADED_LISTS, lambda: loaded_lists(connection),
                                           trust_recent=True)
                return _name_answer(connection, question, loaded)
            return _list_answer(connection, question, limit, key[2])

        return cache.get_or_make(connection, key, make, trust_recent=trust_recent)

    return store.read(lookup)


_LOADED_LISTS = ("loaded lists",)


def kept_answer(store: Store, question: Question, *, limit: int = 10, offset: int = 0) -> Answer | None:
    """The answer `answer` would give, if it is in memory and known current; never waits on the database."""
    return answer_cache(store).kept(_cache_key(question, limit, offset))


def _cache_key(question: Question, limit: int, offset: int) -> tuple[Question, int, int]:
    # A name's answer is whole (the renderer pages it); lists are paged here.
    return (question, 0, 0) if isinstance(question, NameQuestion) else (question, limit, max(0, offset))


# --- names -----------------------------------------------------------------

def _name_answer(connection: Connection, question: NameQuestion, loaded: LoadedLists) -> Answer:
    """The targets a name may mean, each with its facts, listings and flags; `loaded`: the lists loaded."""
    # One more than is shown, so the answer can say more people fit than it lists.
    found = search_names(connection, question.name, MAX_MATCHES + 1)
    hits = found[:MAX_MATCHES]
    facts = _facts_for_targets(connection, [hit.target_id for hit in hits])
    co_targets = _co_targets_of(connection)
    listings = listings_for_targets(connection, [hit.target_id for hit in hits]) if loaded.any else {}
    flags = {
        hit.target_id: cross_check(
            facts.get(hit.target_id, []), listings.get(hit.target_id, []), loaded.whole,
            find_disagreements(facts.get(hit.target_id, []), hit.target_id, co_targets),
        )
        for hit in hits
    }
    matches = [
        TargetMatch(
            name=hit.name,
            type="person" if hit.kind == "person" else "organization",
            score=hit.score.score,
            aliases=aliases_of(hit.name, hit.names),
            roles=_roles(facts.get(hit.target_id, [])),
            actions=with_disputes(facts.get(hit.target_id, []), flags[hit.target_id]),
            explanation=list(hit.score.features),
            target_id=hit.target_id,
            flags=flags[hit.target_id],
            listings=listings.get(hit.target_id, []),
        )
        for hit in hits
    ]
    best_index = pick_best([m.score for m in matches])
    best = matches[best_index].name if best_index is not None else None
    if best is not None:
        description = best
    elif matches:
        description = f"several people or organisations fit '{question.name}'"
    else:
        description = f"nobody called '{question.name}' in the store"
    return Answer(
        query=question.text,
        kind="name",
        best=best,
        matches=matches,
        actions=matches[best_index].actions if best_index is not None else [],
        description=description,
        more_matches=len(found) > MAX_MATCHES,
        suggestion=None if matches else _list_question_meant(question.name),
        close_names=[] if matches else _close_names(connection, question.name),
    )


_CO_TARGETS = (
    select(ActionSource.article_id, Action.target_id)
    .join(Action, Action.id == ActionSource.action_id)
    .where(in_list(ActionSource.article_id, "ids"))
    .distinct()
)


def _co_targets_of(connection: Connection) -> CoTargets:
    """Who else given articles report: asked only for a pair of dates nothing else decides, once per article."""
    known: dict[int, set[int]] = {}

    def co_targets(article_ids: set[int]) -> dict[int, set[int]]:
        missing = sorted(article_ids - known.keys())
        if missing:
            for article_id in missing:
                known[article_id] = set()
            for article_id, target_id in connection.execute(_CO_TARGETS, {"ids": missing}):
                known[article_id].add(target_id)
        return {article_id: known[article_id] for article_id in article_ids}

    return co_targets


def _close_names(connection: Connection, name: str) -> list[str]:
    """Names that fit all but one word of a name that fits nobody, that word being alike.

    "wang mingzheng" is more than a typo away from anyone, but Wang Mingshan
    and Wang Junzheng share its surname and most of the rest. Shown as close
    names, never as an answer.
    """
    tokens = name_tokens(name)
    if not 2 <= len(tokens) <= MAX_CLOSE_NAME_WORDS:
        return []
    close: dict[str, None] = {}
    for index, dropped in enumerate(tokens):
        kept = tokens[:index] + tokens[index + 1:]
        for hit in search_names(connection, " ".join(kept), CLOSE_NAME_CANDIDATES):
            if any(_one_word_apart(kept, dropped, known) for known in hit.names):
                close[hit.name] = None
    return list(close)[:MAX_CLOSE_NAMES]


def _one_word_apart(kept: tuple[str, ...], dropped: str, name: str) -> bool:
    """Whether a name is the kept words and one word more, alike the one dropped.

    The alike word must be the name's only other word: "Oleg Vladimirovich
    Deripaska" shares only the ending "-ovich" with "abramovich", and his
    patronymic does not make him "Oleg Abramovich".
    """
    others = [word for word in name_tokens(name) if not any(token_verdict(k, word) is not None for k in kept)]
    return len(others) == 1 and fuzz.ratio(dropped, others[0]) >= CLOSE_WORD_SIMILARITY


def _list_question_meant(name: str) -> str | None:
    """The list question a name that names nobody may have meant: `by ofac`, `on march 2022`."""
    if jurisdiction_named(name) is not None or known_authority(name) is not None:
        return f"by {name}"
    try:
        resolve_words(name, date.today())
    except DateError:
        return None
    return f"on {name}"


def _roles(facts: list[ActionFact]) -> list[str]:
    """Every role any report gives, in the card's order: the newest action's first.

    The newest action tells the position the target held most recently, which
    is what a journalist names them by; within an action its reports run from
    the earliest (written at the time), so the action's own role leads. Roles
    differing only in case are one.
    """
    seen: dict[str, str] = {}
    for fact in facts:
        for role in fact.roles:
            seen.setdefault(role.casefold(), role)
    return list(seen.values())


# --- lists of actions ------------------------------------------------------

def _list_answer(connection: Connection, question: Question, limit: int, offset: int) -> Answer:
    statement, description, kind = _list_statement(connection, question)
    if statement is None:
        return Answer(question.text, kind, None, [], [], description, 0, offset)
    # Counting stops at COUNT_CAP: "1,000+" is all a journalist needs, and an
    # exact count of a million actions would cost every `recent` a full scan.
    counted = statement.limit(COUNT_CAP + 1).subquery()
    total = connection.scalar(select(func.count()).select_from(counted)) or 0
    ids = list(connection.scalars(_newest_first(connection, statement).limit(limit).offset(offset)))
    facts = _facts_by_id(connection, ids)
    return Answer(
        question.text, kind, None, [], [facts[i] for i in ids], description,
        min(total, COUNT_CAP), offset, total_is_capped=total > COUNT_CAP,
    )


def _newest_first(connection: Connection, statement: Select) -> Select:
    """A list's order: by the start of each action's period, newest first, ties by content.

    Lists order by the period's start, not by when an action can latest have
    happened as name answers do (`_latest_possible`): that needs the earliest
    publication of each action's reports, a join and an aggregate per action,
    which would turn `recent` over a million actions from a walk down the day
    index into a full scan and sort. Within one start day the more precise
    date comes first: `on 2021-03-22` lists the actions of that day before
    those known only to the week that starts on it. Then target, authority and
    kind, compared as code points on both databases (PostgreSQL's "C"
    collation; SQLite's default), so the order never depends on ingest order.
    """
    coarseness = case({"year": 3, "month": 2, "week": 1}, value=Action.precision, else_=0)
    postgres = connection.dialect.name == "postgresql"
    target = Target.name.collate("C") if postgres else Target.name
    authority = Authority.name.collate("C") if postgres else Authority.name
    return (
        statement.join(Target, Target.id == Action.target_id)
        .join(Authority, Authority.id == Action.authority_id)
        .order_by(Action.day.desc(), coarseness, target, authority, Action.kind, Action.id)
    )


def _list_statement(connection: Connection, question: Question) -> tuple[Select | None, str, str]:
    base = select(Action.id)
    if isinstance(question, RecentQuestion):
        return base, "the most recent actions", "recent"
    if isinstance(question, SinceQuestion):
        return (
            _since(base, question.since),
            f"actions since {describe_date(question.since.day, question.since.precision)}",
            "date",
        )
    if isinstance(question, DateQuestion):
        start, end = _period(question.on)
        statement = base.where(_overlapping(start, end))
        preposition = "on" if question.on.precision == "day" else "in"
        written = describe_date(question.on.day, question.on.precision)
        return statement, f"actions {preposition} {written}", "date"
    assert isinstance(question, AuthorityQuestion)
    authority_ids, label = _authorities_named(connection, question.authority)
    if not authority_ids:
        return None, f"no authority called '{question.authority}' in the store", "authority"
    statement = base.where(Action.authority_id.in_(authority_ids))
    description = f"actions by {label}"
    if question.since is not None:
        statement = _since(statement, question.since)
        description += f" since {describe_date(question.since.day, question.since.precision)}"
    return statement, description, "authority"


def _since(statement: Select, since: ResolvedDate) -> Select:
    return statement.where(_overlapping(since.day, None))


def _period(resolved: ResolvedDate) -> tuple[date, date | None]:
    return resolved.day, _shifted(resolved.day, PERIOD[resolved.precision])


def _shifted(day: date, delta: timedelta | relativedelta) -> date | None:
    """day + delta, or None (no bound) past the calendar's ends: "on 9999" must not crash."""
    try:
        return day + delta
    except (OverflowError, ValueError):
        return None


def _overlapping(start: date, end: date | None) -> ColumnElement[bool]:
    """Actions whose own period may fall in [start, end); None means no end.

    A journalist asking about a period wants every action that may have
    happened in it: "week of 22 March 2021" belongs to "since 23 March". The
    card shows each date's precision, so nothing claims to be more exact than
    it is. Bounds are computed here, per precision, so the SQL is plain date
    comparisons on SQLite and PostgreSQL alike.
    """
    return or_(*(_overlapping_at(precision, start, end) for precision in PERIOD))


def _overlapping_at(precision: str, start: date, end: date | None) -> ColumnElement[bool]:
    # [day, day + span) overlaps [start, end) iff day > start - span and day < end.
    bounds = [Action.precision == precision]
    after = _shifted(start, -PERIOD[precision])
    if after is not None:
        bounds.append(Action.day > after)
    if end is not None:
        bounds.append(Action.day < end)
    return and_(*bounds)


def _authorities_named(connection: Connection, text: str) -> tuple[list[int], str]:
    """Authorities a `by ...` query means: a jurisdiction, a known body, or as stored."""
    code = jurisdiction_named(text)
    if code is not None:
        rows = connection.execute(select(Authority.id, Authority.name).where(Authority.jurisdiction == code)).all()
        label = rows[0][1] if len(rows) == 1 else f"authorities of {code}"
        return [row[0] for row in rows], label
    known = known_authority(text)
    if known is not None:
        ids = list(connection.scalars(select(Authority.id).where(Authority.name == known.name)))
        return ids, known.name
    wanted = normalise_authority(text)
    stored = connection.execute(select(Authority.id, Authority.name)).all()
    ids = [i for i, name in stored if wanted and wanted in normalise_authority(name)]
    names = [name for i, name in stored if i in ids]
    return ids, ", ".join(names)


# --- facts -----------------------------------------------------------------

def _facts_for_targets(connection: Connection, target_ids: list[int]) -> dict[int, list[ActionFact]]:
    """Each target's facts, newest first (see `_card_order`)."""
    if not target_ids:
        return {}
    grouped: dict[int, list[ActionFact]] = defaultdict(list)
    for _, target_id, fact in _facts(connection, _FACTS_OF_TARGETS, target_ids):
        grouped[target_id].append(fact)
    return {target_id: sorted(facts, key=_card_order) for target_id, facts in grouped.items()}


def _card_order(fact: ActionFact) -> tuple:
    """Newest first by when the action can latest have happened, ties by content.

    "Lifted earlier this year" in an article of 28 December 2018 happened by
    that day, after an imposition of 1 August 2018: listed by its period's
    first day (1 January) it would sit below the imposition it ended, and the
    card would read as still sanctioned.
    """
    day = date.fromisoformat(fact.date)
    return (-_latest_possible(fact).toordinal(), -day.toordinal(), fact.authority, fact.action, fact.precision)


def _latest_possible(fact: ActionFact) -> date:
    """The last day of the action's period, but never after the earliest report of it."""
    day = date.fromisoformat(fact.date)
    end = _shifted(day, PERIOD[fact.precision])
    latest = end - timedelta(days=1) if end is not None else date.max
    published = [date.fromisoformat(source.published) for source in fact.sources]
    return min([latest, *published]) if published else latest


def facts_for_actions(store: Store, action_ids: list[int]) -> list[ActionFact]:
    """ActionFacts for given ids, in the given order, each marked when its date is disputed (for posts)."""
    facts = store.read(lambda connection: _disputed_facts_by_id(connection, action_ids))
    return [facts[i] for i in action_ids if i in facts]


def _disputed_facts_by_id(connection: Connection, action_ids: list[int]) -> dict[int, ActionFact]:
    """Facts by id, with their targets' other actions read once to tell which dates are disputed."""
    facts = _facts_by_id(connection, action_ids)
    target_of = dict(connection.execute(_TARGETS_OF_ACTIONS, {"ids": list(facts)}).all()) if facts else {}
    co_targets = _co_targets_of(connection)
    disputes: dict[int, str] = {}
    for target_id, all_facts in _facts_for_targets(connection, sorted(set(target_of.values()))).items():
        for flag in find_disagreements(all_facts, target_id, co_targets):
            disputes.update(dict.fromkeys(flag.action_ids, flag.text))
    return {i: replace(fact, disputed=disputes.get(i)) for i, fact in facts.items()}


_TARGETS_OF_ACTIONS = select(Action.id, Action.target_id).where(in_list(Action.id, "ids"))


def _fact_rows(selected: ColumnElement[bool]) -> Select:
    """One row per action and report: one round trip for every fact of an answer.

    Built once per use below, so SQLAlchemy compiles each once: answers are on
    Slack's clock. Plain columns only: an answer never loads an article's text.
    """
    return (
        select(
            Action.id, Action.target_id, Action.kind, Action.day, Action.precision,
            Target.name, Authority.name, Authority.jurisdiction,
            ActionSource.quote, ActionSource.date_text, ActionSource.date_from_publication,
            ActionSource.role, ActionSource.reason, ActionSource.program,
            Article.title, Article.source, Article.url, Article.published, Article.key,
            Article.id.label("article_id"),
        )
        .join(Target, Target.id == Action.target_id)
        .join(Authority, Authority.id == Action.authority_id)
        .outerjoin(ActionSource, ActionSource.action_id == Action.id)
        .outerjoin(Article, Article.id == ActionSource.article_id)
        .where(selected)
        # Each action's reports together, the earliest first; same-day reports
        # by the producer's key, never by ingest order.
        .order_by(Action.id, Article.published, Article.key)
    )


_FACTS_OF_TARGETS = _fact_rows(in_list(Action.target_id, "ids"))
_FACTS_OF_ACTIONS = _fact_rows(in_list(Action.id, "ids"))


def _facts_by_id(connection: Connection, action_ids: list[int]) -> dict[int, ActionFact]:
    if not action_ids:
        return {}
    return {action_id: fact for action_id, _, fact in _facts(connection, _FACTS_OF_ACTIONS, action_ids)}


def _facts(connection: Connection, statement: Select, ids: list[int]) -> Iterator[tuple[int, int, ActionFact]]:
    """(action id, target id, fact) for each action the statement selects, in its order."""
    rows = connection.execute(statement, {"ids": ids}).all()
    for _, reports in groupby(rows, key=lambda row: row[0]):
        yield _fact(list(reports))


def _fact(rows: list[Row]) -> tuple[int, int, ActionFact]:
    """One action from its rows, whose reports come earliest first.

    The role, reason and programme are the earliest report's that gives one
    (written at the time of the measure); `roles` keeps every distinct role.
    """
    action_id, target_id, kind, day, precision, target_name, authority_name, jurisdiction = rows[0][:8]
    reports = [r for r in rows if r.published is not None]
    dated = [r for r in reports if not r.date_from_publication]
    roles = list(dict.fromkeys(r.role for r in reports if r.role))
    return action_id, target_id, ActionFact(
        target=target_name,
        action=kind,
        authority=authority_name,
        jurisdiction=jurisdiction,
        date=day.isoformat(),
        precision=precision,
        date_text=_date_words(dated, day, precision),
        reason=next((r.reason for r in reports if r.reason), None),
        program=next((r.program for r in reports if r.program), None),
        role=roles[0] if roles else None,
        roles=roles,
        sources=[
            Source(title=r.title, source=r.source, url=r.url, published=r.published.isoformat(), quote=r.quote,
                   added_in_slack=r.key.startswith(SLACK_ITEM_PREFIX), article_id=r.article_id,
                   date_text=None if r.date_from_publication else r.date_text, program=r.program, reason=r.reason)
            for r in reports
        ],
        date_from_publication=bool(reports) and not dated,
        action_id=action_id,
    )


def _date_words(dated: list[Row], day: date, precision: str) -> str | None:
    """The words of a report that gives the action's own date.

    Reports known only to the week or month of an action known to the day are
    merged into it (storage.ingest.writer); their "last week" must not stand beside
    "10 March 2022". Words are read again only when reports differ.
    """
    worded = [r for r in dated if r.date_text]
    if len({r.date_text for r in worded}) <= 1:
        return worded[0].date_text if worded else None

    def rank(report: Row) -> int:
        said = _words_date(report.date_text, report.published)
        return 1 if said is None else 0 if said == (day, precision) else 2

    return min(worded, key=rank).date_text


@lru_cache(maxsize=4096)
def _words_date(words: str, published: date) -> tuple[date, str] | None:
    """What a DATE span's words give against its publication; None where only a value gave the date."""
    try:
        resolved = resolve_words(words, published)
    except DateError:
        return None
    return resolved.day, resolved.precision
