"""The labelled question sets are data the figures rest on: each must load, and each gold quote must be an
exact passage of the bundled plans (a quote that drifted from its file would score every answer a miss)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.errors import ConfigError
from evals.dataset import CATEGORIES, load_items

EVALS = Path(__file__).resolve().parents[1] / "evals"
CORPUS = Path(__file__).resolve().parents[1] / "corpus"
WIDER = Path(__file__).resolve().parents[2] / "shared" / "corpus-wider"  # read beside the project, never copied
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


@pytest.mark.skipif(not WIDER.is_dir(), reason="../shared/corpus-wider is not beside the project")
@pytest.mark.parametrize("path", sorted(EVALS.glob("wider*.jsonl")), ids=lambda path: path.name)
def test_every_gold_quote_of_a_wider_set_is_a_passage_of_its_plan_as_read(path):
    """The wider sets' plans are web pages: a quote must be in the text the reader extracts (spaces collapsed)."""
    _assert_quotes_as_read(path, WIDER)


def _assert_quotes_as_read(questions: Path, plans: Path) -> None:
    from ingest.readers import read_source

    texts = {plan.name: " ".join(read_source(plan).text.split()) for plan in plans.glob("*.html")}
    for item in load_items(questions):
        for gold in item.gold_evidence:
            assert " ".join(gold.quote.split()) in texts[gold.document], (item.id, gold.quote[:60])


def test_the_held_out_sets_do_not_repeat_an_evaluation_question():
    asked = {item.question.casefold() for item in load_items(EVALS / "questions.jsonl")}
    for name in SETS[1:]:
        assert not [item.id for item in load_items(EVALS / name) if item.question.casefold() in asked]


@pytest.mark.parametrize("path", sorted(EVALS.glob("*.jsonl")), ids=lambda path: path.name)
def test_every_question_set_in_evals_passes_validation(path):
    assert load_items(path)


@pytest.mark.parametrize("change, says", [
    ({"category": "trivia"}, "category: Input should be 'table_lookup', "),
    ({"required_facts": [["LA", " "]]}, "required_facts[0][1]: String should not be blank"),
    ({"required_facts": [[]]}, "required_facts[0]: Tuple should have at least 1 item"),
    ({"required_facts": []}, "required_facts: must not be empty for an answerable item"),
    ({"gold_evidence": []}, "gold_evidence: must not be empty for an answerable item"),
    ({"answerable": False}, "required_facts: must be empty for an unanswerable item"),
    ({"answerable": "yes"}, "answerable: Input should be a valid boolean"),
    ({"gold_evidence": [{"document": "plan.txt"}]}, "gold_evidence[0].quote: Field required"),
    ({"history": [{"role": "parent", "content": "hi"}]}, "history[0].role: Input should be 'user' or 'assistant'"),
    ({"requried_facts": []}, "requried_facts: Extra inputs are not permitted"),
])
def test_a_bad_item_is_reported_by_file_line_and_field(change, says, tmp_path):
    first = json.loads((EVALS / "questions.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["answerable"]
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join([json.dumps(first), "", json.dumps(first | change)]) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_items(path)
    assert str(raised.value).startswith(f"{path}:3: {says}")


@pytest.mark.parametrize("name", ["unseen", "unseen2", "unseen3", "unseen4", "unseen5", "unseen6"])
def test_every_gold_quote_of_a_set_over_written_plans_is_a_passage_of_its_plan_as_read(name):
    """`evals/<name>/` holds the plans of fictional councils a set was written over."""
    _assert_quotes_as_read(EVALS / f"{name}.jsonl", EVALS / name)
