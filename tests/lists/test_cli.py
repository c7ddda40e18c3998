"""`sanctions lists import` and `sanctions lists status` as an operator runs them, in a fresh working directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from lxml import etree

from storage.lists.reading import SAMPLES_DIR

SANCTIONS = [sys.executable, "-m", "bot.cli"]
REPO = Path(__file__).resolve().parents[2]


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("DATABASE_URL", None)
    return subprocess.run([*SANCTIONS, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_importing_two_versions_of_a_list_reports_what_changed_and_status_shows_the_snapshot(tmp_path: Path) -> None:
    first = run(tmp_path, "lists", "import", str(SAMPLES_DIR / "ofac_sdn.xml"))
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("us_ofac_sdn (publisher) as of 2021-03-22: 9 entries; 9 added, 0 delisted")

    second = run(tmp_path, "lists", "import", str(SAMPLES_DIR / "ofac_sdn_v2.xml"))
    assert second.returncode == 0, second.stderr
    assert "as of 2021-04-02: 9 entries; 1 added, 1 delisted, 0 listed again" in second.stdout

    again = run(tmp_path, "lists", "import", str(SAMPLES_DIR / "ofac_sdn_v2.xml"))
    assert again.stdout == "us_ofac_sdn (publisher): unchanged, as of 2021-04-02.\n"

    status = run(tmp_path, "lists", "status")
    assert status.returncode == 0
    lines = status.stdout.splitlines()
    assert lines[0] == "OFAC SDN List (us_ofac_sdn, US), as of 2021-04-02"
    assert lines[1].split() [:9] == ["publisher", "snapshot", "of", "2021-04-02:", "9", "in", "the", "file,", "9"]
    assert "9 listed, 1 delisted; imported " in lines[1] and " UTC from " in lines[1]
    assert lines[1].endswith(f"{SAMPLES_DIR / 'ofac_sdn_v2.xml'} (ofac_xml)")


def test_status_of_an_empty_store_says_how_to_load_a_list(tmp_path: Path) -> None:
    status = run(tmp_path, "lists", "status")
    assert status.returncode == 0
    assert status.stdout == "No official list is loaded; import one with `sanctions lists import FILE`.\n"


def test_a_file_without_a_date_takes_the_as_of_date(tmp_path: Path) -> None:
    imported = run(tmp_path, "lists", "import", "--as-of", "2026-12-01", str(SAMPLES_DIR / "uk_sanctions_list.xml"))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("gb_fcdo_sanctions (publisher) as of 2026-12-01: 5 entries")
    wrong = run(tmp_path, "lists", "import", "--as-of", "1 December", str(SAMPLES_DIR / "uk_sanctions_list.xml"))
    assert wrong.returncode == 2 and "must be a date written YYYY-MM-DD, not '1 December'" in wrong.stderr


def test_a_bad_file_is_refused_in_one_sentence_and_the_list_stays_as_it_was(tmp_path: Path) -> None:
    run(tmp_path, "lists", "import", str(SAMPLES_DIR / "ofac_sdn.xml"))
    bad = tmp_path / "sdn.xml"
    bad.write_text('<?xml version="1.0"?>\n<sdnList>\n  <sdnEntry><uid>1</uid>\n</sdnList>\n', encoding="utf-8")
    refused = run(tmp_path, "lists", "import", str(bad))
    assert refused.returncode == 1
    (sentence,) = refused.stderr.strip().splitlines()
    assert sentence.startswith(f"sanctions lists import: {bad}:") and sentence.endswith("nothing of it was stored.")
    assert "Traceback" not in refused.stderr
    assert "9 listed, 0 delisted" in run(tmp_path, "lists", "status").stdout


def test_a_list_cut_to_under_half_is_refused_unless_forced(tmp_path: Path) -> None:
    run(tmp_path, "lists", "import", str(SAMPLES_DIR / "ofac_sdn.xml"))
    tree = etree.parse(str(SAMPLES_DIR / "ofac_sdn_v2.xml"))
    entries = [element for element in tree.getroot() if etree.QName(element).localname == "sdnEntry"]
    for element in entries[2:]:
        element.getparent().remove(element)
    cut = tmp_path / "sdn_cut.xml"
    tree.write(str(cut), xml_declaration=True, encoding="utf-8")

    refused = run(tmp_path, "lists", "import", str(cut))
    assert refused.returncode == 1
    assert "has 2 entries, under half of the 9 of the snapshot of 2021-03-22" in refused.stderr
    assert "0 delisted" in run(tmp_path, "lists", "status").stdout

    forced = run(tmp_path, "lists", "import", "--force", str(cut))
    assert forced.returncode == 0, forced.stderr
    assert "as of 2021-04-02: 2 entries" in forced.stdout


def test_a_missing_file_or_an_unknown_format_imports_nothing(tmp_path: Path) -> None:
    missing = run(tmp_path, "lists", "import", str(SAMPLES_DIR / "ofac_sdn.xml"), str(tmp_path / "nope.xml"))
    assert missing.returncode == 2
    assert f"{tmp_path / 'nope.xml'} does not exist; nothing was imported." in missing.stderr
    unknown = run(tmp_path, "lists", "import", "--format", "pdf", str(SAMPLES_DIR / "ofac_sdn.xml"))
    assert unknown.returncode == 2 and "--format must be one of ofac_xml" in unknown.stderr
    assert run(tmp_path, "lists", "status").stdout.startswith("No official list is loaded")
