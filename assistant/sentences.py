"""Sentences inside a chunk, as exact source spans: the unit a claim is cited by."""

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


_CARRIES_ON = re.compile(r"(?:This|These|That|It|Its|They|Their|Those|Such|There (?:will|is|are|was|were))\b")


def with_continuation(span: Span) -> Span:
    """The sentence with the next one when that carries it on ("…reviewed annually. This will be carried out by a
    task group…"): the second often holds the rest of the answer, and alone it would not make sense. Only
    within a line: a new line is a new paragraph or list item."""
    if span.chunk.kind not in ("paragraph", "list"):
        return span
    following = next((later for later in sentence_spans(span.chunk) if later.start >= span.end), None)
    if following is None or not _CARRIES_ON.match(following.text):
        return span
    begin, end = span.start - span.chunk.start, following.end - span.chunk.start
    if "\n" in span.chunk.text[span.end - span.chunk.start:following.start - span.chunk.start]:
        return span
    return Span(span.chunk, span.start, following.end, span.chunk.text[begin:end])


_LEANS_BACK = re.compile(r"(?:This|These|That|Those|It|They|Such|The (?:figure|number|rate|increase|rise|same))\b")
# …or names what it counts only as "that number" early on ("In 2025 that number is 4,035")
_POINTS_BACK = re.compile(r"^(?:\S+\s+){0,4}?(?:this|that|these|those|the same) (?:number|figure|rate|total|amount|"
                          r"percentage|proportion|increase|rise)\b", re.IGNORECASE)


def with_what_it_refers_to(span: Span) -> Span:
    """A sentence quoted with the one before when it leans on it, and with the one after when that carries it on."""
    return with_antecedent(with_continuation(span))


def with_antecedent(span: Span) -> Span:
    """A sentence that leans on the one before ("In autumn 2024, the figure was 12%" after "…rose from 11% in 2023";
    "In 2025 that number is 655") together with it, within the same line: what it says is only whole with it."""
    if span.chunk.kind not in ("paragraph", "list") or span.text.rstrip().endswith(":"):
        return span  # a lead-in ("These sessions brought together:") leans on what follows it, not on what precedes
    body = re.sub(r"^(?:In|By|From|Since|At|On) [^,]{1,40}, ", "", span.text)  # "In autumn 2024, the figure…"
    if not (_LEANS_BACK.match(body[:1].upper() + body[1:]) or _POINTS_BACK.search(span.text)):
        return span
    before = [earlier for earlier in sentence_spans(span.chunk) if earlier.end <= span.start]
    if not before or "\n" in span.chunk.text[before[-1].end - span.chunk.start:span.start - span.chunk.start]:
        return span
    begin = before[-1].start
    return Span(span.chunk, begin, span.end, span.chunk.text[begin - span.chunk.start:span.end - span.chunk.start])


def nested_items_end(text: str, offset: int) -> int:
    """Where the items indented under the line ending at `offset` end ("…including:" then deeper bullets)."""
    line_start = text.rfind("\n", 0, offset) + 1
    indent = len(text[line_start:offset]) - len(text[line_start:offset].lstrip())
    end = offset
    position = text.find("\n", offset)
    while position != -1:
        next_break = text.find("\n", position + 1)
        line = text[position + 1:next_break if next_break != -1 else len(text)]
        if line.strip():
            if len(line) - len(line.lstrip()) <= indent:
                break
            end = position + 1 + len(line.rstrip())
        position = next_break
    return end
