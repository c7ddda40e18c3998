"""Name search at scale: our index against two peers, on the same names and queries.

    python -m benchmarks.name_search [--sizes 100000 1000000] [--brute-queries 300]

For each size a SQLite store is generated (cached in benchmarks/.cache): the
bundled samples (the people of the labelled query set) plus N generated
targets. Three systems answer the same queries, each in a child process of
its own so that its peak memory is its own:

- ours: candidates from the database index, scored by storage.names.scoring;
- rapidfuzz brute force: every name in memory, process.extractOne with
  its default scorer WRatio (rf-wratio) and with token_sort_ratio
  (rf-tsort), names lower-cased and stripped by utils.default_process,
  cut-off 85;
- nomenklatura logic-v2 (benchmark extra): scoring our candidates.

Latency is per query (p50, p99), accuracy is top-1 on the labelled set
(benchmarks/name_accuracy.py), "wrong" counts confidently wrong answers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"
STORE_VERSION = 5  # bump when the generator or the index changes


def store_path(size: int) -> Path:
    return CACHE / f"names-{size}-v{STORE_VERSION}.db"


def build_store(size: int) -> Path:
    from benchmarks.generated_store import bulk_load, generate_targets
    from storage.db.store import Store
    from storage.ingest.writer import ingest_paths
    from storage.samples import SAMPLES_DIR

    path = store_path(size)
    if path.exists():
        return path
    CACHE.mkdir(exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    store = Store.open(f"sqlite:///{partial}")
    ingest_paths(store, [SAMPLES_DIR])
    bulk_load(store, generate_targets(size))
    with store.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.exec_driver_sql("ANALYZE")
    store.dispose()
    partial.rename(path)
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    print(f"  generated {size:,} targets in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def latency_queries(path: Path, count: int = 500, seed: int = 11) -> list[str]:
    """Queries for generated people: as listed, reordered, lower case, one typo."""
    import sqlite3

    connection = sqlite3.connect(path)
    total = connection.execute("SELECT max(id) FROM targets").fetchone()[0]
    rng = random.Random(seed)
    queries = []
    while len(queries) < count:
        row = connection.execute("SELECT name FROM targets WHERE id = ?", (rng.randrange(1, total + 1),)).fetchone()
        if row is None:
            continue
        queries.append(as_typed(row[0], rng))
    connection.close()
    return queries


def as_typed(name: str, rng: random.Random) -> str:
    """A name as a journalist may type it: as listed, reordered, lower case, or two letters swapped."""
    style = rng.randrange(4)
    if style == 1:
        return " ".join(reversed(name.split()))
    if style == 2:
        return name.lower()
    if style == 3 and len(name) > 6:
        i = rng.randrange(1, len(name) - 2)
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name


# --- the systems, each run in a child process -------------------------------


def _ours(path: Path):  # type: ignore[no-untyped-def]
    from storage.db.store import Store
    from storage.names.scoring import pick_best
    from storage.names.search import search_names

    store = Store.open(f"sqlite:///{path}", upgrade=False)

    def ask(query: str) -> tuple[str | None, list[str]]:
        hits = store.read(lambda connection: search_names(connection, query, 10))
        best = pick_best([hit.score.score for hit in hits])
        return (hits[best].name if best is not None else None), [hit.name for hit in hits]

    return ask


def _rapidfuzz_token_sort(path: Path):  # type: ignore[no-untyped-def]
    from rapidfuzz import fuzz

    return _rapidfuzz(path, fuzz.token_sort_ratio)


def _rapidfuzz_wratio(path: Path):  # type: ignore[no-untyped-def]
    from rapidfuzz import fuzz

    return _rapidfuzz(path, fuzz.WRatio)


def _rapidfuzz(path: Path, scorer):  # type: ignore[no-untyped-def]
    import sqlite3

    from rapidfuzz import process, utils

    connection = sqlite3.connect(path)
    rows = connection.execute(
        "SELECT t.name, n.name FROM target_names n JOIN targets t ON t.id = n.target_id"
    ).fetchall()
    connection.close()
    owners = [owner for owner, _ in rows]
    choices = [utils.default_process(name) for _, name in rows]
    del rows

    def ask(query: str) -> tuple[str | None, list[str]]:
        found = process.extractOne(
            utils.default_process(query), choices, scorer=scorer, processor=None, score_cutoff=85
        )
        if found is None:
            return None, []
        return owners[found[2]], [owners[found[2]]]

    return ask


def _logic_v2(path: Path):  # type: ignore[no-untyped-def]
    from followthemoney import model
    from nomenklatura.matching import LogicV2
    from sqlalchemy import select

    from storage.db.models import Target, TargetName
    from storage.db.store import Store
    from storage.names.scoring import pick_best
    from storage.names.search import candidate_ids

    store = Store.open(f"sqlite:///{path}", upgrade=False)
    config = LogicV2.default_config()
    counter = iter(range(10**9))

    def entity(schema: str, names: list[str]):  # type: ignore[no-untyped-def]
        proxy = model.make_entity(schema)
        proxy.id = f"e{next(counter)}"
        for name in names:
            proxy.add("name", name)
        return proxy

    def ask(query: str) -> tuple[str | None, list[str]]:
        with store.session() as session:
            ids = candidate_ids(session, query)
            targets = {t.id: t for t in session.scalars(select(Target).where(Target.id.in_(ids)))}
            names: dict[int, list[str]] = {i: [] for i in ids}
            for target_id, name in session.execute(
                select(TargetName.target_id, TargetName.name).where(TargetName.target_id.in_(ids))
            ):
                names[target_id].append(name)
        probe = entity("LegalEntity", [query])
        scored = []
        for target_id, target in targets.items():
            schema = "Person" if target.kind == "person" else "Organization"
            result = LogicV2.compare(probe, entity(schema, [target.name, *names[target_id]]), config)
            if result.score >= 0.5:
                scored.append((result.score, target.name))
        scored.sort(key=lambda pair: -pair[0])
        best = pick_best([score for score, _ in scored])
        return (scored[best][1] if best is not None else None), [name for _, name in scored]

    return ask


SYSTEMS = {"ours": _ours, "rf-wratio": _rapidfuzz_wratio, "rf-tsort": _rapidfuzz_token_sort, "logic-v2": _logic_v2}
BRUTE_FORCE = {"rf-wratio", "rf-tsort"}


def peak_rss_mb() -> float:
    """This process's high-water mark (VmHWM: unlike ru_maxrss, it restarts at exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_system(system: str, path: Path, latency_count: int) -> dict:
    """In a child process: build the system, answer every query, report."""
    from benchmarks.name_accuracy import evaluate, load_labelled

    rss_before = peak_rss_mb()
    ask = SYSTEMS[system](path)
    labelled = load_labelled()
    queries = latency_queries(path)[:latency_count]
    ask(labelled[0]["query"])  # warm caches and imports
    timings: list[float] = []

    def timed(query: str) -> tuple[str | None, list[str]]:
        started = time.perf_counter()
        result = ask(query)
        timings.append(time.perf_counter() - started)
        return result

    limit = latency_count if system in BRUTE_FORCE else len(labelled)
    accuracy = evaluate(timed, labelled[:limit])
    for query in queries:
        timed(query)
    timings.sort()
    return {
        "system": system,
        "queries": len(timings),
        "labelled": accuracy.total,
        "p50_ms": statistics.median(timings) * 1000,
        "p99_ms": timings[min(len(timings) - 1, int(len(timings) * 0.99))] * 1000,
        "peak_rss_mb": peak_rss_mb(),
        "rss_before_mb": rss_before,
        "top1": accuracy.top1,
        "wrong": accuracy.confidently_wrong,
        "ambiguous": f"{accuracy.ambiguous_handled}/{accuracy.ambiguous_total}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument(
        "--brute-queries",
        type=int,
        default=300,
        help="labelled and latency queries for the brute-force peer (it is slow)",
    )
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=list(SYSTEMS))
    parser.add_argument("--child", nargs=3, metavar=("SYSTEM", "PATH", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        system, path, count = args.child
        print(json.dumps(run_system(system, Path(path), int(count))))
        return
    rows = []
    for size in args.sizes:
        path = build_store(size)
        for system in args.systems:
            count = args.brute_queries if system in BRUTE_FORCE else 500
            print(f"  {size:,} targets: {system}…", file=sys.stderr)
            child = subprocess.run(
                [sys.executable, "-m", "benchmarks.name_search", "--child", system, str(path), str(count)],
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
            )
            if child.returncode != 0:
                print(child.stderr, file=sys.stderr)
                rows.append({"size": size, "system": system, "error": child.stderr.strip().splitlines()[-1]})
                continue
            rows.append({"size": size, **json.loads(child.stdout)})
    print_table(rows)


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'targets':>10} {'system':<10} {'queries':>7} {'p50 ms':>8} {'p99 ms':>8} {'peak MB':>8} "
        f"{'top-1':>6} {'wrong':>5} {'ambig.':>6} {'p50 vs ours':>11} {'p99 vs ours':>11}"
    )
    print(header)
    print("-" * len(header))
    ours = {row["size"]: row for row in rows if row.get("system") == "ours" and "error" not in row}
    for row in rows:
        if "error" in row:
            print(f"{row['size']:>10,} {row['system']:<10} error: {row['error']}")
            continue
        base = ours.get(row["size"])
        other = base and row["system"] != "ours"
        ratio50 = f"{row['p50_ms'] / base['p50_ms']:.0f}x" if other else ""
        ratio = f"{row['p99_ms'] / base['p99_ms']:.0f}x" if other else ""
        print(
            f"{row['size']:>10,} {row['system']:<10} {row['queries']:>7} {row['p50_ms']:>8.2f} "
            f"{row['p99_ms']:>8.2f} {row['peak_rss_mb']:>8.0f} {row['top1']:>6.3f} {row['wrong']:>5} "
            f"{row['ambiguous']:>6} {ratio50:>11} {ratio:>11}"
        )
    print(
        "\ntop-1 and wrong are on the labelled set (brute force: its first --brute-queries items);"
        " latency over the labelled and 500 generated-name queries."
    )


if __name__ == "__main__":
    main()
