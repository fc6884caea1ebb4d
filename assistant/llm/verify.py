"""Keep only what the cited sources say: the check between a model's answer and the user.

The answer is split into sentences with `split_claims`, and each is checked with `claim_support`, the
same checker the evals score answers with (evals/support.py): it must carry [n] markers to sources
that support it, so every number and name it states appears in the cited text and its wording is
mostly theirs. Sentences that fail are removed, with a reason each.

Documents are data: a sentence of a source that addresses the assistant ("ignore previous
instructions…") is not evidence. It is left out of what a claim may rest on and out of citations,
and an answer sentence that uses words found only there is removed.

A claim rests on what its citation shows (`evidence_for`): the quoted slice, the council and section,
and the row's column names or the list's lead-in. Citations stay exact slices `source[start:end]`: a
kept source maps to the chunk sentence that best supports the sentences citing it, to the run of
sentences that together do, or to the whole chunk.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.evidence import key_terms
from assistant.injection import ADDRESSES_ASSISTANT
from assistant.llm.prompting import Source
from assistant.prompts import template
from assistant.sentences import Span, sentence_spans
from assistant.types import Answer, Citation, RefusalKind
from core.support import claim_support, normalise, split_claims
from core.text import split_sentences
from ingest.chunk import Chunk
from vectorstore.embedder import Embedder

_ABOUT_SOURCES = key_terms("source sources answer answers question questions number numbered")


@dataclass(frozen=True)
class Checked:
    """One answer sentence, the sources it cites (model numbering) and why it was dropped, if it was."""

    text: str
    markers: tuple[int, ...]
    reason: str = ""

    @property
    def supported(self) -> bool:
        return not self.reason


@dataclass(frozen=True)
class Verification:
    checked: tuple[Checked, ...]
    text: str                        # the kept sentences, markers renumbered 1..n in order of use
    citations: tuple[Citation, ...]

    @property
    def kept(self) -> list[Checked]:
        return [c for c in self.checked if c.supported]

    @property
    def dropped(self) -> list[Checked]:
        return [c for c in self.checked if not c.supported]

    @property
    def trustworthy(self) -> bool:
        """At least one sentence, and at least half of them, survived."""
        return bool(self.kept) and 2 * len(self.kept) >= len(self.checked)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(f"Sentence {i}: {c.reason}." for i, c in enumerate(self.checked, 1) if c.reason)


def verify(answer_text: str, sources: Sequence[Source], embedder: Embedder) -> Verification:
    by_number = {source.number: source for source in sources}
    evidence = {source.number: evidence_for(source.chunk, source.chunk.text) for source in sources}
    planted = set().union(*(key_terms(" ".join(_addressed(s.chunk.text))) for s in sources))
    checked: list[Checked] = []
    seen: set[str] = set()
    for sentence, markers in split_claims(answer_text):
        key = normalise(sentence).lower()
        if key in seen:
            continue  # a repeated sentence adds nothing; small models loop
        seen.add(key)
        checked.append(_check(sentence, markers, by_number, evidence, planted, embedder))
    return _assemble(checked, by_number, embedder)


def evidence_for(chunk: Chunk, quote: str) -> list[str]:
    """What a citation of `quote` (a slice of `chunk`) vouches for, minus any text addressed to the assistant."""
    fields = "; ".join(f"{name}: {value}" for name, value in chunk.fields.items()
                       if value and not ADDRESSES_ASSISTANT.search(value))
    kept = " ".join(_sentences(quote, addressed=False))
    return [text for text in (chunk.council, chunk.section, chunk.lead_in, fields, kept) if text]


def _check(sentence: str, markers: list[int], by_number: dict[int, Source], evidence: dict[int, list[str]],
           planted: set[str], embedder: Embedder) -> Checked:
    if not _states_something(sentence):
        return Checked(sentence, tuple(markers), "it states nothing a source could support")
    if not markers:
        return Checked(sentence, (), "it cites no source")
    cited = tuple(dict.fromkeys(n for n in markers if n in by_number))
    if not cited:
        return Checked(sentence, (), f"it cites [{', '.join(map(str, markers))}], which is not one of the sources")
    given = [text for n in cited for text in evidence[n]]
    if key_terms(sentence) & (planted - key_terms(" ".join(given))):
        return Checked(sentence, cited, "it repeats text in a source that addresses the assistant, not a fact "
                                        "of the plan")
    support = claim_support(sentence, given, embedder)
    if support.supported:
        return Checked(sentence, cited)
    councils = " and ".join(dict.fromkeys(by_number[n].chunk.council for n in cited))
    missing = f" (not there: {', '.join(support.missing)})" if support.missing else ""
    return Checked(sentence, cited, f"the {councils} source it cites does not support it{missing}")


def _assemble(checked: list[Checked], by_number: dict[int, Source], embedder: Embedder) -> Verification:
    renumber: dict[int, int] = {}
    sentences = []
    for claim in (c for c in checked if c.supported):
        for n in claim.markers:
            renumber.setdefault(n, len(renumber) + 1)
        marks = "".join(f"[{renumber[n]}]" for n in claim.markers)
        sentences.append(f"{claim.text} {marks}." if claim.text[-1] not in "!?" else f"{claim.text} {marks}")
    citations = []
    for n, marker in renumber.items():
        chunk = by_number[n].chunk
        span = _best_span(chunk, [c.text for c in checked if c.supported and n in c.markers], embedder)
        citations.append(Citation(marker=marker, chunk_id=chunk.chunk_id, document=chunk.document,
                                  council=chunk.council, title=chunk.title, section=chunk.section, text=span.text,
                                  start=span.start, end=span.end, context_start=chunk.start, context_end=chunk.end))
    return Verification(tuple(checked), " ".join(sentences), tuple(citations))


def _best_span(chunk: Chunk, claims: list[str], embedder: Embedder) -> Span:
    """The chunk sentence that supports every claim best; else the run of sentences that together do; else the chunk."""
    whole = Span(chunk, chunk.start, chunk.end, chunk.text)
    spans = [s for s in sentence_spans(chunk) if not ADDRESSES_ASSISTANT.search(s.text)]
    if len(spans) <= 1:
        return spans[0] if spans else whole
    best, best_score, useful = None, -1.0, []
    for span in spans:
        results = [claim_support(claim, evidence_for(chunk, span.text), embedder) for claim in claims]
        if any(r.supported for r in results):
            useful.append(span)
        score = sum(r.score for r in results)
        if all(r.supported for r in results) and score > best_score:
            best, best_score = span, score
    if best is not None:
        return best
    if useful:
        start, end = useful[0].start, useful[-1].end
        run = Span(chunk, start, end, chunk.text[start - chunk.start:end - chunk.start])
        if all(claim_support(claim, evidence_for(chunk, run.text), embedder).supported for claim in claims):
            return run
    return whole


def drop_addressed(answer: Answer) -> Answer:
    """The answer without sentences that cite a passage addressing the assistant; a refusal if none is left.

    The extractive path quotes the best-matching passage, which can be a planted instruction; the fallback
    must not hand it to the user any more than a generated answer may.
    """
    planted = {c.marker for c in answer.citations if ADDRESSES_ASSISTANT.search(c.text)}
    if not planted:
        return answer
    kept: list[str] = []
    for segment in _segments(answer.answer):
        markers = {int(n) for n in re.findall(r"\[(\d+)\]", segment)}
        if not markers & planted:
            kept.append(segment)
    citations = [c for c in answer.citations if c.marker not in planted and f"[{c.marker}]" in "".join(kept)]
    note = template("llm_planted_note.txt").fill(removed=len(planted))
    if not citations:
        refusal = template("refusal_no_evidence.txt").fill(scope="the plans I have")
        return Answer(question=answer.question, answer=refusal, refused=True, refusal_kind=RefusalKind.NO_EVIDENCE,
                      answered_by=answer.answered_by, notes=answer.notes + (note,), timings_ms=answer.timings_ms)
    renumber = {c.marker: i for i, c in enumerate(citations, 1)}
    text = re.sub(r"\[(\d+)\]", lambda m: f"[{renumber.get(int(m.group(1)), m.group(1))}]", "".join(kept)).strip()
    return replace(answer, answer=text, citations=tuple(replace(c, marker=renumber[c.marker]) for c in citations),
                   notes=answer.notes + (note,))


def _segments(text: str) -> list[str]:
    """Answer text cut after each group of [n] markers; text with no marker of its own joins the one before."""
    pieces = re.split(r"((?:\s*\[\d+\])+\.?)", text)
    segments: list[str] = []
    for body, markers in zip(pieces[::2], [*pieces[1::2], ""]):
        if markers or not segments:
            segments.append(body + markers)
        else:
            segments[-1] += body
    return segments


def _states_something(sentence: str) -> bool:
    """Not a bare lead-in ("The sources are:"), not talk about the sources, not only words every plan uses."""
    return bool(re.search(r"\w", sentence.rsplit(":", 1)[-1])) and bool(key_terms(sentence) - _ABOUT_SOURCES)


def _sentences(text: str, addressed: bool) -> list[str]:
    """The sentences of a quote that do (or do not) address the assistant."""
    parts = split_sentences(text, lines=True, any_case=True)
    return [part for part in parts if bool(ADDRESSES_ASSISTANT.search(part)) == addressed]


def _addressed(text: str) -> list[str]:
    return _sentences(text, addressed=True)
