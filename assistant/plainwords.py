"""Parents' everyday words for what the plans call something else ("brothers and sisters" → "siblings").

Read from assistant/data/plain_words.txt. Used only to match questions to passages: the search adds the
plans' words to a question, and coverage counts a passage's plan word as the parent's word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from core.settings import PROJECT_ROOT

PLAIN_WORDS = PROJECT_ROOT / "assistant" / "data" / "plain_words.txt"


@dataclass(frozen=True)
class _Pair:
    parents: tuple[str, ...]
    plans: tuple[str, ...]
    parents_said: re.Pattern[str]  # any of the parents' words, as a whole word
    plans_said: re.Pattern[str]


def _said(words: tuple[str, ...]) -> re.Pattern[str]:
    """Whole words only; a figure stands alone ("4 priorities", not paragraph "4.4", heading "4." or "2024")."""
    return re.compile("|".join(rf"(?<![\w.]){re.escape(word)}(?![\w.])" if word.isdigit() else rf"\b{re.escape(word)}\b"
                               for word in words), re.IGNORECASE)


@lru_cache(maxsize=1)
def _pairs() -> tuple[_Pair, ...]:
    pairs = []
    for line in PLAIN_WORDS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            parents, plans = (tuple(w.strip() for w in side.split(",")) for side in line.split("="))
            pairs.append(_Pair(parents, plans, _said(parents), _said(plans)))
    return tuple(pairs)


def plans_words(question: str) -> str:
    """The plans' words for the parents' words in a question, to search with it."""
    return " ".join(pair.plans[0] for pair in _pairs() if pair.parents_said.search(question))


@lru_cache(maxsize=8192)  # passages are judged again and again, question after question
def parents_words(passage: str) -> str:
    """The parents' words for the plans' words in a passage, so a question in plain words still matches it."""
    return " ".join(" ".join(pair.parents) for pair in _pairs() if pair.plans_said.search(passage))
