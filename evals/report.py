"""An `EvalRun` as people and CI read it: a console table, report.json, report.md and two PNG charts.

report.md lists every failing question with its answer, the facts expected and what it cited, so a
regression can be read without re-running anything.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from evals.results import EvalRun, ItemResult

COLUMNS = (("questions", "n"), ("correctness", "correct"), ("faithfulness", "faithful"),
           ("citation_recall", "cit.rec"), ("citation_precision", "cit.prec"), ("citation_hit", "cit.hit"),
           ("hit_at_k", "Hit@k"), ("mrr", "MRR"), ("refusal_accuracy", "refused ok"),
           ("false_refusal_rate", "false ref"), ("latency_p50_ms", "p50 ms"), ("latency_p95_ms", "p95 ms"))


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return str(value)
    return f"{value:.0f}" if value >= 10 else f"{value:.3f}"


def _rows(run: EvalRun) -> list[list[str]]:
    header = ["set"] + [label.replace("Hit@k", f"Hit@{run.retrieval_k}") for _, label in COLUMNS]
    rows = [["overall"] + [_cell(run.overall.get(key)) for key, _ in COLUMNS]]
    rows += [[name] + [_cell(figures.get(key)) for key, _ in COLUMNS] for name, figures in run.categories.items()]
    return [header, *rows]


def format_table(run: EvalRun) -> str:
    rows = _rows(run)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    if run.thresholds:
        lines.append("")
        lines.append("thresholds: " + ("all hold" if not run.missed else "MISSED " + "; ".join(run.missed)))
    return "\n".join(lines)


def failure_reasons(result: ItemResult) -> list[str]:
    score, reasons = result.score, []
    if score.answerable and score.refused:
        reasons.append("false refusal")
    elif not score.answerable and not score.refused:
        reasons.append("missed refusal: the plans don't answer this")
    elif score.correct is False:
        reasons.append("missing facts: " + "; ".join(score.missing_facts))
    unsupported = [s for s in score.sentences if not s.supported]
    if unsupported:
        reasons.append(f"{len(unsupported)} sentence(s) not supported by their citations")
    if any(s.irrelevant for s in score.sentences):
        reasons.append("unneeded citation(s)")
    if score.citation_hit is False and not score.refused:
        reasons.append("no citation overlaps the gold passage")
    return reasons


def report_json(run: EvalRun) -> dict:
    return {
        "overall": run.overall, "categories": run.categories, "retrieval_k": run.retrieval_k,
        "retrieval_misses": list(run.retrieval_misses),
        "thresholds": {name: {"bound": t.bound, "value": t.value} for name, t in run.thresholds.items()},
        "missed": list(run.missed), "passed": not run.missed, "answered_by": answered_by_counts(run),
        "items": [_item_json(result) for result in run.results],
    }


def _item_json(result: ItemResult) -> dict:
    item, answer, score = result.item, result.answer, result.score
    return {
        "id": item.id, "category": item.category, "question": item.question, "answerable": item.answerable,
        "refused": answer.refused, "refusal_kind": answer.refusal_kind, "correct": score.correct,
        "missing_facts": list(score.missing_facts), "faithfulness": score.faithfulness,
        "citation_recall": score.citation_recall, "citation_precision": score.citation_precision,
        "citation_hit": score.citation_hit, "latency_ms": result.latency_ms, "answer": answer.answer,
        "answered_by": answer.answered_by, "notes": list(answer.notes),
        "citations": [{"marker": c.marker, "document": c.document, "start": c.start, "end": c.end, "text": c.text}
                      for c in answer.citations],
        "unsupported": [{"sentence": s.text, "markers": list(s.markers), "missing": list(s.missing)}
                        for s in score.sentences if not s.supported],
        "failures": failure_reasons(result),
    }


def answered_by_counts(run: EvalRun) -> dict[str, int]:
    """Which path wrote the answers: with an LLM backend, "extractive (fallback)" counts what verification rejected."""
    return dict(Counter(result.answer.answered_by for result in run.results if not result.answer.refused))


def report_markdown(run: EvalRun) -> str:
    rows = _rows(run)
    table = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    table += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    lines = ["# Evaluation report", "", f"{run.overall['questions']} questions. Metric definitions: "
             "`evals/README.md`.", "", *table, "",
             "Answered by: " + ", ".join(f"{path} {count}" for path, count in answered_by_counts(run).items()), ""]
    if run.thresholds:
        lines += ["## Thresholds", "", "| metric | bound | value | measured | holds |", "|---|---|---|---|---|"]
        for name, t in run.thresholds.items():
            figure = run.overall.get(name)
            lines.append(f"| {name} | {t.bound} | {t.value:g} | {_cell(figure)} | "
                         f"{'no' if t.missed_by(figure) else 'yes'} |")
        lines.append("")
    if run.retrieval_misses:
        lines += [f"Retrieval misses (gold passage not in the top {run.retrieval_k}): "
                  + ", ".join(run.retrieval_misses), ""]
    failing = [(result, failure_reasons(result)) for result in run.results]
    failing = [(result, reasons) for result, reasons in failing if reasons]
    lines += [f"## Failing questions ({len(failing)})", ""]
    for result, reasons in failing:
        lines += _failure_markdown(result, reasons)
    return "\n".join(lines) + "\n"


def _failure_markdown(result: ItemResult, reasons: list[str]) -> list[str]:
    item, answer, score = result.item, result.answer, result.score
    expected = "; ".join(" or ".join(f"“{alt}”" for alt in alts) for alts in item.required_facts) or "a refusal"
    lines = [f"### {item.id} ({item.category}): {', '.join(reasons)}", "", f"- **Question:** {item.question}"]
    if item.history:
        lines.append(f"- **History:** {' / '.join(str(m.get('content', '')) for m in item.history)}")
    lines += [f"- **Expected:** {expected}", f"- **Answer:** {answer.answer}"]
    lines += [f"- **[{c.marker}]** {c.document}:{c.start}-{c.end} “{c.text.strip()}”" for c in answer.citations]
    lines += [f"- **Unsupported:** “{s.text}” (cites {list(s.markers) or 'nothing'}"
              + (f"; not in the cited text: {', '.join(s.missing)})" if s.missing else ")")
              for s in score.sentences if not s.supported]
    return [*lines, ""]


def write_charts(run: EvalRun, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    names = list(run.categories)
    positions = np.arange(len(names))
    figure, axes = plt.subplots(figsize=(9, 4.5))
    for offset, (key, label) in zip((-0.2, 0.2), (("correctness", "correctness"), ("faithfulness", "faithfulness"))):
        values = [_or_nan(run.categories[name].get(key)) for name in names]  # NaN: no bar where nothing to score
        axes.bar(positions + offset, values, width=0.4, label=label)
    axes.set_xticks(positions, names, rotation=30, ha="right")
    axes.set_ylim(0, 1.05)
    axes.set_ylabel("share of questions / sentences")
    axes.set_title("Correctness and faithfulness by category")
    bars = _save(figure, axes, out / "per_category.png")

    figure, axes = plt.subplots(figsize=(7, 4))
    axes.hist([result.latency_ms for result in run.results], bins=30)
    for key, style in (("latency_p50_ms", "--"), ("latency_p95_ms", ":")):
        if run.overall.get(key) is not None:
            label = f"{key.removeprefix('latency_').removesuffix('_ms')} {run.overall[key]:.0f} ms"
            axes.axvline(run.overall[key], color="black", linestyle=style, label=label)
    axes.set_xlabel("latency per question (ms)")
    axes.set_ylabel("questions")
    axes.set_title("Answer latency")
    return [bars, _save(figure, axes, out / "latency.png")]


def _save(figure, axes, path: Path) -> Path:
    import matplotlib.pyplot as plt

    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def _or_nan(value: float | None) -> float:
    return float("nan") if value is None else value


def write_report(run: EvalRun, out: Path) -> list[Path]:
    """report.json, report.md, per_category.png and latency.png in `out` (created if missing)."""
    import json

    out.mkdir(parents=True, exist_ok=True)
    as_json, as_markdown = out / "report.json", out / "report.md"
    as_json.write_text(json.dumps(report_json(run), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    as_markdown.write_text(report_markdown(run), encoding="utf-8")
    return [as_json, as_markdown, *write_charts(run, out)]
