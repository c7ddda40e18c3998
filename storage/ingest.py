"""Storing validated articles: one transaction per article, idempotent.

Re-ingesting an unchanged article changes nothing; a changed one replaces
what it said. Two articles reporting one action give one action with two
sources. Targets are merged by full name and aliases, never by surname alone,
and the outcome does not depend on the order articles arrive in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.answer_cache import bump_generation
from storage.articles import Article, Rejection, read_articles
from storage.articles.model import Event, TargetRef
from storage.models import Action, ActionSource, Authority, Delivery, Target, TargetName
from storage.models import Article as ArticleRow
from storage.name_index import reindex_target, unindex_target
from storage.outbox import enqueue
from storage.store import Store
from storage.stored_names import canonical_of, merge_keys, stored_tokens
from storage.writer_lock import one_writer_at_a_time

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
    """Read, validate and store every article under the paths.

    The format of each file is detected from its content unless given.
    """
    report = IngestReport()
    for item in read_articles(paths, format):
        if isinstance(item, Rejection):
            report.rejected += 1
            report.rejections.append(item.message())
        else:
            outcome = ingest_article(store, item)
            setattr(report, outcome.status, getattr(report, outcome.status) + 1)
            report.actions_added += len(outcome.new_action_ids)
            report.new_action_ids.extend(outcome.new_action_ids)
        if on_article is not None:
            on_article(item)
    return report


def ingest_article(store: Store, article: Article) -> ArticleOutcome:
    """Store one article atomically; retried when a concurrent ingest collides."""
    for attempt in range(1, _RETRIES + 1):
        try:
            with store.session() as session:
                outcome = _store_article(session, article)
            if outcome.status != "unchanged":
                store.answers.forget()
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
    for event in article.events:
        target = _target_for(session, event.target, row, kept_names)
        touched_targets.add(target.id)
        action, created = _action_for(session, target, event)
        if created:
            new_actions.append(action.id)
        touched_actions.add(action.id)
        _add_source(session, action, row, event)
    if status == "replaced":
        session.execute(
            delete(TargetName).where(
                TargetName.article_id == row.id, TargetName.id.not_in(kept_names)
            )
        )

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
    session: Session, ref: TargetRef, article: ArticleRow, kept_names: set[int]
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


def _add_source(session: Session, action: Action, article: ArticleRow, event: Event) -> None:
    exists = session.scalar(
        select(ActionSource.id).where(
            ActionSource.action_id == action.id, ActionSource.article_id == article.id
        )
    )
    if exists is not None:
        return
    session.add(
        ActionSource(
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
    )
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
