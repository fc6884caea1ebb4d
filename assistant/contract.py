"""The public JSON of `send-assistant` as pydantic models (see ../shared/CONTRACT.md): add fields, never rename.

Kept in one module so the CLI, the batch modes, the UI's API and the evals print the same objects, and so
what they read (`--batch` lines, `--history` files) is checked before any model is loaded. Output models are
built from the internal types (`HitJSON.from_hit`, `AnswerJSON.from_answer`) and printed with
`model_dump(mode="json")`; their field order is the order scripts have always seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    TypeAdapter,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from assistant.types import Answer, Citation, RefusalKind

if TYPE_CHECKING:  # only for the annotation: reading a batch file or an eval set should not load the index code
    from vectorstore.generation import DocumentEntry
    from vectorstore.index import Hit



def _batch_id(value: object) -> str | int | None:
    """Echoed as given, so only what prints back unchanged: a string, a whole number or null."""
    if value is None or isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise PydanticCustomError("batch_id", "Input should be a string, a whole number or null")


BatchId = Annotated[str | int | None, PlainValidator(_batch_id, json_schema_input_type=str | int | None)]


class ChatMessage(BaseModel):
    """One earlier turn of the conversation; a follow-up ("And by when?") is read against these."""

    role: Literal["user", "assistant"] = Field(description="Who said it: the person asking, or the assistant.")
    content: str = Field(description="What was said, as plain text.")


class HitJSON(BaseModel):
    """One search result: a chunk of a plan and how well it matched."""

    chunk_id: str = Field(description="Stable id `<document>#<n>`: the n-th chunk of the document.")
    document: str = Field(description="The source file's name.")
    title: str = Field(description="The plan's title.")
    council: str = Field(description="The council whose plan it is.")
    section: str = Field(description="The heading path the passage sits under (may be empty).")
    kind: str = Field(description="What the passage is: prose, a list, a table row…")
    text: str = Field(description="The passage, exactly `source[start:end]`.")
    start: int = Field(ge=0, description="Offset of the passage's first character in the source text.")
    end: int = Field(ge=0, description="Offset just after the passage's last character.")
    score: float = Field(description="Fused rank score (reciprocal-rank fusion of meaning and keywords); higher "
                                     "is better.")
    fields: dict[str, str] = Field(description="A table row's cells by column name; empty for prose.")
    page: int | None = Field(description="The PDF page the passage starts on; null for other formats.")

    @classmethod
    def from_hit(cls, hit: Hit) -> HitJSON:
        chunk = hit.chunk
        return cls(chunk_id=chunk.chunk_id, document=chunk.document, title=chunk.title, council=chunk.council,
                   section=chunk.section, kind=chunk.kind, text=chunk.text, start=chunk.start, end=chunk.end,
                   score=round(hit.score, 6), fields=chunk.fields, page=chunk.page)


class CitationJSON(BaseModel):
    """The exact slice of a source file that supports the answer sentences carrying its `[marker]`."""

    marker: int = Field(ge=1, description="The number n of the `[n]` marker in the answer text.")
    chunk_id: str = Field(description="The chunk the quote comes from (`<document>#<n>`).")
    document: str = Field(description="The source file's name.")
    council: str = Field(description="The council whose plan it is.")
    title: str = Field(description="The plan's title.")
    section: str = Field(description="The heading path the quote sits under (may be empty).")
    text: str = Field(description="The quote, exactly `source[start:end]`.")
    start: int = Field(ge=0, description="Offset of the quote's first character in the source text.")
    end: int = Field(ge=0, description="Offset just after the quote's last character.")

    @classmethod
    def from_citation(cls, citation: Citation) -> CitationJSON:
        return cls(marker=citation.marker, chunk_id=citation.chunk_id, document=citation.document,
                   council=citation.council, title=citation.title, section=citation.section, text=citation.text,
                   start=citation.start, end=citation.end)


class TimingsJSON(BaseModel):
    """Where the time went, in milliseconds."""

    model_config = ConfigDict(extra="allow")

    retrieve: float = Field(description="From the question to the evidence found.")
    answer: float = Field(description="From the evidence to the answer written.")
    total: float = Field(description="The whole question.")


class AnswerJSON(BaseModel):
    """The `ask --json` object: a cited answer, or a refusal that says where to get help."""

    question: str = Field(description="The question as it was answered (cleaned of stray whitespace).")
    answer: str = Field(description="The answer with `[n]` markers, or the refusal message.")
    refused: bool = Field(description="True when the plans do not answer the question; a refusal cites nothing.")
    refusal_kind: RefusalKind | None = Field(description="Why it was refused; null for an answer.")
    citations: list[CitationJSON] = Field(description="One per `[n]` marker in the answer; empty for a refusal.")
    answered_by: str = Field(description='Who wrote the answer: "extractive", an LLM backend, or '
                                         '"extractive (fallback)" when an LLM answer could not be checked.')
    notes: list[str] = Field(description="Remarks about how the answer was made (e.g. why an LLM answer was "
                                         "replaced).")
    caveat: str = Field(description="Said before the answer about the question itself (\"I can't say what will "
                                    "happen for your child…\"); never a claim about the plans, so never cited.")
    timings_ms: TimingsJSON = Field(description="Where the time went, in milliseconds.")

    @classmethod
    def from_answer(cls, answer: Answer, **extra: Any) -> AnswerJSON:
        """The public object of `answer`; `extra` fills a subclass's own fields (a batch line's id and latency)."""
        return cls(question=answer.question, answer=answer.answer, refused=answer.refused,
                   refusal_kind=answer.refusal_kind,
                   citations=[CitationJSON.from_citation(citation) for citation in answer.citations],
                   answered_by=answer.answered_by, notes=list(answer.notes), caveat=answer.caveat,
                   timings_ms=TimingsJSON(**answer.timings_ms), **extra)


class BatchAnswerJSON(AnswerJSON):
    """One line of `ask --batch` output: the answer object plus the input line's id and the time it took."""

    id: BatchId = Field(description="The input line's id, as given (null when it had none).")
    latency_ms: float = Field(ge=0, description="Wall-clock milliseconds for this question.")


