"""The Chroma side of the index: our own embeddings in, nearest chunk ids out.

Embedded (`PersistentClient` in a generation's folder) or a real server (`HttpClient`) behind the
same methods. We always pass embeddings ourselves: a collection without them would make chromadb
fetch its default ONNX model, which cannot work offline. chromadb errors are wrapped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from core.errors import IndexStoreError
from ingest.chunk import Chunk

ADD_BATCH = 1000


def _client(path: Path | None, url: str):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if url:
            parsed = urlparse(url)
            return chromadb.HttpClient(host=parsed.hostname or "127.0.0.1", port=parsed.port or 8000,
                                       ssl=parsed.scheme == "https", settings=chroma_settings)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as exc:
        where = url or str(path)
        raise IndexStoreError(f"Could not open the Chroma store at {where} ({exc}). "
                              "Check that the server is running, or unset SEND_ASSISTANT_CHROMA_URL.") from exc


# One thread builds the graph, so every process that loads the index gets the same one, and the search looks
# at enough candidates to be exact on a corpus of plans: the same question retrieves the same passages every run.
HNSW = {"hnsw": {"space": "cosine", "ef_search": 1000, "num_threads": 1}}


class ChromaStore:
    def __init__(self, collection_name: str, path: Path | None = None, url: str = "") -> None:
        self.client = _client(path, url)
        self.collection_name = collection_name
        try:
            self.collection = self.client.get_or_create_collection(
                collection_name, embedding_function=None, configuration=HNSW)
        except Exception as exc:
            raise IndexStoreError(f"Could not open Chroma collection {collection_name!r} ({exc}).") from exc

    def add(self, chunks: Sequence[Chunk], embeddings: np.ndarray) -> None:
        try:
            for begin in range(0, len(chunks), ADD_BATCH):
                batch = chunks[begin:begin + ADD_BATCH]
                nodes = [chunk.to_node() for chunk in batch]
                self.collection.add(ids=[node.node_id for node in nodes],
                                    embeddings=embeddings[begin:begin + ADD_BATCH].tolist(),
                                    documents=[node.text for node in nodes],
                                    metadatas=[node.metadata for node in nodes])
        except Exception as exc:
            raise IndexStoreError(f"Could not write to Chroma collection {self.collection_name!r} ({exc}).") from exc

    def query(self, embedding: np.ndarray, n: int, where: dict | None = None) -> list[tuple[str, float]]:
        """Chunk ids with cosine similarity, best first."""
        count = self.count()
        if count == 0:
            return []
        try:
            result = self.collection.query(query_embeddings=[embedding.tolist()], n_results=min(n, count),
                                           where=where or None, include=["distances"])
        except Exception as exc:
            raise IndexStoreError(f"Chroma search failed ({exc}).") from exc
        return [(chunk_id, 1.0 - distance) for chunk_id, distance in zip(result["ids"][0], result["distances"][0])]

    def count(self) -> int:
        try:
            return self.collection.count()
        except Exception as exc:
            raise IndexStoreError(f"Chroma is not answering ({exc}).") from exc

    def drop(self) -> None:
        try:
            self.client.delete_collection(self.collection_name)
        except Exception:  # noqa: BLE001 — already gone is what we wanted
            pass
