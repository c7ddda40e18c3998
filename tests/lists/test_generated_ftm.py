"""A generated OpenSanctions file, ordered by id as the real one is: every sanctioned target found once per list.

The full-size measurement (100,000 targets) is run by hand:
`.venv/bin/python -m tests.lists.ftm_generator 100000` (docs/lists.md has the numbers).
"""

from __future__ import annotations

import gzip

from storage.lists.reading import read_list
from tests.lists.ftm_generator import write_ftm


def test_every_list_and_target_pair_is_read_once_whether_its_sanction_comes_before_or_after(tmp_path):
    path = tmp_path / "entities.ftm.json"
    expected = write_ftm(path, 3_000)
    found = [(entry.list_id, entry.entry_id) for entry in read_list(path).entries]
    assert len(found) == expected
    assert len(set(found)) == expected
    assert all(entry_id.startswith("NK-") for _, entry_id in found)  # no address, no sanction is an entry


def test_the_generated_file_gzipped_reads_the_same(tmp_path):
    path = tmp_path / "entities.ftm.json"
    write_ftm(path, 500)
    packed = tmp_path / "entities.ftm.json.gz"
    packed.write_bytes(gzip.compress(path.read_bytes()))
    assert list(read_list(packed).entries) == list(read_list(path).entries)
