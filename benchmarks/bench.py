"""`make bench`: ingest cost against embedding alone, unchanged re-ingest, search and ask latency (and every
evaluation set's warm answers), the two embedding engines, a new process's cold start, and the index at England's
scale (`benchmarks/scale.py`), as one JSON object.

Every figure is measured in this run on this machine; ratios compare with a baseline from the same run,
so the numbers travel between machines better than seconds do. `--councils N` sizes the scale run (default 150,
about 100k chunks).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scale import PEAK_RSS_MIB, latencies_ms
from scale import measure as measure_scale

from assistant.councils import index_council_matcher
from assistant.engine import Assistant
from core.settings import load_settings
from core.text import percentile
from evals.dataset import load_items
from vectorstore.build import ingest
from vectorstore.embedder import shared_embedder
from vectorstore.index import HybridIndex
from vectorstore.span_vectors import span_texts

ROOT = Path(__file__).resolve().parents[1]


# `send-assistant ask QUESTION`, then the process's own peak RSS on the last line
_ASK = f"import sys, cli; code = cli.main(['ask', sys.argv[1]]); print({PEAK_RSS_MIB}); sys.exit(code)"


def cold_start(data_dir: Path, question: str, runs: int = 3) -> dict:
    """`send-assistant ask` as a new process: wall seconds, CPU seconds and peak RSS, the median of `runs`."""
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _ASK, question], cwd=ROOT, check=True, capture_output=True,
                              text=True, env={"PATH": "/usr/bin:/bin", "SEND_ASSISTANT_DATA_DIR": str(data_dir),
                                              "SEND_ASSISTANT_MODEL_CACHE_DIR": str(load_settings().model_cache)})
        walls.append(time.perf_counter() - began)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        peaks.append(float(done.stdout.strip().splitlines()[-1]))
    return {"wall_s": round(sorted(walls)[runs // 2], 2), "cpu_s": round(sorted(cpus)[runs // 2], 2),
            "peak_rss_mib": round(max(peaks), 1)}


def warm_answers(assistant: Assistant) -> dict:
    """Every evaluation set asked in this one process, follow-ups with their history: p50, p95 and max per set
    (the sets about other councils' plans are mostly refused at once: those councils are not indexed here)."""
    figures = {}
    for path in sorted((ROOT / "evals").glob("*.jsonl")):
        timings = latencies_ms(lambda item: assistant.ask(item.question, list(item.history)), load_items(path))
        figures[path.stem] = {"p50": percentile(timings, 50), "p95": percentile(timings, 95),
                              "max": round(max(timings), 1)}
    return figures


def engines(texts: list[str], questions: list[str]) -> dict:
    """ONNX Runtime against sentence-transformers (the baseline) on the same texts, in this process."""
    figures = {}
    for name in ("sentence-transformers", "onnx-fp32", "onnx-int8-per-channel"):
        embedder = shared_embedder(load_settings(), name)
        embedder.embed(["warm-up"])
        began = time.perf_counter()
        embedder.embed(texts)
        corpus_s = time.perf_counter() - began
        query_ms = latencies_ms(embedder.embed_query, questions)
        figures[name] = {"chunks_per_s": round(len(texts) / corpus_s, 1), "query_p50_ms": percentile(query_ms, 50)}
    base = figures["sentence-transformers"]
    for name, row in figures.items():
        row["speed_ratio"] = round(row["chunks_per_s"] / base["chunks_per_s"], 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--councils", type=int, default=150, help="synthetic councils in the scale run")
    councils = parser.parse_args().councils
    embedder = shared_embedder()
    embedder.embed(["warm-up"])
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(data_dir=Path(folder) / "data")
        began = time.perf_counter()
        report = ingest(settings, embedder=embedder, progress=False)
        ingest_s = time.perf_counter() - began
        index = HybridIndex.open(settings, embedder)
        texts = [chunk.search_text for chunk in index.chunks.values()]
        # ingest also embeds each span the evidence scorer judges (a chunk's sentences), so embedding alone is both
        spans = span_texts(index.chunks.values())
        began = time.perf_counter()
        embedder.embed(texts)
        embedder.embed(spans)
        embed_s = time.perf_counter() - began
        began = time.perf_counter()
        ingest(settings, embedder=embedder, progress=False)
        unchanged_s = time.perf_counter() - began
        questions = [item.question for item in load_items()]
        search_ms = []
        matcher = index_council_matcher(index.council_names)
        for question in questions:
            began = time.perf_counter()
            index.search(question, 5, matcher.mentioned(question) or None)
            search_ms.append((time.perf_counter() - began) * 1000)
        assistant = Assistant(settings, index)
        ask_ms = [assistant.ask(question).timings_ms["total"] for question in questions]
        warm = warm_answers(assistant)
        started = cold_start(settings.data_dir, questions[0])
        scale = measure_scale(councils, index)
        compared = engines(texts, questions)
    search_p95, ask_p95 = percentile(search_ms, 95), percentile(ask_ms, 95)
    for name, at_scale, at_corpus in (("search_council_ms", scale["search_council_ms"], search_p95),
                                      ("ask_council_ms", scale["ask_council_ms"], ask_p95)):
        scale[name]["p95_to_corpus_p95_ratio"] = round(at_scale["p95"] / at_corpus, 2)
    print(json.dumps({
        "chunks": report.chunks,
        "ingest_s": round(ingest_s, 2),
        "texts_embedded": {"chunks": len(texts), "spans": len(spans)},
        "embedding_only_s": round(embed_s, 2),
        "ingest_to_embedding_ratio": round(ingest_s / embed_s, 2),
        "unchanged_reingest_s": round(unchanged_s, 3),
        "unchanged_to_ingest_ratio": round(unchanged_s / ingest_s, 4),
        "search_ms": {"p50": percentile(search_ms, 50), "p95": percentile(search_ms, 95),
                      "queries": len(search_ms)},
        "ask_ms": {"p50": percentile(ask_ms, 50), "p95": percentile(ask_ms, 95), "max": max(ask_ms)},
        "warm_answers_ms": warm,
        "cold_start_ask": started,
        "embedding_engines": compared,
        "scale": scale,
    }, indent=2))


if __name__ == "__main__":
    main()
