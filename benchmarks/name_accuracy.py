"""Accuracy of a name matcher on our labelled query set.

Each line of tests/fixtures/name_queries.jsonl is a query, its kind (exact,
typo, transliteration, look_alike...), the person it must give as `best`
(`expect`), or null with the people it fits equally (`fits`, ambiguous) or
none at all (not in the store). A matcher is any function from a query to
(best name or None, names of the matches listed).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "name_queries.jsonl"

Matcher = Callable[[str], tuple[str | None, list[str]]]


@dataclass
class Accuracy:
    total: int = 0
    correct: int = 0
    confidently_wrong: int = 0
    ambiguous_total: int = 0
    ambiguous_handled: int = 0
    by_kind: Counter = field(default_factory=Counter)
    wrong_by_kind: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    @property
    def top1(self) -> float:
        return self.correct / self.total if self.total else 0.0


def load_labelled(path: Path = LABELLED) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def judge(item: dict, best: str | None, matches: list[str]) -> tuple[bool, bool]:
    """(correct, confidently wrong) for one labelled query."""
    expect, fits = item["expect"], item["fits"]
    if expect is not None:
        return best == expect, best is not None and best != expect
    if fits:
        return best is None and set(fits) <= set(matches), best is not None
    return best is None and not matches, best is not None


def evaluate(matcher: Matcher, items: list[dict] | None = None) -> Accuracy:
    result = Accuracy()
    for item in items if items is not None else load_labelled():
        best, matches = matcher(item["query"])
        correct, wrong = judge(item, best, matches)
        result.total += 1
        result.by_kind[item["kind"]] += 1
        result.correct += correct
        result.confidently_wrong += wrong
        if item["kind"] == "ambiguous":
            result.ambiguous_total += 1
            result.ambiguous_handled += correct
        if not correct:
            result.wrong_by_kind[item["kind"]] += 1
            result.failures.append(
                f"{item['kind']}: {item['query']!r} -> best={best!r} matches={matches[:4]}"
                f" (expected {item['expect']!r} {item['fits']})"
            )
    return result
