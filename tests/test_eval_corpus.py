"""Evaluation over any corpus: a folder of plans is indexed in a scratch data dir, as web pages or converted to
Word and PDF, and the same questions are answered from each."""

from __future__ import annotations

import json
import shutil

import pytest

from assistant.engine import Assistant
from evals.dataset import EvalItem
from evals.runner import run_on_corpus

PAGE = """<html><head><title>Short Breaks Statement - Rutland County Council</title></head><body>
<h1>Short Breaks Statement 2026</h1>
<h2>Who can use short breaks</h2>
<p>Short breaks are open to disabled children and young people aged 0 to 18 who live in Rutland.</p>
<h2>Holiday clubs</h2>
<table><tr><th>Club</th><th>Runs</th></tr><tr><td>Oakham Saturday Club</td><td>Every Saturday in term time</td></tr>
</table></body></html>"""

ITEMS = [
    EvalItem.model_validate({
        "id": "r-1", "category": "number", "council": "Rutland", "question": "What ages can use Rutland's short breaks?",
        "history": [], "answerable": True, "reference_answer": "0 to 18", "required_facts": [["0 to 18"]],
        "gold_evidence": [{"document": "rutland.html", "quote": "aged 0 to 18 who live in Rutland"}]}),
    EvalItem.model_validate({
        "id": "r-2", "category": "table_lookup", "council": "Rutland",
        "question": "When does the Oakham Saturday Club run in Rutland?", "history": [], "answerable": True,
        "reference_answer": "Every Saturday in term time", "required_facts": [["Every Saturday in term time"]],
        "gold_evidence": [{"document": "rutland.html", "quote": "Every Saturday in term time"}]}),
]


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_the_same_questions_are_answered_from_each_format(fmt, tmp_path, corpus_index):
    if fmt != "html" and shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed; `make test` installs it")
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "rutland.html").write_text(PAGE, encoding="utf-8")
    (folder / "README.md").write_text("Notes about this folder, not a plan.", encoding="utf-8")
    run = run_on_corpus(Assistant(corpus_index.settings, corpus_index), ITEMS, [folder], fmt, bundled=False)
    assert run.overall["correctness"] == 1.0, json.dumps([r.answer.answer for r in run.results])
    assert {c.document for r in run.results for c in r.answer.citations} == {f"rutland.{fmt}"}
    assert all(r.score.citation_hit for r in run.results)
