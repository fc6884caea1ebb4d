"""The typed public contract: what the CLI prints is exactly the pydantic models, what it reads is checked by them,
and every field ../shared/CONTRACT.md promises is in the JSON Schema `send-assistant schema` prints."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from conftest import CORPUS, run_cli

import cli
from assistant.contract import (
    AnswerJSON,
    BatchAnswerJSON,
    BatchQuestion,
    HitJSON,
    SearchBatchJSON,
)
from core.settings import PROJECT_ROOT

CONTRACT = PROJECT_ROOT.parent / "shared" / "CONTRACT.md"
SCHEMA_NAMES = {"hit", "answer", "citation", "batch_question", "batch_answer", "search_batch_line", "document",
                "eval_item"}
ANSWERED = "When will the new children's home open in Lancashire?"
REFUSED = "Will my son get an EHCP?"


def printed(*args, data_dir):
    result = run_cli(*args, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return result.stdout


def exactly(model, obj: dict) -> None:
    """`obj` has the model's fields, no others, and survives a round trip through the model unchanged."""
    assert list(obj) == list(model.model_fields), obj.keys()
    assert model.model_validate(obj).model_dump(mode="json") == obj


@pytest.fixture(scope="module")
def data_dir(corpus_settings, corpus_index):
    return corpus_settings.data_dir


@pytest.fixture(scope="module")
def schema(data_dir) -> dict:
    return json.loads(printed("schema", data_dir=data_dir))


@pytest.fixture(scope="module")
def batch_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("batch") / "questions.jsonl"
    lines = [{"id": "home", "question": ANSWERED}, {"id": 7, "question": REFUSED},
             {"question": "And by when?", "history": [
                 {"role": "user", "content": "Who leads the Refresh of the SEND JSNA in Lancashire?"},
                 {"role": "assistant", "content": "LA and ICB [1]."}]}]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    return path


def test_search_json_prints_exactly_the_hit_model_with_exact_quotes(data_dir, schema):
    hits = json.loads(printed("search", "who leads the short breaks offer in Lancashire?", "--json", data_dir=data_dir))
    assert hits
    for hit in hits:
        exactly(HitJSON, hit)
        assert (CORPUS / hit["document"]).read_text(encoding="utf-8")[hit["start"]:hit["end"]] == hit["text"]
    assert_valid(hits, {"type": "array", "items": schema["hit"]})


def test_ask_json_prints_exactly_the_answer_model(data_dir, schema):
    answer = json.loads(printed("ask", ANSWERED, "--json", data_dir=data_dir))
    exactly(AnswerJSON, answer)
    assert not answer["refused"] and answer["citations"]
    assert_valid(answer, schema["answer"])


def test_batch_lines_are_exactly_the_batch_models_and_echo_ids_as_given(data_dir, schema, batch_file):
    answers = [json.loads(line) for line in printed("ask", "--batch", str(batch_file), data_dir=data_dir).splitlines()]
    for line in answers:
        exactly(BatchAnswerJSON, line)
        assert_valid(line, schema["batch_answer"])
    assert [line["id"] for line in answers] == ["home", 7, None]
    assert [line["refused"] for line in answers] == [False, True, False] and "31 July 2024" in answers[2]["answer"]
    assert answers[1]["refusal_kind"] == "personal" and answers[1]["citations"] == []

    searches = [json.loads(line) for line in printed("search", "--batch", str(batch_file), "-k", "2",
                                                     data_dir=data_dir).splitlines()]
    for line in searches:
        exactly(SearchBatchJSON, line)
        assert_valid(line, schema["search_batch_line"])
        assert len(line["hits"]) == 2
    assert [line["id"] for line in searches] == ["home", 7, None]


def assert_valid(instance, schema: dict) -> None:
    """The printed JSON also satisfies the printed JSON Schema (checked by jsonschema, a dev dependency)."""
    jsonschema.validate(instance, schema)


