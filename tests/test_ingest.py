"""Ingest end to end with the real model and a real embedded Chroma: offsets, increments, crashes, bad files."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS

from core.errors import IndexStoreError
from core.models import count_model_tokens, model_max_tokens
from core.settings import PROJECT_ROOT, load_settings
from vectorstore import generation as gen
from vectorstore.build import ingest
from vectorstore.index import HybridIndex

LANCS_APPENDIX = "lancashire-joint-send-commissioning-action-plan-appendix-1.txt"


def test_every_chunk_of_the_corpus_is_an_exact_slice_of_its_file(corpus_index):
    for chunk in corpus_index.chunks.values():
        raw = (CORPUS / chunk.document).read_bytes().decode("utf-8")
        assert raw[chunk.start:chunk.end] == chunk.text
        assert corpus_index.source_text(chunk.document)[chunk.start:chunk.end] == chunk.text


def test_chunks_carry_the_contract_metadata(corpus_index):
    chunk = next(c for c in corpus_index.chunks.values() if c.fields.get("Lead") == "LA with support from health")
    assert chunk.kind == "table_row" and chunk.council == "Lancashire"
    assert chunk.section and chunk.title and chunk.token_count > 0
    assert chunk.chunk_id.startswith(chunk.document + "#")
    assert max(c.token_count for c in corpus_index.chunks.values()) <= corpus_index.settings.chunk_max_tokens
    # what the embedder reads (the chunk and its context) fits the model's window, so nothing is cut silently
    assert max(count_model_tokens(c.search_text) for c in corpus_index.chunks.values()) <= model_max_tokens()


def test_reingesting_an_unchanged_corpus_embeds_and_writes_nothing(corpus_copy, embedder):
    settings = load_settings()
    first = ingest(settings, [corpus_copy], embedder=embedder, progress=False)
    second = ingest(settings, [corpus_copy], embedder=embedder, progress=False)
    assert first.embedded > 0 and len(first.added) == 5
    assert second.embedded == 0 and second.generation == "" and len(second.unchanged) == 5
    assert gen.current_generation(settings.data_dir).name == first.generation


def test_changing_one_file_re_embeds_only_that_file(corpus_copy, embedder):
    settings = load_settings()
    ingest(settings, [corpus_copy], embedder=embedder, progress=False)
    appendix = corpus_copy / LANCS_APPENDIX
    appendix.write_text(appendix.read_text(encoding="utf-8").replace("31 August 2025", "30 September 2025"),
                        encoding="utf-8")
    report = ingest(settings, [corpus_copy], embedder=embedder, progress=False)
    assert report.updated == [LANCS_APPENDIX] and len(report.unchanged) == 4
    assert report.embedded == sum(1 for c in HybridIndex.open(settings, embedder).chunks.values()
                                  if c.document == LANCS_APPENDIX)
    hits = HybridIndex.open(settings, embedder).search("children's home 30 September 2025", k=3)
    assert any("30 September 2025" in hit.chunk.text for hit in hits)


def test_a_removed_file_leaves_the_index(corpus_copy, embedder):
    settings = load_settings()
    ingest(settings, [corpus_copy], embedder=embedder, progress=False)
    (corpus_copy / LANCS_APPENDIX).unlink()
    manifest = corpus_copy / "manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(LANCS_APPENDIX, "gone.txt"), encoding="utf-8")
    report = ingest(settings, [corpus_copy], embedder=embedder, progress=False)
    assert report.removed == [LANCS_APPENDIX]
    index = HybridIndex.open(settings, embedder)
    assert all(c.document != LANCS_APPENDIX for c in index.chunks.values())
    assert all(h.chunk.document != LANCS_APPENDIX for h in index.search("children's home status", k=10))


def test_a_failure_while_writing_leaves_the_previous_index_answering(corpus_copy, embedder, monkeypatch):
    settings = load_settings()
    ingest(settings, [corpus_copy], embedder=embedder, progress=False)
    before = gen.current_generation(settings.data_dir)

    def broken_save(self, folder):
        raise IndexStoreError("disk full (simulated)")

    monkeypatch.setattr("vectorstore.keyword.KeywordIndex.save", broken_save)
    with pytest.raises(IndexStoreError):
        ingest(settings, [corpus_copy], rebuild=True, embedder=embedder, progress=False)
    assert gen.current_generation(settings.data_dir) == before
    assert HybridIndex.open(settings, embedder).search("short breaks", k=1)


def test_killing_ingest_mid_way_leaves_the_previous_index_answering(tmp_path, corpus_copy, embedder):
    """A real crash: SIGKILL the CLI while it embeds a rebuild, then search the old generation."""
    settings = load_settings()
    ingest(settings, [corpus_copy], embedder=embedder, progress=False)
    before = gen.current_generation(settings.data_dir)
    env = dict(os.environ, SEND_ASSISTANT_DATA_DIR=str(settings.data_dir), SEND_ASSISTANT_CHUNK_MAX_TOKENS="48")
    process = subprocess.Popen([sys.executable, "-m", "cli", "ingest", str(corpus_copy), "--rebuild"],
                               env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen = ""
    deadline = time.monotonic() + 120
    while "Embedding" not in seen and time.monotonic() < deadline and process.poll() is None:
        seen += os.read(process.stderr.fileno(), 256).decode(errors="replace")
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert "Embedding" in seen, "the child must be killed while it embeds"
    assert gen.current_generation(settings.data_dir) == before
    hits = HybridIndex.open(settings, embedder).search("who leads the short breaks offer?", k=3)
    assert hits and hits[0].chunk.council == "Lancashire"
    report = ingest(settings, [corpus_copy], embedder=embedder, progress=False)
    assert report.embedded == 0, "the killed run's leftovers do not disturb the next ingest"


def test_bad_files_are_reported_one_line_each_and_the_rest_ingests(tmp_path, embedder):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(CORPUS / LANCS_APPENDIX, folder)
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PK\x00" * 50)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7 this is not really a pdf")
    (folder / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    report = ingest(load_settings(), [folder] + [folder / "sheet.xlsx"], embedder=embedder, progress=False)
    assert report.added == [LANCS_APPENDIX]
    assert len(report.errors) == 4
    for error in report.errors:
        assert "\n" not in error and error.split(":")[0] in {"empty.txt", "binary.txt", "broken.pdf", "sheet.xlsx"}


def test_search_before_any_ingest_says_how_to_build_the_index():
    from core.errors import IndexNotBuiltError

    with pytest.raises(IndexNotBuiltError, match="send-assistant ingest"):
        HybridIndex.open(load_settings())


def test_a_long_list_keeps_the_sentence_that_introduces_it():
    from ingest.chunk import chunk_document
    from ingest.parse import parse
    from ingest.records import DocumentInfo, SourceText

    items = "\n".join(f"• Item {n}: the service will be reviewed with families and partners every term." for n in range(40))
    text = f"Our plan commits £12m to create 300 new places in 9 resource bases. The aims are:\n{items}\n"
    source = SourceText(Path("plan.txt"), "plan.txt", "txt", text, "x")
    chunks = chunk_document(source, DocumentInfo("plan.txt", "Kent", "Plan"), parse(text), 256)
    assert len(chunks) > 1 and chunks[0].text.startswith("Our plan commits £12m")
    assert all(text[c.start:c.end] == c.text for c in chunks)


def test_a_change_to_the_reading_code_reads_every_file_again(tmp_path, embedder, monkeypatch):
    """After an upgrade that parses files differently, no record made the old way stays in the index."""
    import vectorstore.build as build

    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "plan.txt").write_text("Eastmoor SEND Plan\n\nThe sensory hub opens in May 2027.\n", encoding="utf-8")
    settings = load_settings(data_dir=tmp_path / "data")
    ingest(settings, [plans], embedder=embedder, progress=False)
    assert ingest(settings, [plans], embedder=embedder, progress=False).unchanged == ["plan.txt"]
    monkeypatch.setattr(build, "reader_fingerprint", lambda: "a-newer-reader")
    again = ingest(settings, [plans], embedder=embedder, progress=False)
    assert not again.unchanged and again.generation
    assert gen.read_manifest(gen.require_current(settings.data_dir)).reader == "a-newer-reader"


def test_embedding_reports_progress_up_to_the_end_and_can_be_cancelled(tmp_path, embedder):
    """Texts are embedded longest first, across files, in slices: each slice reports how far the ingest is and
    which file it is for, and a cancel between slices leaves the index as it was."""
    from core.errors import IngestCancelled

    plans = tmp_path / "plans"
    plans.mkdir()
    for number in range(3):
        sentences = " ".join(f"Eastmoor action {number}.{n} opens a hub in spring {2027 + n}." for n in range(120))
        (plans / f"plan-{number}.txt").write_text(f"Eastmoor plan {number}\n\n{sentences}\n", encoding="utf-8")
    settings = load_settings(data_dir=tmp_path / "data")
    seen: list[tuple[float, str]] = []
    with pytest.raises(IngestCancelled):
        ingest(settings, [plans], embedder=embedder, progress=False, on_progress=lambda f, n: seen.append((f, n)),
               cancelled=lambda: len(seen) > 0)
    assert len(seen) == 1 and 0 < seen[0][0] < 1 and gen.current_generation(settings.data_dir) is None
    seen.clear()
    ingest(settings, [plans], embedder=embedder, progress=False, on_progress=lambda f, n: seen.append((f, n)))
    fractions = [fraction for fraction, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(seen) > 1
    assert {name for _, name in seen} <= {"plan-0.txt", "plan-1.txt", "plan-2.txt"}
