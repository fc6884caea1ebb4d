"""Typed records passed between ingestion stages.

`SourceText` is what a reader extracts from a file; every offset in the project points into its
`text`. `Record` is one structural unit found by the parser (a paragraph, a table row, a list with
its lead-in…). The invariant that makes citations checkable lives on the type:
`source.text[record.start:record.end] == record.text`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True)
class PageSpan:
    """Where one PDF page's text sits inside `SourceText.text` (page numbers start at 1)."""

    page: int
    start: int
    end: int


@dataclass(frozen=True)
class Heading:
    """A line the file's own markup calls a heading (<h2>, Word's "Heading 2", a PDF's larger type)."""

    start: int
    end: int
    level: int


def joined_blocks(blocks: Iterable[tuple[str, int]], offset: int = 0) -> tuple[str, tuple[Heading, ...]]:
    """Blocks of text (each with its heading level, 0 for none) joined by a blank line, and where each heading
    landed; `offset` is where the joined text will start in the whole source text."""
    parts, headings, position = [], [], offset
    for block, level in blocks:
        if not block:
            continue
        if parts:
            position += 2
        if level:
            headings.append(Heading(position, position + len(block), level))
        parts.append(block)
        position += len(block)
    return "\n\n".join(parts), tuple(headings)


@dataclass(frozen=True)
class SourceText:
    """A file's text exactly as indexed, the "source" every offset and citation counts in: for .txt/.md the file's
    characters as decoded (its encoding detected, a leading byte-order mark dropped, newlines untouched), for
    PDF/DOCX/HTML the extraction. The generation keeps this text beside the index, so a citation can be checked.

    Formats that mark their headings give them in `headings`; then only those lines are headings. Plain text
    marks none, and the parser recognises headings by their look. `meta_title` and `addresses` are what the
    file says about itself outside its text (an HTML <title>, Word's title property, the page's web address).
    `hidden` is text a person reading the file never sees (display:none, white or tiny type, a PDF's invisible
    text): it can only be meant for a machine, so it is left out and staff are told.
    """

    path: Path
    name: str
    format: str
    text: str
    sha256: str
    pages: tuple[PageSpan, ...] = ()
    headings: tuple[Heading, ...] = ()
    meta_title: str = ""
    addresses: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()  # text the file's formatting hides from a reader: left out of `text`, reported

    def page_at(self, offset: int) -> int | None:
        for span in self.pages:
            if span.start <= offset < span.end:
                return span.page
        return None


@dataclass(frozen=True)
class DocumentInfo:
    """Human facts about a document: read from its text (`ingest.describe`), or set by a manifest or by hand.

    `council` is how answers name the author ("Leicester, Leicestershire and Rutland" for a joint plan);
    `councils` lists each one, so a question about any of them finds the document.
    """

    name: str
    council: str
    title: str
    period: str = ""
    aliases: tuple[str, ...] = ()
    councils: tuple[str, ...] = ()
    kind: str = ""
    published: str = ""
    partners: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class Kind(StrEnum):
    PARAGRAPH = "paragraph"
    LIST = "list"
    LIST_ITEM = "list_item"
    TABLE_ROW = "table_row"
    TABLE_CELL = "table_cell"
    KEY_VALUE = "key_value"


@dataclass(frozen=True)
class Record:
    """One structural unit of a document, located by exact offsets into its source text.

    `parts` are the smaller units inside it (list items, table cells) that a chunker may cite on
    their own when the whole record is too long to embed well.
    """

    kind: Kind
    start: int
    end: int
    text: str
    section: tuple[str, ...] = ()
    fields: dict[str, str] = field(default_factory=dict)
    lead_in: str = ""
    paragraph_number: str = ""
    parts: tuple["Record", ...] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"record offsets must satisfy 0 <= start < end, got {self.start}..{self.end}")
        if len(self.text) != self.end - self.start:
            raise ValueError("record text must be exactly the slice source[start:end]")

    @property
    def section_path(self) -> str:
        return " › ".join(self.section)
