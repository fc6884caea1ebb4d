"""The messages an LLM sees, built only from the files in prompts/ (system, sources, source_block, condense).

Sources are numbered in the order the extractive answer cites them, then by search rank, and cut to fit
the context window. Each is wrapped as quoted data, `<source n="…">…</source>`, with its council, section
and fields, so the model can cite [n] and the verifier checks [n] against the very text the model saw.
A document cannot close its own wrapper: a "</source>" inside it is defused before quoting.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from llama_index.core.base.llms.types import ChatMessage, MessageRole

from assistant.prompts import template
from assistant.types import Answer, Citation
from core.errors import ConfigError
from ingest.chunk import Chunk
from vectorstore.index import Hit

MODEL_TOKENS_PER_CL100K = 1.3  # small open models' tokenizers need up to ~30% more tokens than cl100k here


@lru_cache(maxsize=1)
def _encoding():
    """cl100k_base, read from the encodings llama-index-core ships (see core.offline): no download."""
    import tiktoken

    return tiktoken.get_encoding("cl100k_base")


def count_tokens(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=()))
MARGIN_TOKENS = 64              # chat-template markup around the messages
HISTORY_MESSAGES = 6
HISTORY_CHARS = 300
_TAG = re.compile(r"<\s*(/?)\s*source\b", re.IGNORECASE)


@dataclass(frozen=True)
class Source:
    """A chunk as the model sees it: numbered, with its council, section and fields."""

    number: int
    chunk: Chunk

    @property
    def block(self) -> str:
        chunk = self.chunk
        details = ""
        if chunk.lead_in:
            details += f"\nlead-in: {_defused(chunk.lead_in)}"
        shown = "; ".join(f"{name}: {value}" for name, value in chunk.fields.items() if value)
        if shown:
            details += f"\nfields: {_defused(shown)}"
        return template("source_block.txt").fill(number=self.number, council=chunk.council, title=chunk.title,
                                                 section=chunk.section or "(none)", details=details,
                                                 text=_defused(chunk.text))


@lru_cache(maxsize=1)
def refusal_phrase() -> str:
    """The sentence a model must say when the sources do not answer: the first of the assistant's own refusal."""
    text = template("refusal_no_evidence.txt").text
    return text[:text.index(".") + 1]


def system_prompt() -> str:
    text = template("system.txt").fill()
    if refusal_phrase() not in text:
        raise ConfigError(f"prompts/system.txt must contain the exact refusal sentence {refusal_phrase()!r} "
                          "(the first sentence of prompts/refusal_no_evidence.txt).")
    return text


def choose_sources(hits: Sequence[Hit], extractive: Answer, question: str, budget_tokens: int,
                   most: int) -> list[Source]:
    """The extractive answer's evidence first, then the other hits by rank, as many as fit the budget."""
    by_id = {hit.chunk.chunk_id: hit.chunk for hit in hits}
    for citation in extractive.citations:  # a glossary definition is cited from outside the hits
        by_id.setdefault(citation.chunk_id, _quoted_chunk(citation))
    ordered = [c.chunk_id for c in extractive.citations] + [hit.chunk.chunk_id for hit in hits]
    used = _model_tokens(system_prompt() + question + template("sources.txt").text) + MARGIN_TOKENS
    sources: list[Source] = []
    for chunk_id in dict.fromkeys(ordered):
        source = Source(len(sources) + 1, by_id[chunk_id])
        cost = _model_tokens(source.block)
        if sources and (used + cost > budget_tokens or len(sources) == most):
            break
        sources.append(source)
        used += cost
    return sources


def answer_messages(question: str, sources: Sequence[Source]) -> list[ChatMessage]:
    blocks = "\n\n".join(source.block for source in sources)
    return [ChatMessage(role=MessageRole.SYSTEM, content=system_prompt()),
            ChatMessage(role=MessageRole.USER, content=template("sources.txt").fill(sources=blocks, question=question))]


def condense_messages(question: str, history: Sequence[dict]) -> list[ChatMessage]:
    lines = []
    for message in list(history)[-HISTORY_MESSAGES:]:
        speaker = "User" if message.get("role") == "user" else "Assistant"
        content = " ".join(str(message.get("content", "")).split())
        if content:
            lines.append(f"{speaker}: {content[:HISTORY_CHARS]}")
    return [ChatMessage(role=MessageRole.USER,
                        content=template("condense.txt").fill(history="\n".join(lines), question=question))]


def _quoted_chunk(citation: Citation) -> Chunk:
    """A cited slice as a chunk of its own: still an exact slice, so it can be verified and cited."""
    return Chunk(chunk_id=citation.chunk_id, document=citation.document, council=citation.council,
                 title=citation.title, section=citation.section, kind="paragraph", text=citation.text,
                 start=citation.start, end=citation.end, token_count=count_tokens(citation.text))


def _model_tokens(text: str) -> int:
    return int(count_tokens(text) * MODEL_TOKENS_PER_CL100K) + 1


def _defused(text: str) -> str:
    return _TAG.sub(lambda m: f"‹{m.group(1)}source", text)
