"""What one evaluation run produced: each item's answer and score, and the set's figures.

Its own module so the runner (which makes runs) and the report (which prints them) both import it and not
each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.types import Answer
from evals.dataset import EvalItem
from evals.metrics import AnswerScore, Threshold, missed_thresholds

RETRIEVAL_K = 5


@dataclass(frozen=True)
class ItemResult:
    item: EvalItem
    answer: Answer
    latency_ms: float
    score: AnswerScore


@dataclass(frozen=True)
class EvalRun:
    results: tuple[ItemResult, ...]
    overall: dict[str, float | int | None]
    categories: dict[str, dict[str, float | int | None]]
    retrieval_misses: tuple[str, ...] = ()
    retrieval_k: int = RETRIEVAL_K
    thresholds: dict[str, Threshold] = field(default_factory=dict)
    missed: tuple[str, ...] = ()  # thresholds missed, one phrase each

    def judged(self, thresholds: dict[str, Threshold]) -> EvalRun:
        return EvalRun(self.results, self.overall, self.categories, self.retrieval_misses, self.retrieval_k,
                       thresholds, tuple(missed_thresholds(self.overall, thresholds)))
