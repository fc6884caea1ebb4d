"""The Evaluation tab's work: run the fixed question set through the live assistant; show a table and charts.

It calls the same `evals.runner.run_eval` and `evals.report.write_charts` as `send-assistant eval`,
imported only when someone presses the button. The page explains itself: one plain line per metric,
each column headed by its threshold, every figure below its threshold marked in words (not colour
alone), and the question categories that fall below a threshold named as weak, even when the overall
figures hold. Charts are embedded as data URIs with alt text, so nothing is left on disk and a screen
reader hears what each one shows.
"""

from __future__ import annotations

import base64
import html
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ui import render, wording
from ui.live import LiveAssistant

CHART_ALT = {"per_category": "Bar chart: correctness and faithfulness for each question category.",
             "latency": "Histogram: how long each answer took, with the median and 95th percentile marked."}


@dataclass(frozen=True)
class EvalView:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    verdict: str
    passed: bool
    charts: tuple[tuple[str, bytes], ...]  # (alt text, PNG bytes)
    weak: tuple[str, ...] = ()  # "cross-council: Correct 0.556, below 0.93"

    def to_html(self) -> str:
        images = "".join(f'<figure class="chart"><img src="data:image/png;base64,{base64.b64encode(png).decode()}" '
                         f'alt="{html.escape(alt)}" /></figure>' for alt, png in self.charts)
        weak = (f'<p class="weak-heading">{wording.EVAL_WEAK_HEADING}</p><ul class="weak">'
                + "".join(f"<li>{html.escape(line)}</li>" for line in self.weak) + "</ul>") if self.weak else ""
        return (render.status(self.verdict, self.passed) + weak
                + render.table(wording.EVAL_CAPTION, self.headers, self.rows, numeric_from=1) + images)


def metric_explanations() -> str:
    """One plain line per metric, shown before anyone runs the evaluation."""
    items = "".join(f"<dt>{html.escape(wording.EVAL_COLUMNS[key].format(k='k'))}</dt><dd>{html.escape(line)}</dd>"
                    for key, line in wording.EVAL_EXPLAINED.items())
    return f'<dl class="metrics-explained">{items}</dl>'


class Evaluation:
    def __init__(self, live: LiveAssistant) -> None:
        self.live = live

    def run(self, progress: Callable[[float], None] = lambda fraction: None, items: Sequence | None = None) -> EvalView:
        from evals.dataset import load_items
        from evals.metrics import load_thresholds
        from evals.report import COLUMNS, write_charts
        from evals.runner import run_eval

        items = load_items() if items is None else list(items)
        counted = _Counted(self.live.current, len(items), progress)
        thresholds = load_thresholds()
        run = run_eval(counted, items, progress=False).judged(thresholds)
        names = {key: wording.EVAL_COLUMNS.get(key, label).format(k=run.retrieval_k) for key, label in COLUMNS}
        headers = (wording.EVAL_SET, *(_headed(names[key], thresholds.get(key)) for key, _ in COLUMNS))
        sets = [(wording.EVAL_OVERALL, run.overall), *run.categories.items()]
        rows = [(name, *(_judged(figures.get(key), thresholds.get(key)) for key, _ in COLUMNS))
                for name, figures in sets]
        weak = tuple(wording.EVAL_WEAK.format(category=name, metric=names[key], figure=_cell(figures[key]),
                                              threshold=_bound(thresholds[key]))
                     for name, figures in run.categories.items() for key, _ in COLUMNS
                     if key in thresholds and thresholds[key].missed_by(figures.get(key)))
        verdict = wording.EVAL_PASSED if not run.missed else wording.EVAL_MISSED.format(missed="; ".join(run.missed))
        with tempfile.TemporaryDirectory(prefix="send-eval-") as folder:
            charts = tuple((CHART_ALT.get(path.stem, path.stem.replace("_", " ")), path.read_bytes())
                           for path in map(Path, write_charts(run, Path(folder))))
        return EvalView(headers, tuple(rows), verdict, not run.missed, charts, weak)


class _Counted:
    """The assistant, reporting progress after each question (`run_eval` takes no progress callback)."""

    def __init__(self, assistant, total: int, progress: Callable[[float], None]) -> None:
        self._assistant, self._total, self._progress, self._done = assistant, max(total, 1), progress, 0

    def ask(self, *args, **kwargs):
        answer = self._assistant.ask(*args, **kwargs)
        self._done += 1
        self._progress(self._done / self._total)
        return answer

    def __getattr__(self, name: str):
        return getattr(self._assistant, name)


def _bound(threshold) -> str:
    return (wording.EVAL_AT_LEAST if threshold.bound == "min" else wording.EVAL_AT_MOST).format(value=threshold.value)


def _headed(name: str, threshold) -> str:
    return f"{name} ({_bound(threshold)})" if threshold is not None else name


def _judged(value: object, threshold) -> str:
    """The figure, marked in words when it misses its threshold."""
    missed = threshold is not None and threshold.missed_by(value)
    return f"{_cell(value)} {wording.EVAL_BELOW}" if missed else _cell(value)


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return str(value)
    return f"{value:.0f}" if value >= 10 else f"{value:.3f}"
