"""The one function that answers questions: the CLI, the web app and the evals all call `Assistant.ask`.

question → checks (bad input, other language, another council, advice about one child) → follow-up
resolution → hybrid search (restricted to the councils named) → evidence scoring → refusal or a
composed answer with exact citations (a second question in the same message answered after the first).
A refusal is a normal outcome, not an exception.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Protocol

from assistant import gate
from assistant.answerkinds import ASKS_WHO
from assistant.budget import Deadline, OutOfTime
from assistant.compose import Claim, assemble, claim_for_definition, claim_for_heading, claim_for_span
from assistant.councils import CouncilMatcher, index_council_matcher
from assistant.evidence import (
    BARE_VALUE_WORDS,
    EvidenceScorer,
    ScoredSpan,
    counted_list,
    heading_counts,
    heading_with_label,
    introduces_the_items,
    is_bare_value,
    is_status_line,
    is_covered,
    item_labels,
    item_named,
    key_terms,
    labels_pointed_at,
    numbers_in,
    span_evidence,
    term_coverage,
    without_ages,
)
from assistant.followup import (
    answers_follow_up,
    around_ids,
    asks_what_next,
    next_after,
    previous_answer,
    previous_question,
    refers_back,
    resolve,
    split_compound,
    the_ask,
)
from assistant.glossary import Glossary, acronyms_asked_about, find_definitions
from assistant.plain import opening_lines
from assistant.plainwords import plans_words
from assistant.prompts import template
from assistant.question import clean_question, institutions_in, names_in, recent_history
from assistant.sentences import (
    Span,
    nested_items_end,
    overlaps,
    with_continuation,
    with_what_it_refers_to,
)
from assistant.types import Answer, RefusalKind
from core.errors import BadQuestionError
from core.settings import Settings, load_settings
from core.text import squash
from ingest.chunk import Chunk, neighbour_id
from vectorstore.embedder import Embedder
from vectorstore.index import Hit, HybridIndex

LOG = logging.getLogger("send_assistant")
SEARCH_K = 8
KEYWORD_K = 3         # the best keyword matches are always read as well
LISTED_CHARS = 1200   # a lead-in is quoted with the list after it up to this length
OWN_TOPIC_TERMS = 3     # a follow-up with this many key terms is also searched on its own
FOLLOW_UP_ANCHORS = 2   # passages taken as the previous answer: a follow-up is about them or their neighbours
PER_COUNCIL_K = 4       # hits per council when a question compares councils
COUNCIL_MARGIN = 0.06   # another council's best evidence this close to the best is answered too
MAX_COUNTED_COUNCILS = 4
COMPARE_MARGIN = 0.2    # "which councils…?" and questions naming several councils answer for each of them
_WHEN_WORDS = "next last this year month week term today soon"
MIN_SERVICE_TERMS = 2   # "Will my son get an EHCP?" names no service the plans could describe: refused
PERSONAL_COVERAGE = 0.5  # …and a question about one child is answered only by a passage about most of what it asks
PER_COUNCIL = 3         # a second and third passage from the same council when they are almost as relevant
PER_COUNCIL_SEVERAL = 4  # …or up to four, for "what happened to X?" or "which actions are late?"
SAME_COUNCIL_MARGIN = 0.12
COMPLETING_MARGIN = 0.2  # a passage holding what the chosen ones lack may be this much less relevant
MIN_PARTS_TERMS = 4      # …in a question with enough key words to ask more than one thing
_COMPARES = re.compile(r"\bwhich (?:councils|areas)\b|\beach (?:council|area)\b|\bdifferent (?:councils|areas)\b"
                       r"|\bcompar|\ball (?:the )?councils\b|\bany councils?\b|\bacross (?:the )?councils\b"
                       r"|\bother (?:councils|areas)\b|\belsewhere\b", re.IGNORECASE)
# "What happened to the Access Pathway?" is answered by everything done about it: the petition, the review…
# "What has happened to X?" and "which of the aims end in March?" may be answered by several passages of a plan
# (which councils do something is a comparison, answered council by council)
_ASKS_SEVERAL = re.compile(r"\bwhat(?:'s|’s| has)? happened\b|\bwhat (?:has|have) (?:been|they|we) done\b"
                           r"|\bwhich (?:of (?:the|its|their) )?(?:[\w-]+ ){0,2}?(?!(?:councils|areas|does|is|has|was|goes|this)\b)"
                           r"[\w-]+s (?:(?!(?:is|has|was|and|what|who|when|where|how)\b)[\w’'-]+ ){0,6}?(?:are|were|have)\b",
                           re.IGNORECASE)
# "which of the actions are rated amber?", "which milestones are complete?": rows filtered by a cell's word
_ROWS_MARKED = re.compile(r"\bwhich (?:of (?:the|its|their|[\w’']+(?:'s|’s)) )?(?:[\w-]+ ){0,4}?(?:are|were|is|was) "
                          r"(?:(?:flagged|rated|marked|shown|currently|now|still|as) )*(?P<mark>[a-z]+)\b", re.IGNORECASE)
MAX_MARKED_ROWS = 8
# A report's header and contact lines ("Telephone Number: …", "Date of Meeting: …") are the document's own details:
# they answer a question about the document, never "what is the phone number for my son's school?"
_ABOUT_THE_DOCUMENT = re.compile(r"\b(?:report|paper|document|plan|strategy|cabinet|committee|meeting|decision|"
                                 r"author|officer|wards?|portfolio)\b", re.IGNORECASE)
_ASKS_WHAT_ARE = re.compile(r"\b(?:what|which) (?:are|were)\b", re.IGNORECASE)
_ASKS_LIST = re.compile(r"^\s*(?:what|which) (?:are|were)\b|\bwhat .* (?:include|includes)\b|\blist\b|\bhow will\b",
                        re.IGNORECASE)


class Generator(Protocol):
    """An LLM answer path (assistant/llm/): given the evidence and the extractive answer, yield the model's
    draft text, then the verified answer, or the extractive one (with a note) when it cannot be trusted."""

    def stream(self, question: str, history: Sequence[dict], hits: list[Hit],
               extractive: Answer) -> Iterator[str | Answer]: ...


@dataclass(frozen=True)
class Found:
    claims: list[Claim]
    query: str          # the question as searched (with the previous one, for a follow-up)
    hits: list[Hit]
    councils: list[str] | None


class Assistant:
    def __init__(self, settings: Settings, index: HybridIndex, generator: Generator | None = None) -> None:
        self.settings = settings
        self.index = index
        self.generator = generator

    @classmethod
    def from_settings(cls, settings: Settings | None = None, embedder: Embedder | None = None) -> Assistant:
        """The index, and the LLM generator when SEND_ASSISTANT_BACKEND (or --backend) asks for one."""
        settings = settings or load_settings()
        index = HybridIndex.open(settings, embedder)
        generator = None
        if settings.backend != "extractive":
            from assistant.llm.generator import LLMGenerator

            generator = LLMGenerator.from_settings(settings, index.embedder)
        return cls(settings, index, generator)

    @cached_property
    def councils(self) -> CouncilMatcher:
        return index_council_matcher(self.index.council_names)

    @cached_property
    def glossary(self) -> Glossary:
        return Glossary([definition for document in self.index.manifest.documents
                         for definition in find_definitions(document, self.index.source_text(document))])

    @cached_property
    def scorer(self) -> EvidenceScorer:
        return EvidenceScorer(self.index.embedder, self.glossary, self.index.span_vector)

    def ask(self, question: str, history: Sequence[dict] = (), council: str | None = None) -> Answer:
        *_, final = self.ask_stream(question, history, council)
        self._log(final)
        return final

    def _log(self, answer: Answer) -> None:
        """One line per question; its text only when the operator opted in (parents describe their children)."""
        said = f" question={answer.question!r}" if self.settings.log_questions else ""
        LOG.info("answered refused=%s kind=%s citations=%d by=%s total_ms=%s%s", answer.refused,
                 answer.refusal_kind, len(answer.citations), answer.answered_by, answer.timings_ms.get("total"), said)

    def ask_stream(self, question: str, history: Sequence[dict] = (),
                   council: str | None = None) -> Iterator[str | Answer]:
        """With an LLM backend: the model's draft pieces (str), then the verified Answer. Otherwise just the Answer."""
        began = time.perf_counter()
        history, trimmed = recent_history(history, self.settings)
        answer, query, hits, retrieved = self._extractive(question, history, council, began)
        if trimmed:
            answer = replace(answer, notes=answer.notes + (template("history_trimmed.txt").fill(
                messages=len(history)).strip(),))
        if answer.refused or self.generator is None:
            yield answer
            return
        for item in self.generator.stream(query, history, hits, answer):
            if isinstance(item, Answer):
                item = replace(item, timings_ms=_timings(began, retrieved, time.perf_counter()))
            yield item

    def _extractive(self, question: str, history: Sequence[dict], council: str | None,
                    began: float) -> tuple[Answer, str, list[Hit], float]:
        try:
            cleaned = clean_question(question, self.settings)
        except BadQuestionError as exc:
            refusal = _refusal(question if isinstance(question, str) else "", RefusalKind.BAD_INPUT,
                               template("refusal_bad_input.txt").fill(reason=str(exc)), began)
            return refusal, "", [], began
        if gate.asks_about_ones_own(cleaned):
            return _refusal(cleaned, RefusalKind.PERSONAL, template("refusal_ones_own.txt").text, began), cleaned, [], began
        early = self._gate(cleaned, council)
        if early is not None:
            return _refusal(cleaned, *early, began), cleaned, [], began
        personal = gate.is_personal(cleaned)  # answered only by what the plans say about the service it asks about
        if gate.asks_for_advice(cleaned) or (personal and len(_service_terms(cleaned)) < MIN_SERVICE_TERMS):
            refusal = _refusal(cleaned, RefusalKind.PERSONAL, template("refusal_personal.txt").text, began)
            return refusal, cleaned, [], began
        deadline = Deadline.after(self.settings.answer_budget_s)
        try:
            found = self._find(cleaned, history, council, personal, deadline)
            parts = split_compound(the_ask(cleaned))  # a story before the question is not its first half
            claims = (self._two_questions(parts, found.claims, history, council, personal, deadline) if parts
                      else found.claims)
        except OutOfTime:
            refusal = _refusal(cleaned, RefusalKind.TIME_LIMIT, template("refusal_time_limit.txt").text, began)
            return refusal, cleaned, [], time.perf_counter()
        retrieved = time.perf_counter()
        if not claims:
            councils = found.councils
            scope = "the plans from " + _in_words(councils) if councils else "the plans I have"
            kind, message = ((RefusalKind.PERSONAL, template("refusal_personal.txt").text) if personal else
                             (RefusalKind.NO_EVIDENCE, template("refusal_no_evidence.txt").fill(scope=scope)))
            return _refusal(cleaned, kind, message, began, retrieved), found.query, found.hits, retrieved
        leads = opening_lines(cleaned, claims, self.glossary, self._definition_in)
        text, citations = assemble(claims, leads)
        answer = Answer(question=cleaned, answer=text, refused=False, citations=citations,
                        caveat=template("answer_personal_caveat.txt").text.strip() if personal else "",
                        timings_ms=_timings(began, retrieved, time.perf_counter()))
        return answer, found.query, found.hits, retrieved

    def _two_questions(self, parts: tuple[str, str], whole: list[Claim], history: Sequence[dict],
                       council: str | None, personal: bool, deadline: Deadline) -> list[Claim]:
        """ "What is the DSR and who manages it?": the second question is a follow-up to the first. When the whole
        matches no passage, each half is tried, and then both must be answered: half an answer to two questions
        reads as the whole answer."""
        first, second = parts
        claims = whole or self._find(first, history, council, personal, deadline).claims
        if not claims or (whole and deadline.expired()):
            return claims  # out of time: the answer to the whole question found so far
        shown = [Span(claim.chunk, claim.start, claim.end, claim.quote) for claim in claims]
        asked_first = [{"role": "user", "content": resolve(first, history)}]  # "What's the ITB? Who chairs it, and…"
        named = councils_asked_about(self.councils, first, history) or []
        if council is None and len(named) == 1 and not self.councils.mentioned(second):
            council = named[0]  # "…did Northshire go back through, and which years did the previous strategy run for?"
        more = self._find(second, asked_first, council, personal, deadline, shown).claims
        if not whole and not more:
            return []
        return claims + [claim for claim in more if not any(_within(claim, earlier) for earlier in claims)]

    def _find(self, cleaned: str, history: Sequence[dict], council: str | None, personal: bool, deadline: Deadline,
              shown: list[Span] | None = None) -> Found:
        """Search (with the history for a follow-up) and choose the passages that answer; `shown` are the passages
        of the previous answer when they are known (the first half of a two-part question). Raises `OutOfTime`
        between stages once `deadline` has passed."""
        deadline.check()
        query = resolve(cleaned, history)
        councils = [council] if council else councils_asked_about(self.councils, cleaned, history)
        # "brothers and sisters" finds "siblings", "joint needs assessment" finds "JSNA"
        searched = " ".join([query, plans_words(query), *self._acronyms_spelled_nearly(query)]).strip()
        # the council is the search's filter, not its topic: "Mid Northshire's strategy" would otherwise
        # retrieve every passage that names the council (the passages found are then judged on the whole question)
        topic = self.councils.without_names(searched) if councils else searched
        # a second reading, searched and judged beside the first: the question sentence in a parent's story ("My
        # daughter is 7 and deaf. What help is there at secondary transfer?"); the second half of a two-part
        # question, on its own words (it was searched with the first); a follow-up that names a topic of its own,
        # together with the question before it ("whose idea was that section?" after one about the section)
        ask = cleaned if shown else the_ask(cleaned)
        earlier = None if shown else previous_question(history)
        if ask != cleaned or (shown and query != cleaned):
            second = ask
        else:
            second = f"{earlier} {cleaned}" if earlier is not None and query == cleaned else None
        follow_up = query != cleaned and not shown
        # "who's the contact officer?" may need no history; "how often do they review the arrangements?" names its topic
        searched_alone = follow_up and (not refers_back(cleaned) or len(key_terms(cleaned)) >= OWN_TOPIC_TERMS)
        # every text this question needs embedded, at once (a core each): each vector is the one it would have alone
        texts = [searched, topic, *([second] if second else []), *([earlier] if follow_up and earlier else []),
                 *([cleaned] if searched_alone else [])]
        vectors = dict(zip(texts, self.index.embedder.embed_queries(texts)))
        hits = self._retrieve(cleaned, topic, councils, vectors[topic])
        if second:
            hits += self._unseen(self._retrieve(cleaned, second, councils, vectors[second]),
                                 {hit.chunk.chunk_id for hit in hits})
        deadline.check()
        answered_before = [] if query == cleaned else shown or (
            self._answered_before(history, councils, vectors[earlier]) if earlier else [])
        deadline.check()
        if searched_alone:
            hits += self._unseen(self._retrieve(cleaned, cleaned, councils, vectors[cleaned]),
                                 {hit.chunk.chunk_id for hit in hits})
        hits += self._around(answered_before, {hit.chunk.chunk_id for hit in hits})
        for named in _named_alone(cleaned):
            hits += self._unseen(self.index.search(named, PER_COUNCIL_K, councils), {hit.chunk.chunk_id for hit in hits})
        deadline.check()
        # the council's name says where to look, not what is asked ("Central Bedfordshire" is not about "central")
        scored = self.scorer.score(self.councils.without_names(query), vectors[searched], hits,
                                   (second, vectors[second]) if second else None)
        if shown:  # the second half of a two-part question asks what the first half's answer did not say
            scored = [s for s in scored if not any(_within(s.span, quoted) or _within(quoted, s.span) for quoted in shown)]
        definitions = self._definition_claims(cleaned, councils)
        if definitions and not _asks_beyond_definition(cleaned, self.councils.without_names(cleaned)):
            return Found(definitions, query, hits, councils)
        claims = (self._next_claims(cleaned, answered_before, scored)
                  or self._claims(query, cleaned, answers_follow_up(cleaned, scored, answered_before,
                                                                    previous_question(history) or "",
                                                                    previous_answer(history))
                                  if answered_before else scored, PERSONAL_COVERAGE if personal else 0.0, ask))
        claims = self._with_rows_marked(cleaned, claims)
        # "What is a WSoA and why does the area have one?": the definition, then what else was asked
        # (a sentence that holds the definition says it already)
        return Found([d for d in definitions if not any(_within(d, claim) for claim in claims)]
                     + [claim for claim in claims if not any(_within(claim, d) for d in definitions)], query, hits, councils)

    def _retrieve(self, question: str, query: str, councils: list[str] | None, vector) -> list[Hit]:
        """One search, or one per council when the question compares councils, so none is crowded out; and the
        best keyword matches, which a long chunk's diluted meaning can push out of the search."""
        if not (_COMPARES.search(question) or (councils and len(councils) > 1)):
            hits = self.index.search(query, SEARCH_K, councils, query_vector=vector)
        else:
            hits = [hit for each in (councils or self.index.councils)
                    for hit in self.index.search(query, PER_COUNCIL_K, [each], query_vector=vector)]
        keyword = self.index.keyword_hits(query, KEYWORD_K, councils)
        return hits + self._unseen(keyword, {hit.chunk.chunk_id for hit in hits})

    def _answered_before(self, history: Sequence[dict], councils: list[str] | None, vector) -> list[Span]:
        """The passages that answered the previous question (`vector` is its own): a follow-up is about them, or
        right next to them."""
        earlier = previous_question(history)
        scored = self.scorer.score(earlier, vector, self._retrieve(earlier, earlier, councils, vector))
        anchors = [s.span for s in scored if is_covered(earlier, s)]
        said = previous_answer(history)  # the passages the person was shown come first
        return sorted(anchors, key=lambda span: -term_coverage(key_terms(span.text), said))[:FOLLOW_UP_ANCHORS]

    @staticmethod
    def _unseen(hits: list[Hit], seen: set[str]) -> list[Hit]:
        return [hit for hit in hits if hit.chunk.chunk_id not in seen]

    def _around(self, spans: list[Span], seen: set[str]) -> list[Hit]:
        """The chunks holding these passages and their neighbours, unless already retrieved."""
        return self._unseen([Hit(self.index.chunks[chunk_id], 0.0) for chunk_id in around_ids(spans)
                             if chunk_id in self.index.chunks], seen)

    def _next_claims(self, question: str, answered_before: list[Span], scored: list[ScoredSpan]) -> list[Claim]:
        """ "And what happens after that?": the passage that follows the previous answer."""
        if not answered_before or not asks_what_next(question):
            return []
        following = next_after(answered_before, [s.span for s in scored])
        return [claim_for_span(with_continuation(following), asks_who=False)] if following else []

    def _gate(self, question: str, council: str | None) -> tuple[RefusalKind, str] | None:
        if gate.is_other_language(question):
            return RefusalKind.OTHER_LANGUAGE, template("refusal_other_language.txt").text
        other = None if council else self.councils.unindexed(question)
        if other is not None:
            known = _in_words(self.index.councils)
            return RefusalKind.UNKNOWN_COUNCIL, template("refusal_unknown_council.txt").fill(known=known, council=other)
        # "How many pupils are at Oakfield Academy?": a school, service or person no indexed plan names cannot be
        # answered from them (a town the parent lives in may well be, so only such names count)
        unmentioned = [name for name in institutions_in(self.councils.without_names(question))
                       if any(len(word) > 2 and not self._written(word) and not _acronym(word)
                              for word in re.findall(r"[A-Za-z]+", name))]
        if unmentioned:
            return RefusalKind.NO_EVIDENCE, template("refusal_unmentioned.txt").fill(names=_in_words(unmentioned))
        return None

    def _written(self, word: str) -> bool:
        """Whether the plans write this word, or its singular ("SENCOs", "ICSs")."""
        lowered = word.lower()
        return any(form in self.vocabulary for form in (lowered, lowered.removesuffix("s"), lowered.removesuffix("es")))

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every word the indexed plans write, lower-cased."""
        return frozenset(word.lower() for document in self.index.manifest.documents
                         for word in re.findall(r"[A-Za-z]+", self.index.source_text(document)))

    def _acronyms_spelled_nearly(self, question: str) -> list[str]:
        """A council's own name ("North Northshire Council") is the council filter's business, not a term."""
        return [definition.acronym for definition in self.glossary.spelled_nearly(question)
                if not self.councils.mentioned(definition.expansion)]

    def _definition_claims(self, question: str, councils: list[str] | None) -> list[Claim]:
        """Each acronym the question asks about ("what do LAP and PFA stand for?"), as its plan defines it."""
        claims = []
        for acronym in acronyms_asked_about(question):
            definitions = [d for d in self.glossary.lookup(acronym) if not councils
                           or set(self.index.manifest.documents[d.document].named_councils) & set(councils)]
            for definition in definitions[:1]:
                chunk = self._chunk_near(definition.document, definition.start)
                quote = self.index.source_text(definition.document)[definition.start:definition.end]
                claims.append(claim_for_definition(definition, chunk, quote))
        return claims

    def _definition_in(self, acronym: str, document: str) -> Claim | None:
        """The acronym as the plans of this document's councils define it (its own document first)."""
        councils = set(self.index.manifest.documents[document].named_councils)
        definitions = sorted((d for d in self.glossary.lookup(acronym)
                              if set(self.index.manifest.documents[d.document].named_councils) & councils),
                             key=lambda d: d.document != document)
        if not definitions:
            return None
        definition = definitions[0]
        quote = self.index.source_text(definition.document)[definition.start:definition.end]
        return claim_for_definition(definition, self._chunk_near(definition.document, definition.start), quote)

    def _chunk_near(self, document: str, offset: int):
        chunks = self._chunks_of(document)
        return next((c for c in chunks if c.end > offset), chunks[-1])

    def _with_rows_marked(self, question: str, claims: list[Claim]) -> list[Claim]:
        """ "Which of the actions are amber?", "which milestones are complete?": every row of the table an answer quotes
        whose cell holds the word asked for, in the plan's order, and none of its rows marked otherwise."""
        marked = _ROWS_MARKED.search(question)
        if marked is None:
            return claims
        word = marked.group("mark").lower()

        def holds(chunk: Chunk) -> bool:
            return any(value.strip().lower() == word for value in chunk.fields.values())
        table = next(((claim.chunk.document, tuple(claim.chunk.fields)) for claim in claims
                      if claim.chunk.kind == "table_row" and holds(claim.chunk)), None)
        if table is None:
            return claims

        def in_table(chunk: Chunk) -> bool:
            return chunk.kind == "table_row" and (chunk.document, tuple(chunk.fields)) == table
        kept = [claim for claim in claims if not in_table(claim.chunk) or holds(claim.chunk)]
        quoted = {(claim.chunk.document, claim.start) for claim in kept}
        rows = [chunk for chunk in self._chunks_of(table[0])
                if in_table(chunk) and holds(chunk) and (chunk.document, chunk.start) not in quoted]
        return kept + [claim_for_span(Span(row, row.start, row.end, row.text), asks_who=False)
                       for row in rows[:MAX_MARKED_ROWS]]

    def _chunks_of(self, document: str) -> list[Chunk]:
        """A document's chunks in the order it reads."""
        return sorted((c for c in self.index.chunks.values() if c.document == document), key=lambda c: c.start)

    def _claims(self, query: str, question: str, scored: list[ScoredSpan], least_coverage: float = 0.0,
                asked: str | None = None) -> list[Claim]:
        """The best covered evidence per council, for every council whose evidence is nearly as good as the best.
        `asked` is the question sentence after a parent's story: the figures and the kind of answer wanted are its."""
        covered = [s for s in scored if is_covered(query, s, asked or question) and s.coverage >= least_coverage
                   and (s.span.chunk.kind != "key_value" or _ABOUT_THE_DOCUMENT.search(query)
                        or any(name in s.span.text for name in names_in(question)))]
        if not covered:
            return []
        introduced = [s for s in covered if introduces_the_items(question, s.span)]
        covered = introduced or covered
        richest = _richest_variants(scored)
        by_council: dict[str, list[ScoredSpan]] = {}
        seen: set[str] = set()
        for candidate in covered:
            identity = _identity(candidate)
            if identity not in seen:
                seen.add(identity)
                by_council.setdefault(candidate.span.chunk.council, []).append(candidate)
        best = covered[0].score
        named = self.councils.mentioned(question)
        margin = COMPARE_MARGIN if _COMPARES.search(question) or len(named) > 1 else COUNCIL_MARGIN
        chosen = []
        per_council = PER_COUNCIL_SEVERAL if _ASKS_SEVERAL.search(question) else PER_COUNCIL
        for council, spans in list(by_council.items())[:MAX_COUNTED_COUNCILS]:
            if spans[0].score >= best - margin or (len(named) > 1 and council in named):
                near = [s for s in spans if s.score >= spans[0].score - SAME_COUNCIL_MARGIN]
                picked = near[:per_council] + _completing(question, near[:per_council], spans)
                # a third sentence of a paragraph already quoted, as relevant, finishes what it says
                chosen += picked + [s for s in near[per_council:per_council + 1]
                                    if any(s.span.chunk is first.span.chunk for first in picked)]
        asks_who = bool(ASKS_WHO.search(question))
        spans = _without_overlaps([self._widen(richest.get(_identity(s), s), question, covered) for s in chosen])
        return self._with_headings(question, [claim_for_span(span, asks_who) for span in spans])

    def _with_headings(self, question: str, claims: list[Claim]) -> list[Claim]:
        """The heading a passage sits under, quoted before it (once) when the passage needs it:
        - an item asked for by its label ("what's the third aim?") is named by its heading ("3: Faster assessments"),
          with the sub-headings under it for "what are the themes under priority 1?";
        - a bare value ("Deadline: May 2027") says nothing of what it belongs to ("Sensory hub");
        - a heading may give the count a "how many…?" question asks for ("Our aims: four themes")."""
        labels = labels_pointed_at(question)
        with_headings, quoted = [], {(c.chunk.document, c.start) for c in claims}
        for claim in claims:
            span = Span(claim.chunk, claim.start, claim.end, claim.quote)
            labelled = heading_with_label(labels, span) if labels else None
            heading = labelled or (claim.chunk.heading if claim.chunk.heading and (
                is_bare_value(claim.quote) or heading_counts(question, span)) else None)
            source = self.index.source_text(claim.chunk.document) if heading else ""
            start = _written_before(source, heading, claim.start) if heading else -1
            if start >= 0 and (claim.chunk.document, start) not in quoted:
                quoted.add((claim.chunk.document, start))
                with_headings.append(claim_for_heading(claim.chunk, start, heading))
                if labelled and _ASKS_WHAT_ARE.search(question):
                    with_headings += self._headings_under(claim.chunk, source, heading, start)
            with_headings.append(claim)
        return with_headings

    def _headings_under(self, chunk: Chunk, source: str, heading: str, start: int) -> list[Claim]:
        """The headings of the sections directly under `heading` (written at `start` of the document's `source`),
        in the plan's order."""
        subheadings = []
        for other in self._chunks_of(chunk.document):
            path = other.section.split(" › ")
            if heading in path[:-1] and path[path.index(heading) + 1] not in subheadings:
                subheadings.append(path[path.index(heading) + 1])
        claims, after = [], start + len(heading)
        for subheading in subheadings:
            found = source.find(subheading, after)
            if found >= 0:
                claims.append(claim_for_heading(chunk, found, subheading))
                after = found + len(subheading)
        return claims

    def _widen(self, scored: ScoredSpan, question: str, covered: list[ScoredSpan]) -> Span:
        """For "what are…" questions about a list, or when another item of the same list answers nearly as well,
        cite the whole list rather than one item; a sentence comes with the next one when that carries it on."""
        chunk = scored.span.chunk
        sibling = any(other.span.chunk is chunk and other.span.start != scored.span.start
                      and other.score >= scored.score - SAME_COUNCIL_MARGIN for other in covered)
        if chunk.kind == "list" and (_ASKS_LIST.search(question) or (sibling and len(chunk.text) <= LISTED_CHARS)):
            return Span(chunk, chunk.start, chunk.end, chunk.text)
        return self._with_its_status(self._with_its_list(with_what_it_refers_to(scored.span)))

    def _with_its_status(self, span: Span) -> Span:
        """A pledge or action that ends its section is quoted with the short line closing it ("Deadline: May 2027",
        "Ongoing"): when it is due belongs to what it is."""
        chunk = span.chunk
        following = self.index.chunks.get(neighbour_id(chunk.chunk_id, 1))
        if (span.end < chunk.end - 1 or following is None or following.section != chunk.section
                or not is_status_line(following.text)):
            return span
        closing = self.index.chunks.get(neighbour_id(following.chunk_id, 1))
        if closing is not None and closing.section == chunk.section:
            return span  # a line in the middle of a section is no closing line
        return Span(chunk, span.start, following.end, self.index.source_text(chunk.document)[span.start:following.end])

    def _with_its_list(self, span: Span) -> Span:
        """A lead-in ("…through the four-stage process of:") is quoted with the list it introduces: the items
        nested under it in its own chunk, or the list chunks that directly follow it."""
        if not span.text.endswith(":"):
            return span
        chunk, end = span.chunk, span.end
        if span.end < chunk.end:
            end = chunk.start + nested_items_end(chunk.text, span.end - chunk.start)
        else:
            following = self.index.chunks.get(neighbour_id(chunk.chunk_id, 1))
            while following is not None and following.kind == "list" and following.end - span.start < LISTED_CHARS:
                end = following.end
                following = self.index.chunks.get(neighbour_id(following.chunk_id, 1))
        if end == span.end:
            return span
        return Span(chunk, span.start, end, self.index.source_text(chunk.document)[span.start:end])


