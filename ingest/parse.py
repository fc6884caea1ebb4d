"""Structure parser: a document's text → typed records with exact offsets and section paths.

Recovers what the plans' exports keep only as layout: headings (short title-like lines) give the
section path; TAB-separated, vertical and space-joined tables give one record per row with its
column names (see `ingest.tables`); bullet lists stay with the sentence that introduces them;
numbered paragraphs ("1.2 …") keep their number; HTML fragments are split at <p> and • items.
Every record satisfies `text[record.start:record.end] == record.text`.
"""

from __future__ import annotations

import re

from ingest import tables
from ingest.lines import (
    NUMBERED_PARAGRAPH_RE,
    Line,
    bullet_match,
    heading_level,
    heading_title,
    is_heading,
    split_lines,
)
from ingest.records import Heading, Kind, Record, SourceText

LEAD_IN_ENDINGS = (":", ";", "-", "–")
HEADER_CHARS = 2000   # a report's header block is at its start
HEADER_FIELDS = 3     # …and has at least this many "Label: value" lines


def parse(text: str, headings: tuple[Heading, ...] = (), structured: bool = False) -> list[Record]:
    """Records of `text`. `headings` are those the file's markup gives; then no other line is a heading.
    `structured`: the text came from markup (HTML, Word, PDF), where a paragraph directly above a list is the
    list's introduction ("…four areas of weakness." then the four bullets), colon or not."""
    return _Parser(text, headings, structured).run()


def parse_source(source: SourceText) -> list[Record]:
    """Records of a file as read: its markup's headings, and plain text's layout only for plain text."""
    return parse(source.text, source.headings, structured=source.format not in ("txt", "md"))


