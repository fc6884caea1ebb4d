"""Parents describe their children in questions, so question text is kept nowhere unless someone chose it:
`SEND_ASSISTANT_LOG_QUESTIONS` for the operator's logs, "Share my question" for one piece of feedback.

A session of questions through the CLI, the Python API and the served app (its error paths included), then every
log line, every file in the data folder and every error page is searched for the question's words.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import httpx
import pytest
from gradio_client import Client

from assistant.engine import Assistant
from benchmarks.load import copy_index, serve
from core.settings import PROJECT_ROOT, load_settings
from vectorstore.index import HybridIndex

QUESTION = "Does the Quillfeather outreach team still visit Bartholomew at home for his short breaks in Lancashire?"
FOLLOW_UP = "And would Bartholomew's sister Marigold be seen by the same team?"
WORDS = ("Quillfeather", "Bartholomew", "Marigold")  # in no plan: any of them anywhere is the question leaking


def _leaked(text: str | bytes) -> list[str]:
    lowered = text.lower() if isinstance(text, str) else text.decode("utf-8", "replace").lower()
    return [word for word in WORDS if word.lower() in lowered]


def _files_holding_the_question(folder) -> dict[str, list[str]]:
    return {str(path.relative_to(folder)): found for path in sorted(folder.rglob("*")) if path.is_file()
            for found in [_leaked(path.read_bytes())] if found}


@pytest.fixture
def data_dir(corpus_settings, corpus_index, tmp_path):
    return copy_index(corpus_settings.data_dir, tmp_path / "data")


def _cli(*args, data_dir, **env):
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          env=dict(os.environ, SEND_ASSISTANT_DATA_DIR=str(data_dir), **env), timeout=600)


def test_the_cli_logs_no_question_text_even_when_debugging(data_dir, tmp_path):
    batch = tmp_path / "questions.jsonl"
    batch.write_text(json.dumps({"id": "1", "question": QUESTION}) + "\n" + json.dumps(
        {"id": "2", "question": FOLLOW_UP, "history": [{"role": "user", "content": QUESTION}]}) + "\n")
    runs = [_cli("--debug", "ask", QUESTION, "--json", data_dir=data_dir),
            _cli("--debug", "ask", "--batch", str(batch), data_dir=data_dir),
            _cli("--debug", "search", QUESTION, data_dir=data_dir),
            _cli("ask", QUESTION, "--council", "Nowhere-upon-Sea", data_dir=data_dir)]  # an error path
    assert [run.returncode for run in runs] == [0, 0, 0, 2]
    assert "Nowhere-upon-Sea" in runs[-1].stderr  # the error names what was wrong, not the question
    assert {n: _leaked(run.stderr) for n, run in enumerate(runs) if _leaked(run.stderr)} == {}
    assert _files_holding_the_question(data_dir) == {}


def test_the_python_api_logs_question_text_only_when_the_operator_opts_in(data_dir, corpus_index, caplog):
    caplog.set_level(logging.DEBUG)
    settings = load_settings(data_dir=data_dir)
    assistant = Assistant(settings, HybridIndex.open(settings, corpus_index.embedder))
    assistant.ask(QUESTION)
    assistant.ask(FOLLOW_UP, [{"role": "user", "content": QUESTION}])
    assistant.ask(QUESTION * 100)  # too long: refused, and still not logged
    assert [r.getMessage() for r in caplog.records if _leaked(r.getMessage())] == []
    assert any(r.getMessage().startswith("answered ") for r in caplog.records)  # the lines that are written
    opted_in = Assistant(settings.model_copy(update={"log_questions": True}), assistant.index)
    opted_in.ask(QUESTION)
    assert any(_leaked(r.getMessage()) for r in caplog.records)
    assert _files_holding_the_question(data_dir) == {}


def test_the_served_app_keeps_question_text_out_of_logs_files_and_error_pages(data_dir):
    served = serve(data_dir, "--debug")
    pages = {}
    try:
        client = Client(served.url, verbose=False)
        client.predict(QUESTION, [], "All councils", api_name="/ask")
        client.predict(FOLLOW_UP, [{"role": "user", "content": QUESTION}], "Lancashire", api_name="/ask")
        client.submit(QUESTION, [], "All councils", api_name="/chat").result()
        client.predict("Not helpful", "comment without the question", False, api_name="/feedback")
        client.predict(QUESTION * 100, [], None, api_name="/ask")  # refused as too long (the reply is the asker's)
        try:
            client.predict(QUESTION, "not a list", 7, api_name="/ask")
        except Exception as exc:  # noqa: BLE001 — the error a caller sees is what is checked
            pages["bad history"] = str(exc)
        with httpx.Client(base_url=served.url, timeout=60) as http:
            pages["malformed call"] = http.post("gradio_api/call/ask", content='{"data": ["' + QUESTION).text
            pages["wrong shape"] = http.post("gradio_api/call/ask", json={"data": {"question": QUESTION}}).text
            pages["unknown page"] = http.get("no-such-page", params={"q": QUESTION}).text
            pages["unknown endpoint"] = http.post("gradio_api/queue/join", json={
                "data": [QUESTION], "fn_index": 999, "session_hash": "probe"}).text
    finally:
        served.stop()
    assert {kind: page[:300] for kind, page in pages.items() if _leaked(page)} == {}
    assert [line for line in served.log.read_text().splitlines() if _leaked(line)] == []
    assert _files_holding_the_question(data_dir) == {}
    feedback = (data_dir / "feedback.jsonl").read_text().splitlines()
    assert len(feedback) == 1 and "question" not in json.loads(feedback[0])


def test_a_shared_question_is_kept_with_its_feedback_and_nowhere_else(data_dir):
    served = serve(data_dir)
    try:
        client = Client(served.url, verbose=False)
        client.submit(QUESTION, [], "All councils", api_name="/chat").result()
        client.predict("Helpful", "", True, api_name="/feedback")
    finally:
        served.stop()
    assert _files_holding_the_question(data_dir) == {"feedback.jsonl": list(WORDS[:2])}
    assert json.loads((data_dir / "feedback.jsonl").read_text())["question"] == QUESTION
    assert [line for line in served.log.read_text().splitlines() if _leaked(line)] == []
