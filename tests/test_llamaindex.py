"""`HybridRetriever` under a real llama-index query engine, over the real index of the bundled plans.

No LLM runs here: "no_text" synthesis returns the retrieved nodes alone, and where a prompt is built, the LLM
is `MockLLM`, llama-index's own fake that echoes the prompt back (named FAKE_LLM below).
"""

from __future__ import annotations

import json

import pytest
from conftest import corpus_text
from llama_index.core import get_response_synthesizer
from llama_index.core.llms import MockLLM
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.response_synthesizers.no_text import NoText
from llama_index.core.schema import NodeWithScore, TextNode

from core.errors import ConfigError
from vectorstore.retriever import HybridRetriever

FAKE_LLM = MockLLM()  # a fake: echoes its prompt, so what the engine would show an LLM can be read back


def query_engine(retriever: HybridRetriever, response_mode: str = "no_text") -> RetrieverQueryEngine:
    # get_response_synthesizer drops `llm` for "no_text", and NoText then asks Settings.llm for OpenAI: pass it here
    synthesizer = (NoText(llm=FAKE_LLM) if response_mode == "no_text" else
                   get_response_synthesizer(llm=FAKE_LLM, response_mode=response_mode))
    return RetrieverQueryEngine(retriever, synthesizer)


def assert_exact_slice(result: NodeWithScore) -> None:
    node, meta = result.node, result.node.metadata
    assert isinstance(node, TextNode)
    assert node.text == corpus_text(meta["document"])[meta["start"]:meta["end"]]
    assert (node.start_char_idx, node.end_char_idx) == (meta["start"], meta["end"])


@pytest.mark.parametrize("question, council, answer", [
    ("What is a DSCO?", "Sefton", "Designated Social Care Officer (DSCO)"),
    ("What is the target date for refreshing the SEND JSNA in Lancashire?", "Lancashire", "31 July 2024"),
    ("When will Sefton's new SENDIASS service start?", "Sefton", "Establish a new SENDIASS service"),
])
def test_a_query_engine_over_the_retriever_returns_exact_source_slices_the_top_one_answering(
        corpus_index, question, council, answer):
    response = query_engine(HybridRetriever.from_index(corpus_index, k=4)).query(question)
    assert len(response.source_nodes) == 4
    for result in response.source_nodes:
        assert_exact_slice(result)
    top = response.source_nodes[0]
    assert answer in top.node.text and top.node.metadata["council"] == council
    assert [r.score for r in response.source_nodes] == sorted((r.score for r in response.source_nodes), reverse=True)


def test_node_metadata_carries_the_chunk_and_stays_out_of_the_llm_prompt(corpus_index):
    response = query_engine(HybridRetriever.from_index(corpus_index, k=2), "compact").query("What is a DSCO?")
    top = response.source_nodes[0].node
    chunk = corpus_index.chunks[top.node_id]
    assert (top.metadata | {"fields": json.loads(top.metadata["fields"])}).items() >= {
        "document": chunk.document, "council": chunk.council, "title": chunk.title, "section": chunk.section,
        "kind": chunk.kind, "start": chunk.start, "end": chunk.end, "fields": chunk.fields,
        "page": -1 if chunk.page is None else chunk.page}.items()
    prompt = str(response)  # FAKE_LLM's reply is the prompt it was given
    assert top.text in prompt and "What is a DSCO?" in prompt
    assert chunk.document not in prompt  # excluded_llm_metadata_keys: the LLM sees the quote, not the bookkeeping


def test_councils_restrict_every_node_and_are_named_as_users_write_them(corpus_index):
    retriever = HybridRetriever.from_index(corpus_index, k=5, councils=["sefton"])
    nodes = retriever.retrieve("short breaks for disabled children")
    assert len(nodes) == 5 and {n.node.metadata["council"] for n in nodes} == {"Sefton"}
    with pytest.raises(ConfigError, match="Known councils"):
        HybridRetriever.from_index(corpus_index, councils=["Manchester"])


def test_k_defaults_to_the_top_k_setting(corpus_index):
    assert len(HybridRetriever.from_index(corpus_index).retrieve("short breaks")) == corpus_index.settings.top_k
