"""Scores for one answer and for a set of them: correctness, citation quality, faithfulness, refusals, latency.

Definitions (evals/README.md has the formulas):
- correct: every required fact has at least one alternative in the answer (case-insensitive, from a word start).
- citation recall (ALCE): share of answer sentences supported by the union of the texts their own markers cite.
- citation precision (ALCE): share of citation uses that are needed; a use is irrelevant when its sentence is
  not supported with it either, or when it alone does not support the sentence and the others still do.
- faithfulness: share of answer sentences supported by the union of everything the answer cites.
- citation hit: some citation overlaps a gold quote (`passage_hits_gold`).
Support is decided by `core.support.claim_support`; no LLM judge runs.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.types import Answer, Citation
from core.errors import ConfigError
from core.support import citation_evidence, claim_support, normalise, split_claims
from core.text import percentile
from evals.dataset import EvalItem

if TYPE_CHECKING:
    import numpy as np

EvidenceOf = Callable[[Citation], list[str]]
HitsGold = Callable[[Citation], bool]
_MARKER = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")


@dataclass(frozen=True)
class SentenceCheck:
    text: str
    markers: tuple[int, ...]
    supported: bool             # by the texts its own markers cite (citation recall)
    grounded: bool              # by anything the answer cites (faithfulness)
    missing: tuple[str, ...]    # numbers/names absent from its cited texts
    irrelevant: tuple[int, ...]  # markers whose citation is not needed (citation precision)


@dataclass(frozen=True)
class AnswerScore:
    answerable: bool
    refused: bool
    correct: bool | None               # answerable items only
    missing_facts: tuple[str, ...]     # the first alternative of each required fact not found
    citation_recall: float | None      # None for refusals
    citation_precision: float | None
    faithfulness: float | None
    citation_hit: bool | None          # answerable items only; a refusal is a miss
    sentences: tuple[SentenceCheck, ...] = ()


class MemoEmbedder:
    """Embeds each distinct text once: the leave-one-out checks ask about the same texts many times."""

    def __init__(self, embedder) -> None:
        self.embedder, self.vectors = embedder, {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        fresh = list(dict.fromkeys(text for text in texts if text not in self.vectors))
        if fresh:
            self.vectors.update(zip(fresh, self.embedder.embed(fresh), strict=True))
        return np.stack([self.vectors[text] for text in texts])


def missing_facts(answer_text: str, required_facts: Iterable[Sequence[str]]) -> tuple[str, ...]:
    """Facts with no alternative in the answer: case-insensitive, starting at a word ("48" is not in "148",
    "disabilit" is in "disabilities"); three characters or fewer must be a whole word ("OT" is not in "pilot")."""
    text = normalise(_MARKER.sub("", answer_text)).casefold()
    return tuple(alternatives[0] for alternatives in required_facts
                 if not any(_found(normalise(alt).casefold(), text) for alt in alternatives))


def _found(alternative: str, text: str) -> bool:
    whole = r"(?!\w)" if len(alternative) <= 3 else ""
    return re.search(rf"(?<!\w){re.escape(alternative)}{whole}", text) is not None


def check_sentences(answer: Answer, embedder, evidence_of: EvidenceOf = citation_evidence) -> list[SentenceCheck]:
    """Each answer sentence against its own citations (recall, precision) and against all of them (faithfulness)."""
    cited = {c.marker: evidence_of(c) for c in answer.citations}
    everything = [text for texts in cited.values() for text in texts]

    def support(sentence: str, markers: Iterable[int]):
        return claim_support(sentence, [text for m in markers for text in cited.get(m, [])], embedder)

    checks = []
    for sentence, markers in split_claims(answer.answer):
        own = support(sentence, markers) if markers else None
        supported = bool(own and own.supported)
        grounded = supported or claim_support(sentence, everything, embedder).supported
        irrelevant = tuple(markers) if not supported else tuple(
            m for m in markers if len(markers) > 1 and not support(sentence, [m]).supported
            and support(sentence, [o for o in markers if o != m]).supported)
        checks.append(SentenceCheck(sentence, tuple(markers), supported, grounded, own.missing if own else (),
                                    irrelevant))
    return checks


def score_answer(item: EvalItem, answer: Answer, embedder, evidence_of: EvidenceOf = citation_evidence,
                 hits_gold: HitsGold | None = None) -> AnswerScore:
    if answer.refused:
        return AnswerScore(item.answerable, True, False if item.answerable else None,
                           tuple(alts[0] for alts in item.required_facts), None, None, None,
                           False if item.answerable else None)
    checks = check_sentences(answer, embedder, evidence_of)
    uses = sum(len(check.markers) for check in checks)
    needed = sum(len(check.markers) - len(check.irrelevant) for check in checks)
    missing = missing_facts(answer.answer, item.required_facts)
    hit = any(hits_gold(c) for c in answer.citations) if hits_gold else None
    return AnswerScore(
        answerable=item.answerable, refused=False,
        correct=not missing if item.answerable else None, missing_facts=missing,
        citation_recall=_share(check.supported for check in checks),
        citation_precision=needed / uses if uses else 0.0,
        faithfulness=_share(check.grounded for check in checks),
        citation_hit=hit if item.answerable else None, sentences=tuple(checks))


def summarise(scores: Sequence[AnswerScore], latencies_ms: Sequence[float]) -> dict[str, float | int | None]:
    """The set's figures; a figure with nothing to average over is None."""
    answerable = [s for s in scores if s.answerable]
    unanswerable = [s for s in scores if not s.answerable]
    answered = [s for s in scores if not s.refused]
    return {
        "questions": len(scores),
        "correctness": _mean(s.correct for s in answerable),
        "faithfulness": _mean(s.faithfulness for s in answered),
        "citation_recall": _mean(s.citation_recall for s in answered),
        "citation_precision": _mean(s.citation_precision for s in answered),
        "citation_hit": _mean(s.citation_hit for s in answerable if s.citation_hit is not None),
        "refusal_accuracy": _mean(s.refused for s in unanswerable),
        "false_refusal_rate": _mean(s.refused for s in answerable),
        "latency_p50_ms": percentile(latencies_ms, 50),
        "latency_p95_ms": percentile(latencies_ms, 95),
    }


