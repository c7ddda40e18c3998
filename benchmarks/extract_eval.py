"""Event precision and recall of the extractor on our own evaluation articles.

    .venv/bin/python benchmarks/extract_eval.py [--verbose] [DIR]

Each `NN-name.txt` in tests/fixtures/extract_eval/ is a raw article we wrote
about a real sanctions event; `NN-name.expected.json` beside it lists the
events a careful annotator would mark: target (with accepted other spellings),
authority jurisdiction, date at its precision, action; `published` when the
article has no dateline line; `held_out` for the articles kept aside while the
rules were written (`written_after_rules` for those written once the rules
existed, `blind`, `fresh` and `rework` for the later batches of GROUPS). The drafted
document goes through ingest's validation, and an event counts as right when
target, jurisdiction and date (day, month or year, as precise as the article
is) all match an expected one. The action
(imposed / lifted) is reported separately. A last line scores the bundled
storage/samples articles against a teammate's annotations of them.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from storage.articles import Rejection, validate  # noqa: E402
from storage.articles.model import Origin, RawArticle  # noqa: E402
from storage.extract import extract  # noqa: E402
from storage.names.folding import merge_key  # noqa: E402

EVAL_DIR = REPO / "tests" / "fixtures" / "extract_eval"
SAMPLES_DIR = REPO / "storage" / "samples"

# The batches of evaluation articles, in the order they were written. A batch's first run, before
# anyone looked at its misses, is the honest measure of how the rules generalise; once its misses
# have been read (and rules fixed from them) it measures little more than the development set.
GROUPS = {
    "development": "01-41 less the others: written with the rules, and used to tune them",
    "held-out": "07 14 19 25 29 31 35: written with the development articles, kept aside while tuning",
    "late": "36-41: written after the rules were frozen; first run precision 0.70, recall 0.54",
    "blind": "42-53: written before any rule was changed for them; first run 0.846 / 0.750",
    "fresh": "54-59: written after the changes that the blind batch informed; first run 0.769 / 0.625",
    "rework": "60-73: written after the rules were generalised (issue 7 rework); first run 0.765 / 0.456",
    "confirm": "74-84: written after the rework batch's misses were fixed; first run 0.875 / 0.677",
    "final": "85-94: written after the confirm batch's misses were fixed; first run 1.000 / 0.906",
}
# First runs, kept so that later scores stay comparable:
# - blind (42-53), with the rules of commit 0d1c2f1: precision 0.846 (33/39), recall 0.750 (33/44).
#   With the rules the extractor's notes asked for (references such as "both men", lists that resume
#   after a reason, nationalities in organisation names, "11 Americans"), before reading its misses:
#   precision 0.872 (34/39), recall 0.773 (34/44) (the one more right, "her brother Jorge Rodríguez",
#   because "her" before a name is no longer read as "him/her"). Its misses were then read and fixed where a rule
#   could be general ("In July,", "Among them were", "Iraq-based", "who was himself sanctioned",
#   "officers Magnitsky had accused", "adviser to her husband, President X"): not blind any more.
# - fresh (54-59), written after all that: precision 0.769 (10/13), recall 0.625 (10/16), exactly
#   what the rules of 0d1c2f1 score on it. Fixed from it, with a second instance in blind for the
#   first: a date set off after the list (", in February."), "put X under sanctions", "and" inside a
#   relative clause ("who directs the Organisation and Guidance Department").
# - rework (60-73), written (text and expected events) after the rules were generalised from constructions
#   rather than from articles (anaphoric authorities, colon lists, states "since", relative clauses...),
#   then run once: precision 0.765 (26/34), recall 0.456 (26/57). Fourteen articles, ten jurisdictions
#   (AU, CA, CH, CN, EU, GB, JP, RU, UN, US), one lifting: what the rules as first generalised score on
#   articles nobody had seen. Its misses were then read and fixed with general rules: a decision verb further back
#   ("voted unanimously on Saturday to impose", "directed his administration to impose"), a day between the
#   measures and their object ("imposed sanctions on Friday on"), "him" / "he" in a sentence that names
#   nobody (the target the sentence before named; never a speaker), titles written with "of" ("Secretary
#   of State X"), "the foreign ministry" after "China", a relative clause inside a list ("on X, which
#   ..., and on Y"), "were sanctioned, along with Z", "designated X a terrorist", "froze any assets that
#   X may hold", numbers inside names ("Nord Stream 2 AG"): 1.000 / 0.912 after that, not blind any more.
# - confirm (74-84), written after those fixes to measure them, then run once: precision 0.875 (21/24),
#   recall 0.677 (21/31). Eleven articles (AU, CA, CH, CN, EU, GB, RU, UN, US), one lifting, distractors
#   (Everton's owner, a patriarch the EU dropped, ministers speaking). The rules as they stood after the
#   rework batch generalise to about this: precision near 0.9, recall near 0.7, below the goal of 0.8.
#   Fixed from it, with general rules: "U.S." among the words before the measures ("lifting U.S.
#   sanctions on"), "said on Wednesday that ... would face" as an announcement however long the subject,
#   "assets held in Switzerland by", "the foreign ministry" as the authority that acted last, "listed X as
#   a terrorist entity" as sanctions talk, "on X over Y, and on Z", and "executives of Turkey's state oil
#   company, TPAO" (the name of the company, not a target): 1.000 / 1.000 after that, not blind any more.
# - final (85-94), written after those fixes, then run once: precision 1.000 (29/29), recall 0.906
#   (29/32). Ten articles (AU, CA, CH, CN, EU, GB, UN, US; three with several authorities), distractors
#   quoted and mentioned. The three misses: a body written in lower case ("Iran's morality police"), "placed
#   X under a travel ban", "froze funds linked to X". The last two were then fixed (with "within" ending a
#   name's phrase: "Egypt's Hosni Mubarak within hours"); the first is left: a name in lower case cannot
#   be told from a common noun ("Russia's central bank") without a lexicon, and merging by it would be wrong.
# The three first runs in a row (0.765 / 0.456, 0.875 / 0.677, 1.000 / 0.906) are the honest trend; each was
# written by whoever had just changed the rules, so a batch written by someone else may score lower.


@dataclass(frozen=True)
class Event:
    target: str
    jurisdiction: str
    date: str
    precision: str
    action: str


@dataclass
class Score:
    expected: int = 0
    drafted: int = 0
    right: int = 0
    right_action: int = 0
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.drafted if self.drafted else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0

    def add(self, other: Score) -> None:
        self.expected += other.expected
        self.drafted += other.drafted
        self.right += other.right
        self.right_action += other.right_action
        self.misses += other.misses
        self.wrong += other.wrong


def _judged(event) -> Event:  # type: ignore[no-untyped-def]
    """What counts in an event: target, jurisdiction, and the date at its precision."""
    return Event(
        event.target.name,
        event.authority.jurisdiction or event.authority.name,
        _at_precision(event.date.iso(), event.date.precision),
        event.date.precision,
        event.action,
    )


def drafted_events(text: str, published: str | None, name: str) -> list[Event]:
    """The extractor's events for one article, as ingest would store them."""
    document = extract(text, published=published, meta={"id": name})
    article = validate(RawArticle(Origin(name), document))
    if isinstance(article, Rejection):
        raise AssertionError(f"the draft of {name} does not validate: {article.message()}")
    events = {
        _judged(e)
        for e in article.events
    }
    return sorted(events, key=lambda e: (e.target, e.jurisdiction, e.date))


