"""Reading each official list's own file: the names, kinds, programmes, dates and keys a journalist would check.

Every test reads a bundled sample (storage/samples/lists/, facts in its
FACTS.md), or a copy of one changed the way a publisher's real file differs
(a weak a.k.a., a gzip download, the file's other form).
"""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest

from storage.lists.entries import ListEntry
from storage.lists.reading import SAMPLES_DIR, read_list


def entries(path: Path, format: str | None = None) -> dict[str, ListEntry]:
    return {entry.entry_id: entry for entry in read_list(path, format).entries}


def without_line(entry: ListEntry) -> ListEntry:
    """The entry as a reader would give it from any form of the file: where it sat is no part of it."""
    from dataclasses import replace

    return replace(entry, line=0)


# --- OFAC ------------------------------------------------------------------------------------

def test_ofac_gives_no_listing_date_only_the_files_publish_date():
    listing = read_list(SAMPLES_DIR / "ofac_sdn.xml")
    found = {entry.entry_id: entry for entry in listing.entries}
    assert listing.format == "ofac_xml"
    assert listing.published == date(2021, 3, 22)
    assert len(found) == 9
    assert all(entry.listed_on is None for entry in found.values())


def test_ofac_entry_has_names_kind_programmes_birth_date_and_official_link():
    wang = entries(SAMPLES_DIR / "ofac_sdn.xml")["90007"]
    assert (wang.list_id, wang.kind, wang.name) == ("us_ofac_sdn", "person", "Junzheng WANG")
    assert wang.programs == ("GLOMAG",)
    assert wang.birth_dates == ("1963-05",)
    assert wang.nationalities == ("China",)
    assert wang.url == "https://sanctionssearch.ofac.treas.gov/Details.aspx?id=90007"
    deripaska = entries(SAMPLES_DIR / "ofac_sdn.xml")["90002"]
    assert deripaska.programs == ("UKRAINE-EO13661", "UKRAINE-EO13662")
    assert deripaska.birth_dates == ("1968-01-02",)


def test_ofac_kinds_and_akas_of_entities_and_vessels():
    found = entries(SAMPLES_DIR / "ofac_sdn.xml")
    assert found["90004"].kind == "organization"
    assert found["90004"].aliases == ("XPCC", "CHINA XINJIAN GROUP")
    assert (found["90009"].kind, found["90009"].aliases) == ("vessel", ("GRACE 1",))


def test_both_ofac_namespaces_give_the_same_entries():
    old = read_list(SAMPLES_DIR / "ofac_sdn.xml")
    new = read_list(SAMPLES_DIR / "ofac_sdn_new_namespace.xml")
    assert old.published == new.published
    assert list(old.entries) == list(new.entries)


def test_ofac_second_version_drops_one_entry_and_adds_another_with_the_same_record_count():
    first = set(entries(SAMPLES_DIR / "ofac_sdn.xml"))
    second = read_list(SAMPLES_DIR / "ofac_sdn_v2.xml")
    assert second.published == date(2021, 4, 2)
    later = {entry.entry_id for entry in second.entries}
    assert first - later == {"90001"}  # Bensouda, delisted 2 April 2021
    assert later - first == {"90010"}  # Myanmar Economic Corporation


def test_ofac_weak_akas_are_kept_apart_from_strong_ones(tmp_path):
    text = (SAMPLES_DIR / "ofac_sdn.xml").read_text(encoding="utf-8").replace(
        "<lastName>CHINA XINJIAN GROUP</lastName>",
        "<lastName>CHINA XINJIAN GROUP</lastName></aka><aka><uid>1</uid><type>a.k.a.</type>"
        "<category>weak</category><lastName>BINGTUAN</lastName>",
    )
    (tmp_path / "sdn.xml").write_text(text, encoding="utf-8")
    corps = entries(tmp_path / "sdn.xml")["90004"]
    assert corps.aliases == ("XPCC", "CHINA XINJIAN GROUP")
    assert corps.weak_aliases == ("BINGTUAN",)


def test_a_gzip_download_reads_as_the_plain_file(tmp_path):
    packed = tmp_path / "sdn.xml.gz"
    packed.write_bytes(gzip.compress((SAMPLES_DIR / "ofac_sdn.xml").read_bytes()))
    assert list(read_list(packed).entries) == list(read_list(SAMPLES_DIR / "ofac_sdn.xml").entries)


# --- EU --------------------------------------------------------------------------------------

