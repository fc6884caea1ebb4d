"""Parents' everyday words for what the plans call something else ("brothers and sisters" → "siblings").

Read from assistant/data/plain_words.txt. Used only to match questions to passages: the search adds the
plans' words to a question, and coverage counts a passage's plan word as the parent's word.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.settings import PROJECT_ROOT

PLAIN_WORDS = PROJECT_ROOT / "assistant" / "data" / "plain_words.txt"


@lru_cache(maxsize=1)
def _pairs() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    pairs = []
    for line in PLAIN_WORDS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            parents, plans = line.split("=")
            pairs.append((tuple(w.strip() for w in parents.split(",")), tuple(w.strip() for w in plans.split(","))))
    return tuple(pairs)


def _says(text: str, words: tuple[str, ...]) -> bool:
    """Whole words only; a figure stands alone ("4 priorities", not paragraph "4.4", heading "4." or "2024")."""
    return any(re.search(rf"(?<![\w.]){re.escape(word)}(?![\w.])" if word.isdigit() else rf"\b{re.escape(word)}\b",
                         text, re.IGNORECASE) for word in words)


def plans_words(question: str) -> str:
    """The plans' words for the parents' words in a question, to search with it."""
    return " ".join(plans[0] for parents, plans in _pairs() if _says(question, parents))


def parents_words(passage: str) -> str:
    """The parents' words for the plans' words in a passage, so a question in plain words still matches it."""
    return " ".join(" ".join(parents) for parents, plans in _pairs() if _says(passage, plans))
