"""Sentences inside a chunk, as exact source spans: the unit a claim is cited by and the unit the evidence
scorer compares with a question.

They live here, below the index, because ingest embeds every span the scorer may compare (`scored_spans`,
`embed_text`) and stores the vectors with the generation: answering a question then embeds only the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.text import sentence_ends
from ingest.chunk import Chunk

LIST_WORDS = 80  # a list this short can be quoted whole
_PADDING = " \t\r\n\u00a0\u200b•·-–*"


@dataclass(frozen=True)
class Span:
    """A sentence (or list item, or table row) of a chunk, located in its document."""

    chunk: Chunk
    start: int
    end: int
    text: str


def sentence_spans(chunk: Chunk) -> list[Span]:
    """Sentences and lines of a chunk; a table row stays whole because its cells only mean something together."""
    if chunk.kind in ("table_row", "key_value", "table_cell"):
        return [Span(chunk, chunk.start, chunk.end, chunk.text)]
    spans, begin = [], 0
    if chunk.kind == "list" and len(chunk.text.split()) <= LIST_WORDS:
        spans.append(Span(chunk, chunk.start, chunk.end, chunk.text))  # "what are the levels?" is the whole list
    for stop, resume in sentence_ends(chunk.text, lines=True):
        spans.extend(_trimmed(chunk, begin, stop))
        begin = resume
    spans.extend(_trimmed(chunk, begin, len(chunk.text)))
    return spans


def _trimmed(chunk: Chunk, begin: int, end: int) -> list[Span]:
    piece = chunk.text[begin:end]
    left = len(piece) - len(piece.lstrip(_PADDING))
    right = len(piece.rstrip(" \t\r\n\u00a0\u200b"))
    if right - left < 3:
        return []
    start, stop = chunk.start + begin + left, chunk.start + begin + right
    return [Span(chunk, start, stop, chunk.text[begin + left:begin + right])]


_LEANS_BACK = re.compile(r"(?:This|These|That|Those|It|They|Such|The (?:figure|number|rate|increase|rise|same))\b")
# …or names what it counts only as "that number" early on ("In 2025 that number is 4,035")
# …or says how it changed ("From June to September this fell to 41%")
_POINTS_BACK = re.compile(r"^(?:\S+\s+){0,4}?(?:this|that|these|those|the same) (?:number|figure|rate|total|amount|"
                          r"percentage|proportion|increase|rise)\b"
                          r"|^(?:\S+\s+){0,8}?(?:this|it|that) (?:has |had )?(?:rose|risen|fell|fallen|increased|decreased|"
                          r"improved|dropped|grew|grown|went|reached)\b", re.IGNORECASE)


def points_back(text: str) -> bool:
    """ "In 2025 that number is 4,035", "By June this fell to 41%": the sentence counts what the one before names."""
    return _POINTS_BACK.search(text) is not None


def with_antecedent(span: Span) -> Span:
    """A sentence that leans on the one before ("In autumn 2024, the figure was 12%" after "…rose from 11% in 2023";
    "In 2025 that number is 655") together with it, within the same line: what it says is only whole with it."""
    if span.chunk.kind not in ("paragraph", "list") or span.text.rstrip().endswith(":"):
        return span  # a lead-in ("These sessions brought together:") leans on what follows it, not on what precedes
    body = re.sub(r"^(?:In|By|From|Since|At|On) [^,]{1,40}, ", "", span.text)  # "In autumn 2024, the figure…"
    if not (_LEANS_BACK.match(body[:1].upper() + body[1:]) or points_back(span.text)):
        return span
    before = [earlier for earlier in sentence_spans(span.chunk) if earlier.end <= span.start]
    if not before or "\n" in span.chunk.text[before[-1].end - span.chunk.start:span.start - span.chunk.start]:
        return span
    begin = before[-1].start
    return Span(span.chunk, begin, span.end, span.chunk.text[begin - span.chunk.start:span.end - span.chunk.start])


def scored_spans(chunk: Chunk) -> list[Span]:
    """Every span of a chunk the evidence scorer compares with a question: each sentence with the one it leans on,
    and the chunk whole (a long list answers "what are the eight…?"), once each, in order."""
    spans = [Span(chunk, chunk.start, chunk.end, chunk.text), *map(with_antecedent, sentence_spans(chunk))]
    return list({(span.start, span.end): span for span in spans}.values())


def embed_text(span: Span) -> str:
    """What a span is about: a whole chunk (a table row with its column names) as it was searched; a sentence with
    the section and lead-in it sits under."""
    chunk = span.chunk
    if span.start == chunk.start and span.end == chunk.end:
        return chunk.search_text
    context = " › ".join(part for part in (chunk.section, chunk.lead_in) if part)
    return f"{context}\n{span.text}" if context else span.text