def test_eu_entries_carry_designation_date_chinese_names_and_the_files_generation_date():
    listing = read_list(SAMPLES_DIR / "eu_fsf.xml")
    found = {entry.entry_id: entry for entry in listing.entries}
    assert (listing.format, listing.published) == ("eu_xml", date(2026, 12, 7))
    wang = found["190102"]
    assert (wang.list_id, wang.kind, wang.name) == ("eu_fsf", "person", "WANG Junzheng")
    assert wang.aliases == ("王君正",)
    assert wang.listed_on == date(2021, 3, 22)
    assert wang.programs == ("HR",)
    assert wang.birth_dates == ("1963-05",)
    bureau = found["190105"]
    assert bureau.kind == "organization"
    assert bureau.aliases == ("新疆生产建设兵团公安局",)


def test_eu_entry_without_designation_date_has_none_not_the_amendments_date(tmp_path):
    text = (SAMPLES_DIR / "eu_fsf.xml").read_text(encoding="utf-8").replace(
        'logicalId="190102" designationDate="2021-03-22"', 'logicalId="190102"')
    (tmp_path / "fsf.xml").write_text(text, encoding="utf-8")
    wang = entries(tmp_path / "fsf.xml")["190102"]
    assert wang.listed_on is None
    assert wang.programs == ("HR",)


# --- UK --------------------------------------------------------------------------------------

def test_uk_csv_gathers_one_entry_per_unique_id_from_its_rows():
    listing = read_list(SAMPLES_DIR / "uk_sanctions_list.csv")
    found = {entry.entry_id: entry for entry in listing.entries}
    assert (listing.format, listing.published) == ("uk_csv", date(2026, 12, 8))
    assert sorted(found) == ["GHR0901", "GHR0902", "GHR0903", "GHR0904", "GHR0905"]
    wang = found["GHR0902"]
    assert (wang.kind, wang.name, wang.aliases) == ("person", "Junzheng WANG", ("王君正",))
    assert wang.listed_on == date(2021, 3, 22)
    assert wang.birth_dates == ("1963-05",)  # written dd/05/1963
    assert wang.programs == ("The Global Human Rights Sanctions Regulations 2020",)
    assert found["GHR0905"].kind == "organization"


def test_uk_csv_and_uk_xml_give_the_same_entries():
    from_csv = [without_line(entry) for entry in read_list(SAMPLES_DIR / "uk_sanctions_list.csv").entries]
    from_xml = [without_line(entry) for entry in read_list(SAMPLES_DIR / "uk_sanctions_list.xml").entries]
    assert from_csv == from_xml
    assert len(from_xml) == 5


def test_uk_csv_rows_of_one_designation_apart_still_make_one_entry_and_low_quality_aliases_are_weak(tmp_path):
    lines = (SAMPLES_DIR / "uk_sanctions_list.csv").read_text(encoding="utf-8").splitlines()
    alias = lines[4].replace(",Primary Name,,", ",Alias,Low quality a.k.a,").replace(",WANG,Junzheng,", ",WANG,Jun,")
    moved = lines[:4] + lines[5:] + [lines[4], alias]  # Wang's Chinese-name row first, far from his primary row
    (tmp_path / "uk.csv").write_text("\n".join(moved) + "\n", encoding="utf-8")
    found = entries(tmp_path / "uk.csv")
    assert len(found) == 5
    wang = found["GHR0902"]
    assert (wang.name, wang.aliases, wang.weak_aliases) == ("Junzheng WANG", ("王君正",), ("Jun WANG",))


def test_uk_unknown_day_and_month_of_birth_keep_the_year_only(tmp_path):
    text = (SAMPLES_DIR / "uk_sanctions_list.xml").read_text(encoding="utf-8").replace(
        "<DOB>dd/05/1963</DOB>", "<DOB>dd/mm/1963</DOB>")
    (tmp_path / "uk.xml").write_text(text, encoding="utf-8")
    assert entries(tmp_path / "uk.xml")["GHR0902"].birth_dates == ("1963",)


# --- UN --------------------------------------------------------------------------------------

def test_un_listing_dates_with_and_without_a_zone_and_the_files_date():
    listing = read_list(SAMPLES_DIR / "un_consolidated.xml")
    found = {entry.entry_id: entry for entry in listing.entries}
    assert (listing.format, listing.published) == ("un_xml", date(2026, 12, 7))
    assert found["QDi.422"].listed_on == date(2019, 5, 1)
    assert found["QDe.019"].listed_on == date(2001, 10, 17)  # written 2001-10-17-04:00


