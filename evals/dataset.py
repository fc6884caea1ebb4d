"""The fixed evaluation set (`evals/questions.jsonl`) as typed items, and where its gold quotes sit.

Each gold quote is located in its document once; a retrieved or cited passage "hits" the gold when it
overlaps that location, or when it is the same text in another file (the Lancashire action plan is
published twice, with and without TAB delimiters).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from core.text import squash

QUESTIONS = Path(__file__).with_name("questions.jsonl")
CATEGORIES = ("table_lookup", "number", "narrative", "acronym", "cross_council", "ambiguous", "follow_up",
              "unanswerable")


@dataclass(frozen=True)
class GoldEvidence:
    document: str
    quote: str


@dataclass(frozen=True)
class EvalItem:
    id: str
    category: str
    council: str | None
    question: str
    answerable: bool
    reference_answer: str
    required_facts: tuple[tuple[str, ...], ...]
    gold_evidence: tuple[GoldEvidence, ...]
    history: tuple[dict, ...] = field(default_factory=tuple)

    @classmethod
    def from_json(cls, raw: dict) -> EvalItem:
        return cls(
            id=raw["id"], category=raw["category"], council=raw.get("council"), question=raw["question"],
            answerable=bool(raw["answerable"]), reference_answer=raw["reference_answer"],
            required_facts=tuple(tuple(alternatives) for alternatives in raw["required_facts"]),
            gold_evidence=tuple(GoldEvidence(**gold) for gold in raw["gold_evidence"]),
            history=tuple(raw.get("history") or ()),
        )


def load_items(path: Path = QUESTIONS) -> list[EvalItem]:
    with path.open(encoding="utf-8") as handle:
        return [EvalItem.from_json(json.loads(line)) for line in handle if line.strip()]


def passage_hits_gold(document: str, start: int, end: int, text: str, gold: GoldEvidence, source: str | None) -> bool:
    if document == gold.document and source is not None:
        where = source.find(gold.quote)
        if where >= 0 and start < where + len(gold.quote) and where < end:
            return True
    passage, quote = squash(text), squash(gold.quote)
    return bool(passage) and (quote in passage or (len(passage) >= 20 and passage in quote))
