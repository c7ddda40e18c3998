"""New articles planned in memory and written with a few statements a batch.

`writer._store_article` stores one article with a few dozen statements, most
of them asking the database what the previous statement just wrote. For an
article the store has never seen, almost everything it needs is known up
front: the targets its names may merge with, the reports those targets
already have, the authorities. A `Plan` reads that once for a batch, then
decides each new article in memory, in file order, exactly as the one-article
path would, and writes the whole batch with one multi-row statement per table.

The plan takes an article only where that decision is certainly the
one-article path's: each event's names match at most one target, each report
joins its event without moving any stored report to another action, and no
two events of the article meet on one (target, authority, action). Anything
else (merging two targets, a report that regroups others, a revision) stops
the plan at that article, which then goes the one-article way; the order of
articles is kept, so the store ends as one-at-a-time ingest leaves it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.articles import Article
from storage.articles.model import Event
from storage.db.models import Action, ActionSource, Authority, Target, TargetName
from storage.db.models import Article as ArticleRow
from storage.ingest.writer import _date_of_report, _Dated, _grouped, _Report, _valued_dates
from storage.names.index import reindex_targets
from storage.names.stored import canonical_of, merge_keys, stored_tokens

_CHUNK = 500  # values per IN list, under SQLite's older bound of 999 parameters

# Ids of rows the plan will create are negative until they are written.
_Id = int


@dataclass(frozen=True)
class IndexedTarget:
    """What the name index needs of a target (storage.names.index.reindex_targets)."""

    id: int
    kind: str


@dataclass
class _Drafted:
    """One article's rows, with ids that may still be the plan's own (negative)."""

    article: Article
    ref: _Id
    names: list[tuple[_Id, str, str, str, str]] = field(default_factory=list)  # target, name, origin, key, tokens
    sources: list[tuple[_Id, Event]] = field(default_factory=list)  # action, event
    new_actions: list[_Id] = field(default_factory=list)
    targets: set[_Id] = field(default_factory=set)


class Plan:
    """The store's state around a run of new articles, and their rows to write."""

    def __init__(
        self, session: Session, articles: list[Article], authorities: dict[str, int], dates: dict[int, _Dated]
    ) -> None:
        self.session = session
        self.authorities = authorities  # name -> id, shared by the batch
        # Stored report -> the date it gives: kept while only plans write (they move
        # no stored report); whoever stores an article another way empties it.
        self.dates = dates
        self._next = 0
        self.by_key: dict[tuple[str, str], set[_Id]] = defaultdict(set)  # (merge key, kind) -> targets
        self.kind: dict[_Id, str] = {}
        self.first_name: dict[_Id, str] = {}
        self.names: dict[_Id, list[tuple[str, str, date]]] = defaultdict(list)  # for the canonical name
        self.stored_name: dict[int, str] = {}
        self.reports: dict[tuple[_Id, int, str], list[_Report]] = defaultdict(list)
        self.action_date: dict[_Id, _Dated] = {}
        self.action_key: dict[_Id, tuple[_Id, int, str]] = {}  # of the actions the plan creates
        self.actions_at: set[tuple[_Id, int, str, _Dated]] = set()
        self.drafted: list[_Drafted] = []
        self.loaded_targets: set[int] = set()
        self.loaded_keys: set[tuple[int, int, str]] = set()
        self._load(articles)

    def _new_id(self) -> _Id:
        self._next -= 1
        return self._next

    # --- reading the store once -------------------------------------------------------

    def _load(self, articles: list[Article]) -> None:
        events = [(event, {key for key in merge_keys(event.target.names, event.target.kind).values() if key})
                  for article in articles for event in article.events]
        keys = sorted({key for _, event_keys in events for key in event_keys})
        connection = self.session.connection()  # rows, not ORM objects: read a lot, cheaply
        for start in range(0, len(keys), _CHUNK):
            rows = connection.execute(
                select(TargetName.merge_key, TargetName.target_id, Target.kind)
                .join(Target, Target.id == TargetName.target_id)
                .where(TargetName.merge_key.in_(keys[start:start + _CHUNK]))
            ).all()
            for key, target_id, kind in rows:
                self.by_key[(key, kind)].add(target_id)
        # The (target, authority, action) each event may land on: their reports are read now.
        wanted: set[tuple[int, int, str]] = set()
        for event, event_keys in events:
            authority = self.authorities.get(event.authority.name)
            if authority is not None:
                for key in event_keys:
                    wanted.update((t, authority, event.action) for t in self.by_key.get((key, event.target.kind), ()))
        targets = sorted({t for ids in self.by_key.values() for t in ids})
        self.loaded_targets.update(targets)
        self.loaded_keys.update(wanted)
        for start in range(0, len(targets), _CHUNK):
            chunk = targets[start:start + _CHUNK]
            for target_id, kind, name in connection.execute(
                select(Target.id, Target.kind, Target.name).where(Target.id.in_(chunk))
            ).all():
                self.kind[target_id], self.stored_name[target_id] = kind, name
            for target_id, name, origin, published in connection.execute(
                select(TargetName.target_id, TargetName.name, TargetName.origin, TargetName.published)
                .where(TargetName.target_id.in_(chunk))
            ).all():
                self.names[target_id].append((name, origin, published))
            for action_id, target_id, authority_id, kind, day, precision in connection.execute(
                select(Action.id, Action.target_id, Action.authority_id, Action.kind, Action.day, Action.precision)
                .where(Action.target_id.in_(chunk))
            ).all():
                self.action_date[action_id] = (day, precision)
                self.actions_at.add((target_id, authority_id, kind, (day, precision)))
            self._load_reports(Action.target_id.in_(chunk), wanted)

    def _load_reports(self, where: Any, wanted: set[tuple[int, int, str]]) -> None:
        """Stored reports of the wanted keys with the date each gives, as writer._reports_of reads them."""
        connection = self.session.connection()
        rows = [row for row in connection.execute(
            select(
                ActionSource.id, ActionSource.action_id, ActionSource.article_id, ActionSource.date_text,
                ActionSource.date_from_publication, Action.day, Action.precision, ArticleRow.published,
                Action.target_id, Action.authority_id, Action.kind,
            )
            .join(Action, Action.id == ActionSource.action_id)
            .join(ArticleRow, ArticleRow.id == ActionSource.article_id)
            .where(where)
            .order_by(ActionSource.id)
        ).all() if (row[8], row[9], row[10]) in wanted]
        # Only a report whose date is not known yet may need its article's
        # annotated values: the document is read for those alone (it is large).
        unknown = sorted({row[2] for row in rows if row[0] not in self.dates and row[3] and not row[4]})
        valued: dict[int, dict[str, set[_Dated]]] = {}
        for start in range(0, len(unknown), _CHUNK):
            for article_id, document in connection.execute(
                select(ArticleRow.id, ArticleRow.document).where(
                    ArticleRow.id.in_(unknown[start:start + _CHUNK]), ArticleRow.document.contains('"value"'))
            ).all():
                valued[article_id] = _valued_dates(document or "{}")
        for (source_id, action_id, article_id, words, from_publication, day, precision, published,
             target_id, authority_id, kind) in rows:
            own = self.dates.get(source_id)
            if own is None:
                own = _date_of_report((day, precision), words, from_publication, published,
                                      valued.get(article_id, {}))
                self.dates[source_id] = own
            self.reports[(target_id, authority_id, kind)].append(
                _Report(source_id, action_id, article_id, own, published, bool(from_publication))
            )

    # --- deciding articles in memory ------------------------------------------------------

    def take(self, article: Article) -> bool:
        """Plan a new article as the one-article path would store it; False where that is not certain.

        On False the plan's state is no longer the store's: the caller writes
        what was taken and starts a new plan after the article.
        """
        drafted = _Drafted(article, self._new_id())
        seen_names: set[tuple[_Id, str]] = set()
        seen_keys: set[tuple[_Id, int, str]] = set()
        for event in article.events:
            ref = event.target
            stored_keys = merge_keys(ref.names, ref.kind)
            keys = {key for key in stored_keys.values() if key}
            matches = set().union(*(self.by_key.get((key, ref.kind), set()) for key in keys))
            if len(matches) > 1:
                return False  # two targets to merge
            if matches:
                target = next(iter(matches))
                if target > 0 and target not in self.loaded_targets:
                    return False  # met through a name an article of this plan gave it: not read
            else:
                target = self._new_id()
                self.kind[target], self.first_name[target] = ref.kind, ref.name
            drafted.targets.add(target)
            for key in keys:
                self.by_key[(key, ref.kind)].add(target)
            for name, origin in ref.names:
                if (target, name) in seen_names:
                    continue  # the same name twice in one article: the first origin wins
                seen_names.add((target, name))
                drafted.names.append((target, name, origin, stored_keys[name], stored_tokens(name, ref.kind)))
            authority = self._authority(event)
            key3 = (target, authority, event.action)
            if key3 in seen_keys:
                return False  # two events of one article on one measure: the one-article path decides
            seen_keys.add(key3)
            if target > 0 and key3 not in self.loaded_keys:
                key_target, key_authority, key_kind = key3
                self._load_reports(
                    (Action.target_id == key_target) & (Action.authority_id == key_authority)
                    & (Action.kind == key_kind), {key3})
            action = self._place(key3, event, drafted)
            if action is None:
                return False
            drafted.sources.append((action, event))
        for target, name, origin, _key, _tokens in drafted.names:
            self.names[target].append((name, origin, article.published))
        self.drafted.append(drafted)
        return True

    def _place(self, key3: tuple[_Id, int, str], event: Event, drafted: _Drafted) -> _Id | None:
        """The action the event's report joins (created if need be); None when others would move."""
        own = (event.date.day, event.date.precision)
        report = _Report(self._new_id(), 0, drafted.ref, own, drafted.article.published,
                         event.date.from_publication)
        reports = self.reports[key3]
        groups = _grouped([*reports, report])
        placed: _Id | None = None
        for dated, group in groups.items():
            holders = {r.action_id for r in group if r is not report}
            if len(holders) > 1 or any(self.action_date[h] != dated for h in holders):
                return None  # stored reports would change actions
            if any(r is report for r in group):
                if holders:
                    placed = holders.pop()
                elif (*key3, dated) in self.actions_at:
                    return None
                else:
                    placed = self._new_id()
                    self.action_date[placed] = dated
                    self.action_key[placed] = key3
                    self.actions_at.add((*key3, dated))
                    drafted.new_actions.append(placed)
        assert placed is not None
        reports.append(_Report(report.source_id, placed, drafted.ref, own, report.published,
                               report.from_publication))
        return placed

    def _authority(self, event: Event) -> int:
        name = event.authority.name
        if name not in self.authorities:
            table: Table = Authority.__table__  # type: ignore[assignment]
            module = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
            self.session.execute(
                module.insert(table).values(name=name, jurisdiction=event.authority.jurisdiction)
                .on_conflict_do_nothing()
            )
            self.authorities[name] = self.session.scalar(select(Authority.id).where(Authority.name == name))
        return self.authorities[name]

    # --- writing ------------------------------------------------------------------------

    def write(self) -> list[tuple[Article, int, list[int]]]:
        """Write every taken article; (article, its id, its new actions) for each, in order."""
        if not self.drafted:
            return []
        session = self.session
        ids: dict[_Id, int] = {}
        articles = [d.article for d in self.drafted]
        ids.update(zip((d.ref for d in self.drafted), _insert(session, ArticleRow, [
            {"key": a.key, "content_hash": a.content_hash, "title": a.title, "source": a.source, "url": a.url,
             "published": a.published, "published_text": a.published_text, "text": a.text,
             "document": a.document} for a in articles
        ]), strict=True))
        touched = {t for d in self.drafted for t in d.targets}
        new_targets = sorted((t for t in touched if t < 0), reverse=True)  # in the order they were met
        canonical = {t: canonical_of(self.names[t]) for t in touched}
        ids.update(zip(new_targets, _insert(session, Target, [
            {"kind": self.kind[t], "name": canonical.get(t) or self.first_name[t]} for t in new_targets
        ]), strict=True))
        published = {d.ref: d.article.published for d in self.drafted}
        name_rows = [
            {"target_id": ids.get(t, t), "article_id": ids[d.ref], "name": name, "origin": origin,
             "merge_key": key, "tokens": tokens, "published": published[d.ref]}
            for d in self.drafted for t, name, origin, key, tokens in d.names
        ]
        _insert(session, TargetName, name_rows, returning=False)
        action_rows = []
        new_actions = [action for d in self.drafted for action in d.new_actions]
        for action in new_actions:
            target, authority, kind = self.action_key[action]
            day, precision = self.action_date[action]
            action_rows.append({"target_id": ids.get(target, target), "authority_id": authority, "kind": kind,
                                "day": day, "precision": precision})
        ids.update(zip(new_actions, _insert(session, Action, action_rows), strict=True))
        _insert(session, ActionSource, [
            {"action_id": ids.get(action, action), "article_id": ids[d.ref], "quote": event.quote,
             "date_text": event.date.words, "date_from_publication": event.date.from_publication,
             "role": event.role, "reason": event.reason, "program": event.program,
             "authority_text": event.authority_text[:300]}
            for d in self.drafted for action, event in d.sources
        ], returning=False)
        renamed = [{"target": t, "new_name": canonical[t]} for t in canonical
                   if t > 0 and canonical[t] and canonical[t] != self.stored_name.get(t)]
        if renamed:
            table = Target.__table__
            session.execute(
                update(table).where(table.c.id == bindparam("target")).values(name=bindparam("new_name")), renamed
            )
        reindex_targets(session, [IndexedTarget(ids.get(t, t), self.kind[t]) for t in sorted(touched)])  # type: ignore[misc]
        return [(d.article, ids[d.ref], [ids[a] for a in d.new_actions]) for d in self.drafted]


def _insert(session: Session, model: type, rows: list[dict], returning: bool = True) -> list[int]:
    """Insert rows with one statement and many parameter sets; their new ids, in the order given.

    Ids are taken first and written with the rows: SQLite's driver would
    otherwise insert one row at a time to hand each id back in order. On
    SQLite the batch's transaction holds the only write lock, so the next ids
    are the highest one's successors; on PostgreSQL they come from the table's
    sequence, as the row's default would take them.
    """
    if not rows:
        return []
    table: Table = model.__table__  # type: ignore[attr-defined]
    if returning:
        ids = _next_ids(session, table, len(rows))
        rows = [{**row, "id": new_id} for row, new_id in zip(rows, ids, strict=True)]
    session.execute(insert(table), rows)
    return ids if returning else []


def _next_ids(session: Session, table: Table, count: int) -> list[int]:
    if session.get_bind().dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(table.name, "id")
        return list(session.scalars(select(func.nextval(sequence)).select_from(func.generate_series(1, count))))
    highest = session.scalar(select(func.max(table.c.id))) or 0
    return list(range(highest + 1, highest + 1 + count))
