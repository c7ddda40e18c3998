"""Importing an official list at full size: our snapshot store against a floor that only parses and inserts.

    .venv/bin/python -m benchmarks.lists_import [--targets 100000] [--postgres URL]

Generates an OpenSanctions FtM file of N targets (people and organisations
with the generated benchmark names, in several scripts, each with a Sanction
and an Address entity: about 3N entities over five lists), and a second
version with 1% of the targets dropped. Each run is a child process that
reports its own peak RSS. One table from one run: the first import (SQLite,
and PostgreSQL when reachable), the same file again, the 1%-changed
snapshot, and the floor: reading the same file with our reader and inserting
one row per entry with `executemany` into a plain SQLite table.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generated_store import generate_targets

LISTS = ["us_ofac_sdn", "eu_fsf", "gb_fcdo_sanctions", "un_sc_sanctions", "ca_dfatd_sema_sanctions"]
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def write_file(path: Path, targets: int, drop_share: float = 0.0, seed: int = 18) -> int:
    """The FtM file; the same targets for the same seed, less a `drop_share` of them."""
    rng, dropper = random.Random(seed), random.Random(seed + 1)
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for number, target in enumerate(generate_targets(targets)):
            listed = f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(10, 28)}"
            born = f"{rng.randint(1940, 1990)}-{rng.randint(1, 12):02d}" if rng.random() < 0.5 else None
            if drop_share and dropper.random() < drop_share:
                continue
            target_id, dataset = f"NK-gen{number:07d}", LISTS[number % len(LISTS)]
            schema = "Person" if target.kind == "person" else "Organization"
            names = {"name": [target.name], "alias": list(target.aliases)}
            if schema == "Person" and born:
                names["birthDate"] = [born]
            for entity in (
                {"id": target_id, "schema": schema, "properties": names, "target": True},
                {"id": f"san-{number}", "schema": "Sanction", "target": False,
                 "properties": {"entity": [target_id], "program": [f"PROG-{number % 40}"], "listingDate": [listed]}},
                {"id": f"addr-{number}", "schema": "Address", "target": False,
                 "properties": {"full": [f"{number} Generated Street"]}},
            ):
                out.write(json.dumps({**entity, "caption": names["name"][0], "datasets": [dataset], "referents": [],
                                      "first_seen": "2024-01-01T00:00:00", "last_seen": "2026-12-08T00:00:00",
                                      "last_change": "2024-01-01T00:00:00"}, ensure_ascii=False) + "\n")
            written += 1
    return written


_CHILD = r"""
import json, sqlite3, sys, time
from datetime import date
from pathlib import Path
from storage.db.store import Store
from storage.lists.reading import read_list
from storage.lists.snapshots import import_paths
what, url, path = sys.argv[1:4]
started = time.perf_counter()  # the work alone, not the interpreter's imports
if what == "floor":
    db = sqlite3.connect(url)
    db.execute("CREATE TABLE entries (list_id TEXT, entry_id TEXT, kind TEXT, name TEXT, aliases TEXT, "
               "programs TEXT, listed_on TEXT, UNIQUE (list_id, entry_id))")
    rows = ((e.list_id, e.entry_id, e.kind, e.name, json.dumps(e.aliases), json.dumps(e.programs),
             e.listed_on.isoformat() if e.listed_on else None) for e in read_list(Path(path)).entries)
    with db:
        db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    count = db.execute("SELECT count(*) FROM entries").fetchone()[0]
else:
    report = import_paths(Store.open(url), [Path(path)], today=date(2026, 12, 8))
    assert not report.refused, report.refused
    count = sum(o.entries for o in report.outcomes)
took = time.perf_counter() - started
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
print(f"{took:.2f} {count} {peak:.0f}")
"""


def run(what: str, url: str, path: Path) -> tuple[float, int, float]:
    done = subprocess.run([sys.executable, "-c", _CHILD, what, url, str(path)], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parents[1])
    took, count, peak = done.stdout.split()[-3:]
    return float(took), int(count), float(peak)


def postgres_schema(base: str) -> str | None:
    """A fresh schema on the server, or None when none answers."""
    try:
        from sqlalchemy import create_engine, text
        engine = create_engine(base)
        schema = f"lists_bench_{int(time.time())}"
        with engine.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
    except Exception:  # noqa: BLE001 - no server: the row is left out
        return None
    return f"{base}?options=-csearch_path%3D{schema}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=100_000)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="'' to leave PostgreSQL out")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        whole, changed = folder / "entities.ftm.json", folder / "entities.changed.ftm.json"
        count = write_file(whole, args.targets)
        write_file(changed, args.targets, drop_share=0.01)
        print(f"{count:,} targets, {sum(1 for _ in whole.open()):,} entities, "
              f"{whole.stat().st_size / 1e6:.0f} MB\n")
        floor = run("floor", str(folder / "floor.db"), whole)
        sqlite = f"sqlite:///{folder / 'ours.db'}"
        rows = [("floor: read + executemany (SQLite)", floor)]
        rows.append(("ours, first import (SQLite)", run("import", sqlite, whole)))
        rows.append(("ours, the same file again", run("import", sqlite, whole)))
        rows.append(("ours, 1% of entries changed", run("import", sqlite, changed)))
        postgres = postgres_schema(args.postgres) if args.postgres else None
        if postgres:
            rows.append(("ours, first import (PostgreSQL)", run("import", postgres, whole)))
    first = rows[1][1][0]
    print("| run | seconds | entries/s | floor's time / this | of the first import | peak RSS MB |")
    print("|---|---|---|---|---|---|")
    for label, (took, entries, peak) in rows:
        print(f"| {label} | {took:.1f} | {entries / took:,.0f} | {floor[0] / took:.0%} | {took / first:.0%} "
              f"| {peak:.0f} |")


if __name__ == "__main__":
    main()
