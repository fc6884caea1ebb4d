"""The index at the size of every council's plans in England: ~150 councils × ~700 chunks ≈ 100k chunks.

No 100k embedding run is needed: the bundled corpus's real chunks and vectors are copied once per synthetic
council ("Synthetic Council 017"), with the council, title, document and ids rewritten and a little noise on
the vectors, and the bundled plans stay in too, so every evaluation question still finds its council. The
copies go through the real index code (`generation.write_generation`: keyword index, Chroma, chunks), then
one run measures indexing throughput (embedding excluded), size on disk, time to open and RSS after opening,
search and ask latency with and without a council filter, the pre-filtered candidate set against Chroma's
own `where` filter, and concurrent askers against one. Run alone: `python benchmarks/scale.py [COUNCILS]`.
"""

from __future__ import annotations

import dataclasses
import json
import random
import resource
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from assistant.engine import Assistant
from core.settings import load_settings
from core.text import percentile
from evals.dataset import load_items
from ingest.chunk import chunk_id
from vectorstore import generation as gen
from vectorstore.index import HybridIndex

CHUNKS_PER_COUNCIL = 700
NOISE = 0.01
CONCURRENT_ASKERS = 20
CHROMA_WHERE_QUERIES = 20


def latencies_ms(call, items) -> list[float]:
    timings = []
    for item in items:
        began = time.perf_counter()
        call(item)
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def _summary(timings: list[float]) -> dict:
    return {"p50": percentile(timings, 50), "p95": percentile(timings, 95), "n": len(timings)}


def _rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def synthesise(source: HybridIndex, councils: int, seed: int = 7):
    """The source index's documents, chunks and vectors plus `councils` rewritten copies of them."""
    rng = np.random.default_rng(seed)
    base_chunks = list(source.chunks.values())
    base_vectors = np.asarray(source.vectors.vectors)
    picks = [i % len(base_chunks) for i in range(CHUNKS_PER_COUNCIL)]
    documents = dict(source.manifest.documents)
    sources = {name: source.source_text(name) for name in documents}
    chunks, vectors = list(base_chunks), [base_vectors]
    for number in range(1, councils + 1):
        council = f"Synthetic Council {number:03d}"
        numbering: dict[str, int] = {}
        copies = []
        for i in picks:
            original = base_chunks[i]
            document = f"synthetic-{number:03d}-{original.document}"
            if document not in documents:
                entry = source.manifest.documents[original.document]
                documents[document] = dataclasses.replace(entry, name=document, council=council, councils=(),
                                                          aliases=(), title=f"{council} {entry.title}")
                sources[document] = sources[original.document]
            numbering[document] = numbering.get(document, -1) + 1
            copies.append(dataclasses.replace(original, chunk_id=chunk_id(document, numbering[document]),
                                              document=document, council=council,
                                              title=documents[document].title))
        chunks += copies
        noisy = base_vectors[picks] + rng.normal(0, NOISE, (len(picks), base_vectors.shape[1])).astype(np.float32)
        vectors.append(noisy / np.linalg.norm(noisy, axis=1, keepdims=True))
    return documents, chunks, np.concatenate(vectors).astype(np.float32), sources


def _folder_mib(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)


def measure(councils: int, source: HybridIndex | None = None) -> dict:
    settings = load_settings()
    source = source or HybridIndex.open(settings)
    documents, chunks, vectors, sources = synthesise(source, councils)
    questions = [item.question for item in load_items()]
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        scaled = load_settings(data_dir=data_dir)
        manifest = gen.GenerationManifest(name=gen.new_generation_name(), chunk_max_tokens=settings.chunk_max_tokens,
                                          chroma_url="", documents=documents, embedder=source.manifest.embedder)
        began = time.perf_counter()
        written = gen.write_generation(data_dir, manifest, chunks, vectors, sources)
        index_s = time.perf_counter() - began
        gen.make_current(data_dir, manifest.name)
        began = time.perf_counter()
        index = HybridIndex.open(scaled, source.embedder)
        open_s = time.perf_counter() - began
        rss_after_open = _rss_mib()
        synthetic = [c for c in index.councils if c.startswith("Synthetic Council")]
        pick = random.Random(3).choice
        filters = {question: pick(synthetic) for question in questions}
        vectors_of = {question: source.embedder.embed_query(question) for question in questions}
        search_all = latencies_ms(lambda q: index.search(q, 5, query_vector=vectors_of[q]), questions)
        search_one = latencies_ms(lambda q: index.search(q, 5, [filters[q]], query_vector=vectors_of[q]), questions)
        chroma = gen.open_chroma(written, manifest)
        where_ms = latencies_ms(lambda q: chroma.query(vectors_of[q], settings.candidates, {"document": {"$in": sorted(
            d for d, e in documents.items() if filters[q] in e.named_councils)}}), questions[:CHROMA_WHERE_QUERIES])
        rows_ms = latencies_ms(lambda q: index.vectors.nearest(vectors_of[q], settings.candidates, index.rows_of(
            {d for d, e in documents.items() if filters[q] in e.named_councils})), questions[:CHROMA_WHERE_QUERIES])
        assistant = Assistant(scaled, index)
        ask_all = latencies_ms(assistant.ask, questions)
        ask_one = latencies_ms(lambda q: assistant.ask(q, (), filters[q]), questions)
        concurrent = _concurrent(assistant, questions)
        disk_mib = _folder_mib(written)
    return {
        "chunks": len(chunks), "councils": len(index.councils),
        "index_chunks_per_s": round(len(chunks) / index_s), "index_s": round(index_s, 1),
        "disk_mib": disk_mib,
        "open_s": round(open_s, 2), "rss_after_open_mib": rss_after_open,
        "search_ms": _summary(search_all), "search_council_ms": _summary(search_one),
        "ask_ms": _summary(ask_all), "ask_council_ms": _summary(ask_one),
        "council_filter_vectors_ms": {"prefiltered_rows": _summary(rows_ms), "chroma_where": _summary(where_ms),
                                      "where_to_rows_ratio": round(float(np.median(where_ms) / np.median(rows_ms)), 1)},
        "concurrent": concurrent,
    }


def _concurrent(assistant: Assistant, questions: list[str]) -> dict:
    """`CONCURRENT_ASKERS` threads asking at once against one asker, through the same assistant the web app uses."""
    alone = latencies_ms(assistant.ask, questions[:CONCURRENT_ASKERS])
    errors = 0

    def one(question: str) -> float:
        nonlocal errors
        began = time.perf_counter()
        try:
            assistant.ask(question)
        except Exception:  # noqa: BLE001 — counted, the benchmark goes on
            errors += 1
        return (time.perf_counter() - began) * 1000

    with ThreadPoolExecutor(CONCURRENT_ASKERS) as pool:
        together = list(pool.map(one, questions[:CONCURRENT_ASKERS] * 2))
    return {"askers": CONCURRENT_ASKERS, "one_asker_p95_ms": percentile(alone, 95),
            "concurrent_p95_ms": percentile(together, 95), "errors": errors,
            "p95_ratio": round(percentile(together, 95) / percentile(alone, 95), 2)}


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 150), indent=2))
