"""The eval gate: the whole question set, answered once in-process, must meet evals/thresholds.toml.

When this fails, read the report.md the failure message points to: it lists each failing question with
its answer, the facts expected and what was cited. Raise the thresholds as the answerer improves.
"""

from __future__ import annotations

import json

import pytest

from assistant.engine import Assistant
from cli import main
from evals.dataset import QUESTIONS, load_items
from evals.metrics import load_thresholds
from evals.report import write_report
from evals.runner import run_eval

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def gate(corpus_index, tmp_path_factory):
    run = run_eval(Assistant(corpus_index.settings, corpus_index), load_items(), progress=False)
    run = run.judged(load_thresholds())
    out = tmp_path_factory.mktemp("eval-report")
    return run, out, write_report(run, out)


def test_the_question_set_meets_every_threshold(gate):
    run, out, _ = gate
    assert not run.missed, f"eval gate missed: {'; '.join(run.missed)} (details: {out / 'report.md'})"


def test_the_gate_writes_json_markdown_and_charts(gate):
    run, out, written = gate
    assert sorted(path.name for path in written) == ["latency.png", "per_category.png", "report.json", "report.md"]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert len(report["items"]) == len(run.results) == sum(1 for line in QUESTIONS.open() if line.strip())
    assert set(report["categories"]) == {result.item.category for result in run.results}
    assert report["passed"] is True and report["overall"]["questions"] == len(run.results)
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "| overall |" in markdown and "## Failing questions" in markdown
    assert all((out / name).read_bytes().startswith(PNG) for name in ("latency.png", "per_category.png"))


@pytest.fixture
def small_set(tmp_path, corpus_settings, corpus_index, monkeypatch):
    """Three table look-ups the extractive answerer gets right and one council it has no plans for."""
    monkeypatch.setenv("SEND_ASSISTANT_DATA_DIR", str(corpus_settings.data_dir))
    wanted = {"lan-001", "lan-002", "lan-003", "none-004"}
    lines = [line for line in QUESTIONS.read_text(encoding="utf-8").splitlines()
             if line.strip() and json.loads(line)["id"] in wanted]
    path = tmp_path / "small.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_eval_on_a_small_set_writes_the_reports_and_exits_0(small_set, tmp_path, capsys):
    out = tmp_path / "reports"
    assert main(["eval", "--questions", str(small_set), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[0].startswith("set") and "overall" in printed and "table_lookup" in printed
    assert {path.name for path in out.iterdir()} == {"report.json", "report.md", "per_category.png", "latency.png"}
    assert len(json.loads((out / "report.json").read_text(encoding="utf-8"))["items"]) == 4


def test_cli_eval_exits_1_with_one_line_when_a_threshold_is_missed(small_set, tmp_path, capsys):
    code = main(["eval", "--questions", str(small_set), "--out", str(tmp_path / "r"), "--min-correctness", "1.01",
                 "--json"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.strip() == "send-assistant eval: below threshold: correctness 1 < min 1.01"
    assert json.loads(captured.out)["missed"] == ["correctness 1 < min 1.01"]
