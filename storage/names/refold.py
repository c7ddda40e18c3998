"""Stored names re-folded by this release, as a fresh ingest of them would store them.

Each name keeps the tokens and merge key of the release that stored it, and
the name index was built from them. When folding changes (a title such as
"Senior General", a legal form, a possessive), names stored before would
neither merge with new articles nor read as queries now fold. `refold_names`
rewrites only what differs: the names' tokens and merge keys, the postings and
token counts of targets whose tokens changed (through `name_index`, as ingest
does), canonical names, and vocabulary tokens that no target has any more.

Re-folding may give two targets one merge key ("Senior General Min Aung
Hlaing" and "Min Aung Hlaing", stored apart before). It does not merge their
facts behind the desk's back: both are kept and each pair is logged as a
warning for an editor to check, before the next article naming them merges
them as ingest merges any two targets with one full name.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Row, delete, exists, select, text, update
from sqlalchemy.orm import Session

from storage.db.generation import bump_generation
from storage.db.models import NameToken, NameTokenKey, Target, TargetName, TargetToken
from storage.db.writer_lock import one_writer_at_a_time
from storage.names.index import reindex_targets
from storage.names.stored import canonical_of, merge_keys, stored_tokens

log = logging.getLogger(__name__)

# Targets read and rewritten per round; also the most ids in one IN list, well
# under SQLite's 999 bound parameters of older builds.
BATCH = 500
# An index for as long as tokens are dropped (see _prune).
_INDEX_KEYS_BY_TOKEN = text("CREATE INDEX IF NOT EXISTS ix_refold_keys_by_token ON name_token_keys (token_id)")
_DROP_KEYS_BY_TOKEN = text("DROP INDEX ix_refold_keys_by_token")


@dataclass(frozen=True)
class SharedKey:
    """Two targets of one kind that re-folding gave one merge key; both kept."""

    kind: str
    key: str
    kept: tuple[int, str]  # (id, name): the target ingest would merge the other into
    other: tuple[int, str]

    def line(self) -> str:
        return (
            f"{self.kind} targets {self.kept[0]} ({self.kept[1]!r}) and {self.other[0]} ({self.other[1]!r}) "
            f"now share the merge key {self.key!r}: both kept; the next article naming them merges them "
            f"into {self.kept[0]}, so check they are one"
        )


@dataclass(frozen=True)
class _Rekeyed:
    """A name given a new merge key."""

    kind: str
    key: str
    old_key: str


@dataclass
class RefoldReport:
    names: int = 0  # names whose tokens or merge key changed
    reindexed: int = 0  # targets whose postings were rebuilt
    renamed: int = 0  # targets whose canonical name changed
    pruned: int = 0  # vocabulary tokens no target has any more
    shared: list[SharedKey] = field(default_factory=list)


def refold_names(session: Session, batch: int = BATCH) -> RefoldReport:
    """Re-fold every stored name inside the session's transaction."""
    one_writer_at_a_time(session)
    # A write first: on SQLite the transaction, and its lock, then spans the reads too.
    # It also tells other processes that their kept answers are stale.
    bump_generation(session)
    report = RefoldReport()
    rekeyed: dict[int, _Rekeyed] = {}
    emptied: set[int] = set()
    for targets, names in _batches(session, batch):
        rekeyed.update(_refold_batch(session, targets, names, report, emptied))
    report.shared = _shared_keys(session, rekeyed)
    report.pruned = _prune(session, emptied)  # last: see _prune
    for pair in report.shared:
        log.warning("%s", pair.line())
    log.info(
        "re-folded %d names; postings rebuilt for %d targets, %d renamed, %d tokens dropped",
        report.names, report.reindexed, report.renamed, report.pruned,
    )
    return report


def _batches(session: Session, size: int) -> Iterator[tuple[Sequence[Row], Sequence[Row]]]:
    """Targets in id order, `size` at a time, with all their names.

    Columns are named one by one: the code of a later release may run this on
    a store whose tables are still those of revision 0001.
    """
    last = 0
    while True:
        targets = session.execute(
            select(Target.id, Target.kind, Target.name).where(Target.id > last).order_by(Target.id).limit(size)
        ).all()
        if not targets:
            return
        first, last = targets[0].id, targets[-1].id
        names = session.execute(
            select(
                TargetName.id, TargetName.target_id, TargetName.article_id, TargetName.name,
                TargetName.origin, TargetName.published, TargetName.tokens, TargetName.merge_key,
            ).where(TargetName.target_id.between(first, last))
        ).all()
        yield targets, names


