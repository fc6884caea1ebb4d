"""Runs the evaluation set through `Assistant.ask` (the one answering function) and scores every answer.

`run_eval` is what both `send-assistant eval` and the eval gate in the test suite call, so the gate and
the command cannot disagree. Latency is wall time around `ask`, the answer's own scoring excluded.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.types import Citation
from core.errors import ConfigError
from core.support import citation_evidence
from evals.dataset import CATEGORIES, QUESTIONS, EvalItem, load_items, passage_hits_gold
from evals.metrics import (
    MAX_METRICS,
    MIN_METRICS,
    THRESHOLDS,
    MemoEmbedder,
    Threshold,
    load_thresholds,
    score_answer,
    summarise,
)
from evals.results import RETRIEVAL_K, EvalRun, ItemResult

if TYPE_CHECKING:
    from assistant.engine import Assistant

def run_eval(assistant: Assistant, items: Sequence[EvalItem], progress: bool = True,
             k: int = RETRIEVAL_K) -> EvalRun:
    from tqdm import tqdm

    index = assistant.index
    embedder = MemoEmbedder(index.embedder)
    sources: dict[str, str] = {}

    def source(document: str) -> str:
        if document not in sources:
            sources[document] = index.source_text(document)
        return sources[document]

    def evidence_of(citation: Citation) -> list[str]:
        chunk = index.chunks.get(citation.chunk_id)
        return citation_evidence(citation, list(chunk.fields) if chunk is not None else ())

    results = []
    for item in tqdm(items, desc="eval", unit="q", disable=None if progress else True):  # None: bar on a TTY only
        began = time.perf_counter()
        answer = assistant.ask(item.question, list(item.history), None)
        latency = (time.perf_counter() - began) * 1000

        def hits_gold(citation: Citation, item: EvalItem = item) -> bool:
            return any(passage_hits_gold(citation.document, citation.start, citation.end, citation.text, gold,
                                         source(citation.document) if gold.document == citation.document else None)
                       for gold in item.gold_evidence)

        results.append(ItemResult(item, answer, round(latency, 1),
                                  score_answer(item, answer, embedder, evidence_of, hits_gold)))
    return _summarised(index, results, k)


def _summarised(index, results: list[ItemResult], k: int) -> EvalRun:
    from evals.retrieval import score_retrieval

    categories, misses = {}, []
    labelled = hit_sum = rank_sum = 0.0
    for category in [c for c in CATEGORIES if any(r.item.category == c for r in results)]:
        chosen = [r for r in results if r.item.category == category]
        figures = summarise([r.score for r in chosen], [r.latency_ms for r in chosen])
        figures |= {"hit_at_k": None, "mrr": None}
        retrievable = [r.item for r in chosen if r.item.answerable and not r.item.history]
        if retrievable:
            retrieval = score_retrieval(index, retrievable, k=k)
            figures |= {"hit_at_k": round(retrieval.hit_at_k, 4), "mrr": round(retrieval.mrr, 4)}
            labelled += retrieval.questions
            hit_sum += retrieval.hit_at_k * retrieval.questions
            rank_sum += retrieval.mrr * retrieval.questions
            misses.extend(retrieval.misses)
        categories[category] = figures
    overall = summarise([r.score for r in results], [r.latency_ms for r in results])
    overall |= {"hit_at_k": round(hit_sum / labelled, 4) if labelled else None,
                "mrr": round(rank_sum / labelled, 4) if labelled else None}
    return EvalRun(tuple(results), overall, categories, tuple(misses), k)


def add_eval_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help="JSONL evaluation set")
    parser.add_argument("--out", type=Path, default=Path("reports"), help="where report.json/.md and charts go")
    parser.add_argument("--thresholds", type=Path, default=THRESHOLDS, help="TOML of [min] and [max] figures")
    parser.add_argument("--json", action="store_true", help="print the report as JSON instead of the table")
    parser.add_argument("--corpus", type=Path, action="append", default=[], metavar="DIR",
                        help="answer from these folders' plans, indexed in a scratch data dir (repeatable)")
    parser.add_argument("--formats", default="html", metavar="html,docx,pdf",
                        help="with --corpus: convert its web pages to each format in turn (needs LibreOffice)")
    parser.add_argument("--no-bundled", action="store_true", help="with --corpus: leave the bundled plans out")
    for bound, metrics in (("min", MIN_METRICS), ("max", MAX_METRICS)):
        for metric in metrics:
            parser.add_argument(f"--{bound}-{metric.replace('_', '-')}", type=float, metavar="X",
                                help=f"override the {bound}imum {metric} in the thresholds file")


def eval_command(args: argparse.Namespace, assistant: Assistant | None = None) -> int:
    """`send-assistant eval`: 0 when every threshold holds, 1 (one line on stderr) when one is missed.

    `assistant` is the one the CLI built (with its --backend); by default, `Assistant.from_settings()`.
    """
    from assistant.engine import Assistant

    try:
        items = load_items(args.questions)  # a bad line is a ConfigError naming it
    except OSError as exc:
        raise ConfigError(f"{args.questions}: cannot read the evaluation set ({exc}).") from exc
    if not items:
        raise ConfigError(f"{args.questions}: the evaluation set is empty.")
    thresholds = load_thresholds(args.thresholds)
    for bound, metrics in (("min", MIN_METRICS), ("max", MAX_METRICS)):
        for metric in metrics:
            value = getattr(args, f"{bound}_{metric}")
            if value is not None:
                thresholds[metric] = Threshold(metric, bound, value)
    assistant = assistant or Assistant.from_settings()
    if not args.corpus:
        return _report(run_eval(assistant, items).judged(thresholds), args.out, args.json)
    formats = [fmt.strip() for fmt in args.formats.split(",") if fmt.strip()]
    if not formats or set(formats) - {"html", "docx", "pdf"}:
        raise ConfigError(f"--formats {args.formats!r}: choose from html, docx and pdf, separated by commas.")
    status = 0
    for fmt in formats:
        if not args.json:
            print(f"\n== plans as {fmt.upper()} ==")
        run = run_on_corpus(assistant, items, args.corpus, fmt, bundled=not args.no_bundled).judged(thresholds)
        status = max(status, _report(run, args.out / fmt if len(formats) > 1 else args.out, args.json))
    return status


def run_on_corpus(assistant: Assistant, items: Sequence[EvalItem], folders: list[Path], fmt: str,
                  bundled: bool = True) -> EvalRun:
    """`items` answered from `folders` (and the bundled plans), indexed afresh in a scratch data dir."""
    import tempfile

    from assistant.engine import Assistant
    from evals.corpus import prepared_corpus, scratch_settings
    from vectorstore.build import ingest
    from vectorstore.index import HybridIndex

    with tempfile.TemporaryDirectory(prefix="send-eval-") as scratch:
        settings = scratch_settings(assistant.settings, Path(scratch))
        files = prepared_corpus(folders, fmt, Path(scratch))
        report = ingest(settings, ([settings.corpus_dir] if bundled else []) + files,
                        embedder=assistant.index.embedder, progress=False)
        for error in report.errors:
            print(f"send-assistant eval: skipped {error}", file=sys.stderr)
        index = HybridIndex.open(settings, assistant.index.embedder)
        return run_eval(Assistant(settings, index, assistant.generator), items)


def _report(run: EvalRun, out: Path, as_json: bool) -> int:
    from evals.report import answered_by_counts, format_table, report_json, write_report

    try:
        written = write_report(run, out)
    except OSError as exc:
        raise ConfigError(f"{out}: cannot write the report ({exc.strerror}); choose another --out.") from exc
    if as_json:
        print(json.dumps(report_json(run), ensure_ascii=False, indent=2))
    else:
        print(format_table(run))
        print("\nanswered by: " + ", ".join(f"{path} {n}" for path, n in answered_by_counts(run).items()))
        print("\nwrote " + ", ".join(str(path) for path in written))
    if run.missed:
        print(f"send-assistant eval: below threshold: {'; '.join(run.missed)}", file=sys.stderr)
        return 1
    return 0
