"""A store built before name folding changed, upgraded: it answers and merges as a fresh one.

The old store is made by the real ingest running with the old folding (no
"Senior General" or "Lt-Gen", no legal forms, possessives and dotted legal
forms kept, legal forms written out kept as words), at revision 0001, so its
names, postings and token counts are what such a release wrote; or, for 0003,
at revision 0002 with that release's folding (legal forms written out kept).
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, select

from storage.answers.queries import answer
from storage.answers.questions import parse_question
from storage.db.migrate import alembic_config, current_revision, head_revision, upgrade
from storage.db.models import NameToken, NameTokenKey, Target, TargetName, TargetToken
from storage.db.store import Store
from storage.ingest.writer import ingest_paths
from storage.names import folding, refold
from storage.names.index import reindex_targets
from storage.names.refold import refold_names
from storage.names.search import search_names
from tests.builders import article, simple_article, span, write_json

REPO = Path(__file__).resolve().parents[2]

# What an earlier release dropped: no "senior", no hyphenated ranks ("Lt-Gen").
_RANKS = {
    prefix + rank
    for prefix in "vice deputy lieutenant lt major maj brigadier brig rear field air chief senior first".split()
    for rank in "general gen admiral adm marshal president minister premier commander colonel col".split()
}
OLD_HONORIFICS = folding.HONORIFICS - _RANKS - {"senior"}


@contextmanager
def old_folding(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fold names as a release before the change did, in this process only."""
    try:
        with monkeypatch.context() as patch:
            patch.setattr(folding, "HONORIFICS", OLD_HONORIFICS)
            patch.setattr(folding, "LEGAL_FORMS", frozenset())
            patch.setattr(folding, "_POSSESSIVE", re.compile(r"(?!)"))
            patch.setattr(folding, "_joined_dotted_form", lambda name: (name, ""))
            patch.setattr(folding, "abbreviated_legal_forms", lambda tokens: tokens)
            folding.name_tokens.cache_clear()
            yield
    finally:
        folding.name_tokens.cache_clear()  # nothing folded the old way outlives the block


