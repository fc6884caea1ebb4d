"""Retrieval quality against the gold evidence: Hit@k and MRR over answerable, self-contained questions.

Follow-ups are left out here (their question only makes sense with the history, which `ask` resolves
before retrieving); they are scored end to end by the answer metrics instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.councils import index_council_matcher
from evals.dataset import EvalItem, passage_hits_gold
from vectorstore.index import Hit, HybridIndex


@dataclass(frozen=True)
class RetrievalScore:
    questions: int
    hit_at_k: float
    mrr: float
    misses: tuple[str, ...]


def first_gold_rank(index: HybridIndex, item: EvalItem, hits: list[Hit]) -> int | None:
    for rank, hit in enumerate(hits, 1):
        chunk = hit.chunk
        source = index.source_text(chunk.document)
        if any(passage_hits_gold(chunk.document, chunk.start, chunk.end, chunk.text, gold,
                                 source if gold.document == chunk.document else None)
               for gold in item.gold_evidence):
            return rank
    return None


def score_retrieval(index: HybridIndex, items: list[EvalItem], k: int = 5) -> RetrievalScore:
    labelled = [item for item in items if item.answerable and not item.history]
    ranks, misses = [], []
    matcher = index_council_matcher(index.council_names)
    for item in labelled:
        councils = matcher.mentioned(item.question) or None
        rank = first_gold_rank(index, item, index.search(item.question, k=k, councils=councils))
        ranks.append(rank)
        if rank is None:
            misses.append(item.id)
    hits = [rank for rank in ranks if rank is not None]
    return RetrievalScore(questions=len(labelled), hit_at_k=len(hits) / len(labelled),
                          mrr=sum(1 / rank for rank in hits) / len(labelled), misses=tuple(misses))
