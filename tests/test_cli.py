"""The `send-assistant` contract as scripts see it: JSON fields, batch mode, one-line errors with exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import CORPUS, run_cli

from core.settings import PROJECT_ROOT

HIT_FIELDS = {"chunk_id", "document", "title", "council", "section", "kind", "text", "start", "end", "score"}


def run(*args, data_dir):
    return run_cli(*args, data_dir=data_dir)


@pytest.fixture(scope="module")
def data_dir(corpus_settings, corpus_index):
    return corpus_settings.data_dir


def test_search_json_hits_carry_the_contract_fields_and_exact_quotes(data_dir):
    result = run("search", "who leads the short breaks offer in Lancashire?", "-k", "5", "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert len(hits) == 5 and all(HIT_FIELDS <= set(hit) for hit in hits)
    for hit in hits:
        source = (CORPUS / hit["document"]).read_text(encoding="utf-8")
        assert source[hit["start"]:hit["end"]] == hit["text"]
    assert any("LA with support from health" in hit["text"] for hit in hits)


def test_search_batch_prints_one_json_line_per_question(tmp_path, data_dir):
    batch = tmp_path / "questions.jsonl"
    batch.write_text('{"id": "a", "question": "When will the new children\'s home open?"}\n'
                     '{"id": "b", "question": "What does DCO stand for?"}\n', encoding="utf-8")
    result = run("search", "--batch", str(batch), "-k", "3", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"] and all(len(line["hits"]) == 3 for line in lines)


def test_search_filters_by_council(data_dir):
    result = run("search", "short breaks", "--council", "sefton", "--json", data_dir=data_dir)
    assert {hit["council"] for hit in json.loads(result.stdout)} == {"Sefton"}


@pytest.mark.parametrize("args, says", [
    (("search", "x", "--council", "Manchester"), "Known councils"),
    (("search", ""), "empty"),
    (("search", "--batch", "/no/such/file.jsonl"), "cannot read"),
])
def test_errors_are_one_line_on_stderr_with_exit_2(args, says, data_dir):
    result = run(*args, data_dir=data_dir)
    assert result.returncode == 2
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_search_without_an_index_says_to_ingest(tmp_path):
    result = run("search", "anything", data_dir=tmp_path / "empty")
    assert result.returncode == 2 and "send-assistant ingest" in result.stderr


def test_ask_json_answer_cites_exact_slices(data_dir):
    result = run("ask", "When will the new children's home open in Lancashire?", "--json", data_dir=data_dir)
    answer = json.loads(result.stdout)
    assert {"question", "answer", "refused", "citations", "timings_ms"} <= set(answer)
    assert not answer["refused"] and "31 August 2025" in answer["answer"]
    for citation in answer["citations"]:
        source = (CORPUS / citation["document"]).read_text(encoding="utf-8")
        assert source[citation["start"]:citation["end"]] == citation["text"]
        assert f"[{citation['marker']}]" in answer["answer"]


@pytest.mark.slow  # a fresh process, so nothing is cached
def test_tiktoken_counts_offline_from_the_bundled_encodings(tmp_path):
    """A fresh machine has no tiktoken cache: counting must not try the network."""
    code = "from assistant.llm.prompting import count_tokens; print(count_tokens('Education, Health and Care Plan'))"
    env = {k: v for k, v in os.environ.items() if k != "TIKTOKEN_CACHE_DIR"} | {
        "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path), "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY":
        "http://127.0.0.1:9"}
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 3
