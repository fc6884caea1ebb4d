"""The ONNX Runtime embedder gives sentence-transformers' vectors, the index remembers which engine built it,
and answering a question never imports torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from core.settings import PROJECT_ROOT, load_settings
from evals.dataset import load_items
from vectorstore import generation as gen
from vectorstore.build import ingest
from vectorstore.embedder import embedder_name, shared_embedder

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reference():
    return shared_embedder(load_settings(embedder="sentence-transformers"))


def test_the_default_engine_is_onnx_runtime(embedder):
    assert embedder.name == embedder_name(load_settings()) and embedder.name.startswith("onnx-")


def test_texts_embedded_at_once_get_the_very_vectors_each_gets_alone(embedder):
    questions = [item.question for item in load_items()][:6]
    together = embedder.embed_queries([*questions, questions[0]])
    assert all(np.array_equal(vector, embedder.embed_query(text))
               for vector, text in zip(together, [*questions, questions[0]], strict=True))


def test_every_corpus_chunk_gets_the_same_vector_from_onnx_as_from_sentence_transformers(corpus_index, embedder,
                                                                                        reference):
    texts = [chunk.search_text for chunk in corpus_index.chunks.values()]
    cosines = np.sum(embedder.embed(texts) * reference.embed(texts), axis=1)
    assert cosines.min() >= 0.99, f"lowest cosine {cosines.min():.4f}"


def test_the_ten_nearest_chunks_to_each_question_are_nearly_the_same_with_either_engine(corpus_index, embedder,
                                                                                         reference):
    texts = [chunk.search_text for chunk in corpus_index.chunks.values()]
    questions = [item.question for item in load_items()]
    mine, theirs = embedder.embed(texts), reference.embed(texts)
    overlaps = [len(set(np.argsort(-(mine @ q))[:10]) & set(np.argsort(-(theirs @ r))[:10])) / 10
                for q, r in zip(embedder.embed(questions), reference.embed(questions), strict=True)]
    assert np.mean(overlaps) >= 0.9, f"mean top-10 overlap {np.mean(overlaps):.3f}"


def test_changing_the_engine_re_embeds_everything_and_the_index_records_it(tmp_path, embedder, reference):
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "a.txt").write_text("Riverside Council SEND Plan\n\nThe short breaks review is led by the "
                                 "commissioning team and reports in March 2026.\n", encoding="utf-8")
    (plans / "b.txt").write_text("Hillside Council Local Offer\n\nSpeech and language therapy waits are "
                                 "twelve weeks on average.\n", encoding="utf-8")
    settings = load_settings(data_dir=tmp_path / "data")
    first = ingest(settings, [plans], embedder=embedder, progress=False)
    unchanged = ingest(settings, [plans], embedder=embedder, progress=False)
    again = ingest(settings, [plans], embedder=reference, progress=False)
    assert unchanged.embedded == 0
    assert again.embedded == first.embedded > 0
    manifest = gen.read_manifest(gen.require_current(settings.data_dir))
    assert manifest.embedder == reference.name


def test_searching_and_asking_never_import_torch_or_sentence_transformers(corpus_index):
    code = ("import sys, cli; cli.main(['ask', 'who leads the short breaks offer?', '--json']); "
            "cli.main(['search', 'short breaks', '--json']); "
            "print(json.dumps(sorted(m for m in ('torch', 'sentence_transformers') if m in sys.modules)))")
    env = {"SEND_ASSISTANT_DATA_DIR": str(corpus_index.settings.data_dir), "PATH": "/usr/bin:/bin",
           "SEND_ASSISTANT_MODEL_CACHE_DIR": os.environ["SEND_ASSISTANT_MODEL_CACHE_DIR"]}
    result = subprocess.run([sys.executable, "-c", f"import json; {code}"], env=env, cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == []
