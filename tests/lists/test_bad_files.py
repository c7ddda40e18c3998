"""A bad list file is refused with one sentence naming the file, the line and what is wrong.

An XML bomb, malformed XML, a gzip download cut short, a file of another kind
or of another format than the one forced: each raises ListFileError, never a
parser's traceback and never a partial list read as if it were whole.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from storage.lists.entries import ListFileError
from storage.lists.reading import SAMPLES_DIR, read_list

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE sdnList [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<sdnList><sdnEntry><uid>1</uid><lastName>&lol9;</lastName><sdnType>Entity</sdnType></sdnEntry></sdnList>
"""


def refusal(path: Path, format: str | None = None) -> ListFileError:
    """The error reading the whole file raises, whether at opening or while the entries stream."""
    with pytest.raises(ListFileError) as caught:
        list(read_list(path, format).entries)
    return caught.value


def test_an_xml_bomb_is_refused_at_its_doctype(tmp_path):
    bomb = tmp_path / "sdn.xml"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")
    error = refusal(bomb)
    assert str(error).startswith(f"{bomb}:2: ")
    assert "XML bomb" in str(error)


def test_an_external_entity_is_refused_and_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read", encoding="utf-8")
    xxe = tmp_path / "un.xml"
    xxe.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY s SYSTEM "file://{secret}">]>\n'
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER>"
        "<FIRST_NAME>&s;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n",
        encoding="utf-8",
    )
    error = refusal(xxe)
    assert error.line == 2 and "DOCTYPE" in error.problem


def test_a_doctype_hidden_after_a_long_comment_is_refused_too(tmp_path):
    hidden = tmp_path / "sdn.xml"
    hidden.write_text('<?xml version="1.0"?>\n<!--' + "x" * 100_000 + "-->\n" + BILLION_LAUGHS.split("\n", 1)[1],
                      encoding="utf-8")
    with pytest.raises(ListFileError, match="XML bomb"):
        list(read_list(hidden, "ofac_xml").entries)


def test_malformed_xml_names_the_line_lxml_found(tmp_path):
    broken = tmp_path / "fsf.xml"
    lines = (SAMPLES_DIR / "eu_fsf.xml").read_text(encoding="utf-8").splitlines()
    lines[40] = lines[40].replace("<nameAlias ", "<nameAlias broken ", 1) if "<nameAlias " in lines[40] else (
        lines[40] + "<unclosed>")
    broken.write_text("\n".join(lines), encoding="utf-8")
    error = refusal(broken)
    assert error.path == str(broken)
    assert error.line is not None and error.line >= 41
    assert str(error).startswith(f"{broken}:{error.line}: the XML is malformed")


def test_malformed_xml_after_good_entries_is_refused_not_cut_short(tmp_path):
    entry = "<sdnEntry><uid>{uid}</uid><lastName>ENTRY {uid}</lastName><sdnType>Entity</sdnType></sdnEntry>\n"
    body = "".join(entry.format(uid=uid) for uid in range(1, 3001)).replace("<uid>2900</uid>", "<uid>2900</uids>")
    broken = tmp_path / "sdn.xml"
    broken.write_text('<?xml version="1.0"?>\n<sdnList>\n' + body + "</sdnList>\n", encoding="utf-8")
    listing = read_list(broken)
    read = []
    with pytest.raises(ListFileError, match="malformed") as caught:
        for found in listing.entries:
            read.append(found.entry_id)
    assert caught.value.line == 2902  # where <uid>2900</uids> is
    assert 0 < len(read) < 2899  # some entries had streamed; the list still ends in a refusal


