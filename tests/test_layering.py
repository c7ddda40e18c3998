"""Imports run one way: each storage package uses only those below it, and storage never sees Slack.

The table is the rule a newcomer reads; the walk reads every `import` in the
source (also those inside functions) and fails on one that the table does not
allow, naming the file, the line and the import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# package -> the storage packages it may import (besides itself)
MAY_IMPORT: dict[str, set[str]] = {
    "storage": set(),
    "storage.dates": set(),
    "storage.authorities": set(),
    "storage.samples": set(),
    "storage.db": set(),
    "storage.names": {"storage.db"},
    "storage.articles": {"storage.dates", "storage.authorities", "storage.names"},
    "storage.extract": {"storage.dates", "storage.authorities", "storage.names", "storage.articles"},
    "storage.lists": {"storage.dates", "storage.authorities", "storage.db", "storage.names"},
    "storage.answers": {"storage.dates", "storage.authorities", "storage.db", "storage.names", "storage.lists"},
    "storage.channels": {"storage.dates", "storage.db", "storage.lists", "storage.answers"},
    "storage.ingest": {
        "storage.dates",
        "storage.authorities",
        "storage.db",
        "storage.names",
        "storage.lists",
        "storage.articles",
        "storage.extract",
        "storage.answers",
        "storage.channels",
    },
    "storage.export": {"storage.db", "storage.names", "storage.answers"},
}
# A migration that rewrites stored rows runs the code that owns them; nothing imports a migration.
MIGRATIONS_MAY_IMPORT = {"storage.db", "storage.names"}
SLACK = ("slack_bolt", "slack_sdk", "bot")


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "storage" and len(parts) > 1 else parts[0]


def _imports(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "storage":  # from storage import outbox
                found.extend((node.lineno, f"storage.{alias.name}") for alias in node.names)
            else:
                found.append((node.lineno, node.module))
    return found


def wrong_way_imports(root: Path = ROOT) -> list[str]:
    wrong = []
    for path in sorted((root / "storage").rglob("*.py")):
        module = _module_name(path, root)
        own = _package_of(module)
        in_migration = "migrations" in path.parts
        allowed = MIGRATIONS_MAY_IMPORT if in_migration else MAY_IMPORT.get(own)
        where = path.relative_to(root)
        if allowed is None:
            wrong.append(f"{where}: package {own} is not in the layering table")
            continue
        for line, imported in _imports(path):
            top = imported.split(".")[0]
            if top in SLACK:
                wrong.append(f"{where}:{line}: storage imports {imported}")
            elif top == "storage":
                target = _package_of(imported)
                if target != own and target not in allowed:
                    wrong.append(f"{where}:{line}: {own} imports {imported}, which sits above it")
    return wrong


def sql_in_bot() -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{line}: bot imports {imported}"
        for path in sorted((ROOT / "bot").rglob("*.py"))
        for line, imported in _imports(path)
        if imported.split(".")[0] == "sqlalchemy" or imported.startswith("storage.db.models")
    ]


def test_storage_packages_import_only_those_below_them() -> None:
    assert wrong_way_imports() == []


def test_the_bot_writes_no_sql() -> None:
    assert sql_in_bot() == []


def test_the_layering_table_has_no_cycle() -> None:
    seen: dict[str, str] = {}

    def visit(package: str) -> None:
        if seen.get(package) == "open":
            pytest.fail(f"the layering table has a cycle through {package}")
        if package in seen:
            return
        seen[package] = "open"
        for lower in MAY_IMPORT[package]:
            visit(lower)
        seen[package] = "done"

    for package in MAY_IMPORT:
        visit(package)


def test_an_import_the_wrong_way_is_caught(tmp_path: Path) -> None:
    """The check itself can fail: a names module that imports answers, and one that imports Slack."""
    probe = tmp_path / "storage" / "names" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text("from storage.answers.model import Answer\nimport slack_sdk\n", encoding="utf-8")
    assert wrong_way_imports(tmp_path) == [
        "storage/names/probe.py:1: storage.names imports storage.answers.model, which sits above it",
        "storage/names/probe.py:2: storage imports slack_sdk",
    ]
