"""The searchable index: the current generation's chunks, vectors (Chroma) and keywords (BM25).

`HybridIndex.search` ranks with both retrievers, fuses them by reciprocal rank, and applies the
council/document filters before fusion so a filtered search still returns k hits. A filter is a set of
row numbers (the chunks' order is the same in chunks.jsonl, embeddings.npy and the keyword index), so
both retrievers rank only the chunks they may return. The spans' vectors stored at ingest are looked up by
`span_vector`, so the evidence scorer embeds only what the index does not hold. The embedded store is searched exactly over the
generation's vectors (`vectorstore.vectors`); a `chroma run` server is asked with a `where` filter. An open
index holds a lease on its generation (released by `close()` or when the index is collected), so an ingest
elsewhere never removes the files it reads.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from core.settings import Settings
from ingest.chunk import Chunk
from ingest.spans import Span
from vectorstore import generation as gen
from vectorstore.embedder import Embedder, shared_embedder
from vectorstore.fusion import reciprocal_rank_fusion
from vectorstore.keyword import KeywordIndex
from vectorstore.span_vectors import SpanVectors
from vectorstore.vectors import VectorMatrix

MAX_FILTERS = 4096  # council filters remembered per index (each is a few kilobytes of row numbers)


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float


class HybridIndex:
    def __init__(self, settings: Settings, folder: Path, embedder: Embedder | None = None,
                 lease: gen.Lease | None = None) -> None:
        self.settings = settings
        self.folder = folder
        lease = lease or gen.Lease(folder)
        self.close = weakref.finalize(self, lease.release)
        self.manifest = gen.read_manifest(folder)
        self.chunks = {chunk.chunk_id: chunk for chunk in gen.read_chunks(folder)}
        self.keyword = KeywordIndex.load(folder / "keyword")
        if self.manifest.chroma_url:
            self.chroma = gen.open_chroma(folder, self.manifest)
        else:
            self.vectors = VectorMatrix.load(folder / "embeddings.npy", list(self.chunks))
        self.spans = SpanVectors.load(folder)
        self._rows: dict[str, list[int]] = {}
        self._row_of: dict[str, int] = {}
        for row, chunk in enumerate(self.chunks.values()):
            self._rows.setdefault(chunk.document, []).append(row)
            self._row_of[chunk.chunk_id] = row
        self._embedder = embedder
        self._filters: dict[tuple[tuple[str, ...] | None, str | None], tuple[set[str] | None, np.ndarray | None]] = {}

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder | None = None) -> HybridIndex:
        folder, lease = gen.lease_current(settings.data_dir)
        return cls(settings, folder, embedder, lease)

    @property
    def is_current(self) -> bool:
        """False once an ingest has published a newer generation (a running app then opens that one)."""
        return gen.current_name(self.settings.data_dir) in (None, self.folder.name)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = shared_embedder(self.settings, self.manifest.embedder)
        return self._embedder

    @cached_property
    def councils(self) -> list[str]:
        return sorted({council for entry in self.manifest.documents.values() for council in entry.named_councils})

    @cached_property
    def council_names(self) -> dict[str, set[str]]:
        """Each indexed council and the other names its documents give it ("NE Lincs")."""
        names: dict[str, set[str]] = {}
        for entry in self.manifest.documents.values():
            for council in entry.named_councils:  # a joint plan's aliases are the councils' own national names
                names.setdefault(council, set()).update(entry.aliases if len(entry.named_councils) == 1 else ())
        return names

    def source_text(self, document: str) -> str:
        return gen.read_source(self.folder, document)

    def search(self, query: str, k: int | None = None, councils: list[str] | None = None,
               document: str | None = None, query_vector: np.ndarray | None = None) -> list[Hit]:
        """Best chunks for `query`; `councils` restricts to those councils' plans (None: all)."""
        k = k or self.settings.top_k
        documents, rows = self._filter(councils, document)
        if rows is not None and not len(rows):
            return []
        vector = self.embedder.embed_query(query) if query_vector is None else query_vector
        semantic = [cid for cid, _ in self._nearest(vector, documents, rows)]
        keyword = [cid for cid, _ in self.keyword.search(query, self.settings.candidates, rows)]
        fused = reciprocal_rank_fusion([semantic, keyword], k=self.settings.rrf_k,
                                       weights=[1.0, self.settings.keyword_weight])
        return [Hit(self.chunks[cid], score) for cid, score in fused[:k] if cid in self.chunks]

    def keyword_hits(self, query: str, k: int, councils: list[str] | None = None) -> list[Hit]:
        """The best keyword matches alone: an exact term in a long chunk can rank low in meaning and so in `search`."""
        _, rows = self._filter(councils, None)
        return [Hit(self.chunks[cid], score) for cid, score in self.keyword.search(query, k, rows)
                if cid in self.chunks]

    def span_vector(self, span: Span) -> np.ndarray | None:
        """The span's vector as ingest stored it; None when this index does not hold it."""
        row = self._row_of.get(span.chunk.chunk_id)
        return None if self.spans is None or row is None else self.spans.vector(row, span.start, span.end)

    def _nearest(self, vector: np.ndarray, documents: set[str] | None, rows: np.ndarray | None):
        if not self.manifest.chroma_url:
            return self.vectors.nearest(vector, self.settings.candidates, rows)
        where = None if documents is None else {"document": {"$in": sorted(documents)}}
        return self.chroma.query(vector, self.settings.candidates, where)

    def _filter(self, councils: list[str] | None, document: str | None) -> tuple[set[str] | None, np.ndarray | None]:
        """The documents and rows a search may return, worked out once per filter: a question comparing councils
        searches each of them, and at England's size that is 150 filters over a thousand documents."""
        key = (tuple(sorted(councils)) if councils else None, document)
        found = self._filters.get(key)
        if found is None:
            if len(self._filters) >= MAX_FILTERS:  # questions naming ever new sets of councils cannot grow it for ever
                self._filters.clear()
            documents = self._documents(councils, document)
            found = self._filters[key] = (documents, self.rows_of(documents))
        return found

    def rows_of(self, documents: set[str] | None) -> np.ndarray | None:
        """The row numbers of these documents' chunks, in index order; None: no filter."""
        if documents is None:
            return None
        return np.array(sorted(row for name in documents for row in self._rows.get(name, ())), dtype=np.int64)

    def _documents(self, councils: list[str] | None, document: str | None) -> set[str] | None:
        """The documents written (alone or jointly) by any of `councils`, or just `document`; None: no filter."""
        if not councils and document is None:
            return None
        return {name for name, entry in self.manifest.documents.items()
                if (not councils or set(entry.named_councils) & set(councils)) and document in (None, name)}

    def resolve_council(self, name: str) -> str | None:
        """The indexed council a user meant ("sefton", "NE Lincs" → None unless it is indexed)."""
        wanted = name.strip().lower()
        return next((council for council in self.councils if council.lower() == wanted), None)
