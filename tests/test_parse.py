"""Golden tests of the structure parser on each bundled plan, plus the layouts' quirks in miniature."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CORPUS, corpus_text

from ingest.parse import parse
from ingest.records import Kind

GOLDEN = Path(__file__).parent / "golden"
LANCS_PLAN = "lancashire-joint-send-commissioning-arrangements-2024-2026.txt"
LANCS_APPENDIX = "lancashire-joint-send-commissioning-action-plan-appendix-1.txt"
NEL = "north-east-lincolnshire-send-joint-commissioning-plan.txt"
LINCS = "lincolnshire-integrated-commissioning-strategy-send.txt"
SEFTON = "sefton-send-joint-commissioning-plan-2023-2026-cabinet-report.txt"


def summary(text: str) -> list[dict]:
    """The parts of each record a golden file pins down."""
    return [{"kind": r.kind, "section": r.section_path, "start": r.start, "end": r.end,
             "fields": r.fields, "number": r.paragraph_number, "parts": len(r.parts)} for r in parse(text)]


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.txt")))
def test_parse_matches_golden_records(name):
    expected = json.loads((GOLDEN / f"{name}.records.json").read_text(encoding="utf-8"))
    assert summary(corpus_text(name)) == expected


def rows(name: str) -> list:
    return [r for r in parse(corpus_text(name)) if r.kind == Kind.TABLE_ROW]


def row_with(name: str, column: str, starts: str):
    return next(r for r in rows(name) if r.fields.get(column, "").startswith(starts))


def test_lancashire_tab_separated_action_plan_has_every_row_with_its_columns():
    action_rows = [r for r in rows(LANCS_PLAN) if "Action" in r.fields]
    assert len(action_rows) == 20
    short_breaks = row_with(LANCS_PLAN, "Action", "Further strengthen the short breaks offer")
    assert short_breaks.fields["Lead"] == "LA with support from health"
    assert short_breaks.fields["Target Date"] == "31 March 2025"
    assert short_breaks.section == ("Appendix 1: Lancashire Action Plan",)


def test_space_joined_action_plan_recovers_the_five_columns():
    action_rows = rows(LANCS_APPENDIX)
    assert len(action_rows) == 20
    home = row_with(LANCS_APPENDIX, "Action", "Establish new in-house children's home")
    assert home.fields["Target Date"] == "31 August 2025"
    assert home.fields["Lead"] == "LA with support from ICB"
    assert home.fields["Status"] == "Work in progress"
    nd = row_with(LANCS_APPENDIX, "Action", "Strengthen the ND Pathway")
    assert nd.fields["Target Date"] == "Full business case to be developed by September 2024"
    assert nd.fields["Lead"] == "ICB with LA support"
    inspection = row_with(LANCS_APPENDIX, "Action", "Respond to the recommendations")
    assert inspection.fields["Action"].endswith("(May 2024)") and inspection.fields["Lead"] == "ICB / LA"


def test_both_exports_of_the_action_plan_agree_on_action_date_and_lead():
    def key(record):
        return (record.fields["Action"], record.fields["Target Date"], record.fields["Lead"])
    tabbed = {key(r) for r in rows(LANCS_PLAN) if "Action" in r.fields}
    assert {key(r) for r in rows(LANCS_APPENDIX)} == tabbed


def test_nel_theme_table_is_one_row_with_four_columns_and_dated_next_steps():
    health = row_with(NEL, "We Did", "Reviewed the health transition process")
    assert list(health.fields) == ["You Said", "We Did", "What next", "Impact measures"]
    assert health.section[-1] == "Health and Social Care"
    review = next(p for p in health.parts if p.text.startswith("Undertake a review of the short breaks"))
    assert review.fields == {"column": "What next", "period": "In 2021/2022"}
    assert len(rows(NEL)) == 8


def test_sefton_numbered_paragraphs_keep_their_numbers_and_sub_bullets():
    records = parse(corpus_text(SEFTON))
    numbered = {r.paragraph_number: r for r in records if r.paragraph_number}
    assert {"1.1", "1.2", "2.1", "3.1", "4.3", "5.1"} <= set(numbered)
    assert numbered["4.3"].text.startswith("4.3 The Joint Commissioning Group")
    assert numbered["1.2"].kind == Kind.LIST
    assert numbered["1.2"].parts[0].text == "improve the identification of SEND need in Sefton"


def test_sefton_delivery_plan_rows_say_which_priorities_are_marked():
    sendiass = row_with(SEFTON, "Outcomes & Actions", "Establish a new SENDIASS service")
    assert sendiass.fields["Marked"] == "Priority 1, Priority 3"
    assert len([r for r in rows(SEFTON) if "Outcomes & Actions" in r.fields]) == 14


def test_sefton_report_header_becomes_key_value_records():
    records = parse(corpus_text(SEFTON))
    header = next(r for r in records if r.kind == Kind.KEY_VALUE and "Date of Meeting" in r.fields)
    assert header.fields == {"Report to": "Cabinet", "Date of Meeting": "22 June 2023"}


def test_lists_keep_their_lead_in_sentence():
    records = parse(corpus_text(LINCS))
    aims = next(r for r in records if r.kind == Kind.LIST and r.lead_in == "Inclusive aims are:")
    assert aims.text.startswith("Inclusive aims are:")
    assert len(aims.parts) == 5 and all(p.lead_in == "Inclusive aims are:" for p in aims.parts)


def test_html_fragments_split_into_paragraphs_without_tags():
    records = parse(corpus_text(SEFTON))
    legal = next(r for r in records if r.text.startswith("Legal Implications"))
    assert legal.text == "Legal Implications: Children and Families Act 2014"


def test_markdown_headings_nest_into_a_section_path():
    text = "# Plan\n\n## Appendix 1\n\nAction\tLead\nRefresh the JSNA\tLA and ICB\n"
    (row,) = parse(text)
    assert row.section == ("Plan", "Appendix 1") and row.fields == {"Action": "Refresh the JSNA", "Lead": "LA and ICB"}


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.txt")))
def test_every_record_and_part_is_an_exact_slice(name):
    text = corpus_text(name)
    for record in parse(text):
        for unit in (record, *record.parts):
            assert text[unit.start:unit.end] == unit.text
            assert unit.text == unit.text.strip(), "quotes never start or end with padding"


class _CountingLines(list):
    """The parser's lines, counting every line it reads through an index or a slice (a copy of the rest of the
    file on each look-ahead is what made parsing grow with the square of the file's size)."""

    reads = 0

    def __getitem__(self, key):
        found = super().__getitem__(key)
        _CountingLines.reads += len(found) if isinstance(key, slice) else 1
        return found


