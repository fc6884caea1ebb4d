"""How much of a chunk a claim quotes: a sentence with the one that carries it on, a lead-in with its items.

The spans themselves (`Span`, `sentence_spans`, `with_antecedent`) live in `ingest.spans`, because ingest embeds them.
"""

from __future__ import annotations

import re

from ingest.spans import Span, points_back, sentence_spans, with_antecedent

_CARRIES_ON = re.compile(r"(?:This|These|That|It|Its|They|Their|Those|Such|There (?:will|is|are|was|were))\b")
SHORT_SENTENCE_WORDS = 6  # a sentence this short ("No referral is needed.") is quoted with the next one


def overlaps(span: Span, other: Span) -> bool:
    """Whether two passages share any of the same document's text."""
    return span.chunk.document == other.chunk.document and span.start < other.end and other.start < span.end


def with_continuation(span: Span) -> Span:
    """The sentence with the next one when that carries it on ("…reviewed annually. This will be carried out by a
    task group…", "In 2015 there were 900… In 2025 that number is 1,400"): the second often holds the rest of the
    answer, and alone it would not make sense. A very short sentence ("No referral is needed.") comes with the
    next one, and a very short next one with a figure or date ("Ready by June 2028.") finishes what the first says:
    alone either tells too little. Only within a line: a new line is a new paragraph or list item."""
    if span.chunk.kind not in ("paragraph", "list"):
        return span
    following = next((later for later in sentence_spans(span.chunk) if later.start >= span.end), None)
    finishes = _short(following) and re.search(r"\d", following.text) if following else False
    if following is None or not (_short(span) or finishes or _CARRIES_ON.match(following.text)
                                 or points_back(following.text)):
        return span
    begin, end = span.start - span.chunk.start, following.end - span.chunk.start
    if "\n" in span.chunk.text[span.end - span.chunk.start:following.start - span.chunk.start]:
        return span
    return Span(span.chunk, span.start, following.end, span.chunk.text[begin:end])


def _short(span: Span) -> bool:
    return len(span.text.split()) <= SHORT_SENTENCE_WORDS


def with_what_it_refers_to(span: Span) -> Span:
    """A sentence quoted with the one before when it leans on it, and with the one after when that carries it on."""
    return with_antecedent(with_continuation(span))


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
