"""The index at the size of every council's plans in England: ~150 councils × ~700 chunks ≈ 100k chunks.

No 100k embedding run is needed: the bundled corpus's real chunks and vectors are copied once per synthetic
council ("Synthetic Council 017"), with the council, title, document and ids rewritten and a little noise on
the vectors, and the bundled plans stay in too, so every evaluation question still finds its council. The
copies go through the real index code (`generation.write_generation`: chunks, vectors, span vectors, keyword
index), then one run measures indexing throughput (embedding excluded), size on disk, a new process's time to open
the index and its peak RSS once it has answered (what each web worker pays), search and ask latency with and
without a council filter, and concurrent askers against one. Run alone: `python benchmarks/scale.py [COUNCILS]`.
"""

from __future__ import annotations

import dataclasses
import json
import random
import subprocess
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
from vectorstore.span_vectors import SpanVectors

ROOT = Path(__file__).resolve().parents[1]
CHUNKS_PER_COUNCIL = 700
NOISE = 0.01
CONCURRENT_ASKERS = 20


def latencies_ms(call, items) -> list[float]:
    timings = []
    for item in items:
        began = time.perf_counter()
        call(item)
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def _summary(timings: list[float]) -> dict:
    return {"p50": percentile(timings, 50), "p95": percentile(timings, 95), "n": len(timings)}


# A process's own peak RSS, read inside it: a child's ru_maxrss counts the parent it was forked from.
PEAK_RSS_MIB = "round(int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) / 1024, 1)"
# A web worker's start: open the current generation, answer one question; the time to open and the peak RSS.
_WORKER = f"""
import json, sys, time
from pathlib import Path
from assistant.engine import Assistant
from core.settings import load_settings
from vectorstore.index import HybridIndex
settings = load_settings(data_dir=Path(sys.argv[1]))
began = time.perf_counter()
index = HybridIndex.open(settings)
opened = time.perf_counter() - began
Assistant(settings, index).ask(sys.argv[2])
print(json.dumps({{"open_s": round(opened, 2), "peak_rss_mib": {PEAK_RSS_MIB}}}))
"""


def _worker(data_dir: Path, model_cache: Path, question: str) -> dict:
    """A new process's figures, apart from this one's synthesised copies."""
    done = subprocess.run([sys.executable, "-c", _WORKER, str(data_dir), question], cwd=ROOT,
                          capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "SEND_ASSISTANT_MODEL_CACHE_DIR": str(model_cache)})
    if done.returncode:
        raise RuntimeError(f"the worker process failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def synthesise(source: HybridIndex, councils: int, seed: int = 7):
    """The source index's documents, chunks and vectors plus `councils` rewritten copies of them."""
    rng = np.random.default_rng(seed)
    base_chunks = list(source.chunks.values())
    base_vectors = np.asarray(source.vectors.vectors)
    picks = [i % len(base_chunks) for i in range(CHUNKS_PER_COUNCIL)]
    documents = dict(source.manifest.documents)
    sources = {name: source.source_text(name) for name in documents}
    chunks, vectors = list(base_chunks), [base_vectors]
    spans = None if source.spans is None else SpanVectors.concatenate(
        [source.spans, *[SpanVectors.concatenate([source.spans.chunk_rows(i, i + 1) for i in picks],
                                                 base_vectors.shape[1])] * councils], base_vectors.shape[1])
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
    return documents, chunks, np.concatenate(vectors).astype(np.float32), sources, spans


def _folder_mib(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)


def measure(councils: int, source: HybridIndex | None = None) -> dict:
    settings = load_settings()
    source = source or HybridIndex.open(settings)
    documents, chunks, vectors, sources, spans = synthesise(source, councils)
    questions = [item.question for item in load_items()]
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        scaled = load_settings(data_dir=data_dir)
        manifest = gen.GenerationManifest(name=gen.new_generation_name(), chunk_max_tokens=settings.chunk_max_tokens,
                                          chroma_url="", documents=documents, embedder=source.manifest.embedder)
        began = time.perf_counter()
        written = gen.write_generation(data_dir, manifest, chunks, vectors, sources, spans)
        index_s = time.perf_counter() - began
        gen.make_current(data_dir, manifest.name)
        worker = _worker(data_dir, settings.model_cache, questions[0])
        index = HybridIndex.open(scaled, source.embedder)
        synthetic = [c for c in index.councils if c.startswith("Synthetic Council")]
        pick = random.Random(3).choice
        filters = {question: pick(synthetic) for question in questions}
        vectors_of = {question: source.embedder.embed_query(question) for question in questions}
        search_all = latencies_ms(lambda q: index.search(q, 5, query_vector=vectors_of[q]), questions)
        search_one = latencies_ms(lambda q: index.search(q, 5, [filters[q]], query_vector=vectors_of[q]), questions)
        rows_ms = latencies_ms(lambda q: index.vectors.nearest(vectors_of[q], settings.candidates, index.rows_of(
            {d for d, e in documents.items() if filters[q] in e.named_councils})), questions)
        assistant = Assistant(scaled, index)
        ask_all = latencies_ms(assistant.ask, questions)
        ask_one = latencies_ms(lambda q: assistant.ask(q, (), filters[q]), questions)
        concurrent = _concurrent(assistant, questions)
        disk_mib = _folder_mib(written)
    return {
        "chunks": len(chunks), "councils": len(index.councils),
        "index_chunks_per_s": round(len(chunks) / index_s), "index_s": round(index_s, 1),
        "disk_mib": disk_mib,
        "worker": worker,
        "search_ms": _summary(search_all), "search_council_ms": _summary(search_one),
        "ask_ms": _summary(ask_all), "ask_council_ms": _summary(ask_one),
        "council_filter_vectors_ms": _summary(rows_ms),
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
