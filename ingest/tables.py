"""Table rows from the three layouts the plans use, each row one record with its column names.

1. TAB-separated rows under a header row (Lancashire Appendix 1, Sefton delivery plan), with
   key/value header blocks (Sefton report header) and HTML fragments inside cells.
2. "Vertical" tables (North East Lincolnshire): each header cell on its own TAB-led line, then one
   row whose cells each start on a TAB-led line and continue on untabbed lines.
3. Space-joined rows whose delimiters were lost in export (the separate Lancashire action plan).
   No general parser can recover columns from plain spaces, so known layouts are listed in
   `SPACE_JOINED_LAYOUTS` with a row pattern; a row that does not match stays a paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.text import MONTHS
from ingest.lines import PADDING, Line
from ingest.records import Kind, Record

HTML_PIECE_RE = re.compile(r"<p>(?:<[a-z]+>)*(?P<p>.*?)(?:</[a-z]+>)*</p>|•(?P<li>[^•<]+)", re.S)
TAG_RE = re.compile(r"<[^>]+>")
PERIOD_RE = re.compile(r"^In \d{4}/\d{2,4}$")
MARK_VALUES = {"x", "✓", "✔", "yes"}


def span(source: str, kind: Kind, start: int, end: int, **extra) -> Record:
    return Record(kind=kind, start=start, end=end, text=source[start:end], **extra)


def trim(source: str, start: int, end: int) -> tuple[int, int]:
    while start < end and source[start] in PADDING:
        start += 1
    while end > start and source[end - 1] in PADDING:
        end -= 1
    return start, end


def plain(fragment: str) -> str:
    """Cell text without HTML tags or runs of whitespace, for fields and embeddings (never for quotes)."""
    return " ".join(TAG_RE.sub(" ", fragment).replace("•", " ").split())


def column_name(cell: str) -> str:
    return cell.strip(PADDING).rstrip("…").rstrip(".").strip(PADDING)


def html_pieces(source: str, start: int, end: int, section: tuple[str, ...], column: str) -> list[Record]:
    """Each <p> paragraph or • item inside an HTML fragment, as its own exactly-located record."""
    pieces = []
    for match in HTML_PIECE_RE.finditer(source, start, end):
        group = "p" if match.group("p") is not None else "li"
        piece_start, piece_end = trim(source, match.start(group), match.end(group))
        if piece_end - piece_start > 1:
            fields = {"column": column} if column else {}
            pieces.append(span(source, Kind.TABLE_CELL if column else Kind.PARAGRAPH, piece_start, piece_end,
                               section=section, fields=fields))
    return pieces


def cells_of(line: Line) -> list[tuple[int, int]]:
    """Source spans of a TAB-separated line's cells (trimmed; empty cells give start == end)."""
    spans, offset = [], 0
    for cell in line.raw.split("\t"):
        left = len(cell) - len(cell.lstrip(PADDING))
        right = len(cell.rstrip(PADDING))
        spans.append((line.start + offset + left, line.start + offset + max(left, right)))
        offset += len(cell) + 1
    return spans


def tab_row(source: str, line: Line, header: Sequence[str], section: tuple[str, ...]) -> Record:
    cells = cells_of(line)
    fields: dict[str, str] = {}
    parts: list[Record] = []
    for index, (start, end) in enumerate(cells):
        name = header[index] if index < len(header) and header[index] else f"Column {index + 1}"
        if end > start:
            fields[name] = plain(source[start:end])
        if "<" in source[start:end]:
            parts.extend(html_pieces(source, start, end, section, name))
    marked = [name for name, value in fields.items() if value.lower() in MARK_VALUES]
    if marked:
        fields["Marked"] = ", ".join(marked)
    row_start, row_end = line.trimmed_span()
    return span(source, Kind.TABLE_ROW, row_start, row_end, section=section, fields=fields, parts=tuple(parts))


def key_value_row(source: str, line: Line, section: tuple[str, ...], lead_in: str = "") -> Record | None:
    """`Key:<TAB>value<TAB>Key:<TAB>value` lines (a report's header) or two-cell rows under a one-cell title."""
    texts = [source[start:end] for start, end in cells_of(line)]
    fields = {column_name(texts[i]).rstrip(":"): plain(texts[i + 1])
              for i in range(0, len(texts) - 1, 2) if texts[i].strip(PADDING)}
    if not fields:
        return None
    start, end = line.trimmed_span()
    return span(source, Kind.KEY_VALUE, start, end, section=section, fields=fields, lead_in=lead_in)


# "Date of meeting: 3 May 2027"; a label ending in a number is an item ("Priority 1: …"), not a detail
_HEADER_FIELD = re.compile(r"^(?P<key>[A-Z][\w’'()/ -]{1,40}?)(?<![\d ]):\s+(?P<value>\S.*)$")
DATED = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:{'|'.join(MONTHS)}) (?:19|20)\d{{2}}\b"
                   r"|\b\d{1,2}/\d{1,2}/(?:19|20)?\d{2}\b")


def header_field(line: Line) -> re.Match[str] | None:
    """ "Date of meeting: 3 May 2027" on a line of its own."""
    return None if line.has_tab else _HEADER_FIELD.match(line.stripped)