def _at_precision(iso: str, precision: str) -> str:
    """2019-06-01 at month precision is 2019-06, as the sidecars write it."""
    return {"month": iso[:7], "year": iso[:4]}.get(precision, iso)


def score_article(path: Path) -> tuple[Score, str]:
    expected_file = path.with_suffix(".expected.json")
    spec = json.loads(expected_file.read_text(encoding="utf-8"))
    drafted = drafted_events(path.read_text(encoding="utf-8"), spec.get("published"), path.name)
    return _tally(path.name, drafted, list(spec["events"])), _group(spec)


def _tally(name: str, drafted: list[Event], expected: list[dict]) -> Score:
    """Each drafted event matched to at most one expected event; the rest are wrong or missed."""
    open_expected = list(expected)
    score = Score(expected=len(open_expected), drafted=len(drafted))
    for event in drafted:
        match = next((wanted for wanted in open_expected if _same(event, wanted)), None)
        if match is None:
            score.wrong.append(f"{name}: {event.target} / {event.jurisdiction} / {event.date} ({event.precision})")
            continue
        open_expected.remove(match)
        score.right += 1
        score.right_action += match.get("action", "imposed") == event.action
    score.misses += [f"{name}: {w['target']} / {w['jurisdiction']} / {w['date']}" for w in open_expected]
    return score