def test_un_names_split_packed_aliases_skip_empty_ones_and_keep_the_original_script():
    found = entries(SAMPLES_DIR / "un_consolidated.xml")
    azhar = found["QDi.422"]
    assert (azhar.kind, azhar.name) == ("person", "MOHAMMAD MASOOD AZHAR ALVI")
    assert azhar.aliases == ("محمد مسعود أظهر علوي", "Masood Azhar")  # the empty alias is no name
    assert azhar.birth_dates == ("1968-07-10",)
    assert azhar.programs == ("Al-Qaida",)
    jem = found["QDe.019"]
    assert jem.kind == "organization"
    assert jem.aliases == ("جيش محمد", "Army of Mohammed", "Mohammed's Army", "Khuddam-ul-Islam")


def test_un_low_quality_aliases_are_weak(tmp_path):
    text = (SAMPLES_DIR / "un_consolidated.xml").read_text(encoding="utf-8").replace(
        "<QUALITY/>\n        <ALIAS_NAME/>",
        "<QUALITY>Low</QUALITY>\n        <ALIAS_NAME>Low Alias A; Low Alias B</ALIAS_NAME>",
    )
    (tmp_path / "un.xml").write_text(text, encoding="utf-8")
    azhar = entries(tmp_path / "un.xml")["QDi.422"]
    assert azhar.weak_aliases == ("Low Alias A", "Low Alias B")
    assert "Low Alias B" not in azhar.aliases


# --- Canada ----------------------------------------------------------------------------------

def test_canada_entries_are_keyed_by_country_schedule_and_item_with_their_date_of_listing():
    listing = read_list(SAMPLES_DIR / "ca_sema_old.xml")
    found = {entry.entry_id: entry for entry in listing.entries}
    assert (listing.format, listing.published) == ("ca_xml", None)
    assert len(found) == 5  # Item 1 of Part 1 and Item 1 of Part 2 are two entries
    wang = found["China / Chine|Part 1|2"]
    assert (wang.list_id, wang.kind, wang.name) == ("ca_dfatd_sema_sanctions", "person", "Junzheng Wang")
    assert wang.listed_on == date(2021, 3, 21)
    assert found["China / Chine|Part 2|1"].kind == "organization"


def test_both_canada_forms_give_the_same_entries():
    old = list(read_list(SAMPLES_DIR / "ca_sema_old.xml").entries)
    bilingual = list(read_list(SAMPLES_DIR / "ca_sema_bilingual.xml").entries)
    assert old == bilingual


# --- OpenSanctions FtM -----------------------------------------------------------------------

FTM = SAMPLES_DIR / "opensanctions_entities.ftm.ndjson"


def test_ftm_gives_one_entry_per_list_and_target():
    listing = read_list(FTM)
    found = list(listing.entries)
    assert (listing.format, listing.published) == ("ftm", None)
    by_list: dict[str, set[str]] = {}
    for entry in found:
        by_list.setdefault(entry.list_id, set()).add(entry.name)
    assert by_list["us_ofac_sdn"] == {
        "Zhu Hailun", "Wang Junzheng", "Wang Mingshan", "Chen Mingguo", "Xinjiang Public Security Bureau",
        "Sberbank of Russia",
    }
    people = {"Zhu Hailun", "Wang Junzheng", "Wang Mingshan", "Chen Mingguo"}
    bureau = "Xinjiang Production and Construction Corps Public Security Bureau"
    for list_id in ("eu_fsf", "gb_fcdo_sanctions", "ca_dfatd_sema_sanctions"):
        assert by_list[list_id] == people | {bureau}
    assert len(found) == 21


def test_ftm_dates_come_from_the_sanction_never_from_first_seen():
    found = {(entry.list_id, entry.name): entry for entry in read_list(FTM).entries}
    assert found[("us_ofac_sdn", "Wang Junzheng")].listed_on is None
    assert found[("eu_fsf", "Wang Junzheng")].listed_on == date(2021, 3, 22)
    assert found[("ca_dfatd_sema_sanctions", "Wang Junzheng")].listed_on == date(2021, 3, 21)
    wang = found[("eu_fsf", "Wang Junzheng")]
    assert (wang.kind, wang.aliases, wang.birth_dates) == ("person", ("王君正",), ("1963-05",))
    assert wang.programs == ("EU global human rights sanctions regime (Regulation (EU) 2020/1998)",)
    assert wang.authority == "Council of the European Union"
    assert found[("us_ofac_sdn", "Sberbank of Russia")].kind == "organization"


