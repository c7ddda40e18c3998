"""List entries meet the press: linked to the person the articles name, or a person of their own."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import select

from storage.answers.queries import answer
from storage.answers.questions import parse_question
from storage.db.generation import current_generation
from storage.db.models import ListEntryRow, NameToken, Target, TargetName, TargetToken
from storage.db.store import Store
from storage.ingest.writer import ingest_paths
from storage.lists.entries import ListEntry, ListFile
from storage.lists.listings import Listing, listings_for_targets
from storage.lists.reading import SAMPLES_DIR as LIST_SAMPLES
from storage.lists.snapshots import SnapshotOutcome, import_list_file, import_paths
from storage.names.index import reindex_targets
from storage.names.stored import merge_keys
from storage.samples import SAMPLES_DIR
from tests.builders import simple_article, write_json

TODAY = date(2026, 12, 8)
WANG_ARTICLE = SAMPLES_DIR / "01-us-treasury-wang-junzheng-chen-mingguo.json"


def load(store: Store, entries: list[ListEntry], format: str = "ofac_xml") -> SnapshotOutcome:
    (outcome,) = import_list_file(store, ListFile("list.xml", format, TODAY, iter(entries)))
    assert outcome.status == "stored", outcome
    return outcome


def entry(entry_id: str, name: str, list_id: str = "us_ofac_sdn", kind: str = "person", **fields) -> ListEntry:  # type: ignore[no-untyped-def]
    return ListEntry(list_id=list_id, entry_id=entry_id, kind=kind, name=name, **fields)  # type: ignore[arg-type]


def ask(store: Store, text: str):  # type: ignore[no-untyped-def]
    return answer(store, parse_question(text, TODAY))


def target_of(store: Store, entry_id: str, list_id: str = "us_ofac_sdn") -> int:
    with store.session() as session:
        target = session.scalar(
            select(TargetName.target_id)
            .join(ListEntryRow, ListEntryRow.name_id == TargetName.id)
            .where(ListEntryRow.list_id == list_id, ListEntryRow.entry_id == entry_id)
        )
    assert target is not None
    return target


def press_target(store: Store, name: str) -> int:
    result = ask(store, name)
    assert result.best == name and result.matches[0].actions, result
    assert result.matches[0].target_id is not None
    return result.matches[0].target_id


def listings(store: Store, target_id: int) -> list[Listing]:
    with store.session() as session:
        return listings_for_targets(session, [target_id]).get(target_id, [])


def test_the_ofac_entry_for_wang_junzheng_links_to_the_press_target_of_the_samples(store: Store) -> None:
    assert ingest_paths(store, [SAMPLES_DIR]).rejected == 0
    wang = press_target(store, "Wang Junzheng")
    report = import_paths(store, [LIST_SAMPLES / "ofac_sdn.xml"])
    assert [o.status for o in report.outcomes] == ["stored"]

    assert target_of(store, "90007") == wang
    result = ask(store, "wang junzheng")
    assert result.best == "Wang Junzheng" and len(result.matches) == 1
    assert {a.jurisdiction for a in result.matches[0].actions} >= {"US", "EU"}  # the press reports stay
    (ofac,) = listings(store, wang)
    assert (ofac.list, ofac.entry_id, ofac.jurisdiction) == ("us_ofac_sdn", "90007", "US")
    # sdn.xml gives no listing date: none is made up; the card says "since at least" the first snapshot.
    assert ofac.listed_on is None and ofac.first_seen == date(2021, 3, 22) and ofac.delisted_on is None


def test_every_list_of_the_samples_links_to_the_one_wang_junzheng(store: Store) -> None:
    ingest_paths(store, [WANG_ARTICLE])
    wang = press_target(store, "Wang Junzheng")
    files = ["ofac_sdn.xml", "eu_fsf.xml", "uk_sanctions_list.xml", "ca_sema_bilingual.xml",
             "opensanctions_entities.ftm.ndjson"]
    import_paths(store, [LIST_SAMPLES / name for name in files])
    shown = listings(store, wang)
    assert [listing.list for listing in shown].count("us_ofac_sdn") == 1  # two sources, shown once
    assert {listing.jurisdiction for listing in shown} == {"US", "EU", "GB", "CA"}
    eu = next(listing for listing in shown if listing.list == "eu_fsf")
    assert eu.listed_on == date(2021, 3, 22)
    assert "王君正" in ask(store, "王君正").matches[0].aliases or ask(store, "王君正").best == "Wang Junzheng"


def test_a_surname_alone_links_nobody(store: Store) -> None:
    ingest_paths(store, [WANG_ARTICLE])
    wang = press_target(store, "Wang Junzheng")
    outcome = load(store, [entry("1", "WANG")])
    assert outcome.linked == 0
    assert target_of(store, "1") != wang
    assert listings(store, wang) == []


def test_two_entries_of_one_list_sharing_a_name_link_neither_and_are_never_merged_later(
    store: Store, tmp_path: Path,
) -> None:
    ingest_paths(store, [WANG_ARTICLE])
    wang = press_target(store, "Wang Junzheng")
    outcome = load(store, [entry("1", "WANG Junzheng"), entry("2", "Junzheng Wang")])
    assert outcome.linked == 0
    first, second = target_of(store, "1"), target_of(store, "2")
    assert len({first, second, wang}) == 3
    # An article naming him again merges into the press target as before, not into either entry's.
    write_json(tmp_path / "again.json", simple_article("again", "Wang Junzheng", "The EU", "on Monday"))
    ingest_paths(store, [tmp_path / "again.json"])
    result = ask(store, "wang junzheng")
    assert [m.target_id for m in result.matches if m.actions] == [wang]
    assert len({target_of(store, "1"), target_of(store, "2"), wang}) == 3
    assert result.best is None  # three people of one name: the answer says several fit, and shows each


def test_contradicting_birth_dates_keep_two_people_apart(store: Store) -> None:
    eu = load(store, [entry("EU.1", "Ivan Testovich Petrovsky", "eu_fsf", birth_dates=("1960-04",))], "eu_xml")
    assert eu.linked == 0  # nobody to link to: a target of its own
    uk = load(store, [entry("GB1", "Ivan Testovich Petrovsky", "gb_fcdo_sanctions", birth_dates=("1975-01-02",))],
              "uk_xml")
    assert uk.linked == 0
    assert target_of(store, "GB1", "gb_fcdo_sanctions") != target_of(store, "EU.1", "eu_fsf")
    ca = load(store, [entry("CA1", "Ivan Testovich Petrovsky", "ca_dfatd_sema_sanctions", birth_dates=("1960",))],
              "ca_xml")
    assert ca.linked == 1
    assert target_of(store, "CA1", "ca_dfatd_sema_sanctions") == target_of(store, "EU.1", "eu_fsf")


def test_a_person_entry_never_links_to_an_organisation_of_the_same_name(store: Store) -> None:
    load(store, [entry("EU.9", "Golden Falcon Trading", "eu_fsf", kind="organization")], "eu_xml")
    person = load(store, [entry("P1", "Golden Falcon Trading")])
    assert person.linked == 0
    assert target_of(store, "P1") != target_of(store, "EU.9", "eu_fsf")
    vessel = load(store, [entry("V1", "Golden Falcon Trading", "gb_fcdo_sanctions", kind="vessel")], "uk_xml")
    assert vessel.linked == 1  # a vessel is held as an organisation


def test_two_targets_sharing_the_name_link_neither(store: Store) -> None:
    key = merge_keys([("Wang Junzheng", "value")], "person")["Wang Junzheng"]
    with store.session() as session:
        for _ in range(2):  # two people of one name that the desk keeps apart
            target = Target(kind="person", name="Wang Junzheng")
            session.add(target)
            session.flush()
            session.add(TargetName(target_id=target.id, name="Wang Junzheng", origin="value", merge_key=key,
                                   tokens="wang junzheng", published=TODAY))
    outcome = load(store, [entry("1", "WANG Junzheng")])
    assert outcome.linked == 0
    with store.session() as session:
        targets = session.scalars(select(Target.id).where(Target.name.in_(["Wang Junzheng", "WANG Junzheng"]))).all()
    assert len(targets) == 3


def test_an_entry_no_article_names_is_found_by_name_as_a_target_of_its_own(store: Store) -> None:
    ingest_paths(store, [WANG_ARTICLE])
    with store.session() as session:
        before = current_generation(session)
    load(store, [entry("77", "Pyotr Listonly SIDORENKO", aliases=("Пётр Сидоренко",), programs=("RUSSIA-EO14024",))])
    with store.session() as session:
        assert current_generation(session) > before
    for query in ("pyotr sidorenko", "Sidorenko Pyotr Listonly", "Пётр Сидоренко"):
        result = ask(store, query)
        assert result.best == "Pyotr Listonly SIDORENKO", query
        match = result.matches[0]
        assert match.actions == [] and match.type == "person"
        (listing,) = listings(store, match.target_id)
        assert (listing.entry_id, listing.programs) == ("77", ("RUSSIA-EO14024",))


def test_a_listing_follows_its_person_when_an_article_about_them_arrives_later(store: Store, tmp_path: Path) -> None:
    # A list file dated before the article: its capitals must still not head the card.
    old_file = ListFile("sdn.xml", "ofac_xml", date(2021, 3, 1), iter([entry("77", "Pyotr Listonly SIDORENKO")]))
    import_list_file(store, old_file)
    article = simple_article("later", "Pyotr Listonly Sidorenko", "The Treasury", "on Monday")
    write_json(tmp_path / "later.json", article)
    ingest_paths(store, [tmp_path / "later.json"])
    result = ask(store, "pyotr listonly sidorenko")
    assert len(result.matches) == 1 and result.matches[0].actions
    assert result.best == "Pyotr Listonly Sidorenko"  # the press's spelling heads the card, not the list's capitals
    assert [listing.entry_id for listing in listings(store, result.matches[0].target_id)] == ["77"]


def test_the_index_a_list_writes_is_the_one_ingest_would_write(store: Store) -> None:
    ingest_paths(store, [WANG_ARTICLE])
    import_paths(store, [LIST_SAMPLES / "opensanctions_entities.ftm.ndjson", LIST_SAMPLES / "un_consolidated.xml"])

    def index() -> tuple[set[tuple[int, int]], dict[int, int]]:
        with store.session() as session:
            postings = {(t, k) for t, k in session.execute(select(TargetToken.target_id, TargetToken.token_id))}
            counts = dict(session.execute(select(NameToken.id, NameToken.df)).all())
        return postings, counts

    written = index()
    assert Counter(token for _, token in written[0]) == Counter({t: df for t, df in written[1].items() if df})
    with store.session() as session:
        reindex_targets(session, session.scalars(select(Target)).all())
    assert index() == written


def test_an_alias_a_later_snapshot_adds_finds_the_person_too(store: Store) -> None:
    load(store, [entry("77", "Pyotr Listonly Sidorenko")])
    assert ask(store, "Пётр Сидоренко").best is None
    (later,) = import_list_file(store, ListFile("sdn.xml", "ofac_xml", date(2026, 12, 9), iter([
        entry("77", "Pyotr Listonly Sidorenko", aliases=("Пётр Сидоренко",)),
    ])))
    assert (later.added, later.delisted) == (0, 0)
    assert ask(store, "Пётр Сидоренко").best == "Pyotr Listonly Sidorenko"


def test_opensanctions_one_id_on_several_lists_is_one_person_even_when_the_name_is_shared(store: Store) -> None:
    ivan_1, ivan_2 = entry("NK-1", "Ivan Petrov", "eu_fsf"), entry("NK-2", "Ivan Petrov", "eu_fsf")
    load(store, [ivan_1, ivan_2], "ftm")
    assert target_of(store, "NK-1", "eu_fsf") != target_of(store, "NK-2", "eu_fsf")
    on_ofac = load(store, [entry("NK-2", "Ivan Petrov")], "ftm")
    assert on_ofac.linked == 1
    assert target_of(store, "NK-2") == target_of(store, "NK-2", "eu_fsf")
    # A publisher's ids are its own: the same id on another list says nothing.
    publisher = load(store, [entry("NK-1", "Olga Sokolova", "gb_fcdo_sanctions")], "uk_xml")
    assert publisher.linked == 0
