"""Typed records passed between ingestion stages.

`SourceText` is what a reader extracts from a file; every offset in the project points into its
`text`. `Record` is one structural unit found by the parser (a paragraph, a table row, a list with
its lead-in…). The invariant that makes citations checkable lives on the type:
`source.text[record.start:record.end] == record.text`.
"""

from __future__ import annotations

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
class SourceText:
    """A file's text exactly as indexed: for .txt/.md the file itself, for PDF/DOCX/HTML the extraction."""

    path: Path
    name: str
    format: str
    text: str
    sha256: str
    pages: tuple[PageSpan, ...] = ()

    def page_at(self, offset: int) -> int | None:
        for span in self.pages:
            if span.start <= offset < span.end:
                return span.page
        return None


@dataclass(frozen=True)
class DocumentInfo:
    """Human facts about a document: from corpus/manifest.json, or guessed for an upload."""

    name: str
    council: str
    title: str
    period: str = ""
    aliases: tuple[str, ...] = ()


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
