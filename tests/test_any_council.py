"""A council nobody here has seen: its plan is described from its own text, listed, searchable by the council's
short forms, never indexed twice, and can be removed. The plan is written here (a fictional text about a real
council's name would mislead nobody, but a real council's own words are not ours to write)."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import CORPUS

from assistant.engine import Assistant
from cli import main
from core.errors import IngestError
from ingest.describe import describe
from ingest.readers import read_source
from vectorstore.build import ingest, remove_documents
from vectorstore.index import HybridIndex

PLAN = """<html><head><title>SEND Sufficiency Plan 2025 to 2028 - Buckinghamshire Council</title>
<meta name="source" content="https://www.buckinghamshire.gov.uk/send/sufficiency-plan"></head><body>
<h1>SEND Sufficiency Plan 2025 to 2028</h1>
<p>Published: 3 February 2025</p>
<h2>Our commitments</h2>
<p>Buckinghamshire Council will open three new resource bases in secondary schools by September 2026.</p>
<table><thead><tr><th>Action</th><th>Lead</th><th>By when</th></tr></thead>
<tr><td>Open a resource base for autistic pupils in Aylesbury</td><td>Head of SEND Sufficiency</td>
<td>September 2026</td></tr>
<tr><td>Expand the hospital education service</td><td>Head of Inclusion</td><td>April 2027</td></tr>
</table></body></html>"""


@pytest.fixture
def plan(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    path = folder / "bucks-sufficiency.html"
    path.write_text(PLAN, encoding="utf-8")
    return path


def test_a_plan_says_which_council_wrote_it_and_what_it_is(plan):
    info = describe(read_source(plan))
    assert info.councils == ("Buckinghamshire",) and "Bucks" in info.aliases
    assert info.title == "SEND Sufficiency Plan 2025 to 2028" and info.period == "2025-2028"
    assert info.published == "3 February 2025" and not info.notes


def test_a_new_councils_plan_is_listed_answered_by_short_form_and_removable(plan, corpus_settings, embedder,
                                                                            tmp_path, capsys, monkeypatch):
    settings = corpus_settings.model_copy(update={"data_dir": tmp_path / "data"})
    monkeypatch.setenv("SEND_ASSISTANT_DATA_DIR", str(settings.data_dir))
    ingest(settings, [CORPUS, plan.parent], embedder=embedder, progress=False)

    assert main(["documents", "--json"]) == 0
    listed = {item["document"]: item for item in json.loads(capsys.readouterr().out)}
    assert listed["bucks-sufficiency.html"]["council"] == "Buckinghamshire"
    assert listed["bucks-sufficiency.html"]["table_rows"] == 2

    answer = Assistant(settings, HybridIndex.open(settings, embedder)).ask(
        "Who leads the new resource base for autistic pupils in Bucks?")
    assert not answer.refused and "Head of SEND Sufficiency" in answer.answer
    assert {c.document for c in answer.citations} == {"bucks-sufficiency.html"}

    twin = plan.parent / "copy-of-plan.html"
    shutil.copy(plan, twin)
    report = ingest(settings, [twin], embedder=embedder, progress=False)
    assert not report.added and "already indexed as bucks-sufficiency.html" in report.errors[0]

    remove_documents(settings, ["bucks-sufficiency.html"])
    assert "bucks-sufficiency.html" not in HybridIndex.open(settings, embedder).manifest.documents
    with pytest.raises(IngestError, match="not indexed"):
        remove_documents(settings, ["bucks-sufficiency.html"])


def test_a_person_can_say_which_council_wrote_a_file(tmp_path, corpus_settings, embedder):
    path = tmp_path / "notes.txt"
    path.write_text("Short breaks review\n\nThe review of short breaks will report in May 2026.\n", encoding="utf-8")
    assert describe(read_source(path)).notes  # nothing in it names a council
    settings = corpus_settings.model_copy(update={"data_dir": tmp_path / "data"})
    from ingest.manifest import Said

    report = ingest(settings, [path], embedder=embedder, progress=False, said=Said(councils=("Kent",)))
    assert report.described["notes.txt"]["council"] == "Kent"
    assert HybridIndex.open(settings, embedder).councils == ["Kent"]


def test_a_council_no_list_knows_may_be_named_only_in_the_page_title(tmp_path):
    path = tmp_path / "report.html"
    path.write_text("<html><head><title>Home to school transport policy | Fenmarsh District Council</title>"
                    "</head><body><h1>Transport policy</h1><p>Pupils with an EHCP may get free travel.</p>"
                    "</body></html>", encoding="utf-8")
    assert describe(read_source(path)).councils == ("Fenmarsh",)
