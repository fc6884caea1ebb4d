"""The minimal web page answers through the same `ask` as the CLI (full browser tests come with the chat UI)."""

from __future__ import annotations

import app
from assistant.engine import Assistant


def test_page_shows_the_answer_its_sources_and_the_passages(corpus_index):
    assistant = Assistant(corpus_index.settings, corpus_index)
    answer, passages = app._render(assistant, "When will the new children's home open in Lancashire?")
    assert "31 August 2025" in answer and "Sources" in answer
    assert "Lancashire" in passages
    assert app.build(assistant) is not None


def test_page_shows_a_refusal_for_empty_input(corpus_index):
    answer, passages = app._render(Assistant(corpus_index.settings, corpus_index), "   ")
    assert "empty" in answer and passages == ""
