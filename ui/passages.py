"""What a source card needs to know about a cited passage beyond the citation: where it sits in its document
(page, paragraph number), the cells of a table row by column, and the rest of the table around that row.

All of it comes from the chunk metadata the index already holds, looked up by the citation's chunk id,
so a card can show "Page 4 · Paragraph 3.2" and a table instead of a file name and character offsets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ingest.chunk import Chunk
from ingest.records import Kind

MAX_TABLE_ROWS = 40  # rows shown around a cited row in "Show in context"; a longer table is cut around the row


@dataclass(frozen=True)
class Passages:
    """Look-ups into one index generation's chunks and sources (`HybridIndex.chunks`, `.source_text`)."""

    chunks: dict[str, Chunk]
    source_text: Callable[[str], str]

    @classmethod
    def of(cls, index) -> Passages:
        return cls(index.chunks, index.source_text)

    def chunk(self, chunk_id: str) -> Chunk | None:
        return self.chunks.get(chunk_id)

    def table_around(self, row: Chunk) -> list[Chunk]:
        """The table rows next to `row` in its document (same section, same columns), at most MAX_TABLE_ROWS."""
        ordered = [chunk for chunk in self.chunks.values() if chunk.document == row.document]
        ids = [chunk.chunk_id for chunk in ordered]
        if row.kind != Kind.TABLE_ROW or row.chunk_id not in ids:
            return [row]
        at = ids.index(row.chunk_id)

        def same_table(chunk: Chunk) -> bool:
            return (chunk.kind == Kind.TABLE_ROW and chunk.section == row.section
                    and chunk.fields.keys() == row.fields.keys())

        first, last = at, at
        while first > 0 and same_table(ordered[first - 1]):
            first -= 1
        while last + 1 < len(ordered) and same_table(ordered[last + 1]):
            last += 1
        first = max(first, min(at - MAX_TABLE_ROWS // 2, last + 1 - MAX_TABLE_ROWS))
        return ordered[first:min(last + 1, first + MAX_TABLE_ROWS)]
