"""The app's named API endpoints, called through `gradio_client` against the real page over HTTP.

The page is launched once for the module (in this process, on a free port) on a copy of the session
index, so feedback written here never touches the shared data folder.
"""

from __future__ import annotations

import json
import shutil

import pytest
from gradio_client import Client
from servers import free_port

import app
from assistant.engine import Assistant
from core.settings import load_settings
from ui.page import launch
from vectorstore.index import HybridIndex

JSNA = "Who leads the Refresh of the SEND JSNA in Lancashire?"


@pytest.fixture(scope="module")
def served(corpus_settings, corpus_index, tmp_path_factory):
    data = tmp_path_factory.mktemp("api") / "data"
    shutil.copytree(corpus_settings.data_dir, data)
    settings = load_settings(data_dir=data)
    page = app.build(Assistant(settings, HybridIndex.open(settings, corpus_index.embedder)))
    port = free_port()
    launch(page, "127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    try:
        yield Client(f"http://127.0.0.1:{port}/", verbose=False), settings
    finally:
        page.close()


@pytest.fixture(scope="module")
def client(served) -> Client:
    return served[0]


def test_api_lists_the_named_endpoints(client):
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert {"/ask", "/chat", "/feedback", "/upload", "/evaluate"} <= endpoints.keys()
    assert [p["parameter_name"] for p in endpoints["/ask"]["parameters"]] == ["question", "history", "council"]


def test_ask_returns_the_cli_answer_object_with_exact_quotes(client, corpus_index):
    result = client.predict(JSNA, [], "All councils", api_name="/ask")
    assert {"question", "answer", "refused", "refusal_kind", "citations", "answered_by", "notes",
            "timings_ms"} <= result.keys()
    assert result["refused"] is False and "[1]" in result["answer"]
    assert set(result["timings_ms"]) == {"retrieve", "answer", "total"}
    for citation in result["citations"]:
        assert {"marker", "chunk_id", "document", "council", "title", "section", "text", "start",
                "end"} <= citation.keys()
        assert citation["text"] == corpus_index.source_text(citation["document"])[citation["start"]:citation["end"]]


def test_ask_uses_history_for_a_follow_up_and_refuses_what_the_plans_do_not_say(client):
    history = [{"role": "user", "content": JSNA}, {"role": "assistant", "content": "Lead: LA and ICB [1]."}]
    follow_up = client.predict("And by when?", history, "Lancashire", api_name="/ask")
    assert "31 July 2024" in follow_up["answer"]
    refusal = client.predict("How much has Sefton budgeted for SEND in 2026?", [], "All councils", api_name="/ask")
    assert refusal["refused"] is True and refusal["citations"] == [] and refusal["refusal_kind"] == "no_evidence"


def test_chat_streams_messages_ending_in_an_answer_with_source_cards(client):
    job = client.submit(JSNA, [], "All councils", api_name="/chat")
    outputs = job.outputs() if job.result() is not None else []
    assert outputs[0][0] == ""  # the question box is emptied once, then left alone while the answer streams
    _, messages, announcement = outputs[-1][:3]
    assert [m["role"] for m in messages] == ["user", "assistant"]
    reply = json.dumps(messages[-1]["content"])
    assert "source-card" in reply and "31 July 2024" in announcement
    grown = [len(json.dumps(output[1][-1]["content"])) for output in outputs if output[1] and
             output[1][-1]["role"] == "assistant"]
    assert len(grown) >= 3 and grown == sorted(grown)


def test_feedback_rates_the_sessions_last_answer_without_storing_the_question(served):
    client, settings = served
    url = client.src
    fresh = Client(url, verbose=False)
    assert "Ask a question first" in fresh.predict("Helpful", "", False, api_name="/feedback")
    fresh.submit(JSNA, [], "All councils", api_name="/chat").result()
    assert "Thank you" in fresh.predict("Not helpful", "wanted the date first", False, api_name="/feedback")
    record = json.loads((settings.data_dir / "feedback.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert record["rating"] == "not_helpful" and record["comment"] == "wanted the date first"
    assert record["markers"] == [1] and len(record["answer_id"]) == 12 and "question" not in record
