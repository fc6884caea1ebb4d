"""Evidence → a short answer whose every sentence carries a [n] marker to the slice that supports it.

Rows are rendered from their fields through the templates in prompts/ (values copied exactly);
prose is quoted as the source sentence. Nothing here adds a fact that the cited slice lacks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.glossary import Definition
from assistant.prompts import template
from assistant.sentences import Span
from assistant.types import Citation
from ingest.chunk import Chunk

MARK_FIELD = "Marked"


@dataclass(frozen=True)
class Claim:
    """One answer sentence and the exact slice it rests on."""

    text_template: str  # contains "{marker}"
    chunk: Chunk
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class Lead:
    """The plain sentence opening an answer for one council: its text (with "{markers}") and the claims whose
    slices prove it."""

    text: str
    sources: tuple[Claim, ...]


def claim_for_span(span: Span, asks_who: bool) -> Claim:
    chunk = span.chunk
    if chunk.kind == "table_row" and chunk.fields:
        text = template("answer_table_row.txt").fill(council=chunk.council, fields=_render_fields(chunk.fields),
                                                     marker="{marker}")
    elif chunk.kind == "table_cell":
        period = chunk.fields.get("period", "")
        text = template("answer_table_cell.txt").fill(
            council=chunk.council, theme=_without_article(chunk.heading), column=chunk.fields.get("column", ""),
            period=f" ({period})" if period else "", text=span.text.rstrip("."), marker="{marker}",
            no_lead=template("answer_no_lead.txt").text if asks_who else "")
    elif chunk.kind == "key_value" and any(chunk.fields.values()):
        rendered = "; ".join(f"{name}: {value}" for name, value in chunk.fields.items() if value)
        text = template("answer_key_value.txt").fill(council=chunk.council, text=rendered, marker="{marker}")
    else:
        text = template("answer_sentence.txt").fill(council=chunk.council, text=span.text, marker="{marker}")
    return Claim(text, chunk, span.start, span.end, span.text)


def claim_for_heading(chunk: Chunk, start: int, heading: str) -> Claim:
    """The heading a cited passage sits under, quoted from the plan (`start` is where it is written)."""
    text = template("answer_sentence.txt").fill(council=chunk.council, text=heading, marker="{marker}")
    return Claim(text, chunk, start, start + len(heading), heading)


def claim_for_definition(definition: Definition, chunk: Chunk, quote: str) -> Claim:
    text = template("answer_acronym.txt").fill(acronym=definition.acronym, expansion=definition.expansion,
                                               marker="{marker}")
    return Claim(f"In {chunk.council}'s plan, {text}", chunk, definition.start, definition.end, quote)


def _without_article(name: str) -> str:
    """ "the The Northshire SEND Vision table" reads badly: the template supplies the article."""
    return name[4:] if name.startswith("The ") else name


def _render_fields(fields: dict[str, str]) -> str:
    marked = fields.get(MARK_FIELD)
    shown = [f"{name}: {value}" for name, value in fields.items()
             if value and name != MARK_FIELD and not (marked and name in marked.split(", "))]
    if marked:
        shown.append(f"marked under {marked}")
    return "; ".join(shown)


def assemble(claims: list[Claim], leads: Sequence[Lead] = ()) -> tuple[str, tuple[Citation, ...]]:
    """The plain opening sentences (one line each), then the proof; sources numbered in order of first use, and
    the same slice cited twice keeps one number."""
    markers: dict[tuple[str, int, int], int] = {}
    citations: list[Citation] = []

    def marker(claim: Claim) -> str:
        key = (claim.chunk.document, claim.start, claim.end)
        if key not in markers:
            markers[key] = len(markers) + 1
            chunk = claim.chunk
            citations.append(Citation(
                marker=markers[key], chunk_id=chunk.chunk_id, document=chunk.document, council=chunk.council,
                title=chunk.title, section=chunk.section, text=claim.quote, start=claim.start, end=claim.end,
                context_start=min(chunk.start, claim.start), context_end=max(chunk.end, claim.end)))
        return f"[{markers[key]}]"

    opening = [lead.text.replace("{markers}", "".join(dict.fromkeys(marker(source) for source in lead.sources)))
               for lead in leads]
    first_cited = dict(markers)  # the proof follows the order of the opening lines
    claims = sorted(claims, key=lambda c: first_cited.get((c.chunk.document, c.start, c.end), len(first_cited) + 1))
    proof = " ".join(claim.text_template.replace("{marker}", marker(claim)[1:-1]) for claim in claims)
    return "\n\n".join(filter(None, ["\n".join(opening), proof])), tuple(citations)
