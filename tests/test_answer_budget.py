"""The time budget per answer: a question stops between stages once its budget is spent, and answers with
what it found so far or asks politely for a narrower question. Real index and model (the session's index);
the budget is set per test, so nothing here depends on how fast the machine is."""

from __future__ import annotations

import random

import pytest

from assistant.budget import Deadline
from assistant.engine import Assistant
from assistant.followup import split_compound
from assistant.types import RefusalKind
from core.errors import ConfigError
from core.settings import load_settings

WORDS = ("short breaks respite transport college therapy waiting list plan review school funding "
         "the when who how much does my son daughter need an assessment panel decision appeal").split()


def _fuzzed_question(length: int, seed: int = 7) -> str:
    """A long question of plan words in random order, with stray punctuation, under the question limit."""
    pick = random.Random(seed)
    words = []
    while sum(len(w) + 1 for w in words) < length:
        words.append(pick.choice(WORDS) + pick.choice(["", "", ",", "?", " -"]))
    return " ".join(words)[:length].rstrip() + "?"


def _megabyte_history() -> list[dict]:
    turn = "Who runs the short breaks service and when is it reviewed? " * 170  # ~10 kB a message
    return [{"role": ("user", "assistant")[i % 2], "content": turn} for i in range(100)]


def _assistant(corpus_index, budget: float) -> Assistant:
    return Assistant(corpus_index.settings.model_copy(update={"answer_budget_s": budget}), corpus_index)


def test_a_spent_budget_gives_the_polite_narrower_question_reply(corpus_index):
    history = _megabyte_history()
    assert sum(len(m["content"]) for m in history) >= 1_000_000
    question = _fuzzed_question(1900)
    answer = _assistant(corpus_index, 1e-6).ask(question, history)
    assert answer.refused and answer.refusal_kind == RefusalKind.TIME_LIMIT and not answer.citations
    assert "narrower question" in answer.answer


def test_a_megabyte_of_history_and_a_long_question_are_answered_within_a_generous_budget(corpus_index):
    answer = _assistant(corpus_index, 120).ask(_fuzzed_question(1900), _megabyte_history())
    assert answer.refusal_kind != RefusalKind.TIME_LIMIT
    assert any("earlier ones were left out" in note for note in answer.notes)  # the history was cut to fit


def test_out_of_time_after_the_first_half_answers_with_what_was_found(corpus_index):
    assistant = _assistant(corpus_index, 60)
    question = "What is Lincolnshire's ITB and who chairs it?"
    parts = split_compound(question)
    assert parts is not None
    whole = assistant._find(question, [], None, False, Deadline.after(60)).claims
    assert whole
    spent = Deadline.after(0)
    assert assistant._two_questions(parts, whole, [], None, False, spent) == whole


def test_the_budget_is_a_bounded_setting():
    assert load_settings().answer_budget_s == 30.0
    with pytest.raises(ConfigError, match="SEND_ASSISTANT_ANSWER_BUDGET_S"):
        load_settings(answer_budget_s=0)
