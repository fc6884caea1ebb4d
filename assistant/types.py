"""Typed results of `ask`: an answer always carries citations, a refusal never does.

A `Citation` quotes the exact slice `source[start:end]` that supports the sentence carrying its
`[marker]`; `context_start`/`context_end` locate the surrounding paragraph or row for "show in context".
Their public JSON is built in `assistant/contract.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

FALLBACK = "extractive (fallback)"  # `answered_by` when an LLM's answer could not be checked


class RefusalKind(StrEnum):
    NO_EVIDENCE = "no_evidence"
    UNKNOWN_COUNCIL = "unknown_council"
    PERSONAL = "personal"
    OTHER_LANGUAGE = "other_language"
    BAD_INPUT = "bad_input"
    TIME_LIMIT = "time_limit"  # the answer's time budget ran out before anything answered the question


@dataclass(frozen=True)
class Citation:
    marker: int
    chunk_id: str
    document: str
    council: str
    title: str
    section: str
    text: str
    start: int
    end: int
    context_start: int
    context_end: int


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    refused: bool
    citations: tuple[Citation, ...] = ()
    refusal_kind: RefusalKind | None = None
    answered_by: str = "extractive"
    notes: tuple[str, ...] = ()
    caveat: str = ""  # said before the answer about the question itself ("I can't say for one child…"): no claim
    timings_ms: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.refused and self.citations:
            raise ValueError("a refusal cites nothing")
        if not self.refused and not self.citations:
            raise ValueError("an answer must cite at least one source")
        if self.refused != (self.refusal_kind is not None):
            raise ValueError("a refusal, and only a refusal, has a kind")
