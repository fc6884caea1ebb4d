"""`make bench`: ingest cost against embedding alone, unchanged re-ingest, search and ask latency (JSON).

Every figure is measured in this run on this machine; ratios compare with a baseline from the same run,
so the numbers travel between machines better than seconds do.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from assistant.councils import index_council_matcher
from assistant.engine import Assistant
from core.settings import load_settings
from core.text import percentile
from evals.dataset import load_items
from vectorstore.build import ingest
from vectorstore.embedder import shared_embedder
from vectorstore.index import HybridIndex


def main() -> None:
    embedder = shared_embedder()
    embedder.embed(["warm-up"])
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(data_dir=Path(folder) / "data")
        began = time.perf_counter()
        report = ingest(settings, embedder=embedder, progress=False)
        ingest_s = time.perf_counter() - began
        index = HybridIndex.open(settings, embedder)
        texts = [chunk.search_text for chunk in index.chunks.values()]
        began = time.perf_counter()
        embedder.embed(texts)
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
    print(json.dumps({
        "chunks": report.chunks,
        "ingest_s": round(ingest_s, 2),
        "embedding_only_s": round(embed_s, 2),
        "ingest_to_embedding_ratio": round(ingest_s / embed_s, 2),
        "unchanged_reingest_s": round(unchanged_s, 3),
        "unchanged_to_ingest_ratio": round(unchanged_s / ingest_s, 4),
        "search_ms": {"p50": percentile(search_ms, 50), "p95": percentile(search_ms, 95),
                      "queries": len(search_ms)},
        "ask_ms": {"p50": percentile(ask_ms, 50), "p95": percentile(ask_ms, 95)},
    }, indent=2))


if __name__ == "__main__":
    main()