def _lines_read_per_line(text: str, monkeypatch: pytest.MonkeyPatch) -> float:
    import ingest.parse

    lines = ingest.parse.split_lines(text)
    monkeypatch.setattr(ingest.parse, "split_lines", lambda _: _CountingLines(lines))
    _CountingLines.reads = 0
    parse(text)
    return _CountingLines.reads / len(lines)


def test_parsing_reads_each_line_a_bounded_number_of_times_whatever_the_file_size(monkeypatch):
    block = ("Our approach\n\nWe will review the short breaks offer with families.\n\n"
             "Next steps\n\n\n\nThe panel meets monthly:\n\n- to agree funding\n- to check progress\n\n"
             "Service\tLead\nSpeech therapy\tHealth\n\n")
    small = _lines_read_per_line(block * 50, monkeypatch)
    large = _lines_read_per_line(block * 800, monkeypatch)
    assert large <= small * 1.1, (small, large)


def test_a_one_line_file_without_a_full_stop_is_one_passage():
    text = "Short breaks open on Saturdays at the family hub\n"
    (record,) = parse(text)
    assert record.kind == Kind.PARAGRAPH and record.text == text.strip()


def test_a_file_with_headings_and_text_keeps_its_headings_as_section_names():
    records = parse("Short breaks\n\nThe hub opens on Saturdays.\n")
    assert [(r.section, r.text) for r in records] == [(("Short breaks",), "The hub opens on Saturdays.")]


def test_a_heading_above_a_table_ends_the_section_before_it_at_its_level(tmp_path):
    from ingest.parse import parse_source
    from ingest.readers import read_source

    page = tmp_path / "plan.html"
    page.write_text("<h1>Eastmoor plan</h1><h2>Aim 1: Earlier help</h2><p>We will train every nursery in the "
                    "graduated approach.</p><h2>Timetable</h2><table><tr><th>Action</th><th>Due</th></tr>"
                    "<tr><td>Open the hub</td><td>May 2027</td></tr></table>", encoding="utf-8")
    rows = [record for record in parse_source(read_source(page)) if record.kind == "table_row"]
    assert [record.section for record in rows] == [("Eastmoor plan", "Timetable")]


def test_a_reports_header_written_as_lines_is_one_record_of_its_details():
    from ingest.records import Heading

    text = ("Home to school transport\n\nMeeting: Scrutiny Panel\n\nDate: 21 January 2027\n\nLead officer: Head of "
            "Transport\n\nPurpose\n\nThe policy is reviewed.\n\nDeadline: May 2027\n")
    headings = (Heading(0, 24, 1), Heading(text.index("Purpose"), text.index("Purpose") + 7, 2))
    records = parse(text, headings, structured=True)
    header = next(r for r in records if r.kind == Kind.KEY_VALUE)
    assert header.fields == {"Meeting": "Scrutiny Panel", "Date": "21 January 2027", "Lead officer": "Head of Transport"}
    assert text[header.start:header.end] == header.text
    assert next(r for r in records if r.text == "Deadline: May 2027").kind == Kind.PARAGRAPH  # a line in the body


def test_numbered_items_written_as_labelled_lines_are_no_report_header():
    text = "Our aims\n\nAim 1: Faster plans\n\nAim 2: Closer schools\n\nAim 3: Better transport, from 1 May 2027\n"
    records = parse(text, structured=True)
    assert all(r.kind != Kind.KEY_VALUE for r in records)


def test_items_numbered_after_a_lead_in_are_a_list_and_a_numbered_heading_is_not():
    text = ("8.1 The Panel is recommended to:\n\n1. note the progress on waiting times;\n\n2. agree the next steps for "
            "the hub.\n\n9. Background papers\n\nThe plan of March 2026.\n")
    records = parse(text)
    listed = next(record for record in records if record.text.startswith("8.1"))
    assert listed.kind == Kind.LIST and "2. agree the next steps" in listed.text
    assert not any(record.kind == Kind.LIST and "Background papers" in record.text for record in records)