class _Parser:
    def __init__(self, text: str, headings: tuple[Heading, ...] = (), structured: bool = False) -> None:
        self.text = text
        self.structured = structured
        self.marked = {heading.start: heading.level for heading in headings}
        self.lines = split_lines(text)
        self.content_at = _next_content_indexes(self.lines)
        self.records: list[Record] = []
        self.headings: list[tuple[int, str]] = []
        self.caption: str | None = None  # a heading directly above a table names that table only
        self.pending_lead_in = ""  # a paragraph ending in ":" that introduces the next paragraph

    @property
    def section(self) -> tuple[str, ...]:
        path = tuple(title for _, title in self.headings)
        return path + ((self.caption,) if self.caption else ())

    def run(self) -> list[Record]:
        index = 0
        while index < len(self.lines):
            index = self.step(index)
        return self.records or self.lines_as_paragraphs()

    def lines_as_paragraphs(self) -> list[Record]:
        """A file whose every line looks like a heading (a one-line note without a full stop) has nothing under its
        headings: its lines are its passages, so it is still indexed."""
        spans = (line.trimmed_span() for line in self.lines if not line.is_blank)
        return [tables.span(self.text, Kind.PARAGRAPH, start, end) for start, end in spans]

    def next_content(self, index: int) -> Line | None:
        found = self.content_at[index] if index < len(self.lines) else len(self.lines)
        return self.lines[found] if found < len(self.lines) else None

    def step(self, index: int) -> int:
        line = self.lines[index]
        if line.is_blank:
            return index + 1
        if header := tables.vertical_header(self.lines, index):
            return self.vertical_table(index, header)
        if line.has_tab and not line.starts_with_tab:
            return self.tab_block(index)
        if line.starts_with_tab:
            return self.tab_led_list(index)
        if layout := tables.space_joined_layout(line):
            return self.space_joined_table(index + 1, layout)
        if self.is_heading(line):
            self.push_heading(index)
            return index + 1
        if line.stripped.startswith("<"):
            self.add(*tables.html_pieces(self.text, line.start, line.end, self.section, ""))
            return index + 1
        if line.start < HEADER_CHARS and (after := self.header_block(index)):
            return after
        return self.paragraph_or_list(index)

    def header_block(self, index: int) -> int:
        """A report's header written as lines of their own ("Report to: Cabinet", "Date of meeting: 3 May 2027"),
        as a web page or a Word file gives it: one record of the document's own details, as the TAB-joined header of
        a text export is. Only a run of them near the start, one of them a date, none a heading or a numbered item
        ("Priority 1: …"): elsewhere such a line is a passage."""
        found, at = [], index
        while at < len(self.lines) and not self.is_heading(self.lines[at]) and (
                self.lines[at].is_blank or tables.header_field(self.lines[at])):
            found += [at] if not self.lines[at].is_blank else []
            at += 1
        fields = [tables.header_field(self.lines[number]) for number in found]
        if len(found) < HEADER_FIELDS or not any(tables.DATED.search(field.group("value")) for field in fields):
            return 0
        self.add(tables.header_block_row(self.text, [self.lines[number] for number in found], self.section))
        return found[-1] + 1

    def add(self, *records: Record) -> None:
        self.records.extend(records)
        self.caption = None
        self.pending_lead_in = ""

    def is_heading(self, line: Line) -> bool:
        if self.marked:
            return line.trimmed_span()[0] in self.marked
        return is_heading(line, self.next_content(line.number + 1))

    def push_heading(self, index: int) -> None:
        text = self.lines[index].stripped
        following = self.next_content(index + 1)
        opens_table = following is not None and (following.has_tab or tables.space_joined_layout(following) is not None)
        marked = self.marked.get(self.lines[index].trimmed_span()[0])
        if opens_table and not marked:  # a plain-text line above a table names that table only
            self.caption = heading_title(text)
            return
        self.pending_lead_in = ""
        level = marked or heading_level(text)
        self.headings = [(lvl, title) for lvl, title in self.headings if lvl < level]
        self.headings.append((level, heading_title(text)))
        self.caption = None

    # --- tables -------------------------------------------------------------------------------

    def vertical_table(self, index: int, header: list[str]) -> int:
        row, after = tables.vertical_row(self.text, self.lines, index, header, self.section)
        self.add(row)
        return after

    def tab_block(self, index: int) -> int:
        """Consecutive TAB lines (blank lines and repeated header rows allowed inside one table).

        Under a header, a row whose first cell is empty is still a row (a merged or blank first column), and
        a row with one filled cell spanning the table ("Theme 2: …") labels the rows after it.
        """
        section, header, title, group = self.section, None, "", ()
        while index < len(self.lines):
            line = self.lines[index]
            if line.is_blank:
                following = self.next_content(index)
                if following is None or not following.has_tab or header is None or not self.in_table(following, header):
                    break
                index += 1
                continue
            if not line.has_tab or not self.in_table(line, header):
                break
            cells = [self.text[start:end] for start, end in tables.cells_of(line)]
            filled = [cell for cell in cells if cell]
            if tables.is_contents_line(line):
                pass  # a contents page points at pages, not at answers
            elif tables.is_key_value_line(line) or (title and len(filled) <= 2):
                record = tables.key_value_row(self.text, line, section, lead_in=title)
                if record:
                    self.add(record)
            elif header is None and len(filled) >= 2:
                header = [tables.column_name(cell) for cell in cells]
            elif header is None:
                title = filled[0] if filled else ""
            elif len(filled) == 1 and len(header) > 2 and cells[0]:
                group = (tables.column_name(filled[0]),)
            elif [tables.column_name(cell) for cell in cells] != header:
                self.add(tables.tab_row(self.text, line, header, section + group))
            index += 1
        self.caption = None
        return index

    @staticmethod
    def in_table(line: Line, header: list[str] | None) -> bool:
        """A TAB line belongs to the table: it starts with a cell, or has as many cells as the header."""
        return not line.starts_with_tab or (header is not None and len(tables.cells_of(line)) == len(header))

    def space_joined_table(self, index: int, layout: tables.SpaceJoinedLayout) -> int:
        section = self.section
        while index < len(self.lines) and not self.lines[index].is_blank:
            row = tables.space_joined_row(self.text, self.lines[index], layout, section)
            if row is None:
                break
            self.add(row)
            index += 1
        self.caption = None
        return index

    def tab_led_list(self, index: int) -> int:
        """TAB-indented one-cell lines that open no table (a colour key, say): kept as one list."""
        items = []
        while index < len(self.lines) and self.lines[index].starts_with_tab and not self.lines[index].is_blank:
            start, end = self.lines[index].trimmed_span()
            items.append(tables.span(self.text, Kind.LIST_ITEM, start, end, section=self.section))
            index += 1
        self.add(tables.span(self.text, Kind.LIST, items[0].start, items[-1].end, section=self.section,
                             parts=tuple(items)))
        return index

    # --- prose ----------------------------------------------------------------------------------

    def paragraph_or_list(self, index: int) -> int:
        line = self.lines[index]
        number = NUMBERED_PARAGRAPH_RE.match(line.stripped)
        is_bullet = bullet_match(line) is not None and number is None
        ends_lead_in = line.stripped.endswith(LEAD_IN_ENDINGS) or line.stripped.split()[-1] in ("to", "include")
        items_at = self.following_items(index + 1, nested_only=False, numbered=ends_lead_in)
        if is_bullet:
            return self.list_block(index, lead_in=None)
        if items_at is not None and (number is not None or ends_lead_in or self.structured):
            return self.list_block(items_at, lead_in=line, number=number.group("number") if number else "",
                                   numbered=ends_lead_in)
        start, end = self.paragraph_span(line, number)
        lead_in = self.pending_lead_in
        self.add(tables.span(self.text, Kind.PARAGRAPH, start, end, section=self.section, lead_in=lead_in,
                             paragraph_number=number.group("number") if number else ""))
        if ends_lead_in:
            self.pending_lead_in = self.text[start:end]  # "Our jointly agreed definition is:" introduces the next one
        return index + 1

    def paragraph_span(self, line: Line, number) -> tuple[int, int]:
        marker = bullet_match(line) if number else None
        return line.trimmed_span(marker.end() if marker else 0)

    def following_items(self, index: int, nested_only: bool, numbered: bool = False) -> int | None:
        """Index of the first bullet after `index` (skipping blanks), if a list follows; after a lead-in ("…is
        recommended to:"), items numbered "1." are a list too."""
        while index < len(self.lines) and self.lines[index].is_blank:
            index += 1
        if index >= len(self.lines):
            return None
        line = self.lines[index]
        if _item_marker(line, numbered) is None or NUMBERED_PARAGRAPH_RE.match(line.stripped):
            return None
        return index if (line.indent > 0 or not nested_only) else None

    def list_block(self, index: int, lead_in: Line | None, number: str = "", numbered: bool = False) -> int:
        items: list[Record] = []
        section = self.section
        while index < len(self.lines):
            line = self.lines[index]
            if line.is_blank:
                following = self.following_items(index, nested_only=False, numbered=numbered)
                if following is None:
                    break
                index = following
                continue
            marker = _item_marker(line, numbered)
            if marker is None or NUMBERED_PARAGRAPH_RE.match(line.stripped):
                break
            start, end = line.trimmed_span(marker.end())
            if end > start:
                items.append(tables.span(self.text, Kind.LIST_ITEM, start, end, section=section))
            index += 1
        if not items:
            return index + 1
        lead_text = ""
        if lead_in is not None:
            lead_start, _ = self.paragraph_span(lead_in, number or None)
            lead_text = self.text[lead_start:lead_in.trimmed_span()[1]]
        else:
            lead_start = items[0].start
        items = [self._with_lead_in(item, lead_text) for item in items]
        self.add(tables.span(self.text, Kind.LIST, lead_start, items[-1].end, section=section,
                             lead_in=lead_text, paragraph_number=number, parts=tuple(items)))
        return index

    @staticmethod
    def _with_lead_in(item: Record, lead_in: str) -> Record:
        return Record(kind=item.kind, start=item.start, end=item.end, text=item.text,
                      section=item.section, lead_in=lead_in)


_NUMBERED_ITEM = re.compile(r"^(?P<indent>[ \t]*)\d{1,2}\.[ \t\u00a0]+(?=[a-z])")


def _item_marker(line: Line, numbered: bool) -> re.Match[str] | None:
    """A bullet; or, in a list a lead-in opened, "1. note the progress…" (a number and a lower-case item: "2. Our
    aims" is a heading)."""
    return bullet_match(line) or (_NUMBERED_ITEM.match(line.raw) if numbered else None)


def _next_content_indexes(lines: list[Line]) -> list[int]:
    """For each line, the index of the first non-blank line at or after it (len(lines) if none), worked out once
    so that looking ahead past blank lines costs nothing and parsing stays linear in the file's size."""
    found, following = [0] * len(lines), len(lines)
    for index in range(len(lines) - 1, -1, -1):
        if not lines[index].is_blank:
            following = index
        found[index] = following
    return found
