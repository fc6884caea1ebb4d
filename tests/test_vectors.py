"""Exact nearest-chunk search over the generation's vectors: the same ranking as Chroma, and a filter that
ranks only the chunks it may return."""

from __future__ import annotations

import numpy as np
import pytest

from vectorstore.chroma_store import ChromaStore
from vectorstore.vectors import VectorMatrix


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_nearest_are_best_first_with_their_cosines():
    vectors = _unit(np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0], [-1.0, 0.0]]))
    matrix = VectorMatrix(["east", "north-east", "north", "west"], vectors)
    hits = matrix.nearest(_unit(np.array([[1.0, 0.2]]))[0], 3)
    assert [cid for cid, _ in hits] == ["east", "north-east", "north"]
    assert hits[0][1] == pytest.approx(0.9806, abs=1e-3) and hits[0][1] > hits[1][1] > hits[2][1]


def test_a_filtered_search_returns_only_the_allowed_rows_however_far_they_are():
    vectors = _unit(np.array([[1.0, 0.0], [0.9, 0.1], [-1.0, 0.1], [-1.0, -0.1]]))
    matrix = VectorMatrix(["a", "b", "c", "d"], vectors)
    hits = matrix.nearest(np.array([1.0, 0.0], dtype=np.float32), 5, rows=np.array([2, 3]))
    assert {cid for cid, _ in hits} == {"c", "d"} and len(hits) == 2
    assert matrix.nearest(np.array([1.0, 0.0], dtype=np.float32), 5, rows=np.array([], dtype=np.int64)) == []


def test_ids_and_vectors_must_match_in_number():
    with pytest.raises(ValueError, match="3 chunk ids for 2 vectors"):
        VectorMatrix(["a", "b", "c"], np.zeros((2, 4), dtype=np.float32))


@pytest.mark.slow
def test_exact_search_ranks_the_corpus_as_chroma_does(corpus_index, embedder, tmp_path):
    chroma = ChromaStore("exact", path=tmp_path)
    chroma.add(list(corpus_index.chunks.values()), np.asarray(corpus_index.vectors.vectors))
    questions = ["who runs the short breaks panel?", "when does the new autism pathway start?",
                 "how much is spent on home to school transport?", "what did parents say in the survey?"]
    for question in questions:
        vector = embedder.embed_query(question)
        assert [cid for cid, _ in corpus_index.vectors.nearest(vector, 40)] == [cid for cid, _ in chroma.query(vector, 40)]
