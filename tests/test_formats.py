"""Structure from the file format: three long documents of fictional councils, written as Word files and turned
into PDFs by LibreOffice (multi-page tables with a repeated header row, merged theme rows, running headers and
footers, page numbers), parsed as any council's upload would be. Their facts are in
tests/fixtures/fictional/expected.json.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from ingest.describe import describe
from ingest.parse import parse_source
from ingest.readers import read_source
from ingest.records import Kind

FIXTURES = Path(__file__).parent / "fixtures" / "fictional"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))["documents"]
sys.path.insert(0, str(FIXTURES))
import build  # noqa: E402  (the fixture builder lives beside its data)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed; `make test` installs it")
    return {path.name: path for path in build.build(tmp_path_factory.mktemp("fictional"))}


DOCUMENTS = [(stem, suffix) for stem in EXPECTED for suffix in (".docx", ".pdf")]


def _squash(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


@pytest.mark.parametrize("stem, suffix", DOCUMENTS)
def test_the_document_says_who_wrote_it_what_it_is_and_when(built, stem, suffix):
    expected = EXPECTED[stem]
    info = describe(read_source(built[stem + suffix]))
    for council in expected["councils"]:
        assert any(name in council for name in info.councils), (council, info.councils)
    assert len(info.councils) == len(expected["councils"])
    assert _squash(info.title) in {_squash(expected["title"]), _squash(expected.get("full_title", ""))}
    assert info.period == expected["period"].replace("–", "-")
    assert info.kind == expected["kind"] or (expected["kind"] == "cabinet report" and info.kind == "committee report")
    assert not info.notes


@pytest.mark.parametrize("stem, suffix", DOCUMENTS)
def test_every_table_row_is_one_record_with_its_column_names(built, stem, suffix):
    source = read_source(built[stem + suffix])
    rows = [record.fields for record in parse_source(source) if record.kind == Kind.TABLE_ROW]
    for table in EXPECTED[stem].get("tables", []):
        for row in table["rows"]:
            assert {name: _squash(value) for name, value in row.items()} in [
                {name: _squash(value) for name, value in fields.items()} for fields in rows], row


@pytest.mark.parametrize("stem", list(EXPECTED))
def test_pdf_sentences_that_wrap_lines_or_pages_are_one_paragraph(built, stem):
    source = read_source(built[stem + ".pdf"])
    paragraphs = [_squash(record.text) for record in parse_source(source)]
    for sentence in EXPECTED[stem].get("wrapped_sentences", []):
        assert any(_squash(sentence["text"]) in paragraph for paragraph in paragraphs), sentence["text"]


@pytest.mark.parametrize("stem, suffix", DOCUMENTS)
def test_headings_come_from_the_markup_and_running_lines_are_dropped(built, stem, suffix):
    expected = EXPECTED[stem]
    source = read_source(built[stem + suffix])
    sections = {part for record in parse_source(source) for part in record.section}
    for heading in expected["headings"]:
        assert _squash(heading["text"]) in {_squash(section) for section in sections}, heading
    for running in (expected.get("running_header"), expected.get("running_footer")):
        if running and suffix == ".pdf":
            pattern = re.escape(_squash(running.get("text") or running["pattern"]))
            drawn = re.compile(re.sub(r"\\\{\w+\\\}", r"\\d+", pattern))
            assert not [line for line in source.text.splitlines() if drawn.fullmatch(_squash(line))], running


@pytest.mark.parametrize("stem", list(EXPECTED))
def test_pdf_pages_are_kept_for_citations(built, stem):
    import pdfplumber

    source = read_source(built[stem + ".pdf"])
    with pdfplumber.open(built[stem + ".pdf"]) as pdf:
        pages = len(pdf.pages)
    assert [span.page for span in source.pages] == list(range(1, pages + 1)) and pages > 1
    assert source.page_at(source.pages[-1].start) == pages


def test_a_symbol_fonts_bullet_and_a_lettered_item_start_list_items_in_a_pdf():
    from ingest.pdf import _as_item, _starts_item

    assert _as_item("\uf0b7 Shorter waits for speech therapy") == "• Shorter waits for speech therapy"
    assert _as_item("▪ Shorter waits") == "• Shorter waits"
    assert _starts_item("C. Transport – routes are agreed late") and _starts_item("4.1.5 Publish the offer")
    assert not _starts_item("continued from the line above")


@pytest.mark.parametrize("paragraph, line, joined", [
    ("Funding is agreed for 2031–", "2034 and reviewed", "Funding is agreed for 2031–2034 and reviewed"),
    ("Funding is agreed for 2031-", "2034 and reviewed", "Funding is agreed for 2031-2034 and reviewed"),
    ("Eastmoor–", "a borough", "Eastmoor– a borough"),
    ("the multi-agency commiss-", "ioning group", "the multi-agency commissioning group"),
    ("a cross-", "border scheme", "a cross-border scheme"),  # "crossborder" is no word: the hyphen is the writer's
    ("the forum's co-", "chairs", "the forum's co-chairs"),  # two words: the writer's hyphen
    ("Eastmoor –", "a borough of 80,000", "Eastmoor – a borough of 80,000"),
])
def test_a_wrapped_pdf_line_is_joined_back_as_it_was_written(paragraph, line, joined):
    from ingest.pdf import _joined_line

    assert _joined_line(paragraph, line) == joined


def test_only_a_line_repeated_at_the_same_place_in_the_margins_is_a_running_header():
    from ingest.pdf import read_pdf
    from tests.made_pdfs import Run, pdf_bytes

    header = Run("Westvale SEND Strategy 2026", y=810)
    pages = [[header, Run("Closing date: 3 May 2027", y=790), Run("Tell us what you think of the plan.")],
             [header, Run("Closing date: 3 May 2027", y=770), Run("Drop-in sessions run every week."),
              Run("Closing date: 3 May 2027")]]
    text, *_ = read_pdf("plan.pdf", pdf_bytes(pages), 10, 100_000)
    assert "Westvale SEND Strategy 2026" not in text
    assert text.count("Closing date: 3 May 2027") == 3  # near the top of two pages, at different heights: text


@pytest.mark.parametrize("row, cut", [
    (["", "continued", ""], True),                                            # the first cell empty
    (["with a plan (Attendance)", "2024)", "", ""], True),                    # carries on mid-sentence
    (["Exclusions of pupils with a plan", "4.1%", "3%", "3.5%"], False),      # a row of its own
    (["fixed-term exclusions", "", "", ""], True),
    (["Exclusions", "", "", "1%"], False),                                    # fills a cell the row before left empty
])
def test_a_table_row_cut_by_a_page_break_is_told_from_the_next_row(row, cut):
    from ingest.pdf import _cut_row

    before = ["Percentage of pupils absent from school", "12.7% (academic year", "12.1%", ""]
    assert _cut_row(before, row) is cut


@pytest.mark.parametrize("paragraph, line, carries_on", [
    ("The list was cut between 3 May and", "14 October 2026, when it fell to 41%.", True),
    ("The plan has two parts:", "1 Early help", False),
    ("We finished the review in", "12 weeks.", True),
    ("Our priorities are set out below.", "2 Faster assessments", False),
])
def test_a_line_opening_with_a_figure_carries_on_a_sentence_left_open(paragraph, line, carries_on):
    from ingest.pdf import _breaks_a_sentence

    assert _breaks_a_sentence(paragraph, line) is carries_on


def test_a_heading_wrapped_at_a_range_of_years_is_joined_as_written():
    from ingest.pdf import read_pdf
    from tests.made_pdfs import Run, pdf_bytes

    pages = [[Run("Westvale SEND Strategy 2026-", size=20, y=700), Run("2029", size=20, y=676),
              Run("This strategy sets out what partners will do for children and young people with SEND.", y=640),
              Run("It was agreed by the partnership board in March and is reviewed every year.", y=626)]]
    text, *_ = read_pdf("plan.pdf", pdf_bytes(pages), 10, 100_000)
    assert "Westvale SEND Strategy 2026-2029" in text
