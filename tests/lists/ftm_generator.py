"""A generated OpenSanctions-like FtM file, to measure reading at the size of the real `sanctions` collection.

`write_ftm(path, targets)` writes `targets` people, companies and vessels,
about one and a half Sanctions each over five lists, and an address or an
identification for every other target: about three entities per target,
names in Latin, Cyrillic, Chinese and Arabic script, ordered by id as
OpenSanctions orders them (so a Sanction comes before or after its target).

Run by hand to measure (prints seconds, entries and peak RSS):
    .venv/bin/python -m tests.lists.ftm_generator 100000
"""

from __future__ import annotations

import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

LISTS = ("us_ofac_sdn", "eu_fsf", "gb_fcdo_sanctions", "un_sc_sanctions", "ca_dfatd_sema_sanctions")
GIVEN = ("Ivan", "Olga", "Wang", "Li", "Ahmad", "Fatima", "Sergei", "Chen", "Maria", "Omar")
FAMILY = ("Petrov", "Ivanova", "Junzheng", "Mingshan", "Karimi", "Haddad", "Lavrov", "Hailun", "Sokolova", "Nasser")
CYRILLIC = ("Иван", "Ольга", "Сергей", "Мария", "Петров", "Иванова", "Лавров", "Соколова")
HAN = ("王君正", "陈明国", "朱海仑", "王明山")
ARABIC = ("أحمد", "فاطمة", "عمر", "حداد", "ناصر")


def _entity(entity_id: str, schema: str, datasets: list[str], properties: dict[str, list[str]]) -> str:
    return json.dumps({
        "id": entity_id, "caption": (properties.get("name") or [schema])[0], "schema": schema,
        "referents": [], "datasets": datasets, "first_seen": "2021-03-22T18:02:47",
        "last_seen": "2026-12-08T02:10:05", "last_change": "2024-02-13T10:41:26",
        "properties": properties, "target": schema != "Sanction",
    }, ensure_ascii=False)


def write_ftm(path: Path, targets: int, seed: int = 18) -> int:
    """Writes the file; returns the number of (list, target) entries a reader should find."""
    chance = random.Random(seed)
    lines: list[tuple[str, str]] = []
    expected = 0
    for number in range(targets):
        target_id = f"NK-{number:08d}"
        schema = chance.choice(("Person", "Person", "Person", "Company", "Organization", "Vessel"))
        given, family = chance.choice(GIVEN), chance.choice(FAMILY)
        name = f"{given} {family} {number}" if schema == "Person" else f"{family} {given} Trading {number}"
        properties: dict[str, list[str]] = {"name": [name], "alias": [
            f"{chance.choice(CYRILLIC)} {chance.choice(CYRILLIC)}", chance.choice(HAN) + str(number % 97),
            f"{chance.choice(ARABIC)} {chance.choice(ARABIC)}",
        ], "weakAlias": [f"{family[:4]}{number % 1000}"]}
        if schema == "Person":
            properties["birthDate"] = [f"{1940 + number % 60}-{1 + number % 12:02d}"]
        lists = chance.sample(LISTS, chance.choice((1, 1, 2)))
        expected += len(lists)
        lines.append((target_id, _entity(target_id, schema, lists, properties)))
        for list_id in lists:
            sanction_id = f"{list_id[:2]}-{number:08d}-s"
            lines.append((sanction_id, _entity(sanction_id, "Sanction", [list_id], {
                "entity": [target_id], "authority": [list_id.upper()], "program": [f"PROGRAM-{number % 40}"],
                "listingDate": ["2021-03-22"], "startDate": ["2021-03-22"],
                "sourceUrl": [f"https://example.org/{list_id}/{number}"],
            })))
        if number % 2:
            extra_id = f"addr-{number:08d}"
            lines.append((extra_id, _entity(extra_id, "Address", lists, {"full": [f"{number} Main Street"]})))
    lines.sort()  # by id, as OpenSanctions writes them: sanctions land before and after their targets
    with open(path, "w", encoding="utf-8") as file:
        for _, line in lines:
            file.write(line + "\n")
    return expected


def measure(targets: int) -> None:
    """Writes the file, then reads it in a fresh process, so that its peak RSS is the reading's alone."""
    import subprocess

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "entities.ftm.json"
        expected = write_ftm(path, targets)
        with open(path, "rb") as written:
            lines = sum(1 for _ in written)
        print(f"{targets} targets, {lines} entities, {path.stat().st_size / 1e6:.0f} MB; "
              f"{expected} (list, target) entries expected")
        subprocess.run([sys.executable, "-m", "tests.lists.ftm_generator", "--read", str(path)], check=True)


def read_and_report(path: str) -> None:
    from storage.lists.reading import read_list

    before = peak_rss_mb()
    started = time.perf_counter()
    count = sum(1 for _ in read_list(path).entries)
    seconds = time.perf_counter() - started
    print(f"read {count} entries in {seconds:.1f} s; peak RSS {peak_rss_mb():.0f} MB "
          f"({before:.0f} MB after the imports, before reading)")


def peak_rss_mb() -> float:
    """This process's own peak (VmHWM): unlike ru_maxrss, not inherited from the parent across exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    if sys.argv[1:2] == ["--read"]:
        read_and_report(sys.argv[2])
    else:
        measure(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