def test_ftm_addresses_and_identifications_are_no_entries():
    names = {entry.name for entry in read_list(FTM).entries}
    assert not any("Guangming" in name or "7707083893" in name for name in names)


def _ftm_line(entity_id: str, schema: str, datasets: list[str], **properties: list[str]) -> str:
    import json

    return json.dumps({"id": entity_id, "schema": schema, "datasets": datasets, "properties": properties})


def test_ftm_sanction_before_its_target_earliest_start_and_end_date_as_delisting(tmp_path):
    lines = [
        _ftm_line("s1", "Sanction", ["eu_fsf"], entity=["p1"], listingDate=["2022-09-14"], startDate=["2022-02-28"],
                  program=["RU"]),
        _ftm_line("s2", "Sanction", ["us_ofac_sdn"], entity=["p1"], program=["RUSSIA-EO14024"], endDate=["2023-05-01"]),
        _ftm_line("a1", "Address", ["eu_fsf"], full=["Moscow"]),
        _ftm_line("p1", "Person", ["eu_fsf", "us_ofac_sdn"], name=["Ivan Ivanov"], alias=["Иван Иванов"],
                  previousName=["Ivan Petrov"], weakAlias=["Vanya"], birthDate=["1970"]),
        _ftm_line("p2", "Person", ["eu_fsf"], name=["Not Sanctioned"]),
        _ftm_line("v1", "Vessel", ["us_ofac_sdn"], name=["SEA STAR"]),
        _ftm_line("s3", "Sanction", ["us_ofac_sdn"], entity=["v1"]),
    ]
    (tmp_path / "entities.ftm.json").write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = {(entry.list_id, entry.entry_id): entry for entry in read_list(tmp_path / "entities.ftm.json").entries}
    assert set(found) == {("eu_fsf", "p1"), ("us_ofac_sdn", "p1"), ("us_ofac_sdn", "v1")}
    eu = found[("eu_fsf", "p1")]
    assert eu.listed_on == date(2022, 2, 28)  # the earlier of listingDate and startDate
    assert eu.delisted_on is None
    assert eu.aliases == ("Иван Иванов", "Ivan Petrov")
    assert eu.weak_aliases == ("Vanya",)
    assert eu.birth_dates == ("1970",)
    assert found[("us_ofac_sdn", "p1")].delisted_on == date(2023, 5, 1)
    assert found[("us_ofac_sdn", "v1")].kind == "vessel"


def test_entries_stream_rather_than_arrive_as_a_list():
    from collections.abc import Iterator

    for name in ("ofac_sdn.xml", "eu_fsf.xml", "uk_sanctions_list.csv", "uk_sanctions_list.xml",
                 "un_consolidated.xml", "ca_sema_old.xml", "opensanctions_entities.ftm.ndjson"):
        assert isinstance(read_list(SAMPLES_DIR / name).entries, Iterator)


@pytest.mark.parametrize("name, format", [
    ("ofac_sdn.xml", "ofac_xml"), ("eu_fsf.xml", "eu_xml"), ("uk_sanctions_list.csv", "uk_csv"),
    ("uk_sanctions_list.xml", "uk_xml"), ("un_consolidated.xml", "un_xml"), ("ca_sema_bilingual.xml", "ca_xml"),
    ("opensanctions_entities.ftm.ndjson", "ftm"),
])
def test_the_format_is_told_from_the_content_and_forcing_the_right_one_changes_nothing(tmp_path, name, format):
    renamed = tmp_path / "download.bin"  # no telling by the name
    renamed.write_bytes((SAMPLES_DIR / name).read_bytes())
    told = read_list(renamed)
    assert told.format == format
    assert list(told.entries) == list(read_list(renamed, format).entries)


def test_an_ftm_entity_longer_than_the_first_bytes_read_is_still_told_apart(tmp_path):
    import json

    aliases = [f"Alias number {n}" for n in range(8_000)]  # well over the 64 KB looked at to tell the format
    lines = [
        json.dumps({"id": "c1", "schema": "Company", "datasets": ["us_ofac_sdn"],
                    "properties": {"name": ["Big Holding"], "alias": aliases}}),
        json.dumps({"id": "s1", "schema": "Sanction", "datasets": ["us_ofac_sdn"], "properties": {"entity": ["c1"]}}),
    ]
    (tmp_path / "entities.ftm.json").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (entry,) = read_list(tmp_path / "entities.ftm.json").entries
    assert (entry.name, len(entry.aliases)) == ("Big Holding", 8_000)