def _written_before(source: str, heading: str, offset: int) -> int:
    """Where a heading is written last before `offset`: on a line of its own if it is (its words may recur in a
    paragraph), else anywhere."""
    lines = [m.start(1) for m in re.finditer(rf"(?m)^[ \t]*({re.escape(heading)})[ \t]*$", source[:offset])]
    return lines[-1] if lines else source.rfind(heading, 0, offset)


def _named_alone(question: str) -> list[str]:
    """What a question names exactly, searched for on its own as well: in a long question it is easily outweighed.
    "What is FLOW in Northshire's arrangements?" → FLOW; "What are Eastbury's four priorities?" → "4 priorities";
    "What is priority 5?" → "priority 5"."""
    listed = counted_list(question)
    item = item_named(question)
    return [*acronyms_asked_about(question), *([" ".join(listed)] if listed else []), *([item] if item else [])]


_OTHER_QUESTION_WORD = re.compile(r"\b(?:why|how|when|who|where|which)\b", re.IGNORECASE)
_DEFINITION_WORDS = key_terms("what is are does do stand stands for mean means meaning an the a plan plans")


def councils_asked_about(matcher: CouncilMatcher, question: str, history: Sequence[dict]) -> list[str] | None:
    """The councils a question is about (None: every council). Those it names; none when it asks about councils
    in general ("do other councils do this?"); for a follow-up, those its conversation is about, even two
    follow-ups later ("and how is it paid for?" after questions about Eastmoor)."""
    named = matcher.mentioned(question)
    if named or _COMPARES.search(question):
        return named or None
    for message in reversed([m for m in history if m.get("role") == "user"]):
        text = str(message.get("content", ""))
        named = matcher.mentioned(text)
        if named or _COMPARES.search(text):
            return named or None
    return None


