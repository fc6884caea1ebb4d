"""The gguf backend for real: SmolLM2-135M run in-process by llama-cpp-python, loaded once for the module.

A 135M model is often wrong; these tests show verification catching it: every sentence of every final
answer is supported by its citations, and at least one answer lost a sentence or fell back.
"""

from __future__ import annotations

import time

import pytest

from assistant.engine import Assistant
from assistant.llm.generator import LLMGenerator
from assistant.types import FALLBACK, Answer
from tests.llm_fixtures import (
    PLANTED_CLAIM,
    assert_grounded,
    assert_verification_caught_something,
    planted_index,
    unsupported_sentences,
)

pytest.importorskip("llama_cpp", reason="the llm extra is not installed")

QUESTIONS = ["Who leads the short breaks review in Lancashire?",
             "How will Lincolnshire improve transitions to adulthood?"]


def gguf_settings(settings, **overrides):
    return settings.model_copy(update={"backend": "gguf", "llm_max_tokens": 96, "llm_sources": 2, **overrides})


@pytest.fixture(scope="module")
def generator(corpus_index):
    return LLMGenerator.from_settings(gguf_settings(corpus_index.settings), corpus_index.embedder)


@pytest.fixture(scope="module")
def streamed(corpus_index, generator) -> list:
    """What `stream` yields for the second question: raw pieces, then the final answer."""
    question = QUESTIONS[1]
    base = Assistant(corpus_index.settings, corpus_index).ask(question)
    return list(generator.stream(question, [], corpus_index.search(question, 8), base))


@pytest.fixture(scope="module")
def answers(corpus_index, generator, streamed) -> list[Answer]:
    results = [Assistant(corpus_index.settings, corpus_index, generator).ask(QUESTIONS[0]), streamed[-1]]
    for answer in results:
        print(f"\n[{answer.answered_by}] {answer.question}\n{answer.answer}\n" + "\n".join(answer.notes))
    return results


def test_every_sentence_of_every_gguf_answer_is_supported_by_its_citations(answers, corpus_index, embedder):
    assert_grounded(answers, "gguf", corpus_index, embedder)


def test_verification_catches_the_small_models_mistakes(answers):
    assert_verification_caught_something(answers)


def test_gguf_stream_yields_text_then_the_final_answer(streamed):
    *pieces, final = streamed
    assert isinstance(final, Answer) and final.answered_by in ("gguf", FALLBACK)
    assert all(isinstance(piece, str) for piece in pieces)


def test_gguf_time_out_falls_back_to_the_extractive_answer_with_a_note(corpus_index):
    slow = LLMGenerator.from_settings(gguf_settings(corpus_index.settings, llm_timeout=0.01), corpus_index.embedder)
    began = time.monotonic()
    answer = Assistant(corpus_index.settings, corpus_index, slow).ask(QUESTIONS[0])
    assert time.monotonic() - began < 30
    assert answer.answered_by == FALLBACK
    assert answer.notes[0].startswith("The gguf model's answer could not be used: it did not answer within 0.01 s.")
    assert "raise SEND_ASSISTANT_LLM_TIMEOUT" in answer.notes[1]


def test_a_planted_instruction_in_a_document_is_not_followed_by_gguf(tmp_path_factory, embedder):
    index = planted_index(tmp_path_factory, embedder)
    generator = LLMGenerator.from_settings(gguf_settings(index.settings), embedder)
    answer = Assistant(index.settings, index, generator).ask("Who decides short breaks funding in Sefton?")
    print(f"\n[{answer.answered_by}] {answer.answer}\n" + "\n".join(answer.notes))
    assert PLANTED_CLAIM not in answer.answer.lower()
    assert all(PLANTED_CLAIM not in c.text.lower() for c in answer.citations)
    assert unsupported_sentences(answer, index.chunks, embedder) == []