def header_block_row(source: str, lines: Sequence[Line], section: tuple[str, ...]) -> Record:
    """The header's lines as one record, each "Label: value" a field."""
    fields = {found.group("key"): found.group("value") for found in map(header_field, lines) if found}
    return span(source, Kind.KEY_VALUE, lines[0].trimmed_span()[0], lines[-1].trimmed_span()[1], section=section,
                fields=fields)


def is_key_value_line(line: Line) -> bool:
    cells = [cell.strip(PADDING) for cell in line.raw.split("\t")]
    return cells[0].endswith(":") and len(cells) >= 2


def is_contents_line(line: Line) -> bool:
    cells = [cell.strip(PADDING) for cell in line.raw.split("\t") if cell.strip(PADDING)]
    return len(cells) == 2 and cells[1].isdigit()


def vertical_header(lines: Sequence[Line], at: int) -> list[str]:
    """Column names when lines[at:] open a vertical table (≥ 2 one-cell TAB-led lines, then a TAB-led cell)."""
    names, index = [], at
    while index < len(lines) and lines[index].starts_with_tab and lines[index].raw.count("\t") == 1:
        names.append(column_name(lines[index].raw))
        index += 1
    while index < len(lines) and lines[index].is_blank:
        index += 1
    opens_row = index < len(lines) and lines[index].starts_with_tab
    return names if len(names) >= 2 and all(names) and opens_row else []


@dataclass
class _Cell:
    column: str
    lines: list[Line]


def vertical_row(source: str, lines: Sequence[Line], at: int, header: Sequence[str],
                 section: tuple[str, ...]) -> tuple[Record, int]:
    """Parse the row after a vertical header; returns the row and the index of the first line after it."""
    index = at + len(header)
    cells: list[_Cell] = []
    while index < len(lines):
        line = lines[index]
        if line.is_blank:
            if len(cells) >= len(header):
                break
        elif line.starts_with_tab and len(cells) < len(header):
            cells.append(_Cell(header[len(cells)], [line]))
        elif line.raw.startswith(" ") or not cells:
            break  # a space-led line is the next heading in these exports
        else:
            cells[-1].lines.append(line)
        index += 1
    parts: list[Record] = []
    fields: dict[str, str] = {}
    for cell in cells:
        period = ""
        items = []
        for line in cell.lines:
            start, end = line.trimmed_span()
            text = source[start:end]
            if PERIOD_RE.match(text):
                period = text
                continue
            if end > start:
                item_fields = {"column": cell.column} | ({"period": period} if period else {})
                parts.append(span(source, Kind.TABLE_CELL, start, end, section=section, fields=item_fields))
                items.append(f"{period}: {text}" if period else text)
        fields[cell.column] = "; ".join(items)
    row_start, _ = cells[0].lines[0].trimmed_span()
    _, row_end = cells[-1].lines[-1].trimmed_span()
    return span(source, Kind.TABLE_ROW, row_start, row_end, section=section, fields=fields,
                parts=tuple(parts)), index


@dataclass(frozen=True)
class SpaceJoinedLayout:
    """A table layout whose header row is recognised word for word and whose rows match `row`."""

    header: str
    columns: tuple[str, ...]
    row: re.Pattern[str]


_DATE = (r"(?:Ongoing(?: per [A-Z][a-z]+ Plan)?|\d{1,2} [A-Z][a-z]+ \d{4}"
         r"|Full (?:business case|launch) [^.]*?\d{4}\.?(?: Ongoing [a-z]+\.)?|Presentation on [^.]*?\d{4})")
_BODY = r"(?:LA|ICB|Health|NHS|CCG)"
_LEAD = (rf"{_BODY}(?: ?(?:and|&|/) ?(?:{_BODY}|Schools and settings))?"
         rf"(?: with (?:support from (?:the )?(?:all partners|health|{_BODY})|{_BODY} support))?")
_STATUS = r"Work in progress|Work not started|Work complete|Complete|Completed|Not started|On track|Delayed"

SPACE_JOINED_LAYOUTS = (
    SpaceJoinedLayout(
        header="Action Target Date Lead What does success look like? Status",
        columns=("Action", "Target Date", "Lead", "What does success look like?", "Status"),
        row=re.compile(rf"^(?P<c0>.+?) (?P<c1>{_DATE}) (?P<c2>{_LEAD}) (?P<c3>.+?) (?P<c4>{_STATUS})$"),
    ),
)


def space_joined_layout(line: Line) -> SpaceJoinedLayout | None:
    return next((layout for layout in SPACE_JOINED_LAYOUTS if line.stripped == layout.header), None)


def space_joined_row(source: str, line: Line, layout: SpaceJoinedLayout, section: tuple[str, ...]) -> Record | None:
    start, end = line.trimmed_span()
    match = layout.row.match(source[start:end])
    if match is None:
        return None
    fields = {name: match.group(f"c{index}") for index, name in enumerate(layout.columns)}
    return span(source, Kind.TABLE_ROW, start, end, section=section, fields=fields)
