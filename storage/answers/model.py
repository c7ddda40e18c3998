"""What a question to the store returns.

Plain dataclasses so that the Slack side, the terminal and JSON consumers all
render the same facts; nothing here knows about SQL or Slack.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from storage.dates import Precision
from storage.lists.listings import Listing
from storage.names.scoring import FeatureHit

QuestionKind = Literal["name", "authority", "date", "recent"]
ActionKind = Literal["imposed", "lifted", "extended"]
TargetType = Literal["person", "organization"]
FlagKind = Literal["dates_disagree", "not_on_list", "delisting_unreported"]


@dataclass(frozen=True)
class Source:
    """One article that reports an action, with the sentence that says so."""

    title: str | None
    source: str | None
    url: str | None
    published: str  # ISO date of publication
    quote: str
    # An item an editor added in Slack: `quote` is the desk's summary of the
    # fields they filled in, not words of the source, and must not be shown as such.
    added_in_slack: bool = False
    # What this report itself says, for telling its action from others (storage.answers.disagreements).
    article_id: int | None = None
    date_text: str | None = None
    program: str | None = None
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The source object of DESIGN.md §2, exactly."""
        return {"title": self.title, "source": self.source, "url": self.url, "published": self.published,
                "quote": self.quote}


@dataclass(frozen=True)
class ActionFact:
    """One measure against one target, as precise as its source allows."""

    target: str
    action: ActionKind
    authority: str
    jurisdiction: str | None
    date: str  # ISO day; the first day of the week/month/year when less precise
    precision: Precision
    date_text: str | None  # the article's own words, or None when the date was
    # the publication date because the article gave none
    reason: str | None
    program: str | None
    role: str | None
    sources: list[Source] = field(default_factory=list)
    date_from_publication: bool = False
    action_id: int | None = None
    # Every distinct role its reports give, the earliest report's first (that is `role`).
    roles: list[str] = field(default_factory=list)
    # The sentence of a disagreement this action is part of (its flag's text), so that
    # every place that shows the action can say its date is disputed.
    disputed: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The ACTION object of DESIGN.md §2, exactly."""
        return {
            "target": self.target,
            "action": self.action,
            "authority": self.authority,
            "jurisdiction": self.jurisdiction,
            "date": self.date,
            "precision": self.precision,
            "date_text": self.date_text,
            "reason": self.reason,
            "program": self.program,
            "sources": [s.to_json() for s in self.sources],
        }


@dataclass(frozen=True)
class Flag:
    """Where sources disagree about a target: what a reader must not miss, in one sentence."""

    kind: FlagKind
    jurisdiction: str | None
    dates: list[str]
    text: str
    action_ids: tuple[int, ...] = ()  # the actions it is about
    suspect_action_ids: tuple[int, ...] = ()  # those most likely misdated

    def to_json(self) -> dict[str, Any]:
        """The FLAG object of DESIGN.md §2, exactly."""
        return {"kind": self.kind, "jurisdiction": self.jurisdiction, "dates": list(self.dates), "text": self.text}


def listing_json(listing: Listing) -> dict[str, Any]:
    """The LISTING object of DESIGN.md §2, exactly."""
    return {
        "list": listing.list,
        "list_name": listing.list_name,
        "jurisdiction": listing.jurisdiction,
        "entry_id": listing.entry_id,
        "name": listing.name,
        "programs": list(listing.programs),
        "listed_on": listing.listed_on.isoformat() if listing.listed_on else None,
        "first_seen": listing.first_seen.isoformat(),
        "delisted_on": listing.delisted_on.isoformat() if listing.delisted_on else None,
        "as_of": listing.as_of.isoformat(),
        "url": listing.url,
    }


@dataclass(frozen=True)
class TargetMatch:
    """A person or organisation that fits a name query."""

    name: str
    type: TargetType
    score: float
    aliases: list[str]
    roles: list[str]
    actions: list[ActionFact]
    explanation: list[FeatureHit] = field(default_factory=list)
    target_id: int | None = None
    flags: list[Flag] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)  # the official lists' word, beside the press

    def to_json(self, explain: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "score": round(self.score, 3),
            "aliases": list(self.aliases),
            "roles": list(self.roles),
            "actions": [a.to_json() for a in self.actions],
            "listings": [listing_json(listing) for listing in self.listings],
            "flags": [flag.to_json() for flag in self.flags],
        }
        if explain:
            data["explanation"] = [asdict(hit) for hit in self.explanation]
        return data


@dataclass(frozen=True)
class Answer:
    """Everything the store says about one question."""

    query: str
    kind: QuestionKind
    best: str | None
    matches: list[TargetMatch]
    actions: list[ActionFact]
    # Human-readable description of the question as understood, e.g.
    # "actions by the Council of the European Union since March 2021".
    description: str = ""
    total_actions: int | None = None  # before paging; None when not paged
    offset: int = 0
    total_is_capped: bool = False  # there are more than total_actions: show "1,000+"
    # A name answer lists at most MAX_MATCHES; True when more fit, so it must not say "fits N".
    more_matches: bool = False
    # For a name that names nobody but reads as a list question ("ofac", "march 2022"): that question.
    suggestion: str | None = None
    # For a name that fits nobody: names that fit all but one of its words, that one alike.
    close_names: list[str] = field(default_factory=list)

    @property
    def total_label(self) -> str:
        total = self.total_actions if self.total_actions is not None else len(self.actions)
        return f"{total:,}+" if self.total_is_capped else f"{total:,}"

    @property
    def found_nothing(self) -> bool:
        return not self.matches and not self.actions

    @property
    def next_offset(self) -> int | None:
        """Where a list's next page starts; None on the last page and for name answers."""
        if self.kind == "name":
            return None
        end = self.offset + len(self.actions)
        total = self.total_actions if self.total_actions is not None else len(self.actions)
        return end if end < total else None

    def to_json(self, explain: bool = False) -> dict[str, Any]:
        """The object of DESIGN.md §2, exactly (plus scorer features if asked)."""
        data: dict[str, Any] = {
            "query": self.query,
            "kind": self.kind,
            "best": self.best,
            "matches": [m.to_json(explain) for m in self.matches],
            "actions": [a.to_json() for a in self.actions],
        }
        if self.kind != "name":  # lists are paged: all that fit, and where the next page starts
            data["total"] = self.total_actions if self.total_actions is not None else len(self.actions)
            data["next_offset"] = self.next_offset
        return data