def _asks_beyond_definition(question: str, without_councils: str) -> bool:
    """Whether a question about an acronym asks more than what it stands for ("what is WSoA area 9 about?")."""
    asked = {acronym.lower() for acronym in acronyms_asked_about(question)}
    return bool(key_terms(without_councils) - key_terms(" ".join(asked)) - _DEFINITION_WORDS
                or _OTHER_QUESTION_WORD.search(question) or item_labels(question))


def _acronym(word: str) -> bool:
    """ "KPI": a plan may spell it out ("key performance indicators") without ever writing the letters."""
    return sum(ch.isupper() for ch in word) >= 2


def _service_terms(question: str) -> set[str]:
    """What a question about one child asks the plans about: not the child's name, age or when."""
    names = " ".join(re.findall(r"(?<=\w )[A-Z][a-z]+", question))
    return key_terms(without_ages(question)) - key_terms(names) - key_terms(_WHEN_WORDS)


def _within(claim: Claim | Span, other: Claim | Span) -> bool:
    """Already quoted: "DSR stands for…" may be followed by the sentence around it, not by itself again."""
    return claim.chunk.document == other.chunk.document and other.start <= claim.start and claim.end <= other.end


def _completing(question: str, picked: list[ScoredSpan], candidates: list[ScoredSpan]) -> list[ScoredSpan]:
    """A question asking two things ("the target, and the actual figure in November?", "approved when, and inspected
    when?") is often answered by two passages: the best further passage that holds a key word or figure the
    chosen ones lack, when it is nearly as relevant."""
    wanted = key_terms(without_ages(question)) | numbers_in(without_ages(question))
    have = set().union(*(_holds(wanted, s) for s in picked))
    missing = wanted - have
    if not missing or len(wanted) < MIN_PARTS_TERMS:
        return []
    floor = picked[0].score - COMPLETING_MARGIN
    extra = next((s for s in candidates if s not in picked and s.score >= floor and _holds(missing, s)), None)
    return [extra] if extra is not None else []