@contextmanager
def folding_of_0002(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fold names as the release of revision 0002 did: legal forms written out kept as words."""
    try:
        with monkeypatch.context() as patch:
            patch.setattr(folding, "abbreviated_legal_forms", lambda tokens: tokens)
            folding.name_tokens.cache_clear()
            yield
    finally:
        folding.name_tokens.cache_clear()


def junta_article() -> dict:
    text = ("The EU on 22 March 2021 sanctioned Senior General Min Aung Hlaing and Lt-Gen Soe Win "
            "over the military coup. Officials gave no further details.")
    return article(
        text, "2021-03-23",
        [span(text, "A", "AUTHORITY", "The EU"), span(text, "D", "DATE", "22 March 2021"),
         span(text, "P", "PERSON", "Senior General Min Aung Hlaing"), span(text, "Q", "PERSON", "Lt-Gen Soe Win"),
         span(text, "R", "REASON", "the military coup")],
        [{"target": "P", "authority": "A", "date": "D", "reason": "R"},
         {"target": "Q", "authority": "A", "date": "D", "reason": "R"}],
        "junta", source="Test Wire", url="https://example.org/junta", title="EU acts on the junta",
    )


def rusal_article() -> dict:
    text = ("The Treasury on 6 April 2018 sanctioned Oleg Deripaska's and UC Rusal P.L.C. "
            "over election interference. Officials gave no further details.")
    return article(
        text, "2018-04-07",
        [span(text, "A", "AUTHORITY", "The Treasury"), span(text, "D", "DATE", "6 April 2018"),
         span(text, "P", "PERSON", "Oleg Deripaska's"), span(text, "O", "ORG", "UC Rusal P.L.C."),
         span(text, "R", "REASON", "election interference")],
        [{"target": "P", "authority": "A", "date": "D", "reason": "R"},
         {"target": "O", "authority": "A", "date": "D", "reason": "R"}],
        "rusal", source="Test Wire", url="https://example.org/rusal", title="Treasury acts on Rusal",
    )


def banks_article() -> dict:
    text = ("The Treasury on 6 April 2022 sanctioned Public Joint Stock Company Sberbank of Russia and "
            "Gazprombank Joint-Stock Company over the invasion of Ukraine. Officials gave no further details.")
    return article(
        text, "2022-04-07",
        [span(text, "A", "AUTHORITY", "The Treasury"), span(text, "D", "DATE", "6 April 2022"),
         span(text, "S", "ORG", "Public Joint Stock Company Sberbank of Russia"),
         span(text, "G", "ORG", "Gazprombank Joint-Stock Company"),
         span(text, "R", "REASON", "the invasion of Ukraine")],
        [{"target": "S", "authority": "A", "date": "D", "reason": "R"},
         {"target": "G", "authority": "A", "date": "D", "reason": "R"}],
        "banks", source="Test Wire", url="https://example.org/banks", title="Treasury acts on banks",
    )


def write_articles(folder: Path, documents: list[dict]) -> Path:
    for document in documents:
        write_json(folder / f"{document['id']}.json", document)
    return folder


def old_store(url: str, folder: Path, monkeypatch: pytest.MonkeyPatch, revision: str = "0001") -> None:
    """A store at `revision` holding the articles as the release of that revision folded them."""
    store = Store.open(url, upgrade=False)
    command.upgrade(alembic_config(store.engine), revision)
    with (old_folding if revision == "0001" else folding_of_0002)(monkeypatch):
        report = ingest_paths(store, [folder])
    assert report.rejected == 0, report.rejections
    store.dispose()


def ask(store: Store, text: str):  # type: ignore[no-untyped-def]
    return answer(store, parse_question(text, date(2026, 11, 29)))


def stored_tokens(store: Store) -> dict[str, str]:
    with store.session() as session:
        return dict(session.execute(select(TargetName.name, TargetName.tokens)).all())


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Everything a re-fold rewrites, by name rather than by id."""
    with store.session() as session:
        target = dict(session.execute(select(Target.id, Target.name)).all())
        rows = session.execute(
            select(TargetName.target_id, TargetName.name, TargetName.origin, TargetName.tokens, TargetName.merge_key)
        ).all()
        postings = session.execute(
            select(TargetToken.target_id, NameToken.token).join(NameToken, NameToken.id == TargetToken.token_id)
        ).all()
        return {
            "targets": sorted(tuple(row) for row in session.execute(select(Target.name, Target.kind))),
            "names": sorted((target[row[0]], *row[1:]) for row in rows),
            "postings": sorted((target[target_id], token) for target_id, token in postings),
            "vocabulary": sorted(
                tuple(row) for row in session.execute(select(NameToken.token, NameToken.skeleton, NameToken.df))
            ),
            "typo keys": sorted(
                tuple(row)
                for row in session.execute(
                    select(NameTokenKey.key, NameToken.token).join(NameToken, NameToken.id == NameTokenKey.token_id)
                )
            ),
        }


def count_targets(store: Store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(Target)) or 0


@contextmanager
def opened(url: str, **options: bool) -> Iterator[Store]:
    store = Store.open(url, **options)
    try:
        yield store
    finally:
        store.dispose()


def test_an_old_store_upgraded_answers_and_merges_as_a_fresh_one(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_articles(tmp_path / "in", [junta_article(), rusal_article(), banks_article()])
    old_store(store_url, folder, monkeypatch)
    with opened(store_url, upgrade=False) as before:
        tokens = stored_tokens(before)
    # What the old release stored, or this test proves nothing.
    assert tokens["Senior General Min Aung Hlaing"] == "senior general min aung hlaing"
    assert tokens["Lt-Gen Soe Win"] == "ltgen soe win"
    assert tokens["Oleg Deripaska's"] == "oleg deripaskas"
    assert tokens["UC Rusal P.L.C."] == "uc rusal p l c"
    assert tokens["Public Joint Stock Company Sberbank of Russia"] == "public joint stock company sberbank of russia"

    with opened(store_url) as store:  # opening upgrades, as every command does
        assert current_revision(store.engine) == head_revision(store.engine)
        fresh_url = f"sqlite:///{tmp_path / 'fresh.db'}"
        with opened(fresh_url) as fresh:
            ingest_paths(fresh, [folder])
            assert snapshot(store) == snapshot(fresh)

        assert ask(store, "min aung hlaing").best == "Senior General Min Aung Hlaing"
        assert ask(store, "soe win").best == "Lt-Gen Soe Win"
        assert ask(store, "oleg deripaska").best == "Oleg Deripaska's"
        assert ask(store, "UC Rusal PLC").best == "UC Rusal P.L.C."
        assert ask(store, "PJSC Sberbank").best == "Public Joint Stock Company Sberbank of Russia"
        assert ask(store, "Gazprombank JSC").best == "Gazprombank Joint-Stock Company"

        later = simple_article("later", "Min Aung Hlaing", "The Treasury", "on 24 March 2021", published="2021-03-25")
        targets = count_targets(store)
        ingest_paths(store, [write_json(tmp_path / "later" / "later.json", later)])
        assert count_targets(store) == targets  # merged into the person, no second target
        (person,) = ask(store, "min aung hlaing").matches
        assert sorted(action.jurisdiction for action in person.actions) == ["EU", "US"]


def test_a_store_of_revision_0002_upgraded_reads_legal_forms_written_out_as_their_abbreviations(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_articles(tmp_path / "in", [banks_article(), rusal_article()])
    old_store(store_url, folder, monkeypatch, revision="0002")
    with opened(store_url, upgrade=False) as before:
        assert current_revision(before.engine) == "0002"
        assert stored_tokens(before)["Gazprombank Joint-Stock Company"] == "gazprombank jointstock company"
        # What users of 0002's release saw: the name index itself finds nobody (today's answers need 0004's tables).
        assert before.read(lambda connection: search_names(connection, "Gazprombank JSC", 10)) == []

    with opened(store_url) as store:  # opening upgrades
        assert current_revision(store.engine) == "0004"
        assert stored_tokens(store)["Gazprombank Joint-Stock Company"] == "gazprombank jsc"
        with opened(f"sqlite:///{tmp_path / 'fresh.db'}") as fresh:
            ingest_paths(fresh, [folder])
            assert snapshot(store) == snapshot(fresh)
        assert ask(store, "Gazprombank JSC").best == "Gazprombank Joint-Stock Company"
        assert ask(store, "PAO Sberbank").best == "Public Joint Stock Company Sberbank of Russia"

        # A later article's abbreviation merges with the name written out: one bank, two actions.
        later = article(
            "The EU on 20 April 2022 sanctioned Gazprombank JSC. Officials gave no further details.", "2022-04-21",
            [span("The EU on 20 April 2022 sanctioned Gazprombank JSC.", "A", "AUTHORITY", "The EU"),
             span("The EU on 20 April 2022 sanctioned Gazprombank JSC.", "D", "DATE", "20 April 2022"),
             span("The EU on 20 April 2022 sanctioned Gazprombank JSC.", "G", "ORG", "Gazprombank JSC")],
            [{"target": "G", "authority": "A", "date": "D"}], "later", source="Test Wire",
            url="https://example.org/later", title="EU acts on Gazprombank",
        )
        targets = count_targets(store)
        ingest_paths(store, [write_json(tmp_path / "later" / "later.json", later)])
        assert count_targets(store) == targets
        (bank,) = ask(store, "gazprombank").matches
        assert sorted(action.jurisdiction for action in bank.actions) == ["EU", "US"]


def test_re_folding_a_store_folded_the_current_way_changes_nothing(samples: Store) -> None:
    before = snapshot(samples)
    with samples.session() as session:
        report = refold_names(session)
    assert (report.names, report.reindexed, report.renamed, report.pruned, report.shared) == (0, 0, 0, 0, [])
    assert snapshot(samples) == before


def two_stored_as_two_people(tmp_path: Path) -> Path:
    """One person in two articles, written so that the old folding kept them apart."""
    apart = simple_article("apart", "Min Aung Hlaing", "The Treasury", "on 24 March 2021", published="2021-03-25")
    return write_articles(tmp_path / "in", [junta_article(), apart])


def test_two_targets_given_one_key_are_kept_apart_and_each_pair_is_logged(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    old_store(store_url, two_stored_as_two_people(tmp_path), monkeypatch)
    with opened(store_url, upgrade=False) as before:
        assert count_targets(before) == 3  # Soe Win, and Min Aung Hlaing twice: the old folding kept him apart
    with caplog.at_level(logging.WARNING, logger="storage.names.refold"), opened(store_url) as store:
        (line,) = [record.getMessage() for record in caplog.records if record.name == "storage.names.refold"]
        assert "'Senior General Min Aung Hlaing'" in line and "'Min Aung Hlaing'" in line
        assert "'aung hlaing min'" in line and "both kept" in line
        # No facts merged by the migration: two people, one action each.
        hits = ask(store, "min aung hlaing").matches
        assert sorted((hit.name, len(hit.actions)) for hit in hits) == [
            ("Min Aung Hlaing", 1), ("Senior General Min Aung Hlaing", 1)
        ]
        # The next article naming him merges them, as ingest always merges one full name.
        later = simple_article("later", "Min Aung Hlaing", "The EU", "on 20 April 2021", published="2021-04-21")
        ingest_paths(store, [write_json(tmp_path / "later" / "later.json", later)])
        (person,) = ask(store, "min aung hlaing").matches
        assert len(person.actions) == 3


def test_a_failing_re_fold_leaves_the_store_as_it_was(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_articles(tmp_path / "in", [junta_article(), rusal_article()])
    old_store(store_url, folder, monkeypatch)
    with opened(store_url, upgrade=False) as store:
        before = snapshot(store)

        def fails_once_postings_are_written(session, targets):  # type: ignore[no-untyped-def]
            reindex_targets(session, targets)
            raise RuntimeError("disk full")

        # By then names, postings and counts are rewritten, all in the upgrade's transaction.
        monkeypatch.setattr(refold, "reindex_targets", fails_once_postings_are_written)
        with pytest.raises(RuntimeError, match="disk full"):
            upgrade(store.engine)
        assert current_revision(store.engine) == "0001"
        assert snapshot(store) == before


def test_sanctions_db_upgrade_re_folds_and_prints_each_pair_to_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'sanctions.db'}"
    old_store(url, two_stored_as_two_people(tmp_path), monkeypatch)
    env = {**os.environ, "PYTHONPATH": str(REPO), "DATABASE_URL": url}
    result = subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "schema at revision 0004 (was 0001)"
    (line,) = [line for line in result.stderr.splitlines() if "now share the merge key" in line]
    assert "'Senior General Min Aung Hlaing'" in line and "'Min Aung Hlaing'" in line


# A worker: everything imported, it says so, and opens the store (which
# upgrades it) once the start file exists.
_WORKER = """
import sys, time
from pathlib import Path
from storage.db.store import Store
Path(sys.argv[3]).touch()
start = Path(sys.argv[2])
while not start.exists():
    time.sleep(0.001)
Store.open(sys.argv[1]).dispose()
"""


@pytest.mark.postgres
def test_workers_opening_an_old_store_at_once_take_turns_upgrading_it(
    postgres_store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_articles(tmp_path / "in", [junta_article(), rusal_article()])
    old_store(postgres_store_url, folder, monkeypatch)
    start = tmp_path / "start"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    ready = [tmp_path / f"ready-{n}" for n in range(4)]
    workers = [
        subprocess.Popen([sys.executable, "-c", _WORKER, postgres_store_url, str(start), str(flag)], env=env,
                         stderr=subprocess.PIPE, text=True)
        for flag in ready
    ]
    deadline = time.monotonic() + 60
    while not all(flag.exists() for flag in ready) and time.monotonic() < deadline:
        time.sleep(0.01)
    start.touch()
    errors = [worker.communicate(timeout=60)[1] for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * len(workers), errors
    with opened(postgres_store_url, upgrade=False) as store:
        assert current_revision(store.engine) == "0004"
        assert stored_tokens(store)["Senior General Min Aung Hlaing"] == "min aung hlaing"
