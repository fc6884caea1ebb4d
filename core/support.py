"""Does cited text support a claim? A fast, offline check (no LLM judge) shared by the evals and LLM verification.

A claim is supported when (1) every number (dates, years, %, £ amounts) and every name or acronym it states
also appears in the evidence, and (2) its wording is mostly the evidence's own: at least 60 % of its stemmed
content words occur there, or (only consulted when the words fall short) MiniLM puts it within cosine 0.7 of
an evidence text or sentence. Text before a colon at the start of a clause is a label ("Target Date:", "In
Northshire, the plan's table lists:"), not a claim. Pass where a quote sits along with it (`citation_evidence`:
council, section, the row's column names), so that "In Northshire" or "marked under Priority 1" is supported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from core.text import STOP_WORDS, split_sentences

MIN_OVERLAP = 0.6
MIN_COSINE = 0.7

_MARKERS = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
_LABEL = re.compile(r"(?:^|(?<=: )|(?<=; ))[^.;:!\n]{1,160}?:(?=\s|$)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CAPITALISED = re.compile(r"(?<![\w'])([A-Z][A-Za-z0-9'&]*)")
_CLAUSE_START = re.compile(r"(?:^|[:;•(\"“‘]|[.!?])\s*$")
_NOT_NAMES = frozenset({"I", "A"})
_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


@dataclass(frozen=True)
class Support:
    supported: bool
    score: float              # 0..1
    missing: tuple[str, ...]  # numbers/names in the claim that are absent from the evidence


def normalise(text: str) -> str:
    """Straight quotes and dashes, one space: the evidence and the claim compared on equal terms."""
    return re.sub(r"\s+", " ", text.translate(_PLAIN)).strip()


def split_claims(answer_text: str) -> list[tuple[str, list[int]]]:
    """Answer sentences with the [n] markers each carries, markers stripped from the text.

    A sentence without a marker of its own takes the next marker group's: a marker at the end of a passage
    vouches for the sentences since the previous marker. Sentences after the last marker carry none.
    """
    pieces: list[tuple[str, list[int]]] = []
    cursor, last_group = 0, 0
    for match in _MARKERS.finditer(answer_text):
        markers = [int(n) for n in re.split(r"\s*,\s*", match.group(1))]
        pending = _sentences(answer_text[cursor:match.start()])
        if pending:
            last_group = len(pieces)
            pieces.extend((sentence, markers) for sentence in pending)
        else:  # "[1][2]": a second group vouches for the same sentences
            pieces[last_group:] = [(sentence, held + markers) for sentence, held in pieces[last_group:]]
        cursor = match.end()
    pieces.extend((sentence, []) for sentence in _sentences(answer_text[cursor:]))
    return pieces


def _sentences(text: str) -> list[str]:
    parts = (part.strip(" \t\n.,;:") for part in split_sentences(text))
    return [part for part in parts if re.search(r"\w", part)]


def claim_support(claim: str, evidence: Sequence[str], embedder) -> Support:
    body = _LABEL.sub(" ", normalise(_MARKERS.sub("", claim))).strip()
    sources = [normalise(text) for text in evidence if text and text.strip()]
    if not sources:
        return Support(False, 0.0, ())
    joined = " \n ".join(sources)
    checked = _numbers(body) | _names(body)
    missing = tuple(sorted(checked - (_numbers(joined) & checked) - {n for n in checked if _has_name(joined, n)}))
    words = _stems(body)
    if not words:  # only labels: the claim states nothing to check
        return Support(not missing, 0.0 if missing else 1.0, missing)
    overlap = len(words & _stems(joined)) / len(words)
    cosine = 0.0
    if not missing and overlap < MIN_OVERLAP:  # MiniLM only when the words alone don't decide
        passages = list(dict.fromkeys([*sources, *(part for text in sources for part in _sentences(text))]))
        vectors = embedder.embed([body, *passages])
        cosine = float((vectors[1:] @ vectors[0]).max())
    kept = 1 - len(missing) / len(checked) if checked else 1.0
    score = max(0.0, min(1.0, max(overlap, cosine) * kept))
    return Support(not missing and (overlap >= MIN_OVERLAP or cosine >= MIN_COSINE), round(score, 3), missing)


def citation_evidence(citation, columns: Sequence[str] = ()) -> list[str]:
    """What a citation vouches for: its quote and where the quote sits (council, section, the row's column names)."""
    return [text for text in (citation.text, citation.council, getattr(citation, "section", ""), *columns) if text]


def _numbers(text: str) -> set[str]:
    return {number.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+", number) else number
            for number in _NUMBER.findall(text)}


def _names(text: str) -> set[str]:
    """Acronyms anywhere; capitalised words unless they only start a sentence or clause."""
    names = set()
    for match in _CAPITALISED.finditer(text):
        word = re.sub(r"'s$", "", match.group(1)).rstrip("'")
        acronym = sum(ch.isupper() for ch in word) >= 2
        if word in _NOT_NAMES or len(word) < 2 or (not acronym and _CLAUSE_START.search(text[:match.start()])):
            continue
        names.add(re.sub(r"(?<=[A-Z])s$", "", word) if acronym else word)
    return names


def _has_name(text: str, name: str) -> bool:
    """As a whole word, in any case, possibly plural or possessive ("EHCPs", "Council's")."""
    return re.search(rf"(?<!\w){re.escape(name)}(?:'?s)?(?!\w)", text, re.IGNORECASE) is not None


def _stems(text: str) -> set[str]:
    words = [word.removesuffix("'s") for word in _WORD.findall(text.lower())]
    return set(_stemmer().stemWords([word for word in words if word not in STOP_WORDS and len(word) > 1]))


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")