_GROUP_FLAGS = (
    ("final", "final"), ("confirm", "confirm"), ("rework", "rework"), ("fresh", "fresh"), ("blind", "blind"),
    ("written_after_rules", "late"), ("held_out", "held-out"),
)


def _group(spec: dict) -> str:
    """The batch of an article, from the flags of its sidecar (a later batch's flag wins)."""
    return next((group for flag, group in _GROUP_FLAGS if spec.get(flag)), "development")


def _same(event: Event, wanted: dict) -> bool:
    names = {merge_key(wanted["target"])} | {merge_key(alias) for alias in wanted.get("aliases", [])}
    return (
        merge_key(event.target) in names
        and event.jurisdiction == wanted["jurisdiction"]
        and event.date == wanted["date"]
        and event.precision == wanted["precision"]
    )


def score_annotated(path: Path) -> Score:
    """The extractor against an article someone else annotated (storage/samples)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    annotated = validate(RawArticle(Origin(str(path)), document))
    if isinstance(annotated, Rejection):
        raise AssertionError(annotated.message())
    expected = {
        (
            _judged(e),
            tuple(name for name, _ in e.target.names),
        )
        for e in annotated.events
    }
    drafted = drafted_events(document["text"], document["published"], path.name)
    wanted: list[dict] = [
        {
            "target": e.target,
            "aliases": list(names),
            "jurisdiction": e.jurisdiction,
            "date": e.date,
            "precision": e.precision,
            "action": e.action,
        }
        for e, names in expected
    ]
    return _tally(path.name, drafted, wanted)


def evaluate_samples(directory: Path = SAMPLES_DIR) -> Score:
    """The extractor against the bundled sample articles and their annotations."""
    total = Score()
    for path in sorted(directory.glob("*.json")):
        total.add(score_annotated(path))
    return total


def evaluate(directory: Path = EVAL_DIR) -> dict[str, Score]:
    """Scores per batch of GROUPS, and for all articles.

    "held-out" articles were written with the development ones and never
    looked at while the rules were tuned (but 25's "11 Americans" was fixed on
    request). "late", "blind", "fresh" and "rework" ones were written later,
    scored once, then examined: they are kept apart so that their first score
    (GROUPS) stays comparable.
    """
    scores = {name: Score() for name in GROUPS} | {"all": Score()}
    for path in sorted(directory.glob("*.txt")):
        score, group = score_article(path)
        scores[group].add(score)
        scores["all"].add(score)
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", nargs="?", type=Path, default=EVAL_DIR)
    parser.add_argument(
        "--verbose", action="store_true", help="list the misses and wrong events of development articles"
    )
    parser.add_argument("--show-held-out", action="store_true", help="with --verbose: of all articles")
    parser.add_argument("--group", choices=[*GROUPS, "all"], default=None, help="with --verbose: of this batch")
    args = parser.parse_args(argv)
    scores = evaluate(args.directory)
    for name, score in scores.items():
        print(
            f"{name:12} precision {score.precision:.3f} ({score.right}/{score.drafted})  "
            f"recall {score.recall:.3f} ({score.right}/{score.expected})  "
            f"action right {score.right_action}/{score.right}"
        )
    samples = evaluate_samples(SAMPLES_DIR)
    print(
        f"{'samples':12} precision {samples.precision:.3f} ({samples.right}/{samples.drafted})  "
        f"recall {samples.recall:.3f} ({samples.right}/{samples.expected})  "
        f"action right {samples.right_action}/{samples.right}  (storage/samples, annotated by a teammate)"
    )
    if args.verbose:
        shown = scores[args.group or ("all" if args.show_held_out else "development")]
        for line in shown.wrong:
            print("  wrong:", line)
        for line in shown.misses:
            print("  missed:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
