"""Text helpers every layer shares, defined once: sentence ends with exact offsets, stop words, number words,
passage comparison and percentiles.

One splitter serves chunking (plans' formal prose), evidence spans, claim checking and questions. Plans write
"e.g. the Local Offer", "St. Helens", "No. 5" and numbered paragraphs ("3. The council will…"); none of those
full stops ends a sentence. Questions are typed in lower case, so `any_case=True` ends a sentence before a
small letter too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import numpy as np

_END = re.compile(r"(?<=[.!?])[\"”’')]?\s+")
_STARTS_SENTENCE = re.compile(r"[A-Z0-9“\"‘'(£]")
_LINE_BREAKS = re.compile(r"\n+")
# Words whose full stop marks an abbreviation, not the end of a sentence (compared in lower case).
ABBREVIATIONS = frozenset("e.g i.e eg ie cf vs approx no nos st dr mr mrs ms cllr prof para paras fig ref tel".split())
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?]$")
_NUMBER_AT_LINE_START = re.compile(r"(?:^|\n)[ \t]*\d{1,2}(?:\.\d{1,2})*$")

STOP_WORDS = frozenset("""a about above after again all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has have having he
her here hers him his how i if in into is it its itself just may me might more most must my no nor not now of off on
once only or other our ours out over own same shall she should so some such than that the their theirs them then there
these they this those through to too under until up upon very was we were what when where which while who whom why
will with within would you your yours s""".split())

# The months, as plans write them in full
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12}


def sentence_ends(text: str, start: int = 0, end: int | None = None, *, lines: bool = False,
                  any_case: bool = False) -> Iterator[tuple[int, int]]:
    """Each sentence boundary in `text[start:end]` as (where the sentence ends, where the next one starts).

    `lines`: a line break also ends a sentence (lists, bullets, table lines). `any_case`: the next sentence may
    start with a small letter (people's questions).
    """
    end = len(text) if end is None else end
    breaks: list[tuple[int, int]] = []
    for match in _END.finditer(text, start, end):
        if match.end() >= end or not (any_case or _STARTS_SENTENCE.match(text, match.end())):
            continue
        stop = match.start() + len(match.group(0).rstrip())
        if _is_abbreviation(text, start, match.start()):
            continue
        breaks.append((stop, match.end()))
    if lines:
        for match in _LINE_BREAKS.finditer(text, start, end):
            breaks.append((match.start(), match.end()))
    yield from _merged(sorted(breaks))


def _is_abbreviation(text: str, start: int, stop_at: int) -> bool:
    before = text[max(start, stop_at - 40):stop_at]
    if not before.endswith("."):
        return False
    word = _WORD_BEFORE.search(before)
    if word is None:
        return False
    token = word.group(1).lower()
    single_initial = len(token) == 1 and token.isalpha() and before[-2].isupper()
    return token in ABBREVIATIONS or single_initial or bool(_NUMBER_AT_LINE_START.search(before[:-1]))


def _merged(breaks: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Overlapping boundaries ("…end.\\n\\nNext") become one."""
    current: tuple[int, int] | None = None
    for stop, resume in breaks:
        if current is not None and stop <= current[1]:
            current = (min(current[0], stop), max(current[1], resume))
            continue
        if current is not None:
            yield current
        current = (stop, resume)
    if current is not None:
        yield current


def split_sentences(text: str, *, lines: bool = False, any_case: bool = False) -> list[str]:
    """The sentences of `text` (untrimmed slices between boundaries, empty ones dropped)."""
    pieces, begin = [], 0
    for stop, resume in sentence_ends(text, lines=lines, any_case=any_case):
        pieces.append(text[begin:stop])
        begin = resume
    pieces.append(text[begin:])
    return [piece for piece in pieces if piece.strip()]


def squash(text: str) -> str:
    """Compare passages across exports: whitespace (TABs included) collapsed, case folded."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), in the values' unit; None for no values."""
    return round(float(np.percentile(values, q)), 1) if len(values) else None