def _holds(wanted: set[str], scored: ScoredSpan) -> set[str]:
    evidence = span_evidence(scored.span)
    figures = numbers_in(evidence)
    return {term for term in wanted if term in figures or term_coverage({term}, evidence)}


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """A list cited whole already says what its items say: never quote the same words twice. A passage that holds
    one already kept ("…a travel trainer for each college. Deadline: June 2027" and "Deadline: June 2027") takes its
    place."""
    kept: list[Span] = []
    for span in spans:
        overlapping = [other for other in kept if overlaps(other, span)]
        if not overlapping:
            kept.append(span)
        elif len(overlapping) == 1 and _within(overlapping[0], span):
            kept[kept.index(overlapping[0])] = span
    return kept


def _identity(scored: ScoredSpan) -> str:
    """The same action-plan row appears in two exports of one plan (an appendix and a file of its own): one passage.
    A short line is the same passage only under the same heading ("Deadline: June 2027" may end several actions)."""
    span = scored.span
    text = squash(span.text)
    return (squash(span.chunk.fields.get("Action", "")) or
            (f"{squash(span.chunk.section)} › {text}" if len(span.text.split()) <= BARE_VALUE_WORDS else text))


def _richest_variants(scored: list[ScoredSpan]) -> dict[str, ScoredSpan]:
    """For each row identity, the export with the most columns filled (the appendix has a Status)."""
    richest: dict[str, ScoredSpan] = {}
    for candidate in scored:
        if not candidate.span.chunk.fields.get("Action"):
            continue
        identity = _identity(candidate)
        if identity not in richest or _filled(candidate) > _filled(richest[identity]):
            richest[identity] = candidate
    return richest


def _filled(scored: ScoredSpan) -> int:
    return sum(1 for value in scored.span.chunk.fields.values() if value)


def _refusal(question: str, kind: RefusalKind, message: str, began: float, retrieved: float | None = None) -> Answer:
    finished = time.perf_counter()
    return Answer(question=question, answer=message, refused=True, refusal_kind=kind,
                  timings_ms=_timings(began, retrieved or finished, finished))


def _timings(began: float, retrieved: float, finished: float) -> dict[str, float]:
    return {"retrieve": round((retrieved - began) * 1000, 1), "answer": round((finished - retrieved) * 1000, 1),
            "total": round((finished - began) * 1000, 1)}


def _in_words(names: list[str]) -> str:
    """ "Northshire, Eastbury and Westvale": a list a person reads, not a comma-separated value."""
    return " and ".join(filter(None, [", ".join(names[:-1]), names[-1]])) if names else ""
