"""The labelled question sets are data the figures rest on: each must load, and each gold quote must be an
exact passage of the bundled plans (a quote that drifted from its file would score every answer a miss)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.dataset import CATEGORIES, load_items

EVALS = Path(__file__).resolve().parents[1] / "evals"
CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SETS = ["questions.jsonl", "holdout.jsonl", "holdout2.jsonl", "holdout3.jsonl", "holdout4.jsonl", "holdout5.jsonl",
        "holdout6.jsonl", "holdout7.jsonl"]


@pytest.mark.parametrize("name", SETS)
def test_a_question_set_loads_with_unique_ids_and_known_categories(name):
    items = load_items(EVALS / name)
    assert items and len({item.id for item in items}) == len(items)
    assert all(item.category in CATEGORIES for item in items)
    assert all(bool(item.gold_evidence) == item.answerable for item in items)


@pytest.mark.parametrize("name", SETS)
def test_every_gold_quote_is_an_exact_passage_of_its_plan(name):
    for item in load_items(EVALS / name):
        for gold in item.gold_evidence:
            assert gold.quote in (CORPUS / gold.document).read_text(encoding="utf-8"), (item.id, gold.quote[:60])


def test_the_held_out_sets_do_not_repeat_an_evaluation_question():
    asked = {item.question.casefold() for item in load_items(EVALS / "questions.jsonl")}
    for name in SETS[1:]:
        assert not [item.id for item in load_items(EVALS / name) if item.question.casefold() in asked]
