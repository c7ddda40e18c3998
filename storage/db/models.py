"""The tables of the store (SQLAlchemy 2 typed ORM).

Facts live on action sources, one per (action, article), so that replacing
or withdrawing an article removes exactly what it said, and an action stays
as long as one article still reports it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


# The key of every item added in Slack starts so: its text is the desk's
# summary of the form, not words of a source (storage.ingest.manual writes it).
SLACK_ITEM_PREFIX = "slack-"


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The producer's id, or "sha256:<hash of text>" when it gave none.
    key: Mapped[str] = mapped_column(String(300), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date] = mapped_column(Date)
    published_text: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    # The whole article as read, so that export can write it back.
    document: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    sources: Mapped[list[ActionSource]] = relationship(back_populates="article")


class Target(Base):
    """A sanctioned person or organisation, with every name it is known by."""

    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # person | organization
    name: Mapped[str] = mapped_column(String(300))

    names: Mapped[list[TargetName]] = relationship(
        back_populates="target", cascade="all, delete-orphan"
    )
    actions: Mapped[list[Action]] = relationship(back_populates="target")


class TargetName(Base):
    """One name of a target, from one article (or from Slack)."""

    __tablename__ = "target_names"
    __table_args__ = (
        UniqueConstraint("target_id", "article_id", "name", name="uq_target_name_article"),
        Index("ix_target_names_merge_key", "merge_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    # value: the annotator's canonical name; mention: the span as written;
    # alias: another spelling or script the annotator recorded.
    origin: Mapped[str] = mapped_column(String(10))
    merge_key: Mapped[str] = mapped_column(String(300))
    # The folded tokens in order ("wang junzheng"), so answers never re-fold.
    tokens: Mapped[str] = mapped_column(String(300), default="")
    # Earliest publication of the article that gave this name: the canonical
    # name is chosen by it, never by the order of ingest.
    published: Mapped[date] = mapped_column(Date)

    target: Mapped[Target] = relationship(back_populates="names")


class NameToken(Base):
    """The vocabulary of name tokens: one row per distinct folded token."""

    __tablename__ = "name_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(100), unique=True)
    # A transliteration-insensitive form (Aleksandr, Alexander -> alexandr).
    skeleton: Mapped[str] = mapped_column(String(100), index=True)
    # How many targets have the token: retrieval starts from the rarest.
    df: Mapped[int] = mapped_column(Integer, default=0)


class NameTokenKey(Base):
    """Lookup keys of a token: itself and its one-letter deletions, for typos."""

    __tablename__ = "name_token_keys"
    __table_args__ = (
        UniqueConstraint("key", "token_id", name="uq_name_token_key"),
    )

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    token_id: Mapped[int] = mapped_column(
        ForeignKey("name_tokens.id", ondelete="CASCADE"), primary_key=True
    )


class TargetToken(Base):
    """Postings: which target has which token, for candidate retrieval."""

    __tablename__ = "target_tokens"
    __table_args__ = (Index("ix_target_tokens_target", "target_id"),)

    token_id: Mapped[int] = mapped_column(
        ForeignKey("name_tokens.id", ondelete="CASCADE"), primary_key=True
    )
    target_id: Mapped[int] = mapped_column(
        ForeignKey("targets.id", ondelete="CASCADE"), primary_key=True
    )


class Authority(Base):
    __tablename__ = "authorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    jurisdiction: Mapped[str | None] = mapped_column(String(10), index=True)


class Action(Base):
    """One measure: a target, an authority, imposed/lifted/extended, a day."""

    __tablename__ = "actions"
    __table_args__ = (
        UniqueConstraint(
            "target_id", "authority_id", "kind", "day", "precision", name="uq_action"
        ),
        Index("ix_actions_day", "day"),
        Index("ix_actions_authority_day", "authority_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"))
    kind: Mapped[str] = mapped_column(String(10))  # imposed | lifted | extended
    day: Mapped[date] = mapped_column(Date)
    precision: Mapped[str] = mapped_column(String(10))  # day | week | month | year
    # When the store first learnt of it: what "new" means for channels.
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )

    target: Mapped[Target] = relationship(back_populates="actions")
    authority: Mapped[Authority] = relationship()
    sources: Mapped[list[ActionSource]] = relationship(
        back_populates="action", cascade="all, delete-orphan"
    )


class ActionSource(Base):
    """What one article says of one action, in its own words."""

    __tablename__ = "action_sources"
    __table_args__ = (UniqueConstraint("action_id", "article_id", name="uq_action_source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    quote: Mapped[str] = mapped_column(Text)
    date_text: Mapped[str | None] = mapped_column(String(200))
    date_from_publication: Mapped[bool] = mapped_column(Boolean, default=False)
    role: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    program: Mapped[str | None] = mapped_column(Text)
    authority_text: Mapped[str] = mapped_column(String(300))

    action: Mapped[Action] = relationship(back_populates="sources")
    article: Mapped[Article] = relationship(back_populates="sources")


class StoreState(Base):
    """One row: a number every change of facts increments, so processes can
    keep answers in memory and know when they went stale."""

    __tablename__ = "store_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)


class Subscription(Base):
    """A channel's wish: every new item (`new`) or a daily digest (`digest`)."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", "kind", name="uq_subscription"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(30))
    channel_id: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(10))  # new | digest
    digest_time: Mapped[str | None] = mapped_column(String(5))  # HH:MM local
    timezone: Mapped[str | None] = mapped_column(String(64))
    quiet_when_empty: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Delivery(Base):
    """The outbox: one row per (channel, action) to post exactly once."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", "action_id", name="uq_delivery"),
        Index("ix_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(30))
    channel_id: Mapped[str] = mapped_column(String(30))
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending|claimed|posted|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    posted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    message_ts: Mapped[str | None] = mapped_column(String(30))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DigestRun(Base):
    """One digest per channel and local day, claimed before it is posted."""

    __tablename__ = "digest_runs"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", "local_day", name="uq_digest_run"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(30))
    channel_id: Mapped[str] = mapped_column(String(30))
    local_day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="claimed")  # claimed|posted
    covers_from: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    covers_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    posted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    message_ts: Mapped[str | None] = mapped_column(String(30))


# --- the official sanctions lists (storage.lists) ---------------------------


class ListSnapshot(Base):
    """One import of one list from one source: a whole copy of the list as of a day.

    Source is "opensanctions" (an FtM export) or "publisher" (the authority's
    own file): each has its own run of snapshots, so importing one never
    delists what the other holds.
    """

    __tablename__ = "list_snapshots"
    __table_args__ = (Index("ix_list_snapshots_list_source", "list_id", "source", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[str] = mapped_column(String(60))
    source: Mapped[str] = mapped_column(String(20))  # opensanctions | publisher
    format: Mapped[str] = mapped_column(String(20))
    origin: Mapped[str] = mapped_column(Text)  # the file's name or the address it came from
    file_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    entries_hash: Mapped[str] = mapped_column(String(64))
    published: Mapped[date | None] = mapped_column(Date)  # the file's own date, where it gives one
    as_of: Mapped[date] = mapped_column(Date)  # the snapshot's date: published, else --as-of, else the day of import
    entry_count: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Part of a list (an excerpt): it lists what it holds, and its silence delists nobody.
    partial: Mapped[bool] = mapped_column(Boolean, default=False)


class ListEntryRow(Base):
    """A designation on one list, whatever source last described it, with its link to a target.

    The link runs through the entry's own name row (`name_id`), not the target:
    ingest merges targets by moving their names, so the entry follows its
    person into any merge without ingest knowing about lists.
    """

    __tablename__ = "list_entries"
    __table_args__ = (
        UniqueConstraint("list_id", "entry_id", name="uq_list_entry"),
        # OpenSanctions gives a person one id on every list: found across lists by it.
        Index("ix_list_entries_entry_id", "entry_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[str] = mapped_column(String(60))
    entry_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # person | organization | vessel | aircraft
    name: Mapped[str] = mapped_column(Text)
    # JSON arrays of strings: every other name (all scripts), OFAC weak a.k.a.s, programmes, ...
    aliases: Mapped[str] = mapped_column(Text, default="[]")
    weak_aliases: Mapped[str] = mapped_column(Text, default="[]")
    programs: Mapped[str] = mapped_column(Text, default="[]")
    birth_dates: Mapped[str] = mapped_column(Text, default="[]")
    nationalities: Mapped[str] = mapped_column(Text, default="[]")
    listed_on: Mapped[date | None] = mapped_column(Date)  # the list's own date only, never guessed
    first_seen: Mapped[date] = mapped_column(Date)  # the earliest snapshot that held it
    delisted_on: Mapped[date | None] = mapped_column(Date)  # the snapshot that no source held it in
    ended_on: Mapped[date | None] = mapped_column(Date)  # where the file itself says it ended (FtM endDate)
    url: Mapped[str | None] = mapped_column(Text)
    authority: Mapped[str | None] = mapped_column(String(300))
    # A hash of what the file says of the entry: an unchanged entry is not rewritten.
    fingerprint: Mapped[str] = mapped_column(String(40))
    name_id: Mapped[int | None] = mapped_column(
        ForeignKey("target_names.id", ondelete="SET NULL"), index=True
    )


class ListPresence(Base):
    """A period an entry was held by one source of its list: from one snapshot until another dropped it."""

    __tablename__ = "list_presence"
    __table_args__ = (Index("ix_list_presence_entry", "entry_pk", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_pk: Mapped[int] = mapped_column(ForeignKey("list_entries.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(20))
    from_day: Mapped[date] = mapped_column(Date)
    until_day: Mapped[date | None] = mapped_column(Date)  # None while the source still holds it


class ListChange(Base):
    """What one snapshot changed on its list: an entry added, delisted or listed again."""

    __tablename__ = "list_changes"
    __table_args__ = (Index("ix_list_changes_list_day", "list_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("list_snapshots.id", ondelete="CASCADE"), index=True)
    list_id: Mapped[str] = mapped_column(String(60))
    entry_id: Mapped[str] = mapped_column(String(200))
    change: Mapped[str] = mapped_column(String(10))  # added | delisted | relisted
    name: Mapped[str] = mapped_column(Text)
    programs: Mapped[str] = mapped_column(Text, default="[]")
    day: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
