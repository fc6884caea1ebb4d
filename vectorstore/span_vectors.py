"""The vectors of the spans the evidence scorer compares with a question, embedded at ingest.

Every span of every chunk (`ingest.spans.scored_spans`) is embedded from the same text the scorer would embed
(`ingest.spans.embed_text`) and kept beside the chunk vectors, so answering a question embeds only the question.
A whole chunk's span takes the chunk's own vector: it is the same text. A span is found by its chunk's row and
its offsets; one the store does not hold (the scorer may build others) is not found, and the scorer embeds it.

    spans/offsets.npy  (chunks + 1,) int64  chunk row r's spans are span rows offsets[r]:offsets[r + 1]
    spans/bounds.npy   (spans, 2) int64     each span's start and end in its document
    spans/vectors.npy  (spans, dimension) float32, memory-mapped when read
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.chunk import Chunk
from ingest.spans import Span, embed_text, scored_spans
from vectorstore.embedder import Embedder

FOLDER = "spans"


def is_whole_chunk(span: Span) -> bool:
    """A span that is its whole chunk has the chunk's own vector, and is not embedded again."""
    return (span.start, span.end) == (span.chunk.start, span.chunk.end)


def span_texts(chunks: Iterable[Chunk]) -> list[str]:
    """What is embedded for the spans of these chunks that need vectors of their own, in `SpanVectors.embed`'s
    order."""
    return [embed_text(span) for chunk in chunks for span in scored_spans(chunk) if not is_whole_chunk(span)]


@dataclass(frozen=True)
class SpanVectors:
    offsets: np.ndarray
    bounds: np.ndarray
    vectors: np.ndarray

    @classmethod
    def embed(cls, chunks: Sequence[Chunk], chunk_vectors: np.ndarray, embedder: Embedder) -> SpanVectors:
        """The spans of these chunks and their vectors (`chunk_vectors` are the chunks' own, row for row)."""
        spans = [(row, span) for row, chunk in enumerate(chunks) for span in scored_spans(chunk)]
        whole = np.array([is_whole_chunk(span) for _, span in spans], bool)
        vectors = np.empty((len(spans), chunk_vectors.shape[1]), dtype=np.float32)
        vectors[whole] = chunk_vectors[[row for (row, _), own in zip(spans, whole) if own]]
        vectors[~whole] = embedder.embed([embed_text(span) for (_, span), own in zip(spans, whole) if not own])
        offsets = np.concatenate([[0], np.cumsum(np.bincount([row for row, _ in spans], minlength=len(chunks)))])
        bounds = np.array([(span.start, span.end) for _, span in spans], dtype=np.int64).reshape(-1, 2)
        return cls(offsets.astype(np.int64), bounds, vectors)

    @classmethod
    def concatenate(cls, parts: Sequence[SpanVectors], dimension: int) -> SpanVectors:
        """One table for chunks laid end to end, in the order of `parts`."""
        offsets, total = [np.zeros(1, dtype=np.int64)], 0
        for part in parts:
            offsets.append(part.offsets[1:] + total)
            total += len(part.bounds)
        return cls(np.concatenate(offsets),
                   np.concatenate([part.bounds for part in parts]) if parts else np.zeros((0, 2), np.int64),
                   np.concatenate([part.vectors for part in parts]) if parts else np.zeros((0, dimension), np.float32))

    def chunk_rows(self, begin: int, end: int) -> SpanVectors:
        """The part for chunk rows `begin:end` (one document's chunks), with its own row numbers."""
        first, last = int(self.offsets[begin]), int(self.offsets[end])
        return SpanVectors(self.offsets[begin:end + 1] - first, np.asarray(self.bounds[first:last]),
                           np.asarray(self.vectors[first:last]))

    def vector(self, chunk_row: int, start: int, end: int) -> np.ndarray | None:
        """The stored vector of the span `start:end` of chunk row `chunk_row`, or None."""
        first, last = int(self.offsets[chunk_row]), int(self.offsets[chunk_row + 1])
        for row in range(first, last):
            if self.bounds[row, 0] == start and self.bounds[row, 1] == end:
                return self.vectors[row]
        return None

    def save(self, folder: Path) -> None:
        (folder / FOLDER).mkdir()
        for name in ("offsets", "bounds", "vectors"):
            np.save(folder / FOLDER / f"{name}.npy", getattr(self, name))

    @classmethod
    def load(cls, folder: Path) -> SpanVectors | None:
        """The generation's span vectors (the vectors mapped, not read); None for an index built before them."""
        if not (folder / FOLDER).is_dir():
            return None
        return cls(np.load(folder / FOLDER / "offsets.npy"), np.load(folder / FOLDER / "bounds.npy"),
                   np.load(folder / FOLDER / "vectors.npy", mmap_mode="r"))