@pytest.mark.parametrize("command", ["ask", "search"])
@pytest.mark.parametrize("bad_line, says", [
    ({"id": "c", "question": 42}, '"question": Input should be a valid string'),
    ({"id": "c"}, '"question": Field required'),
    ({"id": 1.5, "question": "x"}, '"id": Input should be a string, a whole number or null'),
    ({"question": "x", "history": [{"role": "parent", "content": "hi"}]},
     "\"history[0].role\": Input should be 'user' or 'assistant'"),
    (["not", "an", "object"], 'each line must be a JSON object {"id"?, "question", "history"?}.'),
])
def test_a_bad_batch_line_is_named_by_file_line_and_field_before_anything_loads(command, bad_line, says, tmp_path,
                                                                                  capsys):
    batch = tmp_path / "q.jsonl"
    batch.write_text(f'{{"id": "a", "question": "What is POWAR?"}}\n\n{json.dumps(bad_line)}\n', encoding="utf-8")
    # no index exists under this test's data folder: the bad line must be found before one is needed
    assert cli.main([command, "--batch", str(batch)]) == cli.EXIT_ERROR
    assert capsys.readouterr().err == f"send-assistant: {batch}:3: {says}\n"


def test_a_bad_history_file_names_the_message_and_field(tmp_path, capsys):
    history = tmp_path / "history.json"
    history.write_text(json.dumps([{"role": "user", "content": "Who chairs the ITB?"}, {"role": "assistant"}]),
                       encoding="utf-8")
    assert cli.main(["ask", "And how often?", "--history", str(history)]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert err.startswith(f'send-assistant: {history}: "[1].content": Field required') and err.count("\n") == 1


def test_a_batch_line_keeps_only_what_the_contract_reads():
    item = BatchQuestion.model_validate({"id": "lan-001", "question": "q", "answerable": True, "history": []})
    assert item.model_dump() == {"id": "lan-001", "question": "q", "history": []}


def _contract_paragraph(opening: str) -> str:
    text = CONTRACT.read_text(encoding="utf-8")
    paragraph = re.search(rf"^{re.escape(opening)}.*?(?=\n\s*\n|\Z)", text, re.MULTILINE | re.DOTALL).group(0)
    return paragraph.replace("\n", " ")


def _named_fields(text: str) -> set[str]:
    """Field names the contract writes as "name" inside a JSON shape or as `name` in prose."""
    return set(re.findall(r'"(\w+)"', text)) | set(re.findall(r"`(\w+)`", text))


def _properties(schema: dict) -> set[str]:
    """Every property name in a schema, its nested models ($defs) included."""
    return {name for model in [schema, *schema.get("$defs", {}).values()] for name in model.get("properties", {})}


def test_every_field_the_contract_names_for_a_hit_is_in_the_schema(schema):
    named = _named_fields(_contract_paragraph("A hit:"))
    assert {"chunk_id", "title", "kind", "score"} <= named  # the paragraph was found and read
    assert named <= set(schema["hit"]["properties"])


def test_every_field_the_contract_names_for_an_answer_and_a_citation_is_in_the_schema(schema):
    paragraph = _contract_paragraph("An answer:")
    named = _named_fields(paragraph)
    assert {"refused", "citations", "marker", "timings_ms", "total", "answered_by"} <= named
    assert named <= _properties(schema["answer"])
    shape = re.search(r"`(\{.*?\})`", paragraph).group(1)  # {"question",…,"citations":[{…}],"timings_ms":{…}}
    citation = re.search(r'"citations":\[\{(.*?)\}\]', shape).group(1)
    timings = re.search(r'"timings_ms":\{(.*?)\}', shape).group(1)
    assert _named_fields(citation) <= set(schema["citation"]["properties"])
    assert _named_fields(timings) <= set(schema["answer"]["$defs"]["TimingsJSON"]["properties"])
    top = _named_fields(shape.replace(citation, "").replace(timings, "")) | {"answered_by"}
    assert top <= set(schema["answer"]["properties"])


def test_schema_command_prints_one_json_object_of_every_public_model(schema):
    assert set(schema) == SCHEMA_NAMES
    for name, model in schema.items():
        assert model["type"] == "object" and model["properties"], name
    assert schema["batch_question"]["required"] == ["question"]
    assert set(schema["eval_item"]["properties"]["category"]["enum"]) >= {"table_lookup", "unanswerable"}
