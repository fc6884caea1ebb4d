"""Keyword (BM25) side of the index, with bm25s: exact words such as "JSNA" or "31 March 2025"
that embeddings blur. Persisted beside the chunks so a search process never re-tokenises the corpus.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN
from bm25s.tokenization import convert_tokenized_to_string_list

from core.errors import IndexStoreError
from core.text import NUMBER_WORDS

_STEMMER = Stemmer.Stemmer("english")


# Every word, one character long included: a label ("priority 5", "area C") is often the only term that tells
# one item of a list from the others.
_TOKEN = r"(?u)\b\w+\b"


def _with_digits(query: str) -> str:
    """Parents write "four priorities", plans write "4 priorities": search for both."""
    extra = [str(NUMBER_WORDS[word]) for word in re.findall(r"[a-z]+", query.lower()) if word in NUMBER_WORDS]
    return " ".join([query, *extra])


# …but not what is left of "Sefton's" and "don't" once the apostrophe splits them.
_STOPWORDS = [*STOPWORDS_EN, "s", "t", "d", "ll", "m", "re", "ve"]


def _tokenize(texts: Sequence[str]):
    return bm25s.tokenize(list(texts), token_pattern=_TOKEN, stopwords=_STOPWORDS, stemmer=_STEMMER,
                          show_progress=False)


class KeywordIndex:
    def __init__(self, retriever: bm25s.BM25, ids: list[str]) -> None:
        self.retriever = retriever
        self.ids = ids

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str]) -> KeywordIndex:
        retriever = bm25s.BM25()
        retriever.index(_tokenize(texts), show_progress=False)
        return cls(retriever, list(ids))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.retriever.save(str(folder))
        (folder / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        try:
            retriever = bm25s.BM25.load(str(folder))
            ids = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise IndexStoreError(f"The keyword index in {folder} is damaged ({exc}); "
                                  "run `send-assistant ingest --rebuild`.") from exc
        return cls(retriever, ids)

    def search(self, query: str, n: int, rows: np.ndarray | None = None) -> list[tuple[str, float]]:
        """The `n` best matches, among `rows` (row numbers, in the order the index was built; None: all); equal
        scores in index order. Every chunk is scored once and only the allowed ones are ranked: at England's size
        ranking all 100k scores took 7 ms, and a question comparing councils searches each of them."""
        tokens = _tokenize([_with_digits(query)])
        if not self.ids or not tokens.vocab:
            return []
        scores = self.retriever.get_scores(convert_tokenized_to_string_list(tokens)[0])
        matched = np.flatnonzero(scores > 0) if rows is None else rows[scores[rows] > 0]
        if len(matched) > n:  # the n best, and every chunk tied with the last of them
            matched = matched[scores[matched] >= np.partition(scores[matched], -n)[-n]]
        ranked = matched[np.lexsort((matched, -scores[matched]))][:n]
        return [(self.ids[int(row)], float(scores[row])) for row in ranked]
