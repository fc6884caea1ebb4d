"""The openai backend for real: llama-index `OpenAILike` against `python -m llama_cpp.server` serving
SmolLM2-135M on a free loopback port (started and stopped by a fixture), plus a closed port and a
tiny timeout, which must fall back to the extractive answer with a clear note and never hang.
"""

from __future__ import annotations

import json
import time

import pytest

from assistant.engine import Assistant
from assistant.llm.backends import resolve_gguf_path
from assistant.llm.generator import LLMGenerator
from assistant.types import FALLBACK
from cli import main
from core.settings import load_settings
from tests.llm_fixtures import (
    PLANTED_CLAIM,
    assert_grounded,
    assert_verification_caught_something,
    closed_port,
    llama_server,
    planted_index,
    unsupported_sentences,
)

pytest.importorskip("llama_cpp.server", reason="the llm extra is not installed")

QUESTIONS = ["What will Sefton do about speech and language therapy?",
             "Who leads the short breaks review in Lancashire?"]


@pytest.fixture(scope="module")
def server_url():
    with llama_server(resolve_gguf_path(load_settings())) as url:
        yield url


def openai_settings(settings, base_url: str, **overrides):
    return settings.model_copy(update={"backend": "openai", "openai_base_url": base_url, "openai_model": "smollm2",
                                       "llm_max_tokens": 96, "llm_sources": 2, "llm_timeout": 60.0, **overrides})


@pytest.fixture(scope="module")
def answers(corpus_index, server_url):
    generator = LLMGenerator.from_settings(openai_settings(corpus_index.settings, server_url), corpus_index.embedder)
    assistant = Assistant(corpus_index.settings, corpus_index, generator)
    results = [assistant.ask(question) for question in QUESTIONS]
    for answer in results:
        print(f"\n[{answer.answered_by}] {answer.question}\n{answer.answer}\n" + "\n".join(answer.notes))
    return results


def test_every_sentence_of_every_openai_answer_is_supported_by_its_citations(answers, corpus_index, embedder):
    assert_grounded(answers, "openai", corpus_index, embedder)


def test_verification_catches_the_served_models_mistakes(answers):
    assert_verification_caught_something(answers)


def test_a_planted_instruction_in_a_document_is_not_followed_by_the_openai_backend(tmp_path_factory, embedder,
                                                                                    server_url):
    index = planted_index(tmp_path_factory, embedder)
    generator = LLMGenerator.from_settings(openai_settings(index.settings, server_url), embedder)
    answer = Assistant(index.settings, index, generator).ask("Who decides short breaks funding in Sefton?")
    print(f"\n[{answer.answered_by}] {answer.answer}\n" + "\n".join(answer.notes))
    assert PLANTED_CLAIM not in answer.answer.lower()
    assert all(PLANTED_CLAIM not in c.text.lower() for c in answer.citations)
    assert unsupported_sentences(answer, index.chunks, embedder) == []


def test_connection_refused_falls_back_at_once_with_a_clear_note(corpus_index):
    url = f"http://127.0.0.1:{closed_port()}/v1"
    generator = LLMGenerator.from_settings(openai_settings(corpus_index.settings, url), corpus_index.embedder)
    began = time.monotonic()
    answer = Assistant(corpus_index.settings, corpus_index, generator).ask(QUESTIONS[1])
    assert time.monotonic() - began < 15
    assert answer.answered_by == FALLBACK and answer.citations
    assert answer.notes[0] == ("The openai model's answer could not be used: the model server could not be reached. "
                               "This answer quotes the plans directly instead.")
    assert f"Could not connect to the openai (smollm2 at {url}) server" in answer.notes[1]
    assert "SEND_ASSISTANT_OPENAI_BASE_URL" in answer.notes[1]


def test_openai_time_out_falls_back_to_the_extractive_answer_with_a_note(corpus_index, server_url):
    settings = openai_settings(corpus_index.settings, server_url, llm_timeout=0.01)
    generator = LLMGenerator.from_settings(settings, corpus_index.embedder)
    began = time.monotonic()
    answer = Assistant(corpus_index.settings, corpus_index, generator).ask(QUESTIONS[1])
    assert time.monotonic() - began < 15
    assert answer.answered_by == FALLBACK
    assert answer.notes[0].startswith("The openai model's answer could not be used: it did not answer within 0.01 s.")


def test_cli_ask_backend_option_uses_the_llm_path(corpus_settings, corpus_index, monkeypatch, capsys):
    monkeypatch.setenv("SEND_ASSISTANT_DATA_DIR", str(corpus_settings.data_dir))
    monkeypatch.setenv("SEND_ASSISTANT_OPENAI_BASE_URL", f"http://127.0.0.1:{closed_port()}/v1")
    monkeypatch.setenv("SEND_ASSISTANT_OPENAI_MODEL", "smollm2")
    assert main(["ask", "--backend", "openai", "--json", QUESTIONS[1]]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["answered_by"] == FALLBACK and "could not be reached" in answer["notes"][0]
    assert main(["ask", "--backend", "extractive", "--json", QUESTIONS[1]]) == 0
    assert json.loads(capsys.readouterr().out)["answered_by"] == "extractive"
