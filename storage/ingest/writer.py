"""Storing validated articles: one transaction per article, idempotent.

Re-ingesting an unchanged article changes nothing; a changed one replaces
what it said. Two articles reporting one action give one action with two
sources, also when one knows the day and the other only its week or month
(see `_grouped`). Targets are merged by full name and aliases, never by
surname alone, and the outcome does not depend on the order articles arrive in.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.answers.cache import answer_cache
from storage.articles import Article, Rejection
from storage.articles.model import Event, TargetRef
from storage.articles.validate import resolved_words
from storage.channels.outbox import enqueue
from storage.dates import DateError, resolve_value
from storage.db.generation import bump_generation
from storage.db.models import Action, ActionSource, Authority, Delivery, Target, TargetName
from storage.db.models import Article as ArticleRow
from storage.db.store import Store
from storage.db.writer_lock import one_writer_at_a_time
from storage.names.index import reindex_target, unindex_target
from storage.names.stored import canonical_of, merge_keys, stored_tokens

log = logging.getLogger(__name__)
_RETRIES = 3


@dataclass
class IngestReport:
    new: int = 0
    unchanged: int = 0
    replaced: int = 0
    rejected: int = 0
    actions_added: int = 0
    rejections: list[str] = field(default_factory=list)
    new_action_ids: list[int] = field(default_factory=list)

    @property
    def read(self) -> int:
        return self.new + self.unchanged + self.replaced + self.rejected

    def absorb(self, other: IngestReport) -> None:
        """Add another run's counts to this one (one summary for several sources)."""
        for name in ("new", "unchanged", "replaced", "rejected", "actions_added"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.rejections.extend(other.rejections)
        self.new_action_ids.extend(other.new_action_ids)


@dataclass(frozen=True)
class ArticleOutcome:
    status: str  # new | unchanged | replaced
    new_action_ids: tuple[int, ...] = ()


def ingest_paths(
    store: Store,
    paths: Iterable[Path],
    on_article: Callable[[Article | Rejection], None] | None = None,
    format: str | None = None,
) -> IngestReport:
    """Read, validate and store every article under the paths (in batches: storage.ingest.batch).

    The format of each file is detected from its content unless given.
    """
    from storage.ingest.batch import ingest_paths as in_batches

    return in_batches(store, paths, on_article, format)


def ingest_article(store: Store, article: Article) -> ArticleOutcome:
    """Store one article atomically; retried when a concurrent ingest collides."""
    for attempt in range(1, _RETRIES + 1):
        try:
            with store.session() as session:
                outcome = _store_article(session, article)
            if outcome.status != "unchanged":
                answer_cache(store).forget()
            return outcome
        except IntegrityError:
            if attempt == _RETRIES:
                raise
            log.info("ingest of %s collided with another writer; retrying", article.origin)
    raise AssertionError("unreachable")


def _store_article(session: Session, article: Article) -> ArticleOutcome:
    one_writer_at_a_time(session)
    row = session.scalar(select(ArticleRow).where(ArticleRow.key == article.key))
    if row is not None and row.content_hash == article.content_hash:
        return ArticleOutcome("unchanged")
    status = "new"
    touched_actions: set[int] = set()
    touched_targets: set[int] = set()
    if row is None:
        row = ArticleRow(key=article.key)
        session.add(row)
    else:
        status = "replaced"
        touched_actions = set(
            session.scalars(select(ActionSource.action_id).where(ActionSource.article_id == row.id))
        )
        touched_targets = set(
            session.scalars(select(TargetName.target_id).where(TargetName.article_id == row.id))
        )
        # Sources go now; names stay until the new events have found their
        # targets through them, so a revision keeps its targets and actions.
        session.execute(delete(ActionSource).where(ActionSource.article_id == row.id))
    row.content_hash = article.content_hash
    row.title, row.source, row.url = article.title, article.source, article.url
    row.published, row.published_text = article.published, article.published_text
    row.text, row.document = article.text, article.document
    session.flush()

    new_actions: list[int] = []
    kept_names: set[int] = set()
    merged_into: set[int] = set()
    # This article's reports, with the date each gives (other articles' are read back).
    own_dates: dict[int, _Dated] = {}
    for event in article.events:
        target = _target_for(session, event.target, row, kept_names, merged_into)
        touched_targets.add(target.id)
        action, created = _action_for(session, target, event)
        if created:
            new_actions.append(action.id)
        touched_actions.add(action.id)
        source_id = _add_source(session, action, row, event)
        if source_id is not None:
            own_dates[source_id] = (event.date.day, event.date.precision)
    if status == "replaced":
        session.execute(
            delete(TargetName).where(
                TargetName.article_id == row.id, TargetName.id.not_in(kept_names)
            )
        )

    keys = _keys_of(session, touched_actions, merged_into)
    known = _regroup(session, keys, own_dates, fresh=set(new_actions))
    touched_targets.update(target_id for target_id, _, _ in keys)
    # An action created for this article but found to be a report of a known
    # one (merged into it) is not new: channels hear of each event once.
    surviving = set(session.scalars(select(Action.id).where(Action.id.in_(new_actions))))
    new_actions = [i for i in new_actions if i in surviving and i not in known]
    enqueue(session, new_actions, row.id)
    bump_generation(session)
    _drop_orphans(session, touched_actions, touched_targets)
    for target_id in sorted(touched_targets):
        target = session.get(Target, target_id)
        if target is not None:
            target.name = canonical_name(session, target_id) or target.name
            reindex_target(session, target)
    return ArticleOutcome(status, tuple(new_actions))


def _target_for(
    session: Session, ref: TargetRef, article: ArticleRow, kept_names: set[int], merged_into: set[int]
) -> Target:
    stored_keys = merge_keys(ref.names, ref.kind)
    # Only identifying names take part in merging; the others are stored with "".
    keys = {key for key in stored_keys.values() if key}
    matches: list[int] = []
    if keys:
        matches = sorted(
            set(
                session.scalars(
                    select(TargetName.target_id)
                    .join(Target, Target.id == TargetName.target_id)
                    .where(TargetName.merge_key.in_(keys), Target.kind == ref.kind)
                )
            )
        )
    if not matches:
        target = Target(kind=ref.kind, name=ref.name)
        session.add(target)
        session.flush()
    else:
        target = session.get(Target, matches[0])
        assert target is not None
        for other in matches[1:]:
            _merge_targets(session, target, other)
            merged_into.add(target.id)
    existing = {
        row.name: row
        for row in session.scalars(
            select(TargetName).where(
                TargetName.target_id == target.id, TargetName.article_id == article.id
            )
        )
    }
    for name, origin in ref.names:
        row = existing.get(name)
        if row is None:
            row = TargetName(target_id=target.id, article_id=article.id, name=name)
            session.add(row)
            existing[name] = row
        elif row.id in kept_names:
            continue  # the same name twice in one article: the first origin wins
        row.origin, row.merge_key, row.published = origin, stored_keys[name], article.published
        row.tokens = stored_tokens(name, ref.kind)
        session.flush()
        kept_names.add(row.id)
    return target


def _merge_targets(session: Session, survivor: Target, other_id: int) -> None:
    """Fold another target into the survivor, its actions merged where equal."""
    log.info("merging target %s into %s", other_id, survivor.id)
    session.execute(
        update(TargetName).where(TargetName.target_id == other_id).values(target_id=survivor.id)
    )
    for action in session.scalars(select(Action).where(Action.target_id == other_id)).all():
        twin = session.scalar(
            select(Action).where(
                Action.target_id == survivor.id,
                Action.authority_id == action.authority_id,
                Action.kind == action.kind,
                Action.day == action.day,
                Action.precision == action.precision,
            )
        )
        if twin is None:
            action.target_id = survivor.id
            continue
        keep, drop = (twin, action) if twin.id < action.id else (action, twin)
        twin_articles = set(
            session.scalars(select(ActionSource.article_id).where(ActionSource.action_id == keep.id))
        )
        for source in session.scalars(select(ActionSource).where(ActionSource.action_id == drop.id)).all():
            if source.article_id in twin_articles:
                session.delete(source)
            else:
                source.action_id = keep.id
        session.execute(delete(Delivery).where(Delivery.action_id == drop.id))
        session.flush()
        session.delete(drop)
        session.flush()
        keep.target_id = survivor.id
        keep.recorded_at = min(keep.recorded_at, drop.recorded_at)
    session.flush()
    unindex_target(session, other_id)
    session.execute(delete(Target).where(Target.id == other_id))
    session.flush()


def _authority_for(session: Session, event: Event) -> Authority:
    authority = session.scalar(select(Authority).where(Authority.name == event.authority.name))
    if authority is None:
        authority = Authority(name=event.authority.name, jurisdiction=event.authority.jurisdiction)
        with session.begin_nested():
            session.add(authority)
    return authority


def _action_for(session: Session, target: Target, event: Event) -> tuple[Action, bool]:
    authority = _authority_for(session, event)
    action = session.scalar(
        select(Action).where(
            Action.target_id == target.id,
            Action.authority_id == authority.id,
            Action.kind == event.action,
            Action.day == event.date.day,
            Action.precision == event.date.precision,
        )
    )
    if action is not None:
        return action, False
    action = Action(
        target_id=target.id,
        authority_id=authority.id,
        kind=event.action,
        day=event.date.day,
        precision=event.date.precision,
    )
    session.add(action)
    session.flush()
    return action, True


def _add_source(session: Session, action: Action, article: ArticleRow, event: Event) -> int | None:
    """The new report's id; None when the article already reports this action."""
    exists = session.scalar(
        select(ActionSource.id).where(
            ActionSource.action_id == action.id, ActionSource.article_id == article.id
        )
    )
    if exists is not None:
        return None
    source = ActionSource(
        action_id=action.id,
        article_id=article.id,
        quote=event.quote,
        date_text=event.date.words,
        date_from_publication=event.date.from_publication,
        role=event.role,
        reason=event.reason,
        program=event.program,
        authority_text=event.authority_text[:300],
    )
    session.add(source)
    session.flush()
    return source.id


# --- reports of one event at different precisions ------------------------

# A date as (first day of its period, precision).
_Dated = tuple[date, str]
_Key = tuple[int, int, str]  # (target, authority, kind)
_FINENESS = {"day": 0, "week": 1, "month": 2, "year": 3}
_SPANS: dict[str, timedelta | relativedelta] = {
    "day": timedelta(days=1),
    "week": timedelta(days=7),
    "month": relativedelta(months=1),
    "year": relativedelta(years=1),
}
# Coarse reports that join the one finer action inside their period. Not
# years: an authority often acts twice on one target in a year (the EU
# renews its measures every six months, OFAC designates under a second
# programme), so "in 2018" beside "1 August 2018" may well be another
# measure; the card then shows both, each at its precision.
_JOINING = ("week", "month")


@dataclass(frozen=True)
class _Report:
    source_id: int
    action_id: int
    article_id: int
    date: _Dated  # the date this report itself gives
    published: date  # its article's publication: what it reports happened by then
    from_publication: bool  # it gave no date: the publication's day stands in for one


def _keys_of(session: Session, action_ids: set[int], target_ids: set[int]) -> set[_Key]:
    """The (target, authority, kind) of these actions, and of every action of these targets."""
    keys: set[_Key] = set()
    columns = select(Action.target_id, Action.authority_id, Action.kind)
    if action_ids:
        keys.update((t, a, k) for t, a, k in session.execute(columns.where(Action.id.in_(action_ids))))
    if target_ids:
        keys.update((t, a, k) for t, a, k in session.execute(columns.where(Action.target_id.in_(target_ids))))
    return keys


def _regroup(session: Session, keys: set[_Key], own_dates: dict[int, _Dated], fresh: set[int]) -> set[int]:
    """Make the actions of each key what its reports say, whatever order they came in.

    Reports are grouped into events by `_grouped`, a function of the reports
    alone; each event then keeps the oldest action that held any of its
    reports (its id, first-recorded time and deliveries: channels are not told
    twice), dated at its most precise report; emptied actions go. Returns
    the actions that hold a report known before this article (not new).
    """
    known: set[int] = set()
    for key in sorted(keys):
        reports = _reports_of(session, key, own_dates)
        known |= _store_groups(session, key, _grouped(reports), fresh)
    return known


def _reports_of(session: Session, key: _Key, own_dates: dict[int, _Dated]) -> list[_Report]:
    target_id, authority_id, kind = key
    rows = session.execute(
        select(
            ActionSource.id, ActionSource.action_id, ActionSource.article_id, ActionSource.date_text,
            ActionSource.date_from_publication, Action.day, Action.precision, ArticleRow.published,
            ArticleRow.document.contains('"value"'),
        )
        .join(Action, Action.id == ActionSource.action_id)
        .join(ArticleRow, ArticleRow.id == ActionSource.article_id)
        .where(Action.target_id == target_id, Action.authority_id == authority_id, Action.kind == kind)
        .order_by(ActionSource.id)
    ).all()
    valued: dict[int, dict[str, set[_Dated]]] = {}

    def values_of(article_id: int) -> dict[str, set[_Dated]]:
        if article_id not in valued:
            document = session.scalar(select(ArticleRow.document).where(ArticleRow.id == article_id))
            valued[article_id] = _valued_dates(document or "{}")
        return valued[article_id]

    reports = []
    for source_id, action_id, article_id, words, from_publication, day, precision, published, has_values in rows:
        own = own_dates.get(source_id)
        if own is None:
            own = _date_of_report(
                (day, precision), words, from_publication, published,
                values_of(article_id) if has_values else {},
            )
        reports.append(_Report(source_id, action_id, article_id, own, published, bool(from_publication)))
    return reports


def _date_of_report(
    held: _Dated, words: str | None, from_publication: bool, published: date, valued: dict[str, set[_Dated]]
) -> _Dated:
    """The date a stored report gives, read back as ingest resolved it.

    Reports keep their words, not their resolved date: an annotator's value
    is looked up in the stored article, other words are resolved again
    against the publication (the same code, so the same date). Where that
    fails the date of the action holding the report is kept.
    """
    if from_publication:
        return published, "day"
    if not words:
        return held
    values = valued.get(words)
    if values:
        return held if held in values else min(values)
    try:
        resolved = resolved_words(words, published)
    except DateError:
        return held
    return resolved.day, resolved.precision


def _valued_dates(document: str) -> dict[str, set[_Dated]]:
    """The stored article's DATE spans that carry a value: their words -> the dates they give."""
    try:
        parsed: Any = json.loads(document)
        text: str = parsed["text"]
        entities = parsed.get("entities") or []
    except (ValueError, KeyError, TypeError):
        return {}
    found: dict[str, set[_Dated]] = {}
    for entity in entities:
        if not isinstance(entity, dict) or str(entity.get("label", "")).upper() != "DATE":
            continue
        if not entity.get("value"):
            continue
        try:
            pieces = entity.get("fragments") or [(entity["start"], entity["end"])]
            words = " ".join(" ".join(text[a:b] for a, b in pieces).split())[:_MAX_DATE_WORDS]
            resolved = resolve_value(str(entity["value"]))
        except (DateError, KeyError, TypeError, ValueError):
            continue
        found.setdefault(words, set()).add((resolved.day, resolved.precision))
    return found


_MAX_DATE_WORDS = 200  # as storage.articles.validate cuts a valued DATE's words


def _period_end(dated: _Dated) -> date:
    """The first day after a date's period (its end, exclusive); date.max past the calendar."""
    try:
        return dated[0] + _SPANS[dated[1]]
    except (OverflowError, ValueError):
        return date.max


def _grouped(reports: list[_Report]) -> dict[_Dated, list[_Report]]:
    """Reports grouped into events: their date -> their reports.

    Reports giving the same date are one event. A report known only to the
    week or the month (finest first) joins the one event of finer date whose
    whole period lies within its own, when there is exactly one and it holds
    no report of the same article (an article giving two dates means two
    events); with none it stands alone, with several it cannot tell which
    and stands alone too. The finer event must have happened by the coarse
    report's publication ("this month" in a paper of 10 March is not the
    24th), and must be dated by a report, not only by a publication standing
    in for a date it never gave (that day would pass for the event's). A
    function of the reports alone: ingest order plays no part.
    """
    groups: dict[_Dated, list[_Report]] = {}
    for report in reports:
        groups.setdefault(report.date, []).append(report)
    for precision in _JOINING:
        for coarse in sorted(d for d in groups if d[1] == precision):
            start, end = coarse[0], _period_end(coarse)
            articles = {r.article_id for r in groups[coarse]}
            reported_by = min(r.published for r in groups[coarse])
            inside = [
                finer for finer in groups
                if _FINENESS[finer[1]] < _FINENESS[precision]
                and start <= finer[0] and _period_end(finer) <= end
                and finer[0] <= reported_by
                and not all(r.from_publication for r in groups[finer])
                and not articles & {r.article_id for r in groups[finer]}
            ]
            if len(inside) == 1:
                groups[inside[0]].extend(groups.pop(coarse))
    return groups


def _store_groups(
    session: Session, key: _Key, groups: dict[_Dated, list[_Report]], fresh: set[int]
) -> set[int]:
    """One action per group, holding exactly its reports; actions left empty are deleted.

    Returns the actions that hold a report the store had before (not new).
    """
    target_id, authority_id, kind = key
    rows = {a.id: a for a in session.scalars(select(Action).where(
        Action.target_id == target_id, Action.authority_id == authority_id, Action.kind == kind))}
    chosen: dict[_Dated, Action] = {}
    # First an action already at its group's date, then the oldest holding one
    # of its reports (older than any created for this article), else a new one.
    for dated in sorted(groups):
        holders = {r.action_id for r in groups[dated]}
        same = [i for i in sorted(holders) if (rows[i].day, rows[i].precision) == dated and i not in fresh]
        if same:
            chosen[dated] = rows[same[0]]
    taken = {action.id for action in chosen.values()}
    for dated in sorted(groups):
        if dated in chosen:
            continue
        holders = sorted({r.action_id for r in groups[dated]} - taken, key=lambda i: (i in fresh, i))
        if holders:
            chosen[dated] = rows[holders[0]]
        else:
            chosen[dated] = Action(target_id=target_id, authority_id=authority_id, kind=kind,
                                   day=dated[0], precision=dated[1])
            session.add(chosen[dated])
            session.flush()
        taken.add(chosen[dated].id)

    _move_reports(session, [(r, chosen[dated].id) for dated, group in groups.items() for r in group])
    known: set[int] = set()
    for dated, group in groups.items():
        action = chosen[dated]
        # When the store first learnt of the event: the earliest of the actions merged into it.
        earlier = [rows[i].recorded_at for i in {r.action_id for r in group} if i in rows and i not in fresh]
        if earlier:
            known.add(action.id)
            if action.id in rows and action.id not in fresh:
                earlier.append(action.recorded_at)
            action.recorded_at = min(earlier)
    empty = sorted(set(rows) - taken)
    if empty:
        session.execute(delete(Delivery).where(Delivery.action_id.in_(empty)))
        for action_id in empty:
            session.delete(rows[action_id])
    session.flush()
    # Re-date in two steps, so that two actions trading dates never meet the
    # unique (target, authority, kind, day, precision) on the way.
    moving = {dated: action for dated, action in chosen.items() if (action.day, action.precision) != dated}
    if len(moving) > 1:
        for action in moving.values():
            action.precision = f"~{action.id}"[:10]
        session.flush()
    for dated, action in moving.items():
        action.day, action.precision = dated
    session.flush()
    return known


def _move_reports(session: Session, placed: list[tuple[_Report, int]]) -> None:
    """Put each report on its action: rewritten, so that no two of one article meet on one action midway."""
    moving = [(report, action_id) for report, action_id in placed if report.action_id != action_id]
    if not moving:
        return
    copies = []
    for report, action_id in moving:
        source = session.get(ActionSource, report.source_id)
        assert source is not None
        copies.append(ActionSource(
            action_id=action_id, article_id=source.article_id, quote=source.quote, date_text=source.date_text,
            date_from_publication=source.date_from_publication, role=source.role, reason=source.reason,
            program=source.program, authority_text=source.authority_text,
        ))
        session.delete(source)
    session.flush()
    session.add_all(copies)
    session.flush()


def _drop_orphans(session: Session, action_ids: set[int], target_ids: set[int]) -> None:
    """Actions no article reports any more, and targets left with nothing."""
    if action_ids:
        sourced = set(
            session.scalars(
                select(ActionSource.action_id).where(ActionSource.action_id.in_(action_ids))
            )
        )
        orphans = action_ids - sourced
        if orphans:
            target_ids.update(
                session.scalars(select(Action.target_id).where(Action.id.in_(orphans)))
            )
            session.execute(delete(Delivery).where(Delivery.action_id.in_(orphans)))
            session.execute(delete(Action).where(Action.id.in_(orphans)))
    for target_id in sorted(target_ids):
        has_actions = session.scalar(select(func.count()).where(Action.target_id == target_id))
        has_names = session.scalar(select(func.count()).where(TargetName.target_id == target_id))
        if not has_actions and not has_names:
            unindex_target(session, target_id)
            session.execute(delete(Target).where(Target.id == target_id))
    session.flush()


def canonical_name(session: Session, target_id: int) -> str | None:
    """The annotator's value, else the earliest fully written form; never ingest order."""
    names = session.execute(
        select(TargetName.name, TargetName.origin, TargetName.published).where(
            TargetName.target_id == target_id
        )
    ).all()
    return canonical_of(names)
