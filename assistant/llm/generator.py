"""The `Generator` the engine calls: sources → prompt → model → verification → answer, or the extractive one.

`stream` yields the model's raw text pieces (`str`) as they arrive and then, as its last item, the final
verified `Answer` (`Assistant.ask` keeps only that last item; the web app shows the pieces as a draft). The raw
pieces are a draft: they are shown while the answer is checked and must be replaced by the final
answer's text, because verification may remove sentences (or fall back to the extractive answer).

Whatever goes wrong with the model (no server, a timeout, an empty or unverifiable answer, a refusal
although the extractive path found evidence), the user gets the extractive answer, `answered_by` says
"extractive (fallback)", and `notes` say why. A refused question never reaches the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from llama_index.core.llms import LLM

from assistant.llm.backends import (
    BackendError,
    BackendTimeoutError,
    BackendUnavailableError,
    EmptyCompletionError,
    backend_label,
    build_llm,
    complete_text,
    stream_text,
)
from assistant.llm.prompting import (
    answer_messages,
    choose_sources,
    condense_messages,
    refusal_phrase,
)
from assistant.llm.verify import Verification, drop_addressed, verify
from assistant.prompts import template
from assistant.types import FALLBACK, Answer
from core.settings import Settings
from vectorstore.embedder import Embedder
from vectorstore.index import Hit

CONDENSE_MAX_CHARS = 300
_LABEL = re.compile(r"^\s*(?:standalone|rewritten)?\s*question\s*:\s*", re.IGNORECASE)


class LLMGenerator:
    def __init__(self, settings: Settings, llm: LLM, embedder: Embedder) -> None:
        self.settings = settings
        self.llm = llm
        self.embedder = embedder
        self.name = settings.backend
        self.label = backend_label(settings)
        self.budget = settings.llm_context_tokens - settings.llm_max_tokens  # prompt tokens left for the sources

    @classmethod
    def from_settings(cls, settings: Settings, embedder: Embedder) -> LLMGenerator | None:
        """The configured generator, or None for the extractive backend (the engine then answers alone)."""
        llm = build_llm(settings)
        return None if llm is None else cls(settings, llm, embedder)

    def stream(self, question: str, history: Sequence[dict], hits: list[Hit],
               extractive: Answer) -> Iterator[str | Answer]:
        """Raw text pieces as the model writes them, then the final verified `Answer` as the last item."""
        extractive = drop_addressed(extractive)
        if extractive.refused or not hits:
            yield extractive
            return
        try:
            standalone = self.condense(question, history)
            sources = choose_sources(hits, extractive, standalone, self.budget, self.settings.llm_sources)
            pieces = []
            for piece in stream_text(self.llm, answer_messages(standalone, sources), self.settings.llm_timeout,
                                     self.label):
                pieces.append(piece)
                yield piece
        except BackendError as exc:
            yield self._fallback(extractive, _reason(exc, self.settings.llm_timeout), str(exc))
            return
        text = "".join(pieces)
        if _says_refusal(text):
            yield self._fallback(extractive, "it said the sources do not answer the question, although the search "
                                             "found a passage that does")
            return
        yield self._verified(verify(text, sources, self.embedder), extractive)

    def condense(self, question: str, history: Sequence[dict]) -> str:
        """The follow-up rewritten as a standalone question; the question as given when there is no history
        or the model cannot help (the engine has already joined a thin follow-up to the previous question)."""
        if not any(str(m.get("content", "")).strip() for m in history):
            return question
        try:
            text = complete_text(self.llm, condense_messages(question, history), self.settings.llm_timeout,
                                 self.label)
        except BackendError:
            return question
        first = next((line for line in text.splitlines() if line.strip()), "")
        rewritten = _LABEL.sub("", first).strip().strip('"“”')
        return rewritten if 5 <= len(rewritten) <= CONDENSE_MAX_CHARS else question

    def _verified(self, verification: Verification, extractive: Answer) -> Answer:
        total, kept = len(verification.checked), len(verification.kept)
        if not verification.trustworthy:
            supported = f"only {kept} of {total} sentences are" if kept else "no sentence is"
            return self._fallback(extractive, f"it could not be verified ({supported} supported by the sources "
                                              "they cite)", *verification.reasons)
        notes = () if not verification.dropped else (
            template("llm_verified_note.txt").fill(removed=total - kept, total=total, backend=self.name),
            *verification.reasons)
        return replace(extractive, answer=verification.text, citations=verification.citations,
                       answered_by=self.name, notes=extractive.notes + notes)

    def _fallback(self, extractive: Answer, reason: str, *details: str) -> Answer:
        note = template("llm_fallback_note.txt").fill(backend=self.name, reason=reason)
        return replace(extractive, answered_by=FALLBACK, notes=extractive.notes + (note, *details))


def _reason(exc: BackendError, timeout: float) -> str:
    if isinstance(exc, BackendTimeoutError):
        return f"it did not answer within {timeout:g} s"
    if isinstance(exc, BackendUnavailableError):
        return "the model server could not be reached"
    if isinstance(exc, EmptyCompletionError):
        return "it returned an empty answer"
    return "the model failed"


def _says_refusal(text: str) -> bool:
    """The model's answer opens with the refusal sentence the system prompt asks for."""
    return text.replace("’", "'").strip().lower().startswith(refusal_phrase().lower().rstrip("."))
