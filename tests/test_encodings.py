"""Text files in the encodings people save them in are read, and every offset points into the decoded text.

Each file is written here in its encoding; the same plan text must come back, and a passage cited from the
parsed records must be an exact slice of what `read_source` decoded (the "source file" offsets count in).
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from ingest.parse import parse_source
from ingest.readers import read_source

PLAN = (
    "Short breaks for families\r\n\r\n"
    "The council’s short breaks offer gives carers time to rest – from £250 a year – and “respite” at weekends.\r\n"
    "Children aged 0–25 with an EHCP may use it; the café at the family hub is open on Saturdays.\r\n"
    "Naïve assumptions about demand were tested in the review.\r\n"
)
LATIN1_PLAN = (
    "Services for families\n\n"
    "The café at the family hub is open on Saturdays and costs £5 for each session.\n"
    "Naïve plans were reviewed; the déjà vu of unmet need was noted in the réunion of partners.\n"
)


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        pytest.param(PLAN.encode("utf-8"), PLAN, id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + PLAN.encode("utf-8"), PLAN, id="utf-8-bom"),
        pytest.param(PLAN.encode("utf-16"), PLAN, id="utf-16-bom"),
        pytest.param(PLAN.encode("utf-16-le"), PLAN, id="utf-16-le-no-bom"),
        pytest.param(PLAN.encode("cp1252"), PLAN, id="windows-1252"),
        pytest.param(LATIN1_PLAN.encode("latin-1"), LATIN1_PLAN, id="latin-1"),
    ],
)
def test_text_file_is_decoded_in_its_own_encoding(tmp_path: Path, encoded: bytes, expected: str) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(encoded)

    source = read_source(path)

    assert source.text == expected


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_cited_passages_are_exact_slices_of_the_decoded_text(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(PLAN.encode(encoding))

    source = read_source(path)
    records = parse_source(source)

    assert any("£250" in record.text for record in records)
    for record in records:
        assert source.text[record.start:record.end] == record.text
    start = source.text.index("The council’s")
    assert records[[r.start for r in records].index(start)].text.startswith("The council’s short breaks")


def test_sha256_is_of_the_file_bytes_not_the_decoded_text(tmp_path: Path) -> None:
    utf8, utf16 = tmp_path / "a.txt", tmp_path / "b.txt"
    utf8.write_bytes(PLAN.encode("utf-8"))
    utf16.write_bytes(PLAN.encode("utf-16"))

    assert read_source(utf8).text == read_source(utf16).text
    assert read_source(utf8).sha256 != read_source(utf16).sha256