def _share(flags: Iterable[bool]) -> float:
    flags = list(flags)
    return sum(flags) / len(flags) if flags else 1.0  # an answer with no sentences claims nothing


def _mean(values: Iterable[float | bool | None]) -> float | None:
    values = [float(v) for v in values if v is not None]
    return round(math.fsum(values) / len(values), 4) if values else None


THRESHOLDS = Path(__file__).with_name("thresholds.toml")
MIN_METRICS = ("correctness", "faithfulness", "citation_recall", "citation_precision", "citation_hit", "hit_at_k",
               "mrr", "refusal_accuracy")
MAX_METRICS = ("false_refusal_rate", "latency_p50_ms", "latency_p95_ms")


@dataclass(frozen=True)
class Threshold:
    metric: str
    bound: str  # "min" (a floor) or "max" (a ceiling)
    value: float

    def missed_by(self, figure: float | None) -> bool:
        """A figure the set cannot measure (no unanswerable items, say) misses nothing."""
        if figure is None:
            return False
        return figure < self.value if self.bound == "min" else figure > self.value

    def describe(self, figure: float | None) -> str:
        return f"{self.metric} {figure:g} {'<' if self.bound == 'min' else '>'} {self.bound} {self.value:g}"


def load_thresholds(path: Path = THRESHOLDS) -> dict[str, Threshold]:
    """`[min]` floors and `[max]` ceilings, keyed by metric name."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the thresholds ({exc}).") from exc
    thresholds = {}
    for bound, known in (("min", MIN_METRICS), ("max", MAX_METRICS)):
        for metric, value in raw.get(bound, {}).items():
            if metric not in known:
                raise ConfigError(f"{path}: [{bound}] {metric} is not a metric; known: {', '.join(known)}.")
            thresholds[metric] = Threshold(metric, bound, float(value))
    return thresholds


def missed_thresholds(figures: dict[str, float | None], thresholds: dict[str, Threshold]) -> list[str]:
    """One phrase per threshold missed, e.g. "correctness 0.62 < min 0.7"."""
    return [t.describe(figures[t.metric]) for t in thresholds.values() if t.missed_by(figures.get(t.metric))]
