"""Records → chunks: the units we embed, search and cite.

A record that fits the token budget is one chunk. A longer one is cut at the seams the parser
found (a row's cells, a list's items) or, for prose, at sentence ends, so every chunk is still a
contiguous slice `source[start:end]` that can be quoted as it is. What a chunk means outside its
slice (council, section path, column name, a list's lead-in) travels as metadata and is added to
the text the embedder and the keyword index see, never to the quote.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.models import count_model_tokens, model_max_tokens
from core.text import sentence_ends
from ingest.records import DocumentInfo, Kind, Record, SourceText

if TYPE_CHECKING:
    from llama_index.core.schema import TextNode

DEFAULT_MAX_TOKENS = 256
MIN_BODY_TOKENS = 64  # however long a record's context, its own text may use this much of the model's window


@dataclass(frozen=True)
class Chunk:
    """One searchable, citable slice of a document and what it means in context."""

    chunk_id: str
    document: str
    council: str
    title: str
    section: str
    kind: str
    text: str
    start: int
    end: int
    token_count: int
    fields: dict[str, str] = field(default_factory=dict)
    lead_in: str = ""
    paragraph_number: str = ""
    page: int | None = None

    @property
    def heading(self) -> str:
        """The heading the chunk sits directly under ("" before the first one)."""
        return self.section.split(" › ")[-1]

    @property
    def search_text(self) -> str:
        """What the embedder and the keyword index see: the quote plus the context it lacks."""
        context = [self.council, self.section]
        if self.lead_in:
            context.append(self.lead_in)
        marked = self.fields.get("Marked", "").split(", ")
        rendered_fields = "; ".join(f"{name}: {value}" for name, value in self.fields.items()
                                    if value and name not in marked)  # "Marked: Priority 1, …" says it once
        body = rendered_fields if self.kind == Kind.TABLE_ROW and rendered_fields else self.text
        if self.kind != Kind.TABLE_ROW and rendered_fields:
            context.append(rendered_fields)
        return "\n".join(part for part in context + [body] if part)

    def to_node(self) -> TextNode:
        from llama_index.core.schema import (
            TextNode,  # imported here: a search never needs llama-index
        )

        metadata = {
            "document": self.document, "council": self.council, "title": self.title,
            "section": self.section, "kind": self.kind, "start": self.start, "end": self.end,
            "token_count": self.token_count, "fields": json.dumps(self.fields, ensure_ascii=False),
            "lead_in": self.lead_in, "paragraph_number": self.paragraph_number,
            "page": self.page if self.page is not None else -1,
        }
        return TextNode(id_=self.chunk_id, text=self.text, metadata=metadata,
                        excluded_embed_metadata_keys=list(metadata), excluded_llm_metadata_keys=list(metadata))


def chunk_id(document: str, number: int) -> str:
    """A chunk's id: its document and its place in it, so a neighbour's id is known without a lookup."""
    return f"{document}#{number}"


def neighbour_id(identifier: str, step: int) -> str:
    """The id of the chunk `step` places after (or, negative, before) this one in the same document."""
    document, number = identifier.rsplit("#", 1)
    return chunk_id(document, int(number) + step)


def chunk_document(source: SourceText, info: DocumentInfo, records: Iterable[Record],
                   max_tokens: int = DEFAULT_MAX_TOKENS) -> list[Chunk]:
    pieces = [piece for record in records
              for piece in _split(source.text, record, _budget(info, record, max_tokens))]
    return [
        Chunk(
            chunk_id=chunk_id(info.name, number), document=info.name, council=info.council, title=info.title,
            section=piece.section_path, kind=str(piece.kind), text=piece.text, start=piece.start, end=piece.end,
            token_count=count_model_tokens(piece.text), fields=piece.fields, lead_in=piece.lead_in,
            paragraph_number=piece.paragraph_number, page=source.page_at(piece.start),
        )
        for number, piece in enumerate(pieces)
    ]


def _budget(info: DocumentInfo, record: Record, max_tokens: int) -> int:
    """What a record's own text may use: the setting, or what the model reads once the context it is embedded
    with (council, section, lead-in, column names) has taken its share."""
    context = "\n".join([info.council, " › ".join(record.section), record.lead_in, *record.fields])
    return max(MIN_BODY_TOKENS, min(max_tokens, model_max_tokens() - count_model_tokens(context)))


def _split(text: str, record: Record, max_tokens: int) -> Iterator[Record]:
    if count_model_tokens(record.text) <= max_tokens:
        yield record
    elif record.parts:
        lead_in = _lead_in_unit(text, record) if record.kind == Kind.LIST else []
        yield from _group(text, record, [*lead_in, *record.parts], max_tokens)
    else:
        yield from _group(text, record, list(_sentences(text, record)), max_tokens)


def _lead_in_unit(text: str, record: Record) -> list[Record]:
    """The sentence that introduces a list ("…has three aims:") is a unit of its own: it goes with the first items."""
    end = record.parts[0].start
    while end > record.start and text[end - 1].isspace():
        end -= 1
    return [_slice(text, record, record.start, end)] if end > record.start else []


def _sentences(text: str, record: Record) -> Iterator[Record]:
    begin = record.start
    for stop, resume in sentence_ends(text, record.start, record.end):
        yield _slice(text, record, begin, stop)
        begin = resume
    yield _slice(text, record, begin, record.end)


def _group(text: str, record: Record, units: list[Record], max_tokens: int) -> Iterator[Record]:
    """Pack neighbouring units (cells, items, sentences) into slices of at most `max_tokens`.

    Cells of a table row are never packed together: each cell keeps its own column name.
    """
    if record.kind == Kind.TABLE_ROW:
        yield from units
        return
    batch: list[Record] = []
    for unit in units:
        candidate = batch + [unit]
        if batch and count_model_tokens(text[batch[0].start:unit.end]) > max_tokens:
            yield _slice(text, record, batch[0].start, batch[-1].end)
            candidate = [unit]
        batch = candidate
    if batch:
        yield _slice(text, record, batch[0].start, batch[-1].end)


def _slice(text: str, record: Record, start: int, end: int) -> Record:
    return Record(kind=record.kind, start=start, end=end, text=text[start:end], section=record.section,
                  fields=record.fields if record.kind != Kind.LIST else {}, lead_in=record.lead_in,
                  paragraph_number=record.paragraph_number)