def test_a_truncated_gzip_is_refused_whether_short_or_cut_mid_list(tmp_path):
    whole = gzip.compress((SAMPLES_DIR / "eu_fsf.xml").read_bytes())
    short = tmp_path / "fsf.xml.gz"
    short.write_bytes(whole[: len(whole) // 2])
    assert "gzip file is truncated" in str(refusal(short))

    big = "\n".join(
        json.dumps({"id": f"p{n}", "schema": "Person", "datasets": ["eu_fsf"], "properties": {"name": [f"P {n}"]}})
        for n in range(20_000)
    ).encode()
    cut = tmp_path / "entities.ftm.json.gz"
    packed = gzip.compress(big)
    cut.write_bytes(packed[: len(packed) - 100])
    error = refusal(cut)
    assert "gzip file is truncated" in error.problem
    assert error.path == str(cut)


def test_a_truncated_gzip_of_the_uk_csv_is_refused_with_its_line(tmp_path):
    header, *rows = (SAMPLES_DIR / "uk_sanctions_list.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    text = header + rows[0] + "".join(rows[1:] * 400)
    packed = gzip.compress(text.encode("utf-8"), compresslevel=1)
    cut = tmp_path / "uk.csv.gz"
    cut.write_bytes(packed[: len(packed) * 3 // 4])
    assert "gzip file is truncated" in refusal(cut).problem


@pytest.mark.parametrize("content, expected", [
    (b"Name,Date\nWang Junzheng,2021-03-22\n", "not a list we read"),
    (b'{"title": "an article", "text": "..."}\n', "not a FollowTheMoney entity"),
    (b'<?xml version="1.0"?>\n<!-- a feed -->\n<rss><channel/></rss>\n', "root <rss>"),
    (b"\x00\x01\x02 binary", "not a list we read"),
])
def test_a_file_of_another_kind_is_refused(tmp_path, content, expected):
    other = tmp_path / "download"
    other.write_bytes(content)
    error = refusal(other)
    assert expected in error.problem
    assert error.line is not None


def test_forcing_a_format_the_file_is_not_is_refused(tmp_path):
    error = refusal(SAMPLES_DIR / "eu_fsf.xml", "ofac_xml")
    assert str(error) == f"{SAMPLES_DIR / 'eu_fsf.xml'}:2: the root element is <export>, not OFAC's <sdnList>"
    assert "JSON" in refusal(SAMPLES_DIR / "eu_fsf.xml", "ftm").problem
    assert "not CSV" in refusal(SAMPLES_DIR / "eu_fsf.xml", "uk_csv").problem
    assert "not CSV" in refusal(SAMPLES_DIR / "opensanctions_entities.ftm.ndjson", "uk_csv").problem
    assert "not the UN's" in refusal(SAMPLES_DIR / "uk_sanctions_list.xml", "un_xml").problem


def test_an_unknown_format_name_and_a_missing_file_are_refused():
    assert "unknown list format" in refusal(SAMPLES_DIR / "eu_fsf.xml", "sdn").problem
    assert refusal(SAMPLES_DIR / "no_such_list.xml").problem == "no such file"


def test_a_broken_ftm_line_is_named(tmp_path):
    lines = (SAMPLES_DIR / "opensanctions_entities.ftm.ndjson").read_text(encoding="utf-8").splitlines()
    lines[6] = lines[6][:40]
    broken = tmp_path / "entities.ftm.json"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = refusal(broken)
    assert (error.line, error.problem.split(" (")[0]) == (7, "the line is not a JSON entity")


def test_an_unknown_ftm_schema_and_a_delta_file_are_refused(tmp_path):
    odd = tmp_path / "entities.ftm.json"
    odd.write_text(json.dumps({"id": "x", "schema": "Spaceship", "properties": {}}) + "\n", encoding="utf-8")
    assert "unknown FollowTheMoney schema 'Spaceship'" in refusal(odd).problem
    delta = tmp_path / "entities.delta.json"
    delta.write_text(json.dumps({"op": "ADD", "entity": {"id": "x", "schema": "Person"}}) + "\n", encoding="utf-8")
    assert "delta" in refusal(delta).problem


def test_a_uk_csv_without_its_columns_or_with_a_row_without_unique_id_is_refused(tmp_path):
    no_columns = tmp_path / "uk.csv"
    header = (SAMPLES_DIR / "uk_sanctions_list.csv").read_text(encoding="utf-8").splitlines()
    no_columns.write_text("\n".join([header[0], header[1].replace("Unique ID", "Ref")] + header[2:]), encoding="utf-8")
    with pytest.raises(ListFileError, match="not the UK Sanctions List CSV"):
        list(read_list(no_columns, "uk_csv").entries)
    no_id = tmp_path / "uk2.csv"
    no_id.write_text("\n".join(header[:3] + [header[3].replace("GHR0901", "")] + header[4:]), encoding="utf-8")
    error = refusal(no_id)
    assert (error.line, error.problem) == (4, "a row without a Unique ID")
