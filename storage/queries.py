"""Questions in, Answers out: the only way the bot and the CLI read the store."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import groupby

from dateutil.relativedelta import relativedelta
from rapidfuzz import fuzz
from sqlalchemy import ColumnElement, Connection, Row, Select, and_, func, or_, select

from storage.answers import ActionFact, Answer, Source, TargetMatch
from storage.authorities import jurisdiction_named, known_authority, normalise_authority
from storage.dates import DateError, ResolvedDate, describe_date, resolve_words
from storage.matching import pick_best
from storage.models import (
    SLACK_ITEM_PREFIX,
    Action,
    ActionSource,
    Article,
    Authority,
    Target,
)
from storage.name_search import search_names
from storage.names import aliases_of, name_tokens
from storage.questions import (
    AuthorityQuestion,
    DateQuestion,
    NameQuestion,
    Question,
    RecentQuestion,
    SinceQuestion,
)
from storage.sql_lists import in_list
from storage.store import Store

MAX_MATCHES = 10
# Close names of a name that fits nobody: how many are offered, from how many
# holders of the other words, and how alike the odd word must be (rapidfuzz ratio).
MAX_CLOSE_NAMES = 5
MAX_CLOSE_NAME_WORDS = 4
CLOSE_NAME_CANDIDATES = 40
CLOSE_WORD_SIMILARITY = 60
COUNT_CAP = 1000
# How long each precision's period lasts: an action's date is [day, day + span).
_SPAN: dict[str, timedelta | relativedelta] = {
    "day": timedelta(days=1),
    "week": timedelta(days=7),
    "month": relativedelta(months=1),
    "year": relativedelta(years=1),
}


def answer(
    store: Store, question: Question, *, limit: int = 10, offset: int = 0, trust_recent: bool = False
) -> Answer:
    """Answer one question; raises StoreUnavailable when the database is down.

    Answers are kept per store (see answer_cache) until any fact changes. With
    `trust_recent` (Slack's path), facts known current less than
    answer_cache.FRESH_SECONDS ago are not checked again.
    """
    key = _cache_key(question, limit, offset)

    def lookup(connection: Connection) -> Answer:
        def make() -> Answer:
            if isinstance(question, NameQuestion):
                return _name_answer(connection, question)
            return _list_answer(connection, question, limit, key[2])

        return store.answers.get_or_make(connection, key, make, trust_recent=trust_recent)

    return store.read(lookup)


def kept_answer(store: Store, question: Question, *, limit: int = 10, offset: int = 0) -> Answer | None:
    """The answer `answer` would give, if it is in memory and known current; never waits on the database."""
    return store.answers.kept(_cache_key(question, limit, offset))


def _cache_key(question: Question, limit: int, offset: int) -> tuple[Question, int, int]:
    # A name's answer is whole (the renderer pages it); lists are paged here.
    return (question, 0, 0) if isinstance(question, NameQuestion) else (question, limit, max(0, offset))


# --- names -----------------------------------------------------------------

def _name_answer(connection: Connection, question: NameQuestion) -> Answer:
    # One more than is shown, so the answer can say more people fit than it lists.
    found = search_names(connection, question.name, MAX_MATCHES + 1)
    hits = found[:MAX_MATCHES]
    facts = _facts_for_targets(connection, [hit.target_id for hit in hits])
    matches = [
        TargetMatch(
            name=hit.name,
            type="person" if hit.kind == "person" else "organization",
            score=hit.score.score,
            aliases=aliases_of(hit.name, hit.names),
            roles=_roles(facts.get(hit.target_id, [])),
            actions=facts.get(hit.target_id, []),
            explanation=list(hit.score.features),
            target_id=hit.target_id,
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
        rest = " ".join(tokens[:index] + tokens[index + 1:])
        for hit in search_names(connection, rest, CLOSE_NAME_CANDIDATES):
            words = {word for known in hit.names for word in name_tokens(known)} - set(tokens)
            if any(fuzz.ratio(dropped, word) >= CLOSE_WORD_SIMILARITY for word in words):
                close[hit.name] = None
    return list(close)[:MAX_CLOSE_NAMES]


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
    return list(dict.fromkeys(f.role for f in facts if f.role))


# --- lists of actions ------------------------------------------------------

def _list_answer(connection: Connection, question: Question, limit: int, offset: int) -> Answer:
    statement, description, kind = _list_statement(connection, question)
    if statement is None:
        return Answer(question.text, kind, None, [], [], description, 0, offset)
    # Counting stops at COUNT_CAP: "1,000+" is all a journalist needs, and an
    # exact count of a million actions would cost every `recent` a full scan.
    counted = statement.limit(COUNT_CAP + 1).subquery()
    total = connection.scalar(select(func.count()).select_from(counted)) or 0
    ids = list(
        connection.scalars(
            statement.order_by(Action.day.desc(), Action.recorded_at.desc(), Action.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )
    facts = _facts_by_id(connection, ids)
    return Answer(
        question.text, kind, None, [], [facts[i] for i in ids], description,
        min(total, COUNT_CAP), offset, total_is_capped=total > COUNT_CAP,
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
    return resolved.day, _shifted(resolved.day, _SPAN[resolved.precision])


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
    return or_(*(_overlapping_at(precision, start, end) for precision in _SPAN))


def _overlapping_at(precision: str, start: date, end: date | None) -> ColumnElement[bool]:
    # [day, day + span) overlaps [start, end) iff day > start - span and day < end.
    bounds = [Action.precision == precision]
    after = _shifted(start, -_SPAN[precision])
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
    """Each target's facts, latest first."""
    if not target_ids:
        return {}
    grouped: dict[int, list[ActionFact]] = defaultdict(list)
    for _, target_id, fact in _facts(connection, _FACTS_OF_TARGETS, target_ids):
        grouped[target_id].append(fact)
    return grouped


def facts_for_actions(store: Store, action_ids: list[int]) -> list[ActionFact]:
    """ActionFacts for given ids, in the given order (for announcements)."""
    facts = store.read(lambda connection: _facts_by_id(connection, action_ids))
    return [facts[i] for i in action_ids if i in facts]


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
        )
        .join(Target, Target.id == Action.target_id)
        .join(Authority, Authority.id == Action.authority_id)
        .outerjoin(ActionSource, ActionSource.action_id == Action.id)
        .outerjoin(Article, Article.id == ActionSource.article_id)
        .where(selected)
        .order_by(Action.day.desc(), Action.id.desc(), Article.published, Article.id)
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
    action_id, target_id, kind, day, precision, target_name, authority_name, jurisdiction = rows[0][:8]
    reports = [r for r in rows if r.published is not None]
    dated = [r for r in reports if not r.date_from_publication]
    return action_id, target_id, ActionFact(
        target=target_name,
        action=kind,
        authority=authority_name,
        jurisdiction=jurisdiction,
        date=day.isoformat(),
        precision=precision,
        date_text=next((r.date_text for r in dated if r.date_text), None),
        reason=next((r.reason for r in reports if r.reason), None),
        program=next((r.program for r in reports if r.program), None),
        role=next((r.role for r in reports if r.role), None),
        sources=[
            Source(title=r.title, source=r.source, url=r.url, published=r.published.isoformat(), quote=r.quote,
                   added_in_slack=r.key.startswith(SLACK_ITEM_PREFIX))
            for r in reports
        ],
        date_from_publication=bool(reports) and not dated,
        action_id=action_id,
    )
