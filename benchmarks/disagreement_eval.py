"""How well the desk tells misdated copy from real histories, on a set it was never tuned on.

`tests/fixtures/disagreements_holdout/` and `…_holdout2/` hold scenarios
written by people who saw only the annotation contract and a description of
the feature, never the rule: each a folder of articles and an `expect.json`
({"query", "flag", "jurisdiction", "dates"}). docs/benchmarks.md keeps each
set's first run. Each scenario is ingested into a fresh SQLite store
and asked by name; the table says, per scenario, what was expected and found.

    .venv/bin/python -m benchmarks.disagreement_eval
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import date
from pathlib import Path

from storage.answers.queries import answer
from storage.answers.questions import parse_question
from storage.db.store import Store
from storage.ingest.writer import ingest_paths

HOLDOUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "disagreements_holdout"


def run_scenario(folder: Path) -> tuple[bool, str]:
    expect = json.loads((folder / "expect.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as scratch:
        store = Store.open(f"sqlite:///{Path(scratch) / 'eval.db'}")
        try:
            report = ingest_paths(store, sorted(folder.glob("article*.json")))
            if report.rejected:
                return False, f"{report.rejected} article(s) rejected"
            found = answer(store, parse_question(expect["query"], date.today()))
        finally:
            store.dispose()
    if not found.matches:
        return False, "nobody found"
    match = found.matches[0]
    flags = [f for f in match.flags if f.kind == "dates_disagree"]
    wanted = expect.get("jurisdiction")
    if expect["flag"]:
        hits = [f for f in flags if f.jurisdiction == wanted]
        if not hits:
            return False, f"missed: flags {[(f.jurisdiction, f.dates) for f in flags]}"
        if sorted(hits[0].dates) != sorted(expect["dates"]):
            return False, f"flagged other dates {hits[0].dates}"
        return True, hits[0].text
    wrong = [f for f in flags if wanted is None or f.jurisdiction == wanted]
    if wrong:
        return False, f"false alarm: {wrong[0].text}"
    return True, "no flag"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=HOLDOUT)
    args = parser.parse_args(argv)
    results = []
    for folder in sorted(p for p in args.folder.iterdir() if (p / "expect.json").exists()):
        expected = json.loads((folder / "expect.json").read_text(encoding="utf-8"))["flag"]
        right, said = run_scenario(folder)
        results.append((folder.name, expected, right))
        print(f"| {folder.name} | {'flag' if expected else 'no flag'} | {'right' if right else 'WRONG'} | {said} |")
    flagged = [r for r in results if r[1]]
    histories = [r for r in results if not r[1]]
    print()
    print(f"misdated copy flagged: {sum(r[2] for r in flagged)} of {len(flagged)}; "
          f"real histories left unflagged: {sum(r[2] for r in histories)} of {len(histories)}")
    return 0 if all(r[2] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