def _refold_batch(
    session: Session, targets: Sequence[Row], names: Sequence[Row], report: RefoldReport, emptied: set[int]
) -> dict[int, _Rekeyed]:
    """Rewrite what changed for these targets; the names given a new merge key, by id."""
    by_target: dict[int, list[Row]] = defaultdict(list)
    for row in names:
        by_target[row.target_id].append(row)
    changed_names: list[dict] = []
    renamed: list[dict] = []
    reindex: list[Row] = []
    rekeyed: dict[int, _Rekeyed] = {}
    for target in targets:
        rows = by_target.get(target.id, [])
        tokens_changed = False
        for row, tokens, key in _refolded(rows, target.kind):
            if (tokens, key) != (row.tokens, row.merge_key):
                changed_names.append({"id": row.id, "tokens": tokens, "merge_key": key})
                tokens_changed |= tokens != row.tokens
                if key and key != row.merge_key:
                    rekeyed[row.id] = _Rekeyed(target.kind, key, row.merge_key)
        if tokens_changed:
            reindex.append(target)
        canonical = canonical_of((row.name, row.origin, row.published) for row in rows)
        if canonical is not None and canonical != target.name:
            renamed.append({"id": target.id, "name": canonical})
    if changed_names:
        session.execute(update(TargetName), changed_names)
    if renamed:
        session.execute(update(Target), renamed)
    if reindex:
        ids = [target.id for target in reindex]
        emptied.update(session.scalars(select(TargetToken.token_id).where(TargetToken.target_id.in_(ids))))
        # Transient Targets: reindex_targets reads their id and kind only.
        reindex_targets(session, [Target(id=target.id, kind=target.kind) for target in reindex])
    report.names += len(changed_names)
    report.renamed += len(renamed)
    report.reindexed += len(reindex)
    return rekeyed


def _refolded(rows: list[Row], kind: str) -> Iterator[tuple[Row, str, str]]:
    """Each name with the tokens and merge key ingest would store for it now.

    Merge keys are judged per article, as ingest judges each target of an
    article, with all the names that article gave the target.
    """
    by_article: dict[int | None, list[Row]] = defaultdict(list)
    for row in rows:
        by_article[row.article_id].append(row)
    for group in by_article.values():
        keys = merge_keys([(row.name, row.origin) for row in group], kind)
        for row in group:
            yield row, stored_tokens(row.name, kind), keys[row.name]


def _prune(session: Session, candidates: set[int]) -> int:
    """Drop tokens that re-folding left to no target (a fresh ingest would not have them)."""
    unused: list[int] = []
    ordered = sorted(candidates)
    for start in range(0, len(ordered), BATCH):
        unused.extend(
            session.scalars(
                select(NameToken.id).where(
                    NameToken.id.in_(ordered[start: start + BATCH]),
                    NameToken.df == 0,
                    ~exists().where(TargetToken.token_id == NameToken.id),
                )
            )
        )
    if not unused:
        return 0
    # name_token_keys is indexed by key only: without this index each token
    # deleted costs a scan of every key (a minute for 500 tokens of a large
    # vocabulary). Dropping it locks the table against name searches on
    # PostgreSQL until the transaction ends, so this runs last.
    session.execute(_INDEX_KEYS_BY_TOKEN)
    for start in range(0, len(unused), BATCH):
        chunk = unused[start: start + BATCH]
        session.execute(delete(NameTokenKey).where(NameTokenKey.token_id.in_(chunk)))
        session.execute(delete(NameToken).where(NameToken.id.in_(chunk)))
    session.execute(_DROP_KEYS_BY_TOKEN)
    return len(unused)


def _shared_keys(session: Session, rekeyed: dict[int, _Rekeyed]) -> list[SharedKey]:
    """Pairs of targets of one kind that the new merge keys gave a key in common.

    Each pair names the target ingest would merge the other into (the older);
    targets that already shared a key before are not reported.
    """
    written = {(name.kind, name.key) for name in rekeyed.values()}
    holders: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    keys = sorted({key for _, key in written})
    for start in range(0, len(keys), BATCH):
        rows = session.execute(
            select(TargetName.merge_key, Target.kind, Target.id, Target.name)
            .join(Target, Target.id == TargetName.target_id)
            .where(TargetName.merge_key.in_(keys[start: start + BATCH]))
        ).all()
        for key, kind, target_id, name in rows:
            if (kind, key) in written:
                holders[(kind, key)][target_id] = name
    pairs: list[SharedKey] = []
    for (kind, key), targets in sorted(holders.items()):
        kept, *others = sorted(targets)
        pairs.extend(SharedKey(kind, key, (kept, targets[kept]), (other, targets[other])) for other in others)
    old_keys = _keys_before(session, rekeyed, {target for pair in pairs for target in (pair.kept[0], pair.other[0])})
    new_pairs: dict[tuple[int, int], SharedKey] = {}
    for pair in pairs:
        if not old_keys[pair.kept[0]] & old_keys[pair.other[0]]:
            new_pairs.setdefault((pair.kept[0], pair.other[0]), pair)
    return list(new_pairs.values())


def _keys_before(session: Session, rekeyed: dict[int, _Rekeyed], target_ids: set[int]) -> dict[int, set[str]]:
    """The merge keys each target's names had before the re-fold."""
    keys: dict[int, set[str]] = defaultdict(set)
    ordered = sorted(target_ids)
    for start in range(0, len(ordered), BATCH):
        for name_id, target_id, key in session.execute(
            select(TargetName.id, TargetName.target_id, TargetName.merge_key).where(
                TargetName.target_id.in_(ordered[start: start + BATCH])
            )
        ):
            old = rekeyed[name_id].old_key if name_id in rekeyed else key
            if old:
                keys[target_id].add(old)
    return keys
