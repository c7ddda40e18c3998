"""Each import of a list is a whole snapshot: what an operator checks after loading lists twice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.db.generation import current_generation
from storage.db.models import ListChange, ListEntryRow, ListPresence, ListSnapshot, TargetName
from storage.db.store import Store
from storage.lists.entries import ListEntry, ListFile, ListFileError
from storage.lists.listings import listings_for_targets, loaded_jurisdictions
from storage.lists.reading import SAMPLES_DIR
from storage.lists.snapshots import SnapshotOutcome, import_list_file, import_paths

D1, D2, D3 = date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3)


def person(entry_id: str, name: str, list_id: str = "us_ofac_sdn", **fields) -> ListEntry:  # type: ignore[no-untyped-def]
    return ListEntry(list_id=list_id, entry_id=entry_id, kind="person", name=name, **fields)


ALICE = person("1", "Alice Testova Listed")
BORIS = person("2", "Boris Testov Listed")
CLARA = person("3", "Clara Testova Listed")
DMITRY = person("4", "Dmitry Testov Listed")


def load(
    store: Store, entries: list[ListEntry], published: date | None, *, format: str = "ofac_xml",
    path: str = "sdn.xml", **options,  # type: ignore[no-untyped-def]
) -> list[SnapshotOutcome]:
    return import_list_file(store, ListFile(path, format, published, iter(entries)), **options)


def only(outcomes: list[SnapshotOutcome]) -> SnapshotOutcome:
    assert len(outcomes) == 1, outcomes
    return outcomes[0]


def entry_row(store: Store, entry_id: str, list_id: str = "us_ofac_sdn") -> ListEntryRow:
    with store.session() as session:
        row = session.scalar(
            select(ListEntryRow).where(ListEntryRow.list_id == list_id, ListEntryRow.entry_id == entry_id)
        )
        assert row is not None
        return row


def periods(store: Store, entry_id: str) -> list[tuple[str, date, date | None]]:
    with store.session() as session:
        return [
            tuple(row) for row in session.execute(
                select(ListPresence.source, ListPresence.from_day, ListPresence.until_day)
                .join(ListEntryRow, ListEntryRow.id == ListPresence.entry_pk)
                .where(ListEntryRow.entry_id == entry_id)
                .order_by(ListPresence.source, ListPresence.from_day)
            )
        ]


def changes(store: Store) -> list[tuple[str, str, date]]:
    with store.session() as session:
        return [tuple(row) for row in session.execute(
            select(ListChange.change, ListChange.entry_id, ListChange.day).order_by(ListChange.id)
        )]


def count(store: Store, model: type) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_an_entry_missing_from_the_next_snapshot_is_delisted_and_listed_again_when_it_comes_back(
    store: Store,
) -> None:
    first = only(load(store, [ALICE, BORIS, CLARA], D1))
    assert (first.status, first.added, first.as_of) == ("stored", 3, D1)
    assert changes(store) == []  # a list's first snapshot is no news: every entry would be

    second = only(load(store, [ALICE, BORIS], D2))
    assert (second.delisted, second.added) == (1, 0)
    assert entry_row(store, "3").delisted_on == D2
    assert entry_row(store, "1").delisted_on is None

    third = only(load(store, [ALICE, BORIS, CLARA, DMITRY], D3))
    assert (third.relisted, third.added, third.delisted) == (1, 1, 0)
    clara = entry_row(store, "3")
    assert clara.delisted_on is None and clara.first_seen == D1
    assert periods(store, "3") == [("publisher", D1, D2), ("publisher", D3, None)]
    assert changes(store) == [("delisted", "3", D2), ("relisted", "3", D3), ("added", "4", D3)]
    assert entry_row(store, "4").first_seen == D3


def test_the_snapshot_date_is_the_files_own_else_as_of_else_today(store: Store) -> None:
    assert only(load(store, [ALICE], D1, as_of=D2)).as_of == D1
    assert only(load(store, [ALICE, BORIS], None, as_of=D2)).as_of == D2
    assert only(load(store, [ALICE, BORIS, CLARA], None, today=D3)).as_of == D3


def test_an_unchanged_file_imported_again_changes_nothing(store: Store) -> None:
    load(store, [ALICE, BORIS], D1)
    with store.session() as session:
        generation = current_generation(session)
    again = only(load(store, [BORIS, ALICE], D1))
    assert again.status == "unchanged"
    assert count(store, ListSnapshot) == 1
    with store.session() as session:
        assert current_generation(session) == generation


def test_a_bundled_file_imported_twice_is_not_read_again(store: Store) -> None:
    path = SAMPLES_DIR / "ofac_sdn.xml"
    first = import_paths(store, [path])
    assert [o.status for o in first.outcomes] == ["stored"]
    again = import_paths(store, [path])
    assert [(o.list_id, o.status) for o in again.outcomes] == [("us_ofac_sdn", "unchanged")]
    assert count(store, ListSnapshot) == 1


def test_a_newer_file_with_the_same_entries_moves_the_snapshot_date_only(store: Store) -> None:
    load(store, [ALICE, BORIS], D1)
    later = only(load(store, [ALICE, BORIS], D2))
    assert (later.status, later.added, later.delisted) == ("stored", 0, 0)
    with store.session() as session:
        assert loaded_jurisdictions(session) == {"US": D2}
    assert changes(store) == []


def test_opensanctions_and_the_publishers_file_are_two_sources_and_neither_delists_the_others_entries(
    store: Store,
) -> None:
    load(store, [ALICE, BORIS, CLARA], D1)
    # OpenSanctions holds two of them, under its own ids.
    os_alice = person("NK-alice", ALICE.name)
    os_boris = person("NK-boris", BORIS.name)
    from_os = only(load(store, [os_alice, os_boris], D2, format="ftm", path="entities.ftm.json"))
    assert (from_os.source, from_os.status, from_os.delisted) == ("opensanctions", "stored", 0)
    assert entry_row(store, "3").delisted_on is None  # the publisher's file still holds Clara

    # The publisher drops Alice: OpenSanctions still holds her designation, so the card shows her listed.
    only(load(store, [BORIS, CLARA], D3))
    assert entry_row(store, "1").delisted_on == D3
    target = _target_of(store, "1")
    assert target == _target_of(store, "NK-alice")
    with store.session() as session:
        shown = listings_for_targets(session, [target])[target]
    assert len(shown) == 1  # one list, shown once
    assert (shown[0].list, shown[0].delisted_on, shown[0].first_seen, shown[0].as_of) == ("us_ofac_sdn", None, D1, D3)


def test_a_file_under_half_the_size_of_the_previous_snapshot_is_refused_unless_forced(store: Store) -> None:
    load(store, [ALICE, BORIS, CLARA, DMITRY], D1)
    refused = only(load(store, [ALICE], D2, path="truncated.xml"))
    assert refused.status == "refused"
    assert refused.message is not None and refused.message.startswith("truncated.xml: ")
    assert "1 entries, under half of the 4" in refused.message and "--force" in refused.message
    assert entry_row(store, "2").delisted_on is None and count(store, ListSnapshot) == 1

    half = only(load(store, [ALICE, BORIS], D2))  # exactly half is no truncation
    assert half.status == "stored" and half.delisted == 2
    forced = only(load(store, [ALICE], D3, force=True))
    assert (forced.status, forced.delisted) == ("stored", 1)
    assert entry_row(store, "2").delisted_on == D3


def test_a_partial_file_lists_what_it_holds_and_delists_nobody_it_lacks(store: Store) -> None:
    load(store, [ALICE, BORIS, CLARA, DMITRY], D1)
    excerpt = only(load(store, [ALICE, person("5", "Erik Testov Listed")], D2, path="excerpt.xml", partial=True))
    assert (excerpt.status, excerpt.added, excerpt.delisted) == ("stored", 1, 0)  # no "under half" refusal either
    assert [entry_row(store, entry_id).delisted_on for entry_id in "12345"] == [None] * 5
    with store.session() as session:  # only a whole list's silence means something
        assert loaded_jurisdictions(session) == {"US": D1}
    whole = only(load(store, [ALICE, BORIS, CLARA, DMITRY], D3))
    assert whole.delisted == 1 and entry_row(store, "5").delisted_on == D3  # the next whole list decides


def test_a_file_older_than_the_loaded_snapshot_is_refused(store: Store) -> None:
    load(store, [ALICE, BORIS], D2)
    refused = only(load(store, [ALICE], D1, path="old.xml"))
    assert refused.status == "refused" and "older than the snapshot of 2026-12-02" in (refused.message or "")
    assert entry_row(store, "2").delisted_on is None


def test_a_bad_file_leaves_the_previous_snapshot_as_it_was(store: Store) -> None:
    load(store, [ALICE, BORIS, CLARA], D1)
    names_before = count(store, TargetName)

    def breaks_midway() -> Iterator[ListEntry]:
        yield ALICE
        raise ListFileError("sdn.xml", 7, "the XML is not well-formed (mismatched tag)")

    with pytest.raises(ListFileError, match="sdn.xml:7: the XML is not well-formed"):
        import_list_file(store, ListFile("sdn.xml", "ofac_xml", D2, breaks_midway()))
    assert count(store, ListSnapshot) == 1 and count(store, TargetName) == names_before
    assert all(entry_row(store, entry_id).delisted_on is None for entry_id in ("1", "2", "3"))


def test_a_bad_file_on_disk_is_refused_in_one_sentence_and_nothing_is_stored(store: Store, tmp_path: Path) -> None:
    import_paths(store, [SAMPLES_DIR / "ofac_sdn.xml"])
    cut = tmp_path / "sdn.xml"
    text = (SAMPLES_DIR / "ofac_sdn_v2.xml").read_text(encoding="utf-8")
    cut.write_text(text[: len(text) // 2], encoding="utf-8")
    report = import_paths(store, [cut])
    assert report.outcomes == [] and len(report.refused) == 1
    assert report.refused[0].startswith(f"{cut}:") and report.refused[0].endswith("nothing of it was stored.")
    assert count(store, ListSnapshot) == 1
    with store.session() as session:
        assert session.scalar(select(func.count()).where(ListEntryRow.delisted_on.is_not(None))) == 0


def test_one_ftm_file_gives_a_snapshot_of_each_list_it_carries(store: Store) -> None:
    report = import_paths(store, [SAMPLES_DIR / "opensanctions_entities.ftm.ndjson"], as_of=D1)
    lists = {o.list_id for o in report.outcomes}
    assert {"us_ofac_sdn", "eu_fsf", "gb_fcdo_sanctions"} <= lists
    assert {o.source for o in report.outcomes} == {"opensanctions"}
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(ListSnapshot)) == len(lists)


def _target_of(store: Store, entry_id: str) -> int:
    with store.session() as session:
        target = session.scalar(
            select(TargetName.target_id)
            .join(ListEntryRow, ListEntryRow.name_id == TargetName.id)
            .where(ListEntryRow.entry_id == entry_id)
        )
        assert target is not None
        return target
