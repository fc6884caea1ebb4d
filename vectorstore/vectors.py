"""Exact nearest chunks over a generation's own vectors (`embeddings.npy`), for the embedded store.

The vectors are unit length, so cosine similarity is one matrix-vector product: exact, about a millisecond
per ten thousand chunks, and a filtered search ranks only the chunks it may return (a pre-filtered
candidate set) instead of asking Chroma to filter, which measured 40x slower than an unfiltered query at
100k chunks. Opening it maps the file instead of reading it, and needs neither chromadb nor its server.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np


class VectorMatrix:
    def __init__(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        if len(ids) != len(vectors):
            raise ValueError(f"{len(ids)} chunk ids for {len(vectors)} vectors")
        self.ids = list(ids)
        self.vectors = vectors

    @classmethod
    def load(cls, path: Path, ids: Sequence[str]) -> VectorMatrix:
        return cls(ids, np.load(path, mmap_mode="r"))

    def nearest(self, vector: np.ndarray, n: int, rows: np.ndarray | None = None) -> list[tuple[str, float]]:
        """The `n` chunks most similar to `vector`, best first, among `rows` (None: all) as (id, cosine)."""
        candidates = np.arange(len(self.ids)) if rows is None else rows
        if n < 1 or len(candidates) == 0:
            return []
        scores = (self.vectors if rows is None else self.vectors[rows]) @ vector.astype(self.vectors.dtype)
        n = min(n, len(scores))
        best = np.argpartition(-scores, n - 1)[:n]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(self.ids[int(candidates[i])], float(scores[i])) for i in best]