class SearchBatchJSON(BaseModel):
    """One line of `search --batch` output."""

    id: BatchId = Field(description="The input line's id, as given (null when it had none).")
    hits: list[HitJSON] = Field(description="The ranked hits for the line's question.")


class DocumentJSON(BaseModel):
    """One indexed file and what it says about itself (`send-assistant documents --json`)."""

    document: str = Field(description="The file's name.")
    council: str = Field(description="Who wrote it, as answers name them (several for a joint plan).")
    councils: list[str] = Field(description="Each council that wrote it; a question about any of them finds it.")
    title: str = Field(description="Its title.")
    period: str = Field(description="The years it covers (2024-2026), or empty.")
    kind: str = Field(description="What it is: strategy, action plan, committee report, minutes…")
    published: str = Field(description="The publication or meeting date it states, or empty.")
    format: str = Field(description="txt, md, html, pdf or docx.")
    chunks: int = Field(ge=0, description="Passages indexed from it.")
    table_rows: int = Field(ge=0, description="Table rows among them.")
    sha256: str = Field(description="Of the file's bytes: the same file is never indexed twice.")
    notes: list[str] = Field(description="What could not be read from it (e.g. no council named), and what was "
                                         "left out of the index: text written for a machine, text hidden by formatting.")

    @classmethod
    def from_entry(cls, entry: DocumentEntry) -> DocumentJSON:
        return cls(document=entry.name, council=entry.council, councils=list(entry.named_councils),
                   title=entry.title, period=entry.period, kind=entry.kind, published=entry.published,
                   format=entry.format, chunks=entry.chunk_count, table_rows=entry.row_count, sha256=entry.sha256,
                   notes=list(entry.notes))


class BatchQuestion(BaseModel):
    """One line of a `--batch` input file; other keys (an eval item's labels) are ignored."""

    id: BatchId = Field(None, description="Echoed in the output line, so answers can be matched to questions.")
    question: str = Field(description="The question (or search query).")
    history: list[ChatMessage] = Field([], description="The conversation so far, oldest first (`ask` only).")


PUBLIC_MODELS: dict[str, tuple[type[BaseModel], Literal["validation", "serialization"]]] = {
    "hit": (HitJSON, "serialization"),
    "answer": (AnswerJSON, "serialization"),
    "citation": (CitationJSON, "serialization"),
    "batch_question": (BatchQuestion, "validation"),
    "batch_answer": (BatchAnswerJSON, "serialization"),
    "search_batch_line": (SearchBatchJSON, "serialization"),
    "document": (DocumentJSON, "serialization"),
}

_HISTORY = TypeAdapter(list[ChatMessage])


def json_schemas() -> dict[str, dict]:
    """The JSON Schema of each public object: what is printed (serialization) or read (validation)."""
    return {name: model.model_json_schema(mode=mode) for name, (model, mode) in PUBLIC_MODELS.items()}


def validate_history(raw: object) -> list[dict]:
    """A `--history` list as plain `{"role", "content"}` dicts; raises ValidationError."""
    return [message.model_dump() for message in _HISTORY.validate_python(raw)]


def error_summary(error: ValidationError, quote: bool = True) -> str:
    """Each problem as `"field": message` (`history[0].role`), on one line."""
    return "; ".join(f"{_where(problem['loc'], quote)}{problem['msg']}" for problem in error.errors())


def _where(loc: Sequence[str | int], quote: bool) -> str:
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).removeprefix(".")
    if not path:
        return ""
    return f'"{path}": ' if quote else f"{path}: "
